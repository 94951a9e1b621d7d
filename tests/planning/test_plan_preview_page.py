"""The public plan preview page (/plans/preview/), its downloads and its Gantt chart."""

import datetime as dt
import io
import json
import re
from urllib.parse import urlencode

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from bangban.planning.compute import plan_compute
from bangban.planning.gantt import CRITICAL, gantt_figure, gantt_html

from .test_plan_compute import FACTORY, RENOVATION, RENOVATION_ITEMS

pytestmark = pytest.mark.django_db
URL = "/plans/preview/"

RENOVATION_FORM = {
    "start_date": "2026-09-28",
    "project_name": "门店装修改造",
    "enterprise_name": "东胜区某某餐饮有限公司",
    "investment_type": "enterprise_filing",
    "industry_code": "H6210",
    "total_investment_wan": "60",
    "land_source": "existing",
    "building_area_m2": "300",
}


def test_urls():
    assert reverse("planning:preview") == URL
    assert reverse("planning:preview_notice") == "/plans/preview/notice.docx"
    assert reverse("planning:preview_schedule") == "/plans/preview/schedule.xlsx"


def test_empty_form_without_login(client):
    response = client.get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert "投资项目审批方案预览" in text
    assert "<legend>特殊情形</legend>" in text
    for label in (
        "投资类型",
        "国民经济行业代码",
        "总投资（万元）",
        "用地方式",
        "用地面积（公顷）",
        "新增建设用地",
        "使用林地（公顷）",
        "使用草原（公顷）",
        "年综合能源消费量",
        "年电力消费量",
        "环评类别",
        "总建筑面积",
        "土石方量",
        "公路建设项目",
    ):
        assert label in text, label
    assert f'value="{timezone.localdate().isoformat()}"' in text  # start date defaults to today
    assert "vendor/plotly/plotly.min.js" in text and "cdn.plot.ly" not in text
    assert "/static/js/gantt.js" in text
    assert 'id="plan-result"' not in text


def test_post_shows_the_plan_gantt_table_and_notice(client):
    response = client.post(URL, RENOVATION_FORM)
    assert response.status_code == 200
    text = response.content.decode()
    assert "<html" in text
    assert '<div class="stat" id="plan-count">13</div>' in text
    assert '<span id="plan-total">30</span>' in text and '<span id="plan-serial">124</span>' in text
    assert '<div class="stat" id="plan-compression">75.8%</div>' in text
    assert '<div class="stat" id="plan-end">2026-11-13</div>' in text
    assert "节假日安排尚未发布" not in text
    assert 'id="plan-gantt"' in text and 'id="plan-gantt-figure" type="application/json"' in text
    for code in RENOVATION_ITEMS:
        assert f'data-code="{code}"' in text
    assert "为何办理：</span>总建筑面积大于 0 平方米（本项目：300 平方米）" in text
    # Company registration: an enterprise project whose unit is not registered yet (R01).
    assert "统一社会信用代码" in text.split('data-code="MA01"')[1].split("</tr>")[0]
    # Each item's level; the government time beside the promise (no place: 内蒙古, 90).
    assert 'data-level="zone"' in text and 'id="government-time"' in text
    assert "承诺 90 个工作日以内" in text
    assert "等待前置：</span>建设工程规划许可证" in text
    assert "一次性告知单" in text and "营业执照" in text
    assert "/plans/preview/notice.docx?" in text and "/plans/preview/schedule.xlsx?" in text


def test_get_with_the_inputs_in_the_query_string_works_without_js(client):
    response = client.get(URL + "?" + urlencode(RENOVATION_FORM))
    assert response.status_code == 200
    assert '<div class="stat" id="plan-end">2026-11-13</div>' in response.content.decode()


