"""The ledger (台账, SPEC §6): one case (办件) per catalog item of a commission's plan.

A case moves through the states of :mod:`bangban.cases.lifecycle`; every move is a
:class:`CaseEvent` with the time it was recorded and the time it is said to have happened.
Its clock (acceptance, promised limit, suspensions) is kept in columns so lists can filter
and sort by due date and warning colour in the database; :mod:`bangban.cases.deadlines`
recomputes them from the working-day calendar whenever the clock changes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from bangban.catalog.models import ServiceMode
from bangban.common.fields import LimitedTextField

from . import lifecycle


class Case(models.Model):
    class State(models.TextChoices):
        PLANNED = lifecycle.PLANNED, lifecycle.STATE_LABELS[lifecycle.PLANNED]
        PREPARING = lifecycle.PREPARING, lifecycle.STATE_LABELS[lifecycle.PREPARING]
        SUBMITTED = lifecycle.SUBMITTED, lifecycle.STATE_LABELS[lifecycle.SUBMITTED]
        ACCEPTED = lifecycle.ACCEPTED, lifecycle.STATE_LABELS[lifecycle.ACCEPTED]
        ACCEPTED_GAPS = lifecycle.ACCEPTED_GAPS, lifecycle.STATE_LABELS[lifecycle.ACCEPTED_GAPS]
        SUSPENDED = lifecycle.SUSPENDED, lifecycle.STATE_LABELS[lifecycle.SUSPENDED]
        COMPLETED = lifecycle.COMPLETED, lifecycle.STATE_LABELS[lifecycle.COMPLETED]
        NOT_NEEDED = lifecycle.NOT_NEEDED, lifecycle.STATE_LABELS[lifecycle.NOT_NEEDED]
        WITHDRAWN = lifecycle.WITHDRAWN, lifecycle.STATE_LABELS[lifecycle.WITHDRAWN]

    class Outcome(models.TextChoices):
        APPROVED = "approved", "准予"
        REFUSED = "refused", "不予"

    commission = models.ForeignKey(
        "projects.Commission", on_delete=models.CASCADE, related_name="cases", verbose_name="委托"
    )
    item = models.ForeignKey(
        "catalog.Item", on_delete=models.PROTECT, related_name="cases", verbose_name="事项"
    )
    department = models.ForeignKey(
        "organization.Department",
        verbose_name="办理部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    errand_company = models.ForeignKey(
        "organization.Department",
        verbose_name="跑腿服务公司",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="errand_cases",
        help_text="任务单已接受时，由该公司人员办理。",
    )
    code = models.CharField("事项编码", max_length=20)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.PLANNED)
    in_scope = models.BooleanField("代办", default=True)
    added_reason = models.CharField("方案确定后增加的原因", max_length=200, blank=True)
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
    submitted_on = models.DateField("申报日期", null=True, blank=True)
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    actual_finish = models.DateField("实际办结", null=True, blank=True)
    # The limits of the item's tier for this project (issue 11: 水土保持方案报告表 is 即办,
    # 报告书 10 WD), taken from the plan when the case is created; a case older than these
    # columns (unit "") reads its item's.
    promised_limit = models.PositiveSmallIntegerField(
        "承诺时限（工作日，按分级情形）", null=True, blank=True
    )
    legal_limit = models.PositiveSmallIntegerField(
        "法定时限（按分级情形）", null=True, blank=True, help_text="空表示法律未设定时限"
    )
    legal_limit_unit = models.CharField(
        "法定时限单位",
        max_length=10,
        blank=True,
        help_text="working 工作日 / calendar 自然日；空：按事项（方案确定前建的办件）",
    )
    # How the item is served for this project (帮办代办 / 联审联批 / 专业跑腿): the mode the plan
    # showed, which follows from where the region's department sits (planning.compute.
    # entry_in_region); cases older than this column carry their item's catalog mode.
    # Coordination's errand task orders name the cases whose mode is 专业跑腿.
    service_mode = models.CharField("服务方式", max_length=10, choices=ServiceMode.choices)
    # The clock (SPEC §6), set at acceptance and recomputed on suspension and resumption.
    limit_days = models.PositiveSmallIntegerField("承诺时限（工作日）", null=True, blank=True)
    due_date = models.DateField("承诺办结期限", null=True, blank=True)
    warn_from = models.DateField("黄色预警起始日", null=True, blank=True)
    legal_due = models.DateField("法定办结期限", null=True, blank=True)
    clock_provisional = models.BooleanField("期限为暂定", default=False)
    days_suspended = models.PositiveIntegerField("已中止工作日", default=0)
    suspended_since = models.DateField("中止起始日", null=True, blank=True)
    resume_state = models.CharField("恢复后状态", max_length=20, blank=True)
    supplement_due = models.DateField("容缺补正期限", null=True, blank=True)
    # Set when the case completes (deadlines.store_duration), so the metrics (average working
    # days used, speed-up: docs/supervision.md) are database aggregates.
    days_used = models.PositiveIntegerField(
        "实际用时（工作日）",
        null=True,
        blank=True,
        help_text="受理至办结的工作日数，不含中止计时的工作日；受理当日办结为 0",
    )
    legal_days = models.PositiveIntegerField(
        "法定时限折合工作日",
        null=True,
        blank=True,
        help_text="受理至法定办结期限的工作日数，不含中止计时的工作日；空表示法律未设定时限",
    )
    outcome = models.CharField("办理结果", max_length=10, choices=Outcome.choices, blank=True)
    result_number = models.CharField("批文/证照文号", max_length=100, blank=True)
    result_document = models.ForeignKey(
        "documents.Attachment",
        verbose_name="结果文书",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handed_over_at = models.DateTimeField("结果移交时间", null=True, blank=True)
    handed_over_to = models.CharField("结果签收人", max_length=40, blank=True)
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
        indexes = [
            models.Index(fields=["department", "state"]),
            models.Index(fields=["state", "due_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.item.name}" if self.item_id else self.code

    @property
    def is_open(self) -> bool:
        return self.state in lifecycle.OPEN_STATES

    @property
    def is_closed(self) -> bool:
        return self.state in lifecycle.CLOSED_STATES


class CaseEvent(models.Model):
    """One line of a case's history: who did what, when it was recorded and when it happened."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=20, choices=list(lifecycle.ACTION_LABELS.items()))
    from_state = models.CharField("原状态", max_length=20, choices=Case.State.choices, blank=True)
    to_state = models.CharField("新状态", max_length=20, choices=Case.State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = LimitedTextField("说明", max_length=20000, blank=True)
    details = models.JSONField("详情", default=dict, blank=True)
    occurred_at = models.DateTimeField("发生时间")
    recorded_at = models.DateTimeField("记录时间", default=timezone.now)
    backfilled = models.BooleanField("补录", default=False)

    class Meta:
        verbose_name = "办件记录"
        verbose_name_plural = "办件记录"
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.case.code} {self.get_action_display()}"


