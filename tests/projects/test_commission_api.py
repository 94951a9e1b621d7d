"""The REST API of intake and agreement: create, act, 400/403/404/409 in Chinese."""

import pytest

from bangban.projects.models import Commission, Consultation, Enterprise, Project

from .factories import (
    AdminFactory,
    AgentFactory,
    CommissionFactory,
    EnterpriseUserFactory,
    make_credit_code,
)

pytestmark = pytest.mark.django_db


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def window_payload(**changes):
    payload = {
        "enterprise": {
            "name": "接口测试新能源有限公司",
            "credit_code": make_credit_code(990001),
            "legal_representative": "周一",
            "contact_name": "吴二",
            "contact_mobile": "13600001111",
            "region": "150602",
        },
        "project": {
            "name": "接口测试储能项目",
            "region": "150602",
            "attributes": {
                "total_investment_wan": 8000,
                "land_source": "transfer",
                "land_area_ha": 2,
            },
        },
    }
    payload.update(changes)
    return payload


def test_window_staff_create_a_commission_and_get_the_whole_detail(client):
    agent = AgentFactory()
    client.force_login(agent)
    response = post(client, "/api/v1/commissions/", window_payload())
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "applied" and body["state_label"] == "已申请"
    assert body["channel"] == "window" and body["version"] == 1
    assert body["enterprise"]["name"] == "接口测试新能源有限公司"
    assert body["project"]["attributes"]["land_area_ha"] == 2.0
    assert body["lead_department"]["key"] == "dongsheng-bbdb"
    assert [h["action"] for h in body["history"]] == ["apply"]
    assert body["documents"][0]["kind"] == "application"
    assert "assign" in body["allowed_actions"] and "verify" in body["allowed_actions"]


def test_bad_input_is_refused_with_chinese_messages_naming_the_fields(client):
    client.force_login(AgentFactory())
    payload = window_payload()
    payload["enterprise"]["credit_code"] = "123"
    payload["project"]["attributes"] = {
        "land_area_ha": -3,
        "colour": "red",
        "is_key_project": "yes",
    }
    response = post(client, "/api/v1/commissions/", payload)
    assert response.status_code == 400
    errors = response.json()
    assert errors == {
        "project.land_area_ha": ["不能小于 0。"],
        "project.colour": ["未知的项目属性。"],
        "project.is_key_project": ["应为布尔值（true/false）。"],
    }
    payload["project"]["attributes"] = {}
    response = post(client, "/api/v1/commissions/", payload)
    assert response.json() == {
        "enterprise.credit_code": ["统一社会信用代码应为 18 位（当前 3 位）。"]
    }
    response = post(client, "/api/v1/commissions/", {"scope": "some"})
    assert response.status_code == 400
    assert "委托范围应为" in response.json()["scope"][0]
    payload = window_payload()
    payload["project"]["region"] = "nowhere"
    assert post(client, "/api/v1/commissions/", payload).json() == {
        "project.region": ["未知的区划：nowhere。"]
    }
    assert not Commission.objects.exists() and not Project.objects.exists()
    assert not Enterprise.objects.exists()


