"""Screening projects against the seeded catalog, and the 发改 decision; each failing call
checks that nothing was written."""

import pytest
from django.core.exceptions import ValidationError

from bangban.accounts.models import Role
from bangban.eligibility.models import EligibilityCheck, EligibilityMatch, PolicyEntry
from bangban.eligibility.selectors import eligibility_checks_for, eligibility_latest_for
from bangban.eligibility.services import eligibility_decide, eligibility_screen

pytestmark = pytest.mark.django_db

Outcome = EligibilityCheck.Outcome


def snapshot():
    return (
        list(EligibilityCheck.objects.order_by("pk").values()),
        list(EligibilityMatch.objects.order_by("pk").values()),
    )


def keys(check, effect=None):
    matches = check.matches.order_by("position")
    if effect:
        matches = matches.filter(effect=effect)
    return [m.key for m in matches]


# --- the outcomes --------------------------------------------------------------------------


def test_an_eliminated_product_is_refused_naming_the_entry_and_its_source(make_project, agent):
    project = make_project("年产2000台3W-0.9/7空气压缩机生产线", "C3442")

    check = eligibility_screen(project=project, is_new_capacity=True, user=agent)

    assert check.outcome == Outcome.REFUSED and not check.may_proceed
    assert keys(check) == ["cn2024-eliminate-compressor-3w"]
    lines = check.explanation_lines()
    assert lines[0].startswith("核实结论：不予办理")
    for part in (
        "【国家产业政策·淘汰类】",
        "3W-0.9/7（环状阀）空气压缩机",
        "《产业结构调整指导目录（2024年本）》",
        "官方文本第135页",
        "淘汰类项目禁止投资",
    ):
        assert part in lines[1]
    assert check.checked_by == agent and check.industry_code == "C3442"
    assert list(check.matched_entries.values_list("key", flat=True)) == keys(check)


def test_a_new_restricted_project_is_refused(make_project, agent):
    project = make_project("年产3万立方米刨花板项目", "C2023")

    check = eligibility_screen(project=project, is_new_capacity=True, user=agent)

    assert check.outcome == Outcome.REFUSED
    assert keys(check) == ["cn2024-restrict-particleboard"]
    line = check.explanation_lines()[1]
    assert "单线5万立方米/年以下的普通刨花板" in line and "限制类" in line
    assert "2024年本目录禁止新建限制类产能" in line and "第2条" in line


def test_an_encouraged_project_is_priority(make_project, agent):
    project = make_project("鄂尔多斯200兆瓦风电场项目", "D4415")

    check = eligibility_screen(project=project, is_new_capacity=True, user=agent)

    assert check.outcome == Outcome.PRIORITY and check.may_proceed
    assert keys(check) == ["cn2024-encourage-wind-power"]
    assert "鼓励类" in check.explanation_lines()[0]


def test_an_ordinary_project_is_eligible(make_project, agent):
    project = make_project("城区商务酒店项目", "H6110")
    check = eligibility_screen(project=project, is_new_capacity=True, user=agent)
    assert check.outcome == Outcome.ELIGIBLE and check.may_proceed
    assert not check.needs_confirmation
    assert keys(check) == [] and "允许类" in check.explanation_lines()[0]


def test_an_ordinary_industrial_project_is_eligible_once_the_agent_confirms(make_project, agent):
    """The seed holds a fraction of the 2024 catalog: an industrial project that matches none
    of it waits for the agent's confirmation against the full text."""
    project = make_project("年产5万吨食品加工项目", "C1431")
    check = eligibility_screen(project=project, is_new_capacity=True, user=agent)
    assert check.outcome == Outcome.ELIGIBLE and check.needs_confirmation
    assert not check.may_proceed and check.outcome_label == "允许类，可以办理（待代办员确认）"


