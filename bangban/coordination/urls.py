from django.urls import path

from . import views

app_name = "coordination"

urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/action/<slug:action>/", views.meeting_action, name="meeting_action"),
    path("action-items/", views.action_item_list, name="action_item_list"),
    path(
        "action-items/<int:pk>/action/<slug:action>/",
        views.action_item_action,
        name="action_item_action",
    ),
    path("task-orders/", views.task_order_list, name="task_order_list"),
    path("task-orders/new/", views.task_order_create, name="task_order_create"),
    path("task-orders/<int:pk>/", views.task_order_detail, name="task_order_detail"),
    path(
        "task-orders/<int:pk>/action/<slug:action>/",
        views.task_order_action,
        name="task_order_action",
    ),
    path(
        "task-orders/<int:pk>/document.docx",
        views.task_order_download,
        name="task_order_document",
    ),
]
