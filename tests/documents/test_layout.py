import datetime as dt
from decimal import Decimal

from docx.oxml.ns import qn

from bangban.documents.formatting import (
    BLANK_DATE,
    checkboxes,
    format_date,
    format_datetime,
    format_number,
)
from bangban.documents.layout import FormDocument
from tests.documents.docx_reading import all_text, east_asia_font, open_docx, text_runs


def test_format_date_is_chinese_without_leading_zeros():
    assert format_date(dt.date(2026, 11, 23)) == "2026年11月23日"
    assert format_date(dt.date(2027, 3, 5)) == "2027年3月5日"


def test_missing_date_is_a_blank_to_fill_in():
    assert format_date(None) == BLANK_DATE
    assert "年" in BLANK_DATE and "月" in BLANK_DATE and "日" in BLANK_DATE


def test_format_datetime():
    assert format_datetime(dt.datetime(2026, 11, 23, 9, 5)) == "2026年11月23日 09:05"


def test_format_number():
    assert format_number(Decimal("58000")) == "58,000"
    assert format_number(12.6) == "12.6"
    assert format_number(Decimal("0.125")) == "0.12"
    assert format_number(3, "万元") == "3万元"
    assert format_number(None) == ""


def test_checkboxes_tick_only_the_selected():
    assert checkboxes(("全程代办", "部分代办"), ("部分代办",)) == "☐全程代办　☑部分代办"


def test_document_is_a4_with_header_and_fonts_on_every_run():
    document = FormDocument(header="包头稀土高新区政务服务中心", title="测试表")
    document.title("测试表")
    document.para("正文“引号”与 ASCII 123")
    document.item_table(("序号", "名称"), [("1", "事项")], (20, 136))
    doc = open_docx(document.to_bytes())

    section = doc.sections[0]
    # Word stores twentieths of a point, so compare in whole millimetres.
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.left_margin.mm), round(section.top_margin.mm)) == (28, 25)
    assert section.header.paragraphs[0].text == "包头稀土高新区政务服务中心"
    assert doc.core_properties.title == "测试表"

    fonts = {run.text: east_asia_font(run) for run in text_runs(doc)}
    assert fonts["测试表"] == "黑体"
    assert fonts["正文“引号”与 ASCII 123"] == "仿宋"
    assert fonts["事项"] == "宋体"
    assert "事项" in all_text(doc)


def test_document_defaults_name_cjk_fonts_without_theme_fonts():
    doc = open_docx(FormDocument(header="中心", title="t").to_bytes())
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    r_fonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert r_fonts.get(qn("w:eastAsia")) == "宋体"
    assert r_fonts.get(qn("w:eastAsiaTheme")) is None
    lang = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang.get(qn("w:eastAsia")) == "zh-CN"
