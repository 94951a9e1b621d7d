"""Complaints and accountability API under ``/api/v1/`` (SPEC §7, issue #13 items 3, 9, 10).

* ``GET /complaints/`` (filters ``state``, ``channel``, ``category``, ``department``,
  ``overdue``), ``POST /complaints/`` (register), ``GET /complaints/{id}/`` (what the page
  shows: the facts, the history, the accountability records the caller sees,
  ``allowed_actions`` and ``version``), ``POST /complaints/{id}/{action}/`` (one step of
  ``complaints_actions.COMPLAINTS``: assign, record, conclude).
* ``GET /accountability-records/`` (filters ``department``, ``user``, ``year``, ``kind``,
  ``source``), ``POST /accountability-records/`` (a supervisor), ``GET
  /accountability-records/{id}/``, ``GET /accountability-records/{id}/document/`` (the notice
  of criticism as Word).

A stale ``version`` is 409, a step the caller may not take 403, bad input or an illegal step
400 with the Chinese message keyed by field; another party's object is 404. Scoping: see
``complaints_selectors``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from bangban.common.api import StandardPagination, paginated

from .accountability_exports import (
    DOCX_CONTENT_TYPE,
    DocumentUnavailable,
    criticism_notice_document,
)
from .accountability_services import accountability_record_create
from .complaints_actions import COMPLAINTS, Action
from .complaints_lifecycle import EVENT_LABELS
from .complaints_selectors import (
    accountability_filter,
    accountability_get_for,
    accountability_list_for,
    complaint_filter,
    complaint_get_for,
    complaint_list_for,
)
from .complaints_services import complaint_register
from .models import AccountabilityRecord, Complaint


def _iso(value):
    return value.isoformat() if value else None


def _person(user) -> dict | None:
    return {"id": user.pk, "name": str(user)} if user is not None else None


def _department(department) -> dict | None:
    return {"id": department.pk, "name": department.name} if department is not None else None


# --- payloads -------------------------------------------------------------------------------


def complaint_row(complaint: Complaint) -> dict:
    """A complaint as a list row (list and detail share it)."""
    commission = complaint.commission
    return {
        "id": complaint.pk,
        "channel": complaint.channel,
        "channel_label": complaint.get_channel_display(),
        "category": complaint.category,
        "category_label": complaint.get_category_display(),
        "region": {"id": complaint.region_id, "name": complaint.region.name},
        "subject_user": _person(complaint.subject_user),
        "subject_department": _department(complaint.subject_department),
        "commission": (
            {"id": commission.pk, "number": commission.number, "project": commission.project.name}
            if commission is not None
            else None
        ),
        "received_at": _iso(complaint.received_at),
        "recorded_at": _iso(complaint.recorded_at),
        "backfilled": complaint.backfilled,
        "state": complaint.state,
        "state_label": complaint.get_state_display(),
        "due_date": _iso(complaint.due_date),
        "due_provisional": complaint.due_provisional,
        "overdue": bool(getattr(complaint, "overdue", False)),
        "handler": _person(complaint.handler),
        "finding": complaint.finding,
        "finding_label": complaint.get_finding_display() if complaint.finding else "",
        "version": complaint.version,
    }


def complaint_payload(complaint: Complaint, user) -> dict:
    """Everything the complaint page shows (``complaint`` from ``complaint_get_for``)."""
    payload = complaint_row(complaint)
    payload.update(
        {
            "complainant": complaint.complainant,
            "complainant_contact": complaint.complainant_contact,
            "content": complaint.content,
            "recorded_by": _person(complaint.recorded_by),
            "handling": complaint.handling,
            "result": complaint.result,
            "closed_at": _iso(complaint.closed_at),
            "accountability_records": [record_row(r) for r in complaint.visible_records],
            "history": [
                {
                    "action": e.action,
                    "action_label": _event_label(e.action),
                    "from_state": e.from_state,
                    "to_state": e.to_state,
                    "actor": str(e.actor),
                    "note": e.note,
                    "at": e.at.isoformat(),
                }
                for e in complaint.events.all()
            ],
            "allowed_actions": COMPLAINTS.allowed(user, complaint),
        }
    )
    return payload


def _event_label(action: str) -> str:
    return EVENT_LABELS.get(action, action)


def record_row(record: AccountabilityRecord) -> dict:
    return {
        "id": record.pk,
        "kind": record.kind,
        "kind_label": record.get_kind_display(),
        "source": record.source,
        "source_label": record.get_source_display(),
        "complaint": record.complaint_id,
        "category": record.category,
        "category_label": record.get_category_display() if record.category else "",
        "subject_user": _person(record.subject_user),
        "subject_department": _department(record.subject_department),
        "number": record.number,
        "occurred_on": _iso(record.occurred_on),
        "issued_by": _person(record.issued_by),
        "issued_at": _iso(record.issued_at),
    }


def record_payload(record: AccountabilityRecord) -> dict:
    payload = record_row(record)
    payload.update({"facts": record.facts, "decision": record.decision})
    return payload


# --- output serializers (documentation) -----------------------------------------------------


class RefOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CommissionRefOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    project = serializers.CharField()


class ComplaintRowOutput(serializers.Serializer):
    id = serializers.IntegerField()
    channel = serializers.ChoiceField(choices=Complaint.Channel.choices)
    channel_label = serializers.CharField()
    category = serializers.ChoiceField(choices=Complaint.Category.choices)
    category_label = serializers.CharField()
    region = RefOutput()
    subject_user = RefOutput(allow_null=True)
    subject_department = RefOutput(allow_null=True)
    commission = CommissionRefOutput(allow_null=True)
    received_at = serializers.DateTimeField()
    recorded_at = serializers.DateTimeField()
    backfilled = serializers.BooleanField(help_text="补录：收到时间早于登记时间")
    state = serializers.ChoiceField(choices=Complaint.State.choices)
    state_label = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    due_provisional = serializers.BooleanField()
    overdue = serializers.BooleanField()
    handler = RefOutput(allow_null=True)
    finding = serializers.CharField(help_text="substantiated / partly / unsubstantiated 或空")
    finding_label = serializers.CharField()
    version = serializers.IntegerField()


class RecordRowOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=AccountabilityRecord.Kind.choices)
    kind_label = serializers.CharField()
    source = serializers.ChoiceField(choices=AccountabilityRecord.Source.choices)
    source_label = serializers.CharField()
    complaint = serializers.IntegerField(allow_null=True)
    category = serializers.CharField()
    category_label = serializers.CharField()
    subject_user = RefOutput(allow_null=True)
    subject_department = RefOutput(allow_null=True)
    number = serializers.CharField()
    occurred_on = serializers.DateField(allow_null=True)
    issued_by = RefOutput()
    issued_at = serializers.DateTimeField()


class RecordDetailOutput(RecordRowOutput):
    facts = serializers.CharField()
    decision = serializers.CharField()


class HistoryOutput(serializers.Serializer):
    action = serializers.CharField()
    action_label = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    actor = serializers.CharField()
    note = serializers.CharField()
    at = serializers.DateTimeField()


class ComplaintDetailOutput(ComplaintRowOutput):
    complainant = serializers.CharField()
    complainant_contact = serializers.CharField()
    content = serializers.CharField()
    recorded_by = RefOutput()
    handling = serializers.CharField()
    result = serializers.CharField()
    closed_at = serializers.DateTimeField(allow_null=True)
    accountability_records = RecordRowOutput(many=True)
    history = HistoryOutput(many=True)
    allowed_actions = serializers.ListField(child=serializers.CharField())


class ComplaintActionOutput(ComplaintDetailOutput):
    message = serializers.CharField()


# --- input serializers ----------------------------------------------------------------------

DATE_ERRORS = {"invalid": "日期格式应为 YYYY-MM-DD。"}
DATETIME_ERRORS = {"invalid": "时间格式应为 YYYY-MM-DDTHH:MM。"}


def _id(help_text: str, *, required: bool = False):
    return serializers.IntegerField(
        required=required,
        allow_null=not required,
        min_value=1,
        help_text=help_text,
        error_messages={"invalid": "所选内容无效，请重新选择。"},
    )


class ComplaintInput(serializers.Serializer):
    channel = serializers.ChoiceField(
        choices=Complaint.Channel.choices,
        help_text="投诉渠道（代办帮办员只能登记窗口收到的投诉：window）",
        error_messages={"invalid_choice": "请选择投诉渠道。"},
    )
    category = serializers.ChoiceField(
        choices=Complaint.Category.choices,
        help_text="投诉类别：鄂尔多斯高新区方案禁止的六类行为或其他",
        error_messages={"invalid_choice": "请选择投诉类别。"},
    )
    subject_user = _id("被投诉人员 id（与被投诉部门至少填一项）")
    subject_department = _id("被投诉部门 id（不填时为被投诉人员所属部门）")
    commission = _id("涉及的代办委托 id")
    complainant = serializers.CharField(required=False, allow_blank=True, max_length=60)
    complainant_contact = serializers.CharField(required=False, allow_blank=True, max_length=40)
    content = serializers.CharField(max_length=4000, help_text="投诉内容")
    received_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        error_messages=DATETIME_ERRORS,
        help_text="收到时间（不填为当前时间；早于当前时间 10 分钟以上的标为补录）",
    )


class RecordInput(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=AccountabilityRecord.Kind.choices,
        error_messages={"invalid_choice": "请选择问责类型（违规记录或通报批评）。"},
    )
    source = serializers.ChoiceField(
        choices=AccountabilityRecord.Source.choices,
        help_text="supervision 督查发现；complaint 投诉查实（须给出 complaint）",
        error_messages={"invalid_choice": "请选择问责来源（投诉查实或督查发现）。"},
    )
    complaint = _id("所依据的投诉 id（已办结，属实或部分属实）")
    category = serializers.ChoiceField(
        choices=Complaint.Category.choices,
        required=False,
        allow_blank=True,
        help_text="违规行为（依据投诉时默认为投诉类别）",
        error_messages={"invalid_choice": "请选择违规行为。"},
    )
    subject_user = _id("责任人员 id（依据投诉时默认为被投诉人）")
    subject_department = _id("责任部门 id")
    number = serializers.CharField(
        required=False, allow_blank=True, max_length=60, help_text="文号（通报批评必填）"
    )
    facts = serializers.CharField(max_length=4000, help_text="违规事实")
    decision = serializers.CharField(max_length=4000, help_text="处理决定")
    occurred_on = serializers.DateField(
        required=False, allow_null=True, error_messages=DATE_ERRORS, help_text="发生日期"
    )


ACTION_FIELDS = {
    "handler": lambda: _id("核查人 id（管辖该投诉的中心管理员或督查人员）"),
    "note": lambda: serializers.CharField(required=False, allow_blank=True, max_length=4000),
    "handling": lambda: serializers.CharField(
        required=False, allow_blank=True, max_length=4000, help_text="核查情况"
    ),
    "finding": lambda: serializers.ChoiceField(
        choices=Complaint.Finding.choices,
        error_messages={"invalid_choice": "请选择核查结论（属实、部分属实或不属实）。"},
    ),
    "result": lambda: serializers.CharField(
        allow_blank=True, max_length=4000, help_text="处理结果及对投诉人的答复"
    ),
}


# --- views ----------------------------------------------------------------------------------


def _complaint(request, pk) -> Complaint:
    complaint = complaint_get_for(request.user, pk)
    if complaint is None:
        raise NotFound("未找到该投诉。")
    return complaint


def _record(request, pk) -> AccountabilityRecord:
    record = accountability_get_for(request.user, pk)
    if record is None:
        raise NotFound("未找到该问责记录。")
    return record


class ComplaintListApi(APIView):
    """投诉：当前用户可见的投诉（督查、领导、中心管理员为本区划及下级区划的投诉）。"""

    pagination_class = StandardPagination

    @extend_schema(
        tags=["complaints"],
        summary="投诉列表",
        parameters=[
            OpenApiParameter("state", str, enum=Complaint.State.values, description="状态"),
            OpenApiParameter("channel", str, enum=Complaint.Channel.values, description="渠道"),
            OpenApiParameter(
                "category", str, enum=Complaint.Category.values, description="投诉类别"
            ),
            OpenApiParameter("department", int, description="被投诉部门 id"),
            OpenApiParameter("overdue", str, enum=["1"], description="1：只看超期未办结"),
        ],
        responses=ComplaintRowOutput(many=True),
    )
    def get(self, request):
        queryset = complaint_filter(complaint_list_for(request.user), request.query_params)
        return paginated(self, request, queryset, complaint_row)

    @extend_schema(
        tags=["complaints"],
        summary="登记投诉（中心管理员、督查人员；代办帮办员仅限窗口当面收到的投诉）",
        request=ComplaintInput,
        responses={201: ComplaintDetailOutput},
    )
    def post(self, request):
        given = ComplaintInput(data=request.data)
        given.is_valid(raise_exception=True)
        complaint = complaint_register(actor=request.user, **given.validated_data)
        return Response(
            complaint_payload(_complaint(request, complaint.pk), request.user), status=201
        )


class ComplaintDetailApi(APIView):
    @extend_schema(tags=["complaints"], summary="投诉详情", responses=ComplaintDetailOutput)
    def get(self, request, pk: int):
        return Response(complaint_payload(_complaint(request, pk), request.user))


ERRORS = {
    400: OpenApiResponse(description="输入有误或当前状态不能执行该操作"),
    403: OpenApiResponse(description="您不能执行该操作"),
    404: OpenApiResponse(description="未找到（或无权查看）"),
    409: OpenApiResponse(description="已被他人修改，请刷新后重试"),
}


def _camel(*parts: str) -> str:
    return "".join(part.title() for part in "_".join(parts).replace("-", "_").split("_"))


def _action_view(action: Action):
    attrs = {name: ACTION_FIELDS[name]() for name in action.fields}
    if action.slug == "assign":
        attrs["handler"] = _id("核查人 id（管辖该投诉的中心管理员或督查人员）", required=True)
    attrs["version"] = serializers.IntegerField(
        min_value=1,
        help_text="版本号 version（乐观锁）；已被他人修改时返回 409",
        error_messages={"required": "请提供版本号 version。", "invalid": "版本号应为整数。"},
    )
    input_class = type(_camel("complaint", action.slug, "input"), (serializers.Serializer,), attrs)

    @extend_schema(
        tags=["complaints"],
        summary=f"{COMPLAINTS.label(action.slug)}：{action.summary}",
        request=input_class,
        responses={200: ComplaintActionOutput, **ERRORS},
    )
    def post(self, request, pk: int):
        complaint = _complaint(request, pk)
        given = input_class(data=request.data)
        given.is_valid(raise_exception=True)
        message = COMPLAINTS.run(
            action.slug, obj=complaint, user=request.user, data=dict(given.validated_data)
        )
        body = complaint_payload(_complaint(request, pk), request.user)
        body["message"] = message
        return Response(body)

    return type(_camel("complaint", action.slug, "api"), (APIView,), {"post": post})


COMPLAINT_ACTION_VIEWS = {action.slug: _action_view(action) for action in COMPLAINTS.actions}


class AccountabilityListApi(APIView):
    """问责记录：督查、领导、中心管理员看本区划及下级区划的记录；代办帮办员等看关于本人的记录。"""

    pagination_class = StandardPagination

    @extend_schema(
        tags=["accountability-records"],
        summary="问责记录列表",
        parameters=[
            OpenApiParameter("department", int, description="责任部门 id"),
            OpenApiParameter("user", int, description="责任人员 id"),
            OpenApiParameter("year", int, description="作出年份"),
            OpenApiParameter(
                "kind", str, enum=AccountabilityRecord.Kind.values, description="类型"
            ),
            OpenApiParameter(
                "source", str, enum=AccountabilityRecord.Source.values, description="来源"
            ),
        ],
        responses=RecordRowOutput(many=True),
    )
    def get(self, request):
        queryset = accountability_filter(
            accountability_list_for(request.user), request.query_params
        )
        return paginated(self, request, queryset, record_row)

    @extend_schema(
        tags=["accountability-records"],
        summary="作出问责记录（督查人员）：违规记录或通报批评",
        request=RecordInput,
        responses={201: RecordDetailOutput},
    )
    def post(self, request):
        given = RecordInput(data=request.data)
        given.is_valid(raise_exception=True)
        record = accountability_record_create(actor=request.user, **given.validated_data)
        return Response(record_payload(_record(request, record.pk)), status=201)


class AccountabilityDetailApi(APIView):
    @extend_schema(
        tags=["accountability-records"], summary="问责记录详情", responses=RecordDetailOutput
    )
    def get(self, request, pk: int):
        return Response(record_payload(_record(request, pk)))


class AccountabilityDocumentApi(APIView):
    @extend_schema(
        tags=["accountability-records"],
        summary="通报批评 Word 文书",
        responses={
            (200, DOCX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY),
            400: OpenApiResponse(description="不是通报批评，或文书所需信息不全"),
        },
    )
    def get(self, request, pk: int):
        try:
            filename, content = criticism_notice_document(_record(request, pk))
        except DocumentUnavailable as exc:
            raise ValidationError(exc.message) from None
        response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
