"""The workbench (我的工作台), the messages page and the due-date widget: the web shell that
composes what the apps below it offer for each role. Nothing here is business logic; it reads
through the apps' selectors."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from bangban.accounts.models import Role
from bangban.cases.models import Escalation
from bangban.cases.selectors import (
    case_list_for,
    escalation_list_for,
    inbox_tabs_for,
    warning_counts,
)
from bangban.catalog.selectors import catalog_version_published, item_list_published
from bangban.coordination import lifecycle as coordination_lifecycle
from bangban.coordination.models import ActionItem, Meeting, TaskOrder
from bangban.coordination.selectors import meeting_scope, task_order_scope
from bangban.notifications.selectors import notification_list_for, notification_unread_count
from bangban.notifications.services import notification_mark_read
from bangban.projects import lifecycle
from bangban.projects.selectors import commission_list_for
from bangban.workdays.selectors import due_date


def landing(request):
    if request.user.is_authenticated:
        return redirect("web:home")
    return redirect("catalog:item_list")


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


#: How many rows each list of the workbench shows (the full lists are one click away).
WORKBENCH_ROWS = 20


@login_required
def home(request):
    """The workbench: what the user's role has to do now, its messages, and the tools."""
    user = request.user
    version = catalog_version_published()
    items = item_list_published()
    context = {
        "title": WORKBENCH_TITLES.get(user.role, "工作台"),
        "version": version,
        "item_count": items.count(),
        "department_count": items.values("department").distinct().count(),
        "mode_counts": {row["service_mode"]: row["n"] for row in _mode_counts(items)},
        "notifications": _linked(user, list(notification_list_for(user)[:8])),
        "unread_count": notification_unread_count(user),
    }
    context.update(_role_lists(user))
    context["work"] = _work(user)
    return render(request, "web/home.html", context)


def _work(user) -> list[tuple[str, int, str, str]]:
    """The role's work in figures, each a link to the list behind it: (label, count, link,
    tone). A few grouped queries, whatever the numbers."""
    role = user.role
    work = []
    if role in (Role.DEPT_OFFICER, Role.DEPT_HELPER) and user.department_id:
        inbox = reverse("cases:inbox")
        for key, label, n in inbox_tabs_for(user)[:3]:
            tone = "warn" if key == "submitted" and n else ""
            work.append((f"收件箱 · {label}", n, f"{inbox}?tab={key}", tone))
        items = ActionItem.objects.filter(
            owner_department_id=user.department_id, status=coordination_lifecycle.OPEN
        )
        overdue = items.filter(due_date__lt=timezone.localdate()).count()
        work.append(
            (
                "本部门议定事项 · 超期",
                overdue,
                reverse("coordination:action_item_list"),
                "bad" if overdue else "",
            )
        )
    if role in (Role.AGENT, Role.CENTRE_ADMIN, Role.SUPERVISOR, Role.LEADER):
        cases = case_list_for(user)
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


def _linked(user, rows: list) -> list:
    for row, link in zip(rows, message_links(user, rows), strict=True):
        row.link = link
    return rows


def _role_lists(user) -> dict:
    """The lists of the user's role; each is one query (constant whatever the number of rows)."""
    commissions = commission_list_for(user)
    if user.role == Role.AGENT:
        return {
            "my_commissions": list(
                commissions.filter(agent=user, state__in=lifecycle.OPEN_STATES)[:WORKBENCH_ROWS]
            ),
            "pool_new": list(
                commissions.filter(agent__isnull=True, state=lifecycle.APPLIED)[:WORKBENCH_ROWS]
            ),
        }
    if user.role == Role.CENTRE_ADMIN:
        return {
            "unassigned": list(
                commissions.filter(agent__isnull=True, state__in=lifecycle.OPEN_STATES)[
                    :WORKBENCH_ROWS
                ]
            ),
            "state_counts": _state_counts(commissions),
        }
    if user.role in (Role.ENTERPRISE, Role.DEPT_OFFICER, Role.DEPT_HELPER, Role.SPONSOR):
        return {
            "open_commissions": list(
                commissions.filter(state__in=lifecycle.OPEN_STATES)[:WORKBENCH_ROWS]
            )
        }
    if user.role in (Role.SUPERVISOR, Role.LEADER):
        return {"state_counts": _state_counts(commissions)}
    return {}


