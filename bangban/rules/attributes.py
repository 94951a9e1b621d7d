"""The project attributes of SPEC §4, as plain data (no Django import).

The API, the condition language, the planner and the Excel columns all use these names.
Each attribute has a type, a neutral value (what an attribute left out takes) and, for
enumerations, the allowed values with their Chinese labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

AttrType = Literal["bool", "number", "string", "enum"]


@dataclass(frozen=True)
class AttributeSpec:
    name: str
    type: AttrType
    label: str
    neutral: Any
    choices: dict[str, str] = field(default_factory=dict)  # enum value -> Chinese label
    minimum: float | None = None


def _b(name: str, label: str) -> AttributeSpec:
    return AttributeSpec(name, "bool", label, False)


def _n(name: str, label: str) -> AttributeSpec:
    return AttributeSpec(name, "number", label, 0, minimum=0)


ATTRIBUTES: dict[str, AttributeSpec] = {
    spec.name: spec
    for spec in [
        AttributeSpec(
            "investment_type",
            "enum",
            "投资类型",
            "enterprise_filing",
            {
                "enterprise_filing": "企业投资（备案）",
                "enterprise_approval": "企业投资（核准）",
                "government": "政府投资",
            },
        ),
        AttributeSpec("industry_code", "string", "国民经济行业代码", ""),
        _b("unit_registered", "项目单位已登记（有统一社会信用代码）"),
        _n("total_investment_wan", "总投资（万元）"),
        _b("is_key_project", "重点项目"),
        _b("energy_project", "能源类项目"),
        _b("facility_agriculture", "设施农业"),
        AttributeSpec(
            "land_source",
            "enum",
            "用地方式",
            "none",
            {
                "none": "不新增用地",
                "transfer": "出让",
                "allocation": "划拨",
                "existing": "自有存量用地",
            },
        ),
        _n("land_area_ha", "用地面积（公顷）"),
        _b("new_construction_land", "新增建设用地"),
        _b("land_use_change", "建设用地改变用途"),
        _n("forest_land_ha", "使用林地（公顷）"),
        _b("forest_land_temporary", "临时占用林地"),
        AttributeSpec(
            "forest_type",
            "enum",
            "林地类别",
            "unspecified",
            {
                "unspecified": "未确定（按防护林、特种用途林估计）",
                "shelter_special": "防护林、特种用途林",
                "timber_economic_fuel": "用材林、经济林、薪炭林",
                "other": "其他林地",
            },
        ),
        _n("grassland_ha", "使用草原（公顷）"),
        _b("basic_grassland", "涉及基本草原"),
        _n("energy_tce", "年综合能源消费量（吨标准煤）"),
        _n("electricity_wan_kwh", "年电力消费量（万千瓦时）"),
        AttributeSpec(
            "eia_category",
            "enum",
            "环评类别",
            "none",
            {
                "report_book": "环境影响报告书",
                "report_form": "环境影响报告表",
                "registration": "环境影响登记表",
                "none": "不纳入环评管理",
            },
        ),
        _b("water_intake_self", "自行取水"),
        _b("sewer_discharge", "排入市政管网"),
        _n("building_area_m2", "总建筑面积（平方米）"),
        _b("special_construction", "特殊建设工程"),
        _b("simple_low_risk", "简易低风险工程建设项目"),
        _b("public_gathering", "公众聚集场所"),
        _b("hazardous_waste_business", "危险废物经营"),
        _b("gas_business", "燃气经营"),
        _b("highway_project", "公路建设项目"),
        _b("road_works", "涉路施工/城市道路特殊车辆"),
        _b("city_road_dig", "占用、挖掘城市道路"),
        _b("pipeline_zone", "油气管道保护范围内施工"),
        _b("relic_control_zone", "文物建设控制地带内"),
        _b("flood_zone", "需洪水影响评价"),
        _b("municipal_facility_change", "拆改市政设施"),
        _b("green_land_use", "占用或改变城市绿地"),
        _b("lightning_protection", "需防雷装置设计审核和验收"),
        _n("earthwork_m3", "土石方量（立方米）"),
        _b("water_project", "水利基建项目"),
    ]
}


def neutral_attributes() -> dict[str, Any]:
    """Every attribute at its neutral value (0, false, `none`, empty)."""
    return {name: spec.neutral for name, spec in ATTRIBUTES.items()}


def validate_attributes(values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Check a partial attribute mapping; return (complete values, errors by name).

    Unknown names, wrong types, unknown enum values and negative numbers are errors
    (Chinese messages). Attributes left out take their neutral value.
    """
    result = neutral_attributes()
    errors: dict[str, str] = {}
    for name, value in values.items():
        spec = ATTRIBUTES.get(name)
        if spec is None:
            errors[name] = "未知的项目属性。"
            continue
        if spec.type == "bool":
            if not isinstance(value, bool):
                errors[name] = "应为布尔值（true/false）。"
                continue
        elif spec.type == "number":
            if isinstance(value, bool) or not isinstance(value, int | float):
                errors[name] = "应为数字。"
                continue
            if value != value or value in (float("inf"), float("-inf")):
                errors[name] = "应为有限数字。"
                continue
            if spec.minimum is not None and value < spec.minimum:
                errors[name] = f"不能小于 {spec.minimum:g}。"
                continue
        elif spec.type == "enum":
            if value not in spec.choices:
                allowed = "、".join(spec.choices)
                errors[name] = f"取值应为 {allowed} 之一。"
                continue
        elif spec.type == "string" and not isinstance(value, str):
            errors[name] = "应为字符串。"
            continue
        result[name] = value
    return result, errors
