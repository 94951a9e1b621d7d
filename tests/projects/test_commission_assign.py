"""Agent assignment: least load, ties by username, admin override, agent claims,
reassignment history and notifications."""

import pytest
from django.core.exceptions import ValidationError

from bangban.notifications.models import Notification
from bangban.projects import services
from bangban.projects.exceptions import ActionForbidden
from bangban.projects.models import AgentAssignment, Commission
from bangban.projects.selectors import agent_pool_for, agent_propose

from .factories import (
    AdminFactory,
    AgentFactory,
    CommissionFactory,
    DongshengProjectFactory,
    EnterpriseUserFactory,
    department,
    region,
)

pytestmark = pytest.mark.django_db


def test_the_least_loaded_agent_is_proposed_ties_by_username():
    busy = AgentFactory(username="a-busy")
    idle_b = AgentFactory(username="b-idle")
    idle_c = AgentFactory(username="c-idle")
    CommissionFactory(agent=busy, state="verified")
    CommissionFactory(agent=idle_b, state="completed")  # closed work does not count
    commission = CommissionFactory()
    assert agent_propose(commission) == idle_b
    CommissionFactory(agent=idle_b, state="in_progress")
    assert agent_propose(commission) == idle_c
    CommissionFactory(agent=idle_c, state="applied")
    assert agent_propose(commission) == busy  # 1 each: a-busy first by username
    AgentFactory(username="d-inactive", is_active=False)
    assert {a.username for a in agent_pool_for(commission)[0]} == {"a-busy", "b-idle", "c-idle"}
    assert idle_c in agent_pool_for(commission)[0]


def test_the_admin_assigns_the_proposal(on_commit):
    admin = AdminFactory()
    agent = AgentFactory(username="a1", mobile="13900000001")
    AgentFactory(username="a2")
    user = EnterpriseUserFactory()
    commission = CommissionFactory(project__enterprise=user.enterprise)
    with on_commit():
        services.commission_assign(commission=commission, assigned_by=admin)
    assert commission.agent == agent and commission.version == 2
    row = AgentAssignment.objects.get(commission=commission)
    assert (row.agent, row.assigned_by, row.is_override, row.ended_at) == (
        agent,
        admin,
        False,
        None,
    )
    recipients = set(Notification.objects.values_list("recipient_user__username", flat=True))
    assert recipients == {"a1", user.username}


def test_reassignment_keeps_history_and_tells_both_agents_and_the_enterprise(on_commit):
    admin = AdminFactory()
    first = AgentFactory(username="first")
    second = AgentFactory(username="second")
    user = EnterpriseUserFactory()
    commission = CommissionFactory(project__enterprise=user.enterprise)
    services.commission_assign(commission=commission, assigned_by=admin, agent=first)
    Notification.objects.all().delete()
    with on_commit():
        services.commission_assign(
            commission=commission, assigned_by=admin, agent=second, reason="原代办员休假"
        )
    rows = list(AgentAssignment.objects.filter(commission=commission).order_by("id"))
    assert [r.agent for r in rows] == [first, second]
    assert rows[0].ended_at is not None and rows[1].ended_at is None
    assert rows[1].reason == "原代办员休假"
    recipients = set(Notification.objects.values_list("recipient_user__username", flat=True))
    assert recipients == {"first", "second", user.username}
    history = commission.transitions.filter(action="assign").order_by("id").last()
    assert "原代办员" in history.reason and "原代办员休假" in history.reason


def test_an_admin_may_override_with_an_agent_of_the_pools_region_subtree():
    admin = AdminFactory()
    AgentFactory(username="pool-agent")
    town_agent = AgentFactory(
        username="town-agent",
        region=region("dongsheng-tongchuan"),
        department=department("dongsheng-tongchuan-gov"),
    )
    commission = CommissionFactory()
    services.commission_assign(commission=commission, assigned_by=admin, agent=town_agent)
    assignment = commission.assignments.get()
    assert commission.agent == town_agent and assignment.is_override


def test_an_agent_outside_the_subtree_or_not_an_agent_is_refused_and_nothing_changes():
    admin = AdminFactory()
    AgentFactory(username="pool-agent")
    far = AgentFactory(
        username="far-agent",
        region=region("ordos-hitech"),
        department=department("ordos-hitech-zwfw"),
    )
    commission = CommissionFactory()
    for candidate in (far, admin):
        with pytest.raises(ValidationError) as info:
            services.commission_assign(commission=commission, assigned_by=admin, agent=candidate)
        assert "范围内在岗的代办帮办员" in info.value.message_dict["agent"][0]
    commission.refresh_from_db()
    assert commission.agent is None and commission.version == 1
    assert not AgentAssignment.objects.exists()


def test_an_agent_claims_an_unassigned_application_of_its_pool_only_for_itself():
    me = AgentFactory(username="me")
    other = AgentFactory(username="other")
    commission = CommissionFactory()
    with pytest.raises(ActionForbidden):
        services.commission_assign(commission=commission, assigned_by=me, agent=other)
    services.commission_assign(commission=commission, assigned_by=me, agent=me)
    assert commission.agent == me
    with pytest.raises(ActionForbidden):  # taken: no grabbing it back
        services.commission_assign(commission=commission, assigned_by=other, agent=other)
    assert Commission.objects.get(pk=commission.pk).agent == me


def test_the_pool_falls_back_to_the_government_service_bureau_of_the_zone():
    hitech_agent = AgentFactory(
        username="hitech", region=region("ordos-hitech"), department=department("ordos-hitech-zwfw")
    )
    commission = CommissionFactory(
        project=DongshengProjectFactory(region=region("ordos-hitech")),
        lead_department=department("ordos-hitech-fgj"),  # 发展规划局: no agents
    )
    agents, pool_region = agent_pool_for(commission)
    assert list(agents) == [hitech_agent] and pool_region == region("ordos-hitech")
    services.commission_assign(commission=commission, assigned_by=hitech_agent, agent=hitech_agent)
    assert commission.agent == hitech_agent


def test_no_agent_anywhere_is_a_clear_error():
    admin = AdminFactory()
    commission = CommissionFactory(
        project=DongshengProjectFactory(region=region("horinger-new-area")),
        lead_department=department("horinger-zwfw"),
    )
    with pytest.raises(ValidationError) as info:
        services.commission_assign(commission=commission, assigned_by=admin)
    assert "没有可指派的代办帮办员" in info.value.message_dict["agent"][0]


def test_the_same_agent_again_or_a_closed_commission_is_refused():
    admin = AdminFactory()
    agent = AgentFactory()
    commission = CommissionFactory()
    services.commission_assign(commission=commission, assigned_by=admin, agent=agent)
    with pytest.raises(ValidationError):
        services.commission_assign(commission=commission, assigned_by=admin, agent=agent)
    closed = CommissionFactory(state="completed")
    with pytest.raises(ValidationError) as info:
        services.commission_assign(commission=closed, assigned_by=admin, agent=agent)
    assert info.value.messages == ["当前状态「已办结」不能执行「指派代办员」。"]
