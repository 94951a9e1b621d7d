"""The supervisors' and leaders' dashboard (督查看板, SPEC §7, issue 13 item 5): everything it
shows for one user, built by :func:`dashboard_for` with a CONSTANT number of SQL queries
whatever the data (each chart one grouped aggregate, each list one count and one short slice;
tests/supervision/test_dashboard_queries.py runs it at two sizes).

Charts (each bar drills down into the list of exactly the records it counts; the same numbers
are rendered as a table of links, so the drill-down works without JavaScript):

| chart | counts | a bar opens |
|---|---|---|
| cases by stage and state | every case the user sees, by its item's stage and its state | the ledger ``?stage=&state=`` |
| on-time trend | per month of the 12 ending the chosen month: cases completed, of them within the promised limit (``actual_finish <= due_date``, as the metrics count), the rate | the ledger ``?finished=YYYY-MM`` |
| overdue by department | open cases whose clock runs, past their due date (the ledger's red) | the ledger ``?warning=red&department=`` |
| satisfaction | ratings given in the chosen month, by the five levels | the ratings list ``?level=&month=`` |
| rates by department | the metrics of the chosen month (:func:`~bangban.supervision.metrics.metric_rows` ``by="department"``): completion and promise-kept rates | the ledger ``?department=&accepted=`` (completion's cases) or ``?department=&finished=`` (promise-kept's) |

Lists: what falls due today and this week (cases, rectifications, follow-up visits,
complaints, meeting decisions — overdue ones first), the open escalations, the units short of
staff (:mod:`bangban.supervision.staffing`).

Scoping: every count reads through the same scoping as the list it drills into (the ledger's
``case_scope``, the registered scopes of evaluation and coordination): a supervisor or a
leader sees its region subtree only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from bangban.accounts.models import Role
from bangban.cases import lifecycle as case_lifecycle
from bangban.cases.models import Escalation
from bangban.cases.selectors import RUNNING, escalation_list_for
from bangban.catalog.models import STAGE_ORDER, Stage
from bangban.common import scoping
from bangban.coordination.models import ActionItem
from bangban.coordination.selectors import action_item_list_for
from bangban.evaluation import complaints_lifecycle
from bangban.evaluation import lifecycle as evaluation_lifecycle
from bangban.evaluation.models import Complaint, FollowUpVisit, Level, Rating, Rectification

from . import selectors, staffing
from .metrics import Period, metric_rows

#: Who sees the dashboard: supervisors and leaders of a region (and platform operators).
DASHBOARD_ROLES = (Role.SUPERVISOR, Role.LEADER)
#: Months of the on-time trend.
TREND_MONTHS = 12
#: Rows each list shows (the full list is one click away).
LIST_ROWS = 10
#: Departments each department chart shows (the largest; the table says how many more).
DEPARTMENT_BARS = 15

OPEN_RECTIFICATION = evaluation_lifecycle.OPEN_RECTIFICATION_STATES
OPEN_COMPLAINT = complaints_lifecycle.OPEN_STATES

STATE_COLOURS = {
    case_lifecycle.PLANNED: "#cbd5e1",
    case_lifecycle.PREPARING: "#94a3b8",
    case_lifecycle.SUBMITTED: "#60a5fa",
    case_lifecycle.ACCEPTED: "#2563eb",
    case_lifecycle.ACCEPTED_GAPS: "#7c3aed",
    case_lifecycle.SUSPENDED: "#f59e0b",
    case_lifecycle.COMPLETED: "#16a34a",
    case_lifecycle.NOT_NEEDED: "#e2e8f0",
    case_lifecycle.WITHDRAWN: "#64748b",
}
LEVEL_COLOURS = {
    Level.VERY_SATISFIED: "#15803d",
    Level.SATISFIED: "#4ade80",
    Level.BASICALLY_SATISFIED: "#facc15",
    Level.DISSATISFIED: "#fb923c",
    Level.VERY_DISSATISFIED: "#dc2626",
}


def may_view_dashboard(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if scoping.is_platform_operator(user):
        return True
    return user.role in DASHBOARD_ROLES and user.region_id is not None


# --- links ----------------------------------------------------------------------------------


def _link(name: str, params: dict[str, Any] | None = None, *args) -> str:
    """The URL of a page (a list with its filters)."""
    url = reverse(name, args=args)
    query = urlencode({k: v for k, v in (params or {}).items() if v not in (None, "")})
    return f"{url}?{query}" if query else url


def ledger_link(**params) -> str:
    return _link("cases:ledger", params)


def ratings_link(**params) -> str:
    return _link("evaluation:rating_list", params)


def _scoped(model, user):
    """The rows of ``model`` the user may see: the scope its app registered in
    ``bangban.common.scoping`` — the one its own lists filter through, so a count and the list
    it opens agree."""
    return model.objects.filter(scoping.scope_for(model, user))


# --- charts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    values: list  # int | float | None per category
    links: list  # str | None per category
    texts: list  # what the table and the hover show per category
    colour: str | list[str] = ""  # one colour, or one per category


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    unit: str  # "件" or "%"
    categories: list[tuple[str, str]]  # (key, label)
    series: list[Series]
    stacked: bool = False
    horizontal: bool = False
    note: str = ""
    more: int = 0  # categories left out (the smallest)
    totals: list = field(default_factory=list)  # (value, link) per category, or empty

    @property
    def is_empty(self) -> bool:
        """Nothing to draw: no category, no rate, or only zero counts."""
        return not any(
            value is not None and (value != 0 or self.unit == "%")
            for series in self.series
            for value in series.values
        )

    def rows(self) -> list[tuple[str, list[tuple[str, str | None]], tuple | None]]:
        """The table: (category label, [(text, link) per series], (total, link) or None)."""
        out = []
        for index, (_, label) in enumerate(self.categories):
            cells = [(s.texts[index], s.links[index]) for s in self.series]
            total = self.totals[index] if self.totals else None
            out.append((label, cells, total))
        return out

    def figure(self) -> dict[str, Any]:
        """The plotly figure (data, layout, config) that ``static/js/dashboard.js`` draws; each
        point carries its drill-down link as ``customdata``."""
        labels = [label for _, label in self.categories]
        data = []
        for series in self.series:
            axis_values = {"x": labels, "y": series.values}
            if self.horizontal:
                axis_values = {"x": series.values, "y": labels, "orientation": "h"}
            trace = {
                "type": "bar",
                "name": series.label,
                **axis_values,
                "customdata": series.links,
                "hovertext": series.texts,
                "hoverinfo": "text+name",
            }
            if series.colour:
                trace["marker"] = {"color": series.colour}
            data.append(trace)
        value_axis = {
            "title": {"text": self.unit},
            "rangemode": "tozero",
            "fixedrange": True,
            "automargin": True,
        }
        if self.unit == "%":
            value_axis["range"] = [0, 100]
        else:  # counts: whole numbers on the axis
            value_axis["tickformat"] = ",d"
            largest = max((v for s in self.series for v in s.values if v is not None), default=0)
            if self.stacked:
                largest = max((total for total, _ in self.totals), default=largest)
            if largest <= 10:
                value_axis["dtick"] = 1
        category_axis = {"fixedrange": True, "automargin": True, "type": "category"}
        if self.horizontal:
            category_axis["autorange"] = "reversed"
        layout = {
            "barmode": "stack" if self.stacked else "group",
            "height": max(300, 28 * len(labels) + 120) if self.horizontal else 340,
            "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
            "legend": {"orientation": "h", "y": -0.15},
            "showlegend": len(self.series) > 1,
            "font": {"family": "system-ui, 'PingFang SC', 'Microsoft YaHei', sans-serif"},
            "xaxis": value_axis if self.horizontal else category_axis,
            "yaxis": category_axis if self.horizontal else value_axis,
        }
        config = {"displayModeBar": False, "responsive": True}
        return {"data": data, "layout": layout, "config": config}

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "unit": self.unit,
            "note": self.note,
            "categories": [{"key": k, "label": label} for k, label in self.categories],
            "series": [
                {
                    "key": s.key,
                    "label": s.label,
                    "values": s.values,
                    "links": s.links,
                }
                for s in self.series
            ],
            "totals": [{"value": v, "link": link} for v, link in self.totals],
            "more": self.more,
        }


def _percent(rate: float | None) -> float | None:
    return None if rate is None else round(rate * 100, 1)


def _rate_text(rate: float | None, numerator: int, denominator: int) -> str:
    if rate is None:
        return "—（0 件）"
    return f"{rate * 100:.1f}%（{numerator}/{denominator}）"


def _months_back(month: dt.date, n: int) -> list[dt.date]:
    """The first days of the ``n`` months ending with ``month``, oldest first."""
    out = []
    year, number = month.year, month.month
    for _ in range(n):
        out.append(dt.date(year, number, 1))
        number -= 1
        if number == 0:
            year, number = year - 1, 12
    return list(reversed(out))


def _month_key(value) -> str:
    """ "YYYY-MM" of a TruncMonth value (a date, or a datetime on some backends)."""
    return f"{value.year:04d}-{value.month:02d}"


def chart_cases_by_stage_state(cases) -> Chart:
    rows = cases.order_by().values("item__stage", "state").annotate(n=Count("pk"))
    counts: dict[tuple[str, str], int] = {}
    for row in rows:
        counts[(row["item__stage"], row["state"])] = row["n"]
    stages = sorted({stage for stage, _ in counts}, key=lambda s: STAGE_ORDER.get(s, 99))
    states = [s for s in case_lifecycle.STATE_LABELS if any(st == s for _, st in counts)]
    stage_labels = dict(Stage.choices)
    series = []
    for state in states:
        values = [counts.get((stage, state), 0) for stage in stages]
        series.append(
            Series(
                key=state,
                label=case_lifecycle.STATE_LABELS[state],
                values=values,
                links=[
                    ledger_link(stage=stage, state=state) if n else None
                    for stage, n in zip(stages, values, strict=True)
                ],
                texts=[str(n) for n in values],
                colour=STATE_COLOURS.get(state, ""),
            )
        )
    totals = [
        (sum(counts.get((stage, state), 0) for state in states), ledger_link(stage=stage))
        for stage in stages
    ]
    return Chart(
        key="cases_by_stage_state",
        title="办件：按阶段和状态",
        unit="件",
        categories=[(stage, stage_labels.get(stage, stage)) for stage in stages],
        series=series,
        stacked=True,
        note="可见的全部办件，按事项所属阶段和当前状态。",
        totals=totals,
    )


def chart_on_time_trend(cases, month: dt.date) -> Chart:
    months = _months_back(month, TREND_MONTHS)
    last = Period.month(month.year, month.month).end
    rows = (
        cases.filter(
            state=case_lifecycle.COMPLETED, actual_finish__gte=months[0], actual_finish__lte=last
        )
        .annotate(month=TruncMonth("actual_finish"))
        .order_by()
        .values("month")
        .annotate(
            completed=Count("pk"),
            on_time=Count("pk", filter=Q(actual_finish__lte=F("due_date"))),
        )
    )
    by_month = {_month_key(row["month"]): (row["completed"], row["on_time"]) for row in rows}
    keys = [f"{m:%Y-%m}" for m in months]
    rates, links, texts = [], [], []
    for key in keys:
        completed, on_time = by_month.get(key, (0, 0))
        rate = on_time / completed if completed else None
        rates.append(_percent(rate))
        links.append(ledger_link(finished=key) if completed else None)
        texts.append(_rate_text(rate, on_time, completed))
    return Chart(
        key="on_time_trend",
        title="承诺时限内办结率：近 12 个月",
        unit="%",
        categories=[(key, key) for key in keys],
        series=[
            Series(
                key="promise_kept_rate",
                label="承诺事项兑现率",
                values=rates,
                links=links,
                texts=texts,
                colour="#2563eb",
            )
        ],
        note="每月办结的办件中，在承诺办结期限内办结的比例（括号内：按期/办结件数）。",
    )


def chart_overdue_by_department(cases, today: dt.date) -> Chart:
    rows = list(
        cases.filter(state__in=RUNNING, due_date__lt=today)
        .order_by()
        .values("department_id", "department__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "department__name")
    )
    shown, more = rows[:DEPARTMENT_BARS], max(0, len(rows) - DEPARTMENT_BARS)
    values = [row["n"] for row in shown]
    return Chart(
        key="overdue_by_department",
        title="超期未办结办件：按办理部门",
        unit="件",
        categories=[
            (str(row["department_id"] or ""), row["department__name"] or "（未指定部门）")
            for row in shown
        ],
        series=[
            Series(
                key="overdue_open",
                label="超期件数",
                values=values,
                links=[
                    ledger_link(warning="red", department=row["department_id"])
                    if row["department_id"]
                    else None
                    for row in shown
                ],
                texts=[str(n) for n in values],
                colour="#dc2626",
            )
        ],
        horizontal=True,
        note="计时中（已受理、容缺受理）且已过承诺办结期限的办件，即台账的红色预警。",
        more=more,
    )


def chart_satisfaction(ratings, period: Period) -> Chart:
    rows = (
        ratings.filter(rated_at__gte=period.start_at, rated_at__lt=period.end_before)
        .order_by()
        .values("level")
        .annotate(n=Count("pk"))
    )
    counts = {row["level"]: row["n"] for row in rows}
    levels = list(Level)
    values = [counts.get(level.value, 0) for level in levels]
    total = sum(values)
    return Chart(
        key="satisfaction",
        title=f"好差评：{period.label}",
        unit="件",
        categories=[(level.value, level.label) for level in levels],
        series=[
            Series(
                key="ratings",
                label="评价件数",
                values=values,
                links=[
                    ratings_link(level=level.value, month=period.token) if n else None
                    for level, n in zip(levels, values, strict=True)
                ],
                texts=[f"{n}（{n / total * 100:.1f}%）" if total else "0" for n in values],
                colour=[LEVEL_COLOURS[level] for level in levels],
            )
        ],
        note="该月作出的评价（企业网上评价、回访记录、窗口评价），按五级评价等级。",
    )


def chart_rates_by_department(user, period: Period, today: dt.date) -> Chart:
    rows = [
        row
        for row in metric_rows(user, period, by="department", today=today)
        if row.accepted or row.completed
    ]
    rows.sort(key=lambda row: (-(row.accepted + row.completed), row.label))
    shown, more = rows[:DEPARTMENT_BARS], max(0, len(rows) - DEPARTMENT_BARS)
    token = period.token
    completion = Series(
        key="completion_rate",
        label="办结率",
        values=[_percent(row.completion_rate) for row in shown],
        links=[
            ledger_link(department=row.key, accepted=token) if row.key and row.accepted else None
            for row in shown
        ],
        texts=[
            _rate_text(row.completion_rate, row.accepted_completed, row.accepted) for row in shown
        ],
        colour="#16a34a",
    )
    promise = Series(
        key="promise_kept_rate",
        label="承诺事项兑现率",
        values=[_percent(row.promise_kept_rate) for row in shown],
        links=[
            ledger_link(department=row.key, finished=token) if row.key and row.completed else None
            for row in shown
        ],
        texts=[
            _rate_text(row.promise_kept_rate, row.completed_on_time, row.completed) for row in shown
        ],
        colour="#2563eb",
    )
    return Chart(
        key="rates_by_department",
        title=f"办结率与承诺事项兑现率：按部门（{period.label}）",
        unit="%",
        categories=[(str(row.key or ""), row.label) for row in shown],
        series=[completion, promise],
        horizontal=True,
        note="办结率：当月受理的办件中截至月末已办结的比例（链接：当月受理的办件）；"
        "承诺事项兑现率：当月办结的办件中在承诺期限内办结的比例（链接：当月办结的办件）。",
        more=more,
    )


# --- lists ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueRow:
    title: str
    detail: str
    due_date: dt.date | None
    link: str | None
    overdue: bool
    today: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "detail": self.detail,
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "link": self.link,
            "overdue": self.overdue,
            "today": self.today,
        }


@dataclass(frozen=True)
class DueList:
    key: str
    title: str
    overdue: int
    today: int
    week: int  # due from Monday to Sunday of this week (today's included)
    rows: list[DueRow]
    link: str | None  # the full list
    overdue_link: str | None = None
    today_link: str | None = None
    week_link: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "overdue": self.overdue,
            "today": self.today,
            "week": self.week,
            "rows": [row.as_dict() for row in self.rows],
            "link": self.link,
            "overdue_link": self.overdue_link,
            "today_link": self.today_link,
            "week_link": self.week_link,
        }


def _week(today: dt.date) -> tuple[dt.date, dt.date]:
    monday = today - dt.timedelta(days=today.weekday())
    return monday, monday + dt.timedelta(days=6)


def _due_counts(queryset, today: dt.date) -> dict[str, int]:
    monday, sunday = _week(today)
    return queryset.order_by().aggregate(
        overdue=Count("pk", filter=Q(due_date__lt=today)),
        today=Count("pk", filter=Q(due_date=today)),
        week=Count("pk", filter=Q(due_date__gte=monday, due_date__lte=sunday)),
    )


def _due_rows(queryset, today: dt.date):
    """The open records due by Sunday, the earliest (overdue) first; one query."""
    _, sunday = _week(today)
    return queryset.filter(due_date__lte=sunday).order_by("due_date", "pk")[:LIST_ROWS]


def _row(title, detail, due, link, today) -> DueRow:
    return DueRow(title, detail, due, link, bool(due and due < today), due == today)


def due_cases(cases, today: dt.date) -> DueList:
    running = cases.filter(state__in=RUNNING)
    counts = _due_counts(running, today)
    rows = _due_rows(running.select_related("item", "department", "commission__project"), today)
    return DueList(
        key="cases",
        title="办件",
        rows=[
            _row(
                f"{case.code} {case.item.name}",
                f"{case.commission.project.name} · {case.department.name if case.department else ''}",
                case.due_date,
                _link("cases:case_detail", None, case.pk),
                today,
            )
            for case in rows
        ],
        link=ledger_link(state="open"),
        overdue_link=ledger_link(warning="red"),
        today_link=ledger_link(due="today"),
        week_link=ledger_link(due="week"),
        **counts,
    )


def due_rectifications(user, today: dt.date) -> DueList:
    queryset = _scoped(Rectification, user).filter(state__in=OPEN_RECTIFICATION)
    counts = _due_counts(queryset, today)
    rows = _due_rows(queryset.select_related("rating", "commission__project", "department"), today)
    return DueList(
        key="rectifications",
        title="差评整改",
        rows=[
            _row(
                f"{row.commission.project.name}：{row.rating.get_level_display()}",
                f"{row.get_state_display()} · {row.department.name if row.department else ''}",
                row.due_date,
                _link("evaluation:rectification_detail", None, row.pk),
                today,
            )
            for row in rows
        ],
        link=_link("evaluation:rectification_list"),
        overdue_link=_link("evaluation:rectification_list", {"overdue": "1"}),
        **counts,
    )


def due_visits(user, today: dt.date) -> DueList:
    queryset = _scoped(FollowUpVisit, user).filter(state=FollowUpVisit.State.SCHEDULED)
    counts = _due_counts(queryset, today)
    rows = _due_rows(queryset.select_related("commission__project"), today)
    return DueList(
        key="visits",
        title="回访",
        rows=[
            _row(
                row.commission.project.name,
                row.get_reason_display(),
                row.due_date,
                _link("evaluation:visit_detail", None, row.pk),
                today,
            )
            for row in rows
        ],
        link=_link("evaluation:visit_list"),
        overdue_link=_link("evaluation:visit_list", {"overdue": "1"}),
        **counts,
    )


def due_complaints(user, today: dt.date) -> DueList:
    queryset = _scoped(Complaint, user).filter(state__in=OPEN_COMPLAINT, due_date__isnull=False)
    counts = _due_counts(queryset, today)
    rows = _due_rows(queryset.select_related("subject_department"), today)
    return DueList(
        key="complaints",
        title="投诉",
        rows=[
            _row(
                f"{row.get_channel_display()} · {row.get_category_display()}",
                row.subject_department.name if row.subject_department else "",
                row.due_date,
                _link("evaluation:complaint_detail", None, row.pk),
                today,
            )
            for row in rows
        ],
        link=_link("evaluation:complaint_list"),
        overdue_link=_link("evaluation:complaint_list", {"overdue": "1"}),
        **counts,
    )


def due_action_items(user, today: dt.date) -> DueList:
    queryset = action_item_list_for(user, today=today).filter(status=ActionItem.Status.OPEN)
    counts = _due_counts(queryset, today)
    rows = _due_rows(queryset, today)
    return DueList(
        key="action_items",
        title="会议议定事项",
        rows=[
            _row(
                row.text,
                f"{row.meeting.title} · {row.owner_department.name if row.owner_department else ''}",
                row.due_date,
                _link("coordination:meeting_detail", None, row.meeting_id),
                today,
            )
            for row in rows
        ],
        link=_link("coordination:action_item_list", {"status": "open"}),
        overdue_link=_link("coordination:action_item_list", {"status": "open", "overdue": "1"}),
        **counts,
    )


# --- the dashboard --------------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    today: dt.date
    period: Period
    charts: list[Chart]
    due: list[DueList]
    escalations: list[Escalation]
    escalations_open: int
    shortages: list[staffing.StaffingRow]
    shortages_count: int

    @property
    def previous_month(self) -> str:
        first = self.period.start - dt.timedelta(days=1)
        return f"{first:%Y-%m}"

    @property
    def next_month(self) -> str | None:
        following = self.period.end + dt.timedelta(days=1)
        return None if following > self.today else f"{following:%Y-%m}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "month": self.period.token,
            "month_label": self.period.label,
            "charts": [chart.as_dict() for chart in self.charts],
            "due": [due.as_dict() for due in self.due],
            "escalations": {
                "open": self.escalations_open,
                "link": _link("cases:escalation_list", {"state": "open"}),
                "rows": [
                    {
                        "id": row.pk,
                        "kind": row.kind,
                        "kind_label": row.get_kind_display(),
                        "problem": row.problem,
                        "project": row.commission.project.name,
                        "raised_at": row.raised_at.isoformat(),
                        "link": _link("cases:escalation_detail", None, row.pk),
                    }
                    for row in self.escalations
                ],
            },
            "staffing": {
                "short": self.shortages_count,
                "link": _link("supervision:staffing"),
                "rows": [row.as_dict() for row in self.shortages],
            },
        }


def parse_month(text: str | None, today: dt.date) -> Period:
    """The chosen month ("YYYY-MM"; empty: the current month). ValueError with a Chinese
    message for anything else, or a month after the current one."""
    if not text:
        return Period.month(today.year, today.month)
    period = Period.parse(text)
    if period.kind != "month":
        raise ValueError("请选择月份，格式如 2026-10。")
    if period.start > today:
        raise ValueError("不能选择尚未开始的月份。")
    return period


def dashboard_for(user, *, month: str | None = None, today: dt.date | None = None) -> Dashboard:
    """Everything the dashboard shows for ``user`` (who must pass :func:`may_view_dashboard`)
    for the month ``month`` ("YYYY-MM", default the current one)."""
    today = today or timezone.localdate()
    period = parse_month(month, today)
    cases = selectors.scoped_cases(user)
    charts = [
        chart_cases_by_stage_state(cases),
        chart_on_time_trend(cases, period.start),
        chart_overdue_by_department(cases, today),
        chart_satisfaction(_scoped(Rating, user), period),
        chart_rates_by_department(user, period, today),
    ]
    due = [
        due_cases(cases, today),
        due_rectifications(user, today),
        due_visits(user, today),
        due_complaints(user, today),
        due_action_items(user, today),
    ]
    escalations = escalation_list_for(user).filter(state=Escalation.State.OPEN)
    minimums = staffing.minimums_by_id()
    shortages = staffing.staffing_shortages(user)
    return Dashboard(
        today=today,
        period=period,
        charts=charts,
        due=due,
        escalations=list(escalations[:LIST_ROWS]),
        escalations_open=escalations.count(),
        shortages=staffing.staffing_rows(shortages[:LIST_ROWS], minimums),
        shortages_count=shortages.count(),
    )
