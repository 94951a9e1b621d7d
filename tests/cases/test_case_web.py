"""The ledger through the API and the pages: one call per screen, the action table behind
buttons and endpoints, refusals with their status (400/403/409) and nothing lost, the
department inbox, the export, and a constant number of queries at 5 and at 50 cases."""

import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from rest_framework.test import APIClient

from bangban.accounts.models import Role
from bangban.cases import lifecycle
from bangban.cases.actions import case_allowed_actions
from bangban.cases.models import Case
from tests.projects.factories import AgentFactory, EnterpriseUserFactory, UserFactory

from .conftest import make_ledger, non_core

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def page(user):
    client = Client()
    client.force_login(user)
    return client


def test_one_call_returns_the_case_with_item_materials_clock_and_history(ledger):
    case = ledger.walk(ledger.case("DS14"), lifecycle.START, lifecycle.SUBMIT, on="2026-09-22")
    officer = ledger.officer(case)
    body = api(officer).get(f"/api/v1/cases/{case.pk}/").json()
    assert body["item"]["code"] == "DS14" and body["state"] == "submitted"
    assert {m["name"] for m in body["materials"]} == set(
        case.materials.values_list("name", flat=True)
    )
    assert [h["action"] for h in body["history"]] == ["start", "submit"]
    assert body["history"][0]["backfilled"] is True
    assert body["clock"] is None
    assert body["allowed_actions"] == case_allowed_actions(officer, case)
    assert body["allowed_actions"] == ["prereview", "accept", "accept_gaps", "return"]
    gap = non_core(case)
    answer = api(officer).post(
        f"/api/v1/cases/{case.pk}/accept_gaps/",
        {"version": body["version"], "missing": [gap.pk], "occurred_at": "2026-09-23"},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    done = answer.json()
    assert done["state"] == "accepted_gaps" and done["supplement_due"] == "2026-10-08"
    assert done["clock"]["accepted_on"] == "2026-09-23"
    assert (
        done["clock"]["days_suspended"] == 0
        and done["clock"]["limit_days"] == case.item.promised_limit_days
    )
    assert done["message"] == "已容缺受理，开始计时。"


def test_the_api_answers_400_403_409_and_404_with_chinese_and_changes_nothing(ledger):
    case = ledger.walk(ledger.case("DS14"), lifecycle.START, lifecycle.SUBMIT)
    officer = ledger.officer(case)
    url = f"/api/v1/cases/{case.pk}/"
    version = case.version
    no_version = api(officer).post(url + "accept/", {}, format="json")
    assert no_version.status_code == 400 and "版本号" in no_version.json()["version"][0]
    no_reason = api(officer).post(url + "return/", {"version": version}, format="json")
    assert no_reason.status_code == 400 and "退回" in no_reason.json()["reason"][0]
    bad_date = api(officer).post(
        url + "accept/", {"version": version, "occurred_at": "23/09/2026"}, format="json"
    )
    assert bad_date.status_code == 400 and "YYYY-MM-DD" in bad_date.json()["occurred_at"][0]
    forbidden = api(ledger.agent).post(url + "accept/", {"version": version}, format="json")
    assert forbidden.status_code == 403 and "受理" in forbidden.json()["detail"]
    illegal = api(officer).post(url + "resume/", {"version": version}, format="json")
    assert illegal.status_code == 400 and "不能执行「恢复计时」" in str(illegal.json())
    stale = api(officer).post(url + "accept/", {"version": version - 1}, format="json")
    assert stale.status_code == 409 and "已被他人修改" in stale.json()["detail"]
    stranger = api(EnterpriseUserFactory())
    assert stranger.get(url).status_code == 404
    assert stranger.post(url + "accept/", {"version": version}, format="json").status_code == 404
    assert Case.objects.get(pk=case.pk).version == version
    assert Case.objects.get(pk=case.pk).state == "submitted"


def test_the_officer_works_from_the_inbox_and_the_case_page(ledger):
    case = ledger.walk(ledger.case("DS14"), lifecycle.START, lifecycle.SUBMIT)
    officer = ledger.officer(case)
    client = page(officer)
    inbox = client.get("/cases/inbox/").content.decode()
    assert '待受理 <span class="count">1</span>' in inbox and f"/cases/{case.pk}/" in inbox
    html = client.get(f"/cases/{case.pk}/").content.decode()
    for slug in ("accept", "accept_gaps", "return"):
        assert f'action="/cases/{case.pk}/action/{slug}/"' in html
    assert "/action/start/" not in html
    # A refusal re-shows the page with the message and what was typed (400), nothing saved.
    answer = client.post(
        f"/cases/{case.pk}/action/return/", {"version": case.version, "reason": ""}
    )
    assert answer.status_code == 400 and "请填写「退回」的原因" in answer.content.decode()
    core = case.materials.filter(is_core=True).first()
    answer = client.post(
        f"/cases/{case.pk}/action/accept_gaps/",
        {"version": case.version, "missing": [core.pk], "reason": "先行受理"},
    )
    text = answer.content.decode()
    assert answer.status_code == 400 and "不能容缺受理" in text and "先行受理" in text
    stale = client.post(f"/cases/{case.pk}/action/accept/", {"version": case.version - 1})
    assert stale.status_code == 409 and "已被他人修改" in stale.content.decode()
    assert Case.objects.get(pk=case.pk).state == "submitted"
    done = client.post(f"/cases/{case.pk}/action/accept/", {"version": case.version}, follow=True)
    assert "已受理，开始计时。" in done.content.decode()
    assert Case.objects.get(pk=case.pk).state == "accepted"
    # A helper of the department sees the inbox; an agent has none.
    assert page(ledger.helper(case)).get("/cases/inbox/").status_code == 200
    assert page(ledger.agent).get("/cases/inbox/").status_code == 404


def test_the_enterprise_reads_progress_on_its_commission_page(ledger):
    case = ledger.walk(ledger.case("DS14"), lifecycle.START, lifecycle.SUBMIT)
    ledger.step(case, lifecycle.ACCEPT_GAPS)
    client = page(ledger.enterprise_user)
    html = client.get(f"/commissions/{ledger.commission.pk}/").content.decode()
    assert "办理进展" in html and "请在" in html and non_core(case).name in html
    detail = api(ledger.enterprise_user).get(f"/api/v1/commissions/{ledger.commission.pk}/")
    row = next(c for c in detail.json()["cases"] if c["code"] == "DS14")
    assert row["missing"] == [non_core(case).name] and "受理" in row["progress"]
    # The enterprise reads the case page but has no step to take.
    case_page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "/action/" not in case_page


def test_the_ledger_filters_and_exports_text_as_text(ledger):
    commission = ledger.commission
    project = commission.project
    project.name = '=HYPERLINK("http://evil.example","点此查看")'
    project.save()
    case = ledger.walk(ledger.case("DS14"), lifecycle.START, lifecycle.SUBMIT, lifecycle.ACCEPT)
    client = page(ledger.agent)
    html = client.get("/cases/?state=accepted").content.decode()
    assert f"/cases/{case.pk}/" in html and f"/cases/{ledger.case('MA01').pk}/" not in html
    export = client.get("/cases/export.xlsx?state=open")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content))["办件台账"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == Case.objects.filter(commission=commission).count()
    names = {cell.value for cell in sheet["C"][1:]}
    assert names == {project.name}
    assert all(cell.data_type == "s" for cell in sheet["C"][1:])
    listed = api(ledger.agent).get("/api/v1/cases/?state=accepted").json()
    assert [row["code"] for row in listed["results"]] == ["DS14"]


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_ledger_inbox_and_case_page_run_a_constant_number_of_queries():
    small = make_ledger()
    agent = small.agent
    case = small.case("DS14")
    officer = UserFactory(role=Role.DEPT_OFFICER, department=case.department)
    client, officer_client = page(agent), page(officer)
    urls = ["/cases/", "/api/v1/cases/?page_size=50", "/cases/inbox/?tab=preparing"]

    def counts():
        return [_count(client, urls[0]), _count(client, urls[1]), _count(officer_client, urls[2])]

    few = counts()
    assert 5 <= Case.objects.filter(commission__agent=agent).count() < 50
    for ledger in [make_ledger() for _ in range(3)]:
        ledger.commission.agent = agent
        ledger.commission.save()
    assert Case.objects.filter(commission__agent=agent).count() >= 50
    assert counts() == few
    detail_plain = _count(client, f"/cases/{case.pk}/")
    busy = small.walk(
        case,
        lifecycle.START,
        lifecycle.SUBMIT,
        lifecycle.ACCEPT,
        lifecycle.SUSPEND,
        lifecycle.RESUME,
    )
    assert _count(client, f"/cases/{busy.pk}/") == detail_plain
    assert _count(client, f"/api/v1/cases/{busy.pk}/") <= detail_plain


def test_a_colleague_agent_cannot_take_steps(ledger):
    case = ledger.case("DS14")
    colleague = AgentFactory()
    assert case_allowed_actions(colleague, case) == []


def test_the_admin_shows_the_history_in_words_and_changes_nothing(ledger, admin_client):
    case = ledger.walk(ledger.case("DS14"), lifecycle.START, lifecycle.SUBMIT)
    html = admin_client.get(f"/admin/cases/case/{case.pk}/change/").content.decode()
    assert "开始准备材料" in html and "材料准备 → 已申报" in html
    assert 'name="state"' not in html  # every field is read-only
    admin_client.post(f"/admin/cases/case/{case.pk}/change/", {"state": "completed"})
    assert Case.objects.get(pk=case.pk).state == "submitted"
    assert admin_client.get("/admin/cases/case/add/").status_code == 403


def test_messages_link_only_to_pages_the_recipient_can_open(ledger, on_commit):
    from bangban.notifications.models import Notification
    from bangban.notifications.services import notify

    case = ledger.walk(ledger.case("DS14"), lifecycle.START)
    with on_commit():
        ledger.step(case, lifecycle.SUBMIT)
    officer = ledger.officer(case)  # created after the message: its department received it
    html = page(officer).get("/accounts/workbench/messages/").content.decode()
    assert f'href="/cases/{case.pk}/"' in html
    stranger = AgentFactory(department=case.department, region=case.department.region)
    notify(event_key="x1", subject="另一委托", users=[stranger], commission=ledger.commission)
    assert Notification.objects.filter(recipient_user=stranger).exists()
    html = page(stranger).get("/accounts/workbench/messages/").content.decode()
    assert "另一委托" in html and f"/commissions/{ledger.commission.pk}/" not in html
