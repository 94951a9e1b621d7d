"""Commissions under /api/v1/commissions/: list, apply, detail (with the plan, through the hook planning registers), the actions of the table in ``projects/actions.py``, and the Word documents."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bangban.accounts.models import Role, User
from bangban.documents.attachments import (
    attachment_accesses_for_commission,
    attachment_response,
)
from bangban.documents.models import AttachmentAccess
from bangban.rules.attributes import ATTRIBUTES, validate_attributes

from .. import hooks, lifecycle, services
from ..actions import (
    ACTIONS,
    CommissionAction,
    commission_action_run,
    commission_allowed_actions,
    commission_blocked_actions,
    commission_read_only_reason,
)
from ..exports import DOCUMENTS, DocumentUnavailable, commission_document, documents_for
from ..messages import COMPLETION_SCAN_PURPOSE, SIGNED_SCAN_PURPOSE
from ..models import Commission
from ..selectors import (
    commission_get_for,
    commission_list_for,
    consultation_get_for,
    enterprise_get_for,
    project_get_for,
)
from .enterprises import EnterpriseInput, refuse_unconfirmed_credit_code
from .refs import (
    AgentRef,
    EnterpriseRef,
    LeadDepartmentRef,
    PersonRef,
    attributes_output,
    region_by_key,
)

# --- commissions -----------------------------------------------------------------------------------


class CommissionListOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    version = serializers.IntegerField()
    channel = serializers.CharField()
    scope = serializers.CharField()
    is_priority = serializers.BooleanField()
    awaiting_decision = serializers.BooleanField()
    project = serializers.SerializerMethodField()
    enterprise = EnterpriseRef(source="project.enterprise")
    lead_department = LeadDepartmentRef()
    agent = AgentRef(allow_null=True)
    applied_at = serializers.DateTimeField()

    def get_project(self, commission) -> dict:
        """{"id", "name", "region": {"key", "name"}}"""
        project = commission.project
        return {
            "id": project.id,
            "name": project.name,
            "region": {"key": project.region.key, "name": project.region.name},
        }


class TransitionOutput(serializers.Serializer):
    action = serializers.CharField()
    action_label = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    actor = PersonRef()
    reason = serializers.CharField()
    at = serializers.DateTimeField(help_text="记录时间（服务器时间）")
    occurred_at = serializers.DateTimeField(help_text="发生时间")
    backfilled = serializers.BooleanField(help_text="补录")


class AssignmentOutput(serializers.Serializer):
    agent = PersonRef()
    assigned_by = PersonRef()
    is_override = serializers.BooleanField()
    reason = serializers.CharField()
    at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)


class ReturnedOriginalOutput(serializers.Serializer):
    name = serializers.CharField()
    copies = serializers.IntegerField()
    returned_on = serializers.DateField()
    received_by = serializers.CharField()
    recorded_by = PersonRef()
    recorded_at = serializers.DateTimeField()


class CommissionDetailOutput(CommissionListOutput):
    project = serializers.SerializerMethodField()
    enterprise = serializers.SerializerMethodField()
    scope_stages = serializers.ListField(child=serializers.CharField())
    scope_items = serializers.ListField(child=serializers.CharField())
    other_needs = serializers.CharField()
    contact = serializers.SerializerMethodField()
    verified_at = serializers.DateTimeField(allow_null=True)
    agreed_at = serializers.DateTimeField(allow_null=True)
    terminated_at = serializers.DateTimeField(allow_null=True)
    termination_reason = serializers.CharField()
    termination_note = serializers.CharField()
    refusal_explanation = serializers.CharField()
    authorization_confirmed_at = serializers.DateTimeField(allow_null=True)
    commitment_confirmed_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True, help_text="办结时间")
    completion_confirmation = serializers.SerializerMethodField()
    archived_at = serializers.DateTimeField(allow_null=True, help_text="归档时间")
    returned_originals = ReturnedOriginalOutput(many=True, help_text="返还项目单位的原件")
    has_signed_scan = serializers.SerializerMethodField()
    eligibility = serializers.SerializerMethodField()
    history = TransitionOutput(source="transitions", many=True)
    assignments = AssignmentOutput(many=True)
    documents = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()
    blocked_actions = serializers.SerializerMethodField()
    plan = serializers.SerializerMethodField(
        help_text="代办帮办方案（与 GET /commissions/{id}/plan/ 相同）；尚未生成时为 null"
    )

    cases = serializers.SerializerMethodField(
        help_text="办件（事项的办理状态、日期、文号、所缺材料和进展说明）；方案确定前为 null"
    )

    def get_plan(self, commission) -> dict | None:
        request = self.context.get("request")
        if request is None:
            return None
        return hooks.detail_value("plan", request, commission)

    def get_cases(self, commission) -> list | None:
        request = self.context.get("request")
        if request is None:
            return None
        return hooks.detail_value("cases", request, commission)

    def get_project(self, commission) -> dict:
        """The project with its SPEC §4 attributes."""
        project = commission.project
        return {
            "id": project.id,
            "name": project.name,
            "region": {"key": project.region.key, "name": project.region.name},
            "project_code": project.project_code,
            "description": project.description,
            "sponsor_department": project.sponsor_department.name
            if project.sponsor_department_id
            else "",
            "attributes": attributes_output(project),
        }

    def get_enterprise(self, commission) -> dict:
        """The project unit."""
        enterprise = commission.project.enterprise
        return {
            "id": enterprise.id,
            "name": enterprise.name,
            "credit_code": enterprise.credit_code,
            "legal_representative": enterprise.legal_representative,
            "contact_name": enterprise.contact_name,
            "contact_mobile": enterprise.contact_mobile,
            "address": enterprise.address,
        }

    def get_contact(self, commission) -> dict:
        """{"name", "phone"}: the application's contact person (咨询转办: the consultation's)."""
        return {"name": commission.contact_name, "phone": commission.contact_phone}

    def get_has_signed_scan(self, commission) -> bool:
        return commission.signed_scan_id is not None

    def get_eligibility(self, commission) -> dict | None:
        """{"outcome", "outcome_label", "explanation": [句子…], "awaiting_confirmation",
        "coverage"} or null before screening. coverage: what the screening compared —
        {"source", "held": {类别: 条数}, "totals": {类别: 官方总数}, "regional", "complete",
        "sentence"}; while the catalog is incomplete the last explanation line says so."""
        check = services.commission_eligibility_check(commission)
        if check is None:
            if commission.refusal_explanation:
                return {
                    "outcome": "refused",
                    "outcome_label": "不予办理",
                    "explanation": commission.refusal_explanation.splitlines(),
                }
            return None
        return {
            "outcome": check.outcome,
            "outcome_label": check.outcome_label,
            "explanation": check.explanation_lines(),
            "awaiting_confirmation": check.awaiting_confirmation,
            "coverage": check.coverage or None,
        }

    def get_documents(self, commission) -> list[dict]:
        """[{"kind", "title", "url"}] — the Word documents available now."""
        request = self.context.get("request")
        result = []
        for kind in documents_for(commission):
            url = reverse("api-commission-document", args=[commission.pk, kind.slug])
            result.append(
                {
                    "kind": kind.slug,
                    "title": kind.title,
                    "url": request.build_absolute_uri(url) if request else url,
                }
            )
        return result

    def get_allowed_actions(self, commission) -> list[str]:
        """The actions (API paths) the caller's role may take now."""
        request = self.context.get("request")
        if request is None:
            return []
        return commission_allowed_actions(request.user, commission)

    def get_blocked_actions(self, commission) -> list[dict]:
        """[{"action", "reason"}] — actions the caller would take but something still blocks
        (「尚有 2 个事项未办结：…」)."""
        request = self.context.get("request")
        if request is None:
            return []
        blocked = commission_blocked_actions(request.user, commission)
        return [{"action": slug, "reason": reason} for slug, reason in blocked.items()]

    def get_completion_confirmation(self, commission) -> dict | None:
        """{"confirmed_by", "confirmed_at", "comment", "on_paper", "signed_on", "recorded_by",
        "scan_url"} once the enterprise confirmed the completion slip, else null. Online:
        confirmed_by is the enterprise's user. On paper (登记纸质确认): confirmed_by is the
        signer's name, signed_on the day signed, recorded_by the staff member who recorded it
        (at confirmed_at) and scan_url the signed slip's scan."""
        if commission.completion_confirmed_at is None:
            return None
        confirmed_at = serializers.DateTimeField().to_representation(
            commission.completion_confirmed_at
        )
        if not commission.completion_on_paper:
            return {
                "confirmed_by": str(commission.completion_confirmed_by or ""),
                "confirmed_at": confirmed_at,
                "comment": commission.completion_comment,
                "on_paper": False,
                "signed_on": None,
                "recorded_by": None,
                "scan_url": None,
            }
        scan_url = None
        if commission.completion_scan_id:
            request = self.context.get("request")
            scan_url = reverse("api-commission-completion-scan-file", args=[commission.pk])
            scan_url = request.build_absolute_uri(scan_url) if request else scan_url
        return {
            "confirmed_by": commission.completion_signed_by,
            "confirmed_at": confirmed_at,
            "comment": commission.completion_comment,
            "on_paper": True,
            "signed_on": commission.completion_signed_on.isoformat(),
            "recorded_by": str(commission.completion_confirmed_by or ""),
            "scan_url": scan_url,
        }


