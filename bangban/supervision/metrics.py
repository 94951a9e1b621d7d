"""The metrics of SPEC §7, computed in the database (aggregates, never Python loops over rows).

INTERFACE (fixed; consumers: the dashboard, the monthly report, the annual evaluation, the
API):

    Period(start: date, end: date)                 inclusive; Period.month(2026, 10),
                                                   Period.quarter(2026, 4), Period.year(2026),
                                                   Period.parse("2026-10") ("2026-Q4", "2026",
                                                   "2026-10-01~2026-12-31"); .token, .label
    DIMENSIONS = {"department": "部门", "agent": "代办员", "region": "区划",
                  "stage": "阶段", "service_mode": "服务方式"}

    metric_rows(user, period, by=None, *, region=None, today=None) -> list[MetricRow]
        one row per group of `by` (None: one row for everything the user may see), scoped
        through the selectors (a supervisor sees its region subtree only); `region` (a Region
        or its id) narrows to a subtree of what the user sees; `today` (default: today)
        decides when a period that is not over is read.

    MetricRow (a frozen dataclass), every count an int and every rate a float in [0, 1] or
    None when its denominator is 0:
        key, label                       the group (e.g. department id and name); key None:
                                         the records without one (see NONE_LABELS)
        accepted                         cases accepted in the period
        accepted_completed               of those, completed by the period's end
        completion_rate                  accepted_completed / accepted
        completed                        cases completed in the period
        completed_on_time                completed in the period within the promised limit
        promise_kept_rate                completed_on_time / completed
        overdue_open                     open cases past their due date at the period's end
        avg_working_days                 average working days used by completed cases
        days_used_total, legal_days_total, speedup_cases     the sums behind the speed-up
        speedup                          1 − Σ actual working days / Σ legal working days
                                         (negative when the cases took longer than the law)
        ratings, satisfied, satisfaction_share      (非常满意+满意) / ratings
        commissions_completed, visited, follow_up_coverage
        consultations
        backfilled_completion, backfilled_promise, backfilled_overdue, backfilled_ratings,
        backfilled_visits                the share of each rate's events entered after the
                                         fact (补录), beside the rate

    planner_accuracy(user, period, *, region=None) -> list[AccuracyRow]
        per catalog item (and the rule that selects it): drafts it was in, times removed by
        agents, times added by agents (fields below).

    metric_cases / metric_ratings / metric_commissions / metric_consultations(user, period,
        metric, by=None, key=..., region=None) -> QuerySet
        the records behind one count of one row (the drill-down lists).

The exact definitions are in docs/supervision.md (「Metrics」); each function below says how
it computes its part. Every dimension partitions the totals: the rows of any ``by`` add up
to the row of ``by=None`` (records without the dimension fall in the row whose key is None).

The building blocks ``case_filters``, ``case_aggregates``, ``key_expr``, ``metric_row``,
``resolve_region`` and ``visit_done`` are public: the annual evaluation (``annual.py``) groups
by service track and errand company with them, so its rates are these rates by construction.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, fields
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from bangban.cases import lifecycle as case_lifecycle
from bangban.cases.models import Case, CaseEvent
from bangban.catalog.models import STAGE_ORDER, Item, ServiceMode, Stage
from bangban.common.ids import as_id
from bangban.evaluation.models import GOOD_LEVELS, FollowUpVisit
from bangban.organization.models import Region
from bangban.planning.models import Plan, PlanAdjustment

from . import selectors

DIMENSIONS: dict[str, str] = {
    "department": "部门",
    "agent": "代办员",
    "region": "区划",
    "stage": "阶段",
    "service_mode": "服务方式",
}

#: The label of the row gathering the records without the dimension.
NONE_LABELS: dict[str, str] = {
    "department": "（未指定部门）",
    "agent": "（未分配代办员）",
    "region": "（未指定区划）",
    "stage": "（不分阶段：委托整体评价、回访、咨询）",
    "service_mode": "（不分服务方式：委托整体评价、回访、咨询）",
}

#: The case events whose times a case's clock is built from: when one of them was entered
#: after the fact (补录), the case's rates rest on a back-filled time.
CLOCK_ACTIONS = (
    case_lifecycle.ACCEPT,
    case_lifecycle.ACCEPT_GAPS,
    case_lifecycle.SUSPEND,
    case_lifecycle.RESUME,
    case_lifecycle.APPROVE,
    case_lifecycle.REFUSE,
)
#: States in which the clock runs (the ledger's red: ``cases.selectors.RUNNING``).
RUNNING = (case_lifecycle.ACCEPTED, case_lifecycle.ACCEPTED_GAPS)


# --- the period ---------------------------------------------------------------------------

PERIOD_KINDS = {"month": "月度", "quarter": "季度", "year": "年度", "custom": "自定义"}
_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER_RE = re.compile(r"^(\d{4})-?[Qq]([1-4])$")
_YEAR_RE = re.compile(r"^(\d{4})$")
_RANGE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*(?:~|\.\.|至)\s*(\d{4}-\d{2}-\d{2})$")
#: The longest custom period (days): a wider one is refused rather than scanned.
MAX_PERIOD_DAYS = 366 * 5
PERIOD_HELP = "统计期间格式：2026-10（月）、2026-Q4（季）、2026（年）或 2026-10-01~2026-12-31。"


@dataclass(frozen=True)
class Period:
    """A statistics period, both ends included."""

    start: dt.date
    end: dt.date
    kind: str = "custom"

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("统计期间的结束日期不能早于开始日期。")
        if (self.end - self.start).days >= MAX_PERIOD_DAYS:
            raise ValueError("统计期间最长五年。")
        if self.start.year < 2000 or self.end.year > 2100:
            raise ValueError("统计期间应在 2000 年至 2100 年之间。")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        if not 1 <= month <= 12:
            raise ValueError("月份应为 1 至 12。")
        last = calendar.monthrange(year, month)[1]
        return cls(dt.date(year, month, 1), dt.date(year, month, last), "month")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        if not 1 <= quarter <= 4:
            raise ValueError("季度应为 1 至 4。")
        first = 3 * (quarter - 1) + 1
        last = calendar.monthrange(year, first + 2)[1]
        return cls(dt.date(year, first, 1), dt.date(year, first + 2, last), "quarter")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")

    @classmethod
    def current_month(cls, today: dt.date | None = None) -> Period:
        today = today or timezone.localdate()
        return cls.month(today.year, today.month)

    @classmethod
    def parse(cls, text: str) -> Period:
        """A period from its token (see :attr:`token`); ValueError with a Chinese message."""
        text = (text or "").strip()
        try:
            if match := _MONTH_RE.match(text):
                return cls.month(int(match[1]), int(match[2]))
            if match := _QUARTER_RE.match(text):
                return cls.quarter(int(match[1]), int(match[2]))
            if match := _YEAR_RE.match(text):
                return cls.year(int(match[1]))
            if match := _RANGE_RE.match(text):
                return cls(dt.date.fromisoformat(match[1]), dt.date.fromisoformat(match[2]))
        except ValueError as exc:
            message = str(exc)
            if not re.search(r"[\u4e00-\u9fff]", message):  # the date parser's own English
                message = "统计期间的日期无效。"
            raise ValueError(message) from None
        raise ValueError(PERIOD_HELP)

    @property
    def token(self) -> str:
        """The text :meth:`parse` reads back (URLs, API)."""
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "year":
            return f"{self.start.year}"
        return f"{self.start.isoformat()}~{self.end.isoformat()}"

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.start.year}年{self.start.month}月"
        if self.kind == "quarter":
            return f"{self.start.year}年第{(self.start.month - 1) // 3 + 1}季度"
        if self.kind == "year":
            return f"{self.start.year}年"
        return f"{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}"

    @property
    def start_at(self) -> dt.datetime:
        """The period's first instant (local time), for datetime columns."""
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))

    @property
    def end_before(self) -> dt.datetime:
        """The instant after the period (local midnight after its last day), exclusive."""
        return timezone.make_aware(
            dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min)
        )

    def as_of(self, today: dt.date | None = None) -> dt.date:
        """The date the period's state is read at: its last day, or today while it runs."""
        return min(self.end, today or timezone.localdate())

    def is_over(self, today: dt.date | None = None) -> bool:
        return (today or timezone.localdate()) > self.end


