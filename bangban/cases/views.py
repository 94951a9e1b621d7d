"""Ledger pages: the ledger (台账), the department inbox (部门收件箱), the case page and its
actions, the downloads of its files (``files``), the ledger's Excel export. Thin: reads
through ``selectors``, writes through the action table (``actions.case_action_run``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_GET, require_POST

from bangban.accounts.models import Role
from bangban.catalog.models import Stage
from bangban.common.exceptions import ActionForbidden, StaleVersionError
from bangban.projects.selectors import commission_get_for
from bangban.workdays.selectors import get_calendar

from . import lifecycle
from .actions import ACTIONS, BY_SLUG, case_action_run, case_allowed_actions
from .deadlines import case_clock, case_limits
from .escalations import BY_SLUG as ESCALATION_ACTIONS
from .escalations import escalation_act, escalation_allowed_actions, escalation_raise
from .exports import XLSX_CONTENT_TYPE, ledger_workbook
from .files import case_material_download, case_result_download
from .models import CaseMaterial, Escalation, Suspension
from .selectors import (
    COLOURS,
    INBOX_TABS,
    case_filter,
    case_get_for,
    case_list_for,
    escalation_list_for,
    inbox_counts,
    ledger_department_choices,
)

PAGE_SIZE = 50
FILTERS = ("state", "warning", "stage", "department", "due", "commission", "finished", "accepted")
INBOX_ROLES = (Role.DEPT_OFFICER, Role.DEPT_HELPER)


def _filters(request) -> dict[str, str]:
    return {name: request.GET.get(name, "") for name in FILTERS}


def _query(filters: dict[str, str]) -> str:
    return urlencode({k: v for k, v in filters.items() if v})


@login_required
@require_GET
def ledger(request):
    """台账: the cases the user sees, filtered, sorted by due date."""
    filters = _filters(request)
    queryset = case_filter(case_list_for(request.user), filters)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/ledger.html",
        {
            "page": page,
            "filters": filters,
            "query": _query(filters),
            "states": [("open", "所有未办结"), *lifecycle.STATE_LABELS.items()],
            "colours": COLOURS.items(),
            "stages": Stage.choices,
            "departments": ledger_department_choices(request.user),
        },
    )


@login_required
@require_GET
def inbox(request):
    """部门收件箱: the department's cases by state, with the steps it takes."""
    user = request.user
    if user.role not in INBOX_ROLES or not user.department_id:
        raise Http404("只有审批部门人员和部门帮办员有收件箱。")
    mine = case_list_for(user).filter(department_id=user.department_id)
    counts = inbox_counts(mine)
    tab = request.GET.get("tab") or "submitted"
    tabs = []
    states: tuple = ()
    for key, label, tab_states in INBOX_TABS:
        tabs.append((key, label, sum(counts.get(state, 0) for state in tab_states)))
        if key == tab:
            states = tab_states
    if not states:
        tab, states = INBOX_TABS[0][0], INBOX_TABS[0][2]
    page = Paginator(mine.filter(state__in=states), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/inbox.html",
        {"page": page, "tabs": tabs, "tab": tab, "department": user.department},
    )


def _case_or_404(request, pk):
    case = case_get_for(request.user, pk)
    if case is None:
        raise Http404("未找到该办件。")
    return case


def _case_context(request, case, *, posted=None, action_errors=None) -> dict:
    user = request.user
    allowed = case_allowed_actions(user, case)
    materials = list(case.materials.all())
    return {
        "case": case,
        "commission": case.commission,
        "commission_visible": commission_get_for(user, case.commission_id) is not None,
        "item": case.item,
        "limits": case_limits(case),
        "clock": case_clock(case, get_calendar(), timezone.localdate()),
        "materials": materials,
        "missing": [row for row in materials if row.status == CaseMaterial.Status.MISSING],
        "has_material_files": any(row.attachment_id for row in materials),
        "suspensions": list(case.suspensions.all()),
        "events": list(case.events.all()),
        "actions": [action for action in ACTIONS if action.slug in allowed],
        "suspension_kinds": Suspension.Kind.choices,
        "material_statuses": [
            (CaseMaterial.Status.PENDING, "未提交"),
            (CaseMaterial.Status.RECEIVED, "已收取"),
        ],
        "today": timezone.localdate(),
        "posted": posted or {},
        "posted_action": (posted or {}).get("_action", ""),
        "action_errors": action_errors or [],
        "may_escalate": user.role == Role.AGENT
        and case.commission.agent_id == user.pk
        and case.state in lifecycle.OPEN_STATES,
    }


@login_required
@require_GET
def case_detail(request, pk: int):
    case = _case_or_404(request, pk)
    return render(request, "cases/case_detail.html", _case_context(request, case))


@login_required
@require_GET
def case_material_file(request, pk: int, material_pk: int):
    """A material's file, for whoever may see the case; the read is recorded (files.py)."""
    return case_material_download(request, pk=pk, material_pk=material_pk)


@login_required
@require_GET
def case_result_file(request, pk: int):
    """The case's result document, for whoever may see the case; the read is recorded."""
    return case_result_download(request, pk=pk)


