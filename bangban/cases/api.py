"""Ledger API under ``/api/v1/cases/`` (SPEC §6, §9).

``GET /cases/`` is the ledger (filters ``state`` (or ``open``), ``warning`` (green, yellow,
red), ``stage``, ``department``, ``commission``, ``due=week``; sorted by due date), one page
at a time with a constant number of queries. ``GET /cases/{id}/`` answers in one call what
the case page shows: the item, the materials, the clock (days used, days suspended, due
date, legal due date, provisional flag, warning colour), the history with both times, the
actions the caller may take now and the ``version`` to send back. ``POST /cases/{id}/
{action}/`` takes one step of the table in ``cases/actions.py`` (JSON, or multipart when a
file is sent); a stale ``version`` is 409, an action the caller may not take 403, bad input
or an illegal step 400 with the Chinese message. ``GET /cases/{id}/materials/{material_id}/
file/`` and ``GET /cases/{id}/result/file/`` download a material's file and the result
document (``cases/files.py``: whoever sees the case; every download is recorded in the
commission's file-access log).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from bangban.catalog.models import ServiceMode
from bangban.common.api import StandardPagination, paginated
from bangban.documents.attachments import CONTENT_TYPES
from bangban.documents.models import AttachmentAccess
from bangban.workdays.selectors import get_calendar

from . import lifecycle
from .actions import ACTIONS, BY_SLUG, CaseAction, case_action_run, case_allowed_actions
from .deadlines import case_clock, case_limits
from .escalations import BY_SLUG as ESCALATION_ACTIONS
from .escalations import escalation_act, escalation_allowed_actions, escalation_raise
from .files import case_material_download, case_result_download
from .models import Case, Escalation, Suspension
from .selectors import case_filter, case_get_for, case_list_for, escalation_list_for


def _date(value):
    return value.isoformat() if value else None


def case_row(case: Case) -> dict:
    """A case as a ledger row (list and detail share it)."""
    commission = case.commission
    return {
        "id": case.pk,
        "code": case.code,
        "name": case.item.name,
        "stage": case.item.stage,
        "stage_label": case.item.get_stage_display(),
        "state": case.state,
        "state_label": case.get_state_display(),
        "in_scope": case.in_scope,
        "service_mode": case.service_mode,
        "service_mode_label": case.get_service_mode_display(),
        "department": case.department.name if case.department_id else "",
        "errand_company": case.errand_company.name if case.errand_company_id else "",
        "commission": {
            "id": commission.pk,
            "number": commission.number,
            "project": commission.project.name,
            "enterprise": commission.project.enterprise.name,
            "agent": str(commission.agent) if commission.agent_id else "",
        },
        "planned_start": _date(case.planned_start),
        "planned_due": _date(case.planned_due),
        "baseline_due": _date(case.baseline_due),
        "provisional": case.provisional,
        "actual_start": _date(case.actual_start),
        "submitted_on": _date(case.submitted_on),
        "accepted_on": _date(case.accepted_on),
        "actual_finish": _date(case.actual_finish),
        "due_date": _date(case.due_date),
        "legal_due": _date(case.legal_due),
        "supplement_due": _date(case.supplement_due),
        "warning": getattr(case, "warning", "green"),
        "outcome": case.outcome,
        "result_number": case.result_number,
        "version": case.version,
    }


def _url(request, name: str, *args) -> str:
    url = reverse(name, args=args)
    return request.build_absolute_uri(url) if request is not None else url


def case_payload(case: Case, user, *, request=None) -> dict:
    """Everything the case page shows, in one answer (the case from ``case_get_for``, which
    loads the materials' files and the result document: the file URLs cost no query)."""
    item = case.item
    clock = case_clock(case, get_calendar(), timezone.localdate())
    limits = case_limits(case)  # the item's tier for this project
    payload = case_row(case)
    payload["item"] = {
        "code": item.code,
        "name": item.name,
        "kind": item.kind,
        "kind_label": item.get_kind_display(),
        "department": item.department.name if item.department_id else "",
        "promised_limit_days": limits["promised"],
        "legal_limit_days": limits["legal"],
        "legal_limit_unit": limits["legal_unit"],
        "accept_with_gaps": item.accept_with_gaps,
        "gap_supplement_days": item.gap_supplement_days,
    }
    payload["clock"] = (
        None
        if clock is None
        else {
            "accepted_on": _date(clock.accepted),
            "limit_days": clock.limit_days,
            "days_used": clock.days_used,
            "days_suspended": clock.days_suspended,
            "remaining": clock.remaining,
            "overdue_days": clock.overdue_days,
            "due_date": _date(clock.due),
            "legal_due": _date(case.legal_due),
            "suspended": clock.suspended,
            "colour": clock.colour,
            "provisional": clock.provisional,
        }
    )
    payload["materials"] = [
        {
            "id": row.pk,
            "name": row.name,
            "is_core": row.is_core,
            "status": row.status,
            "status_label": row.get_status_display(),
            "supplement_due": _date(row.supplement_due),
            "supplemented_on": _date(row.supplemented_on),
            "note": row.note,
            "has_file": row.attachment_id is not None,
            "file_name": row.attachment.name if row.attachment_id else None,
            "file_url": _url(request, "api-case-material-file", case.pk, row.pk)
            if row.attachment_id
            else None,
        }
        for row in case.materials.all()
    ]
    payload["result_document"] = (
        {
            "name": case.result_document.name,
            "url": _url(request, "api-case-result-file", case.pk),
        }
        if case.result_document_id
        else None
    )
    payload["suspensions"] = [
        {
            "kind": row.kind,
            "kind_label": row.get_kind_display(),
            "reason": row.reason,
            "start": _date(row.start),
            "end": _date(row.end),
        }
        for row in case.suspensions.all()
    ]
    payload["history"] = [
        {
            "action": event.action,
            "action_label": event.get_action_display(),
            "from_state": event.from_state,
            "to_state": event.to_state,
            "to_state_label": event.get_to_state_display(),
            "actor": str(event.actor) if event.actor_id else "",
            "reason": event.reason,
            "details": event.details,
            "occurred_at": event.occurred_at.isoformat(),
            "recorded_at": event.recorded_at.isoformat(),
            "backfilled": event.backfilled,
        }
        for event in case.events.all()
    ]
    payload["handed_over_at"] = case.handed_over_at.isoformat() if case.handed_over_at else None
    payload["handed_over_to"] = case.handed_over_to
    payload["allowed_actions"] = case_allowed_actions(user, case)
    return payload


class CaseRowOutput(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    state = serializers.ChoiceField(choices=Case.State.choices)
    state_label = serializers.CharField()
    service_mode = serializers.ChoiceField(
        choices=ServiceMode.choices, help_text="服务方式（按项目所在区划，方案确定时所定）"
    )
    service_mode_label = serializers.CharField(help_text="服务方式（中文）")
    warning = serializers.ChoiceField(choices=["green", "yellow", "red"])
    due_date = serializers.DateField(allow_null=True)
    version = serializers.IntegerField()


class CaseMaterialOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    is_core = serializers.BooleanField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    supplement_due = serializers.DateField(allow_null=True)
    supplemented_on = serializers.DateField(allow_null=True)
    note = serializers.CharField(allow_blank=True)
    has_file = serializers.BooleanField()
    file_name = serializers.CharField(allow_null=True, help_text="文件名；未上传文件时为 null")
    file_url = serializers.URLField(
        allow_null=True, help_text="下载地址（每次下载都记入委托的文件查阅记录）；无文件时为 null"
    )


class CaseResultDocumentOutput(serializers.Serializer):
    name = serializers.CharField(help_text="结果文书的文件名")
    url = serializers.URLField(help_text="下载地址（每次下载都记入委托的文件查阅记录）")


class CaseDetailOutput(CaseRowOutput):
    item = serializers.DictField()
    clock = serializers.DictField(allow_null=True)
    materials = CaseMaterialOutput(many=True)
    result_document = CaseResultDocumentOutput(
        allow_null=True, help_text="办理结果文书（办结时上传）；没有时为 null"
    )
    history = serializers.ListField(child=serializers.DictField())
    allowed_actions = serializers.ListField(child=serializers.CharField())


class LedgerPagination(StandardPagination):
    page_size = 50


LEDGER_PARAMETERS = [
    OpenApiParameter("state", str, description="状态（或 open：所有未办结的）"),
    OpenApiParameter("warning", str, enum=["green", "yellow", "red"], description="预警颜色"),
    OpenApiParameter("stage", str, description="阶段"),
    OpenApiParameter("department", int, description="办理部门 id"),
    OpenApiParameter("commission", int, description="委托 id"),
    OpenApiParameter(
        "due", str, enum=["week", "today"], description="week：本周到期；today：今日到期"
    ),
    OpenApiParameter("finished", str, description="YYYY-MM：该月办结的办件"),
    OpenApiParameter("accepted", str, description="YYYY-MM：该月受理的办件"),
]


class CaseListApi(APIView):
    """台账：当前用户可见的办件，按办结期限排序。"""

    pagination_class = LedgerPagination

    @extend_schema(
        tags=["cases"],
        summary="台账（办件列表）",
        parameters=LEDGER_PARAMETERS,
        responses=CaseRowOutput(many=True),
    )
    def get(self, request):
        queryset = case_filter(case_list_for(request.user), request.query_params)
        return paginated(self, request, queryset, case_row)


def _found(request, pk) -> Case:
    case = case_get_for(request.user, pk)
    if case is None:
        raise NotFound("未找到该办件。")
    return case


class CaseDetailApi(APIView):
    """一个办件：事项、材料、期限、记录和当前可执行的操作。"""

    @extend_schema(tags=["cases"], summary="办件详情", responses=CaseDetailOutput)
    def get(self, request, pk: int):
        return Response(case_payload(_found(request, pk), request.user, request=request))


class CaseActionInput(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1,
        help_text="办件的版本号 version（乐观锁）；已被他人修改时返回 409",
        error_messages={"required": "请提供办件的版本号 version。", "invalid": "版本号应为整数。"},
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    occurred_at = serializers.DateField(
        required=False,
        allow_null=True,
        input_formats=["%Y-%m-%d"],
        help_text="发生日期（默认今天；早于今天的记为补录）",
        error_messages={"invalid": "发生日期格式应为 YYYY-MM-DD。"},
    )


FIELD_SERIALIZERS = {
    "statuses": lambda: serializers.DictField(
        child=serializers.ChoiceField(choices=["pending", "received"]), required=False
    ),
    "notes": lambda: serializers.DictField(
        child=serializers.CharField(max_length=300, allow_blank=True), required=False
    ),
    "missing": lambda: serializers.ListField(child=serializers.IntegerField(), required=False),
    "materials": lambda: serializers.ListField(child=serializers.IntegerField(), required=False),
    "supplement_due": lambda: serializers.DateField(
        required=False,
        allow_null=True,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "补正期限格式应为 YYYY-MM-DD。"},
    ),
    "kind": lambda: serializers.ChoiceField(
        choices=Suspension.Kind.choices,
        error_messages={
            "required": "请选择中止计时的原因类别 kind。",
            "invalid_choice": "中止原因类别「{input}」无效。",
        },
    ),
    "result_number": lambda: serializers.CharField(
        max_length=100,
        error_messages={
            "required": "请填写批文、证照或决定书文号 result_number。",
            "blank": "请填写批文、证照或决定书文号 result_number。",
        },
    ),
    "result_document": lambda: serializers.FileField(required=False, allow_null=True),
    "file": lambda: serializers.FileField(required=False, allow_null=True),
    "handed_over_to": lambda: serializers.CharField(
        max_length=40, error_messages={"required": "请填写结果签收人 handed_over_to。"}
    ),
}


def _input_class(action: CaseAction):
    attrs = {name: FIELD_SERIALIZERS[name]() for name in action.fields}
    if action.reason_required:
        attrs["reason"] = serializers.CharField(
            max_length=1000,
            error_messages={
                "required": f"请填写「{action.label}」的原因 reason。",
                "blank": f"请填写「{action.label}」的原因 reason。",
            },
        )
    name = "Case" + "".join(part.title() for part in action.slug.split("_")) + "Input"
    return type(name, (CaseActionInput,), attrs)


def _action_view(action: CaseAction):
    input_class = _input_class(action)

    @extend_schema(
        tags=["cases"],
        summary=f"{action.label}：{action.summary}",
        request=input_class,
        responses={
            200: CaseDetailOutput,
            400: OpenApiResponse(description="输入有误或办件当前状态不能执行该操作"),
            403: OpenApiResponse(description="您不能对该办件执行该操作"),
            404: OpenApiResponse(description="未找到（或无权查看）"),
            409: OpenApiResponse(description="已被他人修改，请刷新后重试"),
        },
    )
    def post(self, request, pk: int):
        case = _found(request, pk)
        given = input_class(data=request.data)
        given.is_valid(raise_exception=True)
        message = case_action_run(
            action.slug, case=case, user=request.user, data=dict(given.validated_data)
        )
        payload = case_payload(_found(request, pk), request.user, request=request)
        payload["message"] = message
        return Response(payload)

    name = "Case" + "".join(part.title() for part in action.slug.split("_")) + "Api"
    return type(
        name,
        (APIView,),
        {
            "post": post,
            "__doc__": action.summary,
            "parser_classes": [JSONParser, MultiPartParser, FormParser],
        },
    )


CASE_ACTION_VIEWS = {action.slug: _action_view(action) for action in ACTIONS}
assert set(CASE_ACTION_VIEWS) == set(BY_SLUG) == set(lifecycle.ACTION_LABELS)


# --- the case's files --------------------------------------------------------------------------

#: A stored file is served with the content type of its parsed kind (any of them).
FILE_RESPONSES = {
    (200, content_type): OpenApiTypes.BINARY for content_type in CONTENT_TYPES.values()
}


@extend_schema(
    tags=["cases"],
    summary="下载办件申请材料的文件（每次下载都记入委托的文件查阅记录）",
    responses={
        **FILE_RESPONSES,
        404: OpenApiResponse(description="未找到（或无权查看该办件），或该材料没有文件"),
    },
)
class CaseMaterialFileApi(APIView):
    def get(self, request, pk: int, material_pk: int):
        return case_material_download(
            request, pk=pk, material_pk=material_pk, channel=AttachmentAccess.Channel.API
        )


@extend_schema(
    tags=["cases"],
    summary="下载办件的办理结果文书（每次下载都记入委托的文件查阅记录）",
    responses={
        **FILE_RESPONSES,
        404: OpenApiResponse(description="未找到（或无权查看该办件），或没有结果文书"),
    },
)
class CaseResultFileApi(APIView):
    def get(self, request, pk: int):
        return case_result_download(request, pk=pk, channel=AttachmentAccess.Channel.API)


# --- escalations (上报) ------------------------------------------------------------------------


def escalation_payload(escalation, user) -> dict:
    return {
        "id": escalation.pk,
        "kind": escalation.kind,
        "kind_label": escalation.get_kind_display(),
        "state": escalation.state,
        "state_label": escalation.get_state_display(),
        "commission": escalation.commission_id,
        "project": escalation.commission.project.name,
        "case": escalation.case_id,
        "problem": escalation.problem,
        "raised_by": str(escalation.raised_by) if escalation.raised_by_id else "",
        "raised_at": escalation.raised_at.isoformat(),
        "leader": str(escalation.leader) if escalation.leader_id else "",
        "instruction": escalation.instruction,
        "instruction_due": _date(escalation.instruction_due),
        "result": escalation.result,
        "version": escalation.version,
        "allowed_actions": escalation_allowed_actions(user, escalation),
    }


class EscalationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Escalation.Kind.choices)
    kind_label = serializers.CharField()
    state = serializers.ChoiceField(choices=Escalation.State.choices)
    state_label = serializers.CharField()
    commission = serializers.IntegerField()
    project = serializers.CharField()
    case = serializers.IntegerField(allow_null=True)
    problem = serializers.CharField()
    raised_by = serializers.CharField()
    raised_at = serializers.DateTimeField()
    leader = serializers.CharField()
    instruction = serializers.CharField()
    instruction_due = serializers.DateField(allow_null=True)
    result = serializers.CharField()
    version = serializers.IntegerField()
    allowed_actions = serializers.ListField(child=serializers.CharField())


class EscalationInput(serializers.Serializer):
    case = serializers.IntegerField(help_text="办件 id")
    problem = serializers.CharField(
        max_length=4000, error_messages={"required": "请写明需要领导协调解决的问题 problem。"}
    )


class EscalationActionInput(serializers.Serializer):
    version = serializers.IntegerField(error_messages={"required": "请提供版本号 version。"})
    instruction = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    instruction_due = serializers.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "办理期限格式应为 YYYY-MM-DD。"},
    )
    result = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class EscalationListApi(APIView):
    """上报事项：领导待批示、代办员上报、系统超期上报。"""

    pagination_class = LedgerPagination

    @extend_schema(
        tags=["escalations"], summary="上报事项列表", responses=EscalationOutput(many=True)
    )
    def get(self, request):
        return paginated(
            self,
            request,
            escalation_list_for(request.user),
            lambda escalation: escalation_payload(escalation, request.user),
        )

    @extend_schema(
        tags=["escalations"],
        summary="代办员上报领导",
        request=EscalationInput,
        responses={201: EscalationOutput},
    )
    def post(self, request):
        given = EscalationInput(data=request.data)
        given.is_valid(raise_exception=True)
        case = _found(request, given.validated_data["case"])
        escalation = escalation_raise(
            commission=case.commission,
            case=case,
            actor=request.user,
            problem=given.validated_data["problem"],
        )
        found = escalation_list_for(request.user).get(pk=escalation.pk)
        return Response(escalation_payload(found, request.user), status=201)


def _escalation(request, pk):
    found = escalation_list_for(request.user).filter(pk=pk).first()
    if found is None:
        raise NotFound("未找到该上报事项。")
    return found


class EscalationDetailApi(APIView):
    @extend_schema(tags=["escalations"], summary="上报事项详情", responses=EscalationOutput)
    def get(self, request, pk: int):
        return Response(escalation_payload(_escalation(request, pk), request.user))


class EscalationActionApi(APIView):
    @extend_schema(
        tags=["escalations"],
        summary="批示（answer：instruction、instruction_due）或办结（close：result）",
        operation_id="escalation_action",
        request=EscalationActionInput,
        responses=EscalationOutput,
    )
    def post(self, request, pk: int, action: str):
        escalation = _escalation(request, pk)
        if action not in ESCALATION_ACTIONS:
            raise NotFound("没有这种操作。")
        given = EscalationActionInput(data=request.data)
        given.is_valid(raise_exception=True)
        escalation_act(
            escalation=escalation, slug=action, actor=request.user, data=given.validated_data
        )
        return Response(escalation_payload(_escalation(request, pk), request.user))