# --- the rows -----------------------------------------------------------------------------


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f}%"


def _share(numerator, denominator) -> float | None:
    if not denominator:
        return None
    return float(numerator or 0) / float(denominator)


@dataclass(frozen=True)
class MetricRow:
    key: Any
    label: str
    accepted: int = 0
    accepted_completed: int = 0
    completion_rate: float | None = None
    completed: int = 0
    completed_on_time: int = 0
    promise_kept_rate: float | None = None
    overdue_open: int = 0
    avg_working_days: float | None = None
    days_used_total: int = 0
    legal_days_total: int = 0
    speedup_cases: int = 0
    speedup: float | None = None
    ratings: int = 0
    satisfied: int = 0
    satisfaction_share: float | None = None
    commissions_completed: int = 0
    visited: int = 0
    follow_up_coverage: float | None = None
    consultations: int = 0
    backfilled_completion: float | None = None
    backfilled_promise: float | None = None
    backfilled_overdue: float | None = None
    backfilled_ratings: float | None = None
    backfilled_visits: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def metric_row(key, label: str, c: dict[str, int]) -> MetricRow:
    days_n = c.get("days_used_n", 0)
    return MetricRow(
        key=key,
        label=label,
        accepted=c.get("accepted", 0),
        accepted_completed=c.get("accepted_completed", 0),
        completion_rate=_share(c.get("accepted_completed"), c.get("accepted")),
        completed=c.get("completed", 0),
        completed_on_time=c.get("completed_on_time", 0),
        promise_kept_rate=_share(c.get("completed_on_time"), c.get("completed")),
        overdue_open=c.get("overdue_open", 0),
        avg_working_days=(c.get("days_used_sum", 0) / days_n) if days_n else None,
        days_used_total=c.get("speedup_used", 0),
        legal_days_total=c.get("speedup_legal", 0),
        speedup_cases=c.get("speedup_cases", 0),
        speedup=(
            1 - c.get("speedup_used", 0) / c["speedup_legal"] if c.get("speedup_legal") else None
        ),
        ratings=c.get("ratings", 0),
        satisfied=c.get("satisfied", 0),
        satisfaction_share=_share(c.get("satisfied"), c.get("ratings")),
        commissions_completed=c.get("commissions_completed", 0),
        visited=c.get("visited", 0),
        follow_up_coverage=_share(c.get("visited"), c.get("commissions_completed")),
        consultations=c.get("consultations", 0),
        backfilled_completion=_share(c.get("accepted_backfilled"), c.get("accepted")),
        backfilled_promise=_share(c.get("completed_backfilled"), c.get("completed")),
        backfilled_overdue=_share(c.get("overdue_backfilled"), c.get("overdue_open")),
        backfilled_ratings=_share(c.get("ratings_backfilled"), c.get("ratings")),
        backfilled_visits=_share(c.get("visits_backfilled"), c.get("visited")),
    )


