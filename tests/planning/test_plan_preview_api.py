"""POST /api/v1/plans/preview — the preview contract of SPEC §5."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from bangban.accounts.models import User

from .test_plan_compute import CHEMICAL, CHEMICAL_ITEMS, CHEMICAL_PATH

pytestmark = pytest.mark.django_db
URL = "/api/v1/plans/preview"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """The throttle counts in the cache: start every test from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


def _post(api, body):
    return api.post(URL, body, format="json")


def test_contract_fields_and_values(api):
    response = _post(api, {"start_date": "2026-01-26", "attributes": CHEMICAL})
    assert response.status_code == 200, response.content
    data = response.json()
    assert {"items", "total_working_days", "serial_working_days", "compression"} <= set(data)
    assert (data["total_working_days"], data["serial_working_days"]) == (144, 484)
    assert data["compression"] == 0.7025
    assert data["critical_path"] == CHEMICAL_PATH
    assert data["end_date"] == "2026-08-26" and data["provisional"] is False
    assert data["start_date"] == data["first_working_day"] == "2026-01-26"
    assert isinstance(data["catalog_version"], int)
    assert {item["code"] for item in data["items"]} == CHEMICAL_ITEMS
    for item in data["items"]:
        assert {"code", "name", "stage", "planned_start", "planned_due", "critical"} <= set(item)
    xa01 = next(item for item in data["items"] if item["code"] == "XA01")
    assert xa01 == {
        **xa01,
        "name": "企业投资项目核准",
        "stage": "project_land",
        "stage_label": "立项用地规划许可",
        "planned_start": "2026-01-28",
        "planned_acceptance": "2026-03-17",
        "planned_due": "2026-04-08",
        "critical": True,
        "slack": 0,
        "in_scope": True,
        "prerequisites": ["MA01"],
        "working_days": 45,
    }
    assert xa01["department"] and xa01["level"] == "region" and xa01["level_label"] == "自治区"
    # 15 000 tce ≥ 1万: the industrial energy review is decided by the 自治区 (R07, tier).
    ds07 = next(item for item in data["items"] if item["code"] == "DS07")
    assert (ds07["level"], ds07["department"]) == ("region", "东胜区工业和信息化局")
    assert ds07["tier"].startswith("年综合能源消费量1万吨标准煤及以上")
    assert xa01["explanation"]["needed_because"] == ["投资类型为企业投资（核准）"]
    assert xa01["explanation"]["waits_for"] == [
        {"code": "MA01", "name": "公司注册（企业设立登记）"}
    ]
    ma01 = next(item for item in data["items"] if item["code"] == "MA01")
    assert ma01["explanation"]["condition"] == (
        "investment_type != 'government' and not unit_registered"
    )
    assert len(ma01["explanation"]["needed_because"]) == 2
    assert ma01["explanation"]["waits_for"] == []
    assert (ma01["level"], ma01["tier"], ma01["authority"]) == ("zone", "", "")
    # planned order: by planned start
    starts = [item["planned_start"] for item in data["items"]]
    assert starts == sorted(starts)


def test_left_out_attributes_take_their_neutral_value(api):
    empty = _post(api, {"start_date": "2026-09-21", "attributes": {}}).json()
    missing = _post(api, {"start_date": "2026-09-21"}).json()
    explicit = _post(
        api,
        {
            "start_date": "2026-09-21",
            "attributes": {
                "investment_type": "enterprise_filing",
                "land_source": "none",
                "eia_category": "none",
                "energy_tce": 0,
                "highway_project": False,
                "industry_code": "",
            },
        },
    ).json()
    assert empty == missing == explicit
    assert [item["code"] for item in empty["items"]] == ["MA01", "DS01"]
    assert empty["compression"] == 0.0


def test_unknown_and_ill_typed_attributes_are_named(api):
    response = _post(
        api,
        {
            "start_date": "2026-09-21",
            "attributes": {
                "foo": 1,
                "energy_tce": "很多",
                "highway_project": "yes",
                "land_area_ha": -1,
                "eia_category": "big",
                "industry_code": 2614,
                "building_area_m2": 500,
            },
        },
    )
    assert response.status_code == 400
    assert response.json() == {
        "attributes": {
            "foo": ["未知的项目属性。"],
            "energy_tce": ["应为数字。"],
            "highway_project": ["应为布尔值（true/false）。"],
            "land_area_ha": ["不能小于 0。"],
            "eia_category": ["取值应为 report_book、report_form、registration、none 之一。"],
            "industry_code": ["应为字符串。"],
        }
    }


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"attributes": {}}, "请提供计划开始日期 start_date（YYYY-MM-DD）。"),
        ({"start_date": "2026-13-01"}, "计划开始日期格式应为 YYYY-MM-DD，例如 2026-09-21。"),
        ({"start_date": "21/09/2026"}, "计划开始日期格式应为 YYYY-MM-DD，例如 2026-09-21。"),
        ({"start_date": None}, "计划开始日期不能为空。"),
        ({"start_date": "1999-12-31"}, "计划开始日期应在 2000-01-01 至 2100-12-31 之间。"),
        ({"start_date": "9999-12-31"}, "计划开始日期应在 2000-01-01 至 2100-12-31 之间。"),
    ],
)
def test_a_bad_or_missing_start_date_is_refused_in_chinese(api, body, message):
    response = _post(api, body)
    assert response.status_code == 400
    assert response.json() == {"start_date": [message]}


def test_attributes_must_be_an_object(api):
    response = _post(api, {"start_date": "2026-09-21", "attributes": ["energy_tce"]})
    assert response.status_code == 400
    assert response.json() == {"attributes": ["attributes 应为对象（键为属性名）。"]}
    response = api.post(URL, "not json", content_type="application/json")
    assert response.status_code == 400


def test_no_login_needed_and_a_logged_in_browser_needs_no_csrf_token(api):
    User.objects.create_user(username="planner-user", password="Bangban@2026x")
    client = APIClient(enforce_csrf_checks=True)
    client.login(username="planner-user", password="Bangban@2026x")
    response = client.post(URL, {"start_date": "2026-09-21"}, format="json")
    assert response.status_code == 200


def test_preview_is_throttled(api, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"preview": "2/min"})
    assert _post(api, {"start_date": "2026-09-21"}).status_code == 200
    assert _post(api, {"start_date": "2026-09-21"}).status_code == 200
    response = _post(api, {"start_date": "2026-09-21"})
    assert response.status_code == 429


def test_documented_in_the_openapi_schema(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "/api/v1/plans/preview:" in text
    assert "PlanPreviewInput" in text and "PlanPreviewOutput" in text
    assert "critical_path" in text
