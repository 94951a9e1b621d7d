"""Conditions in words (pure core): any condition as a Chinese sentence built from the
attribute labels, and the reasons an item is in a plan as true statements about the project.

``building_area_m2 > 0`` → 「总建筑面积大于 0 平方米」; ``industry_code startswith 'C13'`` →
「国民经济行业代码以 C13 开头」; ``land_source in ['transfer', 'allocation']`` → 「用地方式为出让
或划拨」. Negations are pushed down to the comparisons (``not (a and b)`` reads as 「非 a，或非 b」
with each comparison negated in words), so no sentence says 「并非」. ``and`` joins with 「且」, ``or``
with 「或」; a group of the other kind inside is put in 「（…）」.

No attribute key, operator symbol or quote of the condition language reaches the words. See
docs/wording.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from bangban.rules.attributes import ATTRIBUTES, AttributeSpec

from .syntax import And, Compare, Const, Expr, ListConst, Name, Not, Or, number_text, parse

__all__ = [
    "ALWAYS",
    "BOOL_PHRASES",
    "condition_words",
    "describe",
    "reasons",
]

#: The words of the empty condition (every project).
ALWAYS = "所有投资项目"

#: How a yes/no attribute reads when it holds and when it does not. An attribute missing here
#: reads 「<label>：是」 / 「<label>：否」.
BOOL_PHRASES: dict[str, tuple[str, str]] = {
    "is_key_project": ("属于重点项目", "不属于重点项目"),
    "energy_project": ("属于能源类项目", "不属于能源类项目"),
    "facility_agriculture": ("属于设施农业", "不属于设施农业"),
    "new_construction_land": ("涉及新增建设用地", "不涉及新增建设用地"),
    "land_use_change": ("建设用地改变用途", "建设用地不改变用途"),
    "forest_land_temporary": ("临时占用林地", "不是临时占用林地"),
    "basic_grassland": ("涉及基本草原", "不涉及基本草原"),
    "water_intake_self": ("自行取水", "不自行取水"),
    "sewer_discharge": ("污水排入市政管网", "污水不排入市政管网"),
    "special_construction": ("属于特殊建设工程", "不属于特殊建设工程"),
    "simple_low_risk": ("属于简易低风险工程建设项目", "不属于简易低风险工程建设项目"),
    "public_gathering": ("属于公众聚集场所", "不属于公众聚集场所"),
    "hazardous_waste_business": ("从事危险废物经营", "不从事危险废物经营"),
    "gas_business": ("从事燃气经营", "不从事燃气经营"),
    "highway_project": ("属于公路建设项目", "不属于公路建设项目"),
    "road_works": (
        "涉及涉路施工或城市道路特殊车辆通行",
        "不涉及涉路施工或城市道路特殊车辆通行",
    ),
    "pipeline_zone": ("在油气管道保护范围内施工", "不在油气管道保护范围内施工"),
    "relic_control_zone": ("位于文物建设控制地带内", "不在文物建设控制地带内"),
    "flood_zone": ("需要洪水影响评价", "不需要洪水影响评价"),
    "municipal_facility_change": ("拆改市政设施", "不拆改市政设施"),
    "green_land_use": ("占用或改变城市绿地", "不占用、不改变城市绿地"),
    "lightning_protection": ("需要防雷装置设计审核和验收", "不需要防雷装置设计审核和验收"),
    "water_project": ("属于水利基建项目", "不属于水利基建项目"),
    "unit_registered": (
        "项目单位已登记（有统一社会信用代码）",
        "项目单位尚未登记（没有统一社会信用代码）",
    ),
    "city_road_dig": ("占用、挖掘城市道路", "不占用、不挖掘城市道路"),
}

_ORDER_WORDS = {
    "==": "等于",
    "!=": "不等于",
    "<": "小于",
    "<=": "小于或等于",
    ">": "大于",
    ">=": "大于或等于",
}
_NEGATED = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}
_FLIPPED = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_UNIT_RE = re.compile(r"^(?P<base>.+?)（(?P<unit>[^（）]+)）$")
_UNKNOWN = "（未知的项目属性）"
_CJK_THEN_LATIN = re.compile(r"([\u4e00-\u9fff])([A-Za-z0-9])")
_LATIN_THEN_CJK = re.compile(r"([A-Za-z0-9])([\u4e00-\u9fff])")
_DIVISION_RE = re.compile(r"^([A-Z])(\d{2})$")

#: Lists longer than this are shortened in the reasons of a plan (never in `describe`).
REASON_LIST_LIMIT = 4


# --- pieces ----------------------------------------------------------------------------------


def _spec(name: Name, schema: Mapping[str, AttributeSpec]) -> AttributeSpec | None:
    return schema.get(name.name)


def _base_and_unit(spec: AttributeSpec) -> tuple[str, str]:
    """「总建筑面积（平方米）」 → (「总建筑面积」, 「平方米」) for numbers; others keep their label."""
    if spec.type == "number":
        match = _UNIT_RE.match(spec.label)
        if match:
            return match.group("base"), match.group("unit")
    return spec.label, ""


def _label(node: Name, schema: Mapping[str, AttributeSpec]) -> str:
    spec = _spec(node, schema)
    return _base_and_unit(spec)[0] if spec is not None else _UNKNOWN


def _number(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return number_text(value)


def _value(value: Any, spec: AttributeSpec | None) -> str:
    """A literal as a person reads it: enum values by their label, numbers with the unit."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        unit = _base_and_unit(spec)[1] if spec is not None else ""
        return f"{_number(value)} {unit}".rstrip()
    if spec is not None and spec.type == "enum":
        return spec.choices.get(value, value)
    return value if value != "" else "空"


