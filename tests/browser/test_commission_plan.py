"""A commission's plan in a real browser: the agent opens the plan of an agreed commission,
sees the Gantt chart, removes an item with a reason, fixes the plan, starts the first case
from its case page, and downloads the one-time notice (read back with python-docx)."""

import io
import re

import pytest
from django.core.management import call_command
from docx import Document

from .test_intake_journey import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROJECT = "东胜区绿色算力数据中心项目"


@pytest.fixture
def living_system(transactional_db):
    call_command("load_reference", verbosity=0, stdout=io.StringIO())
    call_command("demo_data", stdout=io.StringIO())


def test_the_agent_shapes_fixes_and_follows_the_plan(page, living_system, test_output):
    from bangban.cases.models import Case
    from bangban.planning.models import Plan
    from bangban.projects.models import Commission

    shots = test_output / "plan"
    shots.mkdir(parents=True, exist_ok=True)
    commission = Commission.objects.get(project__name=PROJECT)
    assert commission.state == "agreed"
    plan = Plan.objects.get(commission=commission)

    log_in(page, "agent2")
    page.goto(f"/commissions/{commission.pk}/")
    page.get_by_role("link", name="查看方案与甘特图").click()
    page.wait_for_url(re.compile(rf"/commissions/{commission.pk}/plan/$"))
    page.locator("#plan-gantt .main-svg").first.wait_for()
    assert page.locator("#plan-gantt").get_by_text("关键路径事项").count() >= 1
    assert int(page.inner_text("#plan-count")) == plan.item_count
    page.screenshot(path=str(shots / "01-draft.png"), full_page=True)

    # Remove 防雷装置设计许可 with a reason: first without one (refused), then with.
    form = page.locator("#plan-remove")
    form.locator("select[name=code]").select_option("DS53")
    form.locator("input[name=reason]").fill("  ")
    form.get_by_role("button", name="移除").click()
    page.wait_for_load_state()
    assert page.get_by_text("请填写调整理由。").is_visible()
    form = page.locator("#plan-remove")
    form.locator("select[name=code]").select_option("DS53")
    form.locator("input[name=reason]").fill("园区统一建设防雷设施，已含本项目")
    form.get_by_role("button", name="移除").click()
    page.get_by_text("已移除事项，方案已重新计算。").wait_for()
    assert page.locator("tr[data-code=DS53]").count() == 0
    assert page.get_by_text("园区统一建设防雷设施，已含本项目").is_visible()

    page.locator("#plan-fix").get_by_role("button", name="确定方案").click()
    page.get_by_text("方案已确定，已按事项生成办件台账。").wait_for()
    cases = Case.objects.filter(commission=commission)
    assert cases.count() == plan.item_count - 1 and not cases.filter(code="DS53").exists()

    # The first case starts (on its case page); the commission is then in progress.
    first = cases.order_by("planned_start", "code").first()
    page.locator(f"tr[data-code={first.code}]").get_by_role("link", name="办件详情").click()
    page.wait_for_url(re.compile(rf"/cases/{first.pk}/$"))
    start = page.locator("#action-start")
    start.locator("summary").click()
    start.get_by_role("button", name="开始准备材料").click()
    page.get_by_text("已开始准备材料。").wait_for()
    page.goto(f"/commissions/{commission.pk}/plan/")
    assert page.locator(".commission-state").inner_text().strip().startswith("办理中")
    page.locator("#plan-gantt .main-svg").first.wait_for()
    assert page.locator("#plan-gantt").get_by_text("实际办理").count() >= 1
    page.screenshot(path=str(shots / "02-fixed.png"), full_page=True)

    with page.expect_download() as caught:
        page.locator("#notice-docx").click()
    download = caught.value
    assert download.suggested_filename.endswith(".docx")
    path = shots / "一次性告知单.docx"
    download.save_as(str(path))
    document = Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = " ".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert PROJECT in text
    assert "营业执照" in cells or "营业执照" in text

    # On a phone the page stays usable (no horizontal overflow of the page itself).
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.locator("#plan-gantt .main-svg").first.wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, width
    page.screenshot(path=str(shots / "03-phone.png"), full_page=False)
