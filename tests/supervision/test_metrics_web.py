"""The metrics page, its drill-down, the planner-accuracy page and their API, on the
hand-worked world of conftest.py (figures worked out in test_metrics.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bangban.accounts.models import Role
from tests.projects.factories import UserFactory, region

from .conftest import SHANGHAI, TODAY, build_metrics_world

pytestmark = pytest.mark.django_db

METRICS = "/supervision/metrics/"
RECORDS = "/supervision/metrics/records/"
ACCURACY = "/supervision/planner-accuracy/"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """The server clock reads 2026-12-10 18:00 (the day the world is read on)."""
    moment = dt.datetime.combine(TODAY, dt.time(18, 0), tzinfo=SHANGHAI)
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.fixture
def sup(client, metrics_world):
    client.force_login(metrics_world.supervisor)
    return client


def test_the_page_by_department(sup, metrics_world):
    w = metrics_world
    response = sup.get(METRICS, {"period": "2026-11", "by": "department"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "统计指标 · 2026年11月" in html
    assert "东胜区发展和改革委员会" in html
    # D1: completion 2/4 = 50.0% with 2 of its 4 cases back-filled beside it; promise kept
    # 1/2; 3 overdue of which 1 back-filled (33.3%); speed-up 1 − 9/15 = 40.0%
    row = html.split("东胜区发展和改革委员会", 1)[1].split("</tr>", 1)[0]
    assert "50.0%" in row
    assert "补录 50.0%" in row
    assert "补录 33.3%" in row
    assert "40.0%" in row
    # the total: completion 4/9 = 44.4%, promise kept 3/5 = 60.0%, back-filled 2/9 = 22.2%
    total = html.split('<tr class="total">', 1)[1].split("</tr>", 1)[0]
    assert "44.4%" in total and "60.0%" in total and "补录 22.2%" in total
    # every count links to its records
    link = f"metric=overdue_open&amp;key={w.d1.pk}"
    assert link in row
    assert "<script>" not in html


@pytest.mark.parametrize("by", ["", "agent", "region", "stage", "service_mode"])
def test_every_dimension_renders(sup, by):
    response = sup.get(METRICS, {"period": "2026-11", "by": by})
    assert response.status_code == 200
    assert "44.4%" in response.content.decode()  # the total's completion rate


@pytest.mark.parametrize(
    ("params", "label"),
    [
        ({"kind": "month", "month": "2026-11"}, "2026年11月"),
        ({"kind": "quarter", "quarter": "2026-Q4"}, "2026年第4季度"),
        ({"kind": "year", "year": "2026"}, "统计指标 · 2026年"),
        (
            {"kind": "custom", "start": "2026-11-01", "end": "2026-11-30"},
            "2026-11-01 至 2026-11-30",
        ),
    ],
)
def test_the_period_form(sup, params, label):
    response = sup.get(METRICS, params)
    assert response.status_code == 200
    assert label in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"period": "2026-13"}, "月份应为 1 至 12"),
        ({"kind": "custom", "start": "2026-11-30", "end": "2026-11-01"}, "结束日期不能早于"),
        ({"kind": "custom", "start": "2026-11-30"}, "请填写开始和结束日期"),
        ({"by": "colour"}, "未知的统计维度"),
    ],
)
def test_bad_input_is_told_in_chinese(sup, params, message):
    response = sup.get(METRICS, params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_region_narrows_and_one_outside_is_404(sup, metrics_world):
    response = sup.get(METRICS, {"period": "2026-11", "region": metrics_world.r2.pk})
    assert response.status_code == 200
    assert "铜川镇及其下级" in response.content.decode()
    assert sup.get(METRICS, {"region": region("150202").pk}).status_code == 404
    assert sup.get(METRICS, {"region": "x"}).status_code == 404


@pytest.mark.parametrize("role", [Role.AGENT, Role.ENTERPRISE, Role.DEPT_OFFICER, Role.ERRAND])
def test_other_roles_get_404(client, metrics_world, role):
    client.force_login(UserFactory(role=role))
    for url in (METRICS, RECORDS + "?metric=accepted", ACCURACY):
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.LEADER, Role.CENTRE_ADMIN])
def test_the_readers(client, metrics_world, role):
    client.force_login(UserFactory(role=role, region=region("150602")))
    assert client.get(METRICS, {"period": "2026-11"}).status_code == 200


def test_the_records_behind_a_count(sup, metrics_world):
    w = metrics_world
    response = sup.get(
        RECORDS,
        {"period": "2026-11", "by": "department", "key": w.d1.pk, "metric": "overdue_open"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "期末超期未办结的办件" in html
    assert "共 3 条" in html  # K5 K8 K11
    for key in ("K5", "K8", "K11"):
        assert f'/cases/{w.cases[key].pk}/"' in html
    assert f'/cases/{w.cases["K4"].pk}/"' not in html  # D2's


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({"metric": "ratings"}, 5),
        ({"metric": "satisfied", "by": "stage", "key": "none"}, 1),  # R3, the commission's
        ({"metric": "visited"}, 2),
        ({"metric": "commissions_completed", "by": "agent", "key": "a1"}, 2),
        ({"metric": "consultations", "by": "region", "key": "r2"}, 2),
        ({"metric": "accepted", "by": "service_mode", "key": "joint"}, 4),
    ],
)
def test_the_other_lists_behind_counts(sup, metrics_world, params, count):
    if params.get("key") in ("a1", "r2"):
        params["key"] = getattr(metrics_world, params["key"]).pk
    response = sup.get(RECORDS, {"period": "2026-11", **params})
    assert response.status_code == 200
    assert f"共 {count} 条" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"metric": "completion_rate"},
        {"metric": "accepted", "by": "colour"},
        {"metric": "accepted", "by": "department", "key": "abc"},
        {"metric": "accepted", "period": "2026-13"},
    ],
)
def test_a_malformed_drill_down_is_404(sup, params):
    assert sup.get(RECORDS, params).status_code == 404


def test_the_planner_accuracy_page(sup):
    response = sup.get(ACCURACY, {"period": "2026-11"})
    assert response.status_code == 200
    assert "方案准确度 · 2026年11月" in response.content.decode()
    assert sup.get(ACCURACY, {"period": "bad"}).status_code == 400


def test_the_page_runs_a_constant_number_of_queries(client, db):
    build_metrics_world()
    supervisor = UserFactory(role=Role.SUPERVISOR, department=None, region=region("150602"))
    client.force_login(supervisor)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(METRICS, {"period": "2026-11", "by": "agent"}).status_code == 200
        return len(queries)

    small = count()
    build_metrics_world()
    build_metrics_world()
    assert count() == small


@pytest.mark.parametrize(
    "metric", ["accepted", "ratings", "commissions_completed", "consultations"]
)
def test_the_records_page_runs_a_constant_number_of_queries(client, db, metric):
    build_metrics_world()
    supervisor = UserFactory(role=Role.SUPERVISOR, department=None, region=region("150602"))
    client.force_login(supervisor)
    params = {"period": "2026-11", "metric": metric}

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(RECORDS, params)
        assert response.status_code == 200
        assert "暂无" not in response.content.decode()  # rows listed
        return len(queries)

    small = count()
    build_metrics_world()
    build_metrics_world()
    assert count() == small


# --- the API ----------------------------------------------------------------------------------


def test_the_api_by_department(sup, metrics_world):
    w = metrics_world
    response = sup.get("/api/v1/metrics/", {"period": "2026-11", "by": "department"})
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == {
        "token": "2026-11",
        "kind": "month",
        "label": "2026年11月",
        "start": "2026-11-01",
        "end": "2026-11-30",
        "as_of": "2026-11-30",
        "over": True,
    }
    assert body["by"] == "department"
    rows = {row["key"]: row for row in body["rows"]}
    assert set(rows) == {w.d1.pk, w.d2.pk, w.agency.pk}
    d1 = rows[w.d1.pk]
    assert (d1["accepted"], d1["accepted_completed"], d1["overdue_open"]) == (4, 2, 3)
    assert d1["completion_rate"] == pytest.approx(0.5)
    assert d1["backfilled_overdue"] == pytest.approx(1 / 3)
    assert d1["speedup"] == pytest.approx(0.4)
    assert body["total"]["accepted"] == 9
    assert body["total"]["follow_up_coverage"] == pytest.approx(2 / 3)


def test_the_api_total_and_errors(sup, metrics_world, client):
    body = sup.get("/api/v1/metrics/", {"period": "2026-Q4"}).json()
    assert body["by"] is None and len(body["rows"]) == 1
    assert body["rows"][0] == body["total"]
    bad = sup.get("/api/v1/metrics/", {"period": "2026-13"})
    assert bad.status_code == 400 and "月份" in bad.json()["period"][0]
    assert sup.get("/api/v1/metrics/", {"by": "colour"}).status_code == 400
    outside = sup.get("/api/v1/metrics/", {"region": region("150202").pk})
    assert outside.status_code == 404
    client.logout()
    client.force_login(UserFactory(role=Role.AGENT))
    assert client.get("/api/v1/metrics/").status_code == 403
    assert client.get("/api/v1/planner-accuracy/").status_code == 403


def test_the_api_planner_accuracy(sup):
    response = sup.get("/api/v1/planner-accuracy/", {"period": "2026"})
    assert response.status_code == 200
    body = response.json()
    assert body["period"]["token"] == "2026"
    assert body["plans"] == 0 and body["rows"] == []
