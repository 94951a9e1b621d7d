from django.urls import path

from . import views

app_name = "planning"
urlpatterns = [
    path("preview/", views.plan_preview, name="preview"),
    path("preview/notice.docx", views.plan_preview_notice, name="preview_notice"),
    path("preview/schedule.xlsx", views.plan_preview_schedule, name="preview_schedule"),
]
