"""Until the loaded list is complete, a screening answer says what it compared, and an
"allowed" answer for an industrial project waits for the agent's confirmation; the entries
added from the reference match the projects they should, and only those."""

import datetime as dt
import io
import re

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from bangban.eligibility.models import EligibilityCheck, PolicyVersion
from bangban.eligibility.services import (
    eligibility_confirm,
    eligibility_screen,
    policy_version_import,
)
from bangban.organization.models import Region
from bangban.projects import services
from bangban.projects.actions import commission_allowed_actions
from bangban.rules import screening
from tests.projects.factories import AgentFactory, CommissionFactory, ProjectFactory

pytestmark = pytest.mark.django_db

SOURCE = "《产业结构调整指导目录（2024年本）》"


def small_catalog(totals=None):
    """Two rows of one restricted entry (same number), one eliminated, one regional."""
    book = Workbook()
    sheet = book.active
    sheet.title = "条目"
    sheet.append(["层级", "类别", "目录条目编号", "条目内容", "关键词", "来源"])
    sheet.append(["国家产业政策", "限制类", "十一、3", "新建纯碱装置", "纯碱", "目录"])
    sheet.append(["国家产业政策", "限制类", "十一、3", "新建烧碱装置", "烧碱", "目录"])
    sheet.append(["国家产业政策", "淘汰类", "", "开放式电石炉", "开放式电石炉", "目录"])
    sheet.append(["地方规定", "禁止类", "", "不再审批铁合金新增产能", "铁合金", "通知"])
    out = io.BytesIO()
    book.save(out)
    return policy_version_import(
        content=out.getvalue(),
        file_name="small.xlsx",
        source=SOURCE,
        source_date=dt.date(2024, 2, 1),
        totals=totals,
    )


# --- coverage in the answer ------------------------------------------------------------------


def test_an_answer_against_a_partial_list_says_what_it_compared(make_project, agent):
    small_catalog()
    project = make_project("城区商务酒店项目", "H6110")

    check = eligibility_screen(project=project, is_new_capacity=True, user=agent)

    # worked out by hand: 纯碱/烧碱 are one official entry; the regional row is apart
    assert check.explanation_lines()[-1] == (
        "本次比对了鼓励类 0/352 条、限制类 1/231 条、淘汰类 1/422 条"
        "（《产业结构调整指导目录（2024年本）》），另有地方规定 1 条；目录尚未完整导入。"
    )
    assert check.explanation_lines()[0].startswith("核实结论：未命中已导入的")
    assert check.coverage["held"] == {"restrict": 1, "eliminate": 1}
    assert check.coverage["complete"] is False and not check.needs_confirmation
    assert check.may_proceed  # not industrial: no confirmation needed


def test_a_refusal_against_a_partial_list_says_so_too(make_project, agent):
    small_catalog()
    project = make_project("新建年产60万吨纯碱项目", "C2612")
    check = eligibility_screen(project=project, is_new_capacity=True, user=agent)
    assert check.outcome == "refused" and "目录尚未完整导入" in check.explanation_lines()[-1]


def test_the_seed_answer_names_its_coverage(make_project, agent):
    check = eligibility_screen(
        project=make_project("城区商务酒店项目", "H6110"), is_new_capacity=True, user=agent
    )
    last = check.explanation_lines()[-1]
    assert re.fullmatch(
        r"本次比对了鼓励类 \d+/352 条、限制类 \d+/231 条、淘汰类 \d+/422 条"
        r"（《产业结构调整指导目录（2024年本）》），另有地方规定 \d+ 条；目录尚未完整导入。",
        last,
    ), last


def test_a_complete_list_answers_without_coverage_or_confirmation(make_project, agent):
    small_catalog(totals={"encourage": 0, "restrict": 1, "eliminate": 1})
    check = eligibility_screen(
        project=make_project("年产5万吨食品加工项目", "C1431"), is_new_capacity=True, user=agent
    )
    assert check.outcome == "eligible" and not check.needs_confirmation and check.may_proceed
    assert check.explanation_lines() == [screening.MESSAGES["headline_eligible"]]


@pytest.mark.parametrize(
    ("code", "industrial"),
    [
        ("B0610", True),  # 采矿业
        ("C1431", True),  # 制造业
        ("D4411", True),  # 电力生产
        ("E4710", False),  # 建筑业: 第二产业 but not 工业
        ("H6110", False),
        ("I6510", False),
    ],
)
def test_which_allowed_answers_need_the_agents_confirmation(code, industrial):
    partial = screening.Coverage(source="目录", held={"restrict": 1}, totals={"restrict": 231})
    complete = screening.Coverage(source="目录", held={"restrict": 231}, totals={"restrict": 231})
    facts = screening.ProjectFacts(industry_code=code, name="某项目")
    assert screening.screen(facts, [], partial).needs_confirmation is industrial
    assert screening.screen(facts, [], complete).needs_confirmation is False
    assert screening.screen(facts, [], None).needs_confirmation is False


# --- the confirmation ------------------------------------------------------------------------


def industrial_commission():
    agent = AgentFactory()
    project = ProjectFactory(
        name="年产5万吨食品加工项目",
        industry_code="C1431",
        region=Region.objects.get(key="150602"),
        enterprise__region=Region.objects.get(key="150602"),
    )
    return CommissionFactory(project=project, agent=agent), agent


