"""The monthly report and the annual evaluation under ``/api/v1/`` (SPEC §7).

* ``GET /monthly-reports/`` (filters ``month``, ``state``): the stored reports of the caller's
  region subtree, newest month first.
* ``GET /monthly-reports/{month}/`` (``region``: a region id of the subtree; ``source=live``):
  what the month's page shows in one call — the stored report (state, due date, who prepared
  and reviewed it, ``version``) or null, the figures (the stored snapshot, or computed now),
  and ``allowed_actions``.
* ``POST /monthly-reports/{month}/prepare/`` and ``…/review/`` (``region``, ``version``,
  ``note``): one step of ``services.REPORT_ACTIONS``.
* ``GET /annual-evaluation/{year}/`` (``track`` assisted | errand, ``by`` department | agent
  for assisted, errand_company for errand, ``region``): one table of the year's evaluation.

Only the metrics' readers (centre admin, supervisor, leader; a platform operator) may call
them: anyone else 403. A region outside the subtree or a malformed month is 404, a stale
``version`` 409, an action the caller may not take 403, an illegal step 400.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from bangban.common.api import StandardPagination, paginated
from bangban.organization.models import Region

from . import annual, reports, services
from .models import EvaluationScheme, MonthlyReport
from .selectors import may_read_metrics, metric_region_get_for

READERS_ONLY = "只有中心管理员、督查人员和管委会领导可以查看报表。"


def _reader(request) -> None:
    if not may_read_metrics(request.user):
        raise PermissionDenied(READERS_ONLY)


def _region(request, value) -> Region | None:
    if value in (None, ""):
        return request.user.region if request.user.region_id else None
    region = metric_region_get_for(request.user, value)
    if region is None:
        raise NotFound("未找到该区划。")
    return region


def _period(month: str):
    period = reports.parse_month(month)
    if period is None:
        raise NotFound("月份格式应为 YYYY-MM。")
    return period


def _user(user) -> str:
    return str(user) if user is not None else ""


def report_row(report: MonthlyReport) -> dict:
    return {
        "id": report.pk,
        "month": reports.month_key_of(report.month),
        "region": {"id": report.region_id, "key": report.region.key, "name": report.region.name},
        "state": report.state,
        "state_label": report.get_state_display(),
        "due_date": report.due_date.isoformat(),
        "prepared_at": report.prepared_at.isoformat(),
        "prepared_by": _user(report.prepared_by) or "系统",
        "reviewed_at": report.reviewed_at.isoformat() if report.reviewed_at else None,
        "reviewed_by": _user(report.reviewed_by),
        "review_note": report.review_note,
        "version": report.version,
    }


def month_payload(request, period, region, *, source: str) -> dict:
    user = request.user
    report = reports.monthly_report_get_for(user, region=region, period=period)
    use_stored = report is not None and source != "live"
    figures = report.figures if use_stored else reports.monthly_figures(user, period, region=region)
    allowed = (
        services.report_allowed_actions(user, region=region, period=period, report=report)
        if region is not None
        else []
    )
    return {
        "month": reports.month_key(period),
        "label": period.label,
        "region": {"id": region.pk, "key": region.key, "name": region.name} if region else None,
        "source": "stored" if use_stored else "live",
        "report": report_row(report) if report is not None else None,
        "figures": figures,
        "allowed_actions": [action.slug for action in allowed],
    }


# --- output serializers (documentation) -------------------------------------------------------


class ReportRowOutput(serializers.Serializer):
    id = serializers.IntegerField()
    month = serializers.CharField(help_text="YYYY-MM")
    region = serializers.DictField()
    state = serializers.ChoiceField(choices=MonthlyReport.State.choices)
    state_label = serializers.CharField()
    due_date = serializers.DateField()
    prepared_at = serializers.DateTimeField()
    prepared_by = serializers.CharField()
    reviewed_at = serializers.DateTimeField(allow_null=True)
    reviewed_by = serializers.CharField()
    review_note = serializers.CharField()
    version = serializers.IntegerField()


class MonthOutput(serializers.Serializer):
    month = serializers.CharField()
    label = serializers.CharField()
    region = serializers.DictField(allow_null=True)
    source = serializers.ChoiceField(choices=["stored", "live"])
    report = ReportRowOutput(allow_null=True)
    figures = serializers.DictField(
        help_text="月报数据：consultations, cases{rows,total}, ratings, complaints, "
        "rectifications, follow_up（比率为 0–1 的小数，无分母时为 null）"
    )
    allowed_actions = serializers.ListField(child=serializers.CharField())


class EvaluationOutput(serializers.Serializer):
    year = serializers.IntegerField()
    track = serializers.ChoiceField(choices=EvaluationScheme.Track.choices)
    track_label = serializers.CharField()
    by = serializers.CharField()
    by_label = serializers.CharField()
    region = serializers.DictField(allow_null=True)
    as_of = serializers.DateField()
    scheme = serializers.DictField()
    components = serializers.ListField(child=serializers.DictField())
    rows = serializers.ListField(
        child=serializers.DictField(),
        help_text="每个考核对象：key, name, counts, rates, points, score（未参评为 null）, passed",
    )
    summary = serializers.DictField()


class ReportActionInput(serializers.Serializer):
    region = serializers.IntegerField(
        required=False, allow_null=True, help_text="区划 id（默认本人所属区划）"
    )
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="版本号 version（乐观锁；月报已生成时必填）；已被他人修改时返回 409",
        error_messages={"invalid": "版本号应为整数。"},
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=services.REVIEW_NOTE_LIMIT,
        help_text="审核意见",
        error_messages={"max_length": services.MESSAGES["note_too_long"]},
    )


REGION_PARAM = OpenApiParameter("region", int, description="区划 id（默认本人所属区划）")
MONTH_PARAM = OpenApiParameter(
    "month", str, OpenApiParameter.PATH, description="月份 YYYY-MM", pattern=r"^\d{4}-\d{2}$"
)


# --- views -------------------------------------------------------------------------------------


class MonthlyReportListApi(APIView):
    """月度报表：本辖区已生成的月报（新的在前）。"""

    pagination_class = StandardPagination

    @extend_schema(
        tags=["reports"],
        summary="已生成的月报",
        parameters=[
            OpenApiParameter("month", str, description="月份 YYYY-MM"),
            OpenApiParameter("state", str, enum=MonthlyReport.State.values, description="状态"),
        ],
        responses=ReportRowOutput(many=True),
    )
    def get(self, request):
        _reader(request)
        queryset = reports.monthly_report_list_for(request.user)
        state = request.query_params.get("state", "")
        if state in MonthlyReport.State.values:
            queryset = queryset.filter(state=state)
        month = request.query_params.get("month", "")
        if month:
            period = reports.parse_month(month)
            if period is None:
                raise serializers.ValidationError({"month": ["月份格式应为 YYYY-MM。"]})
            queryset = queryset.filter(month=period.start)
        return paginated(self, request, queryset, report_row)


class MonthlyReportApi(APIView):
    @extend_schema(
        tags=["reports"],
        summary="某月的月报（已生成的月报数据或实时数据）",
        parameters=[
            MONTH_PARAM,
            REGION_PARAM,
            OpenApiParameter(
                "source",
                str,
                enum=["live"],
                description="live：实时数据（默认：已生成的月报数据，未生成时为实时数据）",
            ),
        ],
        responses=MonthOutput,
    )
    def get(self, request, month: str):
        _reader(request)
        period = _period(month)
        region = _region(request, request.query_params.get("region"))
        source = "live" if request.query_params.get("source") == "live" else "stored"
        return Response(month_payload(request, period, region, source=source))


def _action_view(slug: str):
    action = services.REPORT_ACTIONS[slug]

    class ReportActionApi(APIView):
        @extend_schema(
            tags=["reports"],
            summary=f"{action.label}（月报）",
            parameters=[MONTH_PARAM],
            request=ReportActionInput,
            responses={200: MonthOutput},
            operation_id=f"monthly_report_{slug}",
        )
        def post(self, request, month: str):
            _reader(request)
            period = _period(month)
            given = ReportActionInput(data=request.data)
            given.is_valid(raise_exception=True)
            data = given.validated_data
            region = _region(request, data.get("region"))
            if region is None:
                raise serializers.ValidationError({"region": ["请指定区划。"]})
            report = reports.monthly_report_get_for(request.user, region=region, period=period)
            services.report_action_run(
                slug,
                user=request.user,
                region=region,
                period=period,
                report=report,
                expected_version=data.get("version"),
                note=data.get("note", ""),
            )
            return Response(month_payload(request, period, region, source="stored"))

    ReportActionApi.__name__ = f"MonthlyReport{slug.title()}Api"
    ReportActionApi.__qualname__ = ReportActionApi.__name__
    return ReportActionApi


REPORT_ACTION_VIEWS = {slug: _action_view(slug) for slug in services.REPORT_ACTIONS}


class AnnualEvaluationApi(APIView):
    @extend_schema(
        tags=["reports"],
        summary="年度综合评价（百分制，按考核类别和考核对象）",
        parameters=[
            OpenApiParameter("year", int, OpenApiParameter.PATH, description="年度（2000–2100）"),
            OpenApiParameter(
                "track",
                str,
                enum=EvaluationScheme.Track.values,
                description="assisted：帮办代办/联审联批（默认）；errand：专业跑腿",
            ),
            OpenApiParameter(
                "by",
                str,
                enum=["department", "agent", "errand_company"],
                description="考核对象：assisted 为 department（默认）或 agent，errand 为 errand_company",
            ),
            REGION_PARAM,
        ],
        responses={
            200: EvaluationOutput,
            400: OpenApiResponse(
                OpenApiTypes.OBJECT, description="参数有误，或该年度没有考核方案（year）"
            ),
        },
    )
    def get(self, request, year: int):
        _reader(request)
        if not 2000 <= year <= 2100:
            raise NotFound("年度应在 2000 年至 2100 年之间。")
        track = request.query_params.get("track") or EvaluationScheme.Track.ASSISTED
        if track not in EvaluationScheme.Track.values:
            raise serializers.ValidationError({"track": ["考核类别应为 assisted 或 errand。"]})
        by = request.query_params.get("by") or annual.TRACK_GROUPINGS[track][0]
        if by not in annual.TRACK_GROUPINGS[track]:
            allowed = "、".join(annual.TRACK_GROUPINGS[track])
            raise serializers.ValidationError({"by": [f"该考核类别的考核对象应为：{allowed}。"]})
        region = _region(request, request.query_params.get("region"))
        try:
            table = annual.evaluation_table(request.user, year, track, by, region=region)
        except annual.SchemeMissing as exc:
            raise serializers.ValidationError({"year": [exc.message]}) from None
        return Response(table)
