"""The outbox (SPEC §6 "Feedback and notifications"): one row per message and channel.

A row is queued once: its `dedupe_key` is unique, so the same event never reaches the same
recipient twice on the same channel, however often the event is replayed. In-app messages
are delivered by being stored (written already sent); e-mail and SMS rows wait in state
`queued` until a worker claims them (`claim_token`, `claimed_until`), sends them through the
channel's sender (`senders.py`) and records the outcome: sent, retried later
(`next_attempt_at`, with backoff), skipped (no address: not retried) or failed (given up).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from bangban.common.fields import LimitedTextField


class Channel(models.TextChoices):
    IN_APP = "in_app", "站内消息"
    SMS = "sms", "短信"
    EMAIL = "email", "电子邮件"


class State(models.TextChoices):
    QUEUED = "queued", "待发送"
    SENT = "sent", "已发送"
    SKIPPED = "skipped", "不发送"
    FAILED = "failed", "发送失败"


class Notification(models.Model):
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    recipient_department = models.ForeignKey(
        "organization.Department",
        verbose_name="接收部门",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    channel = models.CharField(
        "渠道", max_length=10, choices=Channel.choices, default=Channel.IN_APP
    )
    subject = models.CharField("标题", max_length=200)
    body = LimitedTextField("内容", max_length=20000, blank=True)
    commission = models.ForeignKey(
        "projects.Commission",
        verbose_name="相关委托",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    is_copy = models.BooleanField("抄送", default=False)
    dedupe_key = models.CharField("去重键", max_length=200, unique=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("发送次数", default=0)
    last_error = models.CharField("最近错误", max_length=300, blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.QUEUED)
    next_attempt_at = models.DateTimeField(
        "下次尝试", null=True, blank=True, default=timezone.now, help_text="待发送的消息何时再试。"
    )
    claimed_until = models.DateTimeField(
        "占用至", null=True, blank=True, help_text="某个发送进程正在发送本条消息，占用到此时刻。"
    )
    claim_token = models.CharField("占用标记", max_length=32, blank=True)

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = "消息"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient_user__isnull=False, recipient_department__isnull=True)
                | Q(recipient_user__isnull=True, recipient_department__isnull=False),
                name="notification_one_recipient",
            )
        ]
        indexes = [
            models.Index(fields=["channel", "sent_at"]),
            models.Index(fields=["state", "next_attempt_at"], name="notification_due"),
        ]

    def __str__(self) -> str:
        return self.subject

    def clean(self) -> None:
        if (self.recipient_user_id is None) == (self.recipient_department_id is None):
            raise ValidationError("消息须有且只有一个接收人或接收部门。")

    @property
    def recipient_label(self) -> str:
        return str(self.recipient_user or self.recipient_department)