def test_the_enterprise_applies_for_its_own_enterprise(client):
    user = EnterpriseUserFactory()
    client.force_login(user)
    response = post(
        client,
        "/api/v1/commissions/",
        {
            "project": {"name": "企业自行申请项目", "region": "150602"},
            "scope": "partial",
            "scope_stages": ["construction"],
            "scope_items": ["DS28"],
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["channel"] == "portal" and body["enterprise"]["id"] == user.enterprise_id
    assert body["scope_items"] == ["DS28"] and body["scope_stages"] == ["construction"]


def test_the_journey_through_the_api_with_the_optimistic_lock(client):
    admin, agent, user = AdminFactory(), AgentFactory(mobile="13900000002"), EnterpriseUserFactory()
    commission = CommissionFactory(
        project__enterprise=user.enterprise, project__industry_code="C2651"
    )
    url = f"/api/v1/commissions/{commission.pk}"
    client.force_login(admin)
    body = post(client, f"{url}/assign/", {"version": 1}).json()
    assert body["agent"]["id"] == agent.pk and body["version"] == 2
    stale = post(client, f"{url}/assign/", {"version": 1, "agent_id": agent.pk})
    assert stale.status_code == 409
    assert stale.json() == {"detail": "该委托已被他人修改，请刷新后重试。"}
    client.force_login(agent)
    missing = post(client, f"{url}/verify/", {"version": 2})
    assert missing.status_code == 400
    assert missing.json() == {"is_new_capacity": ["请说明是否新建或新增产能 is_new_capacity。"]}
    body = post(client, f"{url}/verify/", {"version": 2, "is_new_capacity": True}).json()
    # the seed holds a fraction of the 2024 catalog: an industrial project (C2651) found in
    # none of it waits for the agent's confirmation against the full text
    assert body["state"] == "applied" and body["eligibility"]["outcome"] == "eligible"
    assert body["eligibility"]["outcome_label"] == "允许类，可以办理（待代办员确认）"
    assert body["eligibility"]["awaiting_confirmation"] is True
    assert body["allowed_actions"][:2] == ["verify", "confirm-eligibility"]
    coverage = body["eligibility"]["coverage"]
    assert coverage["totals"] == {"encourage": 352, "restrict": 231, "eliminate": 422}
    assert coverage["complete"] is False
    assert body["eligibility"]["explanation"][-1].endswith("目录尚未完整导入。")
    blank = post(client, f"{url}/confirm-eligibility/", {"version": body["version"], "note": " "})
    assert blank.status_code == 400 and blank.json() == {"note": ["请写明核对依据 note。"]}
    body = post(
        client,
        f"{url}/confirm-eligibility/",
        {"version": body["version"], "note": "已对照2024年本官方文本全文"},
    ).json()
    assert body["state"] == "verified" and body["eligibility"]["awaiting_confirmation"] is False
    assert "核对说明：已对照2024年本官方文本全文" in body["eligibility"]["explanation"][-1]
    illegal = post(client, f"{url}/agree/", {"version": body["version"]})
    assert illegal.status_code == 400
    assert illegal.json() == {"detail": ["授权委托书和承诺书均签署后才能签约。"]}
    forbidden = post(client, f"{url}/confirm-authorization/", {"version": body["version"]})
    assert forbidden.status_code == 403
    assert forbidden.json() == {"detail": "您的角色不能执行「确认授权委托书」。"}
    client.force_login(user)
    body = post(client, f"{url}/confirm-authorization/", {"version": body["version"]}).json()
    assert "confirm-commitment" in body["allowed_actions"]
    body = post(client, f"{url}/confirm-commitment/", {"version": body["version"]}).json()
    assert body["state"] == "agreed" and body["state_label"] == "已签约"
    assert [h["action"] for h in body["history"]] == [
        "assign",
        "await_confirmation",
        "confirm_eligible",
        "confirm_authorization",
        "confirm_commitment",
        "agree",
    ]
    kinds = {d["kind"] for d in body["documents"]}
    assert {"application", "authorization", "commitment"} <= kinds
    document = client.get(f"{url}/documents/authorization/")
    assert document.status_code == 200
    assert document["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    again = post(client, f"{url}/terminate/", {"version": body["version"], "reason_category": "x"})
    assert again.status_code == 400 and "终止原因应为" in again.json()["reason_category"][0]


def test_consultations_through_the_api(client):
    agent = AgentFactory()
    client.force_login(agent)
    response = post(
        client,
        "/api/v1/consultations/",
        {"channel": "hotline_12345", "topic": "施工许可咨询", "question": "需要什么材料？"},
    )
    assert response.status_code == 201
    consultation = Consultation.objects.get()
    assert response.json()["region"]["key"] == agent.region.key
    bad = post(client, "/api/v1/consultations/", {"channel": "fax", "topic": "", "question": "x"})
    assert bad.status_code == 400 and set(bad.json()) == {"channel", "topic"}
    created = post(
        client, "/api/v1/commissions/", window_payload(consultation_id=consultation.pk)
    ).json()
    assert created["channel"] == "consultation"
    consultation.refresh_from_db()
    assert consultation.converted_commission_id == created["id"]


def test_enterprises_endpoint_registers_for_staff_only(client):
    payload = window_payload()["enterprise"]
    client.force_login(EnterpriseUserFactory())
    assert post(client, "/api/v1/enterprises/", payload).status_code == 403
    client.force_login(AgentFactory())
    response = post(client, "/api/v1/enterprises/", payload)
    assert response.status_code == 201 and response.json()["credit_code"] == payload["credit_code"]
    duplicate = post(client, "/api/v1/enterprises/", payload)
    assert duplicate.status_code == 400 and "credit_code" in duplicate.json()


def test_anonymous_callers_are_refused(client):
    assert client.get("/api/v1/commissions/").status_code in (401, 403)


def test_the_schema_documents_every_endpoint_with_tags_and_summaries(client):
    schema = client.get("/api/schema/?format=json").json()
    paths = schema["paths"]
    for path in [
        "/api/v1/enterprises/",
        "/api/v1/projects/",
        "/api/v1/commissions/",
        "/api/v1/commissions/{id}/",
        "/api/v1/commissions/{id}/verify/",
        "/api/v1/commissions/{id}/assign/",
        "/api/v1/commissions/{id}/confirm-authorization/",
        "/api/v1/commissions/{id}/confirm-commitment/",
        "/api/v1/commissions/{id}/agree/",
        "/api/v1/commissions/{id}/terminate/",
        "/api/v1/consultations/",
    ]:
        assert path in paths, path
        for operation in paths[path].values():
            assert operation["tags"] and operation["summary"], path