# --- the dimensions of each source --------------------------------------------------------


def _agent_label(prefix: str):
    """A user's display name, else its username (one expression, for grouping)."""
    return Coalesce(NullIf(f"{prefix}display_name", Value("")), f"{prefix}username")


#: (key expression, label expression) per dimension and source; None: the source has no such
#: dimension (all its records go to the row whose key is None).
_GROUPS: dict[str, dict[str, tuple | None]] = {
    "case": {
        "department": ("department_id", "department__name"),
        "agent": ("commission__agent_id", "agent"),
        "region": ("commission__project__region_id", "commission__project__region__name"),
        "stage": ("item__stage", None),
        "service_mode": ("service_mode", None),
    },
    "rating": {
        # a case's rating: the case's department; a commission's: its lead department
        "department": (
            ("case__department_id", "commission__lead_department_id"),
            ("case__department__name", "commission__lead_department__name"),
        ),
        "agent": ("commission__agent_id", "agent"),
        "region": ("commission__project__region_id", "commission__project__region__name"),
        "stage": ("case__item__stage", None),
        "service_mode": ("case__service_mode", None),
    },
    "commission": {
        "department": ("lead_department_id", "lead_department__name"),
        "agent": ("agent_id", "agent"),
        "region": ("project__region_id", "project__region__name"),
        "stage": None,
        "service_mode": None,
    },
    "consultation": {
        "department": ("recorded_by__department_id", "recorded_by__department__name"),
        "agent": ("recorded_by_id", "recorded_by"),
        "region": ("region_id", "region__name"),
        "stage": None,
        "service_mode": None,
    },
}
#: Where the agent's user row is, per source (for its label).
_AGENT_PREFIX = {
    "case": "commission__agent__",
    "rating": "commission__agent__",
    "commission": "agent__",
    "consultation": "recorded_by__",
}


def key_expr(spec):
    return Coalesce(*spec) if isinstance(spec, tuple) else F(spec)


