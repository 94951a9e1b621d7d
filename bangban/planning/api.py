"""Public plan preview API: `POST /api/v1/plans/preview` (SPEC §5, the preview contract)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from bangban.planning.selectors import (
    EARLIEST_START,
    LATEST_START,
    CatalogUnavailable,
    PlanInputError,
    PlanOutcome,
    plan_compute,
)


class PlanPreviewInput(serializers.Serializer):
    start_date = serializers.DateField(
        input_formats=["%Y-%m-%d"],
        help_text="计划开始日期（委托签订之日），YYYY-MM-DD",
        error_messages={
            "required": "请提供计划开始日期 start_date（YYYY-MM-DD）。",
            "null": "计划开始日期不能为空。",
            "invalid": "计划开始日期格式应为 YYYY-MM-DD，例如 2026-09-21。",
            "datetime": "计划开始日期应为日期（YYYY-MM-DD），不能带时间。",
        },
    )
    attributes = serializers.DictField(
        required=False,
        default=dict,
        help_text="项目属性（SPEC §4 的属性名）；未给出的属性取中性值（0、false、none、空串）",
        error_messages={
            "not_a_dict": "attributes 应为对象（键为属性名）。",
            "null": "attributes 应为对象（键为属性名），不能为 null。",
        },
    )

    def validate_start_date(self, value):
        if not EARLIEST_START <= value <= LATEST_START:
            raise serializers.ValidationError(
                f"计划开始日期应在 {EARLIEST_START.isoformat()} 至 {LATEST_START.isoformat()} 之间。"
            )
        return value


class PlanItemOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    stage = serializers.CharField()
    stage_label = serializers.CharField()
    department = serializers.CharField(help_text="办理部门")
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    service_mode = serializers.CharField()
    service_mode_label = serializers.CharField()
    preparation_days = serializers.IntegerField(help_text="材料准备，工作日")
    promised_days = serializers.IntegerField(help_text="承诺时限，工作日")
    working_days = serializers.IntegerField(help_text="计划用时，工作日")
    planned_start = serializers.DateField()
    planned_acceptance = serializers.DateField()
    planned_due = serializers.DateField()
    slack = serializers.IntegerField(help_text="机动时间，工作日")
    critical = serializers.BooleanField(help_text="是否在关键路径上")
    in_scope = serializers.BooleanField(help_text="false：企业自行办理")
    provisional = serializers.BooleanField(help_text="日期含节假日安排未发布的年份")
    prerequisites = serializers.ListField(
        child=serializers.CharField(), help_text="方案中须先办结的事项编码"
    )
    explanation = serializers.SerializerMethodField()

    def get_explanation(self, item) -> dict:
        """{"condition": 适用条件, "needed_because": [...], "waits_for": [{"code","name"}]}"""
        return {
            "condition": item.condition,
            "needed_because": list(item.reasons) or ["所有项目都需办理"],
            "waits_for": [
                {"code": code, "name": name}
                for code, name in zip(item.prerequisites, item.prerequisite_names, strict=True)
            ],
        }


class PlanPreviewOutput(serializers.Serializer):
    items = PlanItemOutput(many=True, help_text="按计划开始、阶段、编码排序")
    total_working_days = serializers.IntegerField(help_text="并联办理总工作日")
    serial_working_days = serializers.IntegerField(help_text="逐项串联办理的工作日之和")
    compression = serializers.FloatField(help_text="压缩比例 = 1 − 并联 / 串联")
    critical_path = serializers.ListField(child=serializers.CharField())
    start_date = serializers.DateField(help_text="计划开始日期（请求中的）")
    first_working_day = serializers.DateField(help_text="计划开始的第一个工作日")
    end_date = serializers.DateField(help_text="预计全部办结日期")
    provisional = serializers.BooleanField()
    catalog_version = serializers.IntegerField(help_text="所依据的事项清单版本号")


class CatalogUnavailableError(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = CatalogUnavailable.message
    default_code = "catalog_unavailable"


def plan_payload(plan: PlanOutcome) -> dict:
    return {
        "items": plan.items,
        "total_working_days": plan.total_working_days,
        "serial_working_days": plan.serial_working_days,
        "compression": plan.compression,
        "critical_path": list(plan.critical_path),
        "start_date": plan.start_date,
        "first_working_day": plan.start_day,
        "end_date": plan.end_date,
        "provisional": plan.provisional,
        "catalog_version": plan.catalog_version,
    }


@extend_schema(
    tags=["plans"],
    summary="审批方案预览（无需登录）",
    auth=[],
    request=PlanPreviewInput,
    responses={
        200: PlanPreviewOutput,
        400: OpenApiResponse(
            description='输入有误：{"attributes": {"属性名": ["原因"]}} 或 {"start_date": ["原因"]}'
        ),
        429: OpenApiResponse(description="请求过于频繁"),
        503: OpenApiResponse(description="事项清单尚未发布"),
    },
    examples=[
        OpenApiExample(
            "化工项目",
            request_only=True,
            value={
                "start_date": "2026-09-21",
                "attributes": {
                    "investment_type": "enterprise_approval",
                    "industry_code": "C2614",
                    "energy_tce": 15000,
                    "eia_category": "report_book",
                },
            },
        )
    ],
)
class PlanPreviewApi(APIView):
    """Derive the approval items a project needs from its attributes and schedule them in
    parallel on working days from `start_date`. An attribute left out takes its neutral
    value; unknown or ill-typed attributes answer 400 naming them
    (`{"attributes": {"foo": ["未知的项目属性。"]}}`). Throttled per client (scope
    `preview`)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "preview"

    def post(self, request):
        given = PlanPreviewInput(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            plan = plan_compute(
                attributes=given.validated_data["attributes"],
                start_date=given.validated_data["start_date"],
            )
        except PlanInputError as error:
            detail: dict = {}
            if error.attribute_errors:
                detail["attributes"] = {k: [v] for k, v in error.attribute_errors.items()}
            if error.start_date_error:
                detail["start_date"] = [error.start_date_error]
            raise serializers.ValidationError(detail) from None
        except CatalogUnavailable:
            raise CatalogUnavailableError() from None
        return Response(PlanPreviewOutput(plan_payload(plan)).data)
