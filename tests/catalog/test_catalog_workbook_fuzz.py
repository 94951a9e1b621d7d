"""The catalog's Excel import on hostile files (issue #12 item 5): a cell longer than its
column takes is refused with its row, column and the Chinese limit message (not a database
error, which PostgreSQL would raise as a 500), and workbooks with random cell values end in
the documented ``CatalogValidationError`` — every problem with its place — or an import,
never another exception."""

import datetime as dt
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from bangban.catalog.models import CatalogVersion, Item, ItemKind, ServiceMode, Stage
from bangban.catalog.services import catalog_import_workbook
from bangban.catalog.specs import CatalogValidationError, SpecError
from bangban.catalog.workbook import (
    ITEM_COLUMNS,
    ITEMS_SHEET,
    MATERIAL_COLUMNS,
    MATERIALS_SHEET,
    TIER_COLUMNS,
    TIERS_SHEET,
)
from tests.catalog.test_catalog_workbook import exported_book, to_bytes

pytestmark = pytest.mark.django_db

ITEM_HEADERS = [header for header, _, _ in ITEM_COLUMNS]
TIER_HEADERS = ["事项编码", *(header for header, _, _ in TIER_COLUMNS)]


def refused(content: bytes) -> list[str]:
    versions = list(CatalogVersion.objects.values_list("number", "status"))
    items = Item.objects.count()
    with pytest.raises(CatalogValidationError) as caught:
        catalog_import_workbook(content=content, filename="long.xlsx")
    assert list(CatalogVersion.objects.values_list("number", "status")) == versions
    assert Item.objects.count() == items
    return [str(error) for error in caught.value.errors]


@pytest.mark.parametrize(
    ("header", "limit"),
    [
        ("设定依据", 2000),
        ("适用条件依据", 4000),
        ("备注", 2000),
        ("事项名称", 120),
        ("收费", 200),
        ("政策文件出处", 100),
    ],
)
def test_a_too_long_item_cell_is_refused_naming_row_and_column(header, limit):
    book = exported_book()
    sheet = book[ITEMS_SHEET]
    sheet.cell(row=3, column=ITEM_HEADERS.index(header) + 1, value="长" * (limit + 1))
    errors = refused(to_bytes(book))
    expected = f"工作表「事项」第 3 行「{header}」：最多 {limit} 个字符（现有 {limit + 1} 个）。"
    assert expected in errors


def test_a_too_long_material_or_tier_cell_is_refused_too():
    book = exported_book()
    materials = book[MATERIALS_SHEET]
    code = materials.cell(row=2, column=1).value
    materials.cell(row=2, column=MATERIAL_COLUMNS.index("说明") + 1, value="注" * 301)
    tiers = book[TIERS_SHEET]
    tier_code = tiers.cell(row=2, column=1).value
    tiers.cell(row=2, column=TIER_HEADERS.index("依据") + 1, value="据" * 2001)
    errors = refused(to_bytes(book))
    items = [row[0] for row in book[ITEMS_SHEET].iter_rows(min_row=2, values_only=True)]
    item_row = items.index(code) + 2
    tier_row = items.index(tier_code) + 2
    assert f"工作表「事项」第 {item_row} 行「说明」：最多 300 个字符（现有 301 个）。" in errors
    assert (
        f"工作表「事项」第 {tier_row} 行分级情形 1「依据」：最多 2000 个字符（现有 2001 个）。"
        in errors
    )


def test_a_condition_at_its_limit_is_imported():
    """2000 characters of a valid condition (the condition language's own limit) and 4000 of
    its basis: the limit is a limit, not a trap."""
    book = exported_book()
    sheet = book[ITEMS_SHEET]
    condition = " or ".join(["land_area_ha > 1"] * 200)[:2000].rsplit(" or ", 1)[0]
    condition = condition + " " * (2000 - len(condition))
    assert len(condition) == 2000
    sheet.cell(row=2, column=ITEM_HEADERS.index("适用条件") + 1, value=condition)
    sheet.cell(row=2, column=ITEM_HEADERS.index("适用条件依据") + 1, value="依" * 4000)
    draft = catalog_import_workbook(content=to_bytes(book), filename="limit.xlsx")
    assert draft.items.filter(condition_basis="依" * 4000).count() == 1


def test_the_admin_form_refuses_an_over_long_alias():
    """Aliases are a JSON list (no column limit): each name takes the item name's limit."""
    from bangban.catalog.admin import ItemAdminForm

    form = ItemAdminForm(data={"aliases": '["施工许可", "%s"]' % ("名" * 121)})
    form.is_valid()
    assert form.errors["aliases"] == [
        "每个名称最多 120 个字符（「名名名名名名名名名名名名名名名名名名名名…」有 121 个）。"
    ]
    form = ItemAdminForm(data={"aliases": '["施工许可", "%s"]' % ("名" * 120)})
    form.is_valid()
    assert "aliases" not in form.errors


# --- random workbooks ------------------------------------------------------------------------

#: Text openpyxl can write (no control characters, no lone surrogates).
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30
) | st.sampled_from(["", " ", "是", "否", "无", "—", "=1+1", "DS01", "DS02", "免费"])
LABELS = st.sampled_from(
    [*Stage.labels, *ItemKind.labels, *ServiceMode.labels, "乡镇", "旗区", "原件", "复印件"]
)
CELL = st.one_of(
    st.none(),
    TEXT,
    LABELS,
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
    st.text(alphabet="长", min_size=120, max_size=5000),
)


def rows_of(width: int, max_rows: int):
    return st.lists(st.lists(CELL, min_size=0, max_size=width + 2), max_size=max_rows)


@st.composite
def workbooks(draw) -> bytes:
    """A workbook with the right sheets and headers (sometimes a header missing or moved) and
    random rows; a material and tier row often names a code of an item row."""
    book = Workbook()
    items = book.active
    items.title = ITEMS_SHEET
    headers = list(ITEM_HEADERS)
    if draw(st.booleans()):
        headers = draw(st.permutations(headers))
    if draw(st.integers(0, 9)) == 0:
        headers.pop(draw(st.integers(0, len(headers) - 1)))
    items.append(headers)
    codes = draw(st.lists(st.sampled_from(["DS01", "DS02", "X1", ""]), max_size=3))
    code_column = headers.index("事项编码") if "事项编码" in headers else None
    for number, row in enumerate(draw(rows_of(len(headers), 3))):
        if code_column is not None and number < len(codes) and len(row) > code_column:
            row[code_column] = codes[number]
        items.append(row)
    materials = book.create_sheet(MATERIALS_SHEET)
    materials.append(MATERIAL_COLUMNS)
    for row in draw(rows_of(len(MATERIAL_COLUMNS), 3)):
        if row and codes:
            row[0] = draw(st.sampled_from(codes))
        materials.append(row)
    if draw(st.booleans()):
        tiers = book.create_sheet(TIERS_SHEET)
        tiers.append(TIER_HEADERS)
        for row in draw(rows_of(len(TIER_HEADERS), 2)):
            if row and codes:
                row[0] = draw(st.sampled_from(codes))
            tiers.append(row)
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
        catalog_import_workbook(content=content, filename="random.xlsx")
    except CatalogValidationError as exc:
        assert exc.errors
        for error in exc.errors:
            assert isinstance(error, SpecError)
            assert error.message and error.where  # a place and a reason, in Chinese
            assert str(error).startswith(("工作表「", "文件", "前置事项", "事项 "))
