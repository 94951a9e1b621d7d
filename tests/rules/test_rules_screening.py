"""The screening core: matching, rules, explanation, and its laws (hypothesis)."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bangban.rules import screening as s


def entry(key, policy_class, *, codes=(), keywords=(), layer=s.NATIONAL, **extra):
    defaults = {
        "text": f"条目{key}",
        "section": "测试",
        "source": f"测试文件第{key}条",
        "source_date": dt.date(2024, 2, 1),
    }
    return s.Entry(
        key=key,
        layer=layer,
        policy_class=policy_class,
        industry_codes=tuple(codes),
        keywords=tuple(keywords),
        **{**defaults, **extra},
    )


def facts(code="C2614", name="测试项目", *, new=True, **extra):
    return s.ProjectFacts(industry_code=code, name=name, is_new_capacity=new, **extra)


# --- matching ------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["C", "C26", "C261", "C2614", " c2614 "])
def test_a_code_matches_its_section_division_group_and_class(prefix):
    assert s.entry_hit(entry("a", s.ELIMINATE, codes=[prefix]), facts("C2614")).by_code


@pytest.mark.parametrize("prefix", ["C2613", "C27", "D", "C26141"])
def test_a_code_does_not_match_other_codes(prefix):
    assert s.entry_hit(entry("a", s.ELIMINATE, codes=[prefix]), facts("C2614")) is None


def test_keywords_are_compared_after_nfkc_without_blanks():
    compressor = entry("a", s.ELIMINATE, keywords=["3W-0.9/7"])
    hit = s.entry_hit(compressor, facts("C3442", "年产 ３Ｗ－０.９ / ７ 空压机"))
    assert hit is not None and not hit.by_code and "3W-0.9/7" in hit.because
    assert s.entry_hit(compressor, facts("C3442", "螺杆空压机")) is None


def test_the_description_is_searched_too():
    boiler = entry("a", s.ELIMINATE, keywords=["固定炉排"])
    assert s.entry_hit(boiler, s.ProjectFacts("D4430", "供热项目", "采用固定炉排锅炉"))


def test_applies_to_and_conditions():
    only_new = entry("a", s.RESTRICT, codes=["C26"], applies_to=s.NEW)
    only_existing = entry("b", s.RESTRICT, codes=["C26"], applies_to=s.EXISTING)
    outside = entry("c", s.PROHIBIT, codes=["C26"], condition=s.OUTSIDE_PARK)
    below = entry("d", s.RESTRICT, codes=["C"], condition=s.BELOW_BENCHMARK)
    assert s.entry_hit(only_new, facts(new=True)) and not s.entry_hit(only_new, facts(new=False))
    assert s.entry_hit(only_existing, facts(new=False))
    assert not s.entry_hit(only_existing, facts(new=True))
    assert not s.entry_hit(outside, facts(in_industrial_park=True))
    assert "园区外" in s.entry_hit(outside, facts(in_industrial_park=False)).because
    assert not s.entry_hit(below, facts())
    assert "标杆" in s.entry_hit(below, facts(below_energy_benchmark=True)).because


# --- rules ---------------------------------------------------------------------------------


def test_nothing_matched_is_eligible_allowed_class():
    result = s.screen(facts(), [entry("a", s.ELIMINATE, codes=["C31"])])
    assert result.outcome == s.ELIGIBLE and result.matches == ()
    assert "允许类" in result.lines[0]


def test_an_eliminated_entry_refuses_and_the_answer_names_it():
    result = s.screen(facts("C3140"), [entry("x1", s.ELIMINATE, codes=["C3140"], text="小电炉")])
    assert result.outcome == s.REFUSED
    assert result.lines[0].startswith("核实结论：不予办理")
    line = result.lines[1]
    for part in ("国家产业政策", "淘汰类", "“小电炉”", "测试文件第x1条", "2024年2月1日", "C3140"):
        assert part in line
    assert "淘汰类项目禁止投资" in line


def test_restricted_new_capacity_is_refused_and_existing_awaits_a_decision():
    restricted = [entry("r", s.RESTRICT, codes=["C2614"])]
    new = s.screen(facts(new=True), restricted)
    assert new.outcome == s.REFUSED and "2024年本目录禁止新建限制类产能" in new.lines[1]
    upgrade = s.screen(facts(new=False), restricted)
    assert upgrade.outcome == s.AWAITING_DECISION
    assert "发展改革部门" in upgrade.lines[0] and "改造升级" in upgrade.lines[1]


def test_encouraged_is_priority_unless_something_negative_matches():
    good = entry("g", s.ENCOURAGE, codes=["C26"])
    assert s.screen(facts(), [good]).outcome == s.PRIORITY
    restricted = entry("r", s.RESTRICT, codes=["C2614"])
    assert s.screen(facts(new=False), [good, restricted]).outcome == s.AWAITING_DECISION


def test_the_most_severe_wins_and_every_match_is_listed_most_severe_first():
    entries = [
        entry("g", s.ENCOURAGE, codes=["C"]),
        entry("r", s.RESTRICT, codes=["C26"]),
        entry("p", s.PROHIBIT, codes=["C2614"], layer=s.REGIONAL),
        entry("e", s.ELIMINATE, keywords=["测试"]),
    ]
    result = s.screen(facts(), entries)
    assert result.outcome == s.REFUSED
    assert [m.entry.key for m in result.matches] == ["e", "p", "r", "g"]
    assert [m.entry.key for m in result.decisive] == ["e", "p", "r"]
    assert "【地方规定·禁止类】" in result.lines[2]
    assert len(result.lines) == 5


def test_a_new_industrial_project_below_the_benchmark_is_restricted_by_the_built_in_rule():
    result = s.screen(facts("C2614", below_energy_benchmark=True), [])
    assert result.outcome == s.REFUSED
    assert result.matches[0].entry is s.ENERGY_BENCHMARK_RULE
    assert "标杆水平" in result.lines[1] and "限制类" in result.lines[1]
    # Not for an upgrade, not outside manufacturing, not above the benchmark.
    assert s.screen(facts(new=False, below_energy_benchmark=True), []).outcome == s.ELIGIBLE
    assert s.screen(facts("D4411", below_energy_benchmark=True), []).outcome == s.ELIGIBLE
    assert s.screen(facts("C2614"), []).outcome == s.ELIGIBLE


def test_a_benchmark_entry_in_the_data_replaces_the_built_in_rule():
    data_rule = entry(
        "bench", s.RESTRICT, codes=["C"], applies_to=s.NEW, condition=s.BELOW_BENCHMARK
    )
    result = s.screen(facts(below_energy_benchmark=True), [data_rule])
    assert [m.entry.key for m in result.matches] == ["bench"]


# --- setting a match aside -----------------------------------------------------------------


def test_a_qualified_match_can_be_set_aside_with_a_reason():
    small = entry("small", s.RESTRICT, codes=["B0610"], qualifier="单井井型低于120万吨/年")
    declared = facts("B0610", not_applicable={"small": "设计规模500万吨/年"})
    result = s.screen(declared, [small])
    assert result.outcome == s.ELIGIBLE
    assert result.matches[0].effect == s.NOT_APPLICABLE
    assert "不适用" in result.lines[1] and "设计规模500万吨/年" in result.lines[1]


def test_a_keyword_match_can_be_set_aside_but_a_plain_code_match_cannot():
    boiler = entry("boiler", s.ELIMINATE, keywords=["燃煤锅炉"])
    project = facts("D4430", "燃煤锅炉拆除改电锅炉项目", not_applicable={"boiler": "拆除"})
    assert s.screen(project, [boiler]).outcome == s.ELIGIBLE
    ban = entry("ban", s.PROHIBIT, codes=["C3140"], layer=s.REGIONAL)
    with pytest.raises(s.ScreeningError, match="由行业代码命中且没有适用条件"):
        s.screen(facts("C3140", not_applicable={"ban": "规模大"}), [ban])


@pytest.mark.parametrize(
    ("declared", "message"),
    [
        ({"nope": "理由"}, "不存在或已停用"),
        ({"small": "  "}, "须写明理由"),
        ({"other": "理由"}, "未命中本项目"),
    ],
)
def test_bad_declarations_are_refused(declared, message):
    entries = [
        entry("small", s.RESTRICT, codes=["C2614"], qualifier="规模小"),
        entry("other", s.RESTRICT, codes=["C31"], qualifier="规模小"),
    ]
    with pytest.raises(s.ScreeningError, match=message):
        s.screen(facts(not_applicable=declared), entries)


def test_a_project_without_an_industry_code_cannot_be_screened():
    with pytest.raises(s.ScreeningError, match="国民经济行业代码"):
        s.screen(facts(""), [])


# --- laws ----------------------------------------------------------------------------------

PROJECT_CODES = ["C2614", "C3140", "C3011", "D4415", "D4411", "B0610", "I6450"]
ENTRY_CODES = ["C", "C26", "C261", "C2614", "C31", "C3140", "C3011", "D44", "D4415", "B06"]
KEYWORDS = ["电石", "铁合金", "储能", "熟料", "锅炉"]
NAMES = ["年产电石项目", "铁合金技改", "储能电站", "熟料生产线", "锅炉房", "综合楼"]

facts_strategy = st.builds(
    s.ProjectFacts,
    industry_code=st.sampled_from(PROJECT_CODES),
    name=st.sampled_from(NAMES),
    description=st.sampled_from(["", "配套燃煤锅炉", "建设储能设施"]),
    is_new_capacity=st.booleans(),
    below_energy_benchmark=st.booleans(),
    in_industrial_park=st.booleans(),
)


@st.composite
def entries_strategy(draw, classes=tuple(s.CLASSES)):
    policy_class = draw(st.sampled_from(classes))
    layer = s.REGIONAL if policy_class == s.PROHIBIT else draw(st.sampled_from(list(s.LAYERS)))
    return s.Entry(
        key=draw(st.text(alphabet="abcdefgh", min_size=1, max_size=4)),
        layer=layer,
        policy_class=policy_class,
        text="条目",
        industry_codes=tuple(draw(st.lists(st.sampled_from(ENTRY_CODES), max_size=2))),
        keywords=tuple(draw(st.lists(st.sampled_from(KEYWORDS), max_size=2))),
        applies_to=draw(st.sampled_from(list(s.APPLIES_TO))),
        condition=draw(st.sampled_from(list(s.CONDITIONS))),
    )


def unique(entries):
    return list({e.key: e for e in entries}.values())


def rank(result):
    return s.OUTCOME_RANK[result.outcome]


@settings(max_examples=300, deadline=None)
@given(
    facts_strategy,
    st.lists(entries_strategy(), max_size=6),
    entries_strategy(classes=(s.RESTRICT, s.ELIMINATE, s.PROHIBIT)),
)
def test_adding_a_negative_entry_never_improves_the_outcome(project, entries, added):
    entries = [e for e in unique(entries) if e.key != added.key]
    assert rank(s.screen(project, [*entries, added])) >= rank(s.screen(project, entries))


@settings(max_examples=300, deadline=None)
@given(
    facts_strategy,
    st.lists(entries_strategy(), max_size=6),
    entries_strategy(classes=(s.ENCOURAGE,)),
)
def test_adding_an_encouraged_entry_never_worsens_the_outcome(project, entries, added):
    entries = [e for e in unique(entries) if e.key != added.key]
    assert rank(s.screen(project, [*entries, added])) <= rank(s.screen(project, entries))


@settings(max_examples=300, deadline=None)
@given(facts_strategy, st.lists(entries_strategy(), max_size=6))
def test_a_matching_eliminated_entry_always_refuses(project, entries):
    eliminated = s.Entry(
        "zz-eliminated",
        s.NATIONAL,
        s.ELIMINATE,
        "淘汰条目",
        industry_codes=(project.industry_code,),
    )
    result = s.screen(project, [*unique(entries), eliminated])
    assert result.outcome == s.REFUSED
    assert any(m.entry.key == "zz-eliminated" for m in result.decisive)


@settings(max_examples=200, deadline=None)
@given(facts_strategy, st.lists(entries_strategy(), max_size=6), st.randoms())
def test_the_order_of_entries_does_not_matter_and_every_match_is_explained(
    project, entries, random
):
    entries = unique(entries)
    result = s.screen(project, entries)
    shuffled = list(entries)
    random.shuffle(shuffled)
    again = s.screen(project, shuffled)
    assert again.outcome == result.outcome and again.matches == result.matches
    assert len(result.lines) == 1 + len(result.matches)
    for line, match in zip(result.lines[1:], result.matches, strict=True):
        assert match.entry.text.rstrip("。") in line and match.entry.source in line