def _label_expr(source: str, spec):
    if spec in ("agent", "recorded_by"):
        return _agent_label(_AGENT_PREFIX[source])
    return key_expr(spec)


def _grouped(queryset: QuerySet, source: str, by: str | None, aggregates: dict) -> dict:
    """{key: (label, {count: value})} of ``queryset`` grouped by ``by`` (one query)."""
    spec = _GROUPS[source].get(by) if by else None
    if spec is None:
        totals = queryset.aggregate(**aggregates)
        return {None: ("", {k: int(v or 0) for k, v in totals.items()})}
    key_spec, label_spec = spec
    annotations = {"_key": key_expr(key_spec)}
    names = ["_key"]
    if label_spec is not None:
        annotations["_label"] = _label_expr(source, label_spec)
        names.append("_label")
    rows = queryset.annotate(**annotations).values(*names).annotate(**aggregates).order_by()
    out: dict = {}
    for row in rows:
        key = row["_key"]
        label = row.get("_label") or ""
        counts = {name: int(row[name] or 0) for name in aggregates}
        if key in out:  # the same key met twice (never for a plain foreign key)
            old_label, old = out[key]
            counts = {name: old.get(name, 0) + value for name, value in counts.items()}
            label = old_label or label
        out[key] = (label, counts)
    return out


def _dimension_label(by: str | None, key, label: str) -> str:
    if by is None:
        return "合计"
    if key is None:
        return NONE_LABELS[by]
    if by == "stage":
        return Stage(key).label if key in Stage.values else str(key)
    if by == "service_mode":
        return ServiceMode(key).label if key in ServiceMode.values else str(key)
    return label or str(key)


def _sort_key(by: str | None, row: MetricRow):
    if row.key is None:
        return (1, 0, "")
    if by == "stage":
        return (0, STAGE_ORDER.get(row.key, 99), "")
    if by == "service_mode":
        order = list(ServiceMode.values)
        return (0, order.index(row.key) if row.key in order else 99, "")
    return (0, 0, row.label)


# --- the sources --------------------------------------------------------------------------


def _clock_backfilled():
    """The case has a back-filled clock event (acceptance, suspension, resumption,
    completion)."""
    return Exists(
        CaseEvent.objects.filter(case=OuterRef("pk"), backfilled=True, action__in=CLOCK_ACTIONS)
    )


def _acceptance_backfilled():
    return Exists(
        CaseEvent.objects.filter(
            case=OuterRef("pk"),
            backfilled=True,
            action__in=(case_lifecycle.ACCEPT, case_lifecycle.ACCEPT_GAPS),
        )
    )


def case_filters(period: Period, today: dt.date | None) -> dict[str, Q]:
    """The filters of the case counts (docs/supervision.md, 「Metrics」)."""
    start, end = period.start, period.end
    as_of = period.as_of(today)
    after = timezone.make_aware(dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time.min))
    accepted = Q(accepted_on__gte=start, accepted_on__lte=end)
    completed = Q(state=case_lifecycle.COMPLETED, actual_finish__gte=start, actual_finish__lte=end)
    withdrawn_later = Exists(
        CaseEvent.objects.filter(
            case=OuterRef("pk"), action=case_lifecycle.WITHDRAW, occurred_at__gte=after
        )
    )
    open_then = (
        Q(state__in=RUNNING)
        | Q(state=case_lifecycle.SUSPENDED, suspended_since__gt=as_of)
        | Q(state=case_lifecycle.COMPLETED, actual_finish__gt=as_of)
        | (Q(state=case_lifecycle.WITHDRAWN) & Q(withdrawn_later))
    )
    overdue = Q(accepted_on__lte=as_of, due_date__lt=as_of) & open_then
    return {
        "accepted": accepted,
        "accepted_completed": accepted & Q(state=case_lifecycle.COMPLETED, actual_finish__lte=end),
        "completed": completed,
        "completed_on_time": completed & Q(actual_finish__lte=F("due_date")),
        "overdue_open": overdue,
        "relevant": accepted | completed | Q(accepted_on__lte=as_of, due_date__lt=as_of),
    }


