"""The plan's action table: every row reaches the API and the page, and the page's buttons,
the API's allowed_actions and plan_may give the same answer for every role and plan state."""

import pytest
from rest_framework.test import APIClient

from bangban.accounts.models import Role
from bangban.planning import services
from bangban.planning.actions import ACTIONS, BY_SLUG, plan_allowed_actions, plan_may
from bangban.planning.api import PLAN_ACTION_VIEWS
from bangban.planning.selectors import commission_plan_get_for
from bangban.projects import lifecycle
from tests.projects.factories import (
    AdminFactory,
    AgentFactory,
    CommissionFactory,
    DongshengProjectFactory,
    EnterpriseUserFactory,
    UserFactory,
    region,
)

from .test_commission_plan import AGREED_AT
from .test_plan_compute import FACTORY

pytestmark = pytest.mark.django_db

#: What on the plan page shows that an action is offered.
PAGE_MARKS = {
    "generate": "/plan/generate/",
    "adjust": 'id="plan-add"',
    "fix": 'id="plan-fix"',
    "replan": 'id="plan-replan"',
    "not_needed": 'id="plan-not-needed"',
    "add_case": 'id="plan-add-case"',
}

OWNERS = {"agent", "admin"}
EXPECTED = {
    "none": ["generate"],
    "draft": ["adjust", "fix"],
    "fixed": ["replan", "not_needed", "add_case"],
}


@pytest.fixture
def people():
    enterprise = EnterpriseUserFactory()
    return {
        "agent": AgentFactory(),
        "other_agent": AgentFactory(),
        "admin": AdminFactory(),
        "enterprise": enterprise,
        "supervisor": UserFactory(role=Role.SUPERVISOR, region=region("150600"), department=None),
    }


def _commission(people, situation: str):
    project = DongshengProjectFactory(enterprise=people["enterprise"].enterprise, **FACTORY)
    commission = CommissionFactory(
        project=project, state="agreed", agent=people["agent"], agreed_at=AGREED_AT
    )
    if situation != "none":
        services.plan_create(commission=commission)
    if situation == "fixed":
        services.plan_fix(commission=commission, actor=people["agent"])
    return commission


def test_every_row_is_a_lifecycle_action_with_an_endpoint_and_a_page_route(client):
    assert [action.slug for action in ACTIONS] == list(PLAN_ACTION_VIEWS)
    assert set(PAGE_MARKS) == set(BY_SLUG)
    for action in ACTIONS:
        assert lifecycle.known_action(action.lifecycle)
        assert action.summary and action.done


@pytest.mark.parametrize("situation", ["none", "draft", "fixed"])
def test_page_api_and_plan_may_agree_for_every_role(people, situation, client):
    commission = _commission(people, situation)
    for name, user in people.items():
        found = commission_plan_get_for(user, commission.pk)
        client.force_login(user)
        if found is None:  # another agent's commission: not even shown
            assert name == "other_agent"
            assert client.get(f"/commissions/{commission.pk}/plan/").status_code == 404
            continue
        allowed = plan_allowed_actions(user, found)
        assert allowed == (EXPECTED[situation] if name in OWNERS else []), name
        assert allowed == [action.slug for action in ACTIONS if plan_may(user, found, action.slug)]
        html = client.get(f"/commissions/{commission.pk}/plan/").content.decode()
        shown = [slug for slug, mark in PAGE_MARKS.items() if mark in html]
        assert shown == allowed, name
        if situation != "none":
            api = APIClient()
            api.force_authenticate(user)
            body = api.get(f"/api/v1/commissions/{commission.pk}/plan/").json()
            assert body["allowed_actions"] == allowed, name


def test_a_reader_is_refused_before_its_input_is_read(people):
    commission = _commission(people, "draft")
    api = APIClient()
    api.force_authenticate(people["supervisor"])
    answer = api.post(f"/api/v1/commissions/{commission.pk}/plan/fix/", {}, format="json")
    assert answer.status_code == 403
    assert answer.json()["detail"] == "您的角色只能查看，不能办理。"