class EnterpriseApplyInput(EnterpriseInput):
    """The project unit of an application. Converting a consultation (``consultation_id``),
    the contact may be left out: the consultation's contact person and phone fill it."""

    contact_name = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default=""
    )
    contact_mobile = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default=""
    )


class ProjectApplyInput(serializers.Serializer):
    name = serializers.CharField(max_length=200, error_messages={"required": "请填写项目名称。"})
    region = serializers.CharField(
        max_length=60,
        help_text="建设地点的区划标识（regions 的 key）",
        error_messages={"required": "请填写建设地点。"},
    )
    project_code = serializers.CharField(
        max_length=50, required=False, allow_blank=True, default=""
    )
    description = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )
    attributes = serializers.DictField(
        required=False,
        default=dict,
        help_text="项目属性（SPEC §4 的属性名）；未给出的取中性值",
        error_messages={"not_a_dict": "attributes 应为对象（键为属性名）。"},
    )


class CommissionCreateInput(serializers.Serializer):
    project_id = serializers.IntegerField(required=False, help_text="为已有项目申请")
    enterprise_id = serializers.IntegerField(required=False, help_text="已登记的企业（工作人员）")
    enterprise = EnterpriseApplyInput(
        required=False, help_text="项目单位（新企业或企业用户核对本企业信息）"
    )
    project = ProjectApplyInput(required=False)
    scope = serializers.ChoiceField(
        choices=Commission.Scope.choices,
        default=Commission.Scope.FULL,
        error_messages={"invalid_choice": "委托范围应为 full（全程代办）或 partial（部分代办）。"},
    )
    scope_stages = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, default=list
    )
    scope_items = serializers.ListField(
        child=serializers.CharField(max_length=20), required=False, default=list
    )
    other_needs = serializers.CharField(
        max_length=1000, required=False, allow_blank=True, default=""
    )
    consultation_id = serializers.IntegerField(required=False, help_text="由咨询转办")

    def validate(self, data):
        if "project_id" not in data and "project" not in data:
            raise serializers.ValidationError(
                {"project": "请填写项目信息或指定已有项目 project_id。"}
            )
        enterprise = data.get("enterprise")
        if enterprise is not None and "consultation_id" not in data:
            missing = {
                name: [message]
                for name, message in (
                    ("contact_name", "请填写联系人。"),
                    ("contact_mobile", "请填写联系人手机号码。"),
                )
                if not str(enterprise.get(name) or "").strip()
            }
            if missing:
                raise serializers.ValidationError({"enterprise": missing})
        return data


