"""The policy list's Excel import on hostile files (issue #12 item 5): a too-long cell is
refused with its row, column and the Chinese limit message, and workbooks with random cell
values end in the documented ``ValidationError`` (each message names the sheet and row, or
the file) or an import — never another exception."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from bangban.eligibility.models import PolicyEntry
from tests.eligibility.test_policy_workbook import HEADERS, import_, row, state, workbook

pytestmark = pytest.mark.django_db


def refused(content: bytes, **kwargs) -> list[str]:
    before = state()
    with pytest.raises(ValidationError) as caught:
        import_(content, **kwargs)
    assert state() == before
    return caught.value.messages


@pytest.mark.parametrize(("header", "limit"), [("条目内容", 2000), ("备注", 1000)])
def test_a_too_long_cell_is_refused_naming_row_and_column(header, limit):
    messages = refused(workbook([row(), row(**{header: "长" * (limit + 1)})]))
    assert messages == [
        f"工作表「条目」第 3 行「{header}」：最多 {limit} 个字符（现有 {limit + 1} 个）。"
    ]


@pytest.mark.parametrize(("header", "limit"), [("适用条件", 300), ("来源", 400)])
def test_a_too_long_short_text_is_refused_in_djangos_words(header, limit):
    messages = refused(workbook([row(**{header: "长" * (limit + 1)})]))
    assert messages == [
        f"工作表「条目」第 2 行「{header}」：确保该变量包含不超过 {limit} 字符 (目前字符数 {limit + 1})。"
    ]


def test_an_entry_at_its_limit_is_imported():
    version = import_(workbook([row(条目内容="条" * 2000, 备注="注" * 1000)]))
    entry = version.entries.get()
    assert (len(entry.text), len(entry.note)) == (2000, 1000)


def test_a_too_long_version_note_or_source_is_refused():
    messages = refused(workbook([row()]), note="说" * 1001)
    assert "版本说明：最多 1000 个字符（现有 1001 个）。" in messages
    messages = refused(workbook([row()]), source="《" + "目" * 200 + "》", totals={"restrict": 9})
    assert "目录文件名称：最多 200 个字符（现有 202 个）。" in messages


# --- random workbooks ------------------------------------------------------------------------

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30
) | st.sampled_from(["", " ", "是", "否", "限制类", "鼓励类", "淘汰类", "国家", "=1+1", "说明"])
CELL = st.one_of(
    st.none(),
    TEXT,
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
    st.text(alphabet="长", min_size=250, max_size=3000),
)


@st.composite
def workbooks(draw) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = draw(st.sampled_from(["条目", "条目", "条目", "Sheet"]))
    headers = list(HEADERS)
    if draw(st.booleans()):
        headers = draw(st.permutations(headers))
    if draw(st.integers(0, 5)) == 0:
        headers.pop(draw(st.integers(0, len(headers) - 1)))
    sheet.append(headers)
    for values in draw(st.lists(st.lists(CELL, max_size=len(headers) + 2), max_size=4)):
        sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(workbooks())
def test_random_workbooks_end_in_the_documented_error(content):
    try:
        version = import_(content, totals={"encourage": 9, "restrict": 9, "eliminate": 9})
    except ValidationError as exc:
        assert exc.messages
        for message in exc.messages:
            assert message.startswith(("工作表「条目」", "文件：")), message
    else:
        assert PolicyEntry.objects.filter(version=version).exists()
