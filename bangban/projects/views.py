"""Pages of intake and agreement: the enterprise portal, window entry, consultations, the
sponsor's view, the commission list and detail with the actions a role may take.

Views are thin: they check the role, fetch through the scoped selectors (another party's
object is a 404), call one service and render. Service errors come back as messages next to
the fields (forms) or at the top of the page (actions); a stale version says so.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from bangban.accounts.models import Role
from bangban.catalog.selectors import item_list_published
from bangban.common.exceptions import version_from
from bangban.documents.attachments import (
    attachment_accesses_for_commission,
    attachment_response,
)

from . import hooks, lifecycle, services
from .actions import (
    BY_SLUG,
    commission_action_run,
    commission_allowed_actions,
    commission_blocked_actions,
    commission_read_only_reason,
)
from .exceptions import ActionForbidden, StaleVersionError
from .exports import DocumentUnavailable, commission_document, documents_for
from .forms import (
    ArchiveForm,
    AssignForm,
    CompletionScanForm,
    ConfirmCompletionForm,
    ConfirmEligibilityForm,
    ConsultationForm,
    DecideForm,
    EnterpriseForm,
    ProjectForm,
    ReturnedOriginalForm,
    ScopeForm,
    SignedScanForm,
    TerminateForm,
    VerifyForm,
)
from .messages import COMPLETION_SCAN_PURPOSE, SIGNED_SCAN_PURPOSE
from .models import Commission, Enterprise
from .selectors import (
    agent_choices_for,
    agent_propose,
    commission_get_for,
    commission_list_for,
    consultation_get_for,
    consultation_list_for,
    project_list_for,
)

STAFF_ROLES = (Role.AGENT, Role.CENTRE_ADMIN)


def role_required(*roles):
    """Only users of `roles` see the page; others get a Chinese 403 page."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if request.user.role not in roles:
                return render(
                    request,
                    "projects/forbidden.html",
                    {"message": "您的角色不能使用该页面。"},
                    status=403,
                )
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _error_messages(error: ValidationError) -> list[str]:
    return list(error.messages)


# --- the application form (portal, window, consultation, sponsor) ---------------------------


def _apply_errors_to_forms(error: ValidationError, enterprise_form, project_form, scope_form):
    """Put each of the service's errors next to its field (``enterprise.x``, ``project.x``…)."""
    if not hasattr(error, "error_dict"):
        scope_form.add_error(None, error)
        return
    for key, messages_ in error.message_dict.items():
        prefix, _, name = key.partition(".")
        if name and prefix == "enterprise" and enterprise_form is not None:
            form, field = enterprise_form, name
        elif name and prefix == "project":
            form, field = project_form, name
        else:
            form, field = scope_form, key
        for message in messages_:
            form.add_error(field if field in form.fields else None, message)


def _application_page(
    request,
    *,
    mode: str,
    title: str,
    intro: str,
    enterprise_instance: Enterprise | None = None,
    initial_enterprise: dict | None = None,
    consultation=None,
):
    user = request.user
    reuse = mode != "portal"
    region_within = user.region if mode == "sponsor" else None
    data = request.POST if request.method == "POST" else None
    enterprise_form = EnterpriseForm(
        data,
        prefix="enterprise",
        instance=enterprise_instance,
        initial=initial_enterprise,
        reuse_existing=reuse,
    )
    project_form = ProjectForm(
        data,
        prefix="project",
        region_within=region_within,
        sponsor_department=user.department if mode == "sponsor" else None,
    )
    scope_form = ScopeForm(data, prefix="scope")
    if request.method == "POST":
        forms_valid = all(
            [enterprise_form.is_valid(), project_form.is_valid(), scope_form.is_valid()]
        )
        if forms_valid:
            application = {
                "enterprise_data": {
                    k: enterprise_form.cleaned_data[k] for k in services.ENTERPRISE_FIELDS
                },
                "project_data": {
                    k: project_form.cleaned_data[k]
                    for k in services.PROJECT_FIELDS
                    if k in project_form.cleaned_data
                },
                "scope": scope_form.cleaned_data["scope"],
                "scope_stages": scope_form.cleaned_data["scope_stages"],
                "scope_items": scope_form.cleaned_data["scope_items"],
                "other_needs": scope_form.cleaned_data["other_needs"],
            }
            try:
                if mode == "consultation":
                    commission = services.consultation_convert(
                        consultation=consultation, actor=user, **application
                    )
                elif mode == "sponsor":
                    commission = services.sponsor_push(sponsor_user=user, **application)
                else:
                    channel = {
                        "portal": Commission.Channel.PORTAL,
                        "window": Commission.Channel.WINDOW,
                    }[mode]
                    commission = services.commission_apply(
                        actor=user, channel=channel, **application
                    )
            except ValidationError as exc:
                _apply_errors_to_forms(exc, enterprise_form, project_form, scope_form)
            except ActionForbidden as exc:
                scope_form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    f"申请已提交（编号 {commission.number}），牵头部门："
                    f"{commission.lead_department.name}。",
                )
                return redirect("projects:commission_detail", pk=commission.pk)
        messages.error(request, "申请未提交：请按提示修改标出的内容。")
    context = {
        "title": title,
        "intro": intro,
        "mode": mode,
        "enterprise_form": enterprise_form,
        "project_form": project_form,
        "scope_form": scope_form,
        "consultation": consultation,
    }
    return render(request, "projects/application_form.html", context)


