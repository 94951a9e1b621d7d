"""Coordination (SPEC §7): joint meetings with their problems and decisions (议定事项), and the
errand task orders (专业跑腿任务单) the investment-promotion bureau issues to the errand company.

The states and who may move them are in :mod:`bangban.coordination.lifecycle`; every move is
an event row (who, when, what, why). Meetings, decisions and task orders carry a ``version``
(optimistic lock: a stale edit is refused with 409).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from bangban.common.fields import LimitedTextField

from . import lifecycle, recurrence

_MEETING_STATES = lifecycle.MEETING.states
_ITEM_STATES = lifecycle.ACTION_ITEM.states
_ORDER_STATES = lifecycle.TASK_ORDER.states


class Meeting(models.Model):
    class Kind(models.TextChoices):
        BRIEFING = "briefing", "项目碰头会"
        JOINT_REVIEW = "joint_review", "会商联审会"
        ON_SITE = "on_site", "现场办公会"
        JOINT_CONFERENCE = "joint_conference", "联席会议"

    class State(models.TextChoices):
        PROPOSED = lifecycle.PROPOSED, _MEETING_STATES[lifecycle.PROPOSED]
        SCHEDULED = lifecycle.SCHEDULED, _MEETING_STATES[lifecycle.SCHEDULED]
        HELD = lifecycle.HELD, _MEETING_STATES[lifecycle.HELD]
        CANCELLED = lifecycle.CANCELLED, _MEETING_STATES[lifecycle.CANCELLED]

    class Recurrence(models.TextChoices):
        WEEKLY = recurrence.WEEKLY, recurrence.LABELS[recurrence.WEEKLY]
        MONTHLY = recurrence.MONTHLY, recurrence.LABELS[recurrence.MONTHLY]
        QUARTERLY = recurrence.QUARTERLY, recurrence.LABELS[recurrence.QUARTERLY]

    kind = models.CharField("会议类型", max_length=20, choices=Kind.choices)
    title = models.CharField("会议主题", max_length=120)
    state = models.CharField("状态", max_length=12, choices=State.choices)
    region = models.ForeignKey(
        "organization.Region",
        verbose_name="所属区划",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="主办部门所在区划；督查人员和领导按区划查看。",
    )
    host_department = models.ForeignKey(
        "organization.Department",
        verbose_name="主办部门",
        on_delete=models.PROTECT,
        related_name="hosted_meetings",
    )
    starts_at = models.DateTimeField("会议时间", null=True, blank=True)
    place = models.CharField("会议地点", max_length=120, blank=True)
    participants = models.ManyToManyField(
        "organization.Department",
        verbose_name="参会部门",
        related_name="meetings",
        blank=True,
    )
    commissions = models.ManyToManyField(
        "projects.Commission", verbose_name="研究的项目", related_name="meetings", blank=True
    )
    cases = models.ManyToManyField(
        "cases.Case", verbose_name="研究的办件", related_name="meetings", blank=True
    )
    agenda = LimitedTextField("会议议题", max_length=10000, blank=True)
    minutes = LimitedTextField("会议纪要", max_length=10000, blank=True)
    minutes_recorded_at = models.DateTimeField("纪要记录时间", null=True, blank=True)
    recurrence = models.CharField("召开周期", max_length=12, choices=Recurrence.choices, blank=True)
    series_start = models.DateField("周期首次会议日期", null=True, blank=True, editable=False)
    series_index = models.PositiveIntegerField("周期内序号", default=0, editable=False)
    previous = models.OneToOneField(
        "self",
        verbose_name="上一次会议",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_meeting",
    )
    cancel_reason = models.CharField("取消原因", max_length=300, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提议人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", default=timezone.now)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "联席会议"
        verbose_name_plural = "联席会议"
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["state", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_periodic(self) -> bool:
        return bool(self.recurrence)


class MeetingProblem(models.Model):
    """A 堵点卡点 raised at (or before) the meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="problems")
    text = models.CharField("堵点卡点", max_length=500)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "堵点卡点"
        verbose_name_plural = "堵点卡点"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class ActionItem(models.Model):
    """议定事项: a decision of a meeting, owned by one department, due on a date; overdue
    when the date has passed and it is still open (``selectors.overdue_annotation``)."""

    class Status(models.TextChoices):
        OPEN = lifecycle.OPEN, _ITEM_STATES[lifecycle.OPEN]
        DONE = lifecycle.DONE, _ITEM_STATES[lifecycle.DONE]

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    text = models.CharField("议定事项", max_length=500)
    owner_department = models.ForeignKey(
        "organization.Department",
        verbose_name="责任部门",
        on_delete=models.PROTECT,
        related_name="meeting_action_items",
    )
    due_date = models.DateField("完成时限")
    due_provisional = models.BooleanField(
        "时限为暂定", default=False, help_text="按未发布节假日安排的年份推算。"
    )
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.OPEN)
    done_note = models.CharField("完成情况", max_length=500, blank=True)
    done_at = models.DateTimeField("完成时间", null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="完成登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sort_order = models.PositiveIntegerField("排序", default=0)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "议定事项"
        verbose_name_plural = "议定事项"
        ordering = ["sort_order", "id"]
        indexes = [models.Index(fields=["owner_department", "status", "due_date"])]

    def __str__(self) -> str:
        return self.text[:40]


class MeetingEvent(models.Model):
    """One line of a meeting's history (its decisions' steps included)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="events")
    action_item = models.ForeignKey(
        ActionItem, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(
        "操作", max_length=20, choices=list(lifecycle.MEETING_EVENT_LABELS.items())
    )
    from_state = models.CharField("原状态", max_length=12, blank=True)
    to_state = models.CharField("新状态", max_length=12, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    note = LimitedTextField("说明", max_length=20000, blank=True)
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "会议记录"
        verbose_name_plural = "会议记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.get_action_display()}"


class TaskOrder(models.Model):
    """专业跑腿任务单: named cases of one commission, run by the errand company's staff once
    they accept it (their cases' ``errand_company`` is set then)."""

    class State(models.TextChoices):
        ISSUED = lifecycle.ISSUED, _ORDER_STATES[lifecycle.ISSUED]
        ACCEPTED = lifecycle.ACCEPTED, _ORDER_STATES[lifecycle.ACCEPTED]
        DECLINED = lifecycle.DECLINED, _ORDER_STATES[lifecycle.DECLINED]
        COMPLETED = lifecycle.COMPLETED, _ORDER_STATES[lifecycle.COMPLETED]
        CANCELLED = lifecycle.REVOKED, _ORDER_STATES[lifecycle.REVOKED]

    commission = models.ForeignKey(
        "projects.Commission",
        verbose_name="代办委托",
        on_delete=models.PROTECT,
        related_name="task_orders",
    )
    cases = models.ManyToManyField(
        "cases.Case", verbose_name="任务事项", related_name="task_orders"
    )
    company = models.ForeignKey(
        "organization.Department",
        verbose_name="跑腿服务公司",
        on_delete=models.PROTECT,
        related_name="received_task_orders",
    )
    issuer_department = models.ForeignKey(
        "organization.Department",
        verbose_name="派单单位",
        on_delete=models.PROTECT,
        related_name="issued_task_orders",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="派单人", on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField("派单时间", default=timezone.now)
    requirements = LimitedTextField("办理要求", max_length=10000, blank=True)
    due_date = models.DateField("完成时限")
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.ISSUED)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接单人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    accepted_at = models.DateTimeField("接单时间", null=True, blank=True)
    decline_reason = models.CharField("退回原因", max_length=500, blank=True)
    completed_at = models.DateTimeField("办结时间", null=True, blank=True)
    completion_note = LimitedTextField("办理结果", max_length=10000, blank=True)
    cancel_reason = models.CharField("撤销原因", max_length=500, blank=True)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "专业跑腿任务单"
        verbose_name_plural = "专业跑腿任务单"
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["company", "state"])]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        """The order's number on pages and on the Word form: PT + year + id."""
        year = timezone.localtime(self.issued_at or timezone.now()).year
        return f"PT{year}{self.pk or 0:05d}"


class TaskOrderEvent(models.Model):
    order = models.ForeignKey(TaskOrder, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(
        "操作", max_length=12, choices=list(lifecycle.TASK_ORDER_EVENT_LABELS.items())
    )
    from_state = models.CharField("原状态", max_length=12, blank=True)
    to_state = models.CharField("新状态", max_length=12, choices=TaskOrder.State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    note = LimitedTextField("说明", max_length=20000, blank=True)
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "任务单记录"
        verbose_name_plural = "任务单记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id} {self.get_action_display()}"