def _alternatives(words: Sequence[str], conjunction: str = "或") -> str:
    if len(words) <= 1:
        return "".join(words)
    return "、".join(words[:-1]) + conjunction + words[-1]


def _spaced(text: str) -> str:
    """A blank between Chinese characters and Latin letters or digits (「大于 0 平方米」)."""
    return _LATIN_THEN_CJK.sub(r"\1 \2", _CJK_THEN_LATIN.sub(r"\1 \2", text))


def _runs(prefixes: list[str]) -> list[str]:
    """Three or more consecutive divisions of one section read as a range: C13, C14, …, C43
    → 「C13 至 C43」 (other prefixes stay as they are, in order)."""
    result: list[str] = []
    run: list[str] = []

    def flush() -> None:
        result.extend([f"{run[0]} 至 {run[-1]}"] if len(run) >= 3 else run)
        run.clear()

    for prefix in prefixes:
        match = _DIVISION_RE.match(prefix)
        if run and match:
            last = _DIVISION_RE.match(run[-1])
            assert last is not None
            if last.group(1) == match.group(1) and int(last.group(2)) + 1 == int(match.group(2)):
                run.append(prefix)
                continue
        flush()
        if match:
            run.append(prefix)
        else:
            result.append(prefix)
    flush()
    return result


def _shorten(words: list[str], limit: int | None) -> tuple[list[str], int]:
    if limit is None or len(words) <= limit:
        return words, 0
    return words[:limit], len(words)


def _bool_phrase(node: Name, holds: bool, schema: Mapping[str, AttributeSpec]) -> str:
    spec = _spec(node, schema)
    if spec is None:
        return f"{_UNKNOWN}为{'是' if holds else '否'}"
    phrases = BOOL_PHRASES.get(node.name)
    if phrases is not None:
        return phrases[0] if holds else phrases[1]
    return f"{spec.label}：{'是' if holds else '否'}"


# --- comparisons -----------------------------------------------------------------------------


