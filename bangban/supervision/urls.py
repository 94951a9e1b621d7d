from django.urls import path

from . import views_dashboard, views_metrics, views_reports
from .services import REPORT_ACTIONS

app_name = "supervision"

urlpatterns = [
    # metrics and planner accuracy
    path("supervision/metrics/", views_metrics.metrics_page, name="metrics"),
    path("supervision/metrics/records/", views_metrics.metric_records_page, name="metric_records"),
    path(
        "supervision/planner-accuracy/",
        views_metrics.planner_accuracy_page,
        name="planner_accuracy",
    ),
    # dashboard and staffing
    path("supervision/", views_dashboard.dashboard, name="dashboard"),
    path("supervision/staffing/", views_dashboard.staffing_list, name="staffing"),
    # monthly report and annual evaluation
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
