"""The workbench (我的工作台), the messages page, the tools page and the due-date widget: the
web shell that composes what the apps below it offer for each role (the blocks of each
role's workbench are in ``workbench.py``). Nothing here is business logic; it reads through
the apps' selectors."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from bangban.accounts.models import Role
from bangban.cases.selectors import case_list_for
from bangban.coordination.models import ActionItem, Meeting, TaskOrder
from bangban.coordination.selectors import meeting_scope, task_order_scope
from bangban.notifications.selectors import notification_list_for, notification_unread_count
from bangban.notifications.services import notification_mark_read
from bangban.projects.selectors import commission_list_for
from bangban.workdays.selectors import due_date

from .workbench import WORKBENCH_TITLES, blocks_for, figures_for


def landing(request):
    if request.user.is_authenticated:
        return redirect("web:home")
    return redirect("catalog:item_list")


@login_required
def home(request):
    """The workbench: the role's own work first (``workbench.blocks_for``: each block reads
    through the selectors of the app that owns it), its work in figures, its messages. The
    enterprise's one home: ``projects:portal`` redirects here."""
    user = request.user
    context = {
        "title": WORKBENCH_TITLES.get(user.role, "工作台"),
        "work": figures_for(user),
        "blocks": blocks_for(user),
        "notifications": _linked(user, list(notification_list_for(user)[:8])),
        "unread_count": notification_unread_count(user),
    }
    return render(request, "web/home.html", context)


def _linked(user, rows: list) -> list:
    for row, link in zip(rows, message_links(user, rows), strict=True):
        row.link = link
    return rows


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


#: Who finds the deadline calculator among its tools (the menu's 「工具」).
TOOL_ROLES = (Role.AGENT, Role.CENTRE_ADMIN, Role.DEPT_OFFICER, Role.DEPT_HELPER)


@login_required
def tools(request):
    """工具: the deadline calculator (working days from an acceptance date) — staff's tool,
    moved here from the workbench."""
    if request.user.role not in TOOL_ROLES and not request.user.is_superuser:
        raise Http404("该页面仅供代办帮办员、中心管理员和部门人员使用。")
    return render(request, "web/tools.html")


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
