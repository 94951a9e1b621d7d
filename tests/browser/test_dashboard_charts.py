"""The dashboard in a real browser (Playwright, Debian's chromium): the five charts are drawn
by static/js/dashboard.js under the Content-Security-Policy with no violation and no script
error, their tables fold away once drawn, and clicking the 不满意 bar of the satisfaction
chart opens the ratings list filtered to it. Screenshots: test-output/supervision/."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client

from tests.supervision.dashboard_world import MONTH, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__csp.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def world(transactional_db):
    call_command("load_reference", verbosity=0, stdout=io.StringIO())
    return build_world()


def test_the_charts_are_drawn_and_a_bar_opens_its_list(page, world, live_server, test_output):
    client = Client()
    client.force_login(world.supervisor)  # the session completes the second factor (conftest)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    problems: list[str] = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on("pageerror", lambda error: problems.append(f"pageerror {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(f"console {message.text}")
            if message.type == "error" and "favicon" not in (message.location or {}).get("url", "")
            else None
        ),
    )
    response = page.goto(f"/supervision/?month={MONTH}")
    assert response is not None and response.status == 200
    assert "script-src 'self'" in response.headers.get("content-security-policy", "")
    page.wait_for_function("document.querySelectorAll('[data-chart] .main-svg').length >= 5")
    assert page.locator("[data-chart][data-drawn='1']").count() == 5
    # drawn: the tables are folded (still there, one click away)
    assert page.locator("details.chart-table[open]").count() == 0
    assert page.evaluate("window.__csp") == []
    out = test_output / "supervision"
    out.mkdir(exist_ok=True)
    page.screenshot(path=str(out / "dashboard.png"), full_page=True)

    # the satisfaction chart: five bars, the fourth is 不满意 (one rating)
    bars = page.locator("#satisfaction [data-chart] g.point path")
    assert bars.count() == 5
    # plotly's drag layer takes the pointer: hover the bar (plotly finds the point under the
    # pointer on mouse moves), then click there, as a user does
    bars.nth(3).scroll_into_view_if_needed()
    box = bars.nth(3).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.wait_for_selector("#satisfaction .hoverlayer .hovertext")
    page.mouse.click(x, y)
    page.wait_for_url("**/ratings/?level=dissatisfied&month=2026-11")
    assert "共 1 条评价" in page.content()
    assert world.commissions["C2"].project.name in page.content()
    page.screenshot(path=str(out / "dashboard-drilled-ratings.png"), full_page=True)
    assert problems == []
