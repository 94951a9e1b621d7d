import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bangban.catalog.models import Stage

pytestmark = pytest.mark.django_db


def test_list_endpoint_returns_published_items_with_limits_and_materials(client):
    response = client.get("/api/v1/catalog/items/?page_size=200")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] >= 60 and len(body["results"]) == body["count"]
    for row in body["results"]:
        assert row["stage"] in Stage.values
        assert row["department"]["name"]
        assert row["promised_limit_days"] is not None
        assert row["legal_limit_days"] is None or row["legal_limit_days"] >= 0
        assert row["materials"] and row["materials"][0]["name"]
    by_code = {row["code"]: row for row in body["results"]}
    assert by_code["DS09"]["legal_limit_days"] is None  # a procedure: no legal limit
    assert by_code["DS30"]["promised_limit_days"] == 1


def test_page_size_is_capped_at_200(client):
    body = client.get("/api/v1/catalog/items/?page_size=5000").json()
    assert len(body["results"]) == min(200, body["count"])


def test_filters_by_stage_department_mode_and_search(client):
    rows = client.get("/api/v1/catalog/items/?page_size=200&stage=completion").json()["results"]
    assert rows and all(r["stage"] == "completion" for r in rows)
    dept = rows[0]["department"]["key"]
    rows = client.get(f"/api/v1/catalog/items/?page_size=200&department={dept}").json()["results"]
    assert rows and all(r["department"]["key"] == dept for r in rows)
    rows = client.get("/api/v1/catalog/items/?page_size=200&service_mode=errand").json()["results"]
    assert all(r["service_mode"] == "errand" for r in rows)
    rows = client.get("/api/v1/catalog/items/?q=取水").json()["results"]
    assert rows and all("取水" in r["name"] or "取水" in r["department"]["name"] for r in rows)


def test_bad_filter_value_is_a_400_with_a_message(client):
    response = client.get("/api/v1/catalog/items/?stage=moon")
    assert response.status_code == 400
    assert "stage" in response.json()


def test_detail_by_code_and_404_for_unknown_code(client):
    body = client.get("/api/v1/catalog/items/DS28/").json()
    assert body["code"] == "DS28" and body["legal_basis"] and body["materials"]
    assert "DS15" in body["prerequisites"]
    missing = client.get("/api/v1/catalog/items/NOPE/")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "未找到。"


def test_list_runs_a_constant_number_of_queries(client):
    counts = []
    for size in (5, 50):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/api/v1/catalog/items/?page_size={size}").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_openapi_schema_and_docs_are_served_without_cdn(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/catalog/items/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn." not in docs.content and b"jsdelivr" not in docs.content


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["database"] == "ok"
