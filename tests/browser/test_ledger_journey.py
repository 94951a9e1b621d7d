"""The ledger as its users live it, in a real browser at 1366 px (a service-centre PC) and at
390 px (a phone): the department officer accepts a case with one non-core material missing
(容缺受理), the agent records the supplement, the officer completes it with a result number,
the enterprise sees each step on its commission page in plain Chinese; the result is handed
over, the last case is closed, the agent completes the commission and the enterprise
confirms the completion slip.

Screenshots go to test-output/ledger/ — look at them: boxes instead of Chinese or a broken
layout mean the page is broken even when the assertions pass."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from docx import Document

from bangban.accounts.models import Role
from bangban.cases import lifecycle
from bangban.cases.models import Case
from tests.cases.conftest import make_ledger
from tests.projects.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESK = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
RESULT_NUMBER = "东自然资规字〔2026〕17号"


@pytest.fixture
def journey(db):
    """A fixed commission whose every case but one gap-capable case is already closed (not
    needed); that one is submitted and waits in its department's inbox."""
    call_command("load_reference", verbosity=0, stdout=io.StringIO())
    ledger = make_ledger()
    cases = list(
        Case.objects.filter(commission=ledger.commission)
        .select_related("item", "department")
        .order_by("planned_start", "code")
    )
    gap_case = next(
        case
        for case in cases
        if case.item.accept_with_gaps
        and case.department_id
        and case.materials.filter(is_core=False).exists()
        and case.materials.filter(is_core=True).exists()
    )
    for case in cases:
        if case.pk != gap_case.pk:
            ledger.step(case, lifecycle.NOT_NEEDED_ACTION, reason="企业已自行取得")
    gap_case = ledger.walk(Case.objects.get(pk=gap_case.pk), lifecycle.START, lifecycle.SUBMIT)
    officer = UserFactory(
        role=Role.DEPT_OFFICER,
        department=gap_case.department,
        region=gap_case.department.region,
        display_name="审批科员",
    )
    return ledger, gap_case, officer


def _browser_as(chromium, live_server, user, viewport):
    client = Client()
    client.force_login(user)
    context = chromium.new_context(locale="zh-CN", viewport=viewport, base_url=live_server.url)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


def _shoot(page, folder, name: str) -> None:
    """A screenshot at the desk width and one at the phone width; the phone page must not
    run off the right edge."""
    page.set_viewport_size(DESK)
    page.screenshot(path=str(folder / f"{name}-1366.png"), full_page=True)
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: {width}px wide on a phone"
    page.screenshot(path=str(folder / f"{name}-390.png"), full_page=True)
    page.set_viewport_size(DESK)


def _act(page, label: str) -> None:
    """Open the action's panel on the case page (a <details>) and return its form."""
    panel = page.locator("details.action", has=page.locator("summary", has_text=label))
    panel.locator("summary").click()
    return panel


