import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from bangban.catalog.models import CatalogVersion, Item
from bangban.catalog.services import (
    catalog_export_workbook,
    catalog_import_workbook,
    specs_from_version,
)
from bangban.catalog.specs import CatalogValidationError, specs_digest

pytestmark = pytest.mark.django_db


def published():
    return CatalogVersion.objects.get(status=CatalogVersion.Status.PUBLISHED)


def exported_book():
    return load_workbook(io.BytesIO(catalog_export_workbook(version=published())))


def to_bytes(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_export_has_a_row_per_item_and_per_material_with_chinese_headers():
    book = exported_book()
    items, materials = book["事项"], book["申请材料"]
    headers = [c.value for c in items[1]]
    assert headers[:2] == ["事项编码", "事项名称"] and "承诺时限（工作日）" in headers
    version = published()
    assert items.max_row - 1 == version.items.count()
    assert materials.max_row - 1 == sum(i.materials.count() for i in version.items.all())
    codes = [row[0] for row in items.iter_rows(min_row=2, values_only=True)]
    assert "DS28" in codes
    stage_column = headers.index("阶段")
    assert next(items.iter_rows(min_row=2, values_only=True))[stage_column] in (
        "市场准入",
        "立项用地规划许可",
    )


def test_round_trip_reproduces_the_published_content():
    version = published()
    draft = catalog_import_workbook(content=to_bytes(exported_book()), filename="round.xlsx")
    assert draft.status == CatalogVersion.Status.DRAFT
    assert specs_digest(specs_from_version(draft)) == specs_digest(specs_from_version(version))


def test_one_bad_row_refuses_the_whole_file_and_names_row_column_and_reason():
    book = exported_book()
    sheet = book["事项"]
    headers = [c.value for c in sheet[1]]
    sheet.cell(row=7, column=headers.index("承诺时限（工作日）") + 1, value="十天")
    items_before = Item.objects.count()
    versions_before = list(CatalogVersion.objects.values_list("number", "status"))
    with pytest.raises(CatalogValidationError) as exc:
        catalog_import_workbook(content=to_bytes(book), filename="bad.xlsx")
    message = str(exc.value)
    assert "第 7 行" in message and "承诺时限（工作日）" in message and "十天" in message
    assert Item.objects.count() == items_before
    assert list(CatalogVersion.objects.values_list("number", "status")) == versions_before


def test_semantic_errors_name_the_row_too():
    book = exported_book()
    sheet = book["事项"]
    headers = [c.value for c in sheet[1]]
    sheet.cell(row=4, column=headers.index("适用条件") + 1, value="land_area_ha >>= 1")
    sheet.cell(row=5, column=headers.index("办理部门") + 1, value="不存在的部门")
    with pytest.raises(CatalogValidationError) as exc:
        catalog_import_workbook(content=to_bytes(book), filename="bad.xlsx")
    message = str(exc.value)
    assert "第 4 行「适用条件」" in message
    assert "第 5 行「办理部门」" in message and "不存在的部门" in message


def test_a_cycle_in_the_workbook_is_refused_naming_the_items():
    book = exported_book()
    sheet = book["事项"]
    headers = [c.value for c in sheet[1]]
    code_col, pre_col = headers.index("事项编码"), headers.index("前置事项")
    for row in sheet.iter_rows(min_row=2):
        if row[code_col].value == "DS03":
            row[pre_col].value = "DS05"
    with pytest.raises(CatalogValidationError) as exc:
        catalog_import_workbook(content=to_bytes(book), filename="cycle.xlsx")
    assert "循环" in str(exc.value) and "DS03" in str(exc.value)


def test_not_an_excel_file_is_refused():
    with pytest.raises(CatalogValidationError) as exc:
        catalog_import_workbook(content=b"hello", filename="x.xlsx")
    assert "无法读取" in str(exc.value)


def test_commands_round_trip_and_refuse_a_bad_file(tmp_path):
    target = tmp_path / "catalog.xlsx"
    call_command("export_catalog", str(target), stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_catalog", str(target), "--publish", stdout=out)
    assert "已导入并发布" in out.getvalue()
    book = load_workbook(target)
    book["申请材料"].cell(row=3, column=4, value=-2)
    book.save(target)
    before = list(CatalogVersion.objects.values_list("number", "status"))
    with pytest.raises(CommandError) as exc:
        call_command("import_catalog", str(target))
    assert "第 3 行" in str(exc.value) and "份数" in str(exc.value)
    assert list(CatalogVersion.objects.values_list("number", "status")) == before


def test_text_that_looks_like_a_formula_is_exported_as_text():
    """An item's note typed as ``=HYPERLINK(…)`` stays text in the workbook, never a live
    formula in the reader's Excel (the shared append_row writes every string as text)."""
    item = published().items.order_by("code").first()
    Item.objects.filter(pk=item.pk).update(notes='=HYPERLINK("http://x","点此")')
    sheet = exported_book()["事项"]
    headers = [cell.value for cell in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == item.code)
    cell = row[headers.index("备注")]
    assert cell.value == '=HYPERLINK("http://x","点此")'
    assert cell.data_type == "s"
