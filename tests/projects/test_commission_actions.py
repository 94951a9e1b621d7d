"""The commission's one action table (projects/actions.py): every reader sees the same rows,
and `commission_may` is the one answer to "may this user take this action now"."""

import pytest
from django.urls import reverse

from bangban.accounts.models import Role
from bangban.projects import lifecycle
from bangban.projects.actions import (
    ACTIONS,
    BY_SLUG,
    PAGE_ORDER,
    commission_allowed_actions,
    commission_may,
)
from bangban.projects.api.commissions import ACTION_INPUTS
from bangban.projects.views import PAGE_FORMS

from .factories import (
    AdminFactory,
    AgentFactory,
    CommissionFactory,
    EnterpriseUserFactory,
    UserFactory,
    department,
)

pytestmark = pytest.mark.django_db


def test_every_row_has_a_lifecycle_row_an_api_endpoint_and_a_page_place():
    assert len(BY_SLUG) == len(ACTIONS)
    assert sorted(PAGE_ORDER) == sorted(BY_SLUG)
    assert sorted(ACTION_INPUTS) == sorted(BY_SLUG)
    assert set(PAGE_FORMS) <= set(BY_SLUG)
    for action in ACTIONS:
        assert lifecycle.known_action(action.lifecycle), action.slug
        assert reverse(f"api-commission-{action.slug}", args=[1]).endswith(f"/{action.slug}/")
        assert reverse("projects:commission_action", args=[1, action.slug])


def test_read_only_roles_may_take_no_action_whatever_the_state():
    for role in (Role.SUPERVISOR, Role.LEADER):
        user = UserFactory(role=role)
        for state in lifecycle.STATE_LABELS:
            commission = CommissionFactory(state=state)
            assert commission_allowed_actions(user, commission) == [], (role, state)


def test_an_agent_claims_only_an_unassigned_application_and_an_admin_reassigns():
    agent, other = AgentFactory(), AgentFactory()
    admin = AdminFactory()
    unassigned = CommissionFactory(state=lifecycle.APPLIED, agent=None)
    taken = CommissionFactory(state=lifecycle.APPLIED, agent=other)
    assert commission_may(agent, unassigned, "assign")
    assert not commission_may(agent, taken, "assign")
    assert commission_may(admin, taken, "assign")
    assert commission_allowed_actions(agent, unassigned)[:2] == ["assign", "verify"]


def test_only_the_development_department_or_the_admin_decides_and_only_when_awaited():
    commission = CommissionFactory(state=lifecycle.APPLIED, awaiting_decision=True)
    officer = UserFactory(role=Role.DEPT_OFFICER, department=department("dongsheng-fgw"))
    assert commission_may(officer, commission, "decide")
    assert commission_may(AdminFactory(), commission, "decide")
    assert not commission_may(AgentFactory(), commission, "decide")
    # while the decision is awaited, verifying again is not offered
    assert not commission_may(AdminFactory(), commission, "verify")
    plain = CommissionFactory(state=lifecycle.APPLIED)
    assert not commission_may(officer, plain, "decide")


def test_the_enterprise_confirms_its_own_letters_once_an_agent_is_named():
    agent = AgentFactory()
    commission = CommissionFactory(state=lifecycle.VERIFIED, agent=agent)
    own = EnterpriseUserFactory(enterprise=commission.project.enterprise)
    stranger = EnterpriseUserFactory()
    assert commission_may(own, commission, "confirm-authorization")
    assert commission_may(own, commission, "confirm-commitment")
    assert not commission_may(stranger, commission, "confirm-authorization")
    assert not commission_may(agent, commission, "confirm-authorization")
    no_agent = CommissionFactory(state=lifecycle.VERIFIED, agent=None)
    owner = EnterpriseUserFactory(enterprise=no_agent.project.enterprise)
    assert not commission_may(owner, no_agent, "confirm-authorization")


def test_the_page_and_the_api_offer_the_same_actions(client):
    agent = AgentFactory()
    commission = CommissionFactory(state=lifecycle.APPLIED, agent=None)
    client.force_login(agent)
    api = client.get(f"/api/v1/commissions/{commission.pk}/").json()["allowed_actions"]
    assert api == commission_allowed_actions(agent, commission)
    page = client.get(reverse("projects:commission_detail", args=[commission.pk]))
    for slug in PAGE_ORDER:
        url = reverse("projects:commission_action", args=[commission.pk, slug])
        assert (url in page.content.decode()) == (slug in api), slug


def test_an_unknown_action_is_404_on_the_page(client):
    commission = CommissionFactory(state=lifecycle.APPLIED)
    client.force_login(AdminFactory())
    url = reverse("projects:commission_action", args=[commission.pk, "approve-everything"])
    assert client.post(url, {"version": commission.version}).status_code == 404
