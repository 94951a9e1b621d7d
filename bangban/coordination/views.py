"""Coordination pages: meetings (list, new, page, edit, actions), the decisions (议定事项) of
a department, errand task orders (list, issue, page, actions, Word form). Thin: reads through
``selectors``, writes through the action tables (``actions``) and the issue service.

A refusal shows the page again with the message and what was typed, answering 400 (bad
input, illegal step), 403 (not the party) or 409 (stale version)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bangban.accounts.models import Role
from bangban.cases.selectors import case_list_for
from bangban.common.exceptions import ActionForbidden, StaleVersionError

from . import forms, lifecycle, services
from .actions import ACTION_ITEMS, MEETINGS, TASK_ORDERS, meeting_mode, meeting_new
from .exports import DOCX_CONTENT_TYPE, DocumentUnavailable, task_order_document
from .models import ActionItem, Meeting, TaskOrder
from .parties import may_issue
from .selectors import (
    action_item_filter,
    action_item_get_for,
    action_item_list_for,
    errand_case_choices,
    errand_companies_for,
    issuable_commission_get_for,
    issuable_commissions_for,
    meeting_case_choices,
    meeting_commission_choices,
    meeting_department_choices,
    meeting_filter,
    meeting_get_for,
    meeting_list_for,
    task_order_filter,
    task_order_get_for,
    task_order_list_for,
)

PAGE_SIZE = 50
DEPARTMENT_ROLES = (Role.DEPT_OFFICER, Role.DEPT_HELPER)


def _messages_of(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [text for texts in exc.message_dict.values() for text in texts]
    return list(exc.messages)


def _field_errors(exc: ValidationError) -> dict[str, str]:
    if hasattr(exc, "message_dict"):
        return {key: " ".join(texts) for key, texts in exc.message_dict.items()}
    return {}


def _refusal(exc) -> tuple[list[str], int]:
    if isinstance(exc, StaleVersionError):
        return [exc.message], 409
    if isinstance(exc, ActionForbidden):
        return [exc.message], 403
    return _messages_of(exc), 400


def _query(params: dict[str, str]) -> str:
    return urlencode({k: v for k, v in params.items() if v})


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# --- meetings --------------------------------------------------------------------------------


@login_required
@require_GET
def meeting_list(request):
    """会议协调: the meetings the user sees, filtered by kind, state, overdue decisions."""
    filters = {name: request.GET.get(name, "") for name in ("kind", "state", "overdue")}
    queryset = meeting_filter(meeting_list_for(request.user), filters)
    return render(
        request,
        "coordination/meeting_list.html",
        {
            "page": _page(request, queryset),
            "filters": filters,
            "query": _query(filters),
            "kinds": Meeting.Kind.choices,
            "states": Meeting.State.choices,
            "mode": meeting_mode(request.user),
        },
    )


def _meeting_form_context(request, *, posted: dict, meeting=None) -> dict:
    user = request.user
    commissions = meeting_commission_choices(user).select_related("project")
    chosen = [str(pk) for pk in posted.get("commissions", [])]
    return {
        "meeting": meeting,
        "mode": "edit" if meeting is not None else meeting_mode(user),
        "kinds": Meeting.Kind.choices,
        "recurrences": Meeting.Recurrence.choices,
        "departments": meeting_department_choices(user),
        "commissions": commissions,
        "cases": meeting_case_choices(
            commissions.filter(pk__in=[c for c in chosen if c.isdigit()]).values_list(
                "pk", flat=True
            )
        )
        if chosen
        else [],
        "posted": posted,
    }


def _posted_meeting(request) -> dict:
    post = request.POST
    return {
        "kind": post.get("kind", ""),
        "title": post.get("title", ""),
        "host_department": post.get("host_department", ""),
        "starts_at": post.get("starts_at", ""),
        "place": post.get("place", ""),
        "participants": post.getlist("participants"),
        "commissions": post.getlist("commissions"),
        "cases": post.getlist("cases"),
        "agenda": post.get("agenda", ""),
        "recurrence": post.get("recurrence", ""),
        "problems": post.get("problems", ""),
    }


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    """安排会议 (centre admin) or 提议召开会议 (agent)."""
    if not meeting_mode(request.user):
        raise Http404("您不能安排或提议会议。")
    if request.method == "GET":
        posted = {
            "commissions": request.GET.getlist("commission"),
            "kind": request.GET.get("kind", ""),
        }
        return render(
            request, "coordination/meeting_form.html", _meeting_form_context(request, posted=posted)
        )
    posted = _posted_meeting(request)
    if request.POST.get("_reload"):  # reload the case choices of the chosen commissions
        return render(
            request, "coordination/meeting_form.html", _meeting_form_context(request, posted=posted)
        )
    try:
        meeting = meeting_new(request.user, forms.meeting_data(request.POST))
    except (ActionForbidden, ValidationError) as exc:
        errors, status = _refusal(exc)
        context = _meeting_form_context(request, posted=posted)
        context.update(errors=errors, field_errors=_field_errors(exc) if status == 400 else {})
        return render(request, "coordination/meeting_form.html", context, status=status)
    done = (
        "已提议召开会议，等待中心管理员安排。"
        if meeting.state == lifecycle.PROPOSED
        else "会议已安排，已通知参会部门。"
    )
    messages.success(request, done)
    return redirect("coordination:meeting_detail", pk=meeting.pk)


def _meeting_or_404(request, pk) -> Meeting:
    meeting = meeting_get_for(request.user, pk)
    if meeting is None:
        raise Http404("未找到该会议。")
    return meeting


def _meeting_context(request, meeting, *, posted=None, errors=None) -> dict:
    user = request.user
    offered = MEETINGS.offered(user, meeting)
    items = list(meeting.action_items.all())
    participants = list(meeting.participants.all())
    owners = [
        meeting.host_department,
        *[d for d in participants if d.pk != meeting.host_department_id],
    ]
    next_start = None
    if any(action.slug == lifecycle.NEXT for action in offered):
        next_start = services.meeting_next_start(meeting)
    posted = posted or {}
    minutes_posted = posted.get("_action") == lifecycle.MINUTES
    decision_rows = [
        {
            "index": index,
            "text": posted.get(f"decision_text_{index}", "") if minutes_posted else "",
            "owner": posted.get(f"decision_owner_{index}", "") if minutes_posted else "",
            "due": posted.get(f"decision_due_{index}", "") if minutes_posted else "",
        }
        for index in range(forms.DECISION_ROWS)
    ]
    return {
        "meeting": meeting,
        "actions": [(a, MEETINGS.label(a.slug)) for a in offered if not a.page],
        "edit_allowed": any(a.slug == lifecycle.EDIT for a in offered),
        "items": [(item, _item_actions(user, item)) for item in items],
        "participants": participants,
        "commissions": list(meeting.commissions.all()),
        "cases": list(meeting.cases.all()),
        "problems": list(meeting.problems.all()),
        "events": list(meeting.events.all()),
        "owners": owners,
        "departments": meeting_department_choices(user) if offered else [],
        "decision_rows": decision_rows,
        "next_start": next_start,
        "posted": posted,
        "posted_action": posted.get("_action", ""),
        "action_errors": errors or [],
        "today": timezone.localdate(),
    }


def _item_actions(user, item) -> list[tuple]:
    """(action, label, key of its form) of what ``user`` may do with the decision now."""
    return [
        (action, ACTION_ITEMS.label(action.slug), f"item-{item.pk}-{action.slug}")
        for action in ACTION_ITEMS.offered(user, item)
    ]


@login_required
@require_GET
def meeting_detail(request, pk: int):
    meeting = _meeting_or_404(request, pk)
    return render(request, "coordination/meeting_detail.html", _meeting_context(request, meeting))


def _meeting_refused(request, pk, exc, posted: dict, action: str):
    errors, status = _refusal(exc)
    posted = dict(posted, _action=action)
    if status == 409:
        posted.pop("version", None)
    context = _meeting_context(request, _meeting_or_404(request, pk), posted=posted, errors=errors)
    return render(request, "coordination/meeting_detail.html", context, status=status)


@login_required
@require_POST
def meeting_action(request, pk: int, action: str):
    meeting = _meeting_or_404(request, pk)
    if action not in MEETINGS.by_slug or MEETINGS.by_slug[action].page:
        raise Http404("没有这种操作。")
    post = request.POST
    posted = {key: post.get(key, "") for key in post if not key.startswith("csrf")}
    posted["participants"] = post.getlist("participants")
    try:
        data = forms.meeting_action_data(post)
        done = MEETINGS.run(action, obj=meeting, user=request.user, data=data)
    except (StaleVersionError, ActionForbidden, ValidationError) as exc:
        return _meeting_refused(request, pk, exc, posted, action)
    messages.success(request, done)
    return redirect("coordination:meeting_detail", pk=meeting.pk)


def _meeting_as_posted(meeting: Meeting) -> dict:
    starts = timezone.localtime(meeting.starts_at) if meeting.starts_at else None
    return {
        "kind": meeting.kind,
        "title": meeting.title,
        "host_department": str(meeting.host_department_id),
        "starts_at": f"{starts:%Y-%m-%dT%H:%M}" if starts else "",
        "place": meeting.place,
        "participants": [str(d.pk) for d in meeting.participants.all()],
        "commissions": [str(c.pk) for c in meeting.commissions.all()],
        "cases": [str(c.pk) for c in meeting.cases.all()],
        "agenda": meeting.agenda,
        "recurrence": meeting.recurrence,
        "problems": "\n".join(p.text for p in meeting.problems.all()),
        "version": str(meeting.version),
    }


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk: int):
    """修改会议信息 (the organiser, before the meeting is held)."""
    meeting = _meeting_or_404(request, pk)
    if not MEETINGS.may(request.user, meeting, lifecycle.EDIT):
        raise Http404("该会议不能修改。")
    if request.method == "GET":
        context = _meeting_form_context(
            request, posted=_meeting_as_posted(meeting), meeting=meeting
        )
        return render(request, "coordination/meeting_form.html", context)
    posted = _posted_meeting(request)
    posted["version"] = request.POST.get("version", "")
    if request.POST.get("_reload"):
        context = _meeting_form_context(request, posted=posted, meeting=meeting)
        return render(request, "coordination/meeting_form.html", context)
    try:
        data = forms.meeting_data(request.POST)
        data["version"] = request.POST.get("version")
        done = MEETINGS.run(lifecycle.EDIT, obj=meeting, user=request.user, data=data)
    except (StaleVersionError, ActionForbidden, ValidationError) as exc:
        errors, status = _refusal(exc)
        if status == 409:
            posted["version"] = str(Meeting.objects.get(pk=meeting.pk).version)
        context = _meeting_form_context(request, posted=posted, meeting=meeting)
        context.update(errors=errors, field_errors=_field_errors(exc) if status == 400 else {})
        return render(request, "coordination/meeting_form.html", context, status=status)
    messages.success(request, done)
    return redirect("coordination:meeting_detail", pk=meeting.pk)


# --- decisions (议定事项) --------------------------------------------------------------------


@login_required
@require_GET
def action_item_list(request):
    """我部门的议定事项 (a department's), or the decisions of the meetings the user sees."""
    user = request.user
    filters = {name: request.GET.get(name, "") for name in ("status", "overdue", "mine")}
    if not request.GET and user.role in DEPARTMENT_ROLES:
        filters["mine"] = "1"
    queryset = action_item_filter(action_item_list_for(user), filters, user)
    page = _page(request, queryset)
    return render(
        request,
        "coordination/action_item_list.html",
        {
            "page": page,
            "rows": [(item, _item_actions(user, item)) for item in page.object_list],
            "filters": filters,
            "query": _query(filters),
            "statuses": ActionItem.Status.choices,
            "department": user.department if user.role in DEPARTMENT_ROLES else None,
        },
    )


@login_required
@require_POST
def action_item_action(request, pk: int, action: str):
    item = action_item_get_for(request.user, pk)
    if item is None:
        raise Http404("未找到该议定事项。")
    if action not in ACTION_ITEMS.by_slug:
        raise Http404("没有这种操作。")
    post = request.POST
    try:
        data = forms.simple_action_data(post)
        done = ACTION_ITEMS.run(action, obj=item, user=request.user, data=data)
    except (StaleVersionError, ActionForbidden, ValidationError) as exc:
        posted = {"note": post.get("note", ""), "reason": post.get("reason", "")}
        posted["_action"] = f"item-{item.pk}-{action}"
        return _meeting_refused(request, item.meeting_id, exc, posted, posted["_action"])
    messages.success(request, done)
    if post.get("next") == "list":
        return redirect("coordination:action_item_list")
    return redirect("coordination:meeting_detail", pk=item.meeting_id)


# --- task orders (专业跑腿任务单) ------------------------------------------------------------


@login_required
@require_GET
def task_order_list(request):
    filters = {name: request.GET.get(name, "") for name in ("state", "commission")}
    queryset = task_order_filter(task_order_list_for(request.user), filters)
    return render(
        request,
        "coordination/task_order_list.html",
        {
            "page": _page(request, queryset),
            "filters": filters,
            "query": _query(filters),
            "states": TaskOrder.State.choices,
            "may_issue": may_issue(request.user),
        },
    )


def _issue_context(request, commission, *, posted=None) -> dict:
    return {
        "commission": commission,
        "cases": errand_case_choices(commission),
        "companies": errand_companies_for(commission.project.region),
        "posted": posted or {},
        "today": timezone.localdate(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def task_order_create(request):
    """下发专业跑腿任务单: choose a commission with open 专业跑腿 cases, then the cases, the
    company, the due date and the requirements."""
    user = request.user
    if not may_issue(user):
        raise Http404("只有投资促进部门或中心管理员可以下发专业跑腿任务单。")
    pk = request.POST.get("commission") or request.GET.get("commission")
    commission = issuable_commission_get_for(user, pk) if pk else None
    if commission is None:
        return render(
            request,
            "coordination/task_order_pick.html",
            {"commissions": issuable_commissions_for(user)[:200]},
        )
    if request.method == "GET":
        return render(
            request, "coordination/task_order_form.html", _issue_context(request, commission)
        )
    post = request.POST
    posted = {
        "cases": post.getlist("cases"),
        "company": post.get("company", ""),
        "due_date": post.get("due_date", ""),
        "requirements": post.get("requirements", ""),
    }
    try:
        data = forms.task_order_data(post)
        order = services.task_order_issue(actor=user, commission=commission, **data)
    except (ActionForbidden, ValidationError) as exc:
        errors, status = _refusal(exc)
        context = _issue_context(request, commission, posted=posted)
        context.update(errors=errors, field_errors=_field_errors(exc) if status == 400 else {})
        return render(request, "coordination/task_order_form.html", context, status=status)
    messages.success(request, f"任务单 {order.number} 已下发给{order.company.name}。")
    return redirect("coordination:task_order_detail", pk=order.pk)


def _order_or_404(request, pk) -> TaskOrder:
    order = task_order_get_for(request.user, pk)
    if order is None:
        raise Http404("未找到该任务单。")
    return order


def _order_context(request, order, *, posted=None, errors=None) -> dict:
    user = request.user
    cases = list(order.cases.all())
    visible = set(
        case_list_for(user).filter(pk__in=[c.pk for c in cases]).values_list("pk", flat=True)
    )
    offered = TASK_ORDERS.offered(user, order)
    return {
        "order": order,
        "commission": order.commission,
        "cases": [(case, case.pk in visible) for case in cases],
        "actions": [(a, TASK_ORDERS.label(a.slug)) for a in offered],
        "companies": errand_companies_for(order.commission.project.region)
        if any(a.slug == lifecycle.REISSUE for a in offered)
        else [],
        "events": list(order.events.all()),
        "document": order.state != lifecycle.REVOKED,
        "posted": posted or {},
        "posted_action": (posted or {}).get("_action", ""),
        "action_errors": errors or [],
        "today": timezone.localdate(),
    }


@login_required
@require_GET
def task_order_detail(request, pk: int):
    order = _order_or_404(request, pk)
    return render(request, "coordination/task_order_detail.html", _order_context(request, order))


@login_required
@require_POST
def task_order_action(request, pk: int, action: str):
    order = _order_or_404(request, pk)
    if action not in TASK_ORDERS.by_slug:
        raise Http404("没有这种操作。")
    post = request.POST
    try:
        data = forms.simple_action_data(post)
        done = TASK_ORDERS.run(action, obj=order, user=request.user, data=data)
    except (StaleVersionError, ActionForbidden, ValidationError) as exc:
        errors, status = _refusal(exc)
        posted = {
            k: post.get(k, "") for k in ("note", "reason", "company", "due_date", "requirements")
        }
        posted["_action"] = action
        context = _order_context(request, _order_or_404(request, pk), posted=posted, errors=errors)
        return render(request, "coordination/task_order_detail.html", context, status=status)
    messages.success(request, done)
    return redirect("coordination:task_order_detail", pk=order.pk)


@login_required
@require_GET
def task_order_download(request, pk: int):
    """The order as the Word form 专业跑腿任务单."""
    order = _order_or_404(request, pk)
    try:
        filename, content = task_order_document(order)
    except DocumentUnavailable as exc:
        messages.error(request, exc.message)
        return redirect("coordination:task_order_detail", pk=order.pk)
    response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
