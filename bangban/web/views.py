"""The workbench (我的工作台), the messages page and the due-date widget: the web shell that
composes what the apps below it offer for each role. Nothing here is business logic; it reads
through the apps' selectors."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse

from bangban.accounts.models import Role
from bangban.cases.selectors import case_list_for
from bangban.catalog.selectors import catalog_version_published, item_list_published
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
        "notifications": list(notification_list_for(user)[:8]),
        "unread_count": notification_unread_count(user),
    }
    context.update(_role_lists(user))
    return render(request, "web/home.html", context)


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
    rows = list(page.object_list)
    for row, link in zip(rows, message_links(request.user, rows), strict=True):
        row.link = link
    return render(
        request,
        "web/messages.html",
        {"page": page, "rows": rows, "unread_count": notification_unread_count(request.user)},
    )


def _case_id(key: str) -> int | None:
    head, _, rest = key.partition(":")
    number = rest.partition(":")[0]
    return int(number) if head == "case" and number.isdigit() else None


def message_links(user, rows) -> list[str]:
    """Where each message leads: its case or its commission, only when the user may open it
    (two queries for a page of messages); "" otherwise, so no message leads to a 404."""
    case_ids = {cid for row in rows if (cid := _case_id(row.dedupe_key))}
    commission_ids = {row.commission_id for row in rows if row.commission_id}
    cases = set(case_list_for(user).filter(pk__in=case_ids).values_list("pk", flat=True))
    commissions = set(
        commission_list_for(user).filter(pk__in=commission_ids).values_list("pk", flat=True)
    )
    links = []
    for row in rows:
        case_id = _case_id(row.dedupe_key)
        if case_id in cases:
            links.append(reverse("cases:case_detail", args=[case_id]))
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
        result = due_date(start, days)
    return render(
        request, "web/_due_result.html", {"error": error, "result": result, "days": days_text}
    )