def _project_data(raw: dict) -> dict[str, Any]:
    values, errors = validate_attributes(raw.get("attributes") or {})
    if errors:
        raise ValidationError({f"project.{name}": message for name, message in errors.items()})
    given = set(raw.get("attributes") or {})
    data = {name: values[name] for name in ATTRIBUTES if name in given}
    data.update(
        name=raw["name"],
        region=region_by_key(raw["region"], "project.region"),
        project_code=raw.get("project_code", ""),
        description=raw.get("description", ""),
    )
    return data


def _enterprise_data(raw: dict | None) -> dict[str, Any] | None:
    if raw is None:
        return None
    data = dict(raw)
    refuse_unconfirmed_credit_code(data, "enterprise.credit_code")
    data["region"] = region_by_key(data["region"], "enterprise.region")
    return data


@extend_schema(tags=["commissions"])
class CommissionListApi(generics.ListAPIView):
    serializer_class = CommissionListOutput

    def get_queryset(self):
        queryset = commission_list_for(self.request.user)
        state = self.request.query_params.get("state")
        if state in lifecycle.STATE_LABELS:
            queryset = queryset.filter(state=state)
        return queryset

    @extend_schema(summary="可见的代办委托列表（可按 state 筛选）")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="申请代办帮办（企业网上申请、窗口登记、咨询转办或招引单位推送）",
        request=CommissionCreateInput,
        responses={201: CommissionDetailOutput},
    )
    def post(self, request):
        user = request.user
        data = CommissionCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        common = {
            "scope": values["scope"],
            "scope_stages": values["scope_stages"],
            "scope_items": values["scope_items"],
            "other_needs": values["other_needs"],
        }
        project = None
        if "project_id" in values:
            project = project_get_for(user, values["project_id"])
            if project is None:
                raise ValidationError({"project_id": "未找到该项目。"})
        enterprise = None
        if "enterprise_id" in values:
            enterprise = enterprise_get_for(user, values["enterprise_id"])
            if enterprise is None:
                raise ValidationError({"enterprise_id": "未找到该企业。"})
        application: dict[str, Any] = {
            **common,
            "enterprise": enterprise,
            "enterprise_data": _enterprise_data(values.get("enterprise")),
        }
        if project is not None:
            application["project"] = project
        else:
            application["project_data"] = _project_data(values["project"])
        if user.role == Role.SPONSOR:
            application.pop("project", None)
            if project is not None:
                raise ValidationError({"project_id": "招引单位推送须填写项目信息。"})
            commission = services.sponsor_push(sponsor_user=user, **application)
        elif "consultation_id" in values:
            consultation = consultation_get_for(user, values["consultation_id"])
            if consultation is None:
                raise ValidationError({"consultation_id": "未找到该咨询。"})
            commission = services.consultation_convert(
                consultation=consultation, actor=user, **application
            )
        else:
            channel = (
                Commission.Channel.PORTAL
                if user.role == Role.ENTERPRISE
                else Commission.Channel.WINDOW
            )
            commission = services.commission_apply(actor=user, channel=channel, **application)
        return Response(_detail(request, commission.pk), status=status.HTTP_201_CREATED)


