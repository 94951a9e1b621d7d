"""The monthly report's figures (Baotou: 每月15日前报送咨询、办理、办结等进展情况; SPEC §7).

ONE figures structure, :func:`monthly_figures`, a plain JSON-able dict; a prepared report
stores it as its snapshot (``MonthlyReport.figures``). ONE layout, :func:`monthly_layout`,
turns figures into sections of tables of typed cells; the page, the workbook and the Word
document all print that layout, each cell through :meth:`Cell.text` (the page and the
document) or its raw value with a number format (the workbook). So the three always show the
same numbers (tests/supervision/test_reports_files.py reads them back and compares).

The figures, for a month and a region subtree, as the reading user may see them:

- consultations (咨询量) recorded in the month;
- cases per department (办件所在审批部门): accepted and completed in the month, completion
  rate, completed within the promised limit and the promise-kept rate, overdue open cases at
  the month's end (today for the running month) — from :mod:`bangban.supervision.metrics`,
  with a total row;
- ratings by the five levels given in the month and the satisfaction share
  ((非常满意+满意) / ratings);
- complaints received in the month by category, closed in the month and of those the
  substantiated (属实、部分属实);
- rectifications opened and closed in the month, still open and overdue at the month's end;
- follow-up coverage of the commissions completed in the month.

Everything is counted in the database (aggregates), a constant number of queries.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from bangban.common import scoping
from bangban.evaluation.models import Complaint, Level, Rectification
from bangban.organization.models import Region

from .metrics import Period, metric_rows
from .models import MonthlyReport
from .selectors import may_read_metrics, scoped_ratings

#: The figures' layout version (a stored snapshot keeps the version it was made with).
FIGURES_VERSION = 1
SUBSTANTIATED = (Complaint.Finding.SUBSTANTIATED, Complaint.Finding.PARTLY)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


# --- periods ----------------------------------------------------------------------------------


def parse_month(text: str) -> Period | None:
    """``"2026-10"`` → the month's period; None for anything else (a page answers 404)."""
    found = _MONTH.match(str(text or ""))
    if not found:
        return None
    year, month = int(found[1]), int(found[2])
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return Period.month(year, month)


def month_key(period: Period) -> str:
    return f"{period.start:%Y-%m}"


def month_label(period: Period) -> str:
    return period.label


def due_date_of(month_start: dt.date) -> dt.date:
    """The report of a month is due on the 15th of the next month (Baotou)."""
    days = calendar.monthrange(month_start.year, month_start.month)[1]
    following = month_start.replace(day=1) + dt.timedelta(days=days)
    return following.replace(day=15)


def previous_month(today: dt.date) -> Period:
    last = today.replace(day=1) - dt.timedelta(days=1)
    return Period.month(last.year, last.month)


def _bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, day after end 00:00) in the local time zone."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def _in(field_name: str, period: Period) -> Q:
    start, end = _bounds(period)
    return Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end})


# --- who reads when nobody is logged in ----------------------------------------------------------


