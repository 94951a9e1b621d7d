"""A logged-in user's answers are never cached by a browser or proxy (Cache-Control private,
no-store), pages and API alike, while public pages and static files stay cacheable; every
answer carries a Permissions-Policy; HSTS is on behind HTTPS only; an anonymous API call
answers 401 and says how to authenticate."""

import pytest
from rest_framework.authtoken.models import Token

from bangban.common.middleware import PERMISSIONS_POLICY
from tests.projects.factories import AgentFactory

pytestmark = pytest.mark.django_db


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.headers.get("Cache-Control", "").split(",")}


def test_authenticated_pages_and_api_are_private_and_not_stored(client, reference_data):
    agent = AgentFactory()
    client.force_login(agent)
    for url in ("/accounts/workbench/", "/cases/", "/api/v1/commissions/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert {"private", "no-store"} <= cache_control(response), url
        assert response.headers["Permissions-Policy"] == PERMISSIONS_POLICY


def test_a_token_client_of_the_api_is_private_too(client, reference_data):
    token = Token.objects.create(user=AgentFactory())
    response = client.get("/api/v1/commissions/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_control(response)


def test_public_pages_stay_cacheable(client, reference_data):
    response = client.get("/catalog/")
    assert response.status_code == 200
    assert "no-store" not in cache_control(response)
    assert response.headers["Permissions-Policy"] == PERMISSIONS_POLICY


def test_hsts_only_behind_https(settings):
    from bangban import settings as project

    assert project.SECURE_HSTS_SECONDS in (0, 31_536_000)
    assert (project.SECURE_HSTS_SECONDS > 0) == project.SESSION_COOKIE_SECURE


def test_an_anonymous_api_call_is_told_how_to_authenticate(client, reference_data):
    response = client.get("/api/v1/commissions/")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Token")
    assert response.json() == {"detail": "身份认证信息未提供。"}
