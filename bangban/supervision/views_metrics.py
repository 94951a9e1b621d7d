"""Pages of the metrics (SPEC §7) and of the planner's accuracy. Thin: parse the period, the
dimension and the region, read through :mod:`bangban.supervision.metrics` (scoped by
:mod:`bangban.supervision.selectors`), render.

* 统计指标 (``supervision:metrics``): choose a period (month, quarter, year, custom) and a
  dimension; one row per group with each rate and, beside it, the share of its events
  entered after the fact (补录); every count links to the records behind it.
* 指标明细 (``supervision:metric_records``): the cases, ratings, commissions or consultations
  behind one count of one row — the same filters as the count.
* 方案准确度 (``supervision:planner_accuracy``): per catalog item and rule, how often agents
  removed it from or added it to the automatic drafts.

Only the metrics' readers (centre admin, supervisor, leader of a region; a platform
operator) open them; anyone else gets 404, like another party's object, and so does a region
outside the reader's subtree. A malformed period or dimension shows the page with the
message, answering 400.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from bangban.cases.selectors import warning_annotation
from bangban.organization.models import Region

from . import metrics
from .selectors import may_read_metrics, metric_region_get_for, metric_regions_for

PAGE_SIZE = 50
#: The levels a reader narrows the metrics to (villages are too small to compare).
REGION_LEVELS = (
    Region.Level.REGION,
    Region.Level.CITY,
    Region.Level.COUNTY,
    Region.Level.ZONE,
    Region.Level.TOWN,
)

#: The table's columns: (count or rate field, header, back-filled share field, drill metric).
COLUMNS = (
    ("accepted", "受理", None, "accepted"),
    ("accepted_completed", "其中期末前办结", None, "accepted_completed"),
    ("completion_rate", "办结率", "backfilled_completion", None),
    ("completed", "办结", None, "completed"),
    ("completed_on_time", "按承诺时限办结", None, "completed_on_time"),
    ("promise_kept_rate", "承诺兑现率", "backfilled_promise", None),
    ("overdue_open", "超期未办结", "backfilled_overdue", "overdue_open"),
    ("avg_working_days", "平均用时（工作日）", "backfilled_promise", None),
    ("speedup", "提速率", "backfilled_promise", None),
    ("ratings", "评价", None, "ratings"),
    ("satisfied", "满意", None, "satisfied"),
    ("satisfaction_share", "满意率", "backfilled_ratings", None),
    ("commissions_completed", "办结委托", None, "commissions_completed"),
    ("visited", "已回访", None, "visited"),
    ("follow_up_coverage", "回访率", "backfilled_visits", None),
    ("consultations", "咨询", None, "consultations"),
)
RATES = frozenset(
    {"completion_rate", "promise_kept_rate", "speedup", "satisfaction_share", "follow_up_coverage"}
)


def _reader_or_404(request) -> None:
    if not may_read_metrics(request.user):
        raise Http404("只有中心管理员、督查人员和管委会领导可以查看统计指标。")


def _region(request) -> Region | None:
    given = request.GET.get("region") or ""
    if not given:
        return None
    region = metric_region_get_for(request.user, given)
    if region is None:
        raise Http404("未找到该区划。")
    return region


def period_from(params, today: dt.date) -> tuple[metrics.Period, str]:
    """(period, error) from the form (``kind`` with ``month`` / ``quarter`` / ``year`` /
    ``start`` and ``end``) or from a token (``period=2026-10``); the current month with
    the message when the input is malformed."""
    kind = params.get("kind") or ""
    try:
        if kind == "month":
            return metrics.Period.parse(params.get("month") or ""), ""
        if kind == "quarter":
            return metrics.Period.parse(params.get("quarter") or ""), ""
        if kind == "year":
            return metrics.Period.parse(params.get("year") or ""), ""
        if kind == "custom":
            start, end = params.get("start") or "", params.get("end") or ""
            if not start or not end:
                raise ValueError("自定义期间请填写开始和结束日期。")
            return metrics.Period.parse(f"{start}~{end}"), ""
        if kind:
            raise ValueError("未知的期间类型。")
        if params.get("period"):
            return metrics.Period.parse(params["period"]), ""
    except ValueError as exc:
        return metrics.Period.current_month(today), str(exc)
    return metrics.Period.current_month(today), ""


def _by(params) -> tuple[str | None, str]:
    by = params.get("by") or ""
    if not by:
        return None, ""
    if by not in metrics.DIMENSIONS:
        return None, "未知的统计维度。"
    return by, ""


def _quarters(today: dt.date) -> list[tuple[str, str]]:
    return [
        (f"{year}-Q{q}", f"{year}年第{q}季度")
        for year in range(today.year, today.year - 5, -1)
        for q in (4, 3, 2, 1)
        if dt.date(year, 3 * (q - 1) + 1, 1) <= today
    ]


def _form_context(request, period: metrics.Period, today: dt.date) -> dict:
    return {
        "period": period,
        "kind": period.kind,
        "kinds": metrics.PERIOD_KINDS.items(),
        "quarters": _quarters(today),
        "region_choices": metric_regions_for(request.user)
        .filter(level__in=REGION_LEVELS)
        .order_by("path"),
    }


def _query(**params) -> str:
    return urlencode({key: value for key, value in params.items() if value not in (None, "")})


def _key_text(key) -> str:
    return "none" if key is None else str(key)


def _cells(row: metrics.MetricRow, base: dict) -> list[dict]:
    """The row's cells: value, whether a rate, its back-filled share, the drill-down link."""
    cells = []
    for field, _, backfilled, drill in COLUMNS:
        value = getattr(row, field)
        link = ""
        if drill and value:
            link = _query(**base, metric=drill, key=_key_text(row.key))
        share = getattr(row, backfilled) if backfilled else None
        cells.append(
            {
                "field": field,
                "value": value,
                "text": show(value, rate=field in RATES),
                "backfilled": share,
                "backfilled_text": show(share, rate=True) if share else "",
                "link": link,
            }
        )
    return cells


