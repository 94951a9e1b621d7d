"""The deadline scan: yellow, red, ≥ 3 working days overdue and 容缺 supplements — each raised
exactly once however often the scan runs (SPEC §6 "Warnings", "Escalation")."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from bangban.accounts.models import Role
from bangban.cases import lifecycle
from bangban.cases.escalations import ANSWER, CLOSE, escalation_act, escalation_raise
from bangban.cases.models import Escalation
from bangban.cases.scan import scan_deadlines
from bangban.notifications.models import Notification
from bangban.rules.workdays import add_working_days
from bangban.workdays.selectors import get_calendar
from tests.projects.factories import UserFactory, region

from .conftest import non_core

pytestmark = pytest.mark.django_db

D = dt.date
SCAN_DAY = D(2026, 11, 20)  # Friday


def accepted_on_for(case, due: dt.date) -> dt.date:
    """The acceptance date that makes ``case`` due on ``due`` (searching back)."""
    cal = get_calendar()
    limit = 0 if case.item.kind == "immediate" else case.item.promised_limit_days
    day = due
    while add_working_days(cal, day, limit).date != due:
        day -= dt.timedelta(days=1)
    return day


def accept_due(ledger, code: str, due: dt.date | None, gaps_due: dt.date | None = None):
    """Accept ``code`` so that it is due on ``due`` (or, with gaps, on 11-02)."""
    case = ledger.case(code)
    day = accepted_on_for(case, due) if due else D(2026, 11, 2)
    case = ledger.walk(case, lifecycle.START, lifecycle.SUBMIT, on=day)
    if gaps_due is None:
        return ledger.step(case, lifecycle.ACCEPT, occurred_at=day)
    return ledger.step(
        case,
        lifecycle.ACCEPT_GAPS,
        occurred_at=day,
        data={"missing": [non_core(case).pk], "supplement_due": gaps_due},
    )


@pytest.fixture
def leader(db):
    return UserFactory(role=Role.LEADER, region=region(), department=None)


def test_the_scan_raises_each_warning_and_escalation_exactly_once(ledger, leader, on_commit):
    cal = get_calendar()
    yellow = accept_due(ledger, "DS14", add_working_days(cal, SCAN_DAY, 1).date)
    red = accept_due(ledger, "DS13", D(2026, 11, 19))  # 1 working day overdue
    late = accept_due(ledger, "DS15", D(2026, 11, 17))  # 3 working days overdue
    remind = accept_due(ledger, "DS16", None, gaps_due=D(2026, 11, 23))
    lapsed = accept_due(ledger, "DS43", None, gaps_due=D(2026, 11, 18))
    assert {c.state for c in (remind, lapsed)} == {"accepted_gaps"}

    with on_commit():
        first = scan_deadlines(today=SCAN_DAY)
    assert first.escalated >= 1 and (first.reminded, first.supplement_escalated) == (1, 1)
    rows = Notification.objects.count()
    escalations = Escalation.objects.count()
    with on_commit():
        second = scan_deadlines(today=SCAN_DAY)
    assert (second.yellow, second.red, second.escalated, second.reminded) == (0, 0, 0, 0)
    assert second.notifications == 0 and second.supplement_escalated == 0
    assert Notification.objects.count() == rows and Escalation.objects.count() == escalations

    def keys(case):  # the scan's messages (not those of the case's own steps)
        rows = Notification.objects.filter(dedupe_key__startswith=f"case:{case.pk}:")
        return {
            key
            for key in rows.values_list("dedupe_key", flat=True)
            if ":warn:" in key or ":supplement:" in key
        }

    agent, department = f"u{ledger.agent.pk}", f"d{yellow.department_id}"
    assert keys(yellow) == {
        f"case:{yellow.pk}:warn:yellow:{yellow.due_date:%Y-%m-%d}:in_app:{who}"
        for who in (agent, department)
    }
    assert all(":warn:red:" in key for key in keys(red)) and len(keys(red)) == 2
    overdue = Escalation.objects.get(case=late)
    assert overdue.kind == "overdue" and overdue.leader == leader
    assert "已超期 3 个工作日" in overdue.problem
    assert not Escalation.objects.filter(case=red).exists()  # 1 day: warned, not escalated
    enterprise = f"u{ledger.enterprise_user.pk}"
    assert any(k.endswith(f"in_app:{enterprise}") for k in keys(remind))
    assert Escalation.objects.filter(case=lapsed, kind="supplement").count() == 1
    assert Notification.objects.filter(recipient_user=leader).count() == escalations


def test_a_suspended_or_finished_case_raises_nothing(ledger, leader):
    case = accept_due(ledger, "DS14", D(2026, 11, 17))
    ledger.step(case, lifecycle.SUSPEND, occurred_at="2026-11-17")
    assert scan_deadlines(today=SCAN_DAY).notifications == 0


def test_the_command_reports_what_it_raised(ledger, leader):
    accept_due(ledger, "DS13", D(2026, 11, 19))
    out = io.StringIO()
    call_command("scan_deadlines", "--date", "2026-11-20", stdout=out)
    assert "红色预警 1" in out.getvalue()


def test_an_agent_escalates_and_the_leader_answers_then_it_is_closed(ledger, leader):
    commission = ledger.commission
    with pytest.raises(Exception) as info:
        escalation_raise(commission=commission, actor=ledger.agent, problem=" ")
    assert "问题" in str(info.value)
    escalation = escalation_raise(
        commission=commission, actor=ledger.agent, problem="林地审批需自治区协调"
    )
    assert escalation.leader == leader and escalation.state == "open"
    from bangban.common.exceptions import ActionForbidden

    with pytest.raises(ActionForbidden):
        escalation_act(escalation=escalation, slug=ANSWER, actor=ledger.agent, data={})
    answered = escalation_act(
        escalation=escalation,
        slug=ANSWER,
        actor=leader,
        data={"instruction": "请自然资源局本周内对接", "instruction_due": "2099-01-05"},
    )
    assert answered.state == "answered" and answered.instruction_due == D(2099, 1, 5)
    closed = escalation_act(
        escalation=answered, slug=CLOSE, actor=ledger.agent, data={"result": "已协调解决"}
    )
    assert closed.state == "closed" and closed.closed_by == ledger.agent
