"""After service as its users live it (issue 13), in a real browser on the demo world: the
enterprise rates its completed commission 不满意 on its workbench; the rectification appears on
its agent's list; the supervisor's dashboard counts the rating in the satisfaction chart, the
不满意 bar opens the ratings behind it, and the month's report downloads as Excel and Word with
the same count of 不满意 ratings as the database holds.

Screenshots go to test-output/after-service/ — look at them."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from bangban.evaluation.models import Level, Rating, Rectification
from bangban.projects.models import Commission

from .login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESK = {"width": 1366, "height": 900}
COMMENT = "结果移交晚了三天，也没有提前告知。"


@pytest.fixture
def demo(transactional_db):
    call_command("load_reference", verbosity=0, stdout=io.StringIO())
    call_command("demo_data", stdout=io.StringIO())
    # the demo's completed commission the enterprise has not rated yet (agent: 王帮办)
    return Commission.objects.get(project__name="研发中心配套仓库项目")


def _page(chromium, live_server):
    context = chromium.new_context(locale="zh-CN", viewport=DESK, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(20000)
    return page


def _bad_ratings_this_month() -> int:
    start = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return Rating.objects.filter(level=Level.DISSATISFIED, rated_at__gte=start).count()


def test_a_bad_rating_reaches_the_agent_and_the_supervisor(
    chromium, live_server, demo, test_output
):
    out = test_output / "after-service"
    out.mkdir(exist_ok=True)
    assert demo.state == "completed"
    assert not Rating.objects.filter(commission=demo).exists()

    # 1. the enterprise: its workbench asks it to rate the completed commission
    page = _page(chromium, live_server)
    log_in(page, "enterprise")
    todo = page.locator("li", has_text="评价代办服务").filter(has_text=demo.project.name)
    todo.get_by_role("link", name="去评价").click()
    page.wait_for_url(re.compile(rf"/commissions/{demo.pk}/"))
    form = page.locator("#rate-commission")
    form.get_by_label("不满意", exact=True).check()
    form.locator("textarea[name=comment]").fill(COMMENT)
    page.screenshot(path=str(out / "1-enterprise-rates.png"), full_page=True)
    form.get_by_role("button", name="提交评价").click()
    page.wait_for_load_state()
    rating = Rating.objects.get(commission=demo, case__isnull=True)
    assert (rating.level, rating.comment, rating.source) == ("dissatisfied", COMMENT, "portal")
    rectification = Rectification.objects.get(rating=rating)
    assert rectification.agent_id == demo.agent_id
    card = page.locator("#ratings")
    assert "不满意" in card.inner_text() and COMMENT in card.inner_text()
    assert f"{rectification.due_date:%Y-%m-%d} 前核实整改并反馈您" in card.inner_text()
    page.screenshot(path=str(out / "2-enterprise-rated.png"), full_page=True)
    page.context.close()

    # 2. the agent: the rectification is on its list, marked as its own
    page = _page(chromium, live_server)
    log_in(page, demo.agent.username)
    page.goto("/rectifications/")
    row = page.locator("tr", has_text=demo.project.name)
    assert row.count() == 1
    assert "待核实" in row.inner_text() and "我负责" in row.inner_text()
    assert f"{rectification.due_date:%Y-%m-%d}" in row.inner_text()
    page.screenshot(path=str(out / "3-agent-rectifications.png"), full_page=True)
    page.context.close()

    # 3. the supervisor: the satisfaction chart counts it, the bar opens the list behind it
    bad = _bad_ratings_this_month()
    assert bad >= 1
    page = _page(chromium, live_server)
    log_in(page, "supervisor")
    page.goto("/supervision/")
    page.wait_for_function("document.querySelectorAll('[data-chart] .main-svg').length >= 5")
    table = page.locator("#satisfaction table")
    # the chart's table (folded once plotly has drawn it): 「不满意 | 2（66.7%）」
    texts = [row.text_content().strip() for row in table.locator("tr").all()]
    assert any(re.fullmatch(rf"不满意\s*{bad}（[\d.]+%）", text) for text in texts), texts
    page.screenshot(path=str(out / "4-supervisor-dashboard.png"), full_page=True)
    bars = page.locator("#satisfaction [data-chart] g.point path")
    assert bars.count() == 5
    bars.nth(3).scroll_into_view_if_needed()
    box = bars.nth(3).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)  # plotly finds the point under the pointer on a move, then the click
    page.wait_for_selector("#satisfaction .hoverlayer .hovertext")
    page.mouse.click(x, y)
    page.wait_for_url(re.compile(r"/ratings/\?level=dissatisfied"))
    assert f"共 {bad} 条评价" in page.content()
    assert COMMENT in page.content() and demo.project.name in page.content()
    page.screenshot(path=str(out / "5-supervisor-drilled-ratings.png"), full_page=True)

    # 4. … and downloads the month's report, Excel and Word
    page.go_back()
    page.locator(".dashboard-links").get_by_role("link", name=re.compile("月度报表$")).click()
    page.wait_for_url(re.compile(r"/supervision/reports/\d{4}-\d{2}/"))
    page.screenshot(path=str(out / "6-supervisor-monthly-report.png"), full_page=True)
    with page.expect_download() as info:
        page.get_by_role("link", name="下载 Excel").click()
    xlsx = out / info.value.suggested_filename
    info.value.save_as(xlsx)
    with page.expect_download() as info:
        page.get_by_role("link", name="下载 Word").click()
    docx = out / info.value.suggested_filename
    info.value.save_as(docx)
    page.context.close()

    # the 不满意 count of the ratings table, in both files
    workbook = load_workbook(xlsx, read_only=True)
    rows = [row for sheet in workbook for row in sheet.iter_rows(values_only=True)]
    assert any(row and "不满意" in row and bad in row for row in rows), rows
    document = Document(str(docx))
    cells = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    assert any("不满意" in row and str(bad) in row for row in cells), cells
