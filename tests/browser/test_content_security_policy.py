"""The Content-Security-Policy in a real browser: the main pages of several roles load with
no policy violation and no script error, the Gantt charts (drawn by static/js/gantt.js from a
JSON data block, on page load and after an htmx swap) are really there, and the list filter
that submits on change (static/js/bangban.js) works without an inline handler.

A violation shows twice: Chromium logs it to the console ("…violates the following Content
Security Policy directive…"), and the page fires ``securitypolicyviolation``, which a listener
installed by the driver (an init script: not subject to the page's policy) records.
Screenshot: test-output/csp/plan-gantt.png — the Gantt with its Chinese labels."""

import io
import re

import pytest
from django.core.management import call_command

from .login import log_in
from .test_planner_preview import _fill_chemical_plant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAN_PROJECT = "东胜区绿色算力数据中心项目"

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__csp.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture
def living_system(transactional_db):
    call_command("load_reference", verbosity=0, stdout=io.StringIO())
    call_command("demo_data", stdout=io.StringIO())


class Watch:
    """Console errors, uncaught exceptions and policy violations of one page, all pages."""

    def __init__(self, page):
        self.page = page
        self.problems: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"{page.url} pageerror {error}"))

    def _console(self, message):
        if message.type == "error" or "Content Security Policy" in message.text:
            if "favicon.ico" in (message.location or {}).get("url", ""):
                return  # no favicon: a 404 the browser asks for by itself, not ours
            self.problems.append(f"{self.page.url} console {message.type}: {message.text}")

    def open(self, path: str):
        response = self.page.goto(path)
        assert response is not None and response.status == 200, path
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "unsafe-eval" not in policy, path
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy, path
        self.page.wait_for_load_state("load")
        self.check()
        return response

    def check(self):
        violations = self.page.evaluate("window.__csp || []")
        self.problems.extend(f"{self.page.url} violation {v}" for v in violations)
        assert self.problems == []


def test_pages_of_several_roles_run_under_the_policy(page, living_system, test_output):
    from bangban.catalog.models import Item
    from bangban.projects.models import Commission

    shots = test_output / "csp"
    shots.mkdir(parents=True, exist_ok=True)
    watch = Watch(page)
    commission = Commission.objects.get(project__name=PLAN_PROJECT)

    # --- anonymous: landing, the public catalog and a service guide (办事指南) --------------
    watch.open("/")
    watch.open("/catalog/")
    code = Item.objects.order_by("code").values_list("code", flat=True).first()
    watch.open(f"/catalog/items/{code}/")

    # --- the public planner: the plan arrives by an htmx swap and its chart is drawn ------
    watch.open("/plans/preview/")
    _fill_chemical_plant(page)
    page.get_by_role("button", name="生成审批方案").click()
    page.wait_for_selector("#plan-gantt svg.main-svg")
    assert page.url.endswith("/plans/preview/")  # swapped in, no page load
    assert page.locator("#plan-gantt .barlayer .point").count() >= 28
    # A second swap replaces the chart; the new one is drawn too.
    page.fill("input[name=project_name]", "年产 30 万吨乙二醇项目")
    page.get_by_role("button", name="生成审批方案").click()
    page.get_by_role("heading", name=re.compile("年产 30 万吨乙二醇项目")).wait_for()
    page.wait_for_selector("#plan-gantt svg.main-svg")
    assert page.locator("#plan-gantt svg.main-svg").count() >= 1
    watch.check()

    # --- the agent: workbench, commissions (filter on change), plan with Gantt, ledger ----
    log_in(page, "agent2")
    watch.check()
    watch.open("/commissions/")
    page.select_option("select[name=state]", "agreed")  # bangban.js submits the form
    page.wait_for_url(re.compile(r"/commissions/\?state=agreed$"))
    assert page.get_by_text(PLAN_PROJECT).count() >= 1
    watch.check()
    watch.open(f"/commissions/{commission.pk}/")
    watch.open(f"/commissions/{commission.pk}/plan/")
    page.locator("#plan-gantt svg.main-svg").first.wait_for()
    assert page.locator("#plan-gantt").get_by_text("关键路径事项").count() >= 1
    # Hover a critical bar (the first trace holds invisible anchors): plotly styles its label.
    bar = page.locator("#plan-gantt .barlayer .trace").nth(1).locator(".point path").first
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.locator("#plan-gantt .hoverlayer .hovertext").first.wait_for()
    watch.check()
    page.locator("#gantt").screenshot(path=str(shots / "plan-gantt.png"))
    watch.open("/cases/")
    watch.open("/accounts/workbench/")
    watch.open("/api/docs/")
    page.locator(".swagger-ui .info").first.wait_for()
    watch.check()

    # --- other roles: the enterprise's portal, a department's inbox, the supervisor -------
    for username, paths in (
        ("enterprise", ["/portal/", "/accounts/workbench/"]),
        ("officer", ["/cases/inbox/", "/cases/"]),
        ("supervisor", ["/accounts/workbench/", "/cases/"]),
    ):
        page.context.clear_cookies()
        log_in(page, username)
        watch.check()
        for path in paths:
            watch.open(path)

    # --- the centre admin's admin site --------------------------------------------------
    page.context.clear_cookies()
    log_in(page, "admin")
    watch.open("/admin/")
    watch.open("/admin/projects/project/")
