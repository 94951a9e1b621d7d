from django.urls import path

from . import api

urlpatterns = [
    path("plans/preview", api.PlanPreviewApi.as_view(), name="api-plan-preview"),
]
