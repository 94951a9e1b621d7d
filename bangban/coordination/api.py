"""Coordination API under ``/api/v1/`` (SPEC §7).

* ``GET /meetings/`` (filters ``kind``, ``state``, ``commission``, ``overdue``) and ``POST
  /meetings/`` (a centre admin arranges a meeting, an agent proposes one);
  ``GET /meetings/{id}/`` answers in one call what the meeting page shows (agenda,
  participants, problems, minutes, decisions with what the caller may do with each, history,
  ``allowed_actions`` and ``version``); ``POST /meetings/{id}/{action}/`` takes one step of
  ``actions.MEETINGS``.
* ``GET /action-items/`` (filters ``status``, ``overdue``, ``mine``), ``GET
  /action-items/{id}/``, ``POST /action-items/{id}/{action}/`` (``actions.ACTION_ITEMS``).
* ``GET /task-orders/`` (filters ``state``, ``commission``), ``POST /task-orders/`` (issue),
  ``GET /task-orders/{id}/``, ``POST /task-orders/{id}/{action}/`` (``actions.TASK_ORDERS``),
  ``GET /task-orders/{id}/document/`` (the Word form).

A stale ``version`` is 409, an action the caller may not take 403, bad input or an illegal
step 400 with the Chinese message keyed by field; another party's object is 404.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from bangban.common.api import StandardPagination, paginated
from bangban.common.exceptions import ActionForbidden

from . import lifecycle, services
from .actions import ACTION_ITEMS, MEETINGS, TASK_ORDERS, Action, Workflow, meeting_new
from .exports import DOCX_CONTENT_TYPE, DocumentUnavailable, task_order_document
from .messages import MESSAGES
from .models import ActionItem, Meeting, TaskOrder
from .parties import may_issue
from .selectors import (
    action_item_filter,
    action_item_get_for,
    action_item_list_for,
    issuable_commission_get_for,
    meeting_filter,
    meeting_get_for,
    meeting_list_for,
    task_order_filter,
    task_order_get_for,
    task_order_list_for,
)


def _date(value):
    return value.isoformat() if value else None


def _department(department) -> dict | None:
    return {"id": department.pk, "name": department.name} if department is not None else None


# --- payloads --------------------------------------------------------------------------------


def meeting_row(meeting: Meeting) -> dict:
    """A meeting as a list row (list and detail share it)."""
    return {
        "id": meeting.pk,
        "kind": meeting.kind,
        "kind_label": meeting.get_kind_display(),
        "title": meeting.title,
        "state": meeting.state,
        "state_label": meeting.get_state_display(),
        "starts_at": _date(meeting.starts_at),
        "place": meeting.place,
        "host_department": _department(meeting.host_department),
        "participants": [_department(d) for d in meeting.participants.all()],
        "commissions": [
            {"id": c.pk, "number": c.number, "project": c.project.name}
            for c in meeting.commissions.all()
        ],
        "recurrence": meeting.recurrence,
        "proposed_by": str(meeting.proposed_by) if meeting.proposed_by_id else "",
        "open_items": getattr(meeting, "open_items", 0),
        "overdue_items": getattr(meeting, "overdue_items", 0),
        "version": meeting.version,
    }


def action_item_row(item: ActionItem, user) -> dict:
    return {
        "id": item.pk,
        "meeting": item.meeting_id,
        "meeting_title": item.meeting.title,
        "text": item.text,
        "owner_department": _department(item.owner_department),
        "due_date": _date(item.due_date),
        "due_provisional": item.due_provisional,
        "status": item.status,
        "status_label": item.get_status_display(),
        "overdue": bool(getattr(item, "overdue", False)),
        "done_note": item.done_note,
        "done_at": _date(item.done_at),
        "done_by": str(item.done_by) if item.done_by_id else "",
        "version": item.version,
        "allowed_actions": ACTION_ITEMS.allowed(user, item),
    }


def meeting_payload(meeting: Meeting, user) -> dict:
    """Everything the meeting page shows (``meeting`` from ``meeting_get_for``)."""
    payload = meeting_row(meeting)
    payload.update(
        {
            "agenda": meeting.agenda,
            "minutes": meeting.minutes,
            "minutes_recorded_at": _date(meeting.minutes_recorded_at),
            "cancel_reason": meeting.cancel_reason,
            "previous": meeting.previous_id,
            "cases": [
                {
                    "id": c.pk,
                    "code": c.code,
                    "name": c.item.name,
                    "state": c.state,
                    "commission": c.commission_id,
                }
                for c in meeting.cases.all()
            ],
            "problems": [p.text for p in meeting.problems.all()],
            "action_items": [action_item_row(item, user) for item in meeting.action_items.all()],
            "history": [
                {
                    "action": e.action,
                    "action_label": e.get_action_display(),
                    "from_state": e.from_state,
                    "to_state": e.to_state,
                    "actor": str(e.actor),
                    "note": e.note,
                    "at": e.at.isoformat(),
                }
                for e in meeting.events.all()
            ],
            "allowed_actions": MEETINGS.allowed(user, meeting),
        }
    )
    return payload


def task_order_row(order: TaskOrder) -> dict:
    commission = order.commission
    return {
        "id": order.pk,
        "number": order.number,
        "state": order.state,
        "state_label": order.get_state_display(),
        "commission": {
            "id": commission.pk,
            "number": commission.number,
            "project": commission.project.name,
            "enterprise": commission.project.enterprise.name,
        },
        "company": _department(order.company),
        "issuer_department": _department(order.issuer_department),
        "issued_by": str(order.issued_by),
        "issued_at": order.issued_at.isoformat(),
        "due_date": _date(order.due_date),
        "cases": [
            {"id": c.pk, "code": c.code, "name": c.item.name, "state": c.state}
            for c in order.cases.all()
        ],
        "version": order.version,
    }


def task_order_payload(order: TaskOrder, user) -> dict:
    payload = task_order_row(order)
    payload.update(
        {
            "requirements": order.requirements,
            "accepted_by": str(order.accepted_by) if order.accepted_by_id else "",
            "accepted_at": _date(order.accepted_at),
            "decline_reason": order.decline_reason,
            "completed_at": _date(order.completed_at),
            "completion_note": order.completion_note,
            "cancel_reason": order.cancel_reason,
            "history": [
                {
                    "action": e.action,
                    "action_label": e.get_action_display(),
                    "from_state": e.from_state,
                    "to_state": e.to_state,
                    "actor": str(e.actor),
                    "note": e.note,
                    "at": e.at.isoformat(),
                }
                for e in order.events.all()
            ],
            "allowed_actions": TASK_ORDERS.allowed(user, order),
        }
    )
    return payload


# --- output serializers (documentation) -------------------------------------------------------


class MeetingRowOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Meeting.Kind.choices)
    kind_label = serializers.CharField()
    title = serializers.CharField()
    state = serializers.ChoiceField(choices=Meeting.State.choices)
    state_label = serializers.CharField()
    starts_at = serializers.DateTimeField(allow_null=True)
    place = serializers.CharField()
    host_department = serializers.DictField()
    participants = serializers.ListField(child=serializers.DictField())
    commissions = serializers.ListField(child=serializers.DictField())
    recurrence = serializers.CharField()
    open_items = serializers.IntegerField()
    overdue_items = serializers.IntegerField()
    version = serializers.IntegerField()


class ActionItemOutput(serializers.Serializer):
    id = serializers.IntegerField()
    meeting = serializers.IntegerField()
    meeting_title = serializers.CharField()
    text = serializers.CharField()
    owner_department = serializers.DictField()
    due_date = serializers.DateField()
    due_provisional = serializers.BooleanField()
    status = serializers.ChoiceField(choices=ActionItem.Status.choices)
    status_label = serializers.CharField()
    overdue = serializers.BooleanField()
    done_note = serializers.CharField()
    version = serializers.IntegerField()
    allowed_actions = serializers.ListField(child=serializers.CharField())


class MeetingDetailOutput(MeetingRowOutput):
    agenda = serializers.CharField()
    minutes = serializers.CharField()
    cases = serializers.ListField(child=serializers.DictField())
    problems = serializers.ListField(child=serializers.CharField())
    action_items = ActionItemOutput(many=True)
    history = serializers.ListField(child=serializers.DictField())
    allowed_actions = serializers.ListField(child=serializers.CharField())


class TaskOrderRowOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    state = serializers.ChoiceField(choices=TaskOrder.State.choices)
    state_label = serializers.CharField()
    commission = serializers.DictField()
    company = serializers.DictField()
    issuer_department = serializers.DictField()
    issued_at = serializers.DateTimeField()
    due_date = serializers.DateField()
    cases = serializers.ListField(child=serializers.DictField())
    version = serializers.IntegerField()


class TaskOrderDetailOutput(TaskOrderRowOutput):
    requirements = serializers.CharField()
    history = serializers.ListField(child=serializers.DictField())
    allowed_actions = serializers.ListField(child=serializers.CharField())


# --- input serializers -----------------------------------------------------------------------

DATE_ERRORS = {"invalid": "日期格式应为 YYYY-MM-DD。"}
DATETIME_ERRORS = {"invalid": "时间格式应为 YYYY-MM-DDTHH:MM。"}


class DecisionInput(serializers.Serializer):
    text = serializers.CharField(max_length=500, help_text="议定事项")
    owner_department = serializers.IntegerField(help_text="责任部门 id（主办或参会部门）")
    due_date = serializers.DateField(
        required=False, allow_null=True, help_text="完成时限（不填按会议日期后 5 个工作日）"
    )


def _ids(help_text: str):
    return lambda: serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text=help_text
    )


FIELDS = {
    "kind": lambda: serializers.ChoiceField(
        choices=Meeting.Kind.choices, error_messages={"invalid_choice": "请选择会议类型。"}
    ),
    "title": lambda: serializers.CharField(max_length=120),
    "host_department": lambda: serializers.IntegerField(
        required=False, allow_null=True, help_text="主办部门 id（代办员提议时为项目牵头部门）"
    ),
    "starts_at": lambda: serializers.DateTimeField(
        required=False, allow_null=True, error_messages=DATETIME_ERRORS
    ),
    "place": lambda: serializers.CharField(required=False, allow_blank=True, max_length=120),
    "participants": _ids("参会部门 id"),
    "commissions": _ids("研究的委托 id"),
    "cases": _ids("研究的办件 id"),
    "agenda": lambda: serializers.CharField(required=False, allow_blank=True, max_length=10000),
    "recurrence": lambda: serializers.ChoiceField(
        choices=Meeting.Recurrence.choices, required=False, allow_blank=True
    ),
    "problems": lambda: serializers.ListField(
        child=serializers.CharField(max_length=500), required=False, help_text="堵点卡点"
    ),
    "minutes": lambda: serializers.CharField(allow_blank=True, max_length=10000),
    "decisions": lambda: DecisionInput(many=True, required=False),
    "reason": lambda: serializers.CharField(allow_blank=True, max_length=500),
    "note": lambda: serializers.CharField(required=False, allow_blank=True, max_length=10000),
    "company": lambda: serializers.IntegerField(
        required=False, allow_null=True, help_text="跑腿服务公司 id"
    ),
    "due_date": lambda: serializers.DateField(
        required=False, allow_null=True, error_messages=DATE_ERRORS
    ),
    "requirements": lambda: serializers.CharField(
        required=False, allow_blank=True, max_length=10000
    ),
}


def _serializer(name: str, fields, *, version: bool):
    attrs = {field: FIELDS[field]() for field in fields}
    if version:
        attrs["version"] = serializers.IntegerField(
            min_value=1,
            help_text="版本号 version（乐观锁）；已被他人修改时返回 409",
            error_messages={"required": "请提供版本号 version。", "invalid": "版本号应为整数。"},
        )
    return type(name, (serializers.Serializer,), attrs)


MeetingInput = _serializer("MeetingInput", services.MEETING_FIELDS, version=False)


class TaskOrderInput(serializers.Serializer):
    commission = serializers.IntegerField(help_text="代办委托 id")
    cases = serializers.ListField(
        child=serializers.IntegerField(), help_text="专业跑腿事项（办件 id）"
    )
    company = serializers.IntegerField(help_text="跑腿服务公司 id")
    due_date = serializers.DateField(error_messages=DATE_ERRORS)
    requirements = serializers.CharField(required=False, allow_blank=True, max_length=10000)


# --- list and detail views ---------------------------------------------------------------------


def _meeting(request, pk) -> Meeting:
    meeting = meeting_get_for(request.user, pk)
    if meeting is None:
        raise NotFound("未找到该会议。")
    return meeting


def _item(request, pk) -> ActionItem:
    item = action_item_get_for(request.user, pk)
    if item is None:
        raise NotFound("未找到该议定事项。")
    return item


def _order(request, pk) -> TaskOrder:
    order = task_order_get_for(request.user, pk)
    if order is None:
        raise NotFound("未找到该任务单。")
    return order


class MeetingListApi(APIView):
    """会议：当前用户可见的会议；中心管理员安排会议，代办帮办员提议召开会议。"""

    pagination_class = StandardPagination

    @extend_schema(
        tags=["meetings"],
        summary="会议列表",
        parameters=[
            OpenApiParameter("kind", str, enum=Meeting.Kind.values, description="会议类型"),
            OpenApiParameter("state", str, enum=Meeting.State.values, description="状态"),
            OpenApiParameter("commission", int, description="研究的委托 id"),
            OpenApiParameter("overdue", str, enum=["1"], description="1：有超期议定事项"),
        ],
        responses=MeetingRowOutput(many=True),
    )
    def get(self, request):
        queryset = meeting_filter(meeting_list_for(request.user), request.query_params)
        return paginated(self, request, queryset, meeting_row)

    @extend_schema(
        tags=["meetings"],
        summary="安排会议（中心管理员）或提议召开会议（代办帮办员）",
        request=MeetingInput,
        responses={201: MeetingDetailOutput},
    )
    def post(self, request):
        given = MeetingInput(data=request.data)
        given.is_valid(raise_exception=True)
        meeting = meeting_new(request.user, dict(given.validated_data))
        return Response(meeting_payload(_meeting(request, meeting.pk), request.user), status=201)


class MeetingDetailApi(APIView):
    @extend_schema(tags=["meetings"], summary="会议详情", responses=MeetingDetailOutput)
    def get(self, request, pk: int):
        return Response(meeting_payload(_meeting(request, pk), request.user))


class ActionItemListApi(APIView):
    """议定事项：当前用户可见会议的议定事项，未完成的在前，按完成时限排序。"""

    pagination_class = StandardPagination

    @extend_schema(
        tags=["action-items"],
        summary="议定事项列表",
        parameters=[
            OpenApiParameter("status", str, enum=ActionItem.Status.values, description="状态"),
            OpenApiParameter("overdue", str, enum=["1"], description="1：只看超期"),
            OpenApiParameter("mine", str, enum=["1"], description="1：只看本部门负责的"),
        ],
        responses=ActionItemOutput(many=True),
    )
    def get(self, request):
        queryset = action_item_filter(
            action_item_list_for(request.user), request.query_params, request.user
        )
        return paginated(self, request, queryset, lambda i: action_item_row(i, request.user))


class ActionItemDetailApi(APIView):
    @extend_schema(tags=["action-items"], summary="议定事项详情", responses=ActionItemOutput)
    def get(self, request, pk: int):
        return Response(action_item_row(_item(request, pk), request.user))


class TaskOrderListApi(APIView):
    """专业跑腿任务单：跑腿公司人员只看到本公司的任务单。"""

    pagination_class = StandardPagination

    @extend_schema(
        tags=["task-orders"],
        summary="任务单列表",
        parameters=[
            OpenApiParameter("state", str, enum=TaskOrder.State.values, description="状态"),
            OpenApiParameter("commission", int, description="委托 id"),
        ],
        responses=TaskOrderRowOutput(many=True),
    )
    def get(self, request):
        queryset = task_order_filter(task_order_list_for(request.user), request.query_params)
        return paginated(self, request, queryset, task_order_row)

    @extend_schema(
        tags=["task-orders"],
        summary="下发专业跑腿任务单（投资促进部门或中心管理员）",
        request=TaskOrderInput,
        responses={201: TaskOrderDetailOutput},
    )
    def post(self, request):
        given = TaskOrderInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        commission = issuable_commission_get_for(request.user, data.pop("commission"))
        if commission is None:
            if not may_issue(request.user):
                raise ActionForbidden(MESSAGES["issue_only"])
            raise ValidationError({"commission": MESSAGES["commission_unknown"]})
        order = services.task_order_issue(actor=request.user, commission=commission, **data)
        return Response(task_order_payload(_order(request, order.pk), request.user), status=201)


class TaskOrderDetailApi(APIView):
    @extend_schema(tags=["task-orders"], summary="任务单详情", responses=TaskOrderDetailOutput)
    def get(self, request, pk: int):
        return Response(task_order_payload(_order(request, pk), request.user))


class TaskOrderDocumentApi(APIView):
    @extend_schema(
        tags=["task-orders"],
        summary="任务单 Word 文书（专业跑腿任务单）",
        responses={
            (200, DOCX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY),
            400: OpenApiResponse(description="任务单已撤销或信息不全"),
        },
    )
    def get(self, request, pk: int):
        try:
            filename, content = task_order_document(_order(request, pk))
        except DocumentUnavailable as exc:
            raise ValidationError(exc.message) from None
        response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response


# --- action views, one per row of each action table -----------------------------------------


def _meeting_current(meeting: Meeting) -> dict:
    """The meeting's editable fields as the API takes them."""
    starts = meeting.starts_at
    return {
        "kind": meeting.kind,
        "title": meeting.title,
        "host_department": meeting.host_department_id,
        "starts_at": timezone.localtime(starts) if starts else None,
        "place": meeting.place,
        "participants": [d.pk for d in meeting.participants.all()],
        "commissions": [c.pk for c in meeting.commissions.all()],
        "cases": [c.pk for c in meeting.cases.all()],
        "agenda": meeting.agenda,
        "recurrence": meeting.recurrence,
        "problems": [p.text for p in meeting.problems.all()],
    }


