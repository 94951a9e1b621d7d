"""Pages of the monthly report and the annual evaluation. Thin: parse the month or year and
the region, read through ``reports`` / ``annual`` (scoped like the metrics), write through
the report action table (``services.report_action_run``), print the shared layout.

Only the metrics' readers (centre admin, supervisor, leader of a region; a platform
operator) open them; anyone else gets 404, like another party's object. A region outside the
reader's subtree is 404 too. A refused action shows the page again with the message,
answering 400 (bad input, illegal step), 403 (not the party) or 409 (stale version).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_GET, require_POST

from bangban.common.exceptions import ActionForbidden, StaleVersionError, version_from
from bangban.organization.models import Region

from . import annual, exports, reports, services
from .models import MonthlyReport
from .selectors import may_read_metrics, metric_region_get_for, metric_regions_for

PAGE_SIZE = 50
#: The levels a reader picks a report's region from (towns and villages report upwards).
REGION_LEVELS = (
    Region.Level.REGION,
    Region.Level.CITY,
    Region.Level.COUNTY,
    Region.Level.ZONE,
)


def _reader_or_404(request) -> None:
    if not may_read_metrics(request.user):
        raise Http404("只有中心管理员、督查人员和管委会领导可以查看报表。")


def _region(request) -> Region | None:
    """The region asked for (``?region=<id>``, within the reader's subtree), else the
    reader's own region (None for a platform operator: the whole platform)."""
    given = request.GET.get("region") or request.POST.get("region") or ""
    if given:
        region = metric_region_get_for(request.user, given)
        if region is None:
            raise Http404("未找到该区划。")
        return region
    return request.user.region if request.user.region_id else None


def _region_choices(user):
    return metric_regions_for(user).filter(level__in=REGION_LEVELS).order_by("path")


def _period_or_404(month: str):
    period = reports.parse_month(month)
    if period is None:
        raise Http404("月份格式应为 YYYY-MM。")
    return period


def _query(**params) -> str:
    given = {key: value for key, value in params.items() if value not in (None, "")}
    return f"?{urlencode(given)}" if given else ""


# --- the list ------------------------------------------------------------------------------------


@login_required
@require_GET
def monthly_report_list(request):
    """月度报表: the stored reports of the reader's subtree; choosing a month opens it."""
    _reader_or_404(request)
    chosen = request.GET.get("month", "")
    if chosen:
        period = reports.parse_month(chosen)
        if period is not None:
            url = reverse("supervision:monthly_report", args=[reports.month_key(period)])
            return redirect(url + _query(region=request.GET.get("region", "")))
        messages.error(request, "请选择要查看的月份（格式 YYYY-MM）。")
    queryset = reports.monthly_report_list_for(request.user)
    state = request.GET.get("state", "")
    if state in MonthlyReport.State.values:
        queryset = queryset.filter(state=state)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    last = reports.previous_month(timezone.localdate())
    return render(
        request,
        "supervision/report_list.html",
        {
            "page": page,
            "rows": [(report, reports.month_key_of(report.month)) for report in page],
            "state": state,
            "states": MonthlyReport.State.choices,
            "regions": _region_choices(request.user),
            "default_month": reports.month_key(last),
            "today": timezone.localdate(),
        },
    )


# --- one month -----------------------------------------------------------------------------------


def _month_context(request, period, region, *, source: str) -> dict:
    user = request.user
    report = reports.monthly_report_get_for(user, region=region, period=period)
    use_stored = report is not None and source != "live"
    figures = report.figures if use_stored else reports.monthly_figures(user, period, region=region)
    region_id = region.pk if region is not None and region.pk != user.region_id else ""
    live = "live" if (report is not None and not use_stored) else ""
    actions = (
        services.report_allowed_actions(user, region=region, period=period, report=report)
        if region is not None
        else []
    )
    return {
        "period": period,
        "month": reports.month_key(period),
        "region": region,
        "region_param": region_id,
        "regions": _region_choices(user),
        "report": report,
        "use_stored": use_stored,
        "figures": figures,
        "computed_at": dt.datetime.fromisoformat(figures["computed_at"]),
        "sections": reports.monthly_layout(figures),
        "actions": actions,
        "query": _query(region=region_id, source=live),
        "is_over": period.is_over(),
        "previous": reports.month_key(reports.previous_month(period.start)),
        "next": reports.month_key(reports.next_month(period)),
    }


def _source(request) -> str:
    return "live" if request.GET.get("source") == "live" else "stored"


@login_required
@require_GET
def monthly_report(request, month: str):
    """One month's report: the stored snapshot of a prepared report (with 审核 for
    supervisors), or the figures of any month computed on demand."""
    _reader_or_404(request)
    period = _period_or_404(month)
    region = _region(request)
    context = _month_context(request, period, region, source=_source(request))
    return render(request, "supervision/report_month.html", context)


def _figures_for_download(request, month: str):
    _reader_or_404(request)
    period = _period_or_404(month)
    region = _region(request)
    context = _month_context(request, period, region, source=_source(request))
    report = context["report"] if context["use_stored"] else None
    return context["figures"], region, report


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
@require_GET
def monthly_report_xlsx(request, month: str):
    figures, _, report = _figures_for_download(request, month)
    content = exports.monthly_workbook(figures, status=exports.report_status(report))
    return _download(content, exports.monthly_filename(figures, "xlsx"), exports.XLSX_CONTENT_TYPE)


@login_required
@require_GET
def monthly_report_docx(request, month: str):
    figures, region, report = _figures_for_download(request, month)
    prepared_by = str(report.prepared_by) if report is not None and report.prepared_by else ""
    try:
        content = exports.monthly_document(
            figures,
            centre=exports.centre_name(region),
            status=exports.report_status(report),
            prepared_by=prepared_by,
        )
    except exports.DocumentUnavailable as exc:
        messages.error(request, exc.message)
        return redirect(reverse("supervision:monthly_report", args=[month]))
    return _download(content, exports.monthly_filename(figures, "docx"), exports.DOCX_CONTENT_TYPE)


def _refusal(exc) -> tuple[list[str], int]:
    if isinstance(exc, StaleVersionError):
        return [exc.message], 409
    if isinstance(exc, ActionForbidden):
        return [exc.message], 403
    if hasattr(exc, "message_dict"):
        return [text for texts in exc.message_dict.values() for text in texts], 400
    return list(exc.messages), 400


@login_required
@require_POST
def monthly_report_action(request, month: str, action: str):
    """生成月报 / 审核 (``services.REPORT_ACTIONS``), back to the month's page."""
    _reader_or_404(request)
    if action not in services.REPORT_ACTIONS:
        raise Http404("没有这种操作。")
    period = _period_or_404(month)
    region = _region(request)
    if region is None:
        raise Http404("请先选择区划。")
    report = reports.monthly_report_get_for(request.user, region=region, period=period)
    note = request.POST.get("note", "")
    try:
        _, done = services.report_action_run(
            action,
            user=request.user,
            region=region,
            period=period,
            report=report,
            expected_version=version_from(request.POST.get("version")),
            note=note,
        )
    except (ValidationError, ActionForbidden, StaleVersionError) as exc:
        errors, status = _refusal(exc)
        context = _month_context(request, period, region, source="stored")
        context.update(action_errors=errors, posted_note=note if status != 409 else "")
        return render(request, "supervision/report_month.html", context, status=status)
    messages.success(request, done)
    region_param = region.pk if region.pk != request.user.region_id else ""
    return redirect(
        reverse("supervision:monthly_report", args=[month]) + _query(region=region_param)
    )


# --- the annual evaluation ----------------------------------------------------------------------


@login_required
@require_GET
def annual_evaluation_index(request):
    """The evaluation of the year asked for (``?year=``), else of last year."""
    _reader_or_404(request)
    year = request.GET.get("year", "")
    if not (year.isdigit() and 2000 <= int(year) <= 2100):
        year = str(timezone.localdate().year - 1)
    url = reverse("supervision:annual_evaluation", args=[int(year)])
    return redirect(url + _query(region=request.GET.get("region", "")))


def _evaluation(request, year: int):
    _reader_or_404(request)
    if not 2000 <= year <= 2100:
        raise Http404("年度应在 2000 年至 2100 年之间。")
    region = _region(request)
    return annual.annual_evaluation(request.user, year, region=region), region


@login_required
@require_GET
def annual_evaluation(request, year: int):
    """年度综合评价: both tracks, per department, agent and errand company."""
    evaluation, region = _evaluation(request, year)
    region_id = region.pk if region is not None and region.pk != request.user.region_id else ""
    return render(
        request,
        "supervision/evaluation_year.html",
        {
            "year": year,
            "evaluation": evaluation,
            "sections": annual.evaluation_layout(evaluation),
            "region": region,
            "region_param": region_id,
            "regions": _region_choices(request.user),
            "query": _query(region=region_id),
            "this_year": timezone.localdate().year,
        },
    )


@login_required
@require_GET
def annual_evaluation_xlsx(request, year: int):
    evaluation, _ = _evaluation(request, year)
    return _download(
        exports.evaluation_workbook(evaluation),
        exports.evaluation_filename(evaluation, "xlsx"),
        exports.XLSX_CONTENT_TYPE,
    )


@login_required
@require_GET
def annual_evaluation_docx(request, year: int):
    evaluation, region = _evaluation(request, year)
    try:
        content = exports.evaluation_document(evaluation, centre=exports.centre_name(region))
    except exports.DocumentUnavailable as exc:
        messages.error(request, exc.message)
        return redirect(reverse("supervision:annual_evaluation", args=[year]))
    return _download(
        content, exports.evaluation_filename(evaluation, "docx"), exports.DOCX_CONTENT_TYPE
    )
