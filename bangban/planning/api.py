"""Plan API: the public preview `POST /api/v1/plans/preview` (SPEC §5, the preview contract)
and the plan of a commission under `/api/v1/commissions/{id}/plan/` (read, generate, adjust,
fix, re-plan, after fixing mark an item not needed or add one, download the one-time notice
and the schedule).

The plan endpoints are scoped like the commission (another party's answers 404); changes
need the commission's own agent or a centre admin (403 otherwise) and the commission's
`version` (409 when stale).
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotFound, PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from bangban.planning.actions import ACTIONS, PlanAction, plan_action_run, plan_allowed_actions
from bangban.planning.catalog import CatalogUnavailable
from bangban.planning.compute import EARLIEST_START, LATEST_START, PlanInputError, plan_compute
from bangban.planning.exports import (
    DOCX_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    commission_notice_file,
    commission_schedule_file,
)
from bangban.planning.messages import ACTION_MESSAGES, MESSAGES
from bangban.planning.models import Plan, PlanAdjustment
from bangban.planning.outcome import PlanOutcome
from bangban.planning.promises import government_time, region_find
from bangban.planning.selectors import commission_plan_get_for
from bangban.projects.selectors import commission_can_act


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

    region = serializers.CharField(
        max_length=60,
        required=False,
        allow_blank=True,
        default="",
        help_text="建设地点：区划标识或区划代码（例如 150602 东胜区）；决定各事项在当地的办理部门与"
        "服务方式，并对照当地公布的审批时间承诺；不填按事项清单的部门和服务方式、内蒙古自治区的承诺",
    )

    def validate_region(self, value):
        value = value.strip()
        if not value:
            return None
        found = region_find(value)
        if found is None:
            raise serializers.ValidationError(f"找不到区划「{value}」。")
        return found

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
    department = serializers.CharField(
        help_text="办理部门（按适用的分级情形；给出建设地点时按该区划的办理部门表）"
    )
    level = serializers.ChoiceField(
        choices=["zone", "city", "region", "state"],
        help_text="办理层级：zone 旗区/园区、city 盟市、region 自治区、state 国家（按适用的分级情形）",
    )
    level_label = serializers.CharField(help_text="办理层级（中文）")
    authority = serializers.CharField(
        help_text="在旗区之上作出决定的审批机关（上报件；数据未写明时为空）"
    )
    tier = serializers.CharField(
        source="tier_label", help_text="适用的分级情形（空：该事项不分级）"
    )
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    service_mode = serializers.ChoiceField(
        choices=["bangban", "joint", "errand"],
        help_text="服务方式：bangban 帮办代办、joint 联审联批、errand 专业跑腿；给出建设地点时按"
        "办理部门所在位置：部门不在项目所在旗县区/园区内或在旗区之上决定的为专业跑腿",
    )
    service_mode_label = serializers.CharField(help_text="服务方式（中文）")
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


class HandlingLinkOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    days = serializers.IntegerField(help_text="承诺办理时限，工作日")


class MilestoneTimeOutput(serializers.Serializer):
    days = serializers.IntegerField(
        help_text="审批时间：沿审批时间最长的前后衔接链，各事项承诺时限之和（工作日，不含企业准备材料）"
    )
    promised_days = serializers.IntegerField(
        allow_null=True, help_text="当地公布的承诺（工作日）；null：未公布这一阶段的承诺"
    )
    breaks = serializers.BooleanField(help_text="是否超出承诺")
    over_by = serializers.IntegerField(help_text="超出承诺的工作日（未超出为 0）")
    chain = HandlingLinkOutput(many=True, help_text="决定审批时间的事项链，按先后")
    culprits = HandlingLinkOutput(many=True, help_text="超出承诺时：链上占用时间的事项，长者在前")
    verdict = serializers.CharField(help_text="一句话结论")


class GovernmentTimeOutput(serializers.Serializer):
    region = serializers.CharField(source="region_name", help_text="承诺所依据的区划")
    project_type = serializers.CharField(
        help_text="social 社会投资 / government 政府投资 / simple_low_risk 社会投资简易低风险"
        "（项目勾选简易低风险且在当地门槛以内时）"
    )
    project_type_label = serializers.CharField()
    construction_permit = MilestoneTimeOutput(help_text="至施工许可")
    completion = MilestoneTimeOutput(help_text="至竣工验收")
    breaks = serializers.BooleanField(help_text="任一阶段超出承诺")
    source = serializers.CharField(help_text="承诺的出处")


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
    government_time = GovernmentTimeOutput(
        help_text="各部门审批时间（不含企业准备材料）至施工许可、至竣工验收，及所在地公布的承诺"
    )


class CatalogUnavailableError(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = CatalogUnavailable.message
    default_code = "catalog_unavailable"


def plan_payload(plan: PlanOutcome, region=None) -> dict:
    """The preview contract's fields; ``region`` (the project's) chooses the promise the
    government time is held against (None: the top region's)."""
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
        "government_time": government_time(plan, region),
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
            region = given.validated_data.get("region")
            plan = plan_compute(
                attributes=given.validated_data["attributes"],
                start_date=given.validated_data["start_date"],
                region_path=region.path if region is not None else None,
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
        return Response(
            PlanPreviewOutput(plan_payload(plan, given.validated_data.get("region"))).data
        )


# --- the plan of a commission ---------------------------------------------------------------


class CaseOutput(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    version = serializers.IntegerField(help_text="记录实际日期时回传（乐观锁）")
    baseline_start = serializers.DateField(help_text="方案确定时的计划开始")
    baseline_due = serializers.DateField(help_text="方案确定时的计划办结")
    actual_start = serializers.DateField(allow_null=True)
    actual_finish = serializers.DateField(allow_null=True)


class CommissionPlanItemOutput(PlanItemOutput):
    case = serializers.SerializerMethodField()

    def get_case(self, item) -> dict | None:
        case = self.context["cases"].get(item.code)
        return CaseOutput(case).data if case is not None else None


class AdjustmentOutput(serializers.Serializer):
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    code = serializers.CharField()
    item_name = serializers.CharField()
    reason = serializers.CharField()
    actor = serializers.CharField()
    at = serializers.DateTimeField()
    active = serializers.BooleanField(help_text="false：已撤销")


class CommissionPlanOutput(PlanPreviewOutput):
    items = CommissionPlanItemOutput(many=True, help_text="按计划开始、阶段、编码排序")
    commission_id = serializers.IntegerField()
    commission_version = serializers.IntegerField(help_text="调整方案等操作时回传的 version")
    state = serializers.ChoiceField(choices=Plan.State.values, help_text="draft 草案；fixed 已确定")
    fixed_at = serializers.DateTimeField(allow_null=True)
    replan_count = serializers.IntegerField()
    adjustments = AdjustmentOutput(many=True)
    allowed_actions = serializers.ListField(child=serializers.CharField())
    links = serializers.DictField(child=serializers.CharField())


def commission_plan_payload(request, found) -> dict:
    commission = found.commission
    payload = plan_payload(found.outcome, commission.project.region)
    payload |= {
        "commission_id": commission.pk,
        "commission_version": commission.version,
        "state": found.plan.state,
        "fixed_at": found.plan.fixed_at,
        "replan_count": found.plan.replan_count,
        "adjustments": found.adjustments,
        "allowed_actions": plan_allowed_actions(request.user, found),
        "links": {
            "notice_docx": reverse("api-commission-plan-notice", args=[commission.pk]),
            "schedule_xlsx": reverse("api-commission-plan-schedule", args=[commission.pk]),
            "page": reverse("planning:commission_plan", args=[commission.pk]),
        },
    }
    cases = {row.code: row.case for row in found.rows if row.case is not None}
    return CommissionPlanOutput(payload, context={"cases": cases}).data


def _found(request, pk, *, need_plan=True):
    found = commission_plan_get_for(request.user, pk)
    if found is None:
        raise Http404
    if need_plan and found.plan is None:
        raise NotFound(MESSAGES["no_plan"])
    return found


@extend_schema(
    tags=["plans"],
    summary="代办委托的代办帮办方案（事项、计划与实际日期、关键路径、调整记录）",
    responses={200: CommissionPlanOutput, 404: OpenApiResponse(description="未找到或尚未生成方案")},
)
class CommissionPlanApi(APIView):
    def get(self, request, pk: int):
        return Response(commission_plan_payload(request, _found(request, pk)))


class PlanActionInput(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1,
        help_text="委托的版本号 commission_version（乐观锁）；已被他人修改时返回 409",
        error_messages={"required": "请提供版本号 version。", "invalid": "版本号应为整数。"},
    )


class PlanAdjustInput(PlanActionInput):
    kind = serializers.ChoiceField(
        choices=PlanAdjustment.Kind.choices,
        error_messages={
            "required": "请说明调整方式 kind（add 或 remove）。",
            "invalid_choice": "调整方式 kind 应为 add 或 remove。",
        },
    )
    code = serializers.CharField(
        max_length=20, error_messages={"required": "请提供事项编码 code。"}
    )
    reason = serializers.CharField(
        max_length=500,
        error_messages={"required": "请填写调整理由 reason。", "blank": "请填写调整理由 reason。"},
    )


class PlanCaseNotNeededInput(PlanActionInput):
    code = serializers.CharField(
        max_length=20,
        help_text="标为不需办理的事项编码（其办件尚未申报）",
        error_messages={"required": "请提供事项编码 code。", "blank": "请提供事项编码 code。"},
    )
    reason = serializers.CharField(
        max_length=1000,
        help_text="不需办理的理由（写入办件记录）",
        error_messages={
            "required": "请填写不需办理的理由 reason。",
            "blank": "请填写不需办理的理由 reason。",
            "max_length": "理由不能超过 {max_length} 字。",
        },
    )


class PlanCaseAddInput(PlanActionInput):
    code = serializers.CharField(
        max_length=20,
        help_text="增加的事项编码（方案所依据的事项清单中、方案尚未包含的事项）",
        error_messages={"required": "请提供事项编码 code。", "blank": "请提供事项编码 code。"},
    )
    reason = serializers.CharField(
        max_length=200,
        help_text="增加的理由（记入办件和方案调整记录）",
        error_messages={
            "required": "请填写增加事项的理由 reason。",
            "blank": "请填写增加事项的理由 reason。",
            "max_length": "理由不能超过 {max_length} 字。",
        },
    )


#: The input of each action of the table (``actions.ACTIONS``), by slug.
PLAN_ACTION_INPUTS = {
    "generate": PlanActionInput,
    "adjust": PlanAdjustInput,
    "fix": PlanActionInput,
    "replan": PlanActionInput,
    "not_needed": PlanCaseNotNeededInput,
    "add_case": PlanCaseAddInput,
}


def _plan_action_view(action: PlanAction):
    input_class = PLAN_ACTION_INPUTS[action.slug]
    summary = action.summary

    @extend_schema(
        tags=["plans"],
        summary=summary,
        request=input_class,
        responses={
            200: CommissionPlanOutput,
            400: OpenApiResponse(description="输入有误或当前状态不能执行该操作"),
            403: OpenApiResponse(description="只有本委托的代办帮办员或中心管理员可以操作"),
            404: OpenApiResponse(description="未找到（或无权查看）"),
            409: OpenApiResponse(description="已被他人修改，请刷新后重试"),
        },
    )
    def post(self, request, pk: int):
        found = _found(request, pk, need_plan=action.needs_plan)
        if not commission_can_act(request.user):
            raise PermissionDenied(ACTION_MESSAGES["read_only"])
        given = input_class(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        plan_action_run(action.slug, found=found, user=request.user, data=data)
        return Response(commission_plan_payload(request, _found(request, pk)))

    name = f"CommissionPlan{action.slug.title().replace('_', '')}Api"
    return type(name, (APIView,), {"post": post, "__doc__": summary})


PLAN_ACTION_VIEWS = {action.slug: _plan_action_view(action) for action in ACTIONS}


def _file_view(kind: str):
    content_type = DOCX_CONTENT_TYPE if kind == "notice" else XLSX_CONTENT_TYPE
    summary = "下载一次性告知单（Word）" if kind == "notice" else "下载申报计划（Excel）"

    @extend_schema(
        tags=["plans"], summary=summary, responses={(200, content_type): OpenApiTypes.BINARY}
    )
    def get(self, request, pk: int):
        found = _found(request, pk)
        build = commission_notice_file if kind == "notice" else commission_schedule_file
        filename, content = build(found)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response

    return type(
        f"CommissionPlan{kind.title()}FileApi", (APIView,), {"get": get, "__doc__": summary}
    )


CommissionPlanNoticeApi = _file_view("notice")
CommissionPlanScheduleApi = _file_view("schedule")