def _detail(request, pk) -> dict:
    commission = commission_get_for(request.user, pk)
    if commission is None:
        raise Http404
    return CommissionDetailOutput(commission, context={"request": request}).data


@extend_schema(
    tags=["commissions"],
    summary="代办委托详情（项目、企业、代办员、状态、办理记录、核实结论、文书）",
    responses=CommissionDetailOutput,
)
class CommissionDetailApi(APIView):
    def get(self, request, pk: int):
        return Response(_detail(request, pk))


# --- transition actions ---------------------------------------------------------------------------


class VersionInput(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1,
        help_text="读取时的版本号（乐观锁）；已被他人修改时返回 409",
        error_messages={"required": "请提供版本号 version。", "invalid": "版本号应为整数。"},
    )


class VerifyInput(VersionInput):
    is_new_capacity = serializers.BooleanField(
        help_text="新建或新增产能（true）；现有产能改造升级（false）",
        error_messages={"required": "请说明是否新建或新增产能 is_new_capacity。"},
    )
    below_energy_benchmark = serializers.BooleanField(required=False, default=False)
    in_industrial_park = serializers.BooleanField(required=False, default=True)
    entries_checked = serializers.BooleanField(
        required=False,
        default=False,
        help_text="已对照官方文本核对命中条目的条文与来源；不予办理所依据的条目尚未核对时必须为 true",
    )


class AssignInput(VersionInput):
    agent_id = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="要指派的代办帮办员。不填（或 null）：代办帮办员调用时认领给自己（调用者本人）；"
        "中心管理员调用时按负荷自动推荐（在办委托最少者）",
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class TerminateInput(VersionInput):
    reason_category = serializers.ChoiceField(
        choices=Commission.TerminationReason.choices,
        error_messages={
            "required": "请选择终止原因 reason_category。",
            "invalid_choice": "终止原因应为 law_or_policy、conditions_lost 或 investor_request。",
        },
    )
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class DecideInput(VersionInput):
    approve = serializers.BooleanField(
        help_text="true：同意继续办理；false：不予办理",
        error_messages={"required": "请说明是否同意继续办理 approve（true/false）。"},
    )
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    conditions = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="同意时附加的办理条件",
    )