def test_an_allowed_industrial_project_waits_for_the_agents_confirmation():
    commission, agent = industrial_commission()

    services.commission_verify(commission=commission, actor=agent, is_new_capacity=True)

    assert commission.state == "applied" and not commission.awaiting_decision
    assert commission.transitions.last().action == "await_confirmation"
    check = commission.eligibility_check
    assert check.outcome == "eligible" and check.awaiting_confirmation and not check.may_proceed
    assert "须由代办员对照完整目录确认" in check.explanation_lines()[0]
    allowed = commission_allowed_actions(agent, commission)
    assert "confirm-eligibility" in allowed and "agree" not in allowed


def test_the_confirmation_is_recorded_and_the_commission_goes_on(client):
    commission, agent = industrial_commission()
    services.commission_verify(commission=commission, actor=agent, is_new_capacity=True)
    version = commission.version

    with pytest.raises(ValidationError, match="请写明核对依据"):
        services.commission_confirm_eligibility(
            commission=commission, actor=agent, note=" ", expected_version=version
        )
    check = EligibilityCheck.objects.get(pk=commission.eligibility_check_id)
    assert check.confirmed_at is None and commission.transitions.count() == 1

    client.force_login(agent)
    page = client.get(f"/commissions/{commission.pk}/").content.decode()
    assert "确认并继续办理" in page and "目录尚未完整导入" in page
    response = client.post(
        f"/commissions/{commission.pk}/confirm-eligibility/",
        {"version": version, "ce-note": "已对照2024年本官方文本鼓励类、限制类、淘汰类全文"},
    )
    assert response.status_code == 302

    commission.refresh_from_db()
    check.refresh_from_db()
    assert commission.state == "verified" and commission.verified_at is not None
    assert commission.transitions.last().action == "confirm_eligible"
    assert check.confirmed_by == agent and check.confirmed_at is not None
    assert check.confirmation_note == "已对照2024年本官方文本鼓励类、限制类、淘汰类全文"
    assert check.may_proceed and not check.awaiting_confirmation
    assert check.explanation_lines()[-1].startswith("代办员确认（")
    with pytest.raises(ValidationError, match="只有“允许类（待代办员确认）”"):
        eligibility_confirm(check=check, note="再确认一次", user=agent)


def test_a_development_officer_cannot_confirm(make_user, make_project):
    from bangban.accounts.models import Role

    officer = make_user(Role.DEPT_OFFICER, "dongsheng-fgw")
    check = eligibility_screen(
        project=make_project("年产5万吨食品加工项目", "C1431"), is_new_capacity=True, user=None
    )
    with pytest.raises(ValidationError, match="只有代办帮办员或中心管理员"):
        eligibility_confirm(check=check, note="核对过", user=officer)
    check.refresh_from_db()
    assert check.confirmed_at is None


# --- the entries added from the reference ----------------------------------------------------


def screen_in(region_key, name, code, agent, **kwargs):
    region = Region.objects.get(key=region_key)
    project = ProjectFactory(
        name=name, industry_code=code, region=region, enterprise__region=region
    )
    check = eligibility_screen(project=project, is_new_capacity=True, user=agent, **kwargs)
    return {m.key for m in check.matches.all()}


def test_a_coal_mine_matches_the_master_plan_entry_and_an_iron_mine_does_not(agent):
    assert "cn2024-restrict-coal-no-master-plan" in screen_in(
        "150602", "年产300万吨煤矿项目", "B0610", agent
    )
    assert "cn2024-restrict-coal-no-master-plan" not in screen_in(
        "150602", "年产100万吨铁矿采选项目", "B0810", agent
    )


def test_ironmaking_and_steelmaking_match_the_small_furnace_entry_rolling_does_not(agent):
    key = "cn2024-restrict-small-furnaces"
    assert key in screen_in("150602", "新建450立方米高炉项目", "C3110", agent)
    assert key in screen_in("150602", "新建60吨转炉项目", "C3120", agent)
    assert key not in screen_in("150602", "年产30万吨冷轧薄板项目", "C3130", agent)


def test_the_shannan_ban_applies_in_baotou_only(agent):
    key = "nm-prohibit-baotou-shannan-two-high"
    assert key in screen_in("150203", "年产10万吨合成氨项目", "C2619", agent)  # 昆都仑区
    assert key not in screen_in("150602", "年产10万吨合成氨项目", "C2619", agent)  # 东胜区
    assert key not in screen_in("150203", "年产5万吨食品加工项目", "C1431", agent)  # not 两高


def test_new_coke_capacity_in_ordos_needs_equal_replacement_not_in_baotou(agent):
    key = "nm-prohibit-coke-without-equal-replacement"
    assert key in screen_in("150602", "年产100万吨焦化项目", "C2521", agent)  # 鄂尔多斯
    assert key not in screen_in("150203", "年产100万吨焦化项目", "C2521", agent)  # 包头
    # an upgrade of existing capacity adds none: the entry is for new capacity only
    region = Region.objects.get(key="150602")
    project = ProjectFactory(
        name="焦化装置改造项目", industry_code="C2521", region=region, enterprise__region=region
    )
    check = eligibility_screen(project=project, is_new_capacity=False, user=agent)
    assert key not in {m.key for m in check.matches.all()}


def test_the_new_entries_carry_their_source_and_date():
    keys = [
        "cn2024-restrict-coal-no-master-plan",
        "cn2024-restrict-small-furnaces",
        "nm-prohibit-baotou-shannan-two-high",
        "nm-prohibit-coke-without-equal-replacement",
    ]
    version = PolicyVersion.objects.get(is_current=True)
    for entry in version.entries.filter(key__in=keys):
        assert entry.source and entry.source_date and entry.note, entry.key
    assert version.entries.filter(key__in=keys).count() == 4