class SystemReader:
    """The background job and the commands read as a platform operator (every record),
    narrowed to the report's region: what the region's own supervisors see."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    is_staff = False
    is_anonymous = False
    region_id = None
    region = None
    department_id = None
    role = ""
    pk = None

    def __str__(self) -> str:
        return "系统"


SYSTEM = SystemReader()


# --- the figures ---------------------------------------------------------------------------------


def _rate(value) -> float | None:
    return None if value is None else float(value)


def _case_row(row, name: str | None = None) -> dict[str, Any]:
    return {
        "key": row.key,
        "name": name if name is not None else str(row.label),
        "accepted": row.accepted,
        "completed": row.completed,
        "completion_rate": _rate(row.completion_rate),
        "completed_on_time": row.completed_on_time,
        "promise_kept_rate": _rate(row.promise_kept_rate),
        "overdue_open": row.overdue_open,
    }


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _region_q(prefix: str, region: Region | None) -> Q:
    return Q(**{f"{prefix}__path__startswith": region.path}) if region is not None else Q()


def _ratings(user, period: Period, region: Region | None) -> dict[str, Any]:
    counts = scoped_ratings(user, region=region).filter(_in("rated_at", period))
    found = counts.aggregate(
        **{level: Count("pk", filter=Q(level=level)) for level in Level.values}
    )
    levels = [
        {"level": level, "label": str(label), "count": found[level]}
        for level, label in Level.choices
    ]
    total = sum(row["count"] for row in levels)
    satisfied = found[Level.VERY_SATISFIED] + found[Level.SATISFIED]
    return {
        "levels": levels,
        "total": total,
        "satisfied": satisfied,
        "satisfaction_share": _share(satisfied, total),
    }


def _complaints(user, period: Period, region: Region | None) -> dict[str, Any]:
    visible = Complaint.objects.filter(scoping.scope_for(Complaint, user)).filter(
        _region_q("region", region)
    )
    received = _in("received_at", period)
    closed = _in("closed_at", period)
    found = visible.aggregate(
        received=Count("pk", filter=received),
        closed=Count("pk", filter=closed),
        substantiated=Count("pk", filter=closed & Q(finding__in=SUBSTANTIATED)),
        **{
            f"category_{value}": Count("pk", filter=received & Q(category=value))
            for value in Complaint.Category.values
        },
    )
    return {
        "received": found["received"],
        "closed": found["closed"],
        "substantiated": found["substantiated"],
        "by_category": [
            {"category": value, "label": str(label), "count": found[f"category_{value}"]}
            for value, label in Complaint.Category.choices
        ],
    }


def _rectifications(
    user, period: Period, region: Region | None, *, today: dt.date
) -> dict[str, Any]:
    visible = Rectification.objects.filter(scoping.scope_for(Rectification, user)).filter(
        _region_q("commission__project__region", region)
    )
    # "At the month's end" is today for the running month.
    as_of = min(period.end, today)
    _, cut = _bounds(Period(period.start, as_of))
    open_then = Q(created_at__lt=cut) & (Q(closed_at__isnull=True) | Q(closed_at__gte=cut))
    unanswered = Q(answered_at__isnull=True) | Q(answered_at__gte=cut)
    found = visible.aggregate(
        opened=Count("pk", filter=_in("created_at", period)),
        closed=Count("pk", filter=_in("closed_at", period)),
        open=Count("pk", filter=open_then),
        overdue_open=Count("pk", filter=open_then & unanswered & Q(due_date__lt=as_of)),
    )
    return dict(found)


def monthly_figures(
    user, period: Period, *, region: Region | None = None, now: dt.datetime | None = None
) -> dict[str, Any]:
    """The month's figures for ``user`` (narrowed to ``region``'s subtree when given)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    departments = metric_rows(user, period, by="department", region=region, today=today)
    totals = metric_rows(user, period, region=region, today=today)
    total = totals[0] if totals else None
    # the departments with cases in the month (a row of only ratings or consultations, such as
    # the agency's, belongs to the other tables)
    rows = sorted(
        (
            _case_row(row)
            for row in departments
            if row.accepted or row.completed or row.overdue_open
        ),
        key=lambda row: (-row["accepted"], -row["completed"], row["name"]),
    )
    return {
        "kind": "monthly_report",
        "version": FIGURES_VERSION,
        "month": month_key(period),
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "region": {"id": region.pk, "key": region.key, "name": region.name} if region else None,
        "computed_at": now.isoformat(),
        "consultations": total.consultations if total else 0,
        "cases": {
            "rows": rows,
            "total": _case_row(total, "合计") if total else _empty_total(),
        },
        "ratings": _ratings(user, period, region),
        "complaints": _complaints(user, period, region),
        "rectifications": _rectifications(user, period, region, today=today),
        "follow_up": {
            "commissions_completed": total.commissions_completed if total else 0,
            "visited": total.visited if total else 0,
            "coverage": _rate(total.follow_up_coverage) if total else None,
        },
    }


def _empty_total() -> dict[str, Any]:
    return {
        "key": None,
        "name": "合计",
        "accepted": 0,
        "completed": 0,
        "completion_rate": None,
        "completed_on_time": 0,
        "promise_kept_rate": None,
        "overdue_open": 0,
    }


