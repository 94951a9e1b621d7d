"""The monthly report's and the annual evaluation's pages and API: who may open them, the
region subtree, the actions through the page and the API (400/403/409 with their messages),
the downloads, and the list's constant number of queries."""

from __future__ import annotations

import io

import docx
import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from bangban.accounts.models import Role
from bangban.supervision.metrics import Period
from bangban.supervision.models import MonthlyReport
from bangban.supervision.services import monthly_report_prepare
from tests.projects.factories import AdminFactory, UserFactory, region

from .conftest import build_metrics_world
from .test_annual_evaluation import build_annual_world

pytestmark = pytest.mark.django_db

NOVEMBER = Period.month(2026, 11)


@pytest.fixture
def world(db):
    return build_metrics_world()


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_of(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- who may open them -------------------------------------------------------------------------

PAGES = (
    "/supervision/reports/",
    "/supervision/reports/2026-11/",
    "/supervision/reports/2026-11/report.xlsx",
    "/supervision/reports/2026-11/report.docx",
    "/supervision/evaluation/2026/",
    "/supervision/evaluation/2026/evaluation.xlsx",
    "/supervision/evaluation/2026/evaluation.docx",
)


@pytest.mark.parametrize(
    "role", [Role.AGENT, Role.DEPT_OFFICER, Role.ENTERPRISE, Role.SPONSOR, Role.ERRAND]
)
def test_other_roles_get_404_on_the_pages_and_403_on_the_api(world, role):
    client = client_of(UserFactory(role=role, region=region("150602")))
    for url in PAGES:
        assert client.get(url).status_code == 404, url
    api = api_of(UserFactory(role=role, region=region("150602")))
    for url in ("/api/v1/monthly-reports/", "/api/v1/monthly-reports/2026-11/",
                "/api/v1/annual-evaluation/2026/"):  # fmt: skip
        response = api.get(url)
        assert response.status_code == 403, url
        assert "督查人员" in response.json()["detail"]


def test_anonymous_is_sent_to_the_login(world):
    response = Client().get("/supervision/reports/2026-11/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert APIClient().get("/api/v1/monthly-reports/2026-11/").status_code in (401, 403)


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.LEADER, Role.CENTRE_ADMIN])
def test_readers_open_every_page(world, role):
    user = UserFactory(role=role, region=region("150602"),
                       department=None if role != Role.CENTRE_ADMIN else world.agency)  # fmt: skip
    client = client_of(user)
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get("/supervision/reports/2026-11/").content.decode()
    assert "2026年11月代办帮办工作月报" in page
    assert world.d1.name in page


def test_bad_months_years_and_other_regions_answer_404(world):
    client = client_of(world.supervisor)
    for url in ("/supervision/reports/2026-13/", "/supervision/reports/abc/",
                "/supervision/reports/2026-1/", "/supervision/evaluation/1999/",
                f"/supervision/reports/2026-11/?region={region('150202').pk}",
                "/supervision/reports/2026-11/?region=x"):  # fmt: skip
        assert client.get(url).status_code == 404, url
    api = api_of(world.supervisor)
    assert api.get("/api/v1/monthly-reports/2026-13/").status_code == 404
    other = region("150202").pk
    assert api.get(f"/api/v1/monthly-reports/2026-11/?region={other}").status_code == 404


def test_a_subregion_is_chosen_and_the_month_chooser_redirects(world):
    client = client_of(world.supervisor)
    response = client.get("/supervision/reports/", {"month": "2026-10", "region": world.r2.pk})
    assert response.status_code == 302
    assert response["Location"] == f"/supervision/reports/2026-10/?region={world.r2.pk}"
    page = client.get(response["Location"]).content.decode()
    assert f"· {world.r2.name}" in page


# --- actions on the page ----------------------------------------------------------------------


def test_prepare_and_review_on_the_page(world):
    client = client_of(world.supervisor)
    page = client.get("/supervision/reports/2026-11/").content.decode()
    assert 'action="/supervision/reports/2026-11/prepare/"' in page
    response = client.post("/supervision/reports/2026-11/prepare/", {"region": world.r1.pk})
    assert response.status_code == 302
    report = MonthlyReport.objects.get(region=world.r1)
    page = client.get("/supervision/reports/2026-11/").content.decode()
    assert "待审核" in page and 'action="/supervision/reports/2026-11/review/"' in page

    stale = client.post(
        "/supervision/reports/2026-11/review/",
        {"region": world.r1.pk, "version": report.version + 1, "note": "看过"},
    )
    assert stale.status_code == 409
    assert "已被他人修改" in stale.content.decode()
    report.refresh_from_db()
    assert report.state == "prepared"

    admin = AdminFactory()
    refused = client_of(admin).post(
        "/supervision/reports/2026-11/review/", {"region": world.r1.pk, "version": report.version}
    )
    assert refused.status_code == 403
    assert "只有督查人员可以审核月报" in refused.content.decode()

    done = client.post(
        "/supervision/reports/2026-11/review/",
        {"region": world.r1.pk, "version": report.version, "note": "数据无误"},
    )
    assert done.status_code == 302
    report.refresh_from_db()
    assert (report.state, report.review_note) == ("reviewed", "数据无误")
    page = client.get("/supervision/reports/2026-11/").content.decode()
    assert "已审核" in page and "review/" not in page


