from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("cases/", views.ledger, name="ledger"),
    path("cases/inbox/", views.inbox, name="inbox"),
    path("cases/export.xlsx", views.ledger_export, name="ledger_export"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/action/<slug:action>/", views.case_action, name="case_action"),
    path("cases/<int:pk>/escalate/", views.case_escalate, name="case_escalate"),
    path(
        "cases/<int:pk>/materials/<int:material_pk>/file/",
        views.case_material_file,
        name="case_material_file",
    ),
    path("cases/<int:pk>/result/file/", views.case_result_file, name="case_result_file"),
    path("escalations/", views.escalation_list, name="escalation_list"),
    path("escalations/<int:pk>/", views.escalation_detail, name="escalation_detail"),
    path(
        "escalations/<int:pk>/action/<slug:action>/",
        views.escalation_action,
        name="escalation_action",
    ),
]