@role_required(Role.ENTERPRISE)
def portal(request):
    """企业服务台: the enterprise has one home, its workbench (``web:home``, which composes its
    to-do, commissions and projects with what the apps above this one offer: ratings, the
    ledger's materials); this address stays for links and bookmarks."""
    return redirect("web:home")


@role_required(Role.ENTERPRISE)
def portal_apply(request):
    own = Enterprise.objects.get(pk=request.user.enterprise_id)
    return _application_page(
        request,
        mode="portal",
        title="申请代办帮办服务",
        intro="代办帮办服务免费。请核对企业信息、填写项目基本信息并选择委托范围；提交后，"
        "政务服务中心将安排代办帮办员与您联系核实。",
        enterprise_instance=own,
    )


@role_required(*STAFF_ROLES)
def window_apply(request):
    return _application_page(
        request,
        mode="window",
        title="窗口登记代办帮办申请",
        intro="为到窗口申请的企业登记代办帮办申请。统一社会信用代码已登记的企业直接沿用已登记的企业信息。",
    )


@role_required(Role.SPONSOR)
def sponsor_home(request):
    projects = project_list_for(request.user)
    page = Paginator(projects, 30).get_page(request.GET.get("page"))
    return render(request, "projects/sponsor_home.html", {"page": page})


@role_required(Role.SPONSOR)
def sponsor_push_view(request):
    return _application_page(
        request,
        mode="sponsor",
        title="推送已签约项目",
        intro="“谁引入、谁牵头、谁跟踪”：推送已签约且具备办理前期手续条件的项目，系统通知牵头部门，"
        "同时抄送投资促进局、政务服务局。",
    )


# --- consultations ----------------------------------------------------------------------------


@role_required(Role.AGENT, Role.CENTRE_ADMIN, Role.SUPERVISOR, Role.LEADER)
def consultation_list(request):
    user = request.user
    may_record = user.role in services.CONSULTATION_ROLES
    form = ConsultationForm(request.POST or None, prefix="c") if may_record else None
    if request.method == "POST":
        if not may_record:
            return render(
                request,
                "projects/forbidden.html",
                {"message": "您的角色不能登记咨询。"},
                status=403,
            )
        if form.is_valid():
            try:
                services.consultation_record(actor=user, **form.cleaned_data)
            except ValidationError as exc:
                for key, msgs in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
                    for message in msgs:
                        form.add_error(key if key in form.fields else None, message)
            else:
                messages.success(request, "咨询已登记。")
                return redirect("projects:consultation_list")
    page = Paginator(consultation_list_for(user), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/consultation_list.html",
        {"form": form, "page": page, "may_record": may_record},
    )


def _consultation_initial(consultation) -> dict:
    """The enterprise part of the form as the consultation left it: name, region and the
    contact person and phone (read from 「联系人及电话」)."""
    contact_name, contact_phone = consultation.contact_parts()
    return {
        "name": consultation.enterprise_name,
        "region": consultation.region,
        "contact_name": contact_name,
        "contact_mobile": contact_phone,
    }