def _atom(
    node: Expr, positive: bool, schema: Mapping[str, AttributeSpec], limit: int | None
) -> str:
    """A bare name, a literal or a comparison, said as holding (`positive`) or not."""
    if isinstance(node, Name):
        return _bool_phrase(node, positive, schema)
    if isinstance(node, Const):
        return "所有投资项目" if bool(node.value) == positive else "不适用于任何项目"
    assert isinstance(node, Compare)
    if node.op in ("in", "not in"):
        return _membership(node, positive == (node.op == "in"), schema, limit)
    if node.op == "startswith":
        return _prefix(node, positive, schema, limit)
    op = node.op if positive else _NEGATED[node.op]
    left, right = node.left, node.right
    assert isinstance(right, Name | Const)
    if isinstance(left, Const) and isinstance(right, Name):
        left, right, op = right, left, _FLIPPED[op]
    if isinstance(left, Name):
        spec = _spec(left, schema)
        bool_literal = spec is not None and spec.type == "bool" and isinstance(right, Const)
        if bool_literal and op in ("==", "!="):
            return _bool_phrase(left, (op == "==") == bool(right.value), schema)
        label = _label(left, schema)
        if isinstance(right, Name):
            return f"{label}{_equality_word(op, spec)}{_label(right, schema)}"
        return f"{label}{_equality_word(op, spec)}{_value(right.value, spec)}"
    # two literals
    assert isinstance(left, Const) and isinstance(right, Const)
    return f"{_value(left.value, None)}{_ORDER_WORDS[op]}{_value(right.value, None)}"


def _equality_word(op: str, spec: AttributeSpec | None) -> str:
    """Numbers 「大于」 …; other values 「为」 / 「不是」."""
    if spec is not None and spec.type == "number":
        return _ORDER_WORDS[op]
    if op == "==":
        return "为"
    if op == "!=":
        return "不是"
    return _ORDER_WORDS[op]


def _membership(
    node: Compare, member: bool, schema: Mapping[str, AttributeSpec], limit: int | None
) -> str:
    left = node.left
    assert isinstance(node.right, ListConst)
    spec = _spec(left, schema) if isinstance(left, Name) else None
    values = [item.value for item in node.right.items]
    if isinstance(left, Name) and spec is not None and spec.type == "bool":
        allowed = {bool(v) for v in values}
        if allowed == {True, False}:
            return ALWAYS if member else "不适用于任何项目"
        if not allowed:
            return "不适用于任何项目" if member else ALWAYS
        return _bool_phrase(left, (True in allowed) == member, schema)
    subject = _label(left, schema) if isinstance(left, Name) else _value(left.value, None)
    if not values:
        return "不适用于任何项目" if member else ALWAYS
    words, total = _shorten(list(dict.fromkeys(_value(v, spec) for v in values)), limit)
    if total:
        listed = f"{'、'.join(words)}等 {total} 项之一"
        return f"{subject}为{listed}" if member else f"{subject}不是{listed}"
    if member:
        return f"{subject}为{_alternatives(words)}"
    if len(words) == 1:
        return f"{subject}不是{words[0]}"
    if len(words) == 2:
        return f"{subject}既不是{words[0]}也不是{words[1]}"
    return f"{subject}不是{_alternatives(words)}中的任何一种"


def _prefix(
    node: Compare, holds: bool, schema: Mapping[str, AttributeSpec], limit: int | None
) -> str:
    left = node.left
    subject = _label(left, schema) if isinstance(left, Name) else _value(left.value, None)
    items = node.right.items if isinstance(node.right, ListConst) else (node.right,)
    prefixes = list(dict.fromkeys(str(item.value) for item in items))  # type: ignore[union-attr]
    if not prefixes:
        return "不适用于任何项目" if holds else ALWAYS
    if "" in prefixes:  # every text starts with the empty prefix
        return ALWAYS if holds else "不适用于任何项目"
    grouped = _runs(prefixes)
    words, total = _shorten(grouped, limit)
    if total:
        listed = f"{'、'.join(words)}等 {len(prefixes)} 个代码之一"
    elif len(grouped) < len(prefixes):
        listed = f"{_alternatives(words)}之一"
    else:
        listed = _alternatives(words)
    return f"{subject}以{listed}开头" if holds else f"{subject}不以{listed}开头"


