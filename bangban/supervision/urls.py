from django.urls import path  # noqa: F401

app_name = "supervision"

# Each part of the app keeps its paths in its own block (several people edit this file).
urlpatterns: list = []

# --- metrics and planner accuracy ---
from . import views_metrics  # noqa: E402

urlpatterns += [
    path("supervision/metrics/", views_metrics.metrics_page, name="metrics"),
    path("supervision/metrics/records/", views_metrics.metric_records_page, name="metric_records"),
    path(
        "supervision/planner-accuracy/",
        views_metrics.planner_accuracy_page,
        name="planner_accuracy",
    ),
]
# --- end metrics and planner accuracy ---

# --- dashboard and staffing ---
from . import views_dashboard  # noqa: E402

urlpatterns += [
    path("supervision/", views_dashboard.dashboard, name="dashboard"),
    path("supervision/staffing/", views_dashboard.staffing_list, name="staffing"),
]
# --- end dashboard and staffing ---

# --- monthly report and annual evaluation ---
from . import views_reports  # noqa: E402
from .services import REPORT_ACTIONS  # noqa: E402

urlpatterns += [
    path("supervision/reports/", views_reports.monthly_report_list, name="monthly_report_list"),
    path("supervision/reports/<str:month>/", views_reports.monthly_report, name="monthly_report"),
    path(
        "supervision/reports/<str:month>/report.xlsx",
        views_reports.monthly_report_xlsx,
        name="monthly_report_xlsx",
    ),
    path(
        "supervision/reports/<str:month>/report.docx",
        views_reports.monthly_report_docx,
        name="monthly_report_docx",
    ),
    *[
        path(
            f"supervision/reports/<str:month>/{slug}/",
            views_reports.monthly_report_action,
            {"action": slug},
            name=f"monthly_report_{slug}",
        )
        for slug in REPORT_ACTIONS
    ],
    path(
        "supervision/evaluation/",
        views_reports.annual_evaluation_index,
        name="annual_evaluation_index",
    ),
    path(
        "supervision/evaluation/<int:year>/",
        views_reports.annual_evaluation,
        name="annual_evaluation",
    ),
    path(
        "supervision/evaluation/<int:year>/evaluation.xlsx",
        views_reports.annual_evaluation_xlsx,
        name="annual_evaluation_xlsx",
    ),
    path(
        "supervision/evaluation/<int:year>/evaluation.docx",
        views_reports.annual_evaluation_docx,
        name="annual_evaluation_docx",
    ),
]
# --- end monthly report and annual evaluation ---
