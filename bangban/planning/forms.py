"""The public plan-preview form: a project's key attributes and a start date, in Chinese."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.utils import timezone

from bangban.eligibility.industry import load_industry_codes
from bangban.planning.compute import EARLIEST_START, LATEST_START
from bangban.planning.promises import region_choices, region_find
from bangban.rules.attributes import ATTRIBUTES
from bangban.rules.codes import normalize_industry_code, validate_industry_code

# (legend, attribute names) — the order the form shows them in.
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "项目基本情况",
        ("investment_type", "industry_code", "total_investment_wan", "unit_registered"),
    ),
    (
        "用地",
        ("land_source", "land_area_ha", "new_construction_land", "land_use_change"),
    ),
    (
        "林地与草原",
        (
            "forest_land_ha",
            "forest_land_temporary",
            "forest_type",
            "grassland_ha",
            "basic_grassland",
        ),
    ),
    ("能耗与环评", ("energy_tce", "electricity_wan_kwh", "eia_category")),
    ("建设规模", ("building_area_m2", "earthwork_m3", "simple_low_risk")),
)
GROUPED = {name for _, names in GROUPS for name in names}
SPECIAL = tuple(
    name for name, spec in ATTRIBUTES.items() if spec.type == "bool" and name not in GROUPED
)
HELP = {
    "industry_code": "GB/T 4754-2017 小类代码，例如 C2614；不清楚可留空",
    "land_area_ha": "1 公顷 = 10 000 平方米 = 15 亩",
    "new_construction_land": "需农用地转用或土地征收",
    "energy_tce": "达到 1000 吨标准煤需节能审查",
    "electricity_wan_kwh": "达到 500 万千瓦时需节能审查",
    "building_area_m2": "施工许可门槛：投资 100 万元以上或建筑面积 500 平方米以上",
    "earthwork_m3": "挖方与填方合计",
    "unit_registered": "已有统一社会信用代码的企业不需办理企业设立登记",
    "forest_type": "决定使用林地由自治区还是国家林业和草原局审核",
    "simple_low_risk": "社会投资、功能单一、技术要求简单的低风险项目（如普通仓库、厂房）；"
    "总建筑面积在当地标准以内时，对照简易低风险项目的审批时间承诺",
}
DETAIL_FIELDS = ("project_name", "enterprise_name", "region", "start_date")
# Regions a project may lie in (the promise of government time is read up the tree).
REGION_LEVELS = ("city", "county", "zone")
NUMBER_MAX = 1e12


def _field(name: str) -> forms.Field:
    spec = ATTRIBUTES[name]
    common: dict[str, Any] = {"label": spec.label, "required": False}
    if name in HELP:
        common["help_text"] = HELP[name]
    if spec.type == "bool":
        return forms.BooleanField(**common)
    if spec.type == "enum":
        return forms.ChoiceField(choices=list(spec.choices.items()), initial=spec.neutral, **common)
    if spec.type == "number":
        return forms.FloatField(
            min_value=0,
            max_value=NUMBER_MAX,
            widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
            error_messages={"invalid": "请输入数字。"},
            **common,
        )
    return forms.CharField(max_length=10, **common)


class PlanPreviewForm(forms.Form):
    """What an investor enters. ``attributes()`` gives the SPEC §4 mapping to plan with:
    fields left blank are left out, so they take their neutral values."""

    project_name = forms.CharField(label="项目名称", max_length=100, required=False)
    enterprise_name = forms.CharField(label="项目单位", max_length=100, required=False)
    start_date = forms.DateField(
        label="计划开始日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={
            "required": "请填写计划开始日期。",
            "invalid": "日期格式应为 YYYY-MM-DD，例如 2026-09-21。",
        },
        help_text="委托协议签订、开始代办的日期",
    )

    region = forms.ChoiceField(
        label="建设地点",
        required=False,
        help_text="决定各事项在当地的办理部门与服务方式，并对照当地公布的审批时间承诺；"
        "不填按事项清单、内蒙古自治区",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "内蒙古自治区（未选择）")] + [
            (key, name) for key, name in region_choices(REGION_LEVELS)
        ]
        for name in ATTRIBUTES:
            self.fields[name] = _field(name)
        self.fields["industry_code"].widget.attrs.update(
            {"placeholder": "例如 C2614", "autocapitalize": "characters"}
        )
        if not self.is_bound:
            self.initial.setdefault("start_date", timezone.localdate())

    def clean_start_date(self) -> dt.date:
        value = self.cleaned_data["start_date"]
        if not EARLIEST_START <= value <= LATEST_START:
            raise forms.ValidationError(
                f"计划开始日期应在 {EARLIEST_START.isoformat()} 至 {LATEST_START.isoformat()} 之间。"
            )
        return value

    def clean_region(self):
        """The chosen region (a Region), or None."""
        return region_find(self.cleaned_data.get("region") or "")

    def clean_industry_code(self) -> str:
        table = load_industry_codes()
        code = normalize_industry_code(self.cleaned_data.get("industry_code") or "", table)
        if code:
            error = validate_industry_code(code, table)
            if error:
                raise forms.ValidationError(error)
        return code

    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        sets = [(legend, [self[name] for name in names]) for legend, names in GROUPS]
        sets.append(("特殊情形", [self[name] for name in SPECIAL]))
        return sets

    def detail_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in DETAIL_FIELDS]

    def attributes(self) -> dict[str, Any]:
        """The attributes entered (valid form only)."""
        values: dict[str, Any] = {}
        for name, spec in ATTRIBUTES.items():
            value = self.cleaned_data.get(name)
            if spec.type == "bool":
                if value:
                    values[name] = True
            elif spec.type == "number":
                if value is not None:
                    values[name] = int(value) if float(value).is_integer() else value
            elif value not in (None, ""):
                values[name] = value
        return values

    def query_string(self) -> str:
        """The entered values as a query string (valid form only), for the download links."""
        pairs: list[tuple[str, str]] = []
        for name in DETAIL_FIELDS:
            value = self.cleaned_data.get(name)
            if isinstance(value, dt.date):
                value = value.isoformat()
            elif name == "region" and value is not None:
                value = value.key
            if value:
                pairs.append((name, value))
        for name, value in self.attributes().items():
            pairs.append((name, "on" if value is True else str(value)))
        return urlencode(pairs)
