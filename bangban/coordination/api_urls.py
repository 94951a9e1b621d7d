from django.urls import path

from . import api

urlpatterns = [
    path("meetings/", api.MeetingListApi.as_view(), name="api-meeting-list"),
    path("meetings/<int:pk>/", api.MeetingDetailApi.as_view(), name="api-meeting-detail"),
    *[
        path(f"meetings/<int:pk>/{slug}/", view.as_view(), name=f"api-meeting-{slug}")
        for slug, view in api.MEETING_ACTION_VIEWS.items()
    ],
    path("action-items/", api.ActionItemListApi.as_view(), name="api-action-item-list"),
    path(
        "action-items/<int:pk>/", api.ActionItemDetailApi.as_view(), name="api-action-item-detail"
    ),
    *[
        path(f"action-items/<int:pk>/{slug}/", view.as_view(), name=f"api-action-item-{slug}")
        for slug, view in api.ACTION_ITEM_ACTION_VIEWS.items()
    ],
    path("task-orders/", api.TaskOrderListApi.as_view(), name="api-task-order-list"),
    path("task-orders/<int:pk>/", api.TaskOrderDetailApi.as_view(), name="api-task-order-detail"),
    path(
        "task-orders/<int:pk>/document/",
        api.TaskOrderDocumentApi.as_view(),
        name="api-task-order-document",
    ),
    *[
        path(f"task-orders/<int:pk>/{slug}/", view.as_view(), name=f"api-task-order-{slug}")
        for slug, view in api.TASK_ORDER_ACTION_VIEWS.items()
    ],
]
