"""Public plan preview (no login): the form, the plan, and its Word and Excel downloads."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from bangban.planning.exports import (
    DOCX_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    notice_docx,
    schedule_xlsx,
)
from bangban.planning.forms import PlanPreviewForm
from bangban.planning.gantt import PLOTLY_JS, gantt_html
from bangban.planning.notice import notice_build
from bangban.planning.selectors import CatalogUnavailable, PlanInputError, plan_compute

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
        return plan_compute(
            attributes=form.attributes(), start_date=form.cleaned_data["start_date"]
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
    context = {"form": form, "plotly_js": PLOTLY_JS, **context}
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