def test_the_regional_ferroalloy_ban_refuses_even_when_the_national_entries_do_not_apply(
    make_project, agent
):
    project = make_project("年产20万吨硅锰合金项目", "C3140", "建设4台33000千伏安矿热炉")
    large = "单台矿热炉33000千伏安，高于目录门槛"

    check = eligibility_screen(
        project=project,
        is_new_capacity=True,
        user=agent,
        not_applicable={
            "cn2024-restrict-ferroalloy-furnace": large,
            "cn2024-eliminate-small-ferroalloy-furnace": large,
        },
    )

    assert check.outcome == Outcome.REFUSED
    assert keys(check, "refuse") == ["nm-prohibit-ferroalloy"]
    assert set(keys(check, "not_applicable")) == {
        "cn2024-restrict-ferroalloy-furnace",
        "cn2024-eliminate-small-ferroalloy-furnace",
    }
    lines = check.explanation_lines()
    assert "【地方规定·禁止类】" in lines[1] and "不再审批铁合金新增产能项目" in lines[1]
    assert "关于进一步严格高耗能高污染项目布局的通知" in lines[1] and "2021年3月26日" in lines[1]
    assert any("不适用" in line and large in line for line in lines[2:])


def test_the_regional_carbide_ban_refuses_a_large_new_carbide_plant(make_project, agent):
    project = make_project("年产40万吨电石项目", "C2619", "建设4台40500千伏安密闭电石炉")

    check = eligibility_screen(
        project=project,
        is_new_capacity=True,
        user=agent,
        not_applicable={
            "cn2024-restrict-calcium-carbide": "以大型密闭电石炉等量替换已淘汰产能",
            "cn2024-eliminate-small-carbide-furnace": "单台炉容量40500千伏安，密闭炉",
        },
    )

    assert check.outcome == Outcome.REFUSED
    assert keys(check, "refuse") == ["nm-prohibit-calcium-carbide"]
    assert "不再审批电石新增产能项目" in check.explanation_lines()[1]


def test_heavy_chemicals_are_refused_outside_a_park_only(make_project, agent):
    project = make_project("年产20万吨有机化学原料项目", "C2614")

    outside = eligibility_screen(
        project=project, is_new_capacity=True, in_industrial_park=False, user=agent
    )
    assert outside.outcome == Outcome.REFUSED
    assert keys(outside) == ["nm-prohibit-heavy-chemicals-outside-park"]
    line = outside.explanation_lines()[1]
    assert "新上重化工项目必须入园" in line and "项目位于工业园区外" in line

    inside = eligibility_screen(
        project=project, is_new_capacity=True, in_industrial_park=True, user=agent
    )
    assert inside.outcome == Outcome.ELIGIBLE
    # An upgrade that adds no capacity is not caught by the rule.
    upgrade = eligibility_screen(
        project=project, is_new_capacity=False, in_industrial_park=False, user=agent
    )
    assert upgrade.outcome == Outcome.ELIGIBLE


def test_a_new_industrial_project_below_the_benchmark_is_refused(make_project, agent):
    project = make_project("年产20万吨有机化学原料项目", "C2614")
    check = eligibility_screen(
        project=project, is_new_capacity=True, below_energy_benchmark=True, user=agent
    )
    assert check.outcome == Outcome.REFUSED
    assert keys(check) == [
        "nm-prohibit-two-high-below-benchmark",
        "cn2024-restrict-energy-benchmark",
    ]
    assert "参照限制类管理" in check.explanation_lines()[2]


def test_the_built_in_benchmark_rule_applies_when_the_entry_is_deactivated(make_project, agent):
    PolicyEntry.objects.filter(key="cn2024-restrict-energy-benchmark").update(is_active=False)
    project = make_project("年产5万吨食品加工项目", "C1431")
    check = eligibility_screen(
        project=project, is_new_capacity=True, below_energy_benchmark=True, user=agent
    )
    assert check.outcome == Outcome.REFUSED
    match = check.matches.get()
    assert match.entry is None and match.key == "builtin-energy-benchmark"
    assert "标杆水平" in match.text


# --- upgrades of existing restricted capacity and the 发改 decision ----------------------------


@pytest.fixture
def awaiting(make_project, agent):
    project = make_project("刨花板生产线节能技术改造项目", "C2023")
    check = eligibility_screen(project=project, is_new_capacity=False, user=agent)
    assert check.outcome == Outcome.AWAITING_DECISION and not check.may_proceed
    assert "待发展改革部门决定" in check.explanation_lines()[0]
    return check


