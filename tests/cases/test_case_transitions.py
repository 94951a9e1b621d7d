"""The case's state machine (SPEC §6): every legal step of the table taken by its party,
every illegal one refused with nothing changed, the parties, the reasons, 容缺受理, suspension,
completion, both times in the history, and the plan rescheduled from what happened."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bangban.accounts.models import Role
from bangban.cases import lifecycle
from bangban.cases.models import Case, CaseEvent, CaseMaterial
from bangban.cases.services import case_transition
from bangban.common.exceptions import ActionForbidden, StaleVersionError
from bangban.planning.models import Plan
from tests.projects.factories import AgentFactory, UserFactory

from .conftest import PATHS, make_ledger, non_core

pytestmark = pytest.mark.django_db

D = dt.date
#: Items of the factory project that take 容缺受理 and have a non-core material.
GAP_CODES = ["DS14", "DS13", "DS15", "DS16", "DS43", "DS22", "XA04", "DS08"]


def snapshot(case):
    row = Case.objects.get(pk=case.pk)
    return (
        row.state,
        row.version,
        row.accepted_on,
        row.due_date,
        CaseEvent.objects.filter(case=case).count(),
        list(CaseMaterial.objects.filter(case=case).values_list("status", flat=True)),
    )


@pytest.mark.parametrize("state", list(lifecycle.STATE_LABELS))
def test_every_legal_step_is_taken_and_every_illegal_one_refused(state):
    ledger = make_ledger()
    legal = [row for row in lifecycle.TRANSITIONS if row.source == state]
    if state == lifecycle.COMPLETED:
        legal = [row for row in legal if row.action != lifecycle.HAND_OVER] + [
            lifecycle.find(lifecycle.HAND_OVER, state)
        ]
    codes = iter(GAP_CODES)
    for row in legal:
        case = ledger.walk(ledger.case(next(codes)), *PATHS[state])
        assert case.state == state
        done = ledger.step(case, row.action)
        expected = row.target if row.target != lifecycle.SAME else state
        if row.action == lifecycle.RESUME:
            expected = lifecycle.ACCEPTED
        if row.action == lifecycle.SUPPLEMENT:
            expected = lifecycle.ACCEPTED  # the only missing material: the gap is closed
        assert done.state == expected, row
        event = done.events.last()
        assert (event.action, event.from_state, event.to_state) == (row.action, state, expected)
    case = ledger.walk(ledger.case(next(codes)), *PATHS[state])
    allowed = {row.action for row in legal}
    officer = ledger.officer(case)
    for action in lifecycle.ACTION_LABELS:
        if action in allowed:
            continue
        before = snapshot(case)
        for actor in (ledger.agent, officer):
            with pytest.raises(ValidationError) as info:
                case_transition(
                    case=case, action=action, actor=actor, reason="x", data={"kind": "expert"}
                )
            assert "不能执行" in " ".join(info.value.messages), (state, action)
        assert snapshot(case) == before


def test_only_the_party_of_a_side_takes_its_steps(ledger):
    case = ledger.walk(ledger.case("DS14"), lifecycle.START)
    other_agent = AgentFactory()
    for actor in (other_agent, ledger.officer(case), ledger.enterprise_user):
        with pytest.raises(ActionForbidden):
            case_transition(case=case, action=lifecycle.SUBMIT, actor=actor)
    case = ledger.step(case, lifecycle.SUBMIT)
    helper = ledger.helper(case)
    other_department = UserFactory(
        role=Role.DEPT_OFFICER, department=ledger.case("MA01").department
    )
    for actor in (ledger.agent, helper, other_department):
        with pytest.raises(ActionForbidden):
            case_transition(case=case, action=lifecycle.ACCEPT, actor=actor)
    # The helper pre-reviews (an event: the state stays).
    case = ledger.step(case, lifecycle.PREREVIEW, actor=helper, data={})
    assert case.state == lifecycle.SUBMITTED
    assert case.events.last().actor == helper


def test_reasons_are_required_where_the_spec_says(ledger):
    case = ledger.walk(ledger.case("DS14"), lifecycle.START, lifecycle.SUBMIT)
    officer = ledger.officer(case)
    before = snapshot(case)
    for action in (lifecycle.RETURN, lifecycle.WITHDRAW):
        actor = officer if action == lifecycle.RETURN else ledger.agent
        with pytest.raises(ValidationError) as info:
            case_transition(case=case, action=action, actor=actor, reason="  ")
        assert "原因" in info.value.message_dict["reason"][0]
    assert snapshot(case) == before
    returned = ledger.step(case, lifecycle.RETURN, actor=officer, reason="缺少法定代表人签字")
    assert returned.state == lifecycle.PREPARING and returned.submitted_on is None
    assert returned.events.last().reason == "缺少法定代表人签字"


def test_accepting_with_gaps_lists_non_core_materials_and_sets_the_supplement_date(ledger):
    case = ledger.walk(ledger.case("DS14"), lifecycle.START, lifecycle.SUBMIT, on="2026-09-22")
    officer = ledger.officer(case)
    core = case.materials.filter(is_core=True).first()
    before = snapshot(case)
    with pytest.raises(ValidationError) as info:
        ledger.step(case, lifecycle.ACCEPT_GAPS, actor=officer, data={"missing": [core.pk]})
    assert f"核心材料「{core.name}」缺失" in info.value.message_dict["missing"][0]
    with pytest.raises(ValidationError) as info:
        ledger.step(case, lifecycle.ACCEPT_GAPS, actor=officer, data={"missing": []})
    assert "须列出所缺的材料" in info.value.message_dict["missing"][0]
    assert snapshot(case) == before
    gap = non_core(case)
    case = ledger.step(
        case,
        lifecycle.ACCEPT_GAPS,
        actor=officer,
        data={"missing": [gap.pk]},
        occurred_at="2026-09-23",
    )
    assert case.state == lifecycle.ACCEPTED_GAPS
    # 5 working days after Wed 09-23: 09-24, 09-28, 09-29, 09-30, 10-08 (中秋, 国庆 off).
    assert case.supplement_due == D(2026, 10, 8)
    gap.refresh_from_db()
    assert (gap.status, gap.supplement_due) == (CaseMaterial.Status.MISSING, D(2026, 10, 8))
    assert not case.materials.filter(status=CaseMaterial.Status.PENDING).exists()
    event = case.events.last()
    assert event.backfilled and event.details["missing"] == [gap.name]
    # Approval waits for the gap; refusal does not.
    with pytest.raises(ValidationError) as info:
        ledger.step(case, lifecycle.APPROVE, actor=officer)
    assert "「容缺受理」不能执行「办结（准予）」" in info.value.messages[0]
    case = ledger.step(case, lifecycle.SUPPLEMENT, data={})
    assert case.state == lifecycle.ACCEPTED and case.supplement_due is None
    gap.refresh_from_db()
    assert gap.status == CaseMaterial.Status.SUPPLEMENTED and gap.supplemented_on is not None
    assert "转为正常受理" in case.events.last().reason


def test_an_item_without_gaps_cannot_be_accepted_with_gaps(ledger):
    case = ledger.walk(ledger.case("MA01"), lifecycle.START, lifecycle.SUBMIT)
    with pytest.raises(ValidationError) as info:
        ledger.step(case, lifecycle.ACCEPT_GAPS, data={"missing": [non_core(case).pk]})
    assert "不适用容缺受理" in info.value.messages[0]


def test_suspension_stops_the_clock_and_resumption_moves_the_due_date(ledger):
    case = ledger.walk(ledger.case("DS14"), lifecycle.START, lifecycle.SUBMIT, on="2026-09-22")
    officer = ledger.officer(case)
    case = ledger.step(case, lifecycle.ACCEPT, actor=officer, occurred_at="2026-09-23")
    limit = case.limit_days
    assert limit and case.accepted_on == D(2026, 9, 23)
    first_due = case.due_date
    case = ledger.step(case, lifecycle.SUSPEND, actor=officer, occurred_at="2026-09-29")
    assert case.state == lifecycle.SUSPENDED and case.suspended_since == D(2026, 9, 29)
    with pytest.raises(ValidationError) as info:
        ledger.step(case, lifecycle.RESUME, actor=officer, occurred_at="2026-09-28")
    assert (
        "不能早于上一步「中止计时」的日期 2026-09-29" in info.value.message_dict["occurred_at"][0]
    )
    case = ledger.step(case, lifecycle.RESUME, actor=officer, occurred_at="2026-10-09")
    # 09-30, 10-08, 10-09 did not count: the due date moves by three working days.
    assert case.state == lifecycle.ACCEPTED and case.days_suspended == 3
    from bangban.rules.workdays import count_working_days
    from bangban.workdays.selectors import get_calendar

    assert count_working_days(get_calendar(), first_due, case.due_date).days == 3


def test_completion_needs_a_result_number_and_records_the_finish(ledger):
    case = ledger.walk(ledger.case("DS14"), lifecycle.START, lifecycle.SUBMIT, lifecycle.ACCEPT)
    officer = ledger.officer(case)
    with pytest.raises(ValidationError) as info:
        case_transition(
            case=case, action=lifecycle.APPROVE, actor=officer, data={"result_number": " "}
        )
    assert "文号" in info.value.message_dict["result_number"][0]
    with pytest.raises(ValidationError):
        case_transition(
            case=case,
            action=lifecycle.REFUSE,
            actor=officer,
            data={"result_number": "东不许〔2026〕2号"},
        )  # a refusal needs its reason
    done = ledger.step(
        case, lifecycle.APPROVE, actor=officer, data={"result_number": "2026-规-018"}
    )
    assert (done.state, done.outcome, done.result_number) == (
        "completed",
        "approved",
        "2026-规-018",
    )
    assert done.actual_finish == dt.date.today() or done.actual_finish is not None
    handed = ledger.step(done, lifecycle.HAND_OVER)
    assert handed.handed_over_to == "王经理" and handed.handed_over_at is not None


def test_a_stale_version_is_refused_and_changes_nothing(ledger):
    case = ledger.walk(ledger.case("DS14"), lifecycle.START)
    before = snapshot(case)
    with pytest.raises(StaleVersionError):
        case_transition(
            case=case,
            action=lifecycle.SUBMIT,
            actor=ledger.agent,
            expected_version=case.version - 1,
        )
    assert snapshot(case) == before


def test_the_first_start_moves_the_commission_and_dates_reschedule_the_plan(
    ledger, on_commit, monkeypatch
):
    # Re-planning reads today: the evening of Mon 09-28 (the steps below are back-filled).
    now = dt.datetime(2026, 9, 28, 18, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    monkeypatch.setattr(timezone, "now", lambda: now)
    commission = ledger.commission
    ma01 = ledger.case("MA01")
    with on_commit():
        ma01 = ledger.step(ma01, lifecycle.START, occurred_at="2026-09-21")
    commission.refresh_from_db()
    assert commission.state == "in_progress"
    assert ma01.events.last().backfilled  # said to have happened in September
    ma01 = ledger.step(ma01, lifecycle.SUBMIT, occurred_at="2026-09-22")
    before = snapshot(ma01)
    with pytest.raises(ValidationError) as info:
        ledger.step(ma01, lifecycle.ACCEPT, occurred_at="2026-09-21")
    assert "不能早于上一步「申报」的日期 2026-09-22" in info.value.message_dict["occurred_at"][0]
    assert snapshot(ma01) == before
    ma01 = ledger.step(ma01, lifecycle.ACCEPT, occurred_at="2026-09-22")
    # Finished Mon 09-28 (planned 09-23): what waits for MA01 moves, the baseline stays.
    with on_commit():
        ma01 = ledger.step(ma01, lifecycle.APPROVE, occurred_at="2026-09-28")
    assert (ma01.actual_start, ma01.actual_finish) == (D(2026, 9, 21), D(2026, 9, 28))
    assert (ma01.planned_due, ma01.baseline_due) == (D(2026, 9, 28), D(2026, 9, 23))
    ds06 = ledger.case("DS06")
    assert (ds06.planned_start, ds06.planned_due) == (D(2026, 9, 28), D(2026, 9, 30))
    assert (ds06.baseline_start, ds06.baseline_due) == (D(2026, 9, 23), D(2026, 9, 28))
    # Re-planned as of today: DS14, planned from 09-21 but not started, starts today.
    ds14 = ledger.case("DS14")
    assert (ds14.baseline_start, ds14.planned_start) == (D(2026, 9, 21), D(2026, 9, 28))
    assert ds14.planned_due > ds14.baseline_due
    assert Plan.objects.get(commission=commission).replan_count >= 1
    from bangban.notifications.models import Notification

    mine = Notification.objects.filter(recipient_user=ledger.enterprise_user).order_by("id")
    assert any("开始" in n.subject and "预计完成日期由" in n.body for n in mine)


def test_dropping_an_item_takes_it_out_of_the_schedule(ledger):
    ds14 = ledger.case("DS14")
    ds14 = ledger.step(ds14, lifecycle.NOT_NEEDED_ACTION, reason="已取得规划条件")
    assert ds14.state == lifecycle.NOT_NEEDED
    assert ds14.events.last().reason == "已取得规划条件"


def test_a_closed_commission_takes_no_case_steps(ledger):
    case = ledger.case("DS14")
    type(ledger.commission).objects.filter(pk=ledger.commission.pk).update(state="terminated")
    with pytest.raises(ValidationError) as info:
        ledger.step(case, lifecycle.START)
    assert "已终止" in info.value.messages[0]
