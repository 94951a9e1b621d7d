"""The plan pages on a phone (390 px wide, as an iPhone 12–15): nothing runs off the right
edge of the page, a date input lies inside the viewport, and every input, select and textarea
has a font of at least 16 px (smaller ones make mobile browsers zoom in on focus).

Screenshots go to test-output/phone/ — look at them: boxes instead of Chinese or a broken
layout mean the page is broken even when the numbers pass."""

import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

#: For every visible input (not hidden, checkbox or radio), select and textarea: its name,
#: type, computed font size in px and bounding box.
FIELDS_JS = """
() => [...document.querySelectorAll('input, select, textarea')]
  .filter(e => e.type !== 'hidden' && e.type !== 'checkbox' && e.type !== 'radio')
  .filter(e => e.getClientRects().length > 0)
  .map(e => {
    const r = e.getBoundingClientRect();
    return {name: e.name || e.id, type: e.type || e.tagName.toLowerCase(),
            font: parseFloat(getComputedStyle(e).fontSize),
            left: r.left + window.scrollX, right: r.right + window.scrollX, width: r.width};
  })
"""


def _log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def _check_phone_layout(page, what: str, *, dates: int, fields: bool = True) -> list[dict]:
    """No horizontal overflow; every field ≥ 16 px and inside the viewport; at least `dates`
    date inputs among them (and some field at all, unless `fields` is False)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{what}: the page is {width}px wide"
    found = page.evaluate(FIELDS_JS)
    assert found or not fields, what
    fields = found
    small = [f for f in fields if f["font"] < 16]
    assert not small, f"{what}: fonts below 16px: {small}"
    outside = [f for f in fields if f["left"] < 0 or f["right"] > PHONE["width"] + 0.5]
    assert not outside, f"{what}: fields off screen: {outside}"
    date_inputs = [f for f in fields if f["type"] == "date"]
    assert len(date_inputs) >= dates, f"{what}: {date_inputs}"
    for field in date_inputs:
        assert field["width"] >= 120, f"{what}: date input squeezed: {field}"
    return fields


@pytest.fixture
def agreed_plan(transactional_db):
    """An agreed commission of 东胜区 with its draft plan, and its agent."""
    call_command("load_reference", verbosity=0, stdout=io.StringIO())
    from bangban.planning import services as plan_services
    from tests.projects.factories import AgentFactory, CommissionFactory, DongshengProjectFactory

    agent = AgentFactory(username="phone-agent", display_name="手机代办员")
    project = DongshengProjectFactory(
        name="东胜区智能装备制造产业园项目",
        land_source="transfer",
        land_area_ha=6,
        building_area_m2=42000,
        energy_tce=3000,
        eia_category="report_form",
        special_construction=True,
        lightning_protection=True,
    )
    commission = CommissionFactory(
        project=project,
        state="agreed",
        agent=agent,
        agreed_at=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC),
    )
    plan_services.plan_generate(commission=commission, actor=agent)
    return commission, agent


def test_the_plan_preview_on_a_phone_keeps_its_date_input_on_screen(
    chromium, live_server, reference_data, test_output
):
    shots = test_output / "phone"
    shots.mkdir(parents=True, exist_ok=True)
    context = chromium.new_context(
        locale="zh-CN",
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        base_url=live_server.url,
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto("/plans/preview/")
        _check_phone_layout(page, "preview form", dates=1)
        start = page.locator("input[name=start_date]")
        box = start.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
        start.scroll_into_view_if_needed()
        page.screenshot(path=str(shots / "01-preview-form.png"))

        start.fill("2026-03-02")
        page.fill("input[name=land_area_ha]", "6")
        page.select_option("select[name=land_source]", "transfer")
        page.fill("input[name=building_area_m2]", "42000")
        page.get_by_role("button", name="生成审批方案").click()
        page.wait_for_selector("#plan-gantt svg.main-svg")
        _check_phone_layout(page, "preview result", dates=1)
        page.evaluate("document.getElementById('plan-result').scrollIntoView()")
        page.screenshot(path=str(shots / "02-preview-result.png"))
    finally:
        context.close()


def test_the_commission_plan_on_a_phone(chromium, live_server, agreed_plan, test_output):
    commission, agent = agreed_plan
    shots = test_output / "phone"
    shots.mkdir(parents=True, exist_ok=True)
    context = chromium.new_context(
        locale="zh-CN",
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        base_url=live_server.url,
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        _log_in(page, live_server, agent)
        page.goto(f"/commissions/{commission.pk}/plan/")
        page.locator("#plan-gantt .main-svg").first.wait_for()
        fields = _check_phone_layout(page, "draft plan", dates=0)
        assert {"code", "reason"} <= {f["name"] for f in fields}
        # every row of the item list is readable without scrolling sideways: its dates
        # lie inside the viewport
        rows = page.locator("table.plan-items tbody tr")
        assert rows.count() >= 5
        for i in (0, rows.count() - 1):
            row = rows.nth(i)
            row.scroll_into_view_if_needed()
            box = row.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 0.5, box
            assert row.locator("td.plan-date").count() >= 2
            for cell in row.locator("td.plan-date").all():
                cell_box = cell.bounding_box()
                assert cell_box["x"] + cell_box["width"] <= PHONE["width"] + 0.5, cell_box
        page.screenshot(path=str(shots / "03-plan-last-rows.png"))
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(shots / "03-plan-top.png"))
        page.locator("#plan-actions").scroll_into_view_if_needed()
        page.screenshot(path=str(shots / "04-plan-actions.png"))
        page.locator("#plan-items").scroll_into_view_if_needed()
        page.screenshot(path=str(shots / "05-plan-items.png"))

        # Fixed: each row gains its baseline and its actual dates (and any control the
        # ledger puts there) — still inside the screen.
        from bangban.planning import services as plan_services

        commission.refresh_from_db()
        plan_services.plan_fix(commission=commission, actor=agent)
        page.reload()
        page.locator("#plan-gantt .main-svg").first.wait_for()
        _check_phone_layout(page, "fixed plan", dates=0, fields=False)
        row = page.locator("table.plan-items tbody tr").first
        assert row.locator("td.plan-date").count() == 3  # start, due, baseline due
        for cell in row.locator("td").all():
            box = cell.bounding_box()
            if box is not None:
                assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 0.5, box
        row.scroll_into_view_if_needed()
        page.screenshot(path=str(shots / "06-fixed-plan-items.png"))
    finally:
        context.close()
