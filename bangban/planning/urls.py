from django.urls import path

from . import views

app_name = "planning"
urlpatterns = [
    # The public preview (no login).
    path("plans/preview/", views.plan_preview, name="preview"),
    path("plans/preview/notice.docx", views.plan_preview_notice, name="preview_notice"),
    path("plans/preview/schedule.xlsx", views.plan_preview_schedule, name="preview_schedule"),
    # The plan of a commission (before the projects URLs: `commissions/<pk>/<action>/`).
    path("commissions/<int:pk>/plan/", views.commission_plan, name="commission_plan"),
    path(
        "commissions/<int:pk>/plan/notice/",
        views.commission_plan_notice,
        name="commission_plan_notice",
    ),
    path(
        "commissions/<int:pk>/plan/notice.docx",
        views.commission_plan_notice_docx,
        name="commission_plan_notice_docx",
    ),
    path(
        "commissions/<int:pk>/plan/schedule.xlsx",
        views.commission_plan_schedule_xlsx,
        name="commission_plan_schedule_xlsx",
    ),
    path(
        "commissions/<int:pk>/plan/<slug:action>/",
        views.commission_plan_action,
        name="commission_plan_action",
    ),
]
