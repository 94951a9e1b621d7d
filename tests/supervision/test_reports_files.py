"""The monthly report's three outputs print the same numbers (issue 13, Done when):
``manage.py monthly_report 2026-10`` writes an Excel workbook and a Word document; both are
opened here (openpyxl, python-docx), every figure is read back and compared with the month's
page rendered by the test client. The workbook's numbers are read as numbers and written
here as the page shows them (a count as an integer, a rate as a percentage with one
decimal), independently of the app's own formatting.

The world is the metrics world of conftest.py; October 2026 holds K7 (accepted 10-26), K8
and K11 (accepted 10-19, both overdue on 10-31), R6 (非常满意 on 10-30), C6 (completed 10-30,
visited), Q5 (10-31 23:59) — plus a complaint received in October added here.
"""

from __future__ import annotations

import io
from html.parser import HTMLParser
from pathlib import Path

import docx
import openpyxl
import pytest
from django.core.management import call_command
from django.test import Client

from bangban.evaluation.models import Complaint
from bangban.supervision.metrics import Period
from bangban.supervision.services import monthly_report_prepare
from tests.projects.factories import ConsultationFactory, region

from .conftest import at, build_metrics_world

pytestmark = pytest.mark.django_db

OCTOBER = Period.month(2026, 10)