class ConfirmEligibilityInput(VersionInput):
    note = serializers.CharField(
        max_length=1000,
        help_text="核对依据：对照的目录文本及所查章节（如“已对照《产业结构调整指导目录（2024年本）》"
        "官方文本鼓励类、限制类、淘汰类全文”）",
        error_messages={
            "required": "请写明核对依据 note。",
            "blank": "请写明核对依据 note。",
            "max_length": "核对依据不能超过 1000 个字。",
        },
    )


class SignedScanInput(VersionInput):
    signed_scan = serializers.FileField(
        help_text="授权委托书和承诺书的签字盖章扫描件（PDF/JPEG/PNG，≤10 MB），multipart 上传",
        error_messages={"required": "请上传签字盖章扫描件 signed_scan。"},
    )


class ConfirmCompletionInput(VersionInput):
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=500,
        help_text="其他意见（可不填）",
        error_messages={"max_length": "意见不能超过 500 个字。"},
    )


class CompletionScanInput(VersionInput):
    scan = serializers.FileField(
        help_text="项目单位签字的服务办结单扫描件（PDF/JPEG/PNG，≤10 MB），multipart 上传",
        error_messages={
            "required": "请上传签字的服务办结单扫描件 scan。",
            "empty": "文件是空的。",
            "invalid": "请以 multipart 上传扫描件 scan。",
        },
    )
    signed_on = serializers.DateField(
        help_text="签字日期（不晚于今天，不早于办结日期）",
        error_messages={
            "required": "请填写签字日期 signed_on。",
            "invalid": "签字日期应为 YYYY-MM-DD。",
        },
    )
    signed_by = serializers.CharField(
        max_length=40,
        help_text="代表项目单位签字的人员姓名",
        error_messages={
            "required": "请填写签字人 signed_by。",
            "blank": "请填写签字人 signed_by。",
            "max_length": "签字人姓名不能超过 40 个字。",
        },
    )


class ReturnedOriginalInput(serializers.Serializer):
    name = serializers.CharField(
        max_length=200, error_messages={"required": "请填写返还的原件名称 name。"}
    )
    copies = serializers.IntegerField(min_value=1, max_value=99, default=1)
    returned_on = serializers.DateField(
        error_messages={
            "required": "请填写返还日期 returned_on。",
            "invalid": "返还日期应为 YYYY-MM-DD。",
        }
    )
    received_by = serializers.CharField(
        max_length=40, error_messages={"required": "请填写签收人 received_by。"}
    )


class RecordOriginalInput(VersionInput, ReturnedOriginalInput):
    pass


class ArchiveInput(VersionInput):
    originals = ReturnedOriginalInput(
        many=True, required=False, default=list, help_text="归档时同时返还的原件（可不填）"
    )


def _assign_values(values: dict) -> dict:
    """``agent_id`` → the agent (none: the pool's least-loaded agent, or the caller when the
    caller is an agent claiming the application)."""
    agent_id = values.pop("agent_id", None)
    if agent_id:
        values["agent"] = User.objects.filter(pk=agent_id, role=Role.AGENT).first()
        if values["agent"] is None:
            raise ValidationError({"agent_id": "未找到该代办帮办员。"})
    return values


#: slug → the input its endpoint takes (the actions themselves are projects/actions.py's table)
ACTION_INPUTS: dict[str, type[VersionInput]] = {
    "verify": VerifyInput,
    "assign": AssignInput,
    "decide": DecideInput,
    "confirm-eligibility": ConfirmEligibilityInput,
    "signed-scan": SignedScanInput,
    "confirm-authorization": VersionInput,
    "confirm-commitment": VersionInput,
    "agree": VersionInput,
    "terminate": TerminateInput,
    "complete": VersionInput,
    "confirm-completion": ConfirmCompletionInput,
    "completion-scan": CompletionScanInput,
    "record-original": RecordOriginalInput,
    "archive": ArchiveInput,
}
#: slug → how its validated input becomes the table's values, where they differ
ACTION_VALUES = {"assign": _assign_values}


