"""The complaint and accountability pages and API: status codes, Chinese messages, what each
role sees (another region's supervisor: 404), the Word notice, constant query counts."""

import io

import docx
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from bangban.evaluation.models import AccountabilityRecord, Complaint, ComplaintEvent

from .complaints_world import RECEIVED, make_world, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(db):
    return make_world()


def page(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- pages ----------------------------------------------------------------------------------


def test_the_list_marks_overdue_and_backfilled_and_filters(cw):
    late = cw.register(received_at=RECEIVED)  # due 2026-11-23, long past
    cw.register(category="rudeness", channel="mailbox")
    body = page(cw.supervisor).get("/complaints/").content.decode()
    assert "共 2 件" in body
    assert body.count("warn-red") == 1 and "超期" in body and "补录" in body
    assert f"/complaints/{late.pk}/" in body
    assert "共 1 件" in page(cw.supervisor).get("/complaints/?overdue=1").content.decode()
    assert "共 1 件" in page(cw.supervisor).get("/complaints/?category=rudeness").content.decode()
    assert "共 1 件" in page(cw.supervisor).get("/complaints/?channel=mailbox").content.decode()
    assert "共 0 件" in page(cw.supervisor).get("/complaints/?state=closed").content.decode()
    office = f"/complaints/?department={cw.office.pk}"
    assert "共 2 件" in page(cw.supervisor).get(office).content.decode()
    assert (
        "共 2 件"
        in page(cw.supervisor).get("/complaints/?state=bogus&department=x").content.decode()
    )


def test_who_sees_the_list(cw):
    cw.register()
    assert "共 1 件" in page(cw.leader).get("/complaints/").content.decode()
    assert "共 1 件" in page(cw.admin).get("/complaints/").content.decode()
    # the agent complained about, another region's supervisor, an enterprise: nothing
    for user in (cw.agent, cw.other_supervisor, cw.enterprise, cw.officer):
        assert "共 0 件" in page(user).get("/complaints/").content.decode()


def test_register_page(cw):
    assert page(cw.leader).get("/complaints/new/").status_code == 404
    assert page(cw.enterprise).get("/complaints/new/").status_code == 404
    form = page(cw.agent).get("/complaints/new/").content.decode()
    assert 'value="window"' in form and 'value="hotline_12345"' not in form
    form = page(cw.admin).get("/complaints/new/").content.decode()
    assert 'value="hotline_12345"' in form and "代办员张三" in form
    before = snapshot()
    refused = page(cw.admin).post(
        "/complaints/new/", {"channel": "hotline", "category": "shirking", "content": ""}
    )
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "请填写投诉内容。" in text and "请选择被投诉人员或被投诉部门。" in text
    assert snapshot() == before
    bad_time = page(cw.admin).post(
        "/complaints/new/",
        {"channel": "hotline", "category": "shirking", "content": "x", "received_at": "昨天"},
    )
    assert bad_time.status_code == 400
    assert "收到时间格式应为 YYYY-MM-DD HH:MM。" in bad_time.content.decode()
    response = page(cw.admin).post(
        "/complaints/new/",
        {
            "channel": "hotline",
            "category": "shirking",
            "subject_user": cw.agent.pk,
            "content": "拖延办理",
            "received_at": "2026-11-02T10:00",
        },
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/complaints/{complaint.pk}/"
    assert complaint.backfilled and complaint.channel == "hotline"


def test_the_detail_page_offers_what_the_user_may_do(cw):
    complaint = cw.register()
    url = f"/complaints/{complaint.pk}/"
    body = page(cw.admin).get(url).content.decode()
    assert "交办核查" in body and "督查甲" in body  # a handler to choose
    assert "<summary>交办核查</summary>" not in page(cw.leader).get(url).content.decode()
    assert page(cw.leader).get(url).status_code == 200
    assert page(cw.other_supervisor).get(url).status_code == 404
    assert page(cw.agent).get(url).status_code == 404  # the person complained about


def test_the_steps_on_the_page(cw):
    complaint = cw.register()
    url = f"/complaints/{complaint.pk}/action"
    admin = page(cw.admin)
    assign = admin.post(f"{url}/assign/", {"version": 1, "handler": cw.supervisor.pk})
    assert assign.status_code == 302
    followed = admin.get(f"/complaints/{complaint.pk}/").content.decode()
    assert "已交由督查甲核查。" in followed
    before = snapshot()
    stale = page(cw.supervisor).post(
        f"{url}/conclude/",
        {"version": 1, "finding": "substantiated", "result": "x", "handling": "y"},
    )
    assert stale.status_code == 409
    assert "该投诉已被他人修改，请刷新后重试。" in stale.content.decode()
    forbidden = page(cw.leader).post(f"{url}/record/", {"version": 2, "handling": "x"})
    assert forbidden.status_code == 403
    assert "您不能对该投诉执行「记录核查情况」。" in forbidden.content.decode()
    missing = page(cw.supervisor).post(f"{url}/conclude/", {"version": 2, "finding": "partly"})
    assert missing.status_code == 400
    assert "请填写处理结果及对投诉人的答复。" in missing.content.decode()
    assert snapshot() == before
    assert page(cw.supervisor).post(f"{url}/nonsense/", {"version": 2}).status_code == 404
    supervisor = page(cw.supervisor)
    done = supervisor.post(
        f"{url}/conclude/",
        {"version": 2, "finding": "substantiated", "result": "已答复", "handling": "已查实"},
    )
    assert done.status_code == 302
    body = supervisor.get(f"/complaints/{complaint.pk}/").content.decode()
    assert "投诉已办结（属实），已生成问责记录。" in body
    record = AccountabilityRecord.objects.get()
    assert f"/accountability/{record.pk}/" in body
    assert f"/accountability/new/?complaint={complaint.pk}" in body  # 据此通报批评
    form = supervisor.get(f"/accountability/new/?complaint={complaint.pk}").content.decode()
    assert f'<option value="{complaint.pk}" selected>' in form
    assert (
        "据此通报批评" not in page(cw.leader).get(f"/complaints/{complaint.pk}/").content.decode()
    )


def test_accountability_pages(cw):
    cw.concluded("substantiated")
    notice = cw.notice()
    listing = page(cw.supervisor).get("/accountability/").content.decode()
    assert "共 2 条" in listing and "作出问责" in listing
    assert "代办员张三" in listing and "代办员李四" in listing
    only_li = page(cw.supervisor).get(f"/accountability/?user={cw.colleague.pk}").content.decode()
    assert "共 1 条" in only_li
    year = notice.issued_at.year
    assert "共 2 条" in page(cw.leader).get(f"/accountability/?year={year}").content.decode()
    assert "共 0 条" in page(cw.leader).get(f"/accountability/?year={year - 1}").content.decode()
    by_office = page(cw.leader).get(f"/accountability/?department={cw.office.pk}")
    assert "共 2 条" in by_office.content.decode()
    assert "作出问责" not in page(cw.leader).get("/accountability/").content.decode()
    # the agent sees the records about itself only
    mine = page(cw.colleague).get("/accountability/").content.decode()
    assert "共 1 条" in mine and "代办员张三" not in mine
    assert page(cw.colleague).get(f"/accountability/{notice.pk}/").status_code == 200
    other = AccountabilityRecord.objects.exclude(pk=notice.pk).get()
    assert page(cw.colleague).get(f"/accountability/{other.pk}/").status_code == 404
    assert page(cw.other_supervisor).get(f"/accountability/{notice.pk}/").status_code == 404
    detail = page(cw.supervisor).get(f"/accountability/{notice.pk}/").content.decode()
    assert "下载通报文书（Word）" in detail
    download = page(cw.supervisor).get(f"/accountability/{notice.pk}/notice.docx")
    assert download.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(download.content)).paragraphs)
    assert "东政服督〔2026〕7号" in text and "斥责办事人员" in text
    violation = page(cw.supervisor).get(f"/accountability/{other.pk}/notice.docx")
    assert violation.status_code == 302


