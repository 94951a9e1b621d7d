"""Issue 11: tiers (分级情形) of an item as catalog data — loaded from the data file, carried by
the Excel round trip (their own sheet), validated like items, listed in the service guide."""

import io

import pytest
from openpyxl import load_workbook

from bangban.catalog.models import CatalogVersion, Item
from bangban.catalog.services import (
    catalog_export_workbook,
    catalog_import_workbook,
    specs_from_mapping,
    specs_from_version,
)
from bangban.catalog.specs import CatalogValidationError, validate_specs

pytestmark = pytest.mark.django_db


def published():
    return CatalogVersion.objects.get(status=CatalogVersion.Status.PUBLISHED)


def to_bytes(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_data_file_loads_tiers_in_order_inheriting_what_they_leave_out():
    ds43 = Item.objects.get(version=published(), code="DS43")
    tiers = list(ds43.tiers.order_by("sort_order"))
    assert [t.label[:9] for t in tiers] == ["水土保持方案报告书", "水土保持方案报告表"]
    book, form = tiers
    # The 报告书 tier writes only its label, condition and basis: the rest is the item's.
    assert (book.kind, book.promised_limit_days, book.legal_limit_days) == ("promised", 5, 10)
    assert book.department_id == ds43.department_id and book.condition.startswith("land_area_ha")
    assert (form.kind, form.promised_limit_days, form.condition) == ("immediate", 0, "")
    ds17 = Item.objects.get(version=published(), code="DS17")
    assert ds17.authority == "内蒙古自治区林业和草原局"
    assert ds17.tiers.get(handling_level="state").authority == "国家林业和草原局"


def test_the_round_trip_carries_tiers_and_a_tier_edit_in_excel():
    book = load_workbook(io.BytesIO(catalog_export_workbook(version=published())))
    sheet = book["分级情形"]
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["事项编码", "情形", "适用条件"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert sum(1 for row in rows if row[0] == "DS20") == 4
    # An administrator raises the promise of the 国家 tier of DS17 to 20 working days.
    promised = headers.index("承诺时限（工作日）") + 1
    for number, row in enumerate(rows, start=2):
        if row[0] == "DS17" and row[headers.index("办理层级")] == "国家":
            sheet.cell(row=number, column=promised, value=20)
    draft = catalog_import_workbook(content=to_bytes(book), filename="tiers.xlsx")
    specs = {s.code: s for s in specs_from_version(draft)}
    before = {s.code: s for s in specs_from_version(published())}
    assert [t.label for t in specs["DS20"].tiers] == [t.label for t in before["DS20"].tiers]
    state = next(t for t in specs["DS17"].tiers if t.handling_level == "state")
    assert state.promised_limit_days == 20
    assert specs["DS43"].tiers == before["DS43"].tiers


def test_a_bad_tier_row_is_refused_with_its_sheet_row_and_column():
    book = load_workbook(io.BytesIO(catalog_export_workbook(version=published())))
    sheet = book["分级情形"]
    headers = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=headers.index("办理层级") + 1, value="乡里")
    with pytest.raises(CatalogValidationError) as raised:
        catalog_import_workbook(content=to_bytes(book), filename="bad.xlsx")
    assert "工作表「分级情形」第 2 行「办理层级」" in str(raised.value)


def test_a_tier_is_validated_like_an_item():
    data = {
        "items": [
            {
                "code": "T1",
                "name": "测试事项",
                "stage": "project_land",
                "domain": "development",
                "department": "dongsheng-fgw",
                "kind": "promised",
                "legal_limit": 10,
                "promised_limit": 5,
                "service_mode": "bangban",
                "materials": [{"name": "申请书"}],
                "tiers": [
                    {"label": "甲", "condition": "energy_tce >=", "promised_limit": 12},
                    {"label": "甲", "kind": "immediate"},
                ],
            }
        ]
    }
    specs, where = specs_from_mapping(data)
    messages = [str(e) for e in validate_specs(specs, department_keys={"dongsheng-fgw"})]
    assert any("分级情形 1「适用条件」" in m for m in messages)
    assert any("分级情形 1「承诺时限」" in m and "超过法定时限 10" in m for m in messages)
    assert any("分级情形 2「情形」" in m and "重复" in m for m in messages)
    assert any("分级情形 2「承诺时限」" in m and "即办件" in m for m in messages)


def test_the_service_guide_lists_the_tiers_in_words(client):
    text = client.get("/catalog/items/DS20/").content.decode()
    assert 'id="tiers"' in text
    assert "防护林、特种用途林林地10公顷及以上（国家林业和草原局审核）" in text
    assert "其余情形" in text
    assert "forest_type" not in text and "forest_land_ha" not in text
    guide = client.get("/catalog/items/DS09/").content.decode()
    assert "无法定时限" in guide


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"condition": "energy_tce >="}, "condition", "适用条件有误"),
        (
            {"legal_limit_days": "5", "legal_limit_unit": "working", "promised_limit_days": "8"},
            "promised_limit_days",
            "承诺时限不能超过法定时限（最多 5 个工作日）",
        ),
        (
            {"kind": "immediate", "promised_limit_days": "3"},
            "promised_limit_days",
            "即办件当场办结",
        ),
    ],
)
def test_the_tier_form_refuses_a_bad_condition_or_limit(changes, field, message):
    """The admin's tier inline checks what the item form checks (one shared form class),
    plus the 即办 rule of a tier."""
    from bangban.catalog.admin import ItemTierForm
    from bangban.catalog.models import ItemTier

    tier = ItemTier.objects.select_related("item").first()
    data = {
        name: getattr(tier, name)
        for name in ("label", "condition", "basis", "domain", "handling_level", "authority")
    }
    data.update(
        item=tier.item_id,
        department=tier.department_id,
        kind=tier.kind,
        legal_limit_days=tier.legal_limit_days or "",
        legal_limit_unit=tier.legal_limit_unit or "",
        promised_limit_days=tier.promised_limit_days,
        preparation_days=tier.preparation_days,
        service_mode=tier.service_mode,
        sort_order=tier.sort_order,
    )
    assert ItemTierForm(data=data, instance=tier).is_valid()  # as loaded, the tier is valid
    data.update(changes)
    form = ItemTierForm(data=data, instance=tier)
    assert not form.is_valid()
    assert any(message in error for error in form.errors[field]), form.errors
