"""Conditions in words (bangban.rules.conditions.wording): every condition of the catalog data
reads as Chinese without attribute keys, operators or rule numbers; hand-written sentences;
generated conditions never crash or leak a key; the reasons of a plan line."""

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bangban.rules.attributes import ATTRIBUTES
from bangban.rules.conditions import (
    And,
    Compare,
    Const,
    ListConst,
    Name,
    Not,
    Or,
    check,
    compile_condition,
    parse,
)
from bangban.rules.conditions.wording import condition_words, describe, reasons

DATA = Path(__file__).resolve().parents[2] / "data"

KEY_RE = re.compile(r"\b(" + "|".join(sorted(ATTRIBUTES, key=len, reverse=True)) + r")\b")
#: What the condition language writes and words never do.
SYMBOLS = (">", "<", "=", "≥", "≤", "≠", "∈", "∉", "'", '"', "[", "]", "startswith")
LANGUAGE_WORDS_RE = re.compile(r"\b(and|or|not|in|true|false)\b")
RULE_RE = re.compile(r"R\d\d")


def leaks(text: str) -> list[str]:
    found = [m.group(0) for m in KEY_RE.finditer(text)]
    found += [s for s in SYMBOLS if s in text]
    found += [m.group(0) for m in LANGUAGE_WORDS_RE.finditer(text)]
    found += [m.group(0) for m in RULE_RE.finditer(text)]
    # enumeration values (transfer, report_book …) are keys too
    found += [
        value
        for spec in ATTRIBUTES.values()
        for value in spec.choices
        if re.search(rf"\b{re.escape(value)}\b", text)
    ]
    return found


def catalog_conditions() -> list[tuple[str, str]]:
    """(where, condition) of every item and every tier of data/catalog/items.yaml."""
    data = yaml.safe_load((DATA / "catalog" / "items.yaml").read_text(encoding="utf-8"))
    found = []
    for item in data["items"]:
        found.append((item["code"], item.get("condition") or ""))
        for index, tier in enumerate(item.get("tiers") or []):
            found.append((f"{item['code']} tier {index}", tier.get("condition") or ""))
    return found


CONDITIONS = catalog_conditions()


def test_the_catalog_data_has_conditions_to_word():
    assert len([c for _, c in CONDITIONS if c.strip()]) >= 60


@pytest.mark.parametrize(("where", "condition"), CONDITIONS, ids=[w for w, _ in CONDITIONS])
def test_every_catalog_condition_reads_as_chinese_without_keys_or_symbols(where, condition):
    words = condition_words(condition)
    assert words and not leaks(words), (where, words, leaks(words))
    assert re.search(r"[\u4e00-\u9fff]", words)


# --- hand-written sentences ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "words"),
    [
        ("", "所有投资项目"),
        ("building_area_m2 > 0", "总建筑面积大于 0 平方米"),
        ("industry_code startswith 'C13'", "国民经济行业代码以 C13 开头"),
        ("land_source in ['transfer', 'allocation']", "用地方式为出让或划拨"),
        ("land_source not in ['transfer', 'allocation']", "用地方式既不是出让也不是划拨"),
        ("not special_construction", "不属于特殊建设工程"),
        ("special_construction == false", "不属于特殊建设工程"),
        ("investment_type != 'government'", "投资类型不是政府投资"),
        ("not (energy_tce >= 1000)", "年综合能源消费量小于 1000 吨标准煤"),
        (
            "energy_tce >= 1000 or electricity_wan_kwh >= 500",
            "年综合能源消费量大于或等于 1000 吨标准煤，或年电力消费量大于或等于 500 万千瓦时",
        ),
        (
            "investment_type == 'government' and (energy_tce >= 1000 or electricity_wan_kwh >= 500)",
            "投资类型为政府投资，且（年综合能源消费量大于或等于 1000 吨标准煤或"
            "年电力消费量大于或等于 500 万千瓦时）",
        ),
        # not (a and b) reads as "not a, or not b", each negated in words
        (
            "not (grassland_ha > 0 and basic_grassland)",
            "使用草原小于或等于 0 公顷，或不涉及基本草原",
        ),
        ("0.5 <= land_area_ha", "用地面积大于或等于 0.5 公顷"),
        (
            "industry_code startswith ['C13', 'C14', 'C15', 'C16']",
            "国民经济行业代码以 C13 至 C16 之一开头",
        ),
        (
            "not (industry_code startswith ['D4415', 'D4416'])",
            "国民经济行业代码不以 D4415 或 D4416 开头",
        ),
        ("false", "不适用于任何项目"),
    ],
)
def test_hand_written_sentences(condition, words):
    assert condition_words(condition) == words


def test_the_issue_examples_from_the_catalog():
    by_code = dict(CONDITIONS)
    assert condition_words(by_code["DS15"]) == "总建筑面积大于 0 平方米"
    assert condition_words(by_code["DS13"]) == "用地方式为出让或划拨"
    assert condition_words(by_code["DS08"]) == (
        "用地方式为划拨，或（用地方式为出让且涉及新增建设用地）"
    )


# --- generated conditions ------------------------------------------------------------------

NUMBERS = [name for name, spec in ATTRIBUTES.items() if spec.type == "number"]
BOOLS = [name for name, spec in ATTRIBUTES.items() if spec.type == "bool"]
ENUMS = [name for name, spec in ATTRIBUTES.items() if spec.type == "enum"]
STRINGS = [name for name, spec in ATTRIBUTES.items() if spec.type == "string"]
# Section R (文化、体育和娱乐业, R86…) is left out only because its codes look like rule numbers.
codes = st.from_regex(r"[A-QST][0-9]{0,4}", fullmatch=True)
numbers = st.one_of(
    st.integers(min_value=0, max_value=10**6),
    st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False),
)


