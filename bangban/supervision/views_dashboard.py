"""The dashboard (督查看板) and the staffing list (人员配备) pages. Thin: the data comes from
:mod:`bangban.supervision.dashboard` and :mod:`bangban.supervision.staffing`; the charts are
drawn by ``static/js/dashboard.js`` from JSON data blocks (no inline script, docs/security.md),
and every chart is also a table of links (the drill-down without JavaScript)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from bangban.planning.gantt import PLOTLY_JS

from . import staffing
from .dashboard import dashboard_for, may_view_dashboard, parse_month
from .models import StaffingMinimum

DASHBOARD_JS = "js/dashboard.js"


@login_required
@require_GET
def dashboard(request):
    """督查看板: charts with drill-down, what falls due, escalations, units short of staff."""
    user = request.user
    if not may_view_dashboard(user):
        raise Http404("只有督查人员和管委会领导可以查看督查看板。")
    today = timezone.localdate()
    month = request.GET.get("month") or ""
    error = ""
    try:
        parse_month(month, today)
    except ValueError as exc:
        error, month = str(exc), ""
    data = dashboard_for(user, month=month, today=today)
    return render(
        request,
        "supervision/dashboard.html",
        {
            "data": data,
            "month_error": error,
            "figures": [
                (chart, f"{chart.key}-figure", chart.figure())
                for chart in data.charts
                if not chart.is_empty
            ],
            "plotly_js": PLOTLY_JS,
            "dashboard_js": DASHBOARD_JS,
        },
    )


@login_required
@require_GET
def staffing_list(request):
    """人员配备: every unit of the user's region subtree against its minimum, shortages first
    (``?short=1``: only those short)."""
    user = request.user
    if not staffing.may_view_staffing(user):
        raise Http404("只有督查人员、管委会领导和中心管理员可以查看人员配备情况。")
    short_only = request.GET.get("short") in ("1", "true")
    units = staffing.staffing_shortages(user) if short_only else staffing.staffing_units(user)
    rows = staffing.staffing_rows(units, staffing.minimums_by_id())
    return render(
        request,
        "supervision/staffing.html",
        {
            "rows": rows,
            "short_only": short_only,
            "short_count": sum(1 for row in rows if row.is_short) if not short_only else len(rows),
            "unit_kinds": StaffingMinimum.UnitKind.choices,
        },
    )
