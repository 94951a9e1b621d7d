"""bangban.rules.conditions: the applicability-condition language."""

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bangban.rules.attributes import ATTRIBUTES, AttributeSpec
from bangban.rules.conditions import (
    MAX_LENGTH,
    MAX_NESTING,
    And,
    Compare,
    ConditionError,
    Const,
    ListConst,
    Name,
    Not,
    Or,
    check,
    compile_condition,
    compile_expr,
    parse,
    to_text,
)

# --------------------------------------------------------------------------------------
# Examples


def test_energy_review_threshold():
    cond = compile_condition("energy_tce >= 1000 or electricity_wan_kwh >= 500")
    assert cond.evaluate({"energy_tce": 1200}) is True
    assert cond.evaluate({"electricity_wan_kwh": 500}) is True
    assert cond.evaluate({"energy_tce": 999.9, "electricity_wan_kwh": 499}) is False
    assert cond.evaluate({}) is False
    assert cond.explain({"energy_tce": 1200}) == ["energy_tce = 1200 ≥ 1000"]
    assert cond.explain({"energy_tce": 800}) == [
        "energy_tce = 800 < 1000",
        "electricity_wan_kwh = 0 < 500",
    ]
    assert cond.explain({"electricity_wan_kwh": 612.5}) == ["electricity_wan_kwh = 612.5 ≥ 500"]


def test_land_transfer_and_bare_bool():
    cond = compile_condition("land_source == 'transfer' and new_construction_land")
    assert cond.expr == And(
        (Compare("==", Name("land_source"), Const("transfer")), Name("new_construction_land"))
    )
    attrs = {"land_source": "transfer", "new_construction_land": True}
    assert cond.evaluate(attrs) is True
    assert cond.explain(attrs) == ["land_source = 'transfer'", "new_construction_land = 是"]
    assert cond.evaluate({"land_source": "transfer"}) is False
    assert cond.explain({"land_source": "transfer"}) == ["new_construction_land = 否"]
    assert cond.explain({}) == ["land_source = 'none' ≠ 'transfer'"]


def test_startswith_list():
    cond = compile_condition("industry_code startswith ['C26', 'C30']")
    assert cond.evaluate({"industry_code": "C2614"}) is True
    assert cond.evaluate({"industry_code": "C3011"}) is True
    assert cond.evaluate({"industry_code": "C2714"}) is False
    assert cond.evaluate({}) is False
    assert cond.explain({"industry_code": "C3011"}) == ["industry_code = 'C3011' 以 'C30' 开头"]
    assert cond.explain({"industry_code": "B0610"}) == [
        "industry_code = 'B0610' 不以 'C26'、'C30' 开头"
    ]
    single = compile_condition('industry_code startswith "C13"')
    assert single.text == "industry_code startswith 'C13'"
    assert single.evaluate({"industry_code": "C1310"})


def test_in_list():
    cond = compile_condition("investment_type in ['enterprise_filing', 'enterprise_approval']")
    assert cond.evaluate({}) is True  # neutral value: enterprise_filing
    assert cond.evaluate({"investment_type": "government"}) is False
    assert cond.explain({"investment_type": "government"}) == [
        "investment_type = 'government' ∉ ['enterprise_filing', 'enterprise_approval']"
    ]
    negated = compile_condition("investment_type not in ['government']")
    assert negated.evaluate({}) is True
    assert negated.evaluate({"investment_type": "government"}) is False
    assert negated.expr == Compare(
        "not in", Name("investment_type"), ListConst((Const("government"),))
    )


def test_not_binds_tighter_than_and_and_and_than_or():
    a, b, c = Name("is_key_project"), Name("energy_project"), Name("flood_zone")
    assert parse("not (is_key_project or energy_project) and flood_zone") == And(
        (Not(Or((a, b))), c)
    )
    assert parse("not is_key_project or energy_project and flood_zone") == Or((Not(a), And((b, c))))
    assert parse("is_key_project or energy_project and not flood_zone") == Or((a, And((b, Not(c)))))
    cond = compile_condition("not (is_key_project or energy_project) and flood_zone")
    assert cond.evaluate({"flood_zone": True}) is True
    assert cond.evaluate({"flood_zone": True, "energy_project": True}) is False
    assert cond.explain({"flood_zone": True, "energy_project": True}) == ["energy_project = 是"]
    assert cond.explain({"flood_zone": True}) == [
        "is_key_project = 否",
        "energy_project = 否",
        "flood_zone = 是",
    ]