def _posted_values(request) -> dict:
    post = request.POST
    values = {
        key: post.get(key, "")
        for key in (
            "version",
            "reason",
            "occurred_at",
            "supplement_due",
            "kind",
            "result_number",
            "handed_over_to",
        )
    }
    values["missing"] = post.getlist("missing")
    values["materials"] = post.getlist("materials")
    values["statuses"] = {
        key.removeprefix("status_"): value
        for key, value in post.items()
        if key.startswith("status_")
    }
    values["notes"] = {
        key.removeprefix("note_"): value
        for key, value in post.items()
        if key.startswith("note_") and value.strip()
    }
    values["result_document"] = request.FILES.get("result_document")
    values["file"] = request.FILES.get("file")
    return values


def _messages_of(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [text for texts in exc.message_dict.values() for text in texts]
    return list(exc.messages)


@login_required
@require_POST
def case_action(request, pk: int, action: str):
    """One step of the table. Success redirects to the case page; a refusal shows the page
    again with the message and what was typed, answering 400, 403 or 409."""
    case = _case_or_404(request, pk)
    if action not in BY_SLUG:
        raise Http404("没有这种操作。")
    values = _posted_values(request)
    try:
        done = case_action_run(action, case=case, user=request.user, data=values)
    except StaleVersionError as exc:
        errors, status = [exc.message], 409
    except ActionForbidden as exc:
        errors, status = [exc.message], 403
    except ValidationError as exc:
        errors, status = _messages_of(exc), 400
    else:
        messages.success(request, done)
        return redirect("cases:case_detail", pk=case.pk)
    fresh = _case_or_404(request, pk)
    posted = {k: v for k, v in values.items() if k not in ("result_document", "file")}
    posted["_action"] = action
    if status == 409:
        posted.pop("version", None)  # the page shows the fresh version to try again with
    context = _case_context(request, fresh, posted=posted, action_errors=errors)
    return render(request, "cases/case_detail.html", context, status=status)


@login_required
@require_GET
def ledger_export(request):
    """The ledger as the Excel layout of a hand-kept 台账 (the same filters as the page)."""
    queryset = case_filter(case_list_for(request.user), _filters(request))
    content = ledger_workbook(queryset, today=timezone.localdate())
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    filename = f"办件台账-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# --- escalations (上报) ----------------------------------------------------------------------


@login_required
@require_GET
def escalation_list(request):
    state = request.GET.get("state", "")
    queryset = escalation_list_for(request.user)
    if state in Escalation.State.values:
        queryset = queryset.filter(state=state)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/escalation_list.html",
        {"page": page, "state": state, "states": Escalation.State.choices},
    )


def _escalation_or_404(request, pk):
    escalation = escalation_list_for(request.user).filter(pk=pk).first()
    if escalation is None:
        raise Http404("未找到该上报事项。")
    return escalation


def _escalation_page(request, escalation, *, posted=None, errors=None, status=200):
    context = {
        "escalation": escalation,
        "actions": escalation_allowed_actions(request.user, escalation),
        "today": timezone.localdate(),
        "posted": posted or {},
        "action_errors": errors or [],
    }
    return render(request, "cases/escalation_detail.html", context, status=status)


@login_required
@require_GET
def escalation_detail(request, pk: int):
    return _escalation_page(request, _escalation_or_404(request, pk))


def _refusal(exc) -> tuple[list[str], int]:
    if isinstance(exc, StaleVersionError):
        return [exc.message], 409
    if isinstance(exc, ActionForbidden):
        return [exc.message], 403
    return _messages_of(exc), 400


@login_required
@require_POST
def escalation_action(request, pk: int, action: str):
    escalation = _escalation_or_404(request, pk)
    if action not in ESCALATION_ACTIONS:
        raise Http404("没有这种操作。")
    try:
        escalation_act(escalation=escalation, slug=action, actor=request.user, data=request.POST)
    except (StaleVersionError, ActionForbidden, ValidationError) as exc:
        errors, status = _refusal(exc)
        posted = {k: request.POST.get(k, "") for k in ("instruction", "instruction_due", "result")}
        return _escalation_page(
            request, _escalation_or_404(request, pk), posted=posted, errors=errors, status=status
        )
    messages.success(request, "已批示。" if action == "answer" else "已办结。")
    return redirect("cases:escalation_detail", pk=pk)


@login_required
@require_POST
def case_escalate(request, pk: int):
    """An agent reports a case's problem to the leader (上报)."""
    case = _case_or_404(request, pk)
    try:
        escalation = escalation_raise(
            commission=case.commission,
            case=case,
            actor=request.user,
            problem=request.POST.get("problem", ""),
        )
    except (ActionForbidden, ValidationError) as exc:
        errors, status = _refusal(exc)
        context = _case_context(
            request, case, posted={"problem": request.POST.get("problem", "")}, action_errors=errors
        )
        return render(request, "cases/case_detail.html", context, status=status)
    messages.success(request, f"已上报{escalation.leader}。")
    return redirect("cases:escalation_detail", pk=escalation.pk)