def _action_view(action: CommissionAction):
    input_class = ACTION_INPUTS[action.slug]

    @extend_schema(
        tags=["commissions"],
        summary=action.summary,
        request=input_class,
        responses={
            200: CommissionDetailOutput,
            400: OpenApiResponse(description="输入有误或当前状态不能执行该操作"),
            403: OpenApiResponse(description="角色不能执行该操作"),
            404: OpenApiResponse(description="未找到（或无权查看）"),
            409: OpenApiResponse(description="该委托已被他人修改，请刷新后重试"),
        },
    )
    def post(self, request, pk: int):
        commission = commission_get_for(request.user, pk)
        if commission is None:
            raise Http404
        refusal = commission_read_only_reason(request.user, commission)
        if refusal:  # a reader, or a colleague of the assigned agent: 403 before the input
            raise exceptions.PermissionDenied(refusal)
        given = input_class(data=request.data)
        given.is_valid(raise_exception=True)
        values = dict(given.validated_data)
        version = values.pop("version")
        values = ACTION_VALUES.get(action.slug, dict)(values)
        commission_action_run(
            action.slug, commission=commission, user=request.user, version=version, data=values
        )
        return Response(_detail(request, commission.pk))

    name = "".join(part.title() for part in action.slug.split("-")) + "Api"
    return type(name, (APIView,), {"post": post, "__doc__": action.summary})


ACTION_VIEWS = {action.slug: _action_view(action) for action in ACTIONS}


@extend_schema(
    tags=["commissions"],
    summary="下载委托文书（Word）",
    responses={
        (
            200,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ): OpenApiTypes.BINARY
    },
)
class CommissionDocumentApi(APIView):
    def get(self, request, pk: int, kind: str):
        commission = commission_get_for(request.user, pk)
        if commission is None or kind not in DOCUMENTS:
            raise Http404
        try:
            filename, content = commission_document(commission, kind)
        except DocumentUnavailable as exc:
            raise ValidationError(exc.message) from None
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
        return response


@extend_schema(
    tags=["commissions"],
    summary="下载项目单位签字的服务办结单扫描件（纸质确认办结）",
    responses={
        (200, "application/pdf"): OpenApiTypes.BINARY,
        (200, "image/jpeg"): OpenApiTypes.BINARY,
        (200, "image/png"): OpenApiTypes.BINARY,
        404: OpenApiResponse(description="未找到（或无权查看），或没有纸质确认的扫描件"),
    },
)
class CommissionCompletionScanApi(APIView):
    def get(self, request, pk: int):
        commission = commission_get_for(request.user, pk)
        if commission is None or commission.completion_scan_id is None:
            raise Http404
        return attachment_response(
            request,
            commission.completion_scan,
            commission_pk=commission.pk,
            subject=COMPLETION_SCAN_PURPOSE,
            channel=AttachmentAccess.Channel.API,
        )


@extend_schema(
    tags=["commissions"],
    summary="下载授权委托书和承诺书的签字盖章扫描件（每次下载都记入文件查阅记录）",
    responses={
        (200, "application/pdf"): OpenApiTypes.BINARY,
        (200, "image/jpeg"): OpenApiTypes.BINARY,
        (200, "image/png"): OpenApiTypes.BINARY,
        404: OpenApiResponse(description="未找到（或无权查看），或没有签字盖章扫描件"),
    },
)
class CommissionSignedScanApi(APIView):
    def get(self, request, pk: int):
        commission = commission_get_for(request.user, pk)
        if commission is None or commission.signed_scan_id is None:
            raise Http404
        return attachment_response(
            request,
            commission.signed_scan,
            commission_pk=commission.pk,
            subject=SIGNED_SCAN_PURPOSE,
            channel=AttachmentAccess.Channel.API,
        )


class FileAccessOutput(serializers.Serializer):
    at = serializers.DateTimeField(help_text="查阅时间")
    user = serializers.SerializerMethodField(help_text="查阅人")
    address = serializers.CharField(allow_null=True, help_text="来源地址")
    channel = serializers.CharField(help_text="web（网页）或 api（接口）")
    file_name = serializers.CharField(source="attachment.name", help_text="文件名")
    subject = serializers.CharField(help_text="文件用途")

    def get_user(self, access) -> str:
        return str(access.user) if access.user_id else ""


@extend_schema(
    tags=["commissions"],
    summary="文件查阅记录：谁在何时查阅或下载了本委托的文件（最近 200 条，一次查询）",
    responses={200: FileAccessOutput(many=True), 404: OpenApiResponse(description="未找到")},
)
class CommissionFileAccessApi(APIView):
    def get(self, request, pk: int):
        commission = commission_get_for(request.user, pk)
        if commission is None:
            raise Http404
        accesses = attachment_accesses_for_commission(commission.pk)
        return Response(FileAccessOutput(accesses, many=True).data)
