import io
import re

import pytest
from django.core.management import call_command

from bangban.web.management.commands.demo_data import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def living_system(transactional_db):
    call_command("load_reference", verbosity=0, stdout=io.StringIO())
    call_command("demo_data", stdout=io.StringIO())


def test_public_catalog_to_agent_workbench(page, living_system, test_output):
    shots = test_output / "foundation"
    shots.mkdir(parents=True, exist_ok=True)

    page.goto("/catalog/")
    assert page.locator("h1").inner_text() == "投资项目审批事项清单"
    total = page.locator("table.items tbody tr").count()
    page.screenshot(path=str(shots / "01-catalog.png"), full_page=True)

    page.select_option("select[name=stage]", label="竣工验收")  # HTMX swaps the table in place
    page.wait_for_url(re.compile(r"stage=completion"))
    page.wait_for_function("document.querySelectorAll('table.items tbody tr').length > 0")
    rows = page.locator("table.items tbody tr")
    assert 0 < rows.count() < total
    for i in range(rows.count()):
        assert rows.nth(i).locator("td").nth(2).inner_text() == "竣工验收"
    page.screenshot(path=str(shots / "02-catalog-completion.png"), full_page=True)

    page.get_by_role("link", name="建设工程消防验收").click()
    page.wait_for_url(re.compile(r"/catalog/items/DS24/"))
    assert "办事指南" in page.content()
    assert page.locator("text=申请材料").count() >= 1
    page.screenshot(path=str(shots / "03-service-guide.png"), full_page=True)

    page.get_by_role("link", name="登录").click()
    page.fill("input[name=username]", "agent")
    page.fill("input[name=password]", "wrong-password")
    page.get_by_role("button", name="登录").click()
    assert "用户名或密码不正确" in page.content()
    page.fill("input[name=username]", "agent")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/accounts/workbench/"))
    assert page.locator("h1").inner_text() == "代办帮办工作台"
    assert "王帮办" in page.content()

    page.screenshot(path=str(shots / "04-agent-workbench.png"), full_page=True)

    # the deadline calculator is among the agent's tools (menu 「工具」)
    page.get_by_role("link", name="工具", exact=True).click()
    page.wait_for_url(re.compile(r"/accounts/workbench/tools/"))
    page.fill("input[name=start]", "2026-09-30")
    page.fill("input[name=days]", "5")
    page.get_by_role("button", name="计算").click()
    page.wait_for_selector(".due-date")
    assert page.locator(".due-date").inner_text() == "2026-10-13"
    page.screenshot(path=str(shots / "05-agent-tools.png"), full_page=True)


def test_catalog_on_a_phone(chromium, live_server, living_system, test_output):
    context = chromium.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, base_url=live_server.url
    )
    page = context.new_page()
    page.goto("/catalog/items/DS28/")
    assert "建筑工程施工许可证核发" in page.locator("h1").inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"page overflows a phone screen: {width}px"
    page.screenshot(path=str(test_output / "foundation" / "05-guide-phone.png"), full_page=True)
    context.close()
