"""The metrics and the planner's accuracy under ``/api/v1/`` (SPEC §7).

* ``GET /metrics/?period=2026-10&by=department&region=<id>``: the rows of
  :func:`bangban.supervision.metrics.metric_rows` (``by`` omitted: one row for everything
  the caller sees) and the total, each rate beside the share of its events back-filled.
  ``period`` is a month ``2026-10``, a quarter ``2026-Q4``, a year ``2026`` or
  ``2026-10-01~2026-12-31`` (default: the current month).
* ``GET /planner-accuracy/?period=…&region=<id>``: per catalog item and rule, how often the
  agents removed it from or added it to the automatic drafts of the period's fixed plans.

Only the metrics' readers (centre admin, supervisor, leader; a platform operator) may call
them: anyone else 403. A malformed period or dimension is 400, a region outside the caller's
subtree 404. The definitions: docs/supervision.md, 「Metrics」.
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from bangban.organization.models import Region

from . import metrics
from .selectors import may_read_metrics, metric_region_get_for

READERS_ONLY = "只有中心管理员、督查人员和管委会领导可以查看统计指标。"


def _reader(request) -> None:
    if not may_read_metrics(request.user):
        raise PermissionDenied(READERS_ONLY)


def _period(request) -> metrics.Period:
    given = request.query_params.get("period") or ""
    if not given:
        return metrics.Period.current_month(timezone.localdate())
    try:
        return metrics.Period.parse(given)
    except ValueError as exc:
        raise ValidationError({"period": [str(exc)]}) from None


def _region(request) -> Region | None:
    given = request.query_params.get("region") or ""
    if not given:
        return None
    region = metric_region_get_for(request.user, given)
    if region is None:
        raise NotFound("未找到该区划。")
    return region


def period_payload(period: metrics.Period, today) -> dict:
    return {
        "token": period.token,
        "kind": period.kind,
        "label": period.label,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "as_of": period.as_of(today).isoformat(),
        "over": period.is_over(today),
    }


def _region_payload(region: Region | None) -> dict | None:
    if region is None:
        return None
    return {"id": region.pk, "key": region.key, "name": region.name}


# --- output serializers (documentation) --------------------------------------------------------

PERIOD_PARAMETER = OpenApiParameter(
    "period",
    str,
    description="统计期间：2026-10（月）、2026-Q4（季）、2026（年）或 2026-10-01~2026-12-31；"
    "默认本月",
)
REGION_PARAMETER = OpenApiParameter("region", int, description="区划 id（本级及下级）")


class PeriodOutput(serializers.Serializer):
    token = serializers.CharField()
    kind = serializers.ChoiceField(choices=list(metrics.PERIOD_KINDS.items()))
    label = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    as_of = serializers.DateField(help_text="超期未办结的统计日：期末，期间未结束时为今日")
    over = serializers.BooleanField()


class RegionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    name = serializers.CharField()


def _rate(help_text: str):
    return serializers.FloatField(allow_null=True, help_text=help_text)


class MetricRowOutput(serializers.Serializer):
    key = serializers.JSONField(
        allow_null=True,
        help_text="分组：部门/代办员/区划 id，阶段或服务方式的值；null 为不属于该维度的记录",
    )
    label = serializers.CharField()
    accepted = serializers.IntegerField(help_text="期内受理的办件")
    accepted_completed = serializers.IntegerField(help_text="其中期末前办结的")
    completion_rate = _rate("办结率 = accepted_completed / accepted")
    completed = serializers.IntegerField(help_text="期内办结的办件")
    completed_on_time = serializers.IntegerField(help_text="其中不晚于承诺办结期限的")
    promise_kept_rate = _rate("承诺兑现率 = completed_on_time / completed")
    overdue_open = serializers.IntegerField(help_text="期末（或今日）超期未办结的办件")
    avg_working_days = _rate("期内办结办件的平均用时（工作日，不含中止计时）")
    days_used_total = serializers.IntegerField(help_text="提速率的 Σ实际用时")
    legal_days_total = serializers.IntegerField(help_text="提速率的 Σ法定时限（工作日）")
    speedup_cases = serializers.IntegerField(help_text="计入提速率的办件（有法定时限）")
    speedup = _rate("提速率 = 1 − days_used_total / legal_days_total（可为负）")
    ratings = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    satisfaction_share = _rate("满意率 =（非常满意+满意）/ 评价数")
    commissions_completed = serializers.IntegerField()
    visited = serializers.IntegerField()
    follow_up_coverage = _rate("回访率 = visited / commissions_completed")
    consultations = serializers.IntegerField()
    backfilled_completion = _rate("办结率依据的办件中含补录计时事件的比例")
    backfilled_promise = _rate("承诺兑现率（及平均用时、提速率）依据的办件中含补录计时事件的比例")
    backfilled_overdue = _rate("超期办件中受理为补录的比例")
    backfilled_ratings = _rate("补录评价的比例")
    backfilled_visits = _rate("已回访委托中回访为补录的比例")


class MetricsOutput(serializers.Serializer):
    period = PeriodOutput()
    by = serializers.CharField(allow_null=True)
    by_label = serializers.CharField()
    region = RegionOutput(allow_null=True)
    rows = MetricRowOutput(many=True)
    total = MetricRowOutput()


class AccuracyRowOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    catalog_version = serializers.IntegerField(allow_null=True)
    stage = serializers.CharField()
    stage_label = serializers.CharField()
    rule = serializers.CharField(help_text="事项的适用条件；空为所有项目")
    rule_basis = serializers.CharField()
    drafted = serializers.IntegerField(help_text="自动草案含该事项的方案数")
    removed = serializers.IntegerField(help_text="代办员移除的次数")
    added = serializers.IntegerField(help_text="代办员添加的次数")
    not_needed = serializers.IntegerField(help_text="草案含、方案确定后办为不需办理的次数")
    removal_share = serializers.FloatField(allow_null=True)
    correction_share = serializers.FloatField(allow_null=True)


class AccuracyOutput(serializers.Serializer):
    period = PeriodOutput()
    region = RegionOutput(allow_null=True)
    plans = serializers.IntegerField(help_text="期内生成并已确定的方案数")
    rows = AccuracyRowOutput(many=True)


# --- the endpoints ----------------------------------------------------------------------------


class MetricsApi(APIView):
    """统计指标：办结率、承诺兑现率、超期未办结、平均用时、提速率、满意率、回访率、咨询量。"""

    @extend_schema(
        tags=["supervision"],
        summary="统计指标",
        parameters=[
            PERIOD_PARAMETER,
            OpenApiParameter(
                "by", str, enum=list(metrics.DIMENSIONS), description="统计维度；不填为合计"
            ),
            REGION_PARAMETER,
        ],
        responses=MetricsOutput,
    )
    def get(self, request):
        _reader(request)
        period = _period(request)
        by = request.query_params.get("by") or None
        if by is not None and by not in metrics.DIMENSIONS:
            raise ValidationError({"by": ["未知的统计维度。"]})
        region = _region(request)
        rows = metrics.metric_rows(request.user, period, by, region=region)
        total = rows[0] if by is None else metrics.metric_total(request.user, period, region=region)
        return Response(
            {
                "period": period_payload(period, timezone.localdate()),
                "by": by,
                "by_label": metrics.DIMENSIONS[by] if by else "合计",
                "region": _region_payload(region),
                "rows": [row.as_dict() for row in rows],
                "total": total.as_dict(),
            }
        )


class PlannerAccuracyApi(APIView):
    """方案准确度：各事项（及其适用条件）被代办员从自动草案中移除或添加的次数。"""

    @extend_schema(
        tags=["supervision"],
        summary="方案准确度",
        parameters=[PERIOD_PARAMETER, REGION_PARAMETER],
        responses=AccuracyOutput,
    )
    def get(self, request):
        _reader(request)
        period = _period(request)
        region = _region(request)
        rows = metrics.planner_accuracy(request.user, period, region=region)
        return Response(
            {
                "period": period_payload(period, timezone.localdate()),
                "region": _region_payload(region),
                "plans": metrics.accuracy_plans(request.user, period, region=region).count(),
                "rows": [row.as_dict() for row in rows],
            }
        )