def test_not_in_versus_not_comparison():
    assert parse("not energy_tce > 5") == Not(Compare(">", Name("energy_tce"), Const(5)))
    assert parse("land_source not in ['none']").op == "not in"


def test_chains_are_flat_and_parentheses_are_kept_structurally():
    flat = parse("flood_zone and pipeline_zone and road_works")
    assert isinstance(flat, And) and len(flat.operands) == 3
    nested = parse("flood_zone and (pipeline_zone and road_works)")
    assert nested != flat
    assert to_text(nested) == "flood_zone and (pipeline_zone and road_works)"
    assert to_text(parse("((flood_zone))")) == "flood_zone"
    assert to_text(parse("(a_b or c) and not (d == 1)")) == "(a_b or c) and not d == 1"


def test_literals():
    assert parse("land_area_ha >= 0.5").right == Const(0.5)
    assert parse("land_area_ha >= 5").right == Const(5)
    assert parse("energy_tce > -1").right == Const(-1)
    assert Const(True) != Const(1)
    assert parse("flood_zone == true").right == Const(True)
    assert parse(r"industry_code == 'it\'s'").right == Const("it's")
    assert parse(r'industry_code == "say \"hi\" \\ ok"').right == Const('say "hi" \\ ok')
    assert to_text(parse(r'industry_code == "it\'s \\"')) == r"industry_code == 'it\'s \\'"
    assert parse("energy_tce in []").right == ListConst(())
    assert to_text(parse("earthwork_m3 >= 50000.0")) == "earthwork_m3 >= 50000.0"
    assert to_text(parse("energy_tce ≥ 1000 and energy_tce ≠ 5")) == (
        "energy_tce >= 1000 and energy_tce != 5"
    )


def test_number_printing_round_trips_without_exponents():
    for value in (1e16, 1e-5, 123456789.125, 0.1, 3.0, 1e300):
        expr = Compare(">=", Name("energy_tce"), Const(value))
        text = to_text(expr)
        assert "e" not in text.split(">=")[1]
        assert parse(text) == expr
        assert parse(text).right.value == value


def test_empty_condition_is_always_true():
    for text in ("", "   ", "\n\t"):
        cond = compile_condition(text)
        assert cond.evaluate({}) is True
        assert cond.is_empty and cond.text == ""
        assert cond.explain({}) == []
    assert parse("") == Const(True)
    assert compile_condition("true").text == "true"
    assert compile_condition("false").evaluate({}) is False


def test_comparisons_with_literal_on_the_left_and_between_attributes():
    cond = compile_condition("1000 <= energy_tce")
    assert cond.evaluate({"energy_tce": 1000}) is True
    assert cond.explain({"energy_tce": 1200}) == ["1000 ≤ energy_tce = 1200"]
    both = compile_condition("land_area_ha > forest_land_ha")
    assert both.evaluate({"land_area_ha": 3, "forest_land_ha": 1}) is True
    assert both.explain({"land_area_ha": 3, "forest_land_ha": 1}) == [
        "land_area_ha = 3 > forest_land_ha（1）"
    ]
    assert compile_condition("'transfer' == land_source").evaluate({"land_source": "transfer"})


def test_missing_or_none_attributes_take_the_neutral_value():
    cond = compile_condition("land_source == 'none' and not flood_zone and energy_tce == 0")
    assert cond.evaluate({}) is True
    assert cond.evaluate({"land_source": None, "flood_zone": None, "energy_tce": None}) is True


def test_compiled_conditions_are_cached_by_text():
    assert compile_condition("flood_zone") is compile_condition("flood_zone")
    assert compile_condition("flood_zone").text == "flood_zone"
    assert compile_condition("  flood_zone   and  road_works").text == "flood_zone and road_works"


def test_custom_schema_is_not_cached_and_is_used():
    schema = {"size": AttributeSpec("size", "number", "规模", 7)}
    cond = compile_condition("size > 5", schema)
    assert cond.evaluate({}) is True
    assert compile_condition("size > 5", schema) is not cond
    with pytest.raises(ConditionError):
        compile_condition("size > 5")


def test_condition_errors_are_exceptions_with_position_and_message():
    err = ConditionError(3, "消息")
    assert str(err) == "第 4 个字符处：消息"
    assert err.position == 3 and err.message == "消息"
    assert isinstance(err, Exception)


# --------------------------------------------------------------------------------------
# Error positions


def error(text: str) -> ConditionError:
    with pytest.raises(ConditionError) as info:
        compile_condition(text)
    return info.value


