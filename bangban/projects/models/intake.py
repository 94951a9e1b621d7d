"""Intake (SPEC §2 steps 1–3): consultations (咨询), commissions (代办委托) with their
optimistic-lock `version`, the history of what happened to each (`CommissionTransition`) and
who was its agent when (`AgentAssignment`). The states and allowed moves are `lifecycle.py`'s.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from bangban.accounts.models import Role
from bangban.catalog.models import Stage
from bangban.common.fields import LimitedTextField
from bangban.projects import lifecycle
from bangban.rules import codes as validators
from bangban.rules import uploads

from .project import Project

#: A landline with its area code: 0477-8581234, 04778581234, 010-12345678-801.
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
#: A mobile (blanks or hyphens allowed, +86 too) or a landline inside free text.
PHONE_IN_TEXT_RE = re.compile(
    r"(?<!\d)(?:(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}|0\d{2,3}-?\d{7,8})(?!\d)"
)
#: What is not the name in 「联系人及电话」: labels, punctuation, masked numbers.
CONTACT_NOISE_RE = re.compile(
    r"联系人|联系电话|电话|手机号码|手机|姓名|[:：,，;；、/（）()]|[\d*＊+\-]{3,}"
)


class Consultation(models.Model):
    """咨询: a question by hotline, window, phone or online; counted even when nothing follows."""

    class Channel(models.TextChoices):
        HOTLINE_12345 = "hotline_12345", "12345热线"
        WINDOW = "window", "窗口"
        PHONE = "phone", "电话"
        ONLINE = "online", "网上"

    channel = models.CharField("咨询渠道", max_length=20, choices=Channel.choices)
    topic = models.CharField("咨询主题", max_length=100)
    question = LimitedTextField("咨询内容", max_length=2000)
    answer = LimitedTextField("答复内容", max_length=2000, blank=True)
    enterprise_name = models.CharField(
        "企业（个人）名称", max_length=100, blank=True, help_text="可以是尚未登记的企业。"
    )
    contact = models.CharField("联系人及电话", max_length=100, blank=True)
    region = models.ForeignKey(
        "organization.Region",
        verbose_name="所属区划",
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        on_delete=models.PROTECT,
        related_name="recorded_consultations",
    )
    recorded_at = models.DateTimeField("记录时间", default=timezone.now)
    converted_commission = models.ForeignKey(
        "Commission",
        verbose_name="转为代办委托",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultations",
    )

    class Meta:
        verbose_name = "咨询"
        verbose_name_plural = "咨询"
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.topic}"

    def clean_fields(self, exclude=None) -> None:
        self.topic = (self.topic or "").strip()
        self.question = (self.question or "").strip()
        super().clean_fields(exclude=exclude)

    def contact_parts(self) -> tuple[str, str]:
        """(name, phone) read from 「联系人及电话」 as people type it: 「王先生 139 0000 0000」,
        「联系人：李女士，电话 0477-8581234」. The phone is normalised (a mobile without +86 and
        blanks); a masked or missing number gives ""."""
        text = self.contact or ""
        phone = ""
        match = PHONE_IN_TEXT_RE.search(text)
        if match:
            phone = re.sub(r"[\s]", "", match.group(0))
            if not phone.startswith("0"):
                phone = validators.normalize_mobile(phone)
            text = f"{text[: match.start()]} {text[match.end() :]}"
        text = CONTACT_NOISE_RE.sub(" ", text)
        name = " ".join(text.split())[:40]
        return name, phone


def validate_signed_scan(upload) -> None:
    """A signed letter's scan: PDF, JPEG or PNG by content, at most 10 MB."""
    message = uploads.check_upload(upload)
    if message:
        raise ValidationError(message, code="invalid_upload")


def validate_contact_phone(value: str) -> None:
    """A contact's phone: a mainland mobile or a landline with its area code."""
    if value and not (
        validators.MOBILE_RE.match(validators.normalize_mobile(value)) or LANDLINE_RE.match(value)
    ):
        raise ValidationError(
            "联系电话应为 11 位手机号码或带区号的固定电话（例如 0477-8581234）。",
            code="invalid_phone",
        )


def signed_scan_path(instance: Commission, filename: str) -> str:
    """Where signed scans were stored in plain before they became attachments (kept for the
    migrations that name it; projects.0007 moved the files into the attachment service)."""
    return f"commissions/{instance.pk or 'new'}/{uploads.safe_filename(filename)}"