class _Tables(HTMLParser):
    """The page's report tables: data-table key → rows of cell texts (header included)."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.order: list[str] = []
        self._key = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "data-table" in attrs:
            self._key = attrs["data-table"]
            self.tables[self._key] = []
            self.order.append(self._key)
        elif self._key and tag == "tr":
            self._row = []
        elif self._key and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if not self._key:
            return
        if tag in ("td", "th") and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._key].append(self._row)
            self._row = None
        elif tag == "table":
            self._key = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def page_tables(client, url) -> tuple[list[str], dict[str, list[list[str]]]]:
    response = client.get(url)
    assert response.status_code == 200
    parser = _Tables()
    parser.feed(response.content.decode())
    return parser.order, parser.tables


def shown(value, number_format: str) -> str:
    """A workbook cell as the page prints it."""
    if isinstance(value, str):
        return value
    if "%" in number_format:
        return f"{value * 100:.1f}%"
    if number_format == "0.0":
        return f"{value:.1f}"
    if number_format == "0.00":
        return f"{value:.2f}"
    assert isinstance(value, int), (value, number_format)
    return str(value)


def workbook_tables(content: bytes) -> list[list[list[str]]]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames[0] == "说明"
    tables = []
    for sheet in book.worksheets[1:]:
        rows = []
        for row in sheet.iter_rows():
            if all(cell.value is None for cell in row):
                break  # the notes follow an empty row
            rows.append([shown(cell.value, cell.number_format) for cell in row])
        tables.append(rows)
    return tables


def document_tables(content: bytes) -> list[list[list[str]]]:
    document = docx.Document(io.BytesIO(content))
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def numbers_of(rows: list[list[str]]) -> list[str]:
    """Every cell that holds a figure (a digit), in reading order: what must agree."""
    return [text for row in rows for text in row if any(ch.isdigit() for ch in text)]


@pytest.fixture
def world(db):
    built = build_metrics_world()
    Complaint.objects.create(
        region=region("150602"),
        channel=Complaint.Channel.WINDOW,
        category="extortion",
        content="投诉内容",
        recorded_by=built.supervisor,
        received_at=at(10, 28),
    )
    return built


def check_same(order, page, workbook, document):
    assert len(workbook) == len(order) == len(document)
    for key, sheet, table in zip(order, workbook, document, strict=True):
        assert sheet == page[key], key  # every cell, the header row included
        assert table == page[key], key
    assert numbers_of(page["summary"])  # the comparison saw figures, not only words


def test_the_command_writes_both_files_and_they_match_the_page(world, tmp_path: Path):
    client = Client()
    client.force_login(world.supervisor)
    order, page = page_tables(client, "/supervision/reports/2026-10/")
    out = io.StringIO()
    call_command("monthly_report", "2026-10", "--region", "150602", "--out", str(tmp_path),
                 stdout=out)  # fmt: skip
    paths = [Path(line) for line in out.getvalue().split()]
    assert [p.suffix for p in paths] == [".xlsx", ".docx"]
    assert all(p.exists() for p in paths)
    check_same(
        order,
        page,
        workbook_tables(paths[0].read_bytes()),
        document_tables(paths[1].read_bytes()),
    )
    # the October figures worked out by hand: accepted K7 K8 K11 = 3, overdue K8 K11 = 2,
    # one rating (非常满意) → 100.0%, one consultation, one commission completed and visited
    summary = {row[0]: row[1] for row in page["summary"][1:]}
    assert summary["受理件数"] == "3"
    assert summary["办结件数"] == "0"
    assert summary["办结率"] == "0.0%"
    assert summary["承诺事项兑现率"] == "—"
    assert summary["超期未办结件数"] == "2"
    assert summary["满意率"] == "100.0%"
    assert summary["咨询量"] == "1"
    assert summary["投诉件数"] == "1"
    assert summary["回访覆盖率"] == "100.0%"


def test_the_page_downloads_match_the_page_and_a_prepared_report_keeps_its_snapshot(
    world, tmp_path: Path
):
    dongsheng = region("150602")
    monthly_report_prepare(region=dongsheng, period=OCTOBER)
    # recorded afterwards: the live figures change, the prepared report does not
    ConsultationFactory(recorded_by=world.a1, region=dongsheng, recorded_at=at(10, 15))
    client = Client()
    client.force_login(world.supervisor)
    order, page = page_tables(client, "/supervision/reports/2026-10/")
    assert {row[0]: row[1] for row in page["summary"][1:]}["咨询量"] == "1"
    xlsx = client.get("/supervision/reports/2026-10/report.xlsx")
    document = client.get("/supervision/reports/2026-10/report.docx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    check_same(
        order,
        page,
        workbook_tables(xlsx.content),
        document_tables(document.content),
    )

    _, live = page_tables(client, "/supervision/reports/2026-10/?source=live")
    assert {row[0]: row[1] for row in live["summary"][1:]}["咨询量"] == "2"
    live_xlsx = client.get("/supervision/reports/2026-10/report.xlsx?source=live")
    assert workbook_tables(live_xlsx.content)[0] == live["summary"]

    # the command prints the stored report for the region too
    out = io.StringIO()
    call_command("monthly_report", "2026-10", "--region", "150602", "--out", str(tmp_path),
                 stdout=out)  # fmt: skip
    written = [Path(line) for line in out.getvalue().split()]
    assert workbook_tables(written[0].read_bytes())[0] == page["summary"]


# --- the renderer and the workbook's text -----------------------------------------------------


def _report(rows):
    from bangban.documents import data as d

    return d.StatisticalReport(
        centre=d.ServiceCentre(name="东胜区政务服务中心"),
        title="2026年10月代办帮办工作月报",
        period="统计期间：2026年10月1日至2026年10月31日",
        sections=[
            d.ReportSection(
                heading="一、总体情况",
                tables=[d.ReportTable(headers=["指标", "数值"], rows=rows, total_row=True)],
            )
        ],
    )


def test_the_renderer_refuses_a_ragged_table_and_unverified_text():
    from bangban.documents.renderers import FormDataError, render_statistical_report

    with pytest.raises(FormDataError, match="第1部分表1第2行有 1 格，表头有 2 列"):
        render_statistical_report(_report([["咨询量", "3"], ["受理件数"]]))
    with pytest.raises(FormDataError, match="待核实"):
        render_statistical_report(_report([["咨询量（待核实）", "3"]]))


def test_the_document_names_chinese_fonts_and_prints_the_rows():
    from bangban.documents.renderers import render_statistical_report
    from tests.documents.docx_reading import CJK_FONTS, east_asia_font, open_docx, text_runs

    document = open_docx(render_statistical_report(_report([["咨询量", "3"], ["合计", "3"]])))
    assert [[c.text for c in row.cells] for row in document.tables[0].rows] == [
        ["指标", "数值"],
        ["咨询量", "3"],
        ["合计", "3"],
    ]
    assert all(east_asia_font(run) in CJK_FONTS for run in text_runs(document))
    assert document.paragraphs[0].text == "2026年10月代办帮办工作月报"


def test_a_department_name_that_looks_like_a_formula_stays_text(world):
    from bangban.supervision.exports import monthly_workbook
    from bangban.supervision.reports import SYSTEM, monthly_figures

    figures = monthly_figures(SYSTEM, OCTOBER, region=region("150602"))
    evil = '=HYPERLINK("http://example.com","点此")'
    figures["cases"]["rows"].insert(0, {**figures["cases"]["total"], "name": evil})
    book = openpyxl.load_workbook(io.BytesIO(monthly_workbook(figures)))
    sheet = book["各部门办件情况"]
    cell = sheet.cell(row=2, column=1)
    assert cell.value == evil and cell.data_type == "s"
