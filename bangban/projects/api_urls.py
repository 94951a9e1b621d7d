from django.urls import path

from . import api

urlpatterns = [
    path("enterprises/", api.EnterpriseListApi.as_view(), name="api-enterprise-list"),
    path("enterprises/<int:pk>/", api.EnterpriseDetailApi.as_view(), name="api-enterprise-detail"),
    path("projects/", api.ProjectListApi.as_view(), name="api-project-list"),
    path("projects/<int:pk>/", api.ProjectDetailApi.as_view(), name="api-project-detail"),
    path("commissions/", api.CommissionListApi.as_view(), name="api-commission-list"),
    path("commissions/<int:pk>/", api.CommissionDetailApi.as_view(), name="api-commission-detail"),
    path(
        "commissions/<int:pk>/documents/<slug:kind>/",
        api.CommissionDocumentApi.as_view(),
        name="api-commission-document",
    ),
    path(
        "commissions/<int:pk>/completion-scan/file/",
        api.CommissionCompletionScanApi.as_view(),
        name="api-commission-completion-scan-file",
    ),
    path(
        "commissions/<int:pk>/signed-scan/file/",
        api.CommissionSignedScanApi.as_view(),
        name="api-commission-signed-scan-file",
    ),
    path(
        "commissions/<int:pk>/file-accesses/",
        api.CommissionFileAccessApi.as_view(),
        name="api-commission-file-accesses",
    ),
    *[
        path(
            f"commissions/<int:pk>/{action}/",
            view.as_view(),
            name=f"api-commission-{action}",
        )
        for action, view in api.ACTION_VIEWS.items()
    ],
    path("consultations/", api.ConsultationListApi.as_view(), name="api-consultation-list"),
    path(
        "consultations/<int:pk>/",
        api.ConsultationDetailApi.as_view(),
        name="api-consultation-detail",
    ),
]
