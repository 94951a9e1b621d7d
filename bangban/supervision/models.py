"""Supervision (SPEC §7): the configurable staffing minimums, the annual evaluation's weights,
and the monthly reports prepared for review.

The metrics themselves are not stored: :mod:`bangban.supervision.metrics` computes them in the
database from the ledger (cases, their events), the consultations and the after-service
records (bangban.evaluation). A monthly report keeps a snapshot of its figures once prepared,
so what a supervisor reviewed is what is issued.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from bangban.accounts.models import Role


class StaffingMinimum(models.Model):
    """A staffing minimum (county-level city seed: each town's agency ≥ 3 agents, each main
    zone ≥ 5, each department ≥ 1 named helper). Rows are data: a centre edits them."""

    class UnitKind(models.TextChoices):
        TOWN_AGENCY = "town_agency", "苏木乡镇街道代办机构"
        ZONE_AGENCY = "zone_agency", "旗县区/园区代办机构"
        DEPARTMENT = "department", "审批及相关部门"

    region = models.ForeignKey(
        "organization.Region",
        verbose_name="适用区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staffing_minimums",
        help_text="空表示全平台默认；某区划的设置覆盖默认，适用于该区划及其下级。",
    )
    unit_kind = models.CharField("单位类型", max_length=20, choices=UnitKind.choices)
    role = models.CharField(
        "计数的角色",
        max_length=20,
        choices=Role.choices,
        help_text="代办机构计“代办帮办员”，部门计“部门帮办员”。",
    )
    minimum = models.PositiveSmallIntegerField(
        "最低人数", validators=[MaxValueValidator(500, "最低人数不能超过 500。")]
    )
    source = models.CharField("出处", max_length=300, blank=True)

    class Meta:
        verbose_name = "人员配备标准"
        verbose_name_plural = "人员配备标准"
        ordering = ["unit_kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "unit_kind"], name="supervision_one_minimum_per_unit_kind"
            ),
            # NULLs are distinct in a unique index: the platform-wide default needs its own.
            models.UniqueConstraint(
                fields=["unit_kind"],
                condition=models.Q(region__isnull=True),
                name="supervision_one_default_minimum_per_unit_kind",
                violation_error_message="该单位类型已有全平台默认标准。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_unit_kind_display()} ≥ {self.minimum}"


#: The components of the annual evaluation (the keys of ``EvaluationScheme.weights``), in the
#: order the pages, the workbook and the document show them.
EVALUATION_COMPONENTS = {
    "promise_kept": "承诺事项兑现率",
    "completion": "办结率",
    "satisfaction": "满意率",
    "follow_up": "回访覆盖率",
    "complaints": "投诉扣分",
}


class EvaluationScheme(models.Model):
    """The annual evaluation's 100-point composite (Horinger: 70 to pass), one scheme per year
    and track; the weights are data (``data/supervision/evaluation_schemes.yaml``, editable in
    the admin). A year without its own scheme is evaluated with the latest earlier one."""

    class Track(models.TextChoices):
        ASSISTED = "assisted", "帮办代办/联审联批"
        ERRAND = "errand", "专业跑腿"

    year = models.PositiveSmallIntegerField("年度")
    track = models.CharField("考核类别", max_length=10, choices=Track.choices)
    # {"promise_kept": 30, "completion": 25, "satisfaction": 25, "follow_up": 10,
    #  "complaints": 10}: points per component, summing to 100.
    weights = models.JSONField("各项分值", default=dict)
    pass_mark = models.PositiveSmallIntegerField("合格分数线", default=70)
    # The complaints component keeps max(0, 1 − 属实 × deduction − 部分属实 × partial) of its
    # points (bangban.rules.annual_score.complaints_rate).
    complaint_deduction = models.DecimalField(
        "每起属实投诉扣减比例",
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.25"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text="每起查实（属实）的投诉扣去“投诉”一项分值的比例，0.25 即扣四分之一。",
    )
    partial_complaint_deduction = models.DecimalField(
        "每起部分属实投诉扣减比例",
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.125"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
    )
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "年度考核方案"
        verbose_name_plural = "年度考核方案"
        ordering = ["-year", "track"]
        constraints = [
            models.UniqueConstraint(fields=["year", "track"], name="supervision_one_scheme")
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.get_track_display()}"

    def clean(self) -> None:
        weights = self.weights
        if not isinstance(weights, dict) or not weights:
            raise ValidationError({"weights": '请填写各项分值，如 {"completion": 25, …}。'})
        unknown = sorted(set(weights) - set(EVALUATION_COMPONENTS))
        if unknown:
            known = "、".join(EVALUATION_COMPONENTS)
            raise ValidationError(
                {"weights": f"未知的考核项：{'、'.join(unknown)}（可用：{known}）。"}
            )
        values = list(weights.values())
        if any(
            isinstance(value, bool) or not isinstance(value, int | float) or value < 0
            for value in values
        ):
            raise ValidationError({"weights": "各项分值应为不小于 0 的数字。"})
        if abs(sum(values) - 100) > 1e-9:
            raise ValidationError({"weights": f"各项分值之和应为 100（现为 {sum(values):g}）。"})
        if self.pass_mark is not None and self.pass_mark > 100:
            raise ValidationError({"pass_mark": "合格分数线不能超过 100。"})


class MonthlyReport(models.Model):
    """The monthly report of a region for the month before (Baotou: due by the 15th)."""

    class State(models.TextChoices):
        PREPARED = "prepared", "待审核"
        REVIEWED = "reviewed", "已审核"

    region = models.ForeignKey(
        "organization.Region",
        verbose_name="区划",
        on_delete=models.PROTECT,
        related_name="monthly_reports",
    )
    month = models.DateField("月份", help_text="该月的第一天")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PREPARED)
    due_date = models.DateField("报送期限")
    figures = models.JSONField("报表数据", default=dict)
    prepared_at = models.DateTimeField("生成时间", default=timezone.now)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="生成人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="空表示由后台任务生成。",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_note = models.CharField("审核意见", max_length=500, blank=True)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "月度报表"
        verbose_name_plural = "月度报表"
        ordering = ["-month", "region_id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "month"], name="supervision_one_report")
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.month:%Y-%m}"