@role_required(*STAFF_ROLES)
def consultation_convert_view(request, pk: int):
    consultation = consultation_get_for(request.user, pk)
    if consultation is None:
        raise Http404("未找到该咨询。")
    if consultation.converted_commission_id:
        messages.info(request, "该咨询已转为代办委托。")
        return redirect("projects:commission_detail", pk=consultation.converted_commission_id)
    return _application_page(
        request,
        mode="consultation",
        title="咨询转代办申请",
        intro=f"由咨询“{consultation.topic}”（{consultation.get_channel_display()}）转为代办帮办申请。",
        initial_enterprise=_consultation_initial(consultation),
        consultation=consultation,
    )


# --- commissions ------------------------------------------------------------------------------


@login_required
def commission_list(request):
    queryset = commission_list_for(request.user)
    state = request.GET.get("state", "")
    if state in lifecycle.STATE_LABELS:
        queryset = queryset.filter(state=state)
    page = Paginator(queryset, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/commission_list.html",
        {"page": page, "state": state, "states": lifecycle.STATE_LABELS.items()},
    )


def _get_commission(request, pk) -> Commission:
    commission = commission_get_for(request.user, pk)
    if commission is None:
        raise Http404("未找到该委托。")
    return commission


def _scope_item_labels(commission: Commission) -> list[str]:
    """The items of a partial scope by name: 「建筑工程施工许可证核发（DS28）」 (one query)."""
    if not commission.scope_items:
        return []
    names = dict(
        item_list_published().filter(code__in=commission.scope_items).values_list("code", "name")
    )
    return [
        f"{names[code]}（{code}）" if code in names else code for code in commission.scope_items
    ]


def _eligibility_lines(commission: Commission) -> list[str]:
    check = services.commission_eligibility_check(commission)
    if check is not None:
        return check.explanation_lines()
    return [line for line in commission.refusal_explanation.splitlines() if line.strip()]


@login_required
def commission_detail(request, pk: int):
    commission = _get_commission(request, pk)
    user = request.user
    actions = commission_allowed_actions(user, commission)
    today = timezone.localdate()
    context = {
        "commission": commission,
        "project": commission.project,
        "enterprise": commission.project.enterprise,
        "transitions": list(commission.transitions.all()),
        "assignments": list(commission.assignments.all()),
        "eligibility_lines": _eligibility_lines(commission),
        "scope_item_labels": _scope_item_labels(commission),
        "documents": documents_for(commission),
        "actions": actions,
        "verify_form": VerifyForm(prefix="v") if "verify" in actions else None,
        "terminate_form": TerminateForm(prefix="t") if "terminate" in actions else None,
        "decide_form": DecideForm(prefix="d") if "decide" in actions else None,
        "confirm_eligibility_form": ConfirmEligibilityForm(prefix="ce")
        if "confirm-eligibility" in actions
        else None,
        "scan_form": SignedScanForm(prefix="s") if "signed-scan" in actions else None,
        "confirm_completion_form": ConfirmCompletionForm(prefix="cc")
        if "confirm-completion" in actions
        else None,
        "completion_scan_form": CompletionScanForm(prefix="cs", initial={"signed_on": today})
        if "completion-scan" in actions
        else None,
        "original_form": ReturnedOriginalForm(prefix="ro", initial={"returned_on": today})
        if "record-original" in actions
        else None,
        "archive_form": ArchiveForm(prefix="ar") if "archive" in actions else None,
        "blocked": commission_blocked_actions(user, commission),
        "returned_originals": list(commission.returned_originals.all()),
        "read_only": commission_read_only_reason(user, commission),
        "parts": hooks.page_parts(commission, user),
        "file_accesses": attachment_accesses_for_commission(commission.pk),
    }
    if "assign" in actions:
        agents = agent_choices_for(commission, user)
        context["assign_form"] = AssignForm(prefix="a", agents=agents)
        context["proposed_agent"] = agent_propose(commission)
    if user.role == Role.ENTERPRISE:
        context["termination_choices"] = [
            (Commission.TerminationReason.INVESTOR_REQUEST.value, "投资者要求")
        ]
    return render(request, "projects/commission_detail.html", context)


