from django.urls import path

from . import api

urlpatterns = [
    path("cases/", api.CaseListApi.as_view(), name="api-case-list"),
    path("cases/<int:pk>/", api.CaseDetailApi.as_view(), name="api-case-detail"),
    path("escalations/", api.EscalationListApi.as_view(), name="api-escalation-list"),
    path("escalations/<int:pk>/", api.EscalationDetailApi.as_view(), name="api-escalation-detail"),
    path(
        "escalations/<int:pk>/<slug:action>/",
        api.EscalationActionApi.as_view(),
        name="api-escalation-action",
    ),
    *[
        path(f"cases/<int:pk>/{slug}/", view.as_view(), name=f"api-case-{slug}")
        for slug, view in api.CASE_ACTION_VIEWS.items()
    ],
]