# --- the layout every output prints ------------------------------------------------------------

TEXT, COUNT, RATE, POINTS, SCORE, VERDICT = "text", "count", "rate", "points", "score", "verdict"
#: What a missing figure prints as (a rate without a denominator, a score not evaluated).
NONE_TEXT = "—"


def format_rate(value) -> str:
    """A share as a percentage with one decimal: 0.6667 → ``66.7%``; None → ``—``."""
    if value is None:
        return NONE_TEXT
    return f"{Decimal(str(value)) * 100:.1f}%"


def format_points(value, places: int = 2) -> str:
    if value is None:
        return NONE_TEXT
    return f"{Decimal(str(value)):.{places}f}"


@dataclass(frozen=True)
class Cell:
    value: Any
    kind: str = TEXT

    @property
    def text(self) -> str:
        """The cell as the page and the document print it."""
        value = self.value
        if self.kind == RATE:
            return format_rate(value)
        if self.kind == POINTS:
            return format_points(value, 2)
        if self.kind == SCORE:
            return format_points(value, 1)
        if self.kind == VERDICT:
            return NONE_TEXT if value is None else ("合格" if value else "不合格")
        if self.kind == COUNT:
            return NONE_TEXT if value is None else str(value)
        return "" if value is None else str(value)

    @property
    def numeric(self) -> bool:
        return self.kind in (COUNT, RATE, POINTS, SCORE)


@dataclass(frozen=True)
class Table:
    key: str  # a stable name: the page's data-table, the workbook's sheet
    title: str
    headers: tuple[str, ...]
    rows: list[list[Cell]]
    total: bool = False  # the last row is a total
    empty: str = "无"


@dataclass(frozen=True)
class Section:
    heading: str
    tables: list[Table] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


CASE_HEADERS = (
    "审批部门",
    "受理件数",
    "办结件数",
    "办结率",
    "按承诺时限办结",
    "承诺事项兑现率",
    "超期未办结",
)


def _case_cells(row: dict[str, Any]) -> list[Cell]:
    return [
        Cell(row["name"]),
        Cell(row["accepted"], COUNT),
        Cell(row["completed"], COUNT),
        Cell(row["completion_rate"], RATE),
        Cell(row["completed_on_time"], COUNT),
        Cell(row["promise_kept_rate"], RATE),
        Cell(row["overdue_open"], COUNT),
    ]