def _state_counts(commissions) -> list[tuple[str, str, int]]:
    counts = {
        row["state"]: row["n"]
        for row in commissions.order_by().values("state").annotate(n=Count("id"))
    }
    return [(state, label, counts.get(state, 0)) for state, label in lifecycle.STATE_LABELS.items()]


@login_required
def messages_page(request):
    """消息: the user's in-app messages (its own and its department's)."""
    if request.method == "POST":
        notification_mark_read(user=request.user)
        return redirect("web:messages")
    page = Paginator(notification_list_for(request.user), 30).get_page(request.GET.get("page"))
    rows = _linked(request.user, list(page.object_list))
    return render(
        request,
        "web/messages.html",
        {"page": page, "rows": rows, "unread_count": notification_unread_count(request.user)},
    )


def _keyed(key: str) -> tuple[str, int] | None:
    """("case", 12) for a message keyed "case:12:…" (the event key its sender gave)."""
    head, _, rest = key.partition(":")
    number = rest.partition(":")[0]
    return (head, int(number)) if head in MESSAGE_TARGETS and number.isdigit() else None


def _visible_cases(user, ids):
    return {pk: pk for pk in case_list_for(user).filter(pk__in=ids).values_list("pk", flat=True)}


def _visible_meetings(user, ids):
    found = Meeting.objects.filter(meeting_scope(user), pk__in=ids).values_list("pk", flat=True)
    return {pk: pk for pk in found}


def _visible_action_items(user, ids):
    """A decision's message opens its meeting, when the user sees that meeting."""
    meetings = Meeting.objects.filter(meeting_scope(user)).values("pk")
    found = ActionItem.objects.filter(pk__in=ids, meeting__in=meetings)
    return dict(found.values_list("pk", "meeting_id"))


def _visible_task_orders(user, ids):
    found = TaskOrder.objects.filter(task_order_scope(user), pk__in=ids)
    return {pk: pk for pk in found.values_list("pk", flat=True)}


#: A message's key head → (which of the ids the user may open → the page's id, the page).
MESSAGE_TARGETS = {
    "case": (_visible_cases, "cases:case_detail"),
    "meeting": (_visible_meetings, "coordination:meeting_detail"),
    "action-item": (_visible_action_items, "coordination:meeting_detail"),
    "task-order": (_visible_task_orders, "coordination:task_order_detail"),
}


def message_links(user, rows) -> list[str]:
    """Where each message leads: the case, meeting or task order it is about, else its
    commission — only when the user may open that page (one query per kind of page on the
    list); "" otherwise, so no message leads to a 404."""
    wanted: dict[str, set[int]] = {}
    for row in rows:
        if keyed := _keyed(row.dedupe_key):
            wanted.setdefault(keyed[0], set()).add(keyed[1])
    visible = {head: MESSAGE_TARGETS[head][0](user, ids) for head, ids in wanted.items()}
    commission_ids = {row.commission_id for row in rows if row.commission_id}
    commissions = set(
        commission_list_for(user).filter(pk__in=commission_ids).values_list("pk", flat=True)
    )
    links = []
    for row in rows:
        keyed = _keyed(row.dedupe_key)
        target = visible.get(keyed[0], {}).get(keyed[1]) if keyed else None
        if target is not None:
            links.append(reverse(MESSAGE_TARGETS[keyed[0]][1], args=[target]))
        elif row.commission_id in commissions:
            links.append(reverse("projects:commission_detail", args=[row.commission_id]))
        else:
            links.append("")
    return links


def _mode_counts(items):
    return items.order_by().values("service_mode").annotate(n=Count("id"))


@login_required
def due_calculator(request):
    """HTMX widget: start date + working days → due date (flagged when provisional)."""
    error = result = None
    start_text = request.GET.get("start", "")
    days_text = request.GET.get("days", "")
    try:
        start = date.fromisoformat(start_text)
        days = int(days_text)
        if not 0 <= days <= 1000:
            raise ValueError
    except ValueError:
        error = "请输入有效的起算日期（YYYY-MM-DD）和 0 到 1000 之间的工作日数。"
    else:
        try:
            result = due_date(start, days)
        except ValueError:  # past 9999-12-31: beyond any calendar
            error = "计算结果超出可计算的日期范围（9999-12-31 以前），请检查起算日期。"
    return render(
        request, "web/_due_result.html", {"error": error, "result": result, "days": days_text}
    )