def test_a_running_month_offers_no_preparation(world):
    client = client_of(world.supervisor)
    page = client.get("/supervision/reports/2026-12/").content.decode()
    assert "prepare/" not in page
    response = client.post("/supervision/reports/2026-12/prepare/", {"region": world.r1.pk})
    assert response.status_code == 400
    assert "尚未结束" in response.content.decode()
    assert not MonthlyReport.objects.exists()


# --- the API ----------------------------------------------------------------------------------


def test_the_api_month_prepare_review_and_list(world):
    api = api_of(world.supervisor)
    body = api.get("/api/v1/monthly-reports/2026-11/").json()
    assert body["source"] == "live" and body["report"] is None
    assert body["figures"]["cases"]["total"]["accepted"] == 9
    assert body["allowed_actions"] == ["prepare"]

    prepared = api.post("/api/v1/monthly-reports/2026-11/prepare/", {}, format="json")
    assert prepared.status_code == 200, prepared.json()
    report = prepared.json()["report"]
    assert report["state"] == "prepared" and report["due_date"] == "2026-12-15"
    again = api.post("/api/v1/monthly-reports/2026-11/prepare/", {}, format="json")
    assert again.status_code == 409  # the caller did not say which version it saw

    stale = api.post("/api/v1/monthly-reports/2026-11/review/", {"version": 99}, format="json")
    assert stale.status_code == 409
    long = api.post(
        "/api/v1/monthly-reports/2026-11/review/",
        {"version": report["version"], "note": "意" * 501},
        format="json",
    )
    assert long.status_code == 400 and "500" in str(long.json())
    leader = UserFactory(role=Role.LEADER, department=None, region=world.r1)
    refused = api_of(leader).post(
        "/api/v1/monthly-reports/2026-11/review/", {"version": report["version"]}, format="json"
    )
    assert refused.status_code == 403
    done = api.post(
        "/api/v1/monthly-reports/2026-11/review/", {"version": report["version"]}, format="json"
    )
    assert done.status_code == 200
    assert done.json()["report"]["state"] == "reviewed"
    assert done.json()["allowed_actions"] == []

    listed = api.get("/api/v1/monthly-reports/", {"state": "reviewed"}).json()
    assert [row["month"] for row in listed["results"]] == ["2026-11"]
    assert api.get("/api/v1/monthly-reports/", {"month": "2026-1x"}).status_code == 400


def test_the_list_shows_only_the_subtree_and_runs_constant_queries(world):
    client = client_of(world.supervisor)
    baotou = region("150202")
    monthly_report_prepare(region=baotou, period=NOVEMBER)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/supervision/reports/")
        assert response.status_code == 200
        assert "东河区" not in response.content.decode()
        return len(queries)

    monthly_report_prepare(region=world.r1, period=NOVEMBER)
    small = count()
    for month in range(1, 10):
        monthly_report_prepare(region=world.r1, period=Period.month(2026, month))
        monthly_report_prepare(region=world.r2, period=Period.month(2026, month))
    assert count() == small
    assert api_of(world.supervisor).get("/api/v1/monthly-reports/").json()["count"] == 19


# --- the annual evaluation ----------------------------------------------------------------------


def test_the_evaluation_page_api_and_files():
    annual = build_annual_world()
    client = client_of(annual.supervisor)
    page = client.get("/supervision/evaluation/2024/").content.decode()
    assert "2024年度代办帮办服务综合评价" in page
    assert "57.4" in page and "不合格" in page and "100.0" in page
    assert client.get("/supervision/evaluation/", {"year": "2024"})["Location"] == (
        "/supervision/evaluation/2024/"
    )

    xlsx = openpyxl.load_workbook(
        io.BytesIO(client.get("/supervision/evaluation/2024/evaluation.xlsx").content)
    )
    scores = xlsx.worksheets[1]
    last = [cell.value for cell in list(scores.iter_rows())[3]]  # header + D2, AG, D1
    assert last[0] == annual.d1.name and last[-2] == pytest.approx(57.4) and last[-1] == "不合格"
    document = docx.Document(
        io.BytesIO(client.get("/supervision/evaluation/2024/evaluation.docx").content)
    )
    assert [cell.text for cell in document.tables[0].rows[-1].cells][-2:] == ["57.4", "不合格"]

    api = api_of(annual.supervisor)
    body = api.get("/api/v1/annual-evaluation/2024/", {"track": "assisted"}).json()
    assert body["by"] == "department"
    assert [(row["name"], row["score"]) for row in body["rows"]] == [
        (annual.d2.name, 100.0), (annual.ag.name, 88.9), (annual.d1.name, 57.4)
    ]  # fmt: skip
    agents = api.get("/api/v1/annual-evaluation/2024/", {"by": "agent"}).json()
    assert [row["score"] for row in agents["rows"]] == [86.1, 75.4]
    errand = api.get("/api/v1/annual-evaluation/2024/", {"track": "errand"}).json()
    assert [(row["name"], row["passed"]) for row in errand["rows"]] == [(annual.e1.name, False)]
    bad = api.get("/api/v1/annual-evaluation/2024/", {"track": "errand", "by": "agent"})
    assert bad.status_code == 400 and "errand_company" in str(bad.json())
    assert api.get("/api/v1/annual-evaluation/2024/", {"track": "x"}).status_code == 400
    missing = api.get("/api/v1/annual-evaluation/2019/")
    assert missing.status_code == 400 and "没有" in str(missing.json())
