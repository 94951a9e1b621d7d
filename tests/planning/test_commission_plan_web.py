"""The plan of a commission through the API and the pages: scoping, actions, downloads."""

import datetime as dt
import io

import openpyxl
import pytest
from docx import Document
from rest_framework.test import APIClient

from bangban.cases.models import Case
from bangban.planning import services
from bangban.planning.models import Plan
from tests.projects.factories import (
    AgentFactory,
    CommissionFactory,
    DongshengProjectFactory,
    EnterpriseUserFactory,
    UserFactory,
)

from .test_commission_plan import AGREED_AT
from .test_plan_compute import FACTORY, FACTORY_ITEMS, RENOVATION

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def setup():
    user = EnterpriseUserFactory()
    agent = AgentFactory()
    project = DongshengProjectFactory(
        enterprise=user.enterprise, name="年产5万吨锅炉配件厂", **FACTORY
    )
    commission = CommissionFactory(
        project=project, state="agreed", agent=agent, agreed_at=AGREED_AT
    )
    services.plan_create(commission=commission)
    return commission, agent, user


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_plan_endpoint_answers_the_plan_with_explanations(setup):
    commission, agent, user = setup
    body = api(user).get(f"/api/v1/commissions/{commission.pk}/plan/").json()
    assert body["state"] == "draft" and body["commission_version"] == commission.version
    assert {item["code"] for item in body["items"]} == FACTORY_ITEMS
    assert body["total_working_days"] == 191 and body["start_date"] == "2026-09-21"
    ds20 = next(item for item in body["items"] if item["code"] == "DS20")
    assert ds20["explanation"]["needed_because"] == [
        "使用林地大于 0 公顷（本项目：2 公顷）",
        "不是临时占用林地",
    ]
    assert ds20["case"] is None
    assert body["allowed_actions"] == []  # the enterprise reads only
    assert api(agent).get(f"/api/v1/commissions/{commission.pk}/plan/").json()[
        "allowed_actions"
    ] == ["adjust", "fix"]
    # The commission's detail carries the same plan.
    detail = api(user).get(f"/api/v1/commissions/{commission.pk}/").json()
    assert detail["plan"]["total_working_days"] == 191


def test_another_party_gets_404_and_a_reader_403(setup):
    commission, agent, _ = setup
    url = f"/api/v1/commissions/{commission.pk}/plan/"
    for stranger in (EnterpriseUserFactory(), UserFactory(role="sponsor", department=None)):
        assert api(stranger).get(url).status_code == 404
        assert api(stranger).get(url + "notice.docx").status_code == 404
        assert api(stranger).post(url + "fix/", {"version": 1}, format="json").status_code == 404
    other_agent = AgentFactory()
    answer = api(other_agent).post(
        url + "adjust/",
        {"version": commission.version, "kind": "remove", "code": "DS20", "reason": "x"},
        format="json",
    )
    assert answer.status_code in (403, 404)
    client = APIClient()
    assert client.get(url).status_code in (401, 403)


def test_adjust_fix_and_start_through_the_api(setup):
    commission, agent, _ = setup
    client = api(agent)
    url = f"/api/v1/commissions/{commission.pk}/plan/"
    bad = client.post(
        url + "adjust/", {"version": commission.version, "kind": "add"}, format="json"
    )
    assert bad.status_code == 400
    assert bad.json()["code"] == ["请提供事项编码 code。"]
    assert "reason" in bad.json()
    stale = client.post(
        url + "adjust/",
        {"version": commission.version + 5, "kind": "remove", "code": "DS20", "reason": "园区已办"},
        format="json",
    )
    assert stale.status_code == 409
    done = client.post(
        url + "adjust/",
        {"version": commission.version, "kind": "remove", "code": "ds20", "reason": "园区已办"},
        format="json",
    )
    assert done.status_code == 200, done.content
    body = done.json()
    assert "DS20" not in {item["code"] for item in body["items"]}
    assert body["adjustments"][0]["reason"] == "园区已办"
    fixed = client.post(url + "fix/", {"version": body["commission_version"]}, format="json")
    assert fixed.status_code == 200
    body = fixed.json()
    assert body["state"] == "fixed"
    assert body["allowed_actions"] == ["replan", "not_needed", "add_case"]
    ma01 = next(item for item in body["items"] if item["code"] == "MA01")
    assert ma01["case"]["state"] == "planned" and ma01["case"]["baseline_due"] == "2026-09-23"
    # A case's own steps are the ledger's (tests/cases); the commission's detail shows them.
    started = client.post(
        f"/api/v1/cases/{ma01['case']['id']}/start/",
        {"version": ma01["case"]["version"]},
        format="json",
    )
    assert started.status_code == 200, started.content
    assert Case.objects.get(commission=commission, code="MA01").state == "preparing"
    detail = client.get(f"/api/v1/commissions/{commission.pk}/").json()
    assert detail["state"] == "in_progress"
    assert {"code": "MA01", "state": "preparing"}.items() <= next(
        case for case in detail["cases"] if case["code"] == "MA01"
    ).items()