def test_the_create_page(cw):
    assert page(cw.admin).get("/accountability/new/").status_code == 404
    assert page(cw.supervisor).get("/accountability/new/").status_code == 200
    before = snapshot()
    refused = page(cw.supervisor).post(
        "/accountability/new/",
        {"kind": "criticism", "source": "supervision", "subject_user": cw.agent.pk, "facts": "x"},
    )
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "通报批评须填写文号。" in text and "请填写处理决定。" in text
    assert snapshot() == before
    done = page(cw.supervisor).post(
        "/accountability/new/",
        {
            "kind": "violation",
            "source": "supervision",
            "subject_user": cw.agent.pk,
            "facts": "未按承诺期限申报",
            "decision": "记违规一次",
            "occurred_on": "2026-11-20",
        },
    )
    record = AccountabilityRecord.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/accountability/{record.pk}/"


# --- API ------------------------------------------------------------------------------------


def test_the_api_walks_a_complaint_through(cw):
    created = api(cw.admin).post(
        "/api/v1/complaints/",
        {
            "channel": "online",
            "category": "extortion",
            "subject_user": cw.agent.pk,
            "content": "代办员暗示需要请客",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["state"] == "received" and body["allowed_actions"] == ["assign"]
    assert body["subject_department"]["id"] == cw.office.pk
    assert body["history"][0]["action_label"] == "登记投诉"
    url = f"/api/v1/complaints/{body['id']}"
    assert api(cw.leader).get(f"{url}/").json()["allowed_actions"] == []
    assert api(cw.other_supervisor).get(f"{url}/").status_code == 404
    assert api(cw.agent).get(f"{url}/").status_code == 404
    forbidden = api(cw.leader).post(
        f"{url}/assign/", {"version": 1, "handler": cw.supervisor.pk}, format="json"
    )
    assert forbidden.status_code == 403
    assert forbidden.json()["detail"] == "您不能对该投诉执行「交办核查」。"
    no_version = api(cw.admin).post(f"{url}/assign/", {"handler": cw.supervisor.pk}, format="json")
    assert no_version.status_code == 400
    assert no_version.json() == {"version": ["请提供版本号 version。"]}
    assigned = api(cw.admin).post(
        f"{url}/assign/", {"version": 1, "handler": cw.supervisor.pk}, format="json"
    )
    assert assigned.status_code == 200
    assert assigned.json()["message"] == "已交由督查甲核查。"
    assert assigned.json()["allowed_actions"] == ["assign", "record", "conclude"]
    stale = api(cw.supervisor).post(
        f"{url}/record/", {"version": 1, "handling": "x"}, format="json"
    )
    assert stale.status_code == 409
    assert stale.json()["detail"] == "该投诉已被他人修改，请刷新后重试。"
    bad = api(cw.supervisor).post(
        f"{url}/conclude/", {"version": 2, "finding": "yes", "result": ""}, format="json"
    )
    assert bad.status_code == 400
    assert bad.json()["finding"] == ["请选择核查结论（属实、部分属实或不属实）。"]
    concluded = api(cw.supervisor).post(
        f"{url}/conclude/",
        {"version": 2, "finding": "substantiated", "result": "已答复", "handling": "查实"},
        format="json",
    )
    assert concluded.status_code == 200
    data = concluded.json()
    assert data["state"] == "closed" and data["finding_label"] == "属实"
    assert [r["kind"] for r in data["accountability_records"]] == ["violation"]
    record_id = data["accountability_records"][0]["id"]
    # the agent sees the record about itself, not the complaint
    mine = api(cw.agent).get("/api/v1/accountability-records/").json()
    assert [r["id"] for r in mine["results"]] == [record_id]
    assert api(cw.agent).get(f"/api/v1/accountability-records/{record_id}/").status_code == 200
    assert api(cw.agent).get("/api/v1/complaints/").json()["count"] == 0


def test_the_api_registers_only_what_the_role_may(cw):
    payload = {"channel": "hotline", "category": "shirking", "subject_user": cw.colleague.pk}
    payload["content"] = "x"
    assert api(cw.leader).post("/api/v1/complaints/", payload, format="json").status_code == 403
    assert api(cw.enterprise).post("/api/v1/complaints/", payload, format="json").status_code == 403
    agent = api(cw.agent).post("/api/v1/complaints/", payload, format="json")
    assert agent.status_code == 400
    assert agent.json()["channel"] == [
        "代办帮办员只能登记窗口当面收到的投诉，其他渠道的投诉请交中心管理员或督查人员登记。"
    ]
    window = api(cw.agent).post(
        "/api/v1/complaints/", {**payload, "channel": "window"}, format="json"
    )
    assert window.status_code == 201 and window.json()["allowed_actions"] == []
    other = api(cw.other_supervisor).post(
        "/api/v1/complaints/", {**payload, "channel": "window"}, format="json"
    )
    assert other.status_code == 400
    assert other.json() == {"subject_user": ["所选被投诉人员不存在、已停用或不在您的管辖区划内。"]}
    assert Complaint.objects.count() == 1
    assert ComplaintEvent.objects.count() == 1


def test_the_api_accountability_records(cw):
    payload = {
        "kind": "criticism",
        "source": "supervision",
        "subject_user": cw.agent.pk,
        "number": "东政服督〔2026〕9号",
        "facts": "推诿拖延",
        "decision": "通报批评",
        "category": "shirking",
    }
    assert (
        api(cw.admin).post("/api/v1/accountability-records/", payload, format="json").status_code
        == 403
    )
    created = api(cw.supervisor).post("/api/v1/accountability-records/", payload, format="json")
    assert created.status_code == 201, created.json()
    record = created.json()
    assert record["number"] == "东政服督〔2026〕9号" and record["kind_label"] == "通报批评"
    again = api(cw.supervisor).post("/api/v1/accountability-records/", payload, format="json")
    assert again.status_code == 400
    assert again.json() == {"number": ["文号「东政服督〔2026〕9号」已被其他通报批评使用。"]}
    url = f"/api/v1/accountability-records/{record['id']}"
    document = api(cw.leader).get(f"{url}/document/")
    assert document.status_code == 200
    assert document["Content-Type"].startswith("application/vnd.openxmlformats")
    assert api(cw.other_supervisor).get(f"{url}/").status_code == 404
    assert api(cw.other_supervisor).get(f"{url}/document/").status_code == 404
    listing = api(cw.leader).get(
        f"/api/v1/accountability-records/?user={cw.agent.pk}&department={cw.office.pk}"
    )
    assert listing.json()["count"] == 1
    assert api(cw.leader).get("/api/v1/accountability-records/?user=99999").json()["count"] == 0
    violation = cw.notice(kind="violation", number="")
    refused = api(cw.leader).get(f"/api/v1/accountability-records/{violation.pk}/document/")
    assert refused.status_code == 400
    assert refused.json() == {"detail": ["只有通报批评可以生成通报文书。"]}


def test_the_admin_shows_them_to_the_platform_operator_read_only(cw):
    complaint = cw.concluded("substantiated")
    record = AccountabilityRecord.objects.get()
    operator = type(cw.admin).objects.create_superuser("ops", password="x", region=None)
    client = page(operator)
    for url in (
        "/admin/evaluation/complaint/",
        f"/admin/evaluation/complaint/{complaint.pk}/change/",
        "/admin/evaluation/accountabilityrecord/",
        f"/admin/evaluation/accountabilityrecord/{record.pk}/change/",
        "/admin/evaluation/complaintpolicy/",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/evaluation/complaint/add/").status_code == 403
    # a centre admin's group is not granted them
    assert page(cw.admin).get("/admin/evaluation/complaint/").status_code in (302, 403)


# --- query counts ---------------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200, url
    return len(queries)


def test_lists_run_a_constant_number_of_queries(cw):
    supervisor_page, supervisor_api = page(cw.supervisor), api(cw.supervisor)
    urls = [
        (supervisor_page, "/complaints/"),
        (supervisor_api, "/api/v1/complaints/?page_size=50"),
        (supervisor_page, "/accountability/"),
        (supervisor_api, "/api/v1/accountability-records/?page_size=50"),
    ]

    def add(n):
        for index in range(n):
            cw.concluded("substantiated", commission=None)
            cw.notice(number=f"N{AccountabilityRecord.objects.count()}-{index}")

    add(2)
    small = [_count(client, url) for client, url in urls]
    add(8)
    large = [_count(client, url) for client, url in urls]
    assert small == large, (small, large)
