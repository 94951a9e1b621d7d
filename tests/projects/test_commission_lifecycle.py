"""The lifecycle table and the one transition service: illegal moves are refused and write
nothing; roles are checked; each move writes a history row with both times; versions lock."""

import datetime as dt
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bangban.accounts.models import Role
from bangban.notifications.models import Notification
from bangban.projects import lifecycle
from bangban.projects.exceptions import ActionForbidden, StaleVersionError
from bangban.projects.models import Commission, CommissionTransition
from bangban.projects.services import commission_transition

from .factories import AdminFactory, AgentFactory, CommissionFactory, EnterpriseUserFactory

# --- the table itself (no database) ---------------------------------------------------------


def test_every_state_and_action_has_a_chinese_label():
    states = {t.target for t in lifecycle.TRANSITIONS} | {
        t.source for t in lifecycle.TRANSITIONS if t.source
    }
    assert states == set(lifecycle.STATE_LABELS)
    assert {t.action for t in lifecycle.TRANSITIONS} <= set(lifecycle.ACTION_LABELS)


def test_the_journey_of_the_seeds_is_in_the_table():
    path = [
        ("verify", "applied", "verified"),
        ("agree", "verified", "agreed"),
        ("plan", "agreed", "planned"),
        ("start", "planned", "in_progress"),
        ("complete", "in_progress", "completed"),
        ("archive", "completed", "archived"),
    ]
    for action, source, target in path:
        assert lifecycle.find(action, source).target == target
    assert lifecycle.find("refuse", "applied").target == "refused"
    for state in lifecycle.OPEN_STATES:
        assert lifecycle.find("terminate", state).target == "terminated"


def test_nothing_leaves_a_final_state_but_archiving():
    """From a final state only archiving moves; the enterprise's confirmation of the
    completion slip and the originals returned are events that keep the state."""
    for state in lifecycle.FINAL_STATES:
        rows = [t for t in lifecycle.TRANSITIONS if t.source == state]
        assert {t.target for t in rows} <= {state, "archived"}, state
        assert {t.action for t in rows if t.target != state} <= {"archive"}, state
    assert not [t for t in lifecycle.TRANSITIONS if t.source == "archived"]
    assert lifecycle.find("confirm_completion", "completed").roles == {"enterprise"}


def test_illegal_message_names_state_and_action():
    assert lifecycle.illegal_message("agree", "applied") == "当前状态「已申请」不能执行「签约」。"


def test_actions_for_depend_on_role():
    assert "confirm_authorization" in lifecycle.actions_for("verified", "enterprise")
    assert "confirm_authorization" not in lifecycle.actions_for("verified", "agent")
    assert lifecycle.actions_for("applied", "supervisor") == []


# --- the service: every illegal (action, state) pair writes nothing ---------------------------

pytestmark = pytest.mark.django_db

ALL_ACTIONS = sorted(set(lifecycle.ACTION_LABELS) - {"apply"})


def snapshot(commission):
    commission.refresh_from_db()
    return (
        commission.state,
        commission.version,
        CommissionTransition.objects.filter(commission=commission).count(),
        Notification.objects.count(),
    )


def test_every_illegal_transition_is_refused_and_nothing_is_written():
    admin = AdminFactory()
    checked = 0
    for state, action in itertools.product(lifecycle.STATE_LABELS, ALL_ACTIONS):
        if lifecycle.find(action, state) is not None:
            continue
        commission = CommissionFactory(state=state, termination_reason="investor_request")
        before = snapshot(commission)
        with pytest.raises(ValidationError) as info:
            commission_transition(commission=commission, action=action, actor=admin)
        assert info.value.messages == [lifecycle.illegal_message(action, state)]
        assert snapshot(commission) == before
        checked += 1
    assert checked > 80


def test_a_role_outside_the_row_is_forbidden_and_nothing_is_written():
    commission = CommissionFactory()
    before = snapshot(commission)
    with pytest.raises(ActionForbidden) as info:
        commission_transition(commission=commission, action="verify", actor=EnterpriseUserFactory())
    assert "不能执行「核实」" in info.value.message
    supervisor = AgentFactory(role=Role.SUPERVISOR, department=None)
    with pytest.raises(ActionForbidden):
        commission_transition(commission=commission, action="terminate", actor=supervisor)
    assert snapshot(commission) == before


def test_a_transition_writes_history_with_both_times_and_bumps_the_version(on_commit):
    admin = AdminFactory()
    commission = CommissionFactory(applied_at=timezone.now() - dt.timedelta(days=10))
    with on_commit():
        commission_transition(
            commission=commission, action="refuse", actor=admin, reason="不符合规划"
        )
    assert commission.state == "refused" and commission.version == 2
    row = commission.transitions.get()
    assert (row.from_state, row.to_state, row.action, row.actor) == (
        "applied",
        "refused",
        "refuse",
        admin,
    )
    assert row.reason == "不符合规划" and not row.backfilled
    assert abs((row.at - row.occurred_at).total_seconds()) < 5


def test_an_event_said_to_have_happened_last_week_is_marked_backfilled():
    admin = AdminFactory()
    commission = CommissionFactory(applied_at=timezone.now() - dt.timedelta(days=30))
    last_week = timezone.now() - dt.timedelta(days=7)
    commission_transition(
        commission=commission, action="verify", actor=admin, occurred_at=last_week
    )
    row = commission.transitions.get()
    assert row.backfilled and row.occurred_at == last_week and row.at > last_week
    assert commission.verified_at == last_week


def test_said_times_in_the_future_or_before_the_application_are_refused():
    admin = AdminFactory()
    commission = CommissionFactory(applied_at=timezone.now() - dt.timedelta(days=1))
    before = snapshot(commission)
    with pytest.raises(ValidationError) as info:
        commission_transition(
            commission=commission,
            action="verify",
            actor=admin,
            occurred_at=timezone.now() + dt.timedelta(days=1),
        )
    assert info.value.message_dict == {"occurred_at": ["发生时间不能晚于当前时间。"]}
    with pytest.raises(ValidationError) as info:
        commission_transition(
            commission=commission,
            action="verify",
            actor=admin,
            occurred_at=timezone.now() - dt.timedelta(days=3),
        )
    assert info.value.message_dict == {"occurred_at": ["发生时间不能早于申请时间。"]}
    assert snapshot(commission) == before


def test_a_stale_version_is_refused_and_nothing_is_written():
    admin = AdminFactory()
    commission = CommissionFactory()
    first_copy = Commission.objects.get(pk=commission.pk)
    commission_transition(commission=commission, action="verify", actor=admin, expected_version=1)
    before = snapshot(commission)
    with pytest.raises(StaleVersionError) as info:
        commission_transition(
            commission=first_copy, action="refuse", actor=admin, expected_version=1
        )
    assert info.value.message == "该委托已被他人修改，请刷新后重试。"
    assert snapshot(commission) == before


def test_notifications_wait_for_the_commit(django_capture_on_commit_callbacks):
    admin = AdminFactory()
    commission = CommissionFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        commission_transition(commission=commission, action="verify", actor=admin)
    assert len(callbacks) == 1
    assert Notification.objects.count() == 0  # nothing before the commit
