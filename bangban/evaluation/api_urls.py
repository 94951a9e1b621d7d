from django.urls import path

from . import api, complaints_api

urlpatterns = [
    # ratings, rectifications, follow-up visits
    path("ratings/", api.RatingListApi.as_view(), name="api-rating-list"),
    path("ratings/<int:pk>/", api.RatingDetailApi.as_view(), name="api-rating-detail"),
    path("rectifications/", api.RectificationListApi.as_view(), name="api-rectification-list"),
    path(
        "rectifications/<int:pk>/",
        api.RectificationDetailApi.as_view(),
        name="api-rectification-detail",
    ),
    *[
        path(f"rectifications/<int:pk>/{slug}/", view.as_view(), name=f"api-rectification-{slug}")
        for slug, view in api.RECTIFICATION_ACTION_VIEWS.items()
    ],
    path("follow-up-visits/", api.VisitListApi.as_view(), name="api-visit-list"),
    path("follow-up-visits/<int:pk>/", api.VisitDetailApi.as_view(), name="api-visit-detail"),
    *[
        path(f"follow-up-visits/<int:pk>/{slug}/", view.as_view(), name=f"api-visit-{slug}")
        for slug, view in api.VISIT_ACTION_VIEWS.items()
    ],
    # complaints and accountability
    path("complaints/", complaints_api.ComplaintListApi.as_view(), name="api-complaint-list"),
    path(
        "complaints/<int:pk>/",
        complaints_api.ComplaintDetailApi.as_view(),
        name="api-complaint-detail",
    ),
    *[
        path(f"complaints/<int:pk>/{slug}/", view.as_view(), name=f"api-complaint-{slug}")
        for slug, view in complaints_api.COMPLAINT_ACTION_VIEWS.items()
    ],
    path(
        "accountability-records/",
        complaints_api.AccountabilityListApi.as_view(),
        name="api-accountability-list",
    ),
    path(
        "accountability-records/<int:pk>/",
        complaints_api.AccountabilityDetailApi.as_view(),
        name="api-accountability-detail",
    ),
    path(
        "accountability-records/<int:pk>/document/",
        complaints_api.AccountabilityDocumentApi.as_view(),
        name="api-accountability-document",
    ),
]
