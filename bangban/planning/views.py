"""Plan pages: the public preview (no login) and the plan of a commission, each with its
Gantt chart, one-time notice (page and Word) and application schedule (Excel)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bangban.common.exceptions import version_from
from bangban.planning.actions import ACTIONS, BY_SLUG, plan_action_run, plan_may
from bangban.planning.catalog import CatalogUnavailable
from bangban.planning.compute import PlanInputError, plan_compute
from bangban.planning.exports import (
    DOCX_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    commission_notice_file,
    commission_schedule_file,
    notice_docx,
    schedule_xlsx,
)
from bangban.planning.forms import PlanPreviewForm
from bangban.planning.gantt import GANTT_JS, PLOTLY_JS, gantt_html
from bangban.planning.messages import ACTION_MESSAGES, MESSAGES
from bangban.planning.notice import notice_build
from bangban.planning.promises import government_time
from bangban.planning.selectors import commission_plan_get_for
from bangban.projects.exceptions import ActionForbidden, StaleVersionError
from bangban.projects.selectors import commission_can_act

PAGE = "planning/preview.html"
PARTIAL = "planning/_preview.html"


def _bound_form(request) -> PlanPreviewForm | None:
    if request.method == "POST":
        return PlanPreviewForm(request.POST)
    if "start_date" in request.GET:
        return PlanPreviewForm(request.GET)
    return None


def _plan(form: PlanPreviewForm):
    """The plan of a bound form, or None with the problems added to the form."""
    if not form.is_valid():
        return None
    try:
        region = form.cleaned_data.get("region")
        return plan_compute(
            attributes=form.attributes(),
            start_date=form.cleaned_data["start_date"],
            region_path=region.path if region is not None else None,
        )
    except PlanInputError as error:
        for name, message in error.attribute_errors.items():
            form.add_error(name if name in form.fields else None, message)
        if error.start_date_error:
            form.add_error("start_date", error.start_date_error)
    except CatalogUnavailable as error:
        form.add_error(None, str(error))
    return None


def _page(request, form: PlanPreviewForm, context: dict, status: int = 200) -> HttpResponse:
    template = PARTIAL if request.htmx else PAGE
    context = {"form": form, "plotly_js": PLOTLY_JS, "gantt_js": GANTT_JS, **context}
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
def plan_preview(request):
    form = _bound_form(request)
    if form is None:
        return _page(request, PlanPreviewForm(), {})
    plan = _plan(form)
    if plan is None:
        return _page(request, form, {}, status=400 if not request.htmx else 200)
    context = {
        "plan": plan,
        "gtime": government_time(plan, form.cleaned_data.get("region")),
        "notice": notice_build(plan.items),
        "gantt": gantt_html(plan),
        "query": form.query_string(),
        "project_name": form.cleaned_data.get("project_name", ""),
    }
    return _page(request, form, context)


def _download(request, build) -> HttpResponse:
    form = PlanPreviewForm(request.GET)
    plan = _plan(form)
    if plan is None:
        return _page(request, form, {}, status=400)
    return build(form, plan)


@require_GET
def plan_preview_notice(request):
    def build(form, plan):
        content = notice_docx(
            notice_build(plan.items),
            issued_on=timezone.localdate(),
            item_count=len(plan.items),
            project_name=form.cleaned_data.get("project_name", ""),
            enterprise_name=form.cleaned_data.get("enterprise_name", ""),
            items=plan.items,
            gtime=government_time(plan, form.cleaned_data.get("region")),
        )
        response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, "一次性告知单.docx")
        return response

    return _download(request, build)


@require_GET
def plan_preview_schedule(request):
    def build(form, plan):
        content = schedule_xlsx(plan, project_name=form.cleaned_data.get("project_name", ""))
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, "申报计划.xlsx")
        return response

    return _download(request, build)


# --- the plan of a commission (login; scoped by the commission selectors) -----------------

COMMISSION_PAGE = "planning/commission_plan.html"


def _commission_plan(request, pk):
    found = commission_plan_get_for(request.user, pk)
    if found is None:
        raise Http404("未找到该委托。")
    return found


@login_required
@require_GET
def commission_plan(request, pk: int):
    found = _commission_plan(request, pk)
    context = {
        "found": found,
        "commission": found.commission,
        "project": found.commission.project,
        "plan": found.outcome,
        "plotly_js": PLOTLY_JS,
        "gantt_js": GANTT_JS,
        # The buttons and forms offered: {slug: bool} from the action table.
        "may": {action.slug: plan_may(request.user, found, action.slug) for action in ACTIONS},
    }
    if found.outcome is not None:
        context["gantt"] = gantt_html(found.outcome)
        context["notice"] = notice_build(found.outcome.items)
        context["gtime"] = government_time(found.outcome, found.commission.project.region)
    return render(request, COMMISSION_PAGE, context)


@login_required
@require_GET
def commission_plan_notice(request, pk: int):
    found = _commission_plan(request, pk)
    if found.outcome is None:
        raise Http404(MESSAGES["no_plan"])
    context = {
        "commission": found.commission,
        "project": found.commission.project,
        "plan": found.outcome,
        "notice": notice_build(found.outcome.items),
        "gtime": government_time(found.outcome, found.commission.project.region),
    }
    return render(request, "planning/commission_notice.html", context)


def _file(found, build, content_type) -> HttpResponse:
    if found.outcome is None:
        raise Http404(MESSAGES["no_plan"])
    filename, content = build(found)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
@require_GET
def commission_plan_notice_docx(request, pk: int):
    return _file(_commission_plan(request, pk), commission_notice_file, DOCX_CONTENT_TYPE)


@login_required
@require_GET
def commission_plan_schedule_xlsx(request, pk: int):
    return _file(_commission_plan(request, pk), commission_schedule_file, XLSX_CONTENT_TYPE)


@login_required
@require_POST
def commission_plan_action(request, pk: int, action: str):
    found = _commission_plan(request, pk)
    page = reverse("planning:commission_plan", args=[found.commission.pk])
    row = BY_SLUG.get(action)
    if row is None:
        raise Http404(ACTION_MESSAGES["unknown_action"])
    if not commission_can_act(request.user):
        messages.error(request, ACTION_MESSAGES["read_only"])
        return redirect(page)
    if row.commission_version and version_from(request.POST.get("version")) is None:
        messages.error(request, ACTION_MESSAGES["no_version"])
        return redirect(page)
    try:
        done = plan_action_run(action, found=found, user=request.user, data=request.POST)
    except StaleVersionError as exc:
        messages.error(request, exc.message)
    except ActionForbidden as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect(page + row.anchor)
