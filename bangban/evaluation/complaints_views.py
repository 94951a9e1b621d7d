"""Complaint and accountability pages: complaints (list, register, page, steps) and
accountability records (list per person and department, create, page, the Word notice).
Thin: reads through ``complaints_selectors``, writes through the action table
(``complaints_actions``) and the services.

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

from bangban.common.exceptions import ActionForbidden, StaleVersionError

from . import complaints_forms as forms
from . import complaints_lifecycle as lifecycle
from .accountability_exports import (
    DOCX_CONTENT_TYPE,
    DocumentUnavailable,
    criticism_notice_document,
)
from .accountability_services import accountability_record_create
from .complaints_actions import COMPLAINTS
from .complaints_parties import may_create_record, may_register
from .complaints_selectors import (
    accountability_complaint_choices,
    accountability_filter,
    accountability_get_for,
    accountability_list_for,
    accountability_summary,
    complaint_commission_choices,
    complaint_department_choices,
    complaint_filter,
    complaint_get_for,
    complaint_handler_choices,
    complaint_list_for,
    complaint_subject_user_choices,
)
from .complaints_services import complaint_register
from .models import SUBSTANTIATED_FINDINGS, AccountabilityRecord, Complaint

PAGE_SIZE = 50


def _messages_of(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [text for texts in exc.message_dict.values() for text in texts]
    return list(exc.messages)


def _field_errors(exc) -> dict[str, str]:
    if isinstance(exc, ValidationError) and hasattr(exc, "message_dict"):
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


def _posted(post, names) -> dict[str, str]:
    return {name: str(post.get(name, ""))[: forms.POST_LIMIT] for name in names}


# --- complaints -----------------------------------------------------------------------------


@login_required
@require_GET
def complaint_list(request):
    """投诉: the complaints the user sees, filtered by state, channel, category, department;
    an open complaint past its due date is marked overdue."""
    user = request.user
    names = ("state", "channel", "category", "department", "overdue")
    filters = {name: request.GET.get(name, "") for name in names}
    queryset = complaint_filter(complaint_list_for(user), filters)
    return render(
        request,
        "evaluation/complaint_list.html",
        {
            "page": _page(request, queryset),
            "filters": filters,
            "query": _query(filters),
            "states": Complaint.State.choices,
            "channels": Complaint.Channel.choices,
            "categories": Complaint.Category.choices,
            "departments": complaint_department_choices(user),
            "may_register": may_register(user),
        },
    )


def _register_context(request, *, posted=None) -> dict:
    user = request.user
    channels = Complaint.Channel.choices
    if not may_register(user, Complaint.Channel.HOTLINE):  # an agent: the window only
        channels = [(v, label) for v, label in channels if v == Complaint.Channel.WINDOW]
    return {
        "channels": channels,
        "categories": Complaint.Category.choices,
        "users": complaint_subject_user_choices(user),
        "departments": complaint_department_choices(user),
        "commissions": complaint_commission_choices(user)[:300],
        "posted": posted or {},
        "now": timezone.localtime(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def complaint_create(request):
    """登记投诉 (centre admin, supervisor; an agent at the window)."""
    user = request.user
    if not may_register(user):
        raise Http404("您不能登记投诉。")
    if request.method == "GET":
        posted = {"commission": request.GET.get("commission", "")}
        return render(
            request, "evaluation/complaint_form.html", _register_context(request, posted=posted)
        )
    posted = _posted(request.POST, forms.REGISTER_FIELDS)
    try:
        complaint = complaint_register(actor=user, **forms.register_data(request.POST))
    except (ActionForbidden, ValidationError) as exc:
        errors, status = _refusal(exc)
        context = _register_context(request, posted=posted)
        context.update(errors=errors, field_errors=_field_errors(exc))
        return render(request, "evaluation/complaint_form.html", context, status=status)
    messages.success(request, "投诉已登记。" + ("（补录）" if complaint.backfilled else ""))
    if complaint_get_for(user, complaint.pk) is None:  # an agent's complaint about a colleague
        return redirect("evaluation:complaint_list")
    return redirect("evaluation:complaint_detail", pk=complaint.pk)


def _complaint_or_404(request, pk) -> Complaint:
    complaint = complaint_get_for(request.user, pk)
    if complaint is None:
        raise Http404("未找到该投诉。")
    return complaint


def _complaint_context(request, complaint, *, posted=None, errors=None) -> dict:
    user = request.user
    offered = COMPLAINTS.offered(user, complaint)
    assign = any(a.slug == lifecycle.ASSIGN for a in offered)
    return {
        "complaint": complaint,
        "actions": [(a, COMPLAINTS.label(a.slug)) for a in offered],
        "handlers": complaint_handler_choices(complaint) if assign else [],
        "findings": Complaint.Finding.choices,
        "events": [
            (e, lifecycle.EVENT_LABELS.get(e.action, e.action)) for e in complaint.events.all()
        ],
        "records": complaint.visible_records,
        "may_notice": may_create_record(user)
        and complaint.state == lifecycle.CLOSED
        and complaint.finding in SUBSTANTIATED_FINDINGS,
        "posted": posted or {},
        "posted_action": (posted or {}).get("_action", ""),
        "action_errors": errors or [],
    }


@login_required
@require_GET
def complaint_detail(request, pk: int):
    complaint = _complaint_or_404(request, pk)
    return render(
        request, "evaluation/complaint_detail.html", _complaint_context(request, complaint)
    )


@login_required
@require_POST
def complaint_action(request, pk: int, action: str):
    complaint = _complaint_or_404(request, pk)
    if action not in COMPLAINTS.by_slug:
        raise Http404("没有这种操作。")
    post = request.POST
    try:
        done = COMPLAINTS.run(
            action, obj=complaint, user=request.user, data=forms.action_data(post)
        )
    except (StaleVersionError, ActionForbidden, ValidationError) as exc:
        errors, status = _refusal(exc)
        posted = _posted(post, ("handler", "note", "handling", "finding", "result"))
        posted["_action"] = action
        context = _complaint_context(
            request, _complaint_or_404(request, pk), posted=posted, errors=errors
        )
        return render(request, "evaluation/complaint_detail.html", context, status=status)
    messages.success(request, done)
    return redirect("evaluation:complaint_detail", pk=complaint.pk)


# --- accountability -------------------------------------------------------------------------


def _years() -> list[int]:
    this = timezone.localdate().year
    return list(range(this, this - 6, -1))


@login_required
@require_GET
def accountability_list(request):
    """问责记录: per person and per department (the counts), then the records; filters
    ?department=&user=&year= (and kind, source)."""
    user = request.user
    names = ("department", "user", "year", "kind", "source")
    filters = {name: request.GET.get(name, "") for name in names}
    queryset = accountability_filter(accountability_list_for(user), filters)
    return render(
        request,
        "evaluation/accountability_list.html",
        {
            "page": _page(request, queryset),
            "summary": accountability_summary(queryset),
            "filters": filters,
            "query": _query(filters),
            "kinds": AccountabilityRecord.Kind.choices,
            "sources": AccountabilityRecord.Source.choices,
            "years": _years(),
            "departments": complaint_department_choices(user),
            "may_create": may_create_record(user),
        },
    )


def _record_context(request, *, posted=None) -> dict:
    user = request.user
    return {
        "kinds": AccountabilityRecord.Kind.choices,
        "sources": AccountabilityRecord.Source.choices,
        "categories": Complaint.Category.choices,
        "complaints": accountability_complaint_choices(user)[:300],
        "users": complaint_subject_user_choices(user),
        "departments": complaint_department_choices(user),
        "posted": posted or {},
        "today": timezone.localdate(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def accountability_create(request):
    """作出问责 (a supervisor): a violation record or a notice of criticism."""
    user = request.user
    if not may_create_record(user):
        raise Http404("只有督查人员可以作出问责记录。")
    if request.method == "GET":
        complaint = request.GET.get("complaint", "")
        posted = {
            "complaint": complaint,
            "source": "complaint" if complaint else "supervision",
            "kind": request.GET.get("kind", "criticism"),
        }
        return render(
            request, "evaluation/accountability_form.html", _record_context(request, posted=posted)
        )
    posted = _posted(request.POST, forms.RECORD_FIELDS)
    try:
        record = accountability_record_create(actor=user, **forms.record_data(request.POST))
    except (ActionForbidden, ValidationError) as exc:
        errors, status = _refusal(exc)
        context = _record_context(request, posted=posted)
        context.update(errors=errors, field_errors=_field_errors(exc))
        return render(request, "evaluation/accountability_form.html", context, status=status)
    messages.success(request, f"{record.get_kind_display()}已记录。")
    return redirect("evaluation:accountability_detail", pk=record.pk)


def _record_or_404(request, pk) -> AccountabilityRecord:
    record = accountability_get_for(request.user, pk)
    if record is None:
        raise Http404("未找到该问责记录。")
    return record


@login_required
@require_GET
def accountability_detail(request, pk: int):
    record = _record_or_404(request, pk)
    complaint = None
    if record.complaint_id:
        complaint = complaint_get_for(request.user, record.complaint_id)
    return render(
        request,
        "evaluation/accountability_detail.html",
        {
            "record": record,
            "complaint": complaint,
            "document": record.kind == AccountabilityRecord.Kind.CRITICISM,
        },
    )


@login_required
@require_GET
def accountability_download(request, pk: int):
    """The notice of criticism as a Word document."""
    record = _record_or_404(request, pk)
    try:
        filename, content = criticism_notice_document(record)
    except DocumentUnavailable as exc:
        messages.error(request, exc.message)
        return redirect("evaluation:accountability_detail", pk=record.pk)
    response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
