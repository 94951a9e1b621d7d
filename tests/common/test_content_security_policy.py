"""Every answer carries the Content-Security-Policy of settings.SECURE_CSP, and no template
has what that policy would block: an inline script, an on…= handler, a javascript: URL, an
hx-on attribute. The template check walks every template folder, so a new template joins it
by itself. (tests/browser/test_content_security_policy.py loads the pages in Chromium.)"""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from bangban.common.middleware import content_security_policy
from tests.projects.factories import AgentFactory

pytestmark = pytest.mark.django_db

#: The policy written out by hand (docs/security.md): a change of the setting shows here.
EXPECTED = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def test_the_header_value_of_the_setting():
    assert content_security_policy(django_settings.SECURE_CSP) == EXPECTED
    assert content_security_policy({"default-src": ["'none'"]}) == "default-src 'none'"


def test_pages_api_and_errors_carry_the_policy(client, reference_data):
    for url in ("/", "/catalog/", "/plans/preview/", "/api/v1/catalog/items/", "/no-such-page/"):
        response = client.get(url)
        assert response.headers["Content-Security-Policy"] == EXPECTED, url
    client.force_login(AgentFactory())
    for url in ("/accounts/workbench/", "/cases/", "/api/v1/commissions/", "/api/docs/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Content-Security-Policy"] == EXPECTED, url


def test_the_api_docs_load_their_script_from_a_url(client):
    client.force_login(AgentFactory())
    page = client.get("/api/docs/").content.decode()
    inline = [s for s in re.findall(r"<script([^>]*)>", page) if "src=" not in s]
    assert inline == []
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


def test_an_empty_setting_sends_none(client, settings, reference_data):
    settings.SECURE_CSP = {}
    assert "Content-Security-Policy" not in client.get("/catalog/").headers


def template_files() -> list[Path]:
    root = Path(django_settings.BASE_DIR) / "bangban"
    return sorted(root.glob("**/templates/**/*.html"))


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"javascript:", re.I)
HX_ON = re.compile(r"\shx-on[:-]", re.I)


def test_the_checks_catch_what_they_look_for():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert INLINE_SCRIPT.search('<script type="module">x()</script>')
    assert not INLINE_SCRIPT.search('<script src="/static/js/gantt.js" defer></script>')
    assert not INLINE_SCRIPT.search('<script id="f" type="application/json">{}</script>')
    assert HANDLER.search('<select name="state" onchange="this.form.submit()">')
    assert not HANDLER.search('<select name="state" data-autosubmit>')
    assert HX_ON.search('<button hx-on:click="go()">')


def test_no_template_has_what_the_policy_blocks():
    files = template_files()
    assert len(files) > 50  # the walk finds the app templates
    found = [
        f"{path.relative_to(django_settings.BASE_DIR)}: {match.group(0)[:60]}"
        for path in files
        for pattern in (INLINE_SCRIPT, HANDLER, JS_URL, HX_ON)
        for match in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
