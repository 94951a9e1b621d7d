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

from bangban.accounts.models import Role
from bangban.common.fields import LimitedTextField
from bangban.eligibility.industry import load_industry_codes
from bangban.rules import codes as validators
from bangban.rules.attributes import ATTRIBUTES

# --- field validators (wrap the pure checks of validators.py) -------------------------------


def validate_credit_code_field(value: str) -> None:
    """Every refusal of the credit code, one message per failing part (GB 32100 / GB 11714)."""
    errors = validators.check_uscc(value).errors
    if errors:
        raise ValidationError(
            [ValidationError(message, code="invalid_credit_code") for message in errors]
        )


def credit_code_warnings(value: str) -> tuple[str, ...]:
    """What the agent confirms about a credit code that is not refused: a region code
    (positions 3–8) unknown to the region list held (`known_region_segments`)."""
    return validators.check_uscc(value, known_regions=known_region_segments()).warnings


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
    description = LimitedTextField("项目概况", max_length=2000, blank=True)

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
    unit_registered = _bool_field("unit_registered")
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
    forest_type = _enum_field("forest_type")
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
    simple_low_risk = _bool_field("simple_low_risk")
    public_gathering = _bool_field("public_gathering")
    lightning_protection = _bool_field("lightning_protection")
    # 特殊情形
    hazardous_waste_business = _bool_field("hazardous_waste_business")
    gas_business = _bool_field("gas_business")
    highway_project = _bool_field("highway_project")
    road_works = _bool_field("road_works")
    city_road_dig = _bool_field("city_road_dig")
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
