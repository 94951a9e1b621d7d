from django.urls import path  # noqa: F401

# Each part of the app keeps its paths in its own block (several people edit this file).
urlpatterns: list = []

# --- metrics and planner accuracy ---
from . import api_metrics  # noqa: E402

urlpatterns += [
    path("metrics/", api_metrics.MetricsApi.as_view(), name="api-metrics"),
    path(
        "planner-accuracy/",
        api_metrics.PlannerAccuracyApi.as_view(),
        name="api-planner-accuracy",
    ),
]
# --- end metrics and planner accuracy ---

# --- dashboard and staffing ---
from . import api_dashboard  # noqa: E402

urlpatterns += [
    path("dashboard/", api_dashboard.DashboardApi.as_view(), name="api-dashboard"),
    path(
        "staffing-shortages/",
        api_dashboard.StaffingShortageListApi.as_view(),
        name="api-staffing-shortages",
    ),
]
# --- end dashboard and staffing ---

# --- monthly report and annual evaluation ---
from . import api_reports  # noqa: E402

urlpatterns += [
    path(
        "monthly-reports/",
        api_reports.MonthlyReportListApi.as_view(),
        name="api-monthly-report-list",
    ),
    path(
        "monthly-reports/<str:month>/",
        api_reports.MonthlyReportApi.as_view(),
        name="api-monthly-report",
    ),
    *[
        path(
            f"monthly-reports/<str:month>/{slug}/",
            view.as_view(),
            name=f"api-monthly-report-{slug}",
        )
        for slug, view in api_reports.REPORT_ACTION_VIEWS.items()
    ],
    path(
        "annual-evaluation/<int:year>/",
        api_reports.AnnualEvaluationApi.as_view(),
        name="api-annual-evaluation",
    ),
]
# --- end monthly report and annual evaluation ---
