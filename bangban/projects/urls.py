from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("portal/", views.portal, name="portal"),
    path("portal/apply/", views.portal_apply, name="portal_apply"),
    path("workbench/applications/new/", views.window_apply, name="window_apply"),
    path("workbench/consultations/", views.consultation_list, name="consultation_list"),
    path(
        "workbench/consultations/<int:pk>/convert/",
        views.consultation_convert_view,
        name="consultation_convert",
    ),
    path("sponsor/", views.sponsor_home, name="sponsor_home"),
    path("sponsor/push/", views.sponsor_push_view, name="sponsor_push"),
    path("commissions/", views.commission_list, name="commission_list"),
    path("commissions/<int:pk>/", views.commission_detail, name="commission_detail"),
    path(
        "commissions/<int:pk>/documents/<slug:kind>/",
        views.commission_document_view,
        name="commission_document",
    ),
    path(
        "commissions/<int:pk>/completion-scan/file/",
        views.commission_completion_scan_view,
        name="commission_completion_scan",
    ),
    path(
        "commissions/<int:pk>/signed-scan/file/",
        views.commission_signed_scan_view,
        name="commission_signed_scan",
    ),
    path("commissions/<int:pk>/<slug:action>/", views.commission_action, name="commission_action"),
]