class Suspension(models.Model):
    """A period the case's clock stood still (中止计时)."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "补正材料"
        EXPERT = "expert", "专家评审"
        HEARING = "hearing", "听证"
        PUBLIC_NOTICE = "public_notice", "公示"
        OTHER = "other", "其他"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="suspensions")
    kind = models.CharField("中止原因类别", max_length=20, choices=Kind.choices)
    reason = models.CharField("中止说明", max_length=300)
    start = models.DateField("中止日期")
    end = models.DateField("恢复日期", null=True, blank=True)

    class Meta:
        verbose_name = "中止计时"
        verbose_name_plural = "中止计时"
        ordering = ["start", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start}"


class CaseMaterial(models.Model):
    """One material of one case (from the catalog's list): received, missing or supplemented."""

    class Status(models.TextChoices):
        PENDING = "pending", "未提交"
        RECEIVED = "received", "已收取"
        MISSING = "missing", "容缺待补"
        SUPPLEMENTED = "supplemented", "已补齐"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="materials")
    material = models.ForeignKey(
        "catalog.Material",
        verbose_name="清单材料",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField("材料名称", max_length=200)
    is_core = models.BooleanField("核心材料", default=False)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PENDING)
    supplement_due = models.DateField("补正期限", null=True, blank=True)
    supplemented_on = models.DateField("补齐日期", null=True, blank=True)
    attachment = models.ForeignKey(
        "documents.Attachment",
        verbose_name="附件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField("预审意见", max_length=300, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "办件材料"
        verbose_name_plural = "办件材料"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class Escalation(models.Model):
    """上报: a problem an agent cannot solve (or a case the scan found overdue) put to a
    leader, who answers with an instruction and a deadline; closed with a result."""

    class Kind(models.TextChoices):
        MANUAL = "manual", "代办员上报"
        OVERDUE = "overdue", "超期自动上报"
        SUPPLEMENT = "supplement", "容缺补正逾期"

    class State(models.TextChoices):
        OPEN = "open", "待批示"
        ANSWERED = "answered", "已批示"
        CLOSED = "closed", "已办结"

    commission = models.ForeignKey(
        "projects.Commission",
        on_delete=models.CASCADE,
        related_name="escalations",
        verbose_name="委托",
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="escalations",
        verbose_name="办件",
    )
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.OPEN)
    problem = LimitedTextField("问题", max_length=4000)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上报人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="空表示系统扫描自动上报。",
    )
    raised_at = models.DateTimeField("上报时间", default=timezone.now)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="批示领导",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escalations_to_answer",
    )
    instruction = LimitedTextField("批示意见", max_length=4000, blank=True)
    instruction_due = models.DateField("办理期限", null=True, blank=True)
    answered_at = models.DateTimeField("批示时间", null=True, blank=True)
    result = LimitedTextField("办理结果", max_length=4000, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办结人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    scan_key = models.CharField(
        "扫描键", max_length=120, null=True, blank=True, unique=True, editable=False
    )
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "上报事项"
        verbose_name_plural = "上报事项"
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["state", "instruction_due"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.problem[:20]}"
