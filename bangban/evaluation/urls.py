from django.urls import path

from . import complaints_views, views

app_name = "evaluation"

urlpatterns = [
    # ratings, rectifications, follow-up visits
    path("ratings/", views.rating_list, name="rating_list"),
    path("ratings/new/", views.rating_create, name="rating_create"),
    path("rectifications/", views.rectification_list, name="rectification_list"),
    path("rectifications/<int:pk>/", views.rectification_detail, name="rectification_detail"),
    path(
        "rectifications/<int:pk>/action/<slug:action>/",
        views.rectification_action,
        name="rectification_action",
    ),
    path("follow-up-visits/", views.visit_list, name="visit_list"),
    path("follow-up-visits/new/", views.visit_create, name="visit_create"),
    path("follow-up-visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path(
        "follow-up-visits/<int:pk>/action/<slug:action>/",
        views.visit_action,
        name="visit_action",
    ),
    # complaints and accountability
    path("complaints/", complaints_views.complaint_list, name="complaint_list"),
    path("complaints/new/", complaints_views.complaint_create, name="complaint_create"),
    path("complaints/<int:pk>/", complaints_views.complaint_detail, name="complaint_detail"),
    path(
        "complaints/<int:pk>/action/<slug:action>/",
        complaints_views.complaint_action,
        name="complaint_action",
    ),
    path("accountability/", complaints_views.accountability_list, name="accountability_list"),
    path(
        "accountability/new/",
        complaints_views.accountability_create,
        name="accountability_create",
    ),
    path(
        "accountability/<int:pk>/",
        complaints_views.accountability_detail,
        name="accountability_detail",
    ),
    path(
        "accountability/<int:pk>/notice.docx",
        complaints_views.accountability_download,
        name="accountability_document",
    ),
]
