"""An investor previews a plan in the browser: form → HTMX result → Gantt chart → downloads."""

import re

import pytest
from docx import Document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill_chemical_plant(page) -> None:
    page.fill("input[name=project_name]", "年产 20 万吨乙二醇项目")
    page.fill("input[name=enterprise_name]", "鄂尔多斯市某某化工有限公司")
    page.fill("input[name=start_date]", "2026-01-26")
    page.select_option("select[name=investment_type]", "enterprise_approval")
    page.fill("input[name=industry_code]", "c2614")
    page.fill("input[name=total_investment_wan]", "120000")
    page.select_option("select[name=land_source]", label="自有存量用地")
    page.fill("input[name=land_area_ha]", "8")
    page.fill("input[name=energy_tce]", "15000")
    page.fill("input[name=electricity_wan_kwh]", "8000")
    page.select_option("select[name=eia_category]", "report_book")
    page.fill("input[name=building_area_m2]", "30000")
    for label in ("自行取水", "特殊建设工程", "需防雷装置设计审核和验收"):
        page.get_by_label(label).check()


def test_investor_previews_a_plan_and_downloads_the_notice(page, reference_data, test_output):
    shots = test_output / "planner"
    shots.mkdir(parents=True, exist_ok=True)

    page.goto("/plans/preview/")
    assert page.locator("h1").inner_text() == "投资项目审批方案预览"
    assert page.locator("fieldset legend", has_text="特殊情形").count() == 1
    page.screenshot(path=str(shots / "01-form.png"), full_page=True)

    # Bad input first: the form comes back with the message next to the field.
    page.fill("input[name=energy_tce]", "-3")
    page.get_by_role("button", name="生成审批方案").click()
    page.wait_for_selector(".form-alert")
    assert "确保该值大于或等于" in page.locator(".field.has-error").first.inner_text()
    assert page.url.endswith("/plans/preview/")  # HTMX: no page load

    _fill_chemical_plant(page)
    page.get_by_role("button", name="生成审批方案").click()
    page.wait_for_selector("#plan-gantt svg.main-svg")
    assert page.locator("#plan-count").inner_text() == "28"
    assert page.locator("#plan-total").inner_text() == "144"
    assert page.locator("#plan-serial").inner_text() == "484"
    assert page.locator("#plan-compression").inner_text() == "70.2%"
    assert page.locator("#plan-end").inner_text() == "2026-08-26"
    assert page.locator("table.plan-items tbody tr").count() == 28
    assert page.locator("#plan-gantt .barlayer .point").count() >= 28
    assert "建筑工程施工许可证核发" in page.locator(".critical-path").inner_text()
    assert (
        "年综合能源消费量大于或等于 1000 吨标准煤（本项目：15000 吨标准煤）"
        in page.locator("tr[data-code=DS07]").inner_text()
    )
    page.evaluate("document.getElementById('plan-result').scrollIntoView()")
    page.screenshot(path=str(shots / "02-plan-summary.png"))
    page.evaluate("document.querySelector('table.plan-items').scrollIntoView()")
    page.screenshot(path=str(shots / "05-plan-items.png"))
    page.evaluate("document.getElementById('notice').scrollIntoView()")
    page.screenshot(path=str(shots / "06-notice.png"))
    page.locator(".gantt-wrap").screenshot(path=str(shots / "03-gantt.png"))

    with page.expect_download() as caught:
        page.get_by_role("link", name="下载一次性告知单（Word）").click()
    download = caught.value
    assert download.suggested_filename == "一次性告知单.docx"
    document = Document(str(download.path()))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "投资项目审批申请材料一次性告知单"
    assert "项目名称：年产 20 万吨乙二醇项目" in texts
    assert any(p.style.name.startswith("Heading") for p in document.paragraphs)

    with page.expect_download() as caught:
        page.get_by_role("link", name="下载申报计划（Excel）").click()
    assert caught.value.suggested_filename == "申报计划.xlsx"


def test_plan_preview_on_a_phone(chromium, live_server, reference_data, test_output):
    context = chromium.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, base_url=live_server.url
    )
    page = context.new_page()
    page.goto(
        "/plans/preview/?start_date=2026-09-28&investment_type=enterprise_filing"
        "&industry_code=H6210&total_investment_wan=60&land_source=existing&building_area_m2=300"
    )
    page.wait_for_selector("#plan-gantt svg.main-svg")
    assert re.fullmatch(r"13", page.locator("#plan-count").inner_text())
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"page overflows a phone screen: {width}px"
    page.screenshot(path=str(test_output / "planner" / "04-phone.png"), full_page=True)
    context.close()
