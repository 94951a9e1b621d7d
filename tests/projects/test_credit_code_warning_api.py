"""The API asks for the same confirmation as the page (issue 11 item 6 / #12): a new credit
code whose region code (positions 3–8) is unknown to the region list held answers 400 naming
the warning, and is accepted with ``credit_code_confirmed: true``; nothing is written before."""

import pytest

from bangban.projects.models import Commission, Enterprise
from bangban.projects.selectors import credit_code_warnings_to_confirm
from tests.projects.factories import AgentFactory, EnterpriseFactory, make_credit_code
from tests.projects.test_commission_api import window_payload

pytestmark = pytest.mark.django_db

HUAWEI = "914403001922038216"  # 440300 深圳市: not in the Inner Mongolia region list
WARNING = (
    "统一社会信用代码第 3–8 位行政区划码 440300 不在本系统掌握的区划代码表中，"
    "请核对（已撤并县区的旧代码仍会出现在较早赋予的信用代码中）。"
    '核对无误请在请求中加上 "credit_code_confirmed": true 后再提交。'
)


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def enterprise_payload(**changes) -> dict:
    return {
        "name": "深圳注册的测试企业有限公司",
        "credit_code": HUAWEI,
        "legal_representative": "张三",
        "contact_name": "李四",
        "contact_mobile": "13900000001",
        "region": "150602",
        **changes,
    }


def test_the_enterprise_api_asks_then_registers(client):
    client.force_login(AgentFactory())
    response = post(client, "/api/v1/enterprises/", enterprise_payload())
    assert response.status_code == 400
    assert response.json() == {"credit_code": [WARNING]}
    assert not Enterprise.objects.exists()

    response = post(client, "/api/v1/enterprises/", enterprise_payload(credit_code_confirmed=True))
    assert response.status_code == 201, response.json()
    assert Enterprise.objects.get().credit_code == HUAWEI


def test_a_held_region_or_a_malformed_code_is_not_asked_about(client):
    client.force_login(AgentFactory())
    ok = post(client, "/api/v1/enterprises/", enterprise_payload(credit_code=make_credit_code(31)))
    assert ok.status_code == 201, ok.json()
    bad = post(client, "/api/v1/enterprises/", enterprise_payload(credit_code="914403001922038217"))
    assert bad.status_code == 400
    assert bad.json()["credit_code"] == ["统一社会信用代码校验位错误（应为 6）。"]


def test_the_commission_api_asks_for_the_embedded_enterprise_then_creates(client):
    client.force_login(AgentFactory())
    payload = window_payload()
    payload["enterprise"]["credit_code"] = HUAWEI
    response = post(client, "/api/v1/commissions/", payload)
    assert response.status_code == 400
    assert response.json() == {"enterprise.credit_code": [WARNING]}
    assert not Commission.objects.exists() and not Enterprise.objects.exists()

    payload["enterprise"]["credit_code_confirmed"] = True
    response = post(client, "/api/v1/commissions/", payload)
    assert response.status_code == 201, response.json()
    assert response.json()["enterprise"]["credit_code"] == HUAWEI


def test_a_registered_code_is_the_registered_enterprise_and_needs_no_confirmation(client):
    registered = EnterpriseFactory(credit_code=HUAWEI)
    assert credit_code_warnings_to_confirm(HUAWEI) == ()
    assert credit_code_warnings_to_confirm(HUAWEI.lower(), current="") == ()
    client.force_login(AgentFactory())
    payload = window_payload()
    payload["enterprise"]["credit_code"] = HUAWEI
    response = post(client, "/api/v1/commissions/", payload)
    assert response.status_code == 201, response.json()
    assert response.json()["enterprise"]["id"] == registered.pk