# --- the whole condition ---------------------------------------------------------------------


def _is_group(node: Expr, positive: bool) -> str:
    """ "and" / "or" / "" for a node as it reads after pushing negations down."""
    while isinstance(node, Not):
        node, positive = node.operand, not positive
    if isinstance(node, And):
        return "and" if positive else "or"
    if isinstance(node, Or):
        return "or" if positive else "and"
    return ""


def _words(
    node: Expr, positive: bool, schema: Mapping[str, AttributeSpec], top: bool, limit: int | None
) -> str:
    if isinstance(node, Not):
        return _words(node.operand, not positive, schema, top, limit)
    if isinstance(node, And | Or):
        kind = _is_group(node, positive)
        parts: list[str] = []
        for operand in node.operands:
            inner = _is_group(operand, positive)
            text = _words(operand, positive, schema, False, limit)
            if inner and inner != kind:
                text = f"（{text}）"
            parts.append(text)
        joiner = ("，且" if kind == "and" else "，或") if top else ("且" if kind == "and" else "或")
        return joiner.join(parts)
    return _atom(node, positive, schema, limit)


def describe(expr: Expr, schema: Mapping[str, AttributeSpec] = ATTRIBUTES) -> str:
    """The condition as one Chinese sentence (no full stop); the empty condition (``true``)
    reads 「所有投资项目」. Lists are given in full."""
    return _spaced(_words(expr, True, schema, True, None))


@lru_cache(maxsize=4096)
def condition_words(text: str) -> str:
    """`describe` of a condition's text (cached by text; the default schema)."""
    if not (text or "").strip():
        return ALWAYS
    return describe(parse(text))


# --- why an item is in a plan ----------------------------------------------------------------


def reasons(condition: Any, attrs: Mapping[str, Any]) -> list[str]:
    """Why a compiled condition holds (or not) for a project: the comparisons that decided
    (as ``Condition.deciding`` picks them), each a true statement about the project in words.
    A value the project has is said as it is (「用地方式为出让」); otherwise the project's own
    value follows, e.g. 「年综合能源消费量大于或等于 1000 吨标准煤（本项目：15000 吨标准煤）」;
    a prefix that matched is named alone; long lists are shortened. The empty condition gives
    no reason (``[]``)."""
    if condition.is_empty:
        return []
    lines = [_spaced(_reason(node, holds, attrs)) for node, holds in condition.deciding(attrs)]
    return list(dict.fromkeys(lines))


def _reason(node: Expr, holds: bool, attrs: Mapping[str, Any]) -> str:
    if not isinstance(node, Compare):
        return _atom(node, holds, ATTRIBUTES, REASON_LIST_LIMIT)
    names = [side for side in (node.left, node.right) if isinstance(side, Name)]
    spec = ATTRIBUTES.get(names[0].name) if len(names) == 1 else None
    if spec is None or spec.type == "bool":
        return _atom(node, holds, ATTRIBUTES, REASON_LIST_LIMIT)
    value = attrs.get(spec.name)
    value = spec.neutral if value is None else value
    label = _base_and_unit(spec)[0]
    is_value = (holds and node.op in ("==", "in")) or (not holds and node.op in ("!=", "not in"))
    if is_value and isinstance(node.left, Name):
        return f"{label}为{_value(value, spec)}"  # what the project has, said as it is
    if holds and node.op == "startswith" and isinstance(node.left, Name):
        items = node.right.items if isinstance(node.right, ListConst) else (node.right,)
        prefix = next(str(i.value) for i in items if str(value).startswith(str(i.value)))  # type: ignore[union-attr]
        return f"{label}以 {prefix} 开头（本项目：{_value(value, spec)}）"
    sentence = _atom(node, holds, ATTRIBUTES, REASON_LIST_LIMIT)
    return f"{sentence}（本项目：{_value(value, spec)}）"
