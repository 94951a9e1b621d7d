"""Coordination pages and API: they render for each party, refusals re-render with the input
kept (400, 403, 409), scoping (404 for others), the Word form, constant query counts."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from docx import Document
from rest_framework.test import APIClient

from bangban.accounts.models import Role
from bangban.coordination import lifecycle, services
from bangban.coordination.models import ActionItem, Meeting, TaskOrder
from tests.projects.factories import AgentFactory, UserFactory

from .conftest import make_world

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def page(user):
    client = Client()
    client.force_login(user)
    return client


def _text(response) -> str:
    return response.content.decode()


# --- pages -------------------------------------------------------------------------------------


def test_meeting_pages_render_for_their_parties(world):
    meeting = world.held()
    item = meeting.action_items.get()
    owner = world.officer(item.owner_department)
    for user in (world.admin, owner):
        client = page(user)
        assert client.get("/meetings/").status_code == 200
        body = _text(client.get(f"/meetings/{meeting.pk}/"))
        assert "三日内补齐用地预审材料" in body and "会议纪要" in body
        assert client.get("/action-items/").status_code == 200
    assert "标记完成" in _text(page(owner).get(f"/meetings/{meeting.pk}/"))
    assert "我部门的议定事项" in _text(page(owner).get("/action-items/"))
    assert page(world.admin).get("/meetings/new/").status_code == 200
    assert "提议召开会议" in _text(page(world.agent).get("/meetings/new/"))
    assert page(world.officer(item.owner_department)).get("/meetings/new/").status_code == 404


def test_meeting_create_page_and_its_errors_keep_the_input(world):
    client = page(world.admin)
    departments = world.departments()
    form = {
        "kind": "joint_review",
        "title": "新建会商联审会",
        "host_department": str(world.admin.department_id),
        "starts_at": "",
        "place": "一楼会议室",
        "participants": [str(d.pk) for d in departments],
        "commissions": [str(world.commission.pk)],
        "agenda": "议题一",
        "problems": "堵点一\n堵点二",
    }
    response = client.post("/meetings/new/", form)
    assert response.status_code == 400
    body = _text(response)
    assert "请填写会议时间。" in body and "新建会商联审会" in body and "堵点一" in body
    assert not Meeting.objects.filter(title="新建会商联审会").exists()
    form["starts_at"] = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post("/meetings/new/", form)
    assert response.status_code == 302
    meeting = Meeting.objects.get(title="新建会商联审会")
    assert [p.text for p in meeting.problems.all()] == ["堵点一", "堵点二"]
    assert meeting.state == lifecycle.SCHEDULED
    # the edit page
    assert client.get(f"/meetings/{meeting.pk}/edit/").status_code == 200
    form["title"] = "改名的会"
    form["version"] = str(meeting.version)
    assert client.post(f"/meetings/{meeting.pk}/edit/", form).status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).title == "改名的会"
    form["version"] = "1"  # stale
    response = client.post(f"/meetings/{meeting.pk}/edit/", form)
    assert response.status_code == 409 and "已被他人修改" in _text(response)


def test_agent_proposes_and_admin_schedules_through_the_pages(world):
    response = page(world.agent).post(
        "/meetings/new/",
        {"kind": "briefing", "title": "请求召开碰头会", "commissions": [world.commission.pk]},
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(title="请求召开碰头会")
    assert meeting.state == lifecycle.PROPOSED and meeting.proposed_by == world.agent
    url = f"/meetings/{meeting.pk}/action/schedule/"
    response = page(world.admin).post(url, {"version": meeting.version, "place": "二楼"})
    assert response.status_code == 400
    body = _text(response)
    assert "请填写会议时间。" in body and 'value="二楼"' in body
    response = page(world.agent).post(url, {"version": meeting.version})
    assert response.status_code == 403
    when = (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = page(world.admin).post(
        url,
        {
            "version": meeting.version,
            "starts_at": when,
            "place": "二楼",
            "participants": [world.departments()[0].pk],
        },
    )
    assert response.status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).state == lifecycle.SCHEDULED


def test_minutes_form_records_decisions_and_keeps_input_on_error(world):
    meeting = world.meeting()
    owner = meeting.participants.order_by("pk").first()
    url = f"/meetings/{meeting.pk}/action/minutes/"
    client = page(world.admin)
    response = client.post(
        url,
        {
            "version": meeting.version,
            "minutes": "",
            "decision_text_0": "补齐材料",
            "decision_owner_0": owner.pk,
        },
    )
    assert response.status_code == 400
    body = _text(response)
    assert "请填写会议纪要。" in body and 'value="补齐材料"' in body
    response = client.post(
        url,
        {
            "version": meeting.version,
            "minutes": "纪要",
            "problems": "堵点甲",
            "decision_text_0": "补齐材料",
            "decision_owner_0": owner.pk,
            "decision_due_0": "2099-01-01",
        },
    )
    assert response.status_code == 302
    item = ActionItem.objects.get(meeting=meeting)
    assert item.due_date == dt.date(2099, 1, 1)
    response = page(world.officer(owner)).post(
        f"/action-items/{item.pk}/action/done/", {"version": item.version, "note": ""}
    )
    assert response.status_code == 400 and "请填写完成情况。" in _text(response)
    response = page(world.officer(owner)).post(
        f"/action-items/{item.pk}/action/done/",
        {"version": item.version, "note": "已完成", "next": "list"},
    )
    assert response.status_code == 302 and response["Location"] == "/action-items/"


def test_overdue_decisions_are_marked(world):
    meeting = world.meeting(when=timezone.now() - dt.timedelta(days=30))
    owner = meeting.participants.order_by("pk").first()
    services.meeting_record_minutes(
        meeting=meeting,
        actor=world.admin,
        minutes="纪要",
        decisions=[{"text": "早该办完", "owner_department": owner.pk}],
        expected_version=meeting.version,
    )
    listed = _text(page(world.admin).get("/meetings/?overdue=1"))
    assert meeting.title in listed and "超期 1" in listed
    assert "超期" in _text(page(world.officer(owner)).get("/action-items/?overdue=1"))
    rows = api(world.admin).get("/api/v1/action-items/?overdue=1").json()["results"]
    assert [row["overdue"] for row in rows] == [True]


def test_meetings_are_scoped(world):
    meeting = world.held()
    stranger = UserFactory(role=Role.DEPT_OFFICER, department=world.bureau)
    assert page(stranger).get(f"/meetings/{meeting.pk}/").status_code == 404
    assert api(stranger).get(f"/api/v1/meetings/{meeting.pk}/").status_code == 404
    assert api(stranger).get("/api/v1/meetings/").json()["count"] == 0
    participant = world.officer(meeting.participants.order_by("pk").last())
    assert api(participant).get(f"/api/v1/meetings/{meeting.pk}/").status_code == 200
    other_agent = AgentFactory(department=world.bureau)  # not of the host department
    assert api(other_agent).get(f"/api/v1/meetings/{meeting.pk}/").status_code == 404
    assert api(world.agent).get(f"/api/v1/meetings/{meeting.pk}/").status_code == 200
    assert api(world.errand).get("/api/v1/meetings/").json()["count"] == 0


def test_task_order_pages_issue_accept_and_download(world):
    client = page(world.issuer)
    assert world.commission.number in _text(client.get("/task-orders/new/"))
    url = f"/task-orders/new/?commission={world.commission.pk}"
    assert client.get(url).status_code == 200
    cases = world.errand_cases()[:2]
    form = {
        "commission": world.commission.pk,
        "cases": [c.pk for c in cases],
        "company": world.company.pk,
        "due_date": "",
        "requirements": "请尽快办理",
    }
    response = client.post("/task-orders/new/", form)
    assert response.status_code == 400
    body = _text(response)
    assert "请填写完成时限。" in body and "请尽快办理" in body
    form["due_date"] = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    response = client.post("/task-orders/new/", form)
    assert response.status_code == 302
    order = TaskOrder.objects.get(commission=world.commission)
    errand = page(world.errand)
    assert order.number in _text(errand.get("/task-orders/"))
    body = _text(errand.get(f"/task-orders/{order.pk}/"))
    assert "接单" in body and f"/cases/{cases[0].pk}/" not in body  # not theirs yet
    response = errand.post(f"/task-orders/{order.pk}/action/accept/", {"version": 1})
    assert response.status_code == 302
    body = _text(errand.get(f"/task-orders/{order.pk}/"))
    assert f"/cases/{cases[0].pk}/" in body
    assert errand.get(f"/cases/{cases[0].pk}/").status_code == 200
    response = errand.post(f"/task-orders/{order.pk}/action/decline/", {"version": 2})
    assert response.status_code == 400 and "不能执行" in _text(response)
    response = errand.get(f"/task-orders/{order.pk}/document.docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    text = "\n".join(
        [p.text for p in document.paragraphs]
        + [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    )
    assert world.company.name in text
    for case in cases:
        assert case.item.name in text
    assert world.commission.project.enterprise.name in text


def test_task_orders_are_scoped(world):
    order = world.order()
    other = make_world()
    assert page(other.errand).get(f"/task-orders/{order.pk}/").status_code == 404
    assert api(other.errand).get(f"/api/v1/task-orders/{order.pk}/").status_code == 404
    assert api(other.errand).get("/api/v1/task-orders/").json()["count"] == 0
    assert api(world.errand).get("/api/v1/task-orders/").json()["count"] == 1
    officer = world.officer(world.departments()[0])
    assert api(officer).get("/api/v1/task-orders/").json()["count"] == 0
    assert page(officer).get("/task-orders/new/").status_code == 404
    assert api(world.agent).get(f"/api/v1/task-orders/{order.pk}/").status_code == 200


# --- API --------------------------------------------------------------------------------------


def test_meeting_api_flow_and_stale_version(world):
    owner = world.departments()[0]
    response = api(world.admin).post(
        "/api/v1/meetings/",
        {
            "kind": "joint_conference",
            "title": "月度联席会议",
            "host_department": world.admin.department_id,
            "starts_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
            "place": "会议室",
            "participants": [owner.pk],
            "commissions": [world.commission.pk],
            "recurrence": "monthly",
            "problems": ["堵点"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    pk, version = body["id"], body["version"]
    assert set(body["allowed_actions"]) == {"edit", "minutes", "cancel", "next"}
    response = api(world.admin).post(
        f"/api/v1/meetings/{pk}/minutes/",
        {
            "version": version,
            "minutes": "纪要",
            "decisions": [{"text": "办结", "owner_department": owner.pk}],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == "held" and body["message"] == "会议纪要已记录。"
    item = body["action_items"][0]
    stale = api(world.admin).post(
        f"/api/v1/meetings/{pk}/cancel/", {"version": version, "reason": "x"}, format="json"
    )
    assert stale.status_code == 409
    assert stale.json()["detail"] == "该会议已被他人修改，请刷新后重试。"
    bad = api(world.admin).post(
        f"/api/v1/meetings/{pk}/cancel/", {"version": body["version"], "reason": "x"}, format="json"
    )
    assert bad.status_code == 400
    officer = world.officer(owner)
    forbidden = api(world.agent).post(
        f"/api/v1/action-items/{item['id']}/done/", {"version": 1, "note": "x"}, format="json"
    )
    assert forbidden.status_code == 403  # the agent sees the meeting (its project), not its party
    assert forbidden.json()["detail"] == "您不能对该议定事项执行「标记完成」。"
    response = api(officer).post(
        f"/api/v1/action-items/{item['id']}/done/", {"version": 1, "note": "已办"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "done"
    assert (
        api(officer)
        .post(
            f"/api/v1/action-items/{item['id']}/done/", {"version": 1, "note": "x"}, format="json"
        )
        .status_code
        == 409
    )
    response = api(world.admin).post(
        f"/api/v1/meetings/{pk}/next/", {"version": body["version"]}, format="json"
    )
    assert response.status_code == 200
    assert Meeting.objects.filter(previous_id=pk).count() == 1


def test_task_order_api_flow(world):
    cases = world.errand_cases()[:1]
    payload = {
        "commission": world.commission.pk,
        "cases": [cases[0].pk],
        "company": world.company.pk,
        "due_date": (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
    }
    assert api(world.agent).post("/api/v1/task-orders/", payload, format="json").status_code == 403
    response = api(world.issuer).post("/api/v1/task-orders/", payload, format="json")
    assert response.status_code == 201, response.json()
    order = response.json()
    assert order["allowed_actions"] == ["cancel"]
    again = api(world.issuer).post("/api/v1/task-orders/", payload, format="json")
    assert again.status_code == 400 and "已在任务单" in again.json()["cases"][0]
    url = f"/api/v1/task-orders/{order['id']}"
    assert (
        api(world.issuer).post(f"{url}/accept/", {"version": 1}, format="json").status_code == 403
    )
    response = api(world.errand).post(f"{url}/accept/", {"version": 1}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "accepted"
    assert (
        api(world.errand).post(f"{url}/accept/", {"version": 1}, format="json").status_code == 409
    )
    assert api(world.errand).get(f"/api/v1/cases/{cases[0].pk}/").status_code == 200
    document = api(world.errand).get(f"{url}/document/")
    assert document.status_code == 200
    assert world.company.name in "\n".join(
        cell.text
        for table in Document(io.BytesIO(document.content)).tables
        for row in table.rows
        for cell in row.cells
    )


# --- query counts -------------------------------------------------------------------------------


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200, url
    return len(queries)


def test_list_pages_run_a_constant_number_of_queries():
    world = make_world()
    owner = world.departments()[0]
    officer = world.officer(owner)
    admin, errand = page(world.admin), page(world.errand)
    cases = world.errand_cases()

    def add_meetings(n):
        for _ in range(n):
            meeting = world.meeting()
            services.meeting_record_minutes(
                meeting=meeting,
                actor=world.admin,
                minutes="纪要",
                decisions=[{"text": "事项", "owner_department": owner.pk}],
                expected_version=meeting.version,
            )

    def add_orders(n):
        for _ in range(n):
            order = world.order(cases=cases[:1])
            services.task_order_cancel(
                order=order, actor=world.issuer, reason="重发", expected_version=order.version
            )

    urls = [
        (admin, "/meetings/"),
        (admin, "/api/v1/meetings/?page_size=50"),
        (page(officer), "/action-items/"),
        (api(officer), "/api/v1/action-items/?page_size=50"),
        (errand, "/task-orders/"),
        (api(world.errand), "/api/v1/task-orders/?page_size=50"),
    ]

    def counts():
        return [_count(client, url) for client, url in urls]

    add_meetings(5)
    add_orders(5)
    few = counts()
    add_meetings(45)
    add_orders(45)
    assert Meeting.objects.count() == 50 and TaskOrder.objects.count() == 50
    assert counts() == few


def test_api_edit_keeps_what_it_does_not_send(world):
    meeting = world.meeting()
    response = api(world.admin).post(
        f"/api/v1/meetings/{meeting.pk}/edit/",
        {"version": meeting.version, "place": "新会议室"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    fresh = Meeting.objects.get(pk=meeting.pk)
    assert (fresh.place, fresh.title) == ("新会议室", meeting.title)
    assert fresh.participants.count() == meeting.participants.count()
    assert [p.text for p in fresh.problems.all()] == ["用地预审材料不齐"]
    response = api(world.admin).post(
        f"/api/v1/meetings/{meeting.pk}/edit/",
        {"version": fresh.version, "place": ""},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["place"] == ["请填写会议地点。"]


def test_admin_shows_the_history_read_only(world):
    meeting = world.held()
    order = world.order()
    superuser = UserFactory(role=Role.CENTRE_ADMIN, is_staff=True, is_superuser=True)
    client = page(superuser)
    for url in (
        "/admin/coordination/meeting/",
        f"/admin/coordination/meeting/{meeting.pk}/change/",
        "/admin/coordination/actionitem/",
        "/admin/coordination/taskorder/",
        f"/admin/coordination/taskorder/{order.pk}/change/",
    ):
        assert client.get(url).status_code == 200, url
    body = _text(client.get(f"/admin/coordination/taskorder/{order.pk}/change/"))
    assert "下发任务单" in body
    assert client.get("/admin/coordination/meeting/add/").status_code == 403


def test_detail_pages_run_a_constant_number_of_queries(world):
    meeting = world.meeting()
    owner = meeting.participants.order_by("pk").first()
    officer = world.officer(owner)

    def record(n):
        services.meeting_record_minutes(
            meeting=meeting,
            actor=world.admin,
            minutes="纪要",
            decisions=[{"text": f"事项{i}", "owner_department": owner.pk} for i in range(n)],
            expected_version=Meeting.objects.get(pk=meeting.pk).version,
        )

    record(1)
    urls = [(page(world.admin), f"/meetings/{meeting.pk}/"), (page(officer), "/action-items/")]
    few = [_count(client, url) for client, url in urls]
    record(5)
    assert [_count(client, url) for client, url in urls] == few
    order = world.order(cases=world.errand_cases()[:1])
    client, url = page(world.errand), f"/task-orders/{order.pk}/"
    one = _count(client, url)
    order.cases.add(*world.errand_cases()[1:4])
    assert _count(client, url) == one
