"""Enterprises (项目单位) and their investment projects (SPEC §4).

A project carries one model field per attribute of `attributes.ATTRIBUTES`, with the same
name, label, neutral default and (for enumerations) choices; `Project.attributes()` hands
them to the planner and the condition language as plain data.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone

from bangban.accounts.models import Role
from bangban.catalog.models import Stage
from bangban.eligibility.industry import load_industry_codes
from bangban.projects import lifecycle, uploads
from bangban.rules import codes as validators
from bangban.rules.attributes import ATTRIBUTES

# --- field validators (wrap the pure checks of validators.py) -------------------------------


def validate_credit_code_field(value: str) -> None:
    message = validators.validate_uscc(value)
    if message:
        raise ValidationError(message, code="invalid_credit_code")


def validate_mobile_field(value: str) -> None:
    message = validators.validate_mobile(value)
    if message:
        raise ValidationError(message, code="invalid_mobile")


def validate_industry_code_field(value: str) -> None:
    if not value:
        return
    message = validators.validate_industry_code(value, load_industry_codes())
    if message:
        raise ValidationError(message, code="invalid_industry_code")


def known_region_segments() -> set[str]:
    """The six-digit region codes a project code's segment 2 may hold.

    GB/T 2260 codes as they are; a 9- or 12-digit statistical code counts by its first six
    digits when the rest is zeros (``150271000000`` -> ``150271``). Custom nodes have no code.
    """
    from bangban.organization.models import Region

    segments = set()
    for code in Region.objects.exclude(code="").values_list("code", flat=True):
        head, tail = code[:6], code[6:]
        if len(head) == 6 and head.isdigit() and not tail.strip("0"):
            segments.add(head)
    return segments


# --- attribute fields ------------------------------------------------------------------------


def _bool_field(name: str) -> models.BooleanField:
    spec = ATTRIBUTES[name]
    assert spec.type == "bool", name
    return models.BooleanField(spec.label, default=spec.neutral)


def _number_field(name: str) -> models.DecimalField:
    spec = ATTRIBUTES[name]
    assert spec.type == "number", name
    return models.DecimalField(
        spec.label,
        max_digits=14,
        decimal_places=2,
        default=Decimal(spec.neutral),
        validators=[
            MinValueValidator(Decimal(spec.minimum or 0), message=f"{spec.label}不能为负数。")
        ],
    )


def _enum_field(name: str) -> models.CharField:
    spec = ATTRIBUTES[name]
    assert spec.type == "enum", name
    return models.CharField(
        spec.label,
        max_length=max(len(value) for value in spec.choices),
        choices=list(spec.choices.items()),
        default=spec.neutral,
    )


# --- models ----------------------------------------------------------------------------------


class Enterprise(models.Model):
    """项目单位: the company that invests and applies for the approvals."""

    name = models.CharField("企业名称", max_length=100)
    credit_code = models.CharField(
        "统一社会信用代码", max_length=18, unique=True, validators=[validate_credit_code_field]
    )
    legal_representative = models.CharField("法定代表人", max_length=40)
    contact_name = models.CharField("联系人", max_length=40)
    contact_mobile = models.CharField(
        "联系人手机号码", max_length=11, validators=[validate_mobile_field]
    )
    address = models.CharField("地址", max_length=200, blank=True)
    region = models.ForeignKey(
        "organization.Region",
        verbose_name="所在区划",
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean_fields(self, exclude=None) -> None:
        # What people type (lower case, blanks, +86) is turned into the stored form first.
        self.credit_code = validators.normalize_uscc(self.credit_code)
        self.contact_mobile = validators.normalize_mobile(self.contact_mobile)
        self.name = (self.name or "").strip()
        super().clean_fields(exclude=exclude)


class Project(models.Model):
    """An investment project of one enterprise, with the attributes the planner reads."""

    InvestmentType = models.TextChoices(
        "InvestmentType",
        [
            (value.upper(), (value, label))
            for value, label in ATTRIBUTES["investment_type"].choices.items()
        ],
    )
    LandSource = models.TextChoices(
        "LandSource",
        [
            (value.upper(), (value, label))
            for value, label in ATTRIBUTES["land_source"].choices.items()
        ],
    )
    EiaCategory = models.TextChoices(
        "EiaCategory",
        [
            (value.upper(), (value, label))
            for value, label in ATTRIBUTES["eia_category"].choices.items()
        ],
    )

    name = models.CharField("项目名称", max_length=200)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name="项目单位", on_delete=models.PROTECT, related_name="projects"
    )
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="招引单位联系人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sponsored_projects",
        limit_choices_to={"role": Role.SPONSOR},
    )
    sponsor_department = models.ForeignKey(
        "organization.Department",
        verbose_name="招引单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sponsored_projects",
    )
    region = models.ForeignKey(
        "organization.Region",
        verbose_name="建设地点（区划）",
        on_delete=models.PROTECT,
        related_name="projects",
    )
    project_code = models.CharField(
        "投资项目统一代码",
        max_length=24,
        blank=True,
        help_text="格式 dddd-dddddd-dd-dd-dddddd，赋码后填写。",
    )
    description = models.TextField("项目概况", blank=True)

    # 基本信息
    investment_type = _enum_field("investment_type")
    industry_code = models.CharField(
        ATTRIBUTES["industry_code"].label,
        max_length=5,
        blank=True,
        default=ATTRIBUTES["industry_code"].neutral,
        validators=[validate_industry_code_field],
        help_text="GB/T 4754-2017 小类，门类字母加 4 位数字，例如 C2614。",
    )
    total_investment_wan = _number_field("total_investment_wan")
    is_key_project = _bool_field("is_key_project")
    energy_project = _bool_field("energy_project")
    facility_agriculture = _bool_field("facility_agriculture")
    # 用地
    land_source = _enum_field("land_source")
    land_area_ha = _number_field("land_area_ha")
    new_construction_land = _bool_field("new_construction_land")
    land_use_change = _bool_field("land_use_change")
    forest_land_ha = _number_field("forest_land_ha")
    forest_land_temporary = _bool_field("forest_land_temporary")
    grassland_ha = _number_field("grassland_ha")
    basic_grassland = _bool_field("basic_grassland")
    # 能耗与环评
    energy_tce = _number_field("energy_tce")
    electricity_wan_kwh = _number_field("electricity_wan_kwh")
    eia_category = _enum_field("eia_category")
    water_intake_self = _bool_field("water_intake_self")
    sewer_discharge = _bool_field("sewer_discharge")
    # 建设内容
    building_area_m2 = _number_field("building_area_m2")
    earthwork_m3 = _number_field("earthwork_m3")
    special_construction = _bool_field("special_construction")
    public_gathering = _bool_field("public_gathering")
    lightning_protection = _bool_field("lightning_protection")
    # 特殊情形
    hazardous_waste_business = _bool_field("hazardous_waste_business")
    gas_business = _bool_field("gas_business")
    highway_project = _bool_field("highway_project")
    road_works = _bool_field("road_works")
    pipeline_zone = _bool_field("pipeline_zone")
    relic_control_zone = _bool_field("relic_control_zone")
    flood_zone = _bool_field("flood_zone")
    municipal_facility_change = _bool_field("municipal_facility_change")
    green_land_use = _bool_field("green_land_use")
    water_project = _bool_field("water_project")

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "项目"
        verbose_name_plural = "项目"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project_code"],
                condition=~models.Q(project_code=""),
                name="project_unique_code",
                violation_error_code="duplicate_project_code",
                violation_error_message="该投资项目统一代码已被其他项目使用。",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def attributes(self) -> dict[str, Any]:
        """The attribute mapping of SPEC §4 as plain data (numbers as float)."""
        values: dict[str, Any] = {}
        for name, spec in ATTRIBUTES.items():
            value = getattr(self, name)
            if spec.type == "number":
                value = float(value if value is not None else spec.neutral)
            elif spec.type == "bool":
                value = bool(value)
            elif value is None:
                value = spec.neutral
            values[name] = value
        return values

    def clean_fields(self, exclude=None) -> None:
        self.name = (self.name or "").strip()
        self.project_code = validators.normalize_project_code(self.project_code)
        self.industry_code = validators.normalize_industry_code(
            self.industry_code, load_industry_codes()
        )
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.project_code:
            message = validators.validate_project_code(self.project_code, known_region_segments())
            if message:
                errors["project_code"] = message
        land_sources = (self.LandSource.TRANSFER, self.LandSource.ALLOCATION)
        if self.land_source in land_sources and not _positive(self.land_area_ha):
            errors["land_area_ha"] = (
                f"用地方式为“{self.get_land_source_display()}”时，用地面积（公顷）应大于 0。"
            )
        if self.forest_land_temporary and not _positive(self.forest_land_ha):
            errors["forest_land_temporary"] = (
                "未使用林地（使用林地面积为 0）时不能选择“临时占用林地”。"
            )
        if self.basic_grassland and not _positive(self.grassland_ha):
            errors["basic_grassland"] = "未使用草原（使用草原面积为 0）时不能选择“涉及基本草原”。"
        sponsor = self._related_or_none("sponsor")
        if sponsor is not None:
            if sponsor.role != Role.SPONSOR:
                errors["sponsor"] = "招引单位联系人须为“招引单位/产业办”角色的用户。"
            elif (
                self.sponsor_department_id is not None
                and sponsor.department_id is not None
                and sponsor.department_id != self.sponsor_department_id
            ):
                errors["sponsor_department"] = "招引单位与招引单位联系人所属部门不一致。"
        if errors:
            raise ValidationError(errors)

    def _related_or_none(self, name: str):
        try:
            return getattr(self, name)
        except ObjectDoesNotExist:  # a dangling id; clean_fields() has already reported it
            return None


def _positive(value: Any) -> bool:
    """True for a number above zero; False for zero, None and values that failed to parse."""
    try:
        return Decimal(str(value)) > 0
    except (ArithmeticError, ValueError, TypeError):
        return False


# --- intake: consultations and commissions (SPEC §2 steps 1–3) --------------------------------


class Consultation(models.Model):
    """咨询: a question by hotline, window, phone or online; counted even when nothing follows."""

    class Channel(models.TextChoices):
        HOTLINE_12345 = "hotline_12345", "12345热线"
        WINDOW = "window", "窗口"
        PHONE = "phone", "电话"
        ONLINE = "online", "网上"

    channel = models.CharField("咨询渠道", max_length=20, choices=Channel.choices)
    topic = models.CharField("咨询主题", max_length=100)
    question = models.TextField("咨询内容")
    answer = models.TextField("答复内容", blank=True)
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


def validate_signed_scan(upload) -> None:
    """A signed letter's scan: PDF, JPEG or PNG by content, at most 10 MB."""
    message = uploads.check_upload(upload)
    if message:
        raise ValidationError(message, code="invalid_upload")


def signed_scan_path(instance: Commission, filename: str) -> str:
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
    termination_note = models.TextField("终止说明", blank=True)
    refusal_explanation = models.TextField("不予办理说明", blank=True)
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
    signed_scan = models.FileField(
        "签字盖章扫描件",
        upload_to=signed_scan_path,
        blank=True,
        max_length=200,
        validators=[validate_signed_scan],
        help_text="授权委托书和承诺书的纸质签字盖章件（PDF、JPEG 或 PNG，不超过 10 MB）。",
    )
    other_needs = models.TextField("其他服务需求", blank=True)
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
    def both_letters_confirmed(self) -> bool:
        return bool(self.authorization_confirmed_at and self.commitment_confirmed_at)

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
    reason = models.TextField("原因/说明", blank=True)
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
    reason = models.TextField("说明", blank=True)
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
