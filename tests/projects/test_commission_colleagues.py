"""Agents of one centre read all its commissions to cover for each other; only the assigned
agent acts (the page shows a colleague no buttons, the API and the services answer 403 in
Chinese). An agent claiming through the API without ``agent_id`` claims for itself."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bangban.projects import services
from bangban.projects.actions import commission_allowed_actions
from bangban.projects.exceptions import ActionForbidden
from bangban.projects.models import Commission

from .factories import (
    AdminFactory,
    AgentFactory,
    CommissionFactory,
    DongshengProjectFactory,
    department,
    region,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre():
    """东胜区帮办代办室: two agents; an agent of 高新区政务服务局 elsewhere."""
    holder = AgentFactory(username="holder", display_name="王代办")
    colleague = AgentFactory(username="colleague")
    far = AgentFactory(
        username="far", region=region("ordos-hitech"), department=department("ordos-hitech-zwfw")
    )
    held = CommissionFactory(agent=holder, state="applied", project__industry_code="H6110")
    # led elsewhere (高新区发展规划局), but held by an agent of the centre (an override)
    abroad = CommissionFactory(
        project=DongshengProjectFactory(region=region("ordos-hitech")),
        lead_department=department("ordos-hitech-fgj"),
        agent=holder,
        state="verified",
    )
    # led elsewhere and held elsewhere: not the centre's
    foreign = CommissionFactory(
        project=DongshengProjectFactory(region=region("ordos-hitech")),
        lead_department=department("ordos-hitech-fgj"),
        agent=far,
    )
    return {"holder": holder, "colleague": colleague, "far": far}, {
        "held": held,
        "abroad": abroad,
        "foreign": foreign,
    }


def test_a_colleague_reads_every_commission_of_the_centre_but_not_the_others(client, centre):
    people, commissions = centre
    client.force_login(people["colleague"])
    listed = {c["id"] for c in client.get("/api/v1/commissions/").json()["results"]}
    assert listed == {commissions["held"].pk, commissions["abroad"].pk}
    for name in ("held", "abroad"):
        pk = commissions[name].pk
        assert client.get(reverse("projects:commission_detail", args=[pk])).status_code == 200
        assert client.get(f"/api/v1/commissions/{pk}/").status_code == 200
    foreign = commissions["foreign"].pk
    assert client.get(f"/api/v1/commissions/{foreign}/").status_code == 404
    assert client.get(reverse("projects:commission_detail", args=[foreign])).status_code == 404


def test_the_colleague_gets_no_buttons_and_a_chinese_403_for_an_action(client, centre):
    people, commissions = centre
    held = commissions["held"]
    client.force_login(people["colleague"])
    assert commission_allowed_actions(people["colleague"], held) == []
    page = client.get(reverse("projects:commission_detail", args=[held.pk])).content.decode()
    assert "王代办负责，您可以查看，但不能办理" in page
    for slug in ("assign", "verify", "terminate"):
        assert reverse("projects:commission_action", args=[held.pk, slug]) not in page
    body = client.get(f"/api/v1/commissions/{held.pk}/").json()
    assert body["allowed_actions"] == []
    for slug, data in [
        ("verify", {"version": 1, "is_new_capacity": True}),
        ("verify", {"version": 1}),  # refused before the input is even read
        ("assign", {"version": 1}),
        ("terminate", {"version": 1, "reason_category": "conditions_lost", "note": "x"}),
    ]:
        response = client.post(
            f"/api/v1/commissions/{held.pk}/{slug}/", data, content_type="application/json"
        )
        assert response.status_code == 403, (slug, response.json())
        assert response.json() == {
            "detail": "该委托由代办帮办员王代办负责，您可以查看，但不能办理；"
            "如需接手，请中心管理员更换代办帮办员。"
        }
    posted = client.post(
        reverse("projects:commission_action", args=[held.pk, "verify"]),
        {"version": 1, "v-is_new_capacity": "1"},
        follow=True,
    )
    assert "您可以查看，但不能办理" in posted.content.decode()
    held.refresh_from_db()
    assert (held.state, held.version, held.agent) == ("applied", 1, people["holder"])


def test_the_service_refuses_a_colleague_too(centre):
    people, commissions = centre
    with pytest.raises(ActionForbidden) as info:
        services.commission_verify(
            commission=commissions["held"], actor=people["colleague"], is_new_capacity=True
        )
    assert "王代办负责" in info.value.message
    assert Commission.objects.get(pk=commissions["held"].pk).version == 1


def test_the_holder_acts_and_after_reassignment_the_colleague_does(client, centre):
    people, commissions = centre
    held = commissions["held"]
    assert "verify" in commission_allowed_actions(people["holder"], held)
    services.commission_assign(
        commission=held, assigned_by=AdminFactory(), agent=people["colleague"], reason="休假"
    )
    held = Commission.objects.get(pk=held.pk)
    assert "verify" in commission_allowed_actions(people["colleague"], held)
    assert commission_allowed_actions(people["holder"], held) == []
    client.force_login(people["colleague"])
    response = client.post(
        f"/api/v1/commissions/{held.pk}/verify/",
        {"version": held.version, "is_new_capacity": True},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "verified"


def test_the_agents_list_stays_at_a_constant_number_of_queries(client, centre):
    people, _ = centre

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/commissions/").status_code == 200
            assert client.get(reverse("projects:commission_list")).status_code == 200
        return len(queries)

    client.force_login(people["colleague"])
    for _ in range(3):
        CommissionFactory(agent=people["holder"])
    few = count()
    for _ in range(40):
        CommissionFactory(agent=people["holder"], state="verified")
    assert count() == few


def test_an_agent_claims_through_the_api_without_agent_id(client):
    """The documented claim: ``agent_id`` left out (or null) → the caller."""
    me = AgentFactory(username="a-me")
    AgentFactory(username="0-least-loaded")  # the pool's proposal would be this one
    for payload in ({"version": 1}, {"version": 1, "agent_id": None}):
        commission = CommissionFactory()
        client.force_login(me)
        response = client.post(
            f"/api/v1/commissions/{commission.pk}/assign/", payload, content_type="application/json"
        )
        assert response.status_code == 200, response.json()
        assert response.json()["agent"]["id"] == me.pk
    schema = client.get("/api/schema/?format=json").json()
    assign_input = schema["components"]["schemas"]["AssignInputRequest"]["properties"]["agent_id"]
    assert "认领给自己" in assign_input["description"]


def test_an_agent_cannot_claim_for_someone_else_through_the_api(client):
    me, other = AgentFactory(username="me2"), AgentFactory(username="other2")
    commission = CommissionFactory()
    client.force_login(me)
    response = client.post(
        f"/api/v1/commissions/{commission.pk}/assign/",
        {"version": 1, "agent_id": other.pk},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "代办帮办员只能为自己认领本部门未指派的申请。"}
    commission.refresh_from_db()
    assert commission.agent is None