def test_error_missing_operand_at_end():
    e = error("energy_tce >= ")
    assert e.position == len("energy_tce >= ")
    assert "'>='" in e.message and "缺少" in e.message


def test_error_unknown_attribute():
    e = error("foo == 1")
    assert e.position == 0
    assert e.message == "未知的项目属性：foo"
    assert str(e) == "第 1 个字符处：未知的项目属性：foo"
    assert error("flood_zone and bar").position == 15


def test_error_enum_value_not_among_choices():
    e = error("investment_type == 'govt'")
    assert e.position == 19
    assert e.message.startswith("投资类型没有取值 'govt'")
    e = error("land_source in ['transfer', 'lease']")
    assert e.position == 28
    assert e.message.startswith("用地方式没有取值 'lease'")


def test_error_missing_closing_parenthesis():
    e = error("(water_intake_self")
    assert e.position == len("(water_intake_self")
    assert "缺少右括号" in e.message and "第 1 个字符" in e.message
    assert error("(flood_zone and (road_works)").position == 28
    assert error("flood_zone)").position == 10


@pytest.mark.parametrize(
    ("text", "position", "fragment"),
    [
        ("energy_tce >= 'a'", 14, "不能与字符串"),
        ("energy_tce == true", 14, "不能与布尔值"),
        ("flood_zone == 1", 14, "不能与数字"),
        ("'x' == 1", 7, "不能与数字"),
        ("flood_zone > false", 11, "比较大小"),
        ("land_source <= 'none'", 12, "比较大小"),
        ("energy_tce startswith 'C'", 0, "startswith 只能用于字符串"),
        ("land_source startswith 'tr'", 0, "startswith 只能用于字符串"),
        ("industry_code startswith ['C1', 3]", 32, "不是字符串"),
        ("industry_code startswith 3", 25, "不是字符串"),
        ("energy_tce", 0, "不能单独作为条件"),
        ("flood_zone and industry_code", 15, "不能单独作为条件"),
        ("not 5", 4, "不能单独作为条件"),
        ("energy_tce in [1, 'a']", 18, "不能与字符串"),
        ("investment_type in ['government', 1]", 34, "不能与数字"),
        ("industry_code == energy_tce", 17, "不能比较"),
        ("land_source == eia_category", 15, "取值不同"),
        ("energy_tce >= 'a", 14, "缺少结束引号"),
        ("energy_tce ＝ 1", 11, "无法识别的字符"),
        ("energy_tce = 1", 11, "'=='"),
        ("flood_zone ! road_works", 11, "'!='"),
        ("flood_zone road_works", 11, "多余的内容"),
        ("energy_tce >= 1 >= 2", 16, "连续比较"),
        ("flood_zone and", 14, "'and' 之后缺少条件"),
        ("or flood_zone", 0, "缺少条件"),
        ("()", 1, "括号内缺少条件"),
        ("(flood_zone) == true", 13, "不能再参与比较"),
        ("energy_tce in 5", 14, "应为列表"),
        ("energy_tce in [1, 2", 19, "缺少右方括号"),
        ("energy_tce in [1 2]", 17, "逗号"),
        ("energy_tce in [1, ]", 18, "缺少元素"),
        ("energy_tce in [1, energy_tce]", 18, "列表元素应为"),
        ("energy_tce == [1]", 14, "请使用 in"),
        ("[1] == energy_tce", 0, "列表只能"),
        ("flood_zone not road_works", 11, "not in"),
        ("energy_tce >= 1.", 16, "小数点后缺少数字"),
        ("energy_tce >= 1e5", 15, "紧跟字母"),
        (r"industry_code == 'a\n'", 19, "不支持的转义"),
        ("energy_tce >= (1)", 14, "括号表达式"),
    ],
)
def test_error_positions(text, position, fragment):
    e = error(text)
    assert e.position == position, e
    assert fragment in e.message, e


def test_absurd_input_is_refused():
    e = error("flood_zone or " * 200)
    assert e.position == MAX_LENGTH and "过长" in e.message
    deep = "(" * (MAX_NESTING + 1) + "flood_zone" + ")" * (MAX_NESTING + 1)
    e = error(deep)
    assert e.position == MAX_NESTING and "嵌套" in e.message
    ok = "(" * MAX_NESTING + "flood_zone" + ")" * MAX_NESTING
    assert compile_condition(ok).text == "flood_zone"
    e = error("not " * (MAX_NESTING + 1) + "flood_zone")
    assert "嵌套" in e.message
    e = error("energy_tce > " + "9" * 400 + ".0")
    assert "过大" in e.message


