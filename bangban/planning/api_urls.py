from django.urls import path

from . import api

urlpatterns = [
    path("plans/preview", api.PlanPreviewApi.as_view(), name="api-plan-preview"),
    path("commissions/<int:pk>/plan/", api.CommissionPlanApi.as_view(), name="api-commission-plan"),
    path(
        "commissions/<int:pk>/plan/notice.docx",
        api.CommissionPlanNoticeApi.as_view(),
        name="api-commission-plan-notice",
    ),
    path(
        "commissions/<int:pk>/plan/schedule.xlsx",
        api.CommissionPlanScheduleApi.as_view(),
        name="api-commission-plan-schedule",
    ),
    *[
        path(
            f"commissions/<int:pk>/plan/{action}/",
            view.as_view(),
            name=f"api-commission-plan-{action}",
        )
        for action, view in api.PLAN_ACTION_VIEWS.items()
    ],
]
