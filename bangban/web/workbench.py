"""Each role's workbench (我的工作台), composed from the apps' selectors and action tables.

A workbench is a tuple of **blocks** per role (:data:`ROLE_BLOCKS`), the role's own work
first: the agent's due and overdue cases and the commissions waiting for its step, the
department's inbox and decisions, the leader's escalations awaiting its instruction, the
supervisor's summary and its dashboard, the centre admin's unassigned applications, the
enterprise's to-do (sign, supply materials, confirm completion, rate). A block reads through
the selectors of the app that owns the data (scoped to the user there, never here) and asks
the app's action table who may do what; it runs a constant number of queries whatever the
number of rows (``tests/web/test_workbench.py`` counts them at two sizes per role) and shows
at most :data:`WORKBENCH_ROWS` rows, with a link to the full list.

Nothing here is business logic and nothing writes: the forms a block shows post to the
owning app's action endpoints.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Min, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from bangban.accounts.models import Role
from bangban.cases import escalations as escalation_table
from bangban.cases import lifecycle as case_lifecycle
from bangban.cases.models import Case, CaseMaterial, Escalation
from bangban.cases.selectors import (
    INBOX_TABS,
    case_filter,
    case_list_for,
    case_scope,
    escalation_list_for,
    inbox_tabs_for,
    warning_counts,
)
from bangban.coordination.actions import TASK_ORDERS
from bangban.coordination.models import TaskOrder
from bangban.coordination.selectors import (
    action_item_filter,
    action_item_list_for,
    task_order_list_for,
    task_order_scope,
)
from bangban.evaluation import lifecycle as evaluation_lifecycle
from bangban.evaluation.actions import RECTIFICATIONS, VISITS
from bangban.evaluation.selectors import (
    commissions_rated,
    rectification_filter,
    rectification_list_for,
    visit_filter,
    visit_list_for,
)
from bangban.evaluation.services import RATABLE_STATES
from bangban.projects import actions as commission_table
from bangban.projects import lifecycle
from bangban.projects.exports import documents_for
from bangban.projects.models import Commission
from bangban.projects.selectors import commission_list_for, project_list_for

#: How many rows each block shows (the full lists are one click away).
WORKBENCH_ROWS = 20

#: What each role's workbench is called.
WORKBENCH_TITLES = {
    Role.ENTERPRISE: "企业服务台",
    Role.SPONSOR: "招引项目跟踪",
    Role.AGENT: "代办帮办工作台",
    Role.DEPT_OFFICER: "部门审批工作台",
    Role.DEPT_HELPER: "部门帮办工作台",
    Role.CENTRE_ADMIN: "中心管理工作台",
    Role.ERRAND: "跑腿任务工作台",
    Role.SUPERVISOR: "督查工作台",
    Role.LEADER: "领导工作台",
}


@dataclass
class Block:
    """One block of a workbench: rendered by ``web/_workbench_<template>.html`` inside a
    section titled ``title`` with ``total`` beside it and a link to the full list."""

    key: str  # the section's id (``wb-<key>``), stable for tests and links
    template: str
    title: str
    rows: list = field(default_factory=list)
    total: int = 0
    link: str = ""
    link_label: str = "查看全部"
    empty: str = "暂无。"
    tone: str = ""  # "bad" (something overdue) or "warn" (waiting for the user)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def partial(self) -> str:
        return f"web/_workbench_{self.template}.html"

    @property
    def more(self) -> int:
        return max(self.total - len(self.rows), 0)


Builder = Callable[[Any, dt.date], "Block | None"]


def url(name: str, *args, query: str = "") -> str:
    """The URL of ``name``, or "" when that page is not installed: a block links only to
    pages that exist (the supervision and evaluation pages came with issue 13's other
    parts; a deployment's URL conf may leave some out)."""
    try:
        return reverse(name, args=args) + (f"?{query}" if query else "")
    except NoReverseMatch:
        return ""


def _page(queryset) -> tuple[list, int]:
    """The first rows of ``queryset`` and how many there are in all (two queries)."""
    return list(queryset[:WORKBENCH_ROWS]), queryset.count()


# --- cases: the agent's, the department's inbox, the region's overdue ones -------------------

#: The warning colours a due or overdue case shows (the ledger's annotation).
DUE_COLOURS = ("red", "yellow")


def agent_due_cases(user, today: dt.date) -> Block:
    """The agent's own cases (of the commissions it holds) whose clock is yellow or red, the
    earliest due first."""
    cases = case_list_for(user, today=today).filter(commission__agent=user, warning__in=DUE_COLOURS)
    rows, total = _page(cases)
    red = sum(1 for case in rows if case.warning == "red")
    return Block(
        "due-cases",
        "cases",
        "我的临期和超期办件",
        rows,
        total,
        url("cases:ledger", query="warning=red"),
        "办件台账",
        "没有临期或超期的办件。",
        tone="bad" if red else ("warn" if total else ""),
    )


#: The inbox tabs a department works on now (received, under review, suspended).
INBOX_NOW = ("submitted", "review", "suspended")
_INBOX_STATES = tuple(
    state for key, _label, states in INBOX_TABS if key in INBOX_NOW for state in states
)


def department_inbox(user, today: dt.date) -> Block | None:
    """收件箱: the cases awaiting the user's department — received (to accept) first, then
    under review by due date."""
    if not user.department_id:
        return None
    cases = (
        case_list_for(user, today=today)
        .filter(department_id=user.department_id, state__in=_INBOX_STATES)
        .order_by(F("due_date").asc(nulls_first=True), "submitted_on", "id")
    )
    rows, total = _page(cases)
    overdue = any(case.warning == "red" for case in rows)
    return Block(
        "inbox",
        "cases",
        "收件箱：待本部门受理和审查的办件",
        rows,
        total,
        url("cases:inbox"),
        "部门收件箱",
        "没有待受理或审查中的办件。",
        tone="bad" if overdue else ("warn" if total else ""),
    )


def errand_cases(user, today: dt.date) -> Block:
    """The errand company's open cases (those of its accepted task orders), by due date."""
    cases = case_list_for(user, today=today).filter(state__in=case_lifecycle.OPEN_STATES)
    rows, total = _page(cases)
    return Block(
        "errand-cases",
        "cases",
        "跑腿办件（办理中）",
        rows,
        total,
        url("cases:ledger", query="state=open"),
        "跑腿办件",
        "没有办理中的跑腿办件。",
    )


def overdue_summary(user, today: dt.date) -> Block:
    """The region's overdue cases: how many per department (the most first, each a link to the
    ledger filtered on it), and the most overdue cases themselves."""
    cases = case_list_for(user, today=today)
    colours = warning_counts(cases)
    red = cases.filter(warning="red")
    by_department = list(
        red.order_by()
        .values("department_id", "department__name")
        .annotate(n=Count("id"))
        .order_by("-n", "department__name")[:WORKBENCH_ROWS]
    )
    ledger = url("cases:ledger")
    for row in by_department:
        department = row["department_id"] or ""
        row["link"] = f"{ledger}?warning=red&department={department}"
    rows = list(red[:10])
    return Block(
        "overdue",
        "overdue",
        "超期办件",
        rows,
        colours.get("red", 0),
        f"{ledger}?warning=red",
        "查看全部超期办件",
        "辖区内没有超期办件。",
        tone="bad" if colours.get("red") else "",
        extra={"by_department": by_department, "yellow": colours.get("yellow", 0)},
    )


# --- commissions: the agent's next steps, the pool, the unassigned, the decisions -----------

#: The commission actions that move a commission forward (the workbench lists a commission
#: when its agent may take one of them now); assigning, recording originals and terminating
#: are always possible and are not "waiting for you".
STEP_SLUGS = frozenset(
    {
        "verify",
        "confirm-eligibility",
        "decide",
        "signed-scan",
        "agree",
        "complete",
        "completion-scan",
        "archive",
    }
)


def _step(slug: str, commission: Commission) -> tuple[str, str]:
    """(label, link) of a step of the commission's action table."""
    label = lifecycle.ACTION_LABELS[commission_table.BY_SLUG[slug].lifecycle]
    return label, reverse("projects:commission_detail", args=[commission.pk])


def commission_steps(user, commission: Commission) -> list[tuple[str, str]]:
    """What ``user`` may do now to move ``commission`` on, as (label, link): the commission's
    action table (:func:`commission_allowed_actions`) and, for a signed commission, the plan
    (the lifecycle's PLAN row). No query: a commission in progress is ready to complete only
    once its in-scope cases are all closed (``open_cases``, annotated by the caller); the
    page then says what else, if anything, is missing (a result not handed over)."""
    if commission.state == lifecycle.IN_PROGRESS:
        # completing asks the ledger (a query per commission): only when no case is open
        if commission.open_cases or not lifecycle.is_allowed(
            lifecycle.COMPLETE, commission.state, user.role
        ):
            return []
        return [_step("complete", commission)]
    steps = [
        _step(slug, commission)
        for slug in commission_table.commission_allowed_actions(user, commission)
        if slug in STEP_SLUGS
    ]
    if (
        lifecycle.is_allowed(lifecycle.PLAN, commission.state, user.role)
        and commission_table.commission_read_only_reason(user, commission) == ""
    ):
        steps.append(
            (
                lifecycle.ACTION_LABELS[lifecycle.PLAN],
                reverse("planning:commission_plan", args=[commission.pk]),
            )
        )
    return steps


def agent_commission_steps(user, today: dt.date) -> Block:
    """The agent's own commissions waiting for its step (核实, 签约, 制定方案, 办结, 归档…),
    oldest application first. One query: all its unarchived commissions (an agent holds tens),
    each asked of the action table in memory."""
    commissions = (
        commission_list_for(user)
        .filter(agent=user)
        .exclude(state=lifecycle.ARCHIVED)
        .select_related("eligibility_check")
        .annotate(
            open_cases=Count(
                "cases",
                filter=Q(cases__in_scope=True, cases__state__in=case_lifecycle.OPEN_STATES),
            )
        )
        .order_by("applied_at", "id")
    )
    waiting = []
    for commission in commissions:
        steps = commission_steps(user, commission)
        if steps:
            commission.steps = steps
            waiting.append(commission)
    return Block(
        "commission-steps",
        "commission_steps",
        "待我办理的代办委托",
        waiting[:WORKBENCH_ROWS],
        len(waiting),
        url("projects:commission_list"),
        "全部代办委托",
        "没有等待您操作的委托。",
        tone="warn" if waiting else "",
    )


def agent_pool(user, today: dt.date) -> Block:
    """New applications of the centre nobody has claimed yet (the agent may claim them)."""
    pool = commission_list_for(user).filter(agent__isnull=True, state=lifecycle.APPLIED)
    rows, total = _page(pool)
    rows = [c for c in rows if commission_table.commission_may(user, c, "assign")]
    return Block(
        "pool",
        "commissions",
        "本部门新申请（待认领）",
        rows,
        total,
        url("projects:commission_list", query="state=applied"),
        "全部委托",
        "暂无待认领的申请。",
        extra={"claim": True},
    )


def unassigned(user, today: dt.date) -> Block:
    """Open applications without an agent (the centre admin assigns them)."""
    pending = commission_list_for(user).filter(agent__isnull=True, state__in=lifecycle.OPEN_STATES)
    rows, total = _page(pending)
    return Block(
        "unassigned",
        "unassigned",
        "待指派代办员的申请",
        rows,
        total,
        url("projects:commission_list"),
        "全部委托",
        "没有待指派的申请。",
        tone="warn" if total else "",
    )


def to_decide(user, today: dt.date) -> Block | None:
    """待发改决定: commissions whose eligibility awaits the department's decision (the
    development and reform officer; shown only when there are some)."""
    candidates = commission_list_for(user).filter(awaiting_decision=True, state=lifecycle.APPLIED)
    rows = [c for c in candidates if commission_table.commission_may(user, c, "decide")]
    if not rows:
        return None
    return Block(
        "to-decide",
        "commissions",
        "待本部门决定的项目",
        rows[:WORKBENCH_ROWS],
        len(rows),
        url("projects:commission_list"),
        "全部委托",
        tone="warn",
    )


def open_commissions(title: str, empty: str) -> Builder:
    def build(user, today: dt.date) -> Block:
        rows, total = _page(commission_list_for(user).filter(state__in=lifecycle.OPEN_STATES))
        return Block(
            "commissions",
            "commissions",
            title,
            rows,
            total,
            url("projects:commission_list"),
            "全部委托",
            empty,
        )

    return build


# --- coordination: decisions and task orders --------------------------------------------------


def department_decisions(user, today: dt.date) -> Block | None:
    """The open decisions of meetings (议定事项) the user's department owns, by due date."""
    if not user.department_id:
        return None
    params = {"mine": "1", "status": "open"}
    items = action_item_filter(action_item_list_for(user, today=today), params, user).order_by(
        "due_date", "id"
    )
    rows, total = _page(items)
    overdue = any(item.overdue for item in rows)
    return Block(
        "decisions",
        "decisions",
        "本部门的议定事项（未完成）",
        rows,
        total,
        url("coordination:action_item_list", query="mine=1&status=open"),
        "我部门的议定事项",
        "没有未完成的议定事项。",
        tone="bad" if overdue else "",
    )


#: Task orders still being worked on (the others are in the list).
OPEN_ORDER_STATES = (TaskOrder.State.ISSUED, TaskOrder.State.ACCEPTED, TaskOrder.State.DECLINED)


def task_orders(*, hide_empty: bool) -> Builder:
    def build(user, today: dt.date) -> Block | None:
        orders = task_order_list_for(user).filter(state__in=OPEN_ORDER_STATES)
        rows, total = _page(orders)
        if hide_empty and not total:
            return None
        for order in rows:  # the task order's table: who may do what now (no query)
            order.steps = [TASK_ORDERS.label(slug) for slug in TASK_ORDERS.allowed(user, order)]
        waiting = any(order.steps for order in rows)
        return Block(
            "task-orders",
            "task_orders",
            "跑腿任务单（未办结）",
            rows,
            total,
            url("coordination:task_order_list"),
            "全部任务单",
            "没有未办结的任务单。",
            tone="warn" if waiting else "",
        )

    return build


# --- escalations -------------------------------------------------------------------------------


def escalations_to_answer(user, today: dt.date) -> Block:
    """上报事项 awaiting the user's instruction (the escalation table's ANSWER row decides
    who; one query over the open escalations the user sees)."""
    answer = escalation_table.BY_SLUG[escalation_table.ANSWER]
    waiting = [
        escalation
        for escalation in escalation_list_for(user).filter(state__in=answer.sources)
        if escalation_table.escalation_may(user, escalation, escalation_table.ANSWER)
    ]
    return Block(
        "escalations",
        "escalations",
        "待我批示的上报事项",
        waiting[:WORKBENCH_ROWS],
        len(waiting),
        url("cases:escalation_list"),
        "全部上报事项",
        "没有待批示的上报事项。",
        tone="warn" if waiting else "",
    )


# --- after service (bangban.evaluation) ----------------------------------------------------------


def _rectifications(user, today: dt.date, title: str) -> Block:
    """The rectifications the user answers for (``mine``: its own as the responsible agent,
    or its department's) still owed (核实, 整改), by due date, each with the steps the
    rectification table offers the user now."""
    owed = (
        rectification_filter(rectification_list_for(user, today=today), {"mine": "1"})
        .filter(state__in=evaluation_lifecycle.OPEN_RECTIFICATION_STATES)
        .order_by("due_date", "id")
    )
    rows, total = _page(owed)
    for row in rows:
        row.steps = [RECTIFICATIONS.label(slug) for slug in RECTIFICATIONS.allowed(user, row)]
        row.link = url("evaluation:rectification_detail", row.pk)
    return Block(
        "rectifications",
        "rectifications",
        title,
        rows,
        total,
        url("evaluation:rectification_list", query="mine=1"),
        "全部差评整改",
        "没有待核实或整改中的差评整改。",
        tone="bad" if any(row.overdue for row in rows) else ("warn" if total else ""),
    )


def agent_rectifications(user, today: dt.date) -> Block:
    return _rectifications(user, today, "我的差评整改")


def department_rectifications(user, today: dt.date) -> Block | None:
    """The department's rectifications (shown only when there are some)."""
    if not user.department_id:
        return None
    block = _rectifications(user, today, "本部门的差评整改")
    return block if block.total else None


def agent_visits(user, today: dt.date) -> Block:
    """Follow-up visits (回访) of the agent's commissions it may record now (the visit table:
    a sampled or manual visit; the return visit of a bad rating goes to someone else), the
    earliest due first. One query over the scheduled visits of its commissions (and one for
    their ratings)."""
    scheduled = visit_filter(visit_list_for(user, today=today), {"state": "scheduled"}).filter(
        commission__agent=user
    )
    due = [v for v in scheduled if VISITS.may(user, v, evaluation_lifecycle.RECORD)]
    for visit in due:
        visit.due_now = visit.due_date <= today
        visit.link = url("evaluation:visit_detail", visit.pk)
    return Block(
        "visits",
        "visits",
        "待回访",
        due[:WORKBENCH_ROWS],
        len(due),
        url("evaluation:visit_list", query="state=scheduled"),
        "全部回访",
        "没有待回访的委托。",
        tone="bad"
        if any(v.overdue for v in due)
        else ("warn" if any(v.due_now for v in due) else ""),
    )


# --- the enterprise: what it must do, its commissions, its projects --------------------------

#: The enterprise's steps in the commission table and what the to-do list calls them.
ENTERPRISE_STEPS = {
    "confirm-authorization": "在线确认授权委托书",
    "confirm-commitment": "在线确认承诺书",
    "confirm-completion": "确认办结",
}


def _rating_link(commission: Commission) -> str:
    """Where the enterprise rates a completed commission: the rating form of the ratings card
    on the commission's page (evaluation's page part)."""
    return reverse("projects:commission_detail", args=[commission.pk]) + "#rate-commission"


def enterprise_todo(user, today: dt.date) -> Block:
    """待您办理: letters to sign, materials to supply (容缺 to make good by a date, or still
    to hand in for a case its agent is preparing), completions to confirm, services to rate.
    Three queries: the commissions (asked of the action table), the materials grouped by
    case, the ratings."""
    commissions = list(commission_list_for(user))
    todo: list[dict[str, Any]] = []
    for commission in commissions:
        for slug in commission_table.commission_allowed_actions(user, commission):
            if slug in ENTERPRISE_STEPS:
                todo.append(
                    {
                        "kind": slug,
                        "label": ENTERPRISE_STEPS[slug],
                        "commission": commission,
                        "slug": slug,
                    }
                )
    materials = (
        CaseMaterial.objects.filter(case__in=Case.objects.filter(case_scope(user)).values("pk"))
        .filter(
            Q(status=CaseMaterial.Status.MISSING, case__state=case_lifecycle.ACCEPTED_GAPS)
            | Q(status=CaseMaterial.Status.PENDING, case__state=case_lifecycle.PREPARING)
        )
        .values(
            "case_id",
            "status",
            "case__item__name",
            "case__commission__project__name",
            "case__commission_id",
        )
        .annotate(n=Count("id"), due=Min("supplement_due"))
        .order_by(F("due").asc(nulls_last=True), "case_id", "status")
    )
    for row in materials:
        missing = row["status"] == CaseMaterial.Status.MISSING
        todo.append(
            {
                "kind": "supplement" if missing else "materials",
                "label": (
                    f"补齐容缺材料 {row['n']} 份" if missing else f"准备申报材料 {row['n']} 份"
                ),
                "item": row["case__item__name"],
                "project": row["case__commission__project__name"],
                "due": row["due"],
                "late": bool(missing and row["due"] and row["due"] < today),
                "link": reverse("cases:case_detail", args=[row["case_id"]]),
            }
        )
    rateable = [c for c in commissions if c.state in RATABLE_STATES]
    if rateable:  # rated once per commission, online or at the window (evaluation.services)
        rated = commissions_rated(user, [c.pk for c in rateable])
        for commission in rateable:
            if commission.pk not in rated:
                todo.append(
                    {
                        "kind": "rate",
                        "label": "评价代办服务",
                        "commission": commission,
                        "link": _rating_link(commission),
                    }
                )
    late = any(entry.get("late") for entry in todo)
    return Block(
        "todo",
        "enterprise_todo",
        "待您办理",
        todo[:WORKBENCH_ROWS],
        len(todo),
        empty="目前没有需要您办理的事项。",
        tone="bad" if late else ("warn" if todo else ""),
    )


def enterprise_commissions(user, today: dt.date) -> Block:
    """The enterprise's commissions as cards (state, agent, documents; the letters to sign and
    the completion to confirm), the newest first."""
    rows, total = _page(commission_list_for(user))
    for commission in rows:
        commission.documents = documents_for(commission)
    return Block(
        "my-commissions",
        "enterprise_commissions",
        "我的代办委托",
        rows,
        total,
        url("projects:commission_list"),
        "全部委托",
        "还没有代办委托。点击“申请代办帮办服务”提交申请，服务免费。",
    )


def projects(title: str, link_name: str = "") -> Builder:
    def build(user, today: dt.date) -> Block:
        rows, total = _page(project_list_for(user))
        link = url(link_name) if link_name else ""
        return Block("projects", "projects", title, rows, total, link, "全部项目", "暂无项目。")

    return build


# --- supervisors, leaders, centre admins: the dashboard and the tools --------------------------


def dashboard(user, today: dt.date) -> Block | None:
    """The supervision dashboard (charts, what is due, units short of staff): a prominent link
    and the compact figures of the work strip above; the dashboard itself is the
    supervision app's page."""
    link = url("supervision:dashboard")
    if not link:
        return None
    return Block(
        "dashboard",
        "dashboard",
        "督查看板",
        link=link,
        link_label="打开督查看板",
        extra={
            "staffing": url("supervision:staffing", query="short=1"),
            "report": url("supervision:monthly_report_list"),
        },
    )


def admin_tools(user, today: dt.date) -> Block:
    """The centre admin's tools: registering, assigning, the catalog in the admin, the units
    short of staff, the deadline calculator."""
    links = [
        (url("projects:window_apply"), "窗口登记申请"),
        (url("projects:consultation_list"), "咨询登记"),
        (url("coordination:meeting_create"), "安排会议"),
        (url("supervision:staffing", query="short=1"), "人员配备缺口"),
        (url("web:tools"), "办理时限计算"),
    ]
    if user.has_perm("catalog.view_item"):
        links.append((url("admin:catalog_item_changelist"), "事项清单管理"))
    return Block(
        "tools",
        "links",
        "管理与工具",
        [(link, label) for link, label in links if link],
    )


# --- the roles -----------------------------------------------------------------------------

ROLE_BLOCKS: dict[str, tuple[Builder, ...]] = {
    Role.AGENT: (
        agent_due_cases,
        agent_commission_steps,
        agent_rectifications,
        agent_visits,
        agent_pool,
    ),
    Role.DEPT_OFFICER: (
        department_inbox,
        to_decide,
        department_decisions,
        department_rectifications,
    ),
    Role.DEPT_HELPER: (department_inbox, department_decisions, department_rectifications),
    Role.LEADER: (escalations_to_answer, overdue_summary, dashboard),
    Role.SUPERVISOR: (dashboard, overdue_summary),
    Role.CENTRE_ADMIN: (unassigned, overdue_summary, admin_tools),
    Role.SPONSOR: (
        open_commissions("引入项目的代办委托", "暂无进行中的委托。"),
        projects("我引入的项目", "projects:sponsor_home"),
        task_orders(hide_empty=True),
    ),
    Role.ERRAND: (task_orders(hide_empty=False), errand_cases),
    Role.ENTERPRISE: (
        enterprise_todo,
        enterprise_commissions,
        projects("我的项目"),
    ),
}


def blocks_for(user, *, today: dt.date | None = None) -> list[Block]:
    """The blocks of ``user``'s workbench, in order (a block with nothing to offer is left
    out)."""
    today = today or timezone.localdate()
    blocks = (build(user, today) for build in ROLE_BLOCKS.get(user.role, ()))
    return [block for block in blocks if block is not None]


# --- the work in figures (the strip above the blocks) -------------------------------------------


def figures_for(user, *, today: dt.date | None = None) -> list[tuple[str, int, str, str]]:
    """The role's work in figures, each a link to the list behind it: (label, count, link,
    tone). A few grouped queries, whatever the numbers."""
    today = today or timezone.localdate()
    role = user.role
    work = []
    if role in (Role.DEPT_OFFICER, Role.DEPT_HELPER) and user.department_id:
        inbox = reverse("cases:inbox")
        for key, label, n in inbox_tabs_for(user)[:3]:
            tone = "warn" if key == "submitted" and n else ""
            work.append((f"收件箱 · {label}", n, f"{inbox}?tab={key}", tone))
        overdue = action_item_filter(
            action_item_list_for(user, today=today), {"mine": "1", "overdue": "1"}, user
        ).count()
        work.append(
            (
                "本部门议定事项 · 超期",
                overdue,
                reverse("coordination:action_item_list") + "?mine=1&overdue=1",
                "bad" if overdue else "",
            )
        )
    if role in (Role.AGENT, Role.CENTRE_ADMIN, Role.SUPERVISOR, Role.LEADER):
        cases = case_list_for(user, today=today)
        if role == Role.AGENT:
            cases = cases.filter(commission__agent=user)
        colours = warning_counts(cases)
        ledger = reverse("cases:ledger")
        work.append(
            ("办件 · 红色预警（超期）", colours.get("red", 0), f"{ledger}?warning=red", "bad")
        )
        work.append(
            (
                "办件 · 黄色预警（临期）",
                colours.get("yellow", 0),
                f"{ledger}?warning=yellow",
                "warn",
            )
        )
        if role != Role.AGENT:
            week = case_filter(cases, {"due": "week"}, today=today).count()
            work.append(("办件 · 本周到期", week, f"{ledger}?due=week", "warn"))
    if role in (Role.AGENT, Role.LEADER, Role.CENTRE_ADMIN, Role.SUPERVISOR):
        waiting = escalation_list_for(user).filter(state=Escalation.State.OPEN).count()
        work.append(("上报事项 · 待批示", waiting, reverse("cases:escalation_list"), "warn"))
    if role == Role.ERRAND:
        states = dict(
            TaskOrder.objects.filter(task_order_scope(user))
            .order_by()
            .values_list("state")
            .annotate(n=Count("id"))
        )
        orders = reverse("coordination:task_order_list")
        for state, label in (("issued", "待接单"), ("accepted", "办理中")):
            n = states.get(state, 0)
            work.append(
                (
                    f"跑腿任务单 · {label}",
                    n,
                    f"{orders}?state={state}",
                    "warn" if state == "issued" and n else "",
                )
            )
        work.append(("跑腿办件", case_list_for(user).count(), reverse("cases:ledger"), ""))
    return [(label, n, link, tone if n else "") for label, n, link, tone in work]
