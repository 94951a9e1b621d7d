"""Errors a user can cause are answered in Chinese, also with debug off."""

import pytest
from rest_framework.test import APIClient

from tests.projects.factories import AgentFactory

pytestmark = pytest.mark.django_db


def test_a_missing_page_answers_in_chinese(client, settings):
    settings.DEBUG = False
    answer = client.get("/commissions/999999/")
    assert answer.status_code in (302, 404)
    client.force_login(AgentFactory())
    answer = client.get("/no-such-page/")
    assert answer.status_code == 404
    assert "页面不存在" in answer.content.decode()


def test_malformed_json_is_refused_in_chinese():
    client = APIClient()
    client.force_authenticate(AgentFactory())
    answer = client.post(
        "/api/v1/consultations/", data="{bad json", content_type="application/json"
    )
    assert answer.status_code == 400
    assert answer.json()["detail"] == "请求内容无法解析，请提交有效的 JSON。"