def case_aggregates(f: dict[str, Q]) -> dict:
    with_legal = f["completed"] & Q(legal_days__isnull=False, days_used__isnull=False)
    return {
        "accepted": Count("pk", filter=f["accepted"]),
        "accepted_completed": Count("pk", filter=f["accepted_completed"]),
        "accepted_backfilled": Count("pk", filter=f["accepted"] & Q(_clock_backfilled())),
        "completed": Count("pk", filter=f["completed"]),
        "completed_on_time": Count("pk", filter=f["completed_on_time"]),
        "completed_backfilled": Count("pk", filter=f["completed"] & Q(_clock_backfilled())),
        "overdue_open": Count("pk", filter=f["overdue_open"]),
        "overdue_backfilled": Count("pk", filter=f["overdue_open"] & Q(_acceptance_backfilled())),
        "days_used_sum": Sum("days_used", filter=f["completed"]),
        "days_used_n": Count("pk", filter=f["completed"] & Q(days_used__isnull=False)),
        "speedup_used": Sum("days_used", filter=with_legal),
        "speedup_legal": Sum("legal_days", filter=with_legal),
        "speedup_cases": Count("pk", filter=with_legal),
    }


def resolve_region(user, region) -> Region | None:
    if region is None or isinstance(region, Region):
        if (
            isinstance(region, Region)
            and not selectors.metric_regions_for(user).filter(pk=region.pk).exists()
        ):
            return Region(path="/__none__/")  # outside the user's subtree: nothing
        return region
    found = selectors.metric_region_get_for(user, region)
    return found if found is not None else Region(path="/__none__/")


def _sources(user, period: Period, region, today):
    f = case_filters(period, today)
    cases = selectors.scoped_cases(user, region=region).filter(f.pop("relevant"))
    ratings = selectors.scoped_ratings(user, region=region).filter(
        rated_at__gte=period.start_at, rated_at__lt=period.end_before
    )
    commissions = selectors.scoped_commissions(user, region=region).filter(
        completed_at__gte=period.start_at, completed_at__lt=period.end_before
    )
    consultations = selectors.scoped_consultations(user, region=region).filter(
        recorded_at__gte=period.start_at, recorded_at__lt=period.end_before
    )
    return f, cases, ratings, commissions, consultations


def visit_done(**extra):
    return Exists(
        FollowUpVisit.objects.filter(
            commission=OuterRef("pk"), state=FollowUpVisit.State.DONE, **extra
        )
    )


def metric_rows(
    user,
    period: Period,
    by: str | None = None,
    *,
    region=None,
    today: dt.date | None = None,
) -> list[MetricRow]:
    """The metrics of ``period`` for what ``user`` sees, one row per group of ``by`` (one row
    for everything when None). Four queries whatever the data (one per source: cases,
    ratings, completed commissions, consultations), plus one when ``region`` is given."""
    if by is not None and by not in DIMENSIONS:
        raise ValueError(f"未知的统计维度：{by}")
    region = resolve_region(user, region)
    f, cases, ratings, commissions, consultations = _sources(user, period, region, today)
    parts = [
        _grouped(cases, "case", by, case_aggregates(f)),
        _grouped(
            ratings,
            "rating",
            by,
            {
                "ratings": Count("pk"),
                "satisfied": Count("pk", filter=Q(level__in=GOOD_LEVELS)),
                "ratings_backfilled": Count("pk", filter=Q(backfilled=True)),
            },
        ),
        _grouped(
            commissions,
            "commission",
            by,
            {
                "commissions_completed": Count("pk"),
                "visited": Count("pk", filter=Q(visit_done())),
                "visits_backfilled": Count("pk", filter=Q(visit_done(backfilled=True))),
            },
        ),
        _grouped(consultations, "consultation", by, {"consultations": Count("pk")}),
    ]
    merged: dict = {}
    for part in parts:
        for key, (label, counts) in part.items():
            old_label, old = merged.get(key, ("", {}))
            merged[key] = (old_label or label, {**old, **counts})
    if by is None:
        return [metric_row(None, "合计", merged.get(None, ("", {}))[1])]
    rows = [
        metric_row(key, _dimension_label(by, key, label), counts)
        for key, (label, counts) in merged.items()
        if any(counts.values())
    ]
    return sorted(rows, key=lambda row: _sort_key(by, row))


def metric_total(user, period: Period, *, region=None, today=None) -> MetricRow:
    """The one row of everything ``user`` sees (``metric_rows(…, by=None)[0]``)."""
    return metric_rows(user, period, None, region=region, today=today)[0]


# --- the records behind a count (drill-down) -------------------------------------------------