def test_a_case_from_gaps_to_completion_slip(chromium, live_server, journey, test_output):
    ledger, case, officer = journey
    folder = test_output / "ledger"
    folder.mkdir(parents=True, exist_ok=True)
    missing = case.materials.filter(is_core=False).order_by("sort_order", "id").first()
    core = case.materials.filter(is_core=True).order_by("sort_order", "id").first()
    officer_page = _browser_as(chromium, live_server, officer, DESK)
    agent_page = _browser_as(chromium, live_server, ledger.agent, DESK)
    enterprise_page = _browser_as(chromium, live_server, ledger.enterprise_user, DESK)
    commission_url = f"/commissions/{ledger.commission.pk}/"

    # The officer finds the case in the inbox and accepts it with one non-core gap.
    officer_page.goto("/cases/inbox/")
    officer_page.get_by_role("link", name=case.item.name).first.click()
    officer_page.wait_for_url(f"**/cases/{case.pk}/")
    _shoot(officer_page, folder, "1-officer-case-submitted")
    panel = _act(officer_page, "容缺受理")
    assert panel.locator(f"input[name=missing][value='{core.pk}']").is_disabled()
    panel.locator(f"input[name=missing][value='{missing.pk}']").check()
    panel.get_by_role("button", name="容缺受理").click()
    officer_page.wait_for_load_state()
    assert "容缺受理" in officer_page.locator("h1").inner_text()
    assert "容缺补正期限" in officer_page.content()
    _shoot(officer_page, folder, "2-officer-accepted-with-gap")

    # The enterprise sees it, with what to supplement by when.
    enterprise_page.goto(commission_url)
    progress = enterprise_page.locator("#cases").inner_text()
    assert "受理" in progress and "前补交" in progress and missing.name in progress
    _shoot(enterprise_page, folder, "3-enterprise-sees-gap")

    # The agent records the supplement.
    agent_page.goto(f"/cases/{case.pk}/")
    panel = _act(agent_page, "补齐材料")
    panel.get_by_role("button", name="补齐材料").click()
    agent_page.wait_for_load_state()
    assert "已受理" in agent_page.locator("h1").inner_text()
    _shoot(agent_page, folder, "4-agent-supplemented")
    enterprise_page.reload()
    progress = enterprise_page.locator("#cases").inner_text()
    assert "前补交" not in progress and "承诺" in progress

    # The officer completes it with a result number.
    officer_page.reload()
    panel = _act(officer_page, "办结（准予）")
    panel.locator("input[name=result_number]").fill(RESULT_NUMBER)
    panel.get_by_role("button", name="办结（准予）").click()
    officer_page.wait_for_load_state()
    assert officer_page.locator("h1 .tag.state-completed").inner_text() == "办结"
    assert RESULT_NUMBER in officer_page.content()
    clock = officer_page.locator("section.clock").inner_text()
    assert "按期办结" in clock and "剩余" not in clock, clock
    _shoot(officer_page, folder, "5-officer-completed")
    enterprise_page.reload()
    assert RESULT_NUMBER in enterprise_page.locator("#cases").inner_text()
    _shoot(enterprise_page, folder, "6-enterprise-sees-result")

    # The agent hands the result over; the history shows every step.
    agent_page.reload()
    panel = _act(agent_page, "结果移交")
    panel.locator("input[name=handed_over_to]").fill("王经理")
    panel.get_by_role("button", name="结果移交").click()
    agent_page.wait_for_load_state()
    history = agent_page.locator("table.history").inner_text()
    for label in ("申报", "容缺受理", "补齐材料", "办结（准予）", "结果移交"):
        assert label in history, label
    enterprise_page.reload()
    assert "签收人 王经理" in enterprise_page.locator("#cases").inner_text()

    # That was the last open case: the agent completes the commission.
    agent_page.goto(commission_url)
    agent_page.locator("#complete").get_by_role("button", name="办结").click()
    agent_page.wait_for_load_state()
    assert "待项目单位确认" in agent_page.locator(".completion-confirmation").inner_text()
    _shoot(agent_page, folder, "7-agent-completed-commission")

    # The enterprise reads the completion slip and confirms it.
    enterprise_page.reload()
    with enterprise_page.expect_download() as download:
        enterprise_page.get_by_role("link", name="服务办结单").first.click()
    slip = Document(download.value.path())
    text = "\n".join(
        [p.text for p in slip.paragraphs]
        + [cell.text for table in slip.tables for row in table.rows for cell in row.cells]
    )
    assert case.item.name in text and RESULT_NUMBER in text and "王经理" in text
    form = enterprise_page.locator("#confirm-completion")
    form.locator("textarea, input[type=text]").first.fill("已收到全部批文，确认无误。")
    form.get_by_role("button", name="确认办结").click()
    enterprise_page.wait_for_load_state()
    confirmed = enterprise_page.locator(".completion-confirmation").inner_text()
    assert confirmed.startswith("已确认") and "确认无误" in confirmed
    plan_card = enterprise_page.locator("#plan").inner_text()
    assert "委托已于" in plan_card and "压缩 -" not in plan_card, plan_card
    _shoot(enterprise_page, folder, "8-enterprise-confirmed")
    ledger.commission.refresh_from_db()
    assert ledger.commission.state == "completed"
    assert ledger.commission.completion_confirmed_by_id == ledger.enterprise_user.pk
    for browser_page in (officer_page, agent_page, enterprise_page):
        browser_page.context.close()
