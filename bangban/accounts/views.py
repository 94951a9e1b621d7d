from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from bangban.catalog.selectors import catalog_version_published, item_list_published
from bangban.workdays.selectors import due_date

from .forms import LoginForm
from .models import Role


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


def landing(request):
    if request.user.is_authenticated:
        return redirect("accounts:home")
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


@login_required
def home(request):
    user = request.user
    version = catalog_version_published()
    items = item_list_published()
    context = {
        "title": WORKBENCH_TITLES.get(user.role, "工作台"),
        "version": version,
        "item_count": items.count(),
        "department_count": items.values("department").distinct().count(),
        "mode_counts": {row["service_mode"]: row["n"] for row in _mode_counts(items)},
    }
    return render(request, "accounts/home.html", context)


def _mode_counts(items):
    from django.db.models import Count

    return items.order_by().values("service_mode").annotate(n=Count("id"))


@login_required
def due_calculator(request):
    """HTMX widget: start date + working days → due date (flagged when provisional)."""
    from datetime import date

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
        request, "accounts/_due_result.html", {"error": error, "result": result, "days": days_text}
    )
