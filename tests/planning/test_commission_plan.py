"""The plan of a commission: generated at agreement, adjusted by its agent, fixed as cases,
re-planned from actual dates (SPEC §2 step 4, §5).

Dates are those of the hand-worked factory of test_plan_compute (2026 calendar: 中秋 09-25 off,
国庆 10-01..07 off, Sat 10-10 worked)."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from bangban.cases.models import Case
from bangban.cases.services import case_transition
from bangban.planning import services
from bangban.planning.compute import plan_outcome_for
from bangban.planning.models import Plan, PlanAdjustment
from bangban.projects import services as commission_services
from bangban.projects.exceptions import ActionForbidden, StaleVersionError
from bangban.projects.models import Commission
from tests.projects.factories import (
    AdminFactory,
    AgentFactory,
    CommissionFactory,
    DongshengProjectFactory,
    EnterpriseUserFactory,
)

from .test_plan_compute import FACTORY, FACTORY_ITEMS, FACTORY_PATH

pytestmark = pytest.mark.django_db

D = dt.date
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
AGREED_AT = dt.datetime(2026, 9, 21, 9, 30, tzinfo=SHANGHAI)


def agreed_commission(**commission):
    agent = AgentFactory()
    project = DongshengProjectFactory(**FACTORY)
    made = CommissionFactory(
        project=project, state="agreed", agent=agent, agreed_at=AGREED_AT, **commission
    )
    plan = services.plan_create(commission=made)
    return made, agent, plan


def fixed_commission():
    commission, agent, _ = agreed_commission()
    services.plan_fix(commission=commission, actor=agent, expected_version=commission.version)
    return commission, agent


def snapshot(commission):
    plan = Plan.objects.get(commission=commission)
    return (
        Commission.objects.get(pk=commission.pk).version,
        plan.state,
        plan.total_working_days,
        list(plan.adjustments.values_list("kind", "code", "active")),
        list(Case.objects.filter(commission=commission).values_list("code", "planned_due")),
    )


def test_agreeing_generates_the_draft_plan_from_the_day_of_agreement(on_commit):
    user = EnterpriseUserFactory()
    agent = AgentFactory()
    project = DongshengProjectFactory(enterprise=user.enterprise, **FACTORY)
    commission = CommissionFactory(project=project, state="verified", agent=agent)
    with on_commit():
        commission_services.commission_confirm_authorization(commission=commission, user=user)
        commission_services.commission_confirm_commitment(commission=commission, user=user)
    plan = Plan.objects.get(commission=commission)
    assert commission.state == "agreed" and plan.state == Plan.State.DRAFT
    assert plan.start_date == commission.agreed_at.astimezone(SHANGHAI).date()
    assert plan.attributes["forest_land_ha"] == 2
    assert plan.item_count == len(FACTORY_ITEMS)


def test_the_draft_follows_the_hand_worked_schedule():
    commission, agent, plan = agreed_commission()
    assert plan.start_date == D(2026, 9, 21)
    outcome = plan_outcome_for(plan)
    assert outcome.codes == FACTORY_ITEMS
    assert list(outcome.critical_path) == FACTORY_PATH
    assert (plan.total_working_days, plan.serial_working_days) == (191, 362)
    assert plan.critical_path == FACTORY_PATH
    assert outcome.item("DS14").planned_due == D(2026, 10, 9)


def test_the_agent_adds_and_removes_items_with_a_reason_and_the_schedule_recomputes():
    commission, agent, plan = agreed_commission()
    # Lightning protection: the attributes say no, the agent knows of a solvent store on site.
    services.plan_adjust(
        commission=commission,
        actor=agent,
        kind="add",
        code="ds53",
        reason="厂区设易燃溶剂仓库，须做防雷装置设计审核",
        expected_version=commission.version,
    )
    outcome = plan_outcome_for(Plan.objects.get(pk=plan.pk))
    assert "DS53" in outcome.codes
    assert outcome.item("DS53").reasons == ("代办员添加：厂区设易燃溶剂仓库，须做防雷装置设计审核",)
    # Removing DS20 (forest land review) takes it off the critical path: DS09 waits no more.
    services.plan_adjust(
        commission=commission,
        actor=agent,
        kind="remove",
        code="DS20",
        reason="林地已由园区统一办理征收手续",
        expected_version=commission.version,
    )
    plan.refresh_from_db()
    outcome = plan_outcome_for(plan)
    assert "DS20" not in outcome.codes
    assert outcome.item("DS09").prerequisites == ("DS08", "DS14", "MA01")
    assert plan.total_working_days < 191
    assert "DS20" not in plan.critical_path
    # Adding DS20 back withdraws the removal; the history keeps all three rows.
    services.plan_adjust(
        commission=commission,
        actor=agent,
        kind="add",
        code="DS20",
        reason="园区手续未覆盖本地块",
        expected_version=commission.version,
    )
    plan.refresh_from_db()
    assert plan.total_working_days == 191 + 0  # DS53 is off the critical path
    rows = list(plan.adjustments.values_list("kind", "code", "active"))
    assert rows == [("add", "DS53", True), ("remove", "DS20", False), ("add", "DS20", False)]
    kinds = list(commission.transitions.values_list("action", flat=True))
    assert kinds == ["adjust_plan"] * 3


@pytest.mark.parametrize(
    ("kind", "code", "reason", "field", "message"),
    [
        ("add", "DS20", "再加一次", "code", "已在方案中"),
        ("remove", "DS53", "不需要", "code", "不在方案中"),
        ("add", "ZZ99", "新事项", "code", "没有编码为“ZZ99”的事项"),
        ("remove", "DS20", "  ", "reason", "请填写调整理由"),
        ("drop", "DS20", "理由", "kind", "调整方式"),
    ],
)
def test_bad_adjustments_are_refused_and_change_nothing(kind, code, reason, field, message):
    commission, agent, _ = agreed_commission()
    before = snapshot(commission)
    with pytest.raises(ValidationError) as info:
        services.plan_adjust(
            commission=commission, actor=agent, kind=kind, code=code, reason=reason
        )
    assert message in " ".join(info.value.message_dict[field])
    assert snapshot(commission) == before


def test_only_the_commission_agent_or_an_admin_adjusts_and_a_stale_page_is_refused():
    commission, agent, _ = agreed_commission()
    before = snapshot(commission)
    with pytest.raises(ActionForbidden):
        services.plan_adjust(
            commission=commission, actor=AgentFactory(), kind="remove", code="DS20", reason="x"
        )
    with pytest.raises(ActionForbidden):
        services.plan_adjust(
            commission=commission,
            actor=EnterpriseUserFactory(),
            kind="remove",
            code="DS20",
            reason="x",
        )
    with pytest.raises(StaleVersionError):
        services.plan_adjust(
            commission=commission,
            actor=agent,
            kind="remove",
            code="DS20",
            reason="x",
            expected_version=commission.version - 1,
        )
    assert snapshot(commission) == before
    services.plan_adjust(
        commission=commission, actor=AdminFactory(), kind="remove", code="DS20", reason="管理员"
    )
    assert snapshot(commission) != before


def test_fixing_makes_one_case_per_item_with_its_baseline():
    commission, agent = fixed_commission()
    commission.refresh_from_db()
    plan = Plan.objects.get(commission=commission)
    assert commission.state == "planned" and plan.state == Plan.State.FIXED
    assert plan.fixed_by == agent and plan.fixed_at is not None
    cases = {case.code: case for case in Case.objects.filter(commission=commission)}
    assert set(cases) == FACTORY_ITEMS
    ma01 = cases["MA01"]
    assert (ma01.planned_start, ma01.planned_acceptance, ma01.planned_due) == (
        D(2026, 9, 21),
        D(2026, 9, 23),
        D(2026, 9, 23),
    )
    assert (ma01.baseline_start, ma01.baseline_due) == (D(2026, 9, 21), D(2026, 9, 23))
    assert ma01.critical and not cases["DS14"].critical and cases["DS14"].slack == 43
    assert all(case.item.version_id == plan.catalog_version_id for case in cases.values())
    assert all(case.state == Case.State.PLANNED for case in cases.values())
    with pytest.raises(ValidationError) as info:  # fixed: no more adjustments
        services.plan_adjust(
            commission=commission, actor=agent, kind="remove", code="DS20", reason="x"
        )
    assert "不能执行「调整方案」" in info.value.messages[0]
    with pytest.raises(ValidationError):  # and not twice
        services.plan_fix(commission=commission, actor=agent)


def test_a_partial_commission_plans_the_rest_as_self_handled():
    commission, agent, plan = agreed_commission(
        scope=Commission.Scope.PARTIAL, scope_stages=["market_access"], scope_items=["DS27"]
    )
    services.plan_fix(commission=commission, actor=agent)
    in_scope = set(
        Case.objects.filter(commission=commission, in_scope=True).values_list("code", flat=True)
    )
    assert in_scope == {"MA01", "DS27"}
    assert Case.objects.filter(commission=commission).count() == len(FACTORY_ITEMS)


def test_an_explicit_replan_keeps_dates_when_nothing_happened(today):
    today(D(2026, 9, 21))  # the day the plan starts: nothing lies in the past yet
    commission, agent = fixed_commission()
    before = list(Case.objects.filter(commission=commission).values_list("code", "planned_due"))
    services.plan_replan(commission=commission, actor=agent, expected_version=commission.version)
    after = list(Case.objects.filter(commission=commission).values_list("code", "planned_due"))
    assert after == before
    assert commission.transitions.last().action == "replan"
    with pytest.raises(ValidationError):
        services.plan_adjust(
            commission=CommissionFactory(state="applied", agent=agent),
            actor=agent,
            kind="add",
            code="DS20",
            reason="x",
        )


def test_generating_a_missing_plan_is_one_explicit_step():
    agent = AgentFactory()
    commission = CommissionFactory(
        project=DongshengProjectFactory(**FACTORY), state="agreed", agent=agent, agreed_at=AGREED_AT
    )
    assert not Plan.objects.filter(commission=commission).exists()
    plan = services.plan_generate(commission=commission, actor=agent)
    assert plan.start_date == D(2026, 9, 21) and plan.total_working_days == 191
    with pytest.raises(ValidationError) as info:
        services.plan_generate(commission=commission, actor=agent)
    assert info.value.messages == ["该委托已有方案。"]
    assert PlanAdjustment.objects.count() == 0


def test_the_enterprise_hears_of_the_fixed_plan_and_of_progress(on_commit):
    from bangban.notifications.models import Notification

    user = EnterpriseUserFactory()
    agent = AgentFactory()
    commission = CommissionFactory(
        project=DongshengProjectFactory(enterprise=user.enterprise, **FACTORY),
        state="agreed",
        agent=agent,
        agreed_at=AGREED_AT,
    )
    services.plan_create(commission=commission)
    with on_commit():
        services.plan_fix(commission=commission, actor=agent)
    with on_commit():
        case_transition(
            case=Case.objects.get(commission=commission, code="MA01"),
            action="start",
            actor=agent,
            occurred_at=D(2026, 9, 21),
        )
    mine = Notification.objects.filter(recipient_user=user).order_by("id")
    subjects = [n.subject.split("：")[0] for n in mine]
    assert subjects == ["代办帮办方案已确定", "开始办理", "开始准备材料"]
    assert "预计 2027-06-22 完成" in mine[0].body
    assert not Notification.objects.filter(recipient_user=agent).exists()  # the actor
