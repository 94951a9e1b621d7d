"""Scoping (SPEC §8): every role sees only its part; another party's object answers 404 on
the page, the API, the actions and the documents alike."""

import pytest
from django.urls import reverse

from bangban.accounts.models import Role

from .factories import (
    AdminFactory,
    AgentFactory,
    CommissionFactory,
    ConsultationFactory,
    DongshengProjectFactory,
    EnterpriseUserFactory,
    UserFactory,
    department,
    region,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    a1 = AgentFactory(username="a1")
    a2 = AgentFactory(username="a2")
    owner = EnterpriseUserFactory(username="owner")
    sponsor = UserFactory(
        username="sponsor",
        role=Role.SPONSOR,
        region=region("ordos-hitech"),
        department=department("ordos-hitech-xny"),
    )
    assigned = CommissionFactory(agent=a1, state="verified", project__enterprise=owner.enterprise)
    unassigned = CommissionFactory()
    hitech = CommissionFactory(
        project=DongshengProjectFactory(
            region=region("ordos-hitech"),
            sponsor=sponsor,
            sponsor_department=department("ordos-hitech-xny"),
        ),
        lead_department=department("ordos-hitech-fgj"),
    )
    users = {
        "owner": owner,
        "other_enterprise": EnterpriseUserFactory(username="other"),
        "a1": a1,
        "a2": a2,
        "hitech_agent": AgentFactory(
            username="hitech-agent",
            region=region("ordos-hitech"),
            department=department("ordos-hitech-zwfw"),
        ),
        "zjj_officer": UserFactory(
            username="zjj", role=Role.DEPT_OFFICER, department=department("dongsheng-zjj")
        ),
        "fgj_helper": UserFactory(
            username="fgj",
            role=Role.DEPT_HELPER,
            region=region("ordos-hitech"),
            department=department("ordos-hitech-fgj"),
        ),
        "sponsor": sponsor,
        "admin": AdminFactory(username="admin-ds"),
        "supervisor": UserFactory(
            username="sup", role=Role.SUPERVISOR, region=region("150600"), department=None
        ),
        "leader": UserFactory(
            username="lead", role=Role.LEADER, region=region("ordos-hitech"), department=None
        ),
        "errand": UserFactory(
            username="errand",
            role=Role.ERRAND,
            region=region("horinger-new-area"),
            department=department("horinger-zhenglian"),
        ),
    }
    commissions = {"assigned": assigned, "unassigned": unassigned, "hitech": hitech}
    return users, commissions


VISIBLE = {
    "owner": {"assigned"},
    "other_enterprise": set(),
    "a1": {"assigned", "unassigned"},
    "a2": {"assigned", "unassigned"},  # a colleague of a1's centre reads, to cover for it
    "hitech_agent": {"hitech"},  # 发展规划局 has no agents: the zone's 政务服务局 pool
    "zjj_officer": set(),
    "fgj_helper": {"hitech"},
    "sponsor": {"hitech"},
    "admin": {"assigned", "unassigned"},
    "supervisor": {"assigned", "unassigned", "hitech"},
    "leader": {"hitech"},
    "errand": set(),
}


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_each_role_sees_its_commissions_and_gets_404_for_the_others(client, world, who):
    users, commissions = world
    client.force_login(users[who])
    listed = {c["id"] for c in client.get("/api/v1/commissions/").json()["results"]}
    expected = {commissions[name].pk for name in VISIBLE[who]}
    assert listed == expected
    page = client.get(reverse("projects:commission_list")).content.decode()
    for name, commission in commissions.items():
        detail = client.get(reverse("projects:commission_detail", args=[commission.pk]))
        api = client.get(f"/api/v1/commissions/{commission.pk}/")
        document = client.get(
            reverse("projects:commission_document", args=[commission.pk, "application"])
        )
        project = client.get(f"/api/v1/projects/{commission.project_id}/")
        if name in VISIBLE[who]:
            assert detail.status_code == api.status_code == document.status_code == 200
            assert project.status_code == 200
            assert commission.number in page
        else:
            assert detail.status_code == api.status_code == document.status_code == 404
            assert project.status_code == 404
            assert commission.number not in page
            assert api.json() == {"detail": "未找到。"}


@pytest.mark.parametrize("who", ["other_enterprise", "zjj_officer", "errand", "hitech_agent"])
def test_actions_on_anothers_commission_answer_404_and_change_nothing(client, world, who):
    users, commissions = world
    target = commissions["assigned"]
    client.force_login(users[who])
    for action in ("verify", "assign", "confirm-authorization", "agree", "terminate"):
        response = client.post(
            f"/api/v1/commissions/{target.pk}/{action}/",
            {"version": 1, "is_new_capacity": True, "reason_category": "investor_request"},
            content_type="application/json",
        )
        assert response.status_code == 404, action
        page = client.post(
            reverse("projects:commission_action", args=[target.pk, action]), {"version": 1}
        )
        assert page.status_code == 404, action
    target.refresh_from_db()
    assert target.version == 1 and target.state == "verified"


def test_enterprises_are_scoped_too(client, world):
    users, commissions = world
    owner_enterprise = users["owner"].enterprise
    client.force_login(users["other_enterprise"])
    assert client.get(f"/api/v1/enterprises/{owner_enterprise.pk}/").status_code == 404
    ids = {e["id"] for e in client.get("/api/v1/enterprises/").json()["results"]}
    assert ids == {users["other_enterprise"].enterprise_id}
    client.force_login(users["owner"])
    assert client.get(f"/api/v1/enterprises/{owner_enterprise.pk}/").status_code == 200


def test_consultations_are_for_staff_of_the_region(client, world):
    users, _ = world
    consultation = ConsultationFactory()
    for who, visible in [
        ("a1", True),
        ("admin", True),
        ("supervisor", True),
        ("leader", False),
        ("owner", False),
        ("sponsor", False),
        ("hitech_agent", False),
    ]:
        client.force_login(users[who])
        response = client.get(f"/api/v1/consultations/{consultation.pk}/")
        assert response.status_code == (200 if visible else 404), who
    client.force_login(users["owner"])
    assert client.get(reverse("projects:consultation_list")).status_code == 403


def test_supervisors_and_leaders_read_but_never_act(client, world):
    users, commissions = world
    client.force_login(users["supervisor"])
    target = commissions["unassigned"]
    response = client.post(
        f"/api/v1/commissions/{target.pk}/terminate/",
        {"version": 1, "reason_category": "conditions_lost", "note": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "只能查看" in response.json()["detail"]
    page = client.get(reverse("projects:commission_detail", args=[target.pk])).content.decode()
    assert "只能查看" in page and "确认终止" not in page


def test_pages_of_other_roles_answer_403_in_chinese(client, world):
    users, _ = world
    client.force_login(users["a1"])
    response = client.get(reverse("projects:portal"))
    assert response.status_code == 403 and "您的角色不能使用该页面" in response.content.decode()
    client.force_login(users["owner"])
    assert client.get(reverse("projects:window_apply")).status_code == 403
    assert client.get(reverse("projects:sponsor_push")).status_code == 403