class Commission(models.Model):
    """代办委托: one project's request for 代办帮办, from application to archive."""

    State = models.TextChoices(
        "State", [(k.upper(), (k, v)) for k, v in lifecycle.STATE_LABELS.items()]
    )

    class Scope(models.TextChoices):
        FULL = "full", "全程代办"
        PARTIAL = "partial", "部分代办"

    class Channel(models.TextChoices):
        PORTAL = "portal", "企业网上申请"
        WINDOW = "window", "窗口受理"
        CONSULTATION = "consultation", "咨询转办"
        SPONSOR = "sponsor", "招引单位推送"

    class TerminationReason(models.TextChoices):
        LAW_OR_POLICY = "law_or_policy", "与法律政策冲突"
        CONDITIONS_LOST = "conditions_lost", "不再具备条件"
        INVESTOR_REQUEST = "investor_request", "投资者要求"

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.PROTECT, related_name="commissions"
    )
    state = models.CharField(
        "状态", max_length=20, choices=State.choices, default=lifecycle.APPLIED
    )
    scope = models.CharField("委托范围", max_length=10, choices=Scope.choices, default=Scope.FULL)
    scope_stages = models.JSONField("委托阶段", default=list, blank=True)
    scope_items = models.JSONField("委托事项（编码）", default=list, blank=True)
    channel = models.CharField("申请渠道", max_length=20, choices=Channel.choices)
    lead_department = models.ForeignKey(
        "organization.Department",
        verbose_name="牵头部门",
        on_delete=models.PROTECT,
        related_name="led_commissions",
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="代办帮办员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agent_commissions",
    )
    is_priority = models.BooleanField("优先办理（鼓励类）", default=False)
    awaiting_decision = models.BooleanField("待发展改革部门决定", default=False)
    eligibility_check = models.ForeignKey(
        "eligibility.EligibilityCheck",
        verbose_name="产业政策核实",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commissions",
    )
    applied_at = models.DateTimeField("申请时间", default=timezone.now)
    verified_at = models.DateTimeField("核实时间", null=True, blank=True)
    agreed_at = models.DateTimeField("签约时间", null=True, blank=True)
    terminated_at = models.DateTimeField("终止时间", null=True, blank=True)
    termination_reason = models.CharField(
        "终止原因", max_length=20, choices=TerminationReason.choices, blank=True
    )
    termination_note = LimitedTextField("终止说明", max_length=1000, blank=True)
    refusal_explanation = LimitedTextField("不予办理说明", max_length=2000, blank=True)
    completed_at = models.DateTimeField("办结时间", null=True, blank=True)
    completion_confirmed_at = models.DateTimeField("企业确认办结时间", null=True, blank=True)
    completion_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="企业确认办结人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    completion_comment = LimitedTextField("企业确认意见", max_length=500, blank=True)
    # the confirmation signed on the paper slip (recorded by staff: completion_confirmed_by is
    # then who recorded it, completion_confirmed_at when)
    completion_signed_by = models.CharField(
        "纸质确认签字人", max_length=40, blank=True, help_text="在纸质服务办结单上签字的企业人员"
    )
    completion_signed_on = models.DateField("纸质确认签字日期", null=True, blank=True)
    completion_scan = models.ForeignKey(
        "documents.Attachment",
        verbose_name="服务办结单签字扫描件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    archived_at = models.DateTimeField("归档时间", null=True, blank=True)
    authorization_confirmed_at = models.DateTimeField("授权委托书确认时间", null=True, blank=True)
    authorization_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="授权委托书确认人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    commitment_confirmed_at = models.DateTimeField("承诺书确认时间", null=True, blank=True)
    commitment_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承诺书确认人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_scan = models.ForeignKey(
        "documents.Attachment",
        verbose_name="签字盖章扫描件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="授权委托书和承诺书的纸质签字盖章件（PDF、JPEG 或 PNG，不超过 10 MB），加密存储。",
    )
    other_needs = LimitedTextField("其他服务需求", max_length=1000, blank=True)
    contact_name = models.CharField(
        "申请联系人",
        max_length=40,
        blank=True,
        help_text="本次申请的联系人（咨询转办时沿用咨询的）",
    )
    contact_phone = models.CharField(
        "联系电话",
        max_length=20,
        blank=True,
        validators=[validate_contact_phone],
        help_text="手机号码或固定电话（区号-号码）",
    )
    version = models.PositiveIntegerField("版本", default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.PROTECT,
        related_name="created_commissions",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "代办委托"
        verbose_name_plural = "代办委托"
        ordering = ["-applied_at", "-id"]
        indexes = [models.Index(fields=["state", "lead_department"])]

    def __str__(self) -> str:
        return f"{self.number} {self.project.name}" if self.project_id else self.number

    @property
    def number(self) -> str:
        """The application number shown on pages and forms: DB + year + id."""
        year = (self.applied_at or timezone.now()).year
        return f"DB{year}{self.pk or 0:05d}"

    @property
    def state_label(self) -> str:
        return lifecycle.STATE_LABELS.get(self.state, self.state)

    @property
    def scope_stage_labels(self) -> list[str]:
        labels = dict(Stage.choices)
        return [labels.get(stage, stage) for stage in self.scope_stages or []]

    @property
    def completion_on_paper(self) -> bool:
        """The enterprise confirmed completion by signing the paper slip (staff recorded it)."""
        return self.completion_confirmed_at is not None and self.completion_signed_on is not None

    @property
    def both_letters_confirmed(self) -> bool:
        return bool(self.authorization_confirmed_at and self.commitment_confirmed_at)

    def clean_fields(self, exclude=None) -> None:
        self.contact_name = (self.contact_name or "").strip()
        phone = re.sub(r"\s", "", self.contact_phone or "")
        if phone and not phone.startswith("0"):
            phone = validators.normalize_mobile(phone)
        self.contact_phone = phone
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.scope == self.Scope.PARTIAL and not (self.scope_stages or self.scope_items):
            errors["scope"] = "部分代办须至少选择一个阶段或一个事项。"
        if self.scope == self.Scope.FULL and (self.scope_stages or self.scope_items):
            errors["scope_stages"] = "全程代办不需要选择阶段或事项。"
        stages = set(Stage.values)
        unknown = [s for s in (self.scope_stages or []) if s not in stages]
        if unknown:
            errors["scope_stages"] = f"未知的阶段：{'、'.join(map(str, unknown))}。"
        if self.agent_id is not None and self.agent.role != Role.AGENT:
            errors["agent"] = "代办帮办员须为“代办帮办员”角色的用户。"
        if self.state == lifecycle.TERMINATED and not self.termination_reason:
            errors["termination_reason"] = "请选择终止原因。"
        if errors:
            raise ValidationError(errors)


class CommissionTransition(models.Model):
    """One row per thing that happened to a commission: who, when (recorded and said), why."""

    commission = models.ForeignKey(
        Commission, verbose_name="代办委托", on_delete=models.PROTECT, related_name="transitions"
    )
    from_state = models.CharField("原状态", max_length=20, blank=True)
    to_state = models.CharField("新状态", max_length=20)
    action = models.CharField("操作", max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    reason = LimitedTextField("原因/说明", max_length=20000, blank=True)
    at = models.DateTimeField("记录时间", default=timezone.now, editable=False)
    occurred_at = models.DateTimeField("发生时间", default=timezone.now)
    backfilled = models.BooleanField("补录", default=False)

    class Meta:
        verbose_name = "委托办理记录"
        verbose_name_plural = "委托办理记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.commission_id} {self.action} {self.from_state}→{self.to_state}"

    @property
    def action_label(self) -> str:
        return lifecycle.ACTION_LABELS.get(self.action, self.action)

    @property
    def to_state_label(self) -> str:
        return lifecycle.STATE_LABELS.get(self.to_state, self.to_state)

    @property
    def from_state_label(self) -> str:
        return lifecycle.STATE_LABELS.get(self.from_state, self.from_state)


class AgentAssignment(models.Model):
    """Who was the commission's agent, from when to when (reassignment keeps the history)."""

    commission = models.ForeignKey(
        Commission, verbose_name="代办委托", on_delete=models.PROTECT, related_name="assignments"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="代办帮办员",
        on_delete=models.PROTECT,
        related_name="agent_assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="指派人", on_delete=models.PROTECT, related_name="+"
    )
    is_override = models.BooleanField("管理员指定（非推荐人选）", default=False)
    reason = LimitedTextField("说明", max_length=500, blank=True)
    at = models.DateTimeField("指派时间", default=timezone.now)
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "代办员指派记录"
        verbose_name_plural = "代办员指派记录"
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["commission"],
                condition=models.Q(ended_at__isnull=True),
                name="one_current_assignment_per_commission",
            )
        ]

    def __str__(self) -> str:
        return f"{self.commission_id} → {self.agent}"
