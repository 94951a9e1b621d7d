import io

import pytest
from openpyxl import load_workbook

from bangban.catalog.models import CatalogVersion, Item
from bangban.catalog.services import catalog_export_workbook
from bangban.web.management.commands.demo_data import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    from django.core.management import call_command

    call_command("demo_data", stdout=io.StringIO())
    # the national catalog is the platform operators' (a centre admin only views it)
    client.login(username="platform", password=DEMO_PASSWORD)
    return client


def workbook_bytes(mutate=None) -> bytes:
    version = CatalogVersion.objects.get(status=CatalogVersion.Status.PUBLISHED)
    book = load_workbook(io.BytesIO(catalog_export_workbook(version=version)))
    if mutate:
        mutate(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, content: bytes, name="catalog.xlsx"):
    file = io.BytesIO(content)
    file.name = name
    return client.post("/admin/catalog/catalogversion/import/", {"file": file}, follow=True)


def test_admin_import_with_a_bad_row_shows_row_column_reason_and_changes_nothing(admin_client):
    def break_row(book):
        book["事项"]["A9"] = ""  # a row without its code

    before = (Item.objects.count(), list(CatalogVersion.objects.values_list("number", "status")))
    page = upload(admin_client, workbook_bytes(break_row)).content.decode()
    assert "第 9 行" in page and "事项编码" in page
    assert (
        Item.objects.count(),
        list(CatalogVersion.objects.values_list("number", "status")),
    ) == before


def test_admin_refuses_a_file_that_is_not_xlsx(admin_client):
    page = upload(admin_client, b"a,b,c", name="catalog.csv").content.decode()
    assert "请上传 .xlsx 格式的 Excel 文件" in page


def test_admin_import_then_publish_makes_a_new_version(admin_client):
    response = upload(admin_client, workbook_bytes())
    assert "已导入到" in response.content.decode()
    draft = CatalogVersion.objects.get(status=CatalogVersion.Status.DRAFT)
    response = admin_client.post(
        "/admin/catalog/catalogversion/",
        {"action": "publish", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert "已发布" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == CatalogVersion.Status.PUBLISHED
    assert CatalogVersion.objects.filter(status=CatalogVersion.Status.SUPERSEDED).exists()


def test_admin_export_downloads_a_workbook(admin_client):
    version = CatalogVersion.objects.get(status=CatalogVersion.Status.PUBLISHED)
    response = admin_client.get(f"/admin/catalog/catalogversion/{version.pk}/export/")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["事项", "申请材料", "分级情形"]


def test_published_items_are_read_only_and_a_bad_condition_is_refused_in_the_draft(admin_client):
    published_item = Item.objects.get(version__status="published", code="DS02")
    page = admin_client.get(f"/admin/catalog/item/{published_item.pk}/change/").content.decode()
    assert 'name="condition"' not in page  # read-only view
    admin_client.get("/admin/catalog/catalogversion/draft/")
    draft_item = Item.objects.get(version__status="draft", code="DS02")
    form = admin_client.get(f"/admin/catalog/item/{draft_item.pk}/change/")
    assert form.status_code == 200
    data = {
        field: getattr(draft_item, field)
        for field in (
            "code",
            "name",
            "stage",
            "domain",
            "handling_level",
            "kind",
            "legal_limit_unit",
            "service_mode",
            "fees",
        )
    }
    data.update(
        version=draft_item.version_id,
        department=draft_item.department_id,
        legal_limit_days=draft_item.legal_limit_days,
        promised_limit_days=draft_item.promised_limit_days,
        preparation_days=draft_item.preparation_days,
        gap_supplement_days=5,
        sort_order=1,
        aliases="[]",
        estimated_fields="[]",
        condition="energy_tce >= ",
        **{
            "materials-TOTAL_FORMS": 0,
            "materials-INITIAL_FORMS": 0,
            "prerequisite_links-TOTAL_FORMS": 0,
            "prerequisite_links-INITIAL_FORMS": 0,
        },
    )
    response = admin_client.post(f"/admin/catalog/item/{draft_item.pk}/change/", data)
    assert response.status_code == 200
    assert "适用条件有误" in response.content.decode()
    draft_item.refresh_from_db()
    assert draft_item.condition != "energy_tce >= "