def test_ast_nodes_refuse_what_the_grammar_cannot_express():
    with pytest.raises(ValueError):
        And((Name("flood_zone"),))
    with pytest.raises(ValueError):
        Name("and")
    with pytest.raises(ValueError):
        Name("a-b")
    with pytest.raises(ValueError):
        Const(float("nan"))
    with pytest.raises(TypeError):
        Compare("in", Name("energy_tce"), Const(1))
    with pytest.raises(TypeError):
        Compare("==", Not(Name("flood_zone")), Const(True))


# --------------------------------------------------------------------------------------
# Properties over random, well-typed ASTs on the real schema

BOOLS = sorted(n for n, s in ATTRIBUTES.items() if s.type == "bool")
NUMBERS = sorted(n for n, s in ATTRIBUTES.items() if s.type == "number")
STRINGS = sorted(n for n, s in ATTRIBUTES.items() if s.type == "string")
ENUMS = sorted(n for n, s in ATTRIBUTES.items() if s.type == "enum")

numbers = st.one_of(
    st.integers(-10, 100_000),
    st.integers(0, 10_000_000).map(lambda i: i / 100),
    st.sampled_from([0, 0.5, 5, 10, 100, 500, 1000, 50_000]),
)
strings = st.one_of(
    st.sampled_from(["", "C", "C26", "C2614", "C30", "B06", "E4"]),
    st.text(alphabet=st.sampled_from(list("Ca1'\"\\ 中\n")), max_size=6),
)


def name_of(names):
    return st.sampled_from(names).map(Name)


def const_of(values):
    return values.map(Const)


def list_of(values, max_size=4):
    return st.lists(values.map(Const), max_size=max_size).map(lambda xs: ListConst(tuple(xs)))


@st.composite
def enum_atom(draw):
    name = draw(st.sampled_from(ENUMS))
    choices = st.sampled_from(sorted(ATTRIBUTES[name].choices))
    kind = draw(st.sampled_from(["eq", "in", "name"]))
    if kind == "eq":
        return Compare(draw(st.sampled_from(["==", "!="])), Name(name), Const(draw(choices)))
    if kind == "in":
        return Compare(draw(st.sampled_from(["in", "not in"])), Name(name), draw(list_of(choices)))
    return Compare("==", Name(name), Name(name))


ORDER_OPS = st.sampled_from(["==", "!=", "<", "<=", ">", ">="])

atoms = st.one_of(
    name_of(BOOLS),
    st.builds(Compare, st.sampled_from(["==", "!="]), name_of(BOOLS), const_of(st.booleans())),
    st.builds(Compare, ORDER_OPS, name_of(NUMBERS), const_of(numbers)),
    st.builds(Compare, ORDER_OPS, const_of(numbers), name_of(NUMBERS)),
    st.builds(Compare, ORDER_OPS, name_of(NUMBERS), name_of(NUMBERS)),
    st.builds(Compare, st.sampled_from(["in", "not in"]), name_of(NUMBERS), list_of(numbers)),
    st.builds(Compare, ORDER_OPS, name_of(STRINGS), const_of(strings)),
    st.builds(Compare, st.sampled_from(["in", "not in"]), name_of(STRINGS), list_of(strings)),
    st.builds(Compare, st.just("startswith"), name_of(STRINGS), const_of(strings)),
    st.builds(Compare, st.just("startswith"), name_of(STRINGS), list_of(strings, 3)),
    enum_atom(),
    const_of(st.booleans()),
    st.builds(Compare, ORDER_OPS, const_of(numbers), const_of(numbers)),
)


def _extend(children):
    operands = st.lists(children, min_size=2, max_size=4).map(tuple)
    return st.one_of(children.map(Not), operands.map(And), operands.map(Or))


exprs = st.recursive(atoms, _extend, max_leaves=16)


def value_of(spec):
    if spec.type == "bool":
        return st.booleans()
    if spec.type == "number":
        return numbers.filter(lambda v: v >= 0)
    if spec.type == "enum":
        return st.sampled_from(sorted(spec.choices))
    return strings


attribute_dicts = st.fixed_dictionaries(
    {}, optional={name: st.one_of(value_of(spec), st.none()) for name, spec in ATTRIBUTES.items()}
)