#: The counts that have a list behind them, by source.
CASE_METRICS = {
    "accepted": "期内受理的办件",
    "accepted_completed": "期内受理且期末前办结的办件",
    "completed": "期内办结的办件",
    "completed_on_time": "期内按承诺时限办结的办件",
    "overdue_open": "期末超期未办结的办件",
}
RATING_METRICS = {"ratings": "期内的评价", "satisfied": "期内的满意评价（非常满意、满意）"}
COMMISSION_METRICS = {
    "commissions_completed": "期内办结的委托",
    "visited": "期内办结且已回访的委托",
}
CONSULTATION_METRICS = {"consultations": "期内的咨询"}
DRILL_METRICS = {**CASE_METRICS, **RATING_METRICS, **COMMISSION_METRICS, **CONSULTATION_METRICS}


def metric_source(metric: str) -> str | None:
    """Which source a drill-down metric lists ("case", "rating", "commission",
    "consultation"), None when it has no list."""
    for source, names in (
        ("case", CASE_METRICS),
        ("rating", RATING_METRICS),
        ("commission", COMMISSION_METRICS),
        ("consultation", CONSULTATION_METRICS),
    ):
        if metric in names:
            return source
    return None


def _in_group(queryset: QuerySet, source: str, by: str | None, key) -> QuerySet:
    """The records of ``queryset`` in the row ``key`` of dimension ``by`` (key None: the
    records without the dimension)."""
    if by is None:
        return queryset
    spec = _GROUPS[source].get(by)
    if spec is None:  # the source has no such dimension: all in the None row
        return queryset if key is None else queryset.none()
    queryset = queryset.annotate(_key=key_expr(spec[0]))
    if key is None:
        return queryset.filter(_key__isnull=True)
    return queryset.filter(_key=key)


def parse_key(by: str | None, text) -> Any:
    """A row's key from a query value ("" or "none": the row without the dimension); raises
    ValueError for a malformed id."""
    text = "" if text is None else str(text).strip()
    if by is None or text in ("", "none"):
        return None
    if by in ("stage", "service_mode"):
        return text
    value = as_id(text)
    if value is None:
        raise ValueError("分组标识无效。")
    return value


def metric_records(
    user,
    period: Period,
    metric: str,
    by: str | None = None,
    key=None,
    *,
    region=None,
    today: dt.date | None = None,
) -> QuerySet:
    """The records behind ``metric`` of the row ``key`` of ``by`` — the same filters the
    counts use, so the list has as many rows as the count says."""
    source = metric_source(metric)
    if source is None:
        raise ValueError(f"该指标没有明细：{metric}")
    if by is not None and by not in DIMENSIONS:
        raise ValueError(f"未知的统计维度：{by}")
    region = resolve_region(user, region)
    f, cases, ratings, commissions, consultations = _sources(user, period, region, today)
    if source == "case":
        queryset = cases.filter(f[metric])
    elif source == "rating":
        queryset = ratings if metric == "ratings" else ratings.filter(level__in=GOOD_LEVELS)
    elif source == "commission":
        queryset = (
            commissions if metric == "commissions_completed" else commissions.filter(visit_done())
        )
    else:
        queryset = consultations
    return _in_group(queryset, source, by, key)


def metric_cases(user, period, metric, by=None, key=None, *, region=None, today=None):
    return metric_records(user, period, metric, by, key, region=region, today=today)


# --- the planner's accuracy --------------------------------------------------------------


@dataclass(frozen=True)
class AccuracyRow:
    """One catalog item (of one catalog version) over the plans of the period."""

    code: str
    name: str
    catalog_version: int | None  # the catalog version's number
    stage: str
    rule: str  # the item's condition (适用条件); "" = every project
    rule_basis: str  # where the condition comes from (适用条件依据)
    drafted: int  # plans whose automatic draft held the item
    removed: int  # of those, the agent removed it (移除事项)
    added: int  # plans whose draft lacked it and the agent added it (添加事项)
    not_needed: int  # drafted, kept, then closed as 不需办理 after the plan was fixed

    @property
    def removal_share(self) -> float | None:
        return _share(self.removed, self.drafted)

    @property
    def correction_share(self) -> float | None:
        """(removed + added + not needed) / (drafted + added): how often the rule was wrong."""
        return _share(self.removed + self.added + self.not_needed, self.drafted + self.added)

    @property
    def removal_percent(self) -> str:
        return _percent(self.removal_share)

    @property
    def correction_percent(self) -> str:
        return _percent(self.correction_share)

    @property
    def stage_label(self) -> str:
        return Stage(self.stage).label if self.stage in Stage.values else self.stage

    def as_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["stage_label"] = self.stage_label
        data["removal_share"] = self.removal_share
        data["correction_share"] = self.correction_share
        return data