def test_the_development_department_approves_with_conditions(awaiting, development_officer):
    check = eligibility_decide(
        check=awaiting,
        approve=True,
        reason="改造后能耗下降15%",
        conditions="不得新增产能；2026年底前完成改造",
        user=development_officer,
    )
    check.refresh_from_db()
    assert check.outcome == Outcome.APPROVED_WITH_CONDITIONS and check.may_proceed
    assert check.decided_by == development_officer and check.decided_at is not None
    last = check.explanation_lines()[-1]
    assert "东胜区发展和改革委员会" in last and "同意继续办理" in last
    assert "不得新增产能；2026年底前完成改造" in last


def test_a_centre_admin_may_refuse_with_a_reason(awaiting, make_user):
    admin = make_user(Role.CENTRE_ADMIN, "dongsheng-bbdb")
    check = eligibility_decide(
        check=awaiting, approve=False, reason="不符合园区产业规划", user=admin
    )
    assert check.outcome == Outcome.REFUSED_BY_DECISION and not check.may_proceed
    assert "不同意继续办理" in check.explanation_lines()[-1]
    assert "不符合园区产业规划" in check.explanation_lines()[-1]


@pytest.mark.parametrize(
    ("role", "department", "region"),
    [
        (Role.AGENT, "dongsheng-bbdb", None),
        (Role.DEPT_OFFICER, "dongsheng-gxj", None),  # 工业和信息化局
        (Role.DEPT_HELPER, "dongsheng-fgw", None),  # a helper, not an officer
        (Role.DEPT_OFFICER, "baotou-hitech-jjfz", None),  # another region's 经济发展局
        (Role.CENTRE_ADMIN, "dongsheng-bbdb", "ordos-hitech"),  # another zone
    ],
)
def test_only_development_officers_and_centre_admins_of_the_region_may_decide(
    awaiting, make_user, role, department, region
):
    from bangban.organization.models import Region

    user = make_user(role, department, region=Region.objects.get(key=region) if region else None)
    before = snapshot()
    with pytest.raises(ValidationError, match="发展改革部门的审批人员或中心管理员"):
        eligibility_decide(check=awaiting, approve=True, reason="", user=user)
    assert snapshot() == before


def test_the_deciding_department_is_found_by_its_function_not_its_name(awaiting, make_user):
    from bangban.organization.models import Department, Region

    dongsheng = Region.objects.get(key="150602")
    sounds_right = Department.objects.create(
        key="test-jjfz-centre",
        name="东胜区经济发展服务中心",  # holds 发展, but is not the development & reform dept
        region=dongsheng,
        function=Department.Function.OTHER,
    )
    officer = make_user(Role.DEPT_OFFICER, sounds_right.key)
    before = snapshot()
    with pytest.raises(ValidationError, match="发展改革部门的审批人员或中心管理员"):
        eligibility_decide(check=awaiting, approve=True, reason="", user=officer)
    assert snapshot() == before

    renamed = Department.objects.create(
        key="test-renamed-fgw",
        name="东胜区项目审批服务局",
        region=dongsheng,
        function=Department.Function.DEVELOPMENT_REFORM,
    )
    officer = make_user(Role.DEPT_OFFICER, renamed.key)
    check = eligibility_decide(check=awaiting, approve=True, reason="", user=officer)
    assert check.outcome == Outcome.APPROVED_WITH_CONDITIONS


def test_a_refusal_needs_a_reason_and_takes_no_conditions(awaiting, development_officer):
    before = snapshot()
    with pytest.raises(ValidationError, match="须写明理由"):
        eligibility_decide(check=awaiting, approve=False, reason="  ", user=development_officer)
    with pytest.raises(ValidationError, match="无需填写办理条件"):
        eligibility_decide(
            check=awaiting, approve=False, reason="不符合", conditions="x", user=development_officer
        )
    assert snapshot() == before