@st.composite
def number_atom(draw):
    op = draw(st.sampled_from(["==", "!=", "<", "<=", ">", ">="]))
    name, value = Name(draw(st.sampled_from(NUMBERS))), Const(draw(numbers))
    return Compare(op, value, name) if draw(st.booleans()) else Compare(op, name, value)


@st.composite
def bool_atom(draw):
    name = Name(draw(st.sampled_from(BOOLS)))
    if draw(st.booleans()):
        return name
    return Compare(draw(st.sampled_from(["==", "!="])), name, Const(draw(st.booleans())))


@st.composite
def enum_atom(draw):
    spec = ATTRIBUTES[draw(st.sampled_from(ENUMS))]
    choices = sorted(spec.choices)
    if draw(st.booleans()):
        op = draw(st.sampled_from(["==", "!="]))
        return Compare(op, Name(spec.name), Const(draw(st.sampled_from(choices))))
    items = draw(st.lists(st.sampled_from(choices), max_size=len(choices)))
    op = draw(st.sampled_from(["in", "not in"]))
    return Compare(op, Name(spec.name), ListConst(tuple(Const(v) for v in items)))


@st.composite
def string_atom(draw):
    name = Name(draw(st.sampled_from(STRINGS)))
    kind = draw(st.sampled_from(["startswith", "startswith-list", "==", "!=", "in"]))
    if kind == "startswith":
        return Compare("startswith", name, Const(draw(codes)))
    if kind == "startswith-list":
        items = draw(st.lists(codes, max_size=40))
        return Compare("startswith", name, ListConst(tuple(Const(c) for c in items)))
    if kind == "in":
        items = draw(st.lists(codes, max_size=6))
        return Compare("in", name, ListConst(tuple(Const(c) for c in items)))
    return Compare(kind, name, Const(draw(codes)))


atoms = st.one_of(
    number_atom(),
    bool_atom(),
    enum_atom(),
    string_atom(),
    st.sampled_from([Const(True), Const(False)]),
)
conditions = st.recursive(
    atoms,
    lambda inner: st.one_of(
        st.builds(Not, inner),
        st.builds(And, st.lists(inner, min_size=2, max_size=4).map(tuple)),
        st.builds(Or, st.lists(inner, min_size=2, max_size=4).map(tuple)),
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(conditions)
def test_generated_conditions_never_crash_nor_leak(expr):
    check(expr)  # the generator makes well-typed conditions only
    words = describe(expr)
    assert words and not leaks(words), (expr, words)


@settings(max_examples=200, deadline=None)
@given(conditions)
def test_double_negation_reads_the_same(expr):
    assert describe(Not(Not(expr))) == describe(expr)


@settings(max_examples=200, deadline=None)
@given(conditions, st.fixed_dictionaries({}))
def test_generated_reasons_never_leak(expr, _):
    from bangban.rules.conditions import compile_expr

    condition = compile_expr(expr)
    attrs = {name: spec.neutral for name, spec in ATTRIBUTES.items()}
    attrs.update(energy_tce=1200.0, industry_code="C2614", land_source="transfer")
    for line in reasons(condition, attrs):
        assert not leaks(line), (expr, line)


# --- the reasons of a plan line -------------------------------------------------------------


def test_reasons_are_true_statements_about_the_project():
    project = {
        "investment_type": "enterprise_filing",
        "industry_code": "G5951",
        "land_source": "transfer",
        "energy_tce": 1200.0,
        "building_area_m2": 300.0,
    }
    ds01 = compile_condition(dict(CONDITIONS)["DS01"])
    assert reasons(ds01, project) == [
        "投资类型为企业投资（备案）",
        "不属于能源类项目",
        "国民经济行业代码不以 C13 至 C43 之一开头（本项目：G5951）",
    ]
    assert reasons(compile_condition("land_source in ['transfer', 'allocation']"), project) == [
        "用地方式为出让"
    ]
    assert reasons(compile_condition("building_area_m2 > 0"), project) == [
        "总建筑面积大于 0 平方米（本项目：300 平方米）"
    ]
    long_list = "industry_code startswith ['D4413', 'D4415', 'E4811', 'G53', 'G57', 'N76']"
    assert reasons(compile_condition(f"not ({long_list})"), project) == [
        "国民经济行业代码不以 D4413、D4415、E4811、G53 等 6 个代码之一开头（本项目：G5951）"
    ]
    assert reasons(compile_condition(""), project) == []


def test_parse_round_trip_keeps_the_words():
    for _, condition in CONDITIONS:
        if condition.strip():
            assert describe(parse(condition)) == condition_words(condition)


def test_every_yes_no_attribute_has_its_own_phrases():
    """A new yes/no attribute reads 「<label>：是」 until it is given phrases here."""
    from bangban.rules.conditions.wording import BOOL_PHRASES

    missing = [name for name in BOOLS if name not in BOOL_PHRASES]
    assert not missing, f"add phrases for {missing} to BOOL_PHRASES"
    assert condition_words("unit_registered") == "项目单位已登记（有统一社会信用代码）"
    assert condition_words("not unit_registered") == "项目单位尚未登记（没有统一社会信用代码）"
