import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_public_catalog_lists_and_filters_without_login(client):
    page = client.get("/catalog/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "投资项目审批事项清单" in text and "企业投资项目备案" in text and "共 72 项" not in ""
    filtered = client.get("/catalog/?stage=completion").content.decode()
    assert "建设工程消防验收" in filtered and "企业投资项目备案" not in filtered


def test_htmx_filter_returns_only_the_table(client):
    response = client.get("/catalog/?stage=completion", HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert "<table" in text and "<html" not in text


def test_search_and_empty_result(client):
    assert "取水许可" in client.get("/catalog/?q=取水").content.decode()
    assert "没有符合条件的事项" in client.get("/catalog/?q=不存在的事项名称").content.decode()


def test_service_guide_shows_department_limits_materials_fees_basis_and_mode(client):
    text = client.get("/catalog/items/DS28/").content.decode()
    for expected in (
        "办事指南",
        "办理部门",
        "法定时限",
        "承诺时限",
        "申请材料",
        "收费标准",
        "设定依据",
        "服务方式",
        "建设工程规划许可证",
    ):
        assert expected in text, expected
    assert client.get("/catalog/items/NOPE/").status_code == 404


def test_catalog_page_runs_a_constant_number_of_queries(client):
    counts = []
    for query in ("?stage=completion", ""):
        with CaptureQueriesContext(connection) as ctx:
            client.get(f"/catalog/{query}")
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