def test_the_downloads_carry_the_project_and_its_items(setup):
    commission, agent, user = setup
    client = api(user)
    docx = client.get(f"/api/v1/commissions/{commission.pk}/plan/notice.docx")
    assert docx.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    tables = " ".join(
        cell.text
        for table in Document(io.BytesIO(docx.content)).tables
        for row in table.rows
        for cell in row.cells
    )
    assert "年产5万吨锅炉配件厂" in text
    assert "使用林地审核同意书" in tables or "林地" in tables
    xlsx = client.get(f"/api/v1/commissions/{commission.pk}/plan/schedule.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content))["申报计划"]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert len(rows) == len(FACTORY_ITEMS)
    ds20 = rows["征收林地的初审"]
    # Planned start, acceptance and due of the hand-worked factory (test_plan_compute).
    assert [value.date() for value in ds20[5:8]] == [
        D(2026, 10, 30),
        D(2026, 11, 20),
        D(2026, 12, 8),
    ]


def test_the_page_shows_the_plan_and_the_agent_fixes_it(setup, client):
    commission, agent, user = setup
    client.force_login(user)
    page = client.get(f"/commissions/{commission.pk}/plan/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "代办帮办方案：年产5万吨锅炉配件厂" in html and 'id="plan-gantt"' in html
    assert "确定方案" not in html  # the enterprise reads
    client.force_login(agent)
    html = client.get(f"/commissions/{commission.pk}/plan/").content.decode()
    assert 'id="plan-fix"' in html and 'id="plan-add"' in html
    # A removal without a reason is refused with the message; nothing changes.
    answer = client.post(
        f"/commissions/{commission.pk}/plan/adjust/",
        {"version": commission.version, "kind": "remove", "code": "DS20", "reason": ""},
        follow=True,
    )
    assert "请填写调整理由。" in answer.content.decode()
    assert not Plan.objects.get(commission=commission).adjustments.exists()
    answer = client.post(
        f"/commissions/{commission.pk}/plan/fix/", {"version": commission.version}, follow=True
    )
    assert "方案已确定，已按事项生成办件台账。" in answer.content.decode()
    assert Case.objects.filter(commission=commission).count() == len(FACTORY_ITEMS)
    case = Case.objects.get(commission=commission, code="MA01")
    assert (
        f'href="/cases/{case.pk}/"'
        in client.get(f"/commissions/{commission.pk}/plan/").content.decode()
    )
    notice = client.get(f"/commissions/{commission.pk}/plan/notice/")
    assert "一次性告知单：年产5万吨锅炉配件厂" in notice.content.decode()
    stranger = EnterpriseUserFactory()
    client.force_login(stranger)
    assert client.get(f"/commissions/{commission.pk}/plan/").status_code == 404
    assert client.get(f"/commissions/{commission.pk}/plan/notice.docx").status_code == 404


def _fixed_commission(attributes, agent):
    commission = CommissionFactory(
        project=DongshengProjectFactory(**attributes),
        state="agreed",
        agent=agent,
        agreed_at=AGREED_AT,
    )
    services.plan_create(commission=commission)
    services.plan_fix(commission=commission, actor=agent)
    return commission


def test_the_plan_page_and_endpoint_run_a_constant_number_of_queries(client):
    """A small plan (the renovation) and a large one (the factory) cost the same queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    agent = AgentFactory()
    small = _fixed_commission(RENOVATION, agent)
    large = _fixed_commission(FACTORY, agent)
    sizes = [Case.objects.filter(commission=c).count() for c in (small, large)]
    assert sizes[0] < 15 and sizes[1] > 25
    client.force_login(agent)
    counts = []
    for commission in (small, large):
        for url in (
            f"/api/v1/commissions/{commission.pk}/plan/",
            f"/api/v1/commissions/{commission.pk}/",
            f"/commissions/{commission.pk}/plan/",
        ):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
    assert counts[:3] == counts[3:]