def _camel(*parts: str) -> str:
    return "".join(part.title() for part in "_".join(parts).replace("-", "_").split("_"))


ERRORS = {
    400: OpenApiResponse(description="输入有误或当前状态不能执行该操作"),
    403: OpenApiResponse(description="您不能执行该操作"),
    404: OpenApiResponse(description="未找到（或无权查看）"),
    409: OpenApiResponse(description="已被他人修改，请刷新后重试"),
}


def _action_view(prefix: str, tag: str, workflow: Workflow, action: Action, fetch, payload, output):
    is_edit = workflow is MEETINGS and action.slug == lifecycle.EDIT
    input_class = _serializer(_camel(prefix, action.slug, "input"), action.fields, version=True)

    @extend_schema(
        tags=[tag],
        summary=f"{workflow.label(action.slug)}：{action.summary}",
        request=input_class,
        responses={200: output, **ERRORS},
    )
    def post(self, request, pk: int):
        obj = fetch(request, pk)
        sent = request.data
        if is_edit:  # an edit keeps what it does not send
            sent = {**_meeting_current(obj), **sent}
        given = input_class(data=sent)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        message = workflow.run(action.slug, obj=obj, user=request.user, data=data)
        fresh = fetch(request, pk)
        body = payload(fresh, request.user)
        body["message"] = message
        return Response(body)

    return type(
        _camel(prefix, action.slug, "api"), (APIView,), {"post": post, "__doc__": action.summary}
    )


MEETING_ACTION_VIEWS = {
    a.slug: _action_view(
        "meeting", "meetings", MEETINGS, a, _meeting, meeting_payload, MeetingDetailOutput
    )
    for a in MEETINGS.actions
}
ACTION_ITEM_ACTION_VIEWS = {
    a.slug: _action_view(
        "action_item", "action-items", ACTION_ITEMS, a, _item, action_item_row, ActionItemOutput
    )
    for a in ACTION_ITEMS.actions
}
TASK_ORDER_ACTION_VIEWS = {
    a.slug: _action_view(
        "task_order",
        "task-orders",
        TASK_ORDERS,
        a,
        _order,
        task_order_payload,
        TaskOrderDetailOutput,
    )
    for a in TASK_ORDERS.actions
}