def reference_eval(node, attrs):
    """A plain tree-walking interpreter, to cross-check the compiled closures."""

    def value(operand):
        if isinstance(operand, Const):
            return operand.value
        found = attrs.get(operand.name)
        return ATTRIBUTES[operand.name].neutral if found is None else found

    if isinstance(node, Name):
        return bool(value(node))
    if isinstance(node, Const):
        return bool(node.value)
    if isinstance(node, Not):
        return not reference_eval(node.operand, attrs)
    if isinstance(node, And):
        return all(reference_eval(op, attrs) for op in node.operands)
    if isinstance(node, Or):
        return any(reference_eval(op, attrs) for op in node.operands)
    left = value(node.left)
    if node.op in ("in", "not in"):
        member = any(left == item.value for item in node.right.items)
        return member if node.op == "in" else not member
    if node.op == "startswith":
        items = node.right.items if isinstance(node.right, ListConst) else (node.right,)
        return any(left.startswith(item.value) for item in items)
    right = value(node.right)
    return {
        "==": left == right,
        "!=": left != right,
        "<": left < right,
        "<=": left <= right,
        ">": left > right,
        ">=": left >= right,
    }[node.op]


def nesting(node):
    if isinstance(node, Not):
        return 1 + nesting(node.operand)
    if isinstance(node, And | Or):
        return 1 + max(nesting(op) for op in node.operands)
    return 0


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(exprs)
def test_round_trip_through_canonical_text(expr):
    assume(nesting(expr) <= MAX_NESTING)
    text = to_text(expr)
    assume(len(text) <= MAX_LENGTH)
    reparsed = parse(text)
    assert reparsed == expr
    assert to_text(reparsed) == text
    assert check(expr) is expr  # the generator only builds well-typed conditions
    assert compile_condition(text).text == text


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(exprs, st.lists(attribute_dicts, min_size=1, max_size=4))
def test_compiled_evaluation_matches_the_reference(expr, dicts):
    assume(nesting(expr) <= MAX_NESTING)
    text = to_text(expr)
    assume(len(text) <= MAX_LENGTH)
    compiled = compile_expr(expr)
    reparsed = compile_condition(text)
    for attrs in dicts:
        expected = reference_eval(expr, attrs)
        assert compiled.evaluate(attrs) is expected
        assert reparsed.evaluate(attrs) is expected
        lines = reparsed.explain(attrs)
        assert lines and all(isinstance(line, str) and line for line in lines)


TOKENS = [
    "(", ")", "[", "]", ",", " ", "and", "or", "not", "in", "startswith", "true", "false",
    "==", "!=", "<", "<=", ">", ">=", "=", "!", "'", '"', "\\", "1", "0.5", "-", ".",
    "'C26'", "energy_tce", "flood_zone", "industry_code", "land_source", "'transfer'", "foo",
    "≥", "（", "\u3000",
]  # fmt: skip


def assert_only_condition_errors(text):
    try:
        cond = compile_condition(text)
    except ConditionError as exc:
        assert 0 <= exc.position <= len(text)
        assert exc.message
        assert str(exc).startswith(f"第 {exc.position + 1} 个字符处：")
        return
    # Whatever compiles has a canonical form that compiles to the same AST.
    assert compile_condition(cond.text).expr == cond.expr
    cond.evaluate({})
    cond.explain({})


@settings(max_examples=500)
@given(st.text(max_size=80))
def test_garbage_text_raises_only_condition_errors(text):
    assert_only_condition_errors(text)


@settings(max_examples=1000)
@given(st.lists(st.sampled_from(TOKENS), max_size=25).map(" ".join))
def test_garbage_tokens_raise_only_condition_errors(text):
    assert_only_condition_errors(text)


@settings(max_examples=300)
@given(st.lists(st.sampled_from(TOKENS), max_size=25).map("".join))
def test_glued_garbage_tokens_raise_only_condition_errors(text):
    assert_only_condition_errors(text)


def test_typical_catalog_conditions_compile():
    typical = [
        "investment_type == 'government'",
        "investment_type == 'enterprise_approval'",
        "energy_tce >= 1000 or electricity_wan_kwh >= 500",
        "forest_land_ha > 0 and not forest_land_temporary",
        "forest_land_ha >= 10",
        "land_area_ha >= 0.5 or earthwork_m3 >= 1000",
        "land_area_ha >= 5 or earthwork_m3 >= 50000",
        "total_investment_wan >= 100 or building_area_m2 >= 500",
        "eia_category in ['report_book', 'report_form']",
        "grassland_ha > 0 and basic_grassland",
        "new_construction_land and land_source in ['transfer', 'allocation']",
        "industry_code startswith ['D44', 'D45'] or energy_project",
    ]
    for text in typical:
        assert compile_condition(text).text == text