@require_POST
@login_required
def commission_action(request, pk: int, action: str):
    commission = _get_commission(request, pk)
    user = request.user
    version = version_from(request.POST.get("version"))
    detail = reverse("projects:commission_detail", args=[commission.pk])
    if version is None:
        messages.error(request, "缺少版本号，请刷新页面后重试。")
        return redirect(detail)
    refusal = commission_read_only_reason(user, commission)
    if refusal:
        messages.error(request, refusal)
        return redirect(detail)
    try:
        done = _run_action(request, commission, action, version)
    except StaleVersionError as exc:
        messages.error(request, exc.message)
    except ActionForbidden as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        for message in _error_messages(exc):
            messages.error(request, message)
    else:
        if done:
            messages.success(request, done)
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return redirect(detail)


#: slug → (form, prefix, what to say when it is not filled in right). The actions themselves,
#: who may take them and what they say afterwards are the table in ``actions.py``.
PAGE_FORMS = {
    "assign": (AssignForm, "a", "请选择在岗的代办帮办员。"),
    "verify": (VerifyForm, "v", "请选择建设性质。"),
    "decide": (DecideForm, "d", "请选择决定。"),
    "confirm-eligibility": (ConfirmEligibilityForm, "ce", "请写明核对依据（不超过 1000 个字）。"),
    "signed-scan": (
        SignedScanForm,
        "s",
        "请选择签字盖章扫描件（PDF、JPEG 或 PNG，不超过 10 MB）。",
    ),
    "terminate": (TerminateForm, "t", "请选择终止原因。"),
    "confirm-completion": (ConfirmCompletionForm, "cc", "意见不能超过 500 个字。"),
    "completion-scan": (
        CompletionScanForm,
        "cs",
        "请选择签字的服务办结单扫描件（PDF、JPEG 或 PNG，不超过 10 MB），"
        "填写签字日期（YYYY-MM-DD）和签字人。",
    ),
    "record-original": (
        ReturnedOriginalForm,
        "ro",
        "请填写原件名称、份数、返还日期（YYYY-MM-DD）和签收人。",
    ),
    "archive": (
        ArchiveForm,
        "ar",
        "登记返还原件须同时填写原件名称、返还日期（YYYY-MM-DD）和签收人。",
    ),
}


def _action_values(request, commission: Commission, slug: str) -> dict:
    """The cleaned values of the action's form (the actions without a form take none)."""
    if slug not in PAGE_FORMS:
        return {}
    form_class, prefix, message = PAGE_FORMS[slug]
    extra = {"agents": agent_choices_for(commission, request.user)} if slug == "assign" else {}
    form = form_class(request.POST, request.FILES, prefix=prefix, **extra)
    if not form.is_valid():
        raise ValidationError(message)
    values = dict(form.cleaned_data)
    if slug == "archive":
        values = {"originals": form.originals()}
    if slug == "assign" and request.user.role == Role.AGENT:
        values["agent"] = request.user  # an agent claims the application for itself
    return values


def _run_action(request, commission: Commission, slug: str, version: int) -> str:
    if slug not in BY_SLUG:
        raise Http404("没有这种操作。")
    values = _action_values(request, commission, slug)
    return commission_action_run(
        slug, commission=commission, user=request.user, version=version, data=values
    )


@login_required
def commission_document_view(request, pk: int, kind: str):
    commission = _get_commission(request, pk)
    try:
        filename, content = commission_document(commission, kind)
    except DocumentUnavailable as exc:
        messages.error(request, exc.message)
        return redirect("projects:commission_detail", pk=commission.pk)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def commission_completion_scan_view(request, pk: int):
    """The scan of the completion slip signed on paper, for whoever may see the commission
    (the same scoped selector as its documents; another party's commission is a 404)."""
    commission = _get_commission(request, pk)
    if commission.completion_scan_id is None:
        raise Http404("该委托没有纸质确认的扫描件。")
    return attachment_response(
        request,
        commission.completion_scan,
        commission_pk=commission.pk,
        subject=COMPLETION_SCAN_PURPOSE,
    )


@login_required
def commission_signed_scan_view(request, pk: int):
    """The scan of the two letters signed and sealed on paper (same scoping, recorded read)."""
    commission = _get_commission(request, pk)
    if commission.signed_scan_id is None:
        raise Http404("该委托没有签字盖章扫描件。")
    return attachment_response(
        request, commission.signed_scan, commission_pk=commission.pk, subject=SIGNED_SCAN_PURPOSE
    )
