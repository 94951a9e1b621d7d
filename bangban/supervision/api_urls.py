from django.urls import path

from . import api_dashboard, api_metrics, api_reports

urlpatterns = [
    # metrics and planner accuracy
    path("metrics/", api_metrics.MetricsApi.as_view(), name="api-metrics"),
    path(
        "planner-accuracy/",
        api_metrics.PlannerAccuracyApi.as_view(),
        name="api-planner-accuracy",
    ),
    # dashboard and staffing
    path("dashboard/", api_dashboard.DashboardApi.as_view(), name="api-dashboard"),
    path(
        "staffing-shortages/",
        api_dashboard.StaffingShortageListApi.as_view(),
        name="api-staffing-shortages",
    ),
    # monthly report and annual evaluation
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