def test_only_a_check_awaiting_a_decision_can_be_decided(
    awaiting, make_project, agent, development_officer
):
    eligibility_decide(check=awaiting, approve=True, reason="", user=development_officer)
    before = snapshot()
    with pytest.raises(ValidationError, match="只有“待发展改革部门决定”"):
        eligibility_decide(check=awaiting, approve=False, reason="改主意", user=development_officer)
    eligible = eligibility_screen(
        project=make_project("综合楼", "K7010"), is_new_capacity=True, user=agent
    )
    before = snapshot()
    with pytest.raises(ValidationError, match="只有“待发展改革部门决定”"):
        eligibility_decide(check=eligible, approve=True, reason="", user=development_officer)
    assert snapshot() == before


def test_a_superseded_check_cannot_be_decided(awaiting, agent, development_officer):
    newer = eligibility_screen(project=awaiting.project, is_new_capacity=False, user=agent)
    before = snapshot()
    with pytest.raises(ValidationError, match="更新的核实取代"):
        eligibility_decide(check=awaiting, approve=True, reason="", user=development_officer)
    assert snapshot() == before
    assert eligibility_decide(check=newer, approve=True, reason="", user=development_officer)


# --- failures write nothing; history keeps its words ---------------------------------------


def test_failing_screenings_write_nothing(make_project, agent):
    no_code = make_project("待定项目", "")
    coal = make_project("年产500万吨煤矿项目", "B0610")
    before = snapshot()
    with pytest.raises(ValidationError, match="国民经济行业代码"):
        eligibility_screen(project=no_code, is_new_capacity=True, user=agent)
    with pytest.raises(ValidationError, match="须写明理由"):
        eligibility_screen(
            project=coal,
            is_new_capacity=True,
            user=agent,
            not_applicable={"cn2024-restrict-coal-mine-scale": ""},
        )
    with pytest.raises(ValidationError, match="不存在或已停用"):
        eligibility_screen(
            project=coal, is_new_capacity=True, user=agent, not_applicable={"nope": "x"}
        )
    assert snapshot() == before


def test_a_coal_mine_above_the_threshold_is_eligible_once_the_agent_says_so(make_project, agent):
    coal = make_project("年产500万吨煤矿项目", "B0610")
    first = eligibility_screen(project=coal, is_new_capacity=True, user=agent)
    assert first.outcome == Outcome.REFUSED
    assert set(keys(first)) == {
        "cn2024-restrict-coal-mine-scale",
        "cn2024-restrict-coal-no-master-plan",
        "nm-prohibit-grassland-redline-mining",
    }
    second = eligibility_screen(
        project=coal,
        is_new_capacity=True,
        user=agent,
        not_applicable={
            "cn2024-restrict-coal-mine-scale": "单井设计规模500万吨/年",
            "cn2024-restrict-coal-no-master-plan": "矿区总体规划已经国家发展改革委批复",
            "nm-prohibit-grassland-redline-mining": "经自然资源部门核实不在草原生态保护红线内",
        },
    )
    assert second.outcome == Outcome.ELIGIBLE
    assert eligibility_latest_for(coal) == second
    assert list(eligibility_checks_for(coal)) == [second, first]


def test_a_later_edit_of_an_entry_does_not_change_a_past_answer(make_project, agent):
    project = make_project("年产2000台3W-0.9/7空气压缩机生产线", "C3442")
    check = eligibility_screen(project=project, is_new_capacity=True, user=agent)
    lines = check.explanation_lines()
    PolicyEntry.objects.filter(key="cn2024-eliminate-compressor-3w").update(text="改过的文字")
    check = EligibilityCheck.objects.get(pk=check.pk)
    assert check.explanation_lines() == lines
    assert check.matches.get().text == "3W-0.9/7（环状阀）空气压缩机"


def test_the_latest_check_is_none_before_any_screening(make_project):
    assert eligibility_latest_for(make_project("新项目", "C1431")) is None


def test_the_latest_check_costs_two_queries(make_project, agent, django_assert_num_queries):
    project = make_project("年产3万立方米刨花板项目", "C2023")
    eligibility_screen(project=project, is_new_capacity=True, user=agent)
    with django_assert_num_queries(2):
        check = eligibility_latest_for(project)
        [m.text for m in check.matches.all()]
