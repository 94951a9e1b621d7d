"""Window staff enter an application in a real browser, on a phone: the region list says where
there is no 代办帮办 service (choosing one is refused on the field), a partial scope is
picked from the catalog's items grouped by stage, and a consultation's contact comes along.

Screenshots go to test-output/application/ — look at them."""

import io
import re

import pytest
from django.core.management import call_command

from .test_plan_phone import PHONE, _check_phone_layout, _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def window(transactional_db):
    call_command("load_reference", verbosity=0, stdout=io.StringIO())
    from tests.projects.factories import AgentFactory, ConsultationFactory, make_credit_code

    agent = AgentFactory(username="window-agent", display_name="窗口代办员")
    consultation = ConsultationFactory(
        contact="王先生 139 0000 0000",
        enterprise_name="鄂尔多斯市晨光新材料有限公司",
        recorded_by=agent,
    )
    return agent, consultation, make_credit_code(880001)


def test_a_consultation_becomes_a_partial_application_on_a_phone(
    chromium, live_server, window, test_output
):
    from bangban.projects.models import Commission, Project

    agent, consultation, credit_code = window
    shots = test_output / "application"
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
        page.goto(f"/workbench/consultations/{consultation.pk}/convert/")
        assert page.input_value("input[name=enterprise-contact_name]") == "王先生"
        assert page.input_value("input[name=enterprise-contact_mobile]") == "13900000000"
        _check_phone_layout(page, "application form", dates=0)
        page.fill("input[name=enterprise-credit_code]", credit_code)
        page.fill("input[name=enterprise-legal_representative]", "陈一")
        page.select_option("select[name=enterprise-region]", label="鄂尔多斯市 · 东胜区")
        page.fill("input[name=project-name]", "晨光新材料年产 5 万吨改性塑料项目")
        page.select_option(
            "select[name=project-region]", label="鄂尔多斯市 · 康巴什区（暂未开通代办帮办服务）"
        )
        # the stage and item pickers are shown only for a partial scope
        assert not page.locator(".scope-items").is_visible()
        page.check("input[name=scope-scope][value=partial]")
        assert page.locator(".scope-items").is_visible()
        group = page.locator("details.item-group", has_text="施工许可")
        group.locator("summary").click()
        group.get_by_label(re.compile(r"（DS28）")).check()
        group.scroll_into_view_if_needed()
        page.screenshot(path=str(shots / "01-items-picked.png"))
        _check_phone_layout(page, "items open", dates=0)

        page.get_by_role("button", name="提交申请").click()
        page.wait_for_selector("#field-project-region .errorlist")
        error = page.locator("#field-project-region .errorlist").inner_text()
        assert "该建设地点暂未开通代办帮办服务" in error
        assert not Project.objects.exists() and not Commission.objects.exists()
        page.locator("#field-project-region").scroll_into_view_if_needed()
        page.screenshot(path=str(shots / "02-region-refused.png"))
        # what was picked is still picked
        assert page.locator("input[name=scope-scope_items][value=DS28]").is_checked()

        page.select_option("select[name=project-region]", label="鄂尔多斯市 · 东胜区")
        page.get_by_role("button", name="提交申请").click()
        page.wait_for_url(re.compile(r"/commissions/\d+/$"))
        commission = Commission.objects.get()
        assert commission.scope == "partial" and commission.scope_items == ["DS28"]
        assert (commission.contact_name, commission.contact_phone) == ("王先生", "13900000000")
        assert "王先生 · 13900000000" in page.locator("dl.facts").last.inner_text()
        page.screenshot(path=str(shots / "03-commission.png"), full_page=True)
    finally:
        context.close()
