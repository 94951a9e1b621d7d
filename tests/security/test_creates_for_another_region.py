"""A create for another region is refused (400 naming the field, or 403) and creates nothing —
on the API and on the page, because the service (which receives the actor) decides
(issue #12: an agent's POST /api/v1/commissions/ for another region created the commission
and answered 404, so a retry duplicated it; an agent registered enterprises anywhere)."""

import pytest
from django.urls import reverse

from bangban.projects.models import Commission, Enterprise, Project
from tests.projects.factories import (
    AdminFactory,
    AgentFactory,
    department,
    make_credit_code,
    region,
)
from tests.projects.test_commission_api import window_payload
from tests.projects.test_commission_pages import form_data

pytestmark = pytest.mark.django_db

OUTSIDE_PROJECT = "项目建设地点应在您所在区划（东胜区）内，不能为其他区划的项目登记申请。"


def counts():
    return (Commission.objects.count(), Project.objects.count(), Enterprise.objects.count())


def post_json(client, url, data):
    return client.post(url, data, content_type="application/json")


@pytest.mark.parametrize("factory", [AgentFactory, AdminFactory], ids=["agent", "centre_admin"])
def test_the_api_refuses_a_commission_for_another_region_twice_alike(client, factory):
    client.force_login(factory())
    payload = window_payload()
    payload["project"]["region"] = "150271"  # 包头稀土高新区, which has its own lead department
    before = counts()
    for _ in range(2):  # a retry is refused the same way: nothing to duplicate
        response = post_json(client, "/api/v1/commissions/", payload)
        assert response.status_code == 400
        assert response.json() == {"project.region": [OUTSIDE_PROJECT]}
    assert counts() == before


def test_the_window_page_refuses_it_on_the_region_field(client):
    client.force_login(AgentFactory())
    before = counts()
    response = client.post(
        reverse("projects:window_apply"),
        form_data(
            **{"project-region": region("ordos-hitech").pk, "project-forest_type": "unspecified"}
        ),
    )
    assert response.status_code == 200
    assert OUTSIDE_PROJECT in response.content.decode()
    assert counts() == before


def test_what_its_creator_could_not_see_is_not_created(client):
    """高新区's window agent applies in its own zone, but the lead department (发展规划局) has
    agents of its own: the commission would be theirs, invisible to this agent — refused (403)."""
    AgentFactory(
        username="fgj-agent",
        region=region("ordos-hitech"),
        department=department("ordos-hitech-fgj"),
    )
    agent = AgentFactory(region=region("ordos-hitech"), department=department("ordos-hitech-zwfw"))
    client.force_login(agent)
    payload = window_payload()
    payload["project"]["region"] = "ordos-hitech"
    before = counts()
    response = post_json(client, "/api/v1/commissions/", payload)
    assert response.status_code == 403
    assert "不在您的服务范围内" in response.json()["detail"]
    assert counts() == before


def enterprise_payload(region_key: str, n: int) -> dict:
    return {
        "name": f"测试登记企业{n}有限公司",
        "credit_code": make_credit_code(700 + n),
        "legal_representative": "张三",
        "contact_name": "李四",
        "contact_mobile": "13900000001",
        "region": region_key,
    }


@pytest.mark.parametrize("factory", [AgentFactory, AdminFactory], ids=["agent", "centre_admin"])
def test_an_enterprise_of_another_region_is_not_registered(client, factory):
    client.force_login(factory())
    before = counts()
    response = post_json(client, "/api/v1/enterprises/", enterprise_payload("150271", 1))
    assert response.status_code == 400
    assert response.json() == {"region": ["只能登记所在区划为东胜区（含下级区划）的企业。"]}
    assert counts() == before
    # its own region: registered, and it sees what it registered
    response = post_json(client, "/api/v1/enterprises/", enterprise_payload("150602", 2))
    assert response.status_code == 201, response.json()
    assert client.get(f"/api/v1/enterprises/{response.json()['id']}/").status_code == 200
