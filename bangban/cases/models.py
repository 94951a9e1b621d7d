"""The ledger's case (办件): one catalog item of one commission's plan.

This is the minimal case the planner fixes (one row per planned item, with its planned and
actual dates); the ledger issue grows it into the full state machine of SPEC §6.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Case(models.Model):
    class State(models.TextChoices):
        PLANNED = "planned", "未启动"
        IN_PROGRESS = "in_progress", "办理中"
        COMPLETED = "completed", "办结"

    commission = models.ForeignKey(
        "projects.Commission", on_delete=models.CASCADE, related_name="cases", verbose_name="委托"
    )
    item = models.ForeignKey(
        "catalog.Item", on_delete=models.PROTECT, related_name="cases", verbose_name="事项"
    )
    code = models.CharField("事项编码", max_length=20)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.PLANNED)
    in_scope = models.BooleanField("代办", default=True)
    critical = models.BooleanField("关键路径", default=False)
    slack = models.PositiveIntegerField("机动时间（工作日）", default=0)
    working_days = models.PositiveIntegerField("计划工作日", default=0)
    provisional = models.BooleanField("含暂定日期", default=False)
    # The baseline: the dates when the plan was fixed (never changed afterwards).
    baseline_start = models.DateField("原计划开始")
    baseline_due = models.DateField("原计划办结")
    # The current plan: recomputed from the actual dates whenever the plan is re-planned.
    planned_start = models.DateField("计划开始")
    planned_acceptance = models.DateField("计划受理")
    planned_due = models.DateField("计划办结")
    actual_start = models.DateField("实际开始", null=True, blank=True)
    actual_finish = models.DateField("实际办结", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1, editable=False)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "办件"
        verbose_name_plural = "办件"
        ordering = ["baseline_start", "code"]
        constraints = [
            models.UniqueConstraint(fields=["commission", "code"], name="cases_one_case_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.item.name}" if self.item_id else self.code