def monthly_layout(figures: dict[str, Any]) -> list[Section]:
    """The report as sections of tables (page, workbook and document print exactly this)."""
    cases, total = figures["cases"], figures["cases"]["total"]
    ratings, complaints = figures["ratings"], figures["complaints"]
    rectifications, follow_up = figures["rectifications"], figures["follow_up"]
    summary = Table(
        "summary",
        "主要指标",
        ("指标", "数值"),
        [
            [Cell("咨询量"), Cell(figures["consultations"], COUNT)],
            [Cell("受理件数"), Cell(total["accepted"], COUNT)],
            [Cell("办结件数"), Cell(total["completed"], COUNT)],
            [Cell("办结率"), Cell(total["completion_rate"], RATE)],
            [Cell("承诺事项兑现率"), Cell(total["promise_kept_rate"], RATE)],
            [Cell("超期未办结件数"), Cell(total["overdue_open"], COUNT)],
            [Cell("评价数"), Cell(ratings["total"], COUNT)],
            [Cell("满意率"), Cell(ratings["satisfaction_share"], RATE)],
            [Cell("投诉件数"), Cell(complaints["received"], COUNT)],
            [Cell("差评整改（本月新增）"), Cell(rectifications["opened"], COUNT)],
            [Cell("回访覆盖率"), Cell(follow_up["coverage"], RATE)],
        ],
    )
    departments = Table(
        "departments",
        "各部门办件情况",
        CASE_HEADERS,
        [_case_cells(row) for row in cases["rows"]] + [_case_cells(total)],
        total=True,
    )
    levels = Table(
        "ratings",
        "好差评情况",
        ("评价等级", "件数", "占比"),
        [
            [
                Cell(row["label"]),
                Cell(row["count"], COUNT),
                Cell(_share(row["count"], ratings["total"]), RATE),
            ]
            for row in ratings["levels"]
        ]
        + [
            [
                Cell("合计"),
                Cell(ratings["total"], COUNT),
                Cell(_share(ratings["total"], ratings["total"]), RATE),
            ],
            [
                Cell("满意（非常满意+满意）"),
                Cell(ratings["satisfied"], COUNT),
                Cell(ratings["satisfaction_share"], RATE),
            ],
        ],
    )
    categories = Table(
        "complaints",
        "投诉情况",
        ("类别", "本月受理"),
        [[Cell(row["label"]), Cell(row["count"], COUNT)] for row in complaints["by_category"]]
        + [[Cell("合计"), Cell(complaints["received"], COUNT)]],
        total=True,
    )
    handling = Table(
        "complaint_results",
        "投诉办结与差评整改",
        ("项目", "件数"),
        [
            [Cell("本月办结投诉"), Cell(complaints["closed"], COUNT)],
            [Cell("其中查实（属实、部分属实）"), Cell(complaints["substantiated"], COUNT)],
            [Cell("本月新增差评整改"), Cell(rectifications["opened"], COUNT)],
            [Cell("本月办结差评整改"), Cell(rectifications["closed"], COUNT)],
            [Cell("月末未办结整改"), Cell(rectifications["open"], COUNT)],
            [Cell("其中超期未反馈"), Cell(rectifications["overdue_open"], COUNT)],
        ],
    )
    visits = Table(
        "follow_up",
        "回访情况",
        ("项目", "数值"),
        [
            [Cell("本月办结的代办委托"), Cell(follow_up["commissions_completed"], COUNT)],
            [Cell("其中已回访"), Cell(follow_up["visited"], COUNT)],
            [Cell("回访覆盖率"), Cell(follow_up["coverage"], RATE)],
        ],
    )
    return [
        Section("一、总体情况", [summary]),
        Section(
            "二、办件办理情况",
            [departments],
            notes=[
                "受理件数、办结件数为本月受理、本月办结的办件；办结率 = 本月受理的办件中已办结的 ÷ 本月受理件数；"
                "承诺事项兑现率 = 本月按承诺时限办结的 ÷ 本月办结件数；超期未办结为月末（本月为今日）已过承诺期限仍未办结的办件。"
            ],
        ),
        Section("三、好差评情况", [levels]),
        Section("四、投诉及差评整改情况", [categories, handling]),
        Section("五、回访情况", [visits]),
    ]


# --- the stored reports (reads, scoped) ----------------------------------------------------------


def month_key_of(month_start: dt.date) -> str:
    return f"{month_start:%Y-%m}"


def next_month(period: Period) -> Period:
    following = period.end + dt.timedelta(days=1)
    return Period.month(following.year, following.month)


def monthly_report_scope(user) -> Q:
    """The stored reports ``user`` may see: those of its region subtree for the metrics'
    readers (centre admin, supervisor, leader); every report for a platform operator."""
    if scoping.is_platform_operator(user):
        return Q()
    if not may_read_metrics(user):
        return scoping.NOTHING
    return Q(region__path__startswith=user.region.path)


def monthly_report_list_for(user) -> QuerySet[MonthlyReport]:
    """Newest month first; 待审核 before 已审核 within a month."""
    return (
        MonthlyReport.objects.filter(monthly_report_scope(user))
        .select_related("region", "prepared_by", "reviewed_by")
        .order_by("-month", "state", "region__path")
    )


def monthly_report_get_for(user, *, region: Region | None, period: Period) -> MonthlyReport | None:
    """The stored report of ``region`` for ``period``, if ``user`` may see it."""
    if region is None or period.kind != "month":
        return None
    return monthly_report_list_for(user).filter(region=region, month=period.start).first()


def register_scopes() -> None:
    """Tell ``bangban.common.scoping`` (read by the admin) who sees which stored report."""
    scoping.register(MonthlyReport, monthly_report_scope)
