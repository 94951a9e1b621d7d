"""The plan of a commission (代办帮办方案) and the agent's adjustments to it.

A plan is *derived*: its items and dates always come from ``plan_compute`` over the project's
attributes, the catalog version the plan was made with, the commission's scope, the agent's
adjustments and (once fixed) the actual dates of its cases. What is stored here is what is
not derivable: which version and start date, who fixed it and when, the adjustments with
their reasons, and the totals at the last (re)computation for lists and metrics.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from bangban.common.fields import LimitedTextField
from bangban.rules.conditions import ConditionError, compile_condition


class Plan(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "草案（可调整）"
        FIXED = "fixed", "已确定"

    commission = models.OneToOneField(
        "projects.Commission", on_delete=models.CASCADE, related_name="plan", verbose_name="委托"
    )
    catalog_version = models.ForeignKey(
        "catalog.CatalogVersion",
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name="事项清单版本",
    )
    start_date = models.DateField("方案开始日期")
    # The project's attributes the plan was computed from (SPEC §4 names); a draft follows
    # the project, a fixed plan keeps them so its items and explanations never drift.
    attributes = models.JSONField("项目属性（制定方案时）", default=dict, blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.DRAFT)
    total_working_days = models.PositiveIntegerField("计划总工作日", default=0)
    serial_working_days = models.PositiveIntegerField("串联合计工作日", default=0)
    compression = models.FloatField("压缩率", default=0.0)
    end_date = models.DateField("计划完成日期", null=True, blank=True)
    critical_path = models.JSONField("关键路径（事项编码）", default=list, blank=True)
    provisional = models.BooleanField("含暂定日期", default=False)
    item_count = models.PositiveIntegerField("事项数", default=0)
    created_at = models.DateTimeField("生成时间", default=timezone.now)
    fixed_at = models.DateTimeField("确定时间", null=True, blank=True)
    fixed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="确定人",
    )
    replanned_at = models.DateTimeField("最近重排时间", null=True, blank=True)
    replan_count = models.PositiveIntegerField("重排次数", default=0)

    class Meta:
        verbose_name = "代办帮办方案"
        verbose_name_plural = "代办帮办方案"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.commission}的方案"

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT

    @property
    def compression_percent(self) -> float:
        if not self.serial_working_days:
            return 0.0
        return round(100 * (1 - self.total_working_days / self.serial_working_days), 1)


class PlanAdjustment(models.Model):
    """The agent adds an item the conditions did not select, or removes one they did."""

    class Kind(models.TextChoices):
        ADD = "add", "添加事项"
        REMOVE = "remove", "移除事项"

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="adjustments", verbose_name="方案"
    )
    kind = models.CharField("调整", max_length=10, choices=Kind.choices)
    code = models.CharField("事项编码", max_length=20)
    item_name = models.CharField("事项名称", max_length=200)
    reason = LimitedTextField("理由", max_length=1000)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="操作人"
    )
    at = models.DateTimeField("时间", default=timezone.now)
    active = models.BooleanField("有效", default=True)
    withdrawn_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        verbose_name = "方案调整"
        verbose_name_plural = "方案调整"
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"],
                condition=models.Q(active=True),
                name="planning_one_active_adjustment_per_item",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.code}"


class TimePromise(models.Model):
    """A region's published promise of government handling time (SPEC §5, reform targets):
    "工程建设项目审批全流程 ≤ N 个工作日" for a kind of project, up to a milestone. Data
    (``data/planning/time_promises.yaml``), editable in the admin; a plan is held against the
    promise of its region or the nearest region above it."""

    class ProjectType(models.TextChoices):
        ANY = "any", "全部项目"
        SOCIAL = "social", "社会投资项目"
        GOVERNMENT = "government", "政府投资项目"
        SIMPLE_LOW_RISK = "simple_low_risk", "社会投资简易低风险项目"

    class Milestone(models.TextChoices):
        CONSTRUCTION_PERMIT = "construction_permit", "至施工许可"
        COMPLETION = "completion", "至竣工验收"

    region = models.ForeignKey(
        "organization.Region",
        on_delete=models.CASCADE,
        related_name="time_promises",
        verbose_name="区划",
    )
    project_type = models.CharField(
        "项目类型", max_length=20, choices=ProjectType.choices, default=ProjectType.ANY
    )
    milestone = models.CharField(
        "计至", max_length=20, choices=Milestone.choices, default=Milestone.COMPLETION
    )
    working_days = models.PositiveSmallIntegerField("承诺审批时间（工作日）")
    condition = LimitedTextField(
        "适用条件",
        max_length=500,
        blank=True,
        help_text="项目属性条件（与事项清单的适用条件写法相同），例如简易低风险项目的面积上限"
        "「building_area_m2 <= 2000 and not special_construction」；空表示该类型的项目都适用",
    )
    source = models.CharField("出处", max_length=300)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "审批时间承诺"
        verbose_name_plural = "审批时间承诺"
        ordering = ["region__path", "project_type", "milestone"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "project_type", "milestone"], name="time_promise_unique"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.region} · {self.get_project_type_display()} · "
            f"{self.get_milestone_display()} ≤ {self.working_days} 个工作日"
        )

    def clean(self) -> None:
        if self.condition.strip():
            try:
                compile_condition(self.condition)
            except ConditionError as exc:
                raise ValidationError({"condition": f"适用条件{exc}"}) from None
