"""After-service API under ``/api/v1/`` (SPEC §7).

* ``GET /ratings/`` (filters ``level`` — a level, ``good`` or ``bad`` —, ``department``,
  ``month`` YYYY-MM, ``source``, ``commission``) and ``POST /ratings/`` (the enterprise rates
  its completed commission or a completed case; the agent or a centre admin records a rating
  given at the window or on paper); ``GET /ratings/{id}/``.
* ``GET /rectifications/`` (filters ``state``, ``overdue``, ``mine``, ``department``,
  ``commission``), ``GET /rectifications/{id}/``, ``POST /rectifications/{id}/{action}/``
  (``actions.RECTIFICATIONS``: verify, answer, close, reopen).
* ``GET /follow-up-visits/`` (filters ``state``, ``reason``, ``overdue``, ``commission``),
  ``POST /follow-up-visits/`` (a visit scheduled by hand), ``GET /follow-up-visits/{id}/``,
  ``POST /follow-up-visits/{id}/{action}/`` (``actions.VISITS``: record, cancel).

A stale ``version`` is 409, an action the caller may not take 403, bad input, an illegal step
or a second rating 400 with the Chinese message keyed by field; another party's object is 404.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from bangban.common.api import StandardPagination, paginated
from bangban.common.exceptions import ActionForbidden
from bangban.projects.selectors import commission_list_for

from . import services
from .actions import RECTIFICATIONS, VISITS, Action, Workflow
from .models import FollowUpVisit, Level, Rating, Rectification
from .parties import may_schedule_visit
from .ratings_messages import MESSAGES
from .ratings_selectors import (
    rating_filter,
    rating_get_for,
    rating_list_for,
    rectification_filter,
    rectification_get_for,
    rectification_list_for,
    visit_filter,
    visit_get_for,
    visit_list_for,
)


def _iso(value):
    return value.isoformat() if value else None


def _department(department) -> dict | None:
    return {"id": department.pk, "name": department.name} if department is not None else None


def _commission(commission) -> dict:
    return {"id": commission.pk, "number": commission.number, "project": commission.project.name}


def _case(case) -> dict | None:
    if case is None:
        return None
    return {"id": case.pk, "code": case.code, "name": case.item.name}


def _user(user) -> str:
    return str(user) if user is not None else ""


# --- payloads --------------------------------------------------------------------------------


def rating_row(rating: Rating) -> dict:
    rect = getattr(rating, "rectification", None)  # a bad rating's (None for the others)
    return {
        "id": rating.pk,
        "commission": _commission(rating.commission),
        "case": _case(rating.case),
        "level": rating.level,
        "level_label": rating.get_level_display(),
        "comment": rating.comment,
        "source": rating.source,
        "source_label": rating.get_source_display(),
        "department": _department(rating.department),
        "rated_by": _user(rating.rated_by),
        "rated_at": _iso(rating.rated_at),
        "recorded_at": _iso(rating.recorded_at),
        "backfilled": rating.backfilled,
        "visit": rating.visit_id,
        "rectification": {
            "id": rect.pk,
            "state": rect.state,
            "state_label": rect.get_state_display(),
            "due_date": _iso(rect.due_date),
            "answer": rect.answer,
        }
        if rect is not None
        else None,
    }


def rectification_row(rect: Rectification, user) -> dict:
    rating = rect.rating
    return {
        "id": rect.pk,
        "rating": {
            "id": rating.pk,
            "level": rating.level,
            "level_label": rating.get_level_display(),
            "comment": rating.comment,
            "case": _case(rating.case),
            "rated_at": _iso(rating.rated_at),
        },
        "commission": _commission(rect.commission),
        "department": _department(rect.department),
        "agent": _user(rect.agent),
        "state": rect.state,
        "state_label": rect.get_state_display(),
        "due_date": _iso(rect.due_date),
        "due_provisional": rect.due_provisional,
        "overdue": bool(getattr(rect, "overdue", False)),
        "mine": bool(getattr(rect, "mine", 0)),
        "version": rect.version,
        "allowed_actions": RECTIFICATIONS.allowed(user, rect),
    }


def rectification_payload(rect: Rectification, user) -> dict:
    payload = rectification_row(rect, user)
    payload.update(
        {
            "verification": rect.verification,
            "verified_at": _iso(rect.verified_at),
            "measures": rect.measures,
            "rectified_at": _iso(rect.rectified_at),
            "answer": rect.answer,
            "answered_at": _iso(rect.answered_at),
            "closed_at": _iso(rect.closed_at),
            "return_visits": [visit.pk for visit in rect.rating.return_visits.all()],
            "history": [
                {
                    "action": e.action,
                    "action_label": e.label,
                    "from_state": e.from_state,
                    "to_state": e.to_state,
                    "actor": _user(e.actor),
                    "note": e.note,
                    "at": e.at.isoformat(),
                }
                for e in rect.events.all()
            ],
        }
    )
    return payload


def visit_row(visit: FollowUpVisit, user) -> dict:
    recorded = [
        {"id": r.pk, "level": r.level, "level_label": r.get_level_display(), "comment": r.comment}
        for r in visit.ratings.all()
    ]
    return {
        "id": visit.pk,
        "commission": _commission(visit.commission),
        "reason": visit.reason,
        "reason_label": visit.get_reason_display(),
        "rating": visit.rating_id,
        "draw": visit.draw or {},
        "state": visit.state,
        "state_label": visit.get_state_display(),
        "due_date": _iso(visit.due_date),
        "due_provisional": visit.due_provisional,
        "overdue": bool(getattr(visit, "overdue", False)),
        "method": visit.method,
        "visitor": _user(visit.visitor),
        "visited_at": _iso(visit.visited_at),
        "recorded_at": _iso(visit.recorded_at),
        "backfilled": visit.backfilled,
        "contact": visit.contact,
        "findings": visit.findings,
        "cancel_reason": visit.cancel_reason,
        "recorded_rating": recorded[0] if recorded else None,
        "version": visit.version,
        "allowed_actions": VISITS.allowed(user, visit),
    }


# --- output serializers (documentation) -------------------------------------------------------


class AfterServiceDepartmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class AfterServiceCommissionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    project = serializers.CharField()


class AfterServiceCaseOutput(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class RatingRectificationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.ChoiceField(choices=Rectification.State.choices)
    state_label = serializers.CharField()
    due_date = serializers.DateField()
    answer = serializers.CharField(allow_blank=True)


class RatingOutput(serializers.Serializer):
    id = serializers.IntegerField()
    commission = AfterServiceCommissionOutput()
    case = AfterServiceCaseOutput(allow_null=True)
    level = serializers.ChoiceField(choices=Level.choices)
    level_label = serializers.CharField()
    comment = serializers.CharField(allow_blank=True)
    source = serializers.ChoiceField(choices=Rating.Source.choices)
    source_label = serializers.CharField()
    department = AfterServiceDepartmentOutput(allow_null=True)
    rated_by = serializers.CharField(allow_blank=True)
    rated_at = serializers.DateTimeField()
    recorded_at = serializers.DateTimeField()
    backfilled = serializers.BooleanField()
    visit = serializers.IntegerField(allow_null=True)
    rectification = RatingRectificationOutput(allow_null=True)


class RectificationRatingOutput(serializers.Serializer):
    id = serializers.IntegerField()
    level = serializers.ChoiceField(choices=Level.choices)
    level_label = serializers.CharField()
    comment = serializers.CharField(allow_blank=True)
    case = AfterServiceCaseOutput(allow_null=True)
    rated_at = serializers.DateTimeField()


class RectificationRowOutput(serializers.Serializer):
    id = serializers.IntegerField()
    rating = RectificationRatingOutput()
    commission = AfterServiceCommissionOutput()
    department = AfterServiceDepartmentOutput(allow_null=True)
    agent = serializers.CharField(allow_blank=True)
    state = serializers.ChoiceField(choices=Rectification.State.choices)
    state_label = serializers.CharField()
    due_date = serializers.DateField()
    due_provisional = serializers.BooleanField()
    overdue = serializers.BooleanField()
    mine = serializers.BooleanField()
    version = serializers.IntegerField()
    allowed_actions = serializers.ListField(child=serializers.CharField())


class RectificationHistoryOutput(serializers.Serializer):
    action = serializers.CharField()
    action_label = serializers.CharField()
    from_state = serializers.CharField(allow_blank=True)
    to_state = serializers.CharField()
    actor = serializers.CharField(allow_blank=True)
    note = serializers.CharField(allow_blank=True)
    at = serializers.DateTimeField()


class RectificationDetailOutput(RectificationRowOutput):
    verification = serializers.CharField(allow_blank=True)
    verified_at = serializers.DateTimeField(allow_null=True)
    measures = serializers.CharField(allow_blank=True)
    rectified_at = serializers.DateTimeField(allow_null=True)
    answer = serializers.CharField(allow_blank=True)
    answered_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    return_visits = serializers.ListField(child=serializers.IntegerField())
    history = RectificationHistoryOutput(many=True)
    message = serializers.CharField(required=False, help_text="操作后的提示（仅操作接口返回）")


class RecordedRatingOutput(serializers.Serializer):
    id = serializers.IntegerField()
    level = serializers.ChoiceField(choices=Level.choices)
    level_label = serializers.CharField()
    comment = serializers.CharField(allow_blank=True)


class VisitOutput(serializers.Serializer):
    id = serializers.IntegerField()
    commission = AfterServiceCommissionOutput()
    reason = serializers.ChoiceField(choices=FollowUpVisit.Reason.choices)
    reason_label = serializers.CharField()
    rating = serializers.IntegerField(allow_null=True, help_text="差评回访：所回访的评价 id")
    draw = serializers.DictField(help_text="抽样记录：seed、share、value、method（抽样回访）")
    state = serializers.ChoiceField(choices=FollowUpVisit.State.choices)
    state_label = serializers.CharField()
    due_date = serializers.DateField()
    due_provisional = serializers.BooleanField()
    overdue = serializers.BooleanField()
    method = serializers.CharField(allow_blank=True, help_text="phone | on_site | sms")
    visitor = serializers.CharField(allow_blank=True)
    visited_at = serializers.DateTimeField(allow_null=True)
    recorded_at = serializers.DateTimeField(allow_null=True)
    backfilled = serializers.BooleanField()
    contact = serializers.CharField(allow_blank=True)
    findings = serializers.CharField(allow_blank=True)
    cancel_reason = serializers.CharField(allow_blank=True)
    recorded_rating = RecordedRatingOutput(allow_null=True)
    version = serializers.IntegerField()
    allowed_actions = serializers.ListField(child=serializers.CharField())
    message = serializers.CharField(required=False, help_text="操作后的提示（仅操作接口返回）")


# --- input serializers -----------------------------------------------------------------------

DATE_ERRORS = {"invalid": "日期格式应为 YYYY-MM-DD。"}
DATETIME_ERRORS = {"invalid": "时间格式应为 YYYY-MM-DDTHH:MM。"}
LEVEL_ERRORS = {
    "invalid_choice": MESSAGES["level_required"],
    "required": MESSAGES["level_required"],
}


class RatingInput(serializers.Serializer):
    commission = serializers.IntegerField(min_value=1, help_text="代办委托 id")
    case = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, help_text="办件 id（空：评价整个代办服务）"
    )
    level = serializers.ChoiceField(choices=Level.choices, error_messages=LEVEL_ERRORS)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    source = serializers.ChoiceField(
        choices=[Rating.Source.WINDOW],
        required=False,
        allow_null=True,
        help_text="工作人员登记时为 window（窗口评价器/纸质评价表）；项目单位在线评价时不填",
    )
    rated_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        error_messages=DATETIME_ERRORS,
        help_text="评价时间（工作人员登记纸质评价时；早于现在 10 分钟以上记为补录）",
    )


class VisitScheduleInput(serializers.Serializer):
    commission = serializers.IntegerField(min_value=1, help_text="已办结的代办委托 id")
    due_date = serializers.DateField(error_messages=DATE_ERRORS, help_text="回访期限")


FIELDS = {
    "verification": lambda: serializers.CharField(allow_blank=True, max_length=2000),
    "measures": lambda: serializers.CharField(allow_blank=True, max_length=2000),
    "answer": lambda: serializers.CharField(allow_blank=True, max_length=2000),
    "note": lambda: serializers.CharField(allow_blank=True, max_length=2000),
    "reason": lambda: serializers.CharField(allow_blank=True, max_length=2000),
    "method": lambda: serializers.ChoiceField(
        choices=FollowUpVisit.Method.choices,
        error_messages={"invalid_choice": MESSAGES["method_required"]},
    ),
    "visited_at": lambda: serializers.DateTimeField(error_messages=DATETIME_ERRORS),
    "contact": lambda: serializers.CharField(allow_blank=True, max_length=40),
    "findings": lambda: serializers.CharField(allow_blank=True, max_length=2000),
    "level": lambda: serializers.ChoiceField(
        choices=Level.choices,
        required=False,
        allow_blank=True,
        error_messages={"invalid_choice": MESSAGES["level_required"]},
        help_text="受访人作出的评价（可不填）",
    ),
    "comment": lambda: serializers.CharField(required=False, allow_blank=True, max_length=1000),
}


def _serializer(name: str, fields):
    attrs = {field: FIELDS[field]() for field in fields}
    attrs["version"] = serializers.IntegerField(
        min_value=1,
        help_text="版本号 version（乐观锁）；已被他人修改时返回 409",
        error_messages={"required": "请提供版本号 version。", "invalid": "版本号应为整数。"},
    )
    return type(name, (serializers.Serializer,), attrs)


# --- list and detail views ---------------------------------------------------------------------


def _rating(request, pk) -> Rating:
    rating = rating_get_for(request.user, pk)
    if rating is None:
        raise NotFound("未找到该评价。")
    return rating


def _rect(request, pk) -> Rectification:
    rect = rectification_get_for(request.user, pk)
    if rect is None:
        raise NotFound("未找到该整改。")
    return rect


def _visit(request, pk) -> FollowUpVisit:
    visit = visit_get_for(request.user, pk)
    if visit is None:
        raise NotFound("未找到该回访。")
    return visit


def _visible_commission(request, pk):
    return commission_list_for(request.user).filter(pk=pk).first()


class RatingListApi(APIView):
    """好差评：项目单位看到本单位的评价，代办帮办员看到其可见委托的评价，部门人员看到关于本部门的评价，
    中心管理员、督查人员和领导看到本区划的评价。"""

    pagination_class = StandardPagination

    @extend_schema(
        tags=["ratings"],
        summary="评价列表",
        parameters=[
            OpenApiParameter(
                "level",
                str,
                enum=[*Level.values, "good", "bad"],
                description="评价等级；good：非常满意和满意；bad：不满意和非常不满意",
            ),
            OpenApiParameter("department", int, description="所评部门 id"),
            OpenApiParameter("month", str, description="月份 YYYY-MM（按评价时间）"),
            OpenApiParameter("source", str, enum=Rating.Source.values, description="评价渠道"),
            OpenApiParameter("commission", int, description="代办委托 id"),
        ],
        responses=RatingOutput(many=True),
    )
    def get(self, request):
        queryset = rating_filter(rating_list_for(request.user), request.query_params)
        return paginated(self, request, queryset, rating_row)

    @extend_schema(
        tags=["ratings"],
        summary="评价已办结的代办服务或事项（项目单位），或登记窗口/纸质评价（代办帮办员、中心管理员）",
        request=RatingInput,
        responses={201: RatingOutput},
    )
    def post(self, request):
        given = RatingInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        commission = _visible_commission(request, data.pop("commission"))
        if commission is None:
            raise ValidationError({"commission": MESSAGES["commission_unknown"]})
        rating = services.rating_create(actor=request.user, commission=commission, **data)
        return Response(rating_row(_rating(request, rating.pk)), status=201)


class RatingDetailApi(APIView):
    @extend_schema(tags=["ratings"], summary="评价详情", responses=RatingOutput)
    def get(self, request, pk: int):
        return Response(rating_row(_rating(request, pk)))


class RectificationListApi(APIView):
    """差评整改：自己负责的在前，未反馈的在前，按整改期限排序。"""

    pagination_class = StandardPagination

    @extend_schema(
        tags=["rectifications"],
        summary="差评整改列表",
        parameters=[
            OpenApiParameter("state", str, enum=Rectification.State.values, description="状态"),
            OpenApiParameter("overdue", str, enum=["1"], description="1：只看超期"),
            OpenApiParameter("mine", str, enum=["1"], description="1：只看我负责的"),
            OpenApiParameter("department", int, description="责任部门 id"),
            OpenApiParameter("commission", int, description="代办委托 id"),
        ],
        responses=RectificationRowOutput(many=True),
    )
    def get(self, request):
        queryset = rectification_filter(rectification_list_for(request.user), request.query_params)
        return paginated(self, request, queryset, lambda r: rectification_row(r, request.user))


class RectificationDetailApi(APIView):
    @extend_schema(
        tags=["rectifications"], summary="差评整改详情", responses=RectificationDetailOutput
    )
    def get(self, request, pk: int):
        return Response(rectification_payload(_rect(request, pk), request.user))


class VisitListApi(APIView):
    """回访：待回访的在前（超期标出），按回访期限排序。"""

    pagination_class = StandardPagination

    @extend_schema(
        tags=["follow-up-visits"],
        summary="回访列表",
        parameters=[
            OpenApiParameter("state", str, enum=FollowUpVisit.State.values, description="状态"),
            OpenApiParameter(
                "reason", str, enum=FollowUpVisit.Reason.values, description="回访原因"
            ),
            OpenApiParameter("overdue", str, enum=["1"], description="1：只看超期"),
            OpenApiParameter("commission", int, description="代办委托 id"),
        ],
        responses=VisitOutput(many=True),
    )
    def get(self, request):
        queryset = visit_filter(visit_list_for(request.user), request.query_params)
        return paginated(self, request, queryset, lambda v: visit_row(v, request.user))

    @extend_schema(
        tags=["follow-up-visits"],
        summary="安排回访（中心管理员、督查人员；已办结的代办委托）",
        request=VisitScheduleInput,
        responses={201: VisitOutput},
    )
    def post(self, request):
        given = VisitScheduleInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        commission = _visible_commission(request, data.pop("commission"))
        if commission is None or not may_schedule_visit(request.user, commission):
            if commission is not None or request.user.role not in ("centre_admin", "supervisor"):
                raise ActionForbidden(MESSAGES["schedule_forbidden"])
            raise ValidationError({"commission": MESSAGES["commission_unknown"]})
        visit = services.visit_schedule(actor=request.user, commission=commission, **data)
        return Response(visit_row(_visit(request, visit.pk), request.user), status=201)


class VisitDetailApi(APIView):
    @extend_schema(tags=["follow-up-visits"], summary="回访详情", responses=VisitOutput)
    def get(self, request, pk: int):
        return Response(visit_row(_visit(request, pk), request.user))


# --- action views, one per row of each action table -----------------------------------------


def _camel(*parts: str) -> str:
    return "".join(part.title() for part in "_".join(parts).replace("-", "_").split("_"))


ERRORS = {
    400: OpenApiResponse(description="输入有误或当前状态不能执行该操作"),
    403: OpenApiResponse(description="您不能执行该操作"),
    404: OpenApiResponse(description="未找到（或无权查看）"),
    409: OpenApiResponse(description="已被他人修改，请刷新后重试"),
}


def _action_view(prefix: str, tag: str, workflow: Workflow, action: Action, fetch, payload, output):
    input_class = _serializer(_camel(prefix, action.slug, "input"), action.fields)

    @extend_schema(
        tags=[tag],
        summary=f"{workflow.label(action.slug)}：{action.summary}",
        request=input_class,
        responses={200: output, **ERRORS},
    )
    def post(self, request, pk: int):
        obj = fetch(request, pk)
        given = input_class(data=request.data)
        given.is_valid(raise_exception=True)
        message = workflow.run(action.slug, obj=obj, user=request.user, data=given.validated_data)
        body = payload(fetch(request, pk), request.user)
        body["message"] = message
        return Response(body)

    return type(
        _camel(prefix, action.slug, "api"), (APIView,), {"post": post, "__doc__": action.summary}
    )


RECTIFICATION_ACTION_VIEWS = {
    a.slug: _action_view(
        "rectification",
        "rectifications",
        RECTIFICATIONS,
        a,
        _rect,
        rectification_payload,
        RectificationDetailOutput,
    )
    for a in RECTIFICATIONS.actions
}
VISIT_ACTION_VIEWS = {
    a.slug: _action_view("visit", "follow-up-visits", VISITS, a, _visit, visit_row, VisitOutput)
    for a in VISITS.actions
}