def accuracy_plans(user, period: Period, *, region=None) -> QuerySet[Plan]:
    """The plans the accuracy reads: fixed plans created in the period (a draft may still be
    adjusted; a fixed plan's cases say what its draft held)."""
    region = resolve_region(user, region)
    return selectors.scoped_plans(user, region=region).filter(
        state=Plan.State.FIXED,
        created_at__gte=period.start_at,
        created_at__lt=period.end_before,
    )


def planner_accuracy(user, period: Period, *, region=None) -> list[AccuracyRow]:
    """Per item of the plans of :func:`accuracy_plans` (three queries whatever the data):

    * drafted = the plans whose automatic draft held the item: its case exists and no active
      「添加事项」 adjustment put it there, or an active 「移除事项」 took it out;
    * removed, added = the plans with an active adjustment of that kind (an adjustment the
      agent later withdrew does not count: the draft stood; nor does an item removed from
      the draft and added back after fixing: it was in the draft, and is again);
    * not needed = drafted cases closed as 不需办理 after fixing.

    Sorted by the share of corrections, the worst rule first."""
    plans = accuracy_plans(user, period, region=region).values("pk")
    # An item the agent removed from the draft and later added back (after fixing, the
    # addition stays active, the removal is withdrawn) was in the draft: neither counts.
    removed_once = PlanAdjustment.objects.filter(kind=PlanAdjustment.Kind.REMOVE)
    added_here = PlanAdjustment.objects.filter(
        plan=OuterRef("commission__plan"),
        code=OuterRef("code"),
        kind=PlanAdjustment.Kind.ADD,
        active=True,
    ).exclude(Exists(removed_once.filter(plan=OuterRef("plan"), code=OuterRef("code"))))
    kept = (
        Case.objects.filter(commission__plan__in=plans)
        .exclude(Exists(added_here))
        .values("commission__plan__catalog_version_id", "code")
        .annotate(
            n=Count("commission_id", distinct=True),
            not_needed=Count(
                "commission_id", distinct=True, filter=Q(state=case_lifecycle.NOT_NEEDED)
            ),
        )
        .order_by()
    )
    adjusted = (
        PlanAdjustment.objects.filter(plan__in=plans, active=True)
        .exclude(
            Q(kind=PlanAdjustment.Kind.ADD)
            & Q(Exists(removed_once.filter(plan=OuterRef("plan"), code=OuterRef("code"))))
        )
        .values("plan__catalog_version_id", "code", "kind")
        .annotate(n=Count("plan_id", distinct=True), name=Max("item_name"))
        .order_by()
    )
    counts: dict[tuple, dict[str, int]] = {}
    for row in kept:
        key = (row["commission__plan__catalog_version_id"], row["code"])
        slot = counts.setdefault(key, {"kept": 0, "remove": 0, "add": 0, "not_needed": 0})
        slot["kept"] += row["n"]
        slot["not_needed"] += row["not_needed"]
    for row in adjusted:
        key = (row["plan__catalog_version_id"], row["code"])
        slot = counts.setdefault(key, {"kept": 0, "remove": 0, "add": 0, "not_needed": 0})
        slot[row["kind"]] += row["n"]
    if not counts:
        return []
    items = {
        (item["version_id"], item["code"]): item
        for item in Item.objects.filter(
            version_id__in={version for version, _ in counts},
            code__in={code for _, code in counts},
        ).values(
            "version_id",
            "version__number",
            "code",
            "name",
            "stage",
            "condition",
            "condition_basis",
        )
    }
    rows = []
    for (version, code), c in counts.items():
        item = items.get((version, code), {})
        rows.append(
            AccuracyRow(
                code=code,
                name=item.get("name", code),
                catalog_version=item.get("version__number"),
                stage=item.get("stage", ""),
                rule=item.get("condition", ""),
                rule_basis=item.get("condition_basis", ""),
                drafted=c["kept"] + c["remove"],
                removed=c["remove"],
                added=c["add"],
                not_needed=c["not_needed"],
            )
        )
    return sorted(
        rows,
        key=lambda r: (-(r.correction_share or 0), -(r.removed + r.added), r.code),
    )