def test_htmx_gets_the_planner_fragment_only(client):
    response = client.post(URL, RENOVATION_FORM, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in text and text.lstrip().startswith('<div id="planner">')
    assert 'id="plan-gantt"' in text and "<form" in text


def test_provisional_dates_are_flagged(client):
    form = {**RENOVATION_FORM, "start_date": "2026-12-21"}
    text = client.post(URL, form).content.decode()
    assert "节假日安排尚未发布" in text and "暂定" in text


def test_bad_input_shows_the_form_again_with_chinese_messages(client):
    bad = {
        **RENOVATION_FORM,
        "start_date": "2026-13-01",
        "energy_tce": "-5",
        "land_area_ha": "很多",
        "industry_code": "B2614",
        "eia_category": "huge",
    }
    response = client.post(URL, bad)
    assert response.status_code == 400
    text = response.content.decode()
    assert "填写有误" in text
    assert "日期格式应为 YYYY-MM-DD" in text
    assert "确保该值大于或等于0" in text.replace(" ", "")
    assert "请输入数字。" in text
    assert "门类字母与大类不符" in text
    assert "选择一个有效的选项" in text
    assert 'id="plan-result"' not in text
    assert 'value="门店装修改造"' in text  # what was entered is kept
    htmx = client.post(URL, bad, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200 and "填写有误" in htmx.content.decode()
    assert client.post(URL, {**RENOVATION_FORM, "start_date": "1999-01-01"}).status_code == 400
    assert client.post(URL, {**RENOVATION_FORM, "start_date": ""}).status_code == 400


def test_word_notice_download(client):
    response = client.get(reverse("planning:preview_notice") + "?" + urlencode(RENOVATION_FORM))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    assert "项目名称：门店装修改造" in texts and "项目单位：东胜区某某餐饮有限公司" in texts
    assert "本项目共需办理 13 个审批事项" in texts[4]


def test_excel_schedule_download(client):
    response = client.get(reverse("planning:preview_schedule") + "?" + urlencode(RENOVATION_FORM))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(workbook["申报计划"].iter_rows(values_only=True))
    assert len(rows) == 14 and rows[0][0] == "阶段"


def test_downloads_refuse_bad_input(client):
    url = reverse("planning:preview_notice") + "?" + urlencode({"start_date": "bad"})
    response = client.get(url)
    assert response.status_code == 400 and "日期格式应为" in response.content.decode()
    assert client.get(reverse("planning:preview_schedule")).status_code == 400
    assert client.post(reverse("planning:preview_notice"), RENOVATION_FORM).status_code == 405


def test_plotly_js_is_served_locally(client):
    response = client.get("/static/vendor/plotly/plotly.min.js")
    assert response.status_code == 200
    assert "javascript" in response["Content-Type"]


def test_gantt_chart_swimlanes_colours_and_height():
    small = plan_compute(attributes=RENOVATION, start_date=dt.date(2026, 9, 28))
    large = plan_compute(attributes=FACTORY, start_date=dt.date(2026, 9, 21))
    figure = gantt_figure(large)
    rows = list(figure.layout.yaxis.categoryarray)
    stages = [label for label in rows if label.startswith("【")]
    assert stages == [
        "【市场准入】",
        "【土地使用权出让】",
        "【立项用地规划许可】",
        "【工程建设许可】",
        "【施工许可】",
        "【竣工验收】",
        "【市政公用服务】",
        "【其他事项】",
    ]
    assert len(rows) == len(large.items) + len(stages)
    assert rows.index("DS09 拟以出让方式取得土地使用权的项目") < rows.index(
        "DS08 建设项目用地预审与选址意见书"
    )
    traces = {trace.name: trace for trace in figure.data if trace.name}
    critical = traces["关键路径事项"]
    assert critical.marker.color == CRITICAL
    assert len(critical.y) == sum(1 for item in large.items if item.critical)
    ds09 = list(critical.y).index("DS09 拟以出让方式取得土地使用权的项目")
    assert critical.base[ds09] == "2026-12-08" and critical.x[ds09] == 42 * 86_400_000
    assert "实际办理" not in traces
    assert gantt_figure(large).layout.height > gantt_figure(small).layout.height
    html = gantt_html(large)
    assert "<script src" not in html and "cdn" not in html


def test_gantt_fragment_has_no_script_that_runs():
    """The Content-Security-Policy forbids inline scripts: the fragment is an empty div and
    the figure as a JSON data block (not executed), which static/js/gantt.js draws."""
    plan = plan_compute(attributes=RENOVATION, start_date=dt.date(2026, 9, 28))
    html = gantt_html(plan)
    assert html.startswith('<div id="plan-gantt" class="plotly-graph-div gantt-chart"')
    assert 'data-figure="plan-gantt-figure"' in html
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    assert [attrs for attrs, _ in scripts] == [' id="plan-gantt-figure" type="application/json"']
    figure = json.loads(scripts[0][1])
    assert figure["config"] == {"displayModeBar": False, "responsive": True, "scrollZoom": False}
    names = [trace.get("name") for trace in figure["data"]]
    assert "关键路径事项" in names
    # Markup inside the data (hover text "<b>…</b>") is escaped: it cannot close the block.
    assert "<b>" not in scripts[0][1] and "\\u003Cb\\u003E" in scripts[0][1]
    assert "Plotly.newPlot" not in html and " on" not in html.split("<script")[0]


def test_gantt_chart_draws_actual_bars_over_planned_ones():
    plan = plan_compute(
        attributes=RENOVATION,
        start_date=dt.date(2026, 9, 28),
        actuals={"DS15": (dt.date(2026, 9, 28), dt.date(2026, 11, 6))},
        scope_codes=RENOVATION_ITEMS - {"UT03"},
    )
    traces = {trace.name: trace for trace in gantt_figure(plan).data if trace.name}
    actual = traces["实际办理"]
    assert list(actual.y) == ["DS15 建设工程规划许可证"]
    assert actual.width < traces["关键路径事项"].width
    assert list(traces["企业自行办理"].y) == ["UT03 燃气接入（用气报装）"]
