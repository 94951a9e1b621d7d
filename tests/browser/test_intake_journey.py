"""Intake to agreement in a real browser: an enterprise applies on the portal (a bad credit code
is refused and nothing is saved), the admin assigns an agent, the agent verifies, the
enterprise confirms both letters online, and the commission reads 已签约 for both of them."""

import io
import re

import pytest
from django.core.management import call_command

from .login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROJECT = "年产3万吨高性能树脂扩建项目"


@pytest.fixture
def living_system(transactional_db):
    call_command("load_reference", verbosity=0, stdout=io.StringIO())
    call_command("demo_data", stdout=io.StringIO())


def log_out(page) -> None:
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state()


def test_enterprise_applies_admin_assigns_agent_verifies_enterprise_signs(
    page, living_system, test_output
):
    from bangban.projects.models import Commission, Enterprise, Project

    shots = test_output / "intake"
    shots.mkdir(parents=True, exist_ok=True)

    # --- the enterprise applies on the portal --------------------------------------------
    log_in(page, "enterprise")
    # the enterprise's one home: its workbench is the 企业服务台 (/portal/ redirects there)
    assert page.locator("h1").inner_text() == "企业服务台"
    page.screenshot(path=str(shots / "01-portal.png"), full_page=True)
    page.get_by_role("link", name="申请代办帮办服务").first.click()
    page.wait_for_url(re.compile(r"/portal/apply/"))
    good_code = page.input_value("input[name=enterprise-credit_code]")
    bad_code = good_code[:-1] + ("0" if good_code[-1] != "0" else "1")
    page.fill("input[name=enterprise-credit_code]", bad_code)
    page.fill("input[name=project-name]", PROJECT)
    page.select_option("select[name=project-region]", label="鄂尔多斯市 · 东胜区")
    page.fill("input[name=project-industry_code]", "C2651")
    page.fill("input[name=project-total_investment_wan]", "26000")
    page.select_option("select[name=project-land_source]", "transfer")
    page.fill("input[name=project-land_area_ha]", "6.5")
    page.fill("input[name=project-building_area_m2]", "21000")
    page.check("input[name=project-special_construction]")
    commissions_before = Commission.objects.count()
    projects_before = Project.objects.count()
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_selector("#field-enterprise-credit_code .errorlist")
    error = page.locator("#field-enterprise-credit_code .errorlist").inner_text()
    assert "校验位错误" in error
    assert "申请未提交" in page.content()
    assert Commission.objects.count() == commissions_before
    assert Project.objects.count() == projects_before
    assert Enterprise.objects.filter(credit_code=good_code).exists()
    page.locator("#field-enterprise-credit_code").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "02-bad-credit-code.png"), full_page=True)

    page.fill("input[name=enterprise-credit_code]", good_code)
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(r"/commissions/\d+/$"))
    pk = int(re.search(r"/commissions/(\d+)/", page.url).group(1))
    assert "申请已提交" in page.content()
    assert page.locator(".state-text").inner_text() == "已申请"
    page.screenshot(path=str(shots / "03-applied.png"), full_page=True)
    log_out(page)

    # --- the admin assigns an agent --------------------------------------------------------
    log_in(page, "admin")
    row = page.locator("tr", has_text=PROJECT)
    assert row.count() == 1
    page.screenshot(path=str(shots / "04-admin-workbench.png"), full_page=True)
    row.get_by_role("link", name="指定…").click()
    page.wait_for_url(re.compile(rf"/commissions/{pk}/"))
    option = page.locator("select[name=a-agent] option", has_text="王帮办")
    page.select_option("select[name=a-agent]", option.get_attribute("value"))
    page.fill("input[name=a-reason]", "熟悉新材料项目")
    page.get_by_role("button", name="指派", exact=True).click()
    page.wait_for_selector(".messages .msg-success")
    assert "已指派代办帮办员：王帮办" in page.content()
    assert page.locator(".agent-name").inner_text().startswith("王帮办")
    page.screenshot(path=str(shots / "05-assigned.png"), full_page=True)
    log_out(page)

    # --- the agent verifies --------------------------------------------------------------------
    log_in(page, "agent")
    assert page.locator("h1").inner_text() == "代办帮办工作台"
    # the assigned application waits for its step (核实) among the agent's commissions
    page.locator("#wb-commission-steps").get_by_role("link", name=PROJECT).click()
    page.wait_for_url(re.compile(rf"/commissions/{pk}/"))
    page.check("input[name=v-is_new_capacity][value='1']")
    page.get_by_role("button", name="核实", exact=True).click()
    page.wait_for_selector(".messages .msg-success")
    # the seed holds a fraction of the 2024 catalog: the agent confirms an industrial project
    # against the full text before it goes on
    assert "目录尚未完整导入" in page.content()
    page.fill("textarea[name=ce-note]", "已对照《产业结构调整指导目录（2024年本）》官方文本全文")
    page.get_by_role("button", name="确认并继续办理").click()
    page.wait_for_selector(".messages .msg-success")
    assert "按允许类继续办理" in page.content()
    assert page.locator(".state-text").inner_text() == "已核实"
    assert "核实结论" in page.content()
    page.screenshot(path=str(shots / "06-verified.png"), full_page=True)
    log_out(page)

    # --- the enterprise confirms both letters online --------------------------------------
    log_in(page, "enterprise")
    page.goto("/portal/")
    page.wait_for_url(re.compile(r"/accounts/workbench/$"))
    card = page.locator(f"#commission-{pk}")
    assert "待签署文书" in card.inner_text()
    page.screenshot(path=str(shots / "07-portal-to-sign.png"), full_page=True)
    # 待您办理: both letters of the project, each confirmed from the list
    todo = page.locator("#wb-todo li", has_text=PROJECT)
    todo.get_by_role("button", name="在线确认授权委托书").click()
    page.wait_for_selector(".messages .msg-success")
    todo = page.locator("#wb-todo li", has_text=PROJECT)
    todo.get_by_role("button", name="在线确认承诺书").click()
    page.wait_for_selector(".messages .msg-success")
    assert "双方已签约" in page.content()
    card = page.locator(f"#commission-{pk}")
    assert "已签约" in card.locator(".state").inner_text()
    page.screenshot(path=str(shots / "08-portal-agreed.png"), full_page=True)
    page.goto(f"/commissions/{pk}/")
    assert page.locator(".state-text").inner_text() == "已签约"
    log_out(page)

    # --- the agent sees it agreed too ------------------------------------------------------------
    log_in(page, "agent")
    page.goto(f"/commissions/{pk}/")
    assert page.locator(".state-text").inner_text() == "已签约"
    history = page.locator(".timeline").inner_text()
    for step in ("申请", "指派代办员", "核实", "确认授权委托书", "确认承诺书", "签约"):
        assert step in history
    page.screenshot(path=str(shots / "09-agent-agreed.png"), full_page=True)
    commission = Commission.objects.get(pk=pk)
    assert commission.state == "agreed" and commission.agent.username == "agent"


def test_the_portal_and_its_form_fit_a_phone(chromium, live_server, living_system, test_output):
    context = chromium.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, base_url=live_server.url
    )
    page = context.new_page()
    log_in(page, "enterprise")
    for name, url in [("10-phone-portal", "/portal/"), ("11-phone-apply", "/portal/apply/")]:
        page.goto(url)
        page.screenshot(path=str(test_output / "intake" / f"{name}.png"), full_page=True)
        page.screenshot(path=str(test_output / "intake" / f"{name}-top.png"))
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 400, f"{url} overflows a phone screen: {width}px"
    context.close()
