from django.urls import path

from . import api

urlpatterns = [
    path("cases/", api.CaseListApi.as_view(), name="api-case-list"),
    path("cases/<int:pk>/", api.CaseDetailApi.as_view(), name="api-case-detail"),
    path(
        "cases/<int:pk>/materials/<int:material_pk>/file/",
        api.CaseMaterialFileApi.as_view(),
        name="api-case-material-file",
    ),
    path(
        "cases/<int:pk>/result/file/",
        api.CaseResultFileApi.as_view(),
        name="api-case-result-file",
    ),
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