def show(value, *, rate: bool = False) -> str:
    """A figure as the table prints it: a rate as a percentage with one decimal, a mean with
    one decimal, a count as is, "—" when there is nothing to divide by."""
    if value is None:
        return "—"
    if rate:
        return f"{value * 100:.1f}%"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


@login_required
@require_GET
def metrics_page(request):
    """统计指标: the metrics of a period, by a dimension."""
    _reader_or_404(request)
    today = timezone.localdate()
    period, error = period_from(request.GET, today)
    by, by_error = _by(request.GET)
    region = _region(request)
    rows = metrics.metric_rows(request.user, period, by, region=region)
    total = rows[0] if by is None else metrics.metric_total(request.user, period, region=region)
    base = {"period": period.token, "by": by or "", "region": region.pk if region else ""}
    context = {
        **_form_context(request, period, today),
        "by": by or "",
        "dimensions": metrics.DIMENSIONS.items(),
        "dimension_label": metrics.DIMENSIONS.get(by, "合计") if by else "合计",
        "region": region,
        "error": error or by_error,
        "columns": [(header, backfilled) for _, header, backfilled, _ in COLUMNS],
        "rows": [(row, _cells(row, base)) for row in rows] if by else [],
        "total": (total, _cells(total, {**base, "by": ""})),
        "as_of": period.as_of(today),
        "over": period.is_over(today),
    }
    return render(
        request, "supervision/metrics.html", context, status=400 if context["error"] else 200
    )


def _group_label(request, period, by, key, region) -> str:
    if by is None:
        return "合计"
    for row in metrics.metric_rows(request.user, period, by, region=region):
        if row.key == key:
            return row.label
    return metrics.NONE_LABELS[by] if key is None else str(key)


@login_required
@require_GET
def metric_records_page(request):
    """指标明细: the records behind one count of one row."""
    _reader_or_404(request)
    today = timezone.localdate()
    period, error = period_from(request.GET, today)
    by, by_error = _by(request.GET)
    metric = request.GET.get("metric") or ""
    source = metrics.metric_source(metric)
    if error or by_error or source is None:
        raise Http404(error or by_error or "未知的指标。")
    try:
        key = metrics.parse_key(by, request.GET.get("key"))
    except ValueError:
        raise Http404("分组标识无效。") from None
    region = _region(request)
    queryset = metrics.metric_records(request.user, period, metric, by, key, region=region)
    if source == "case":
        queryset = queryset.select_related(
            "item",
            "department",
            "commission",
            "commission__project",
            "commission__project__enterprise",
        ).annotate(warning=warning_annotation(today))
        queryset = queryset.order_by("due_date", "id")
    elif source == "rating":
        queryset = queryset.select_related(
            "commission", "commission__project", "case", "case__item"
        ).order_by("-rated_at", "-id")
    elif source == "commission":
        queryset = queryset.select_related("project", "agent", "lead_department").order_by(
            "-completed_at", "-id"
        )
    else:
        queryset = queryset.select_related("region", "recorded_by").order_by("-recorded_at", "-id")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = _query(
        period=period.token,
        by=by or "",
        key=_key_text(key) if by else "",
        metric=metric,
        region=region.pk if region else "",
    )
    return render(
        request,
        "supervision/metric_records.html",
        {
            "period": period,
            "metric": metric,
            "metric_label": metrics.DRILL_METRICS[metric],
            "source": source,
            "dimension_label": metrics.DIMENSIONS.get(by, "") if by else "",
            "group_label": _group_label(request, period, by, key, region),
            "region": region,
            "page": page,
            "query": query,
            "back": _query(period=period.token, by=by or "", region=region.pk if region else ""),
            "as_of": period.as_of(today),
        },
    )


@login_required
@require_GET
def planner_accuracy_page(request):
    """方案准确度: per catalog item and rule, the agents' corrections of the drafts."""
    _reader_or_404(request)
    today = timezone.localdate()
    period, error = period_from(request.GET, today)
    region = _region(request)
    rows = metrics.planner_accuracy(request.user, period, region=region)
    plans = metrics.accuracy_plans(request.user, period, region=region).count()
    return render(
        request,
        "supervision/planner_accuracy.html",
        {
            **_form_context(request, period, today),
            "region": region,
            "error": error,
            "rows": rows,
            "plans": plans,
        },
        status=400 if error else 200,
    )
