"""The dashboard and the staffing list in the API (``/api/v1/``, SPEC §9).

``GET /dashboard/?month=YYYY-MM`` answers in one call what the dashboard page shows (the
charts' categories, values and drill-down links, what falls due, the open escalations, the
units short of staff), with the same constant number of queries. ``GET /staffing-shortages/``
lists the units short of their staffing minimum (``?all=1``: every unit with its head count),
one page at a time. Supervisors and leaders (the staffing list also centre admins) of a
region see its subtree; any other role is refused (403).
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from bangban.common.api import StandardPagination, paginated

from . import staffing
from .dashboard import dashboard_for, may_view_dashboard, parse_month

# --- the output (documentation of the answers: the schema the fuzz checks them against) ---


class CategoryOutput(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class SeriesOutput(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    values = serializers.ListField(
        child=serializers.FloatField(allow_null=True),
        help_text="每个类别的数值（件数或百分比）；无数据时为 null",
    )
    links = serializers.ListField(
        child=serializers.CharField(allow_null=True), help_text="每个数值对应清单的链接"
    )


class TotalOutput(serializers.Serializer):
    value = serializers.IntegerField()
    link = serializers.CharField(allow_null=True)


class ChartOutput(serializers.Serializer):
    key = serializers.ChoiceField(
        choices=[
            "cases_by_stage_state",
            "on_time_trend",
            "overdue_by_department",
            "satisfaction",
            "rates_by_department",
        ]
    )
    title = serializers.CharField()
    unit = serializers.CharField(help_text="件 或 %")
    note = serializers.CharField()
    categories = CategoryOutput(many=True)
    series = SeriesOutput(many=True)
    totals = TotalOutput(many=True, help_text="每个类别的合计（仅按阶段和状态的图有）")
    more = serializers.IntegerField(help_text="未显示的类别数（较小的部门）")


class DueRowOutput(serializers.Serializer):
    title = serializers.CharField()
    detail = serializers.CharField(allow_blank=True)
    due_date = serializers.DateField(allow_null=True)
    link = serializers.CharField(allow_null=True)
    overdue = serializers.BooleanField()
    today = serializers.BooleanField()


class DueListOutput(serializers.Serializer):
    key = serializers.ChoiceField(
        choices=["cases", "rectifications", "visits", "complaints", "action_items"]
    )
    title = serializers.CharField()
    overdue = serializers.IntegerField()
    today = serializers.IntegerField()
    week = serializers.IntegerField(help_text="本周（周一至周日）到期的件数")
    rows = DueRowOutput(many=True)
    link = serializers.CharField(allow_null=True)
    overdue_link = serializers.CharField(allow_null=True)
    today_link = serializers.CharField(allow_null=True)
    week_link = serializers.CharField(allow_null=True)


class EscalationRowOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    problem = serializers.CharField()
    project = serializers.CharField()
    raised_at = serializers.DateTimeField()
    link = serializers.CharField(allow_null=True)


class EscalationsOutput(serializers.Serializer):
    open = serializers.IntegerField()
    link = serializers.CharField(allow_null=True)
    rows = EscalationRowOutput(many=True)


class DepartmentRefOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class StaffingRowOutput(serializers.Serializer):
    department = DepartmentRefOutput()
    region = serializers.CharField()
    unit_kind = serializers.CharField()
    unit_kind_label = serializers.CharField()
    role = serializers.CharField()
    role_label = serializers.CharField()
    minimum = serializers.IntegerField()
    staff_count = serializers.IntegerField()
    shortfall = serializers.IntegerField(help_text="缺少的人数；已达标为 0")
    minimum_region = serializers.CharField(
        allow_null=True, help_text="适用标准所属区划；null 为全平台默认"
    )
    source = serializers.CharField(allow_blank=True)


class StaffingSummaryOutput(serializers.Serializer):
    short = serializers.IntegerField()
    link = serializers.CharField(allow_null=True)
    rows = StaffingRowOutput(many=True)


class DashboardOutput(serializers.Serializer):
    today = serializers.DateField()
    month = serializers.CharField()
    month_label = serializers.CharField()
    charts = ChartOutput(many=True)
    due = DueListOutput(many=True)
    escalations = EscalationsOutput()
    staffing = StaffingSummaryOutput()


# --- the endpoints --------------------------------------------------------------------------


class DashboardApi(APIView):
    """督查看板：图表（含下钻链接）、近期到期、待批示的上报事项、人员配备不足的单位。"""

    @extend_schema(
        tags=["supervision"],
        summary="督查看板",
        parameters=[
            OpenApiParameter("month", str, description="统计月份 YYYY-MM，默认本月"),
        ],
        responses={
            200: DashboardOutput,
            400: OpenApiResponse(description="月份格式有误或尚未开始"),
            403: OpenApiResponse(description="只有督查人员和管委会领导可以查看督查看板"),
        },
    )
    def get(self, request):
        user = request.user
        if not may_view_dashboard(user):
            raise PermissionDenied("只有督查人员和管委会领导可以查看督查看板。")
        month = request.query_params.get("month") or ""
        try:
            parse_month(month, timezone.localdate())
        except ValueError as exc:
            raise serializers.ValidationError({"month": [str(exc)]}) from None
        return Response(dashboard_for(user, month=month).as_dict())


class StaffingShortageListApi(APIView):
    """人员配备不足的单位（all=1：全部单位及其在职人数）。"""

    pagination_class = StandardPagination

    @extend_schema(
        tags=["supervision"],
        summary="人员配备不足的单位",
        parameters=[
            OpenApiParameter("all", str, enum=["1"], description="1：列出全部单位（含已达标的）"),
        ],
        responses={
            200: StaffingRowOutput(many=True),
            403: OpenApiResponse(
                description="只有督查人员、管委会领导和中心管理员可以查看人员配备情况"
            ),
        },
    )
    def get(self, request):
        user = request.user
        if not staffing.may_view_staffing(user):
            raise PermissionDenied("只有督查人员、管委会领导和中心管理员可以查看人员配备情况。")
        every = request.query_params.get("all") in ("1", "true")
        units = staffing.staffing_units(user) if every else staffing.staffing_shortages(user)
        minimums = staffing.minimums_by_id()
        return paginated(
            self,
            request,
            units,
            lambda unit: staffing.staffing_rows([unit], minimums)[0].as_dict(),
        )
