"""The end of a commission (SPEC §7): completion only once every in-scope case is closed and
every approved result handed over (the ledger says so through a hook of projects), the
completion slip (办结单) filled from the cases, the enterprise's confirmation, the originals
returned and the archive; termination closes the open cases as withdrawn and the
termination slip (终止单) lists what was done and what was not."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document
from rest_framework.test import APIClient

from bangban.cases import lifecycle
from bangban.cases.models import Case
from bangban.projects import lifecycle as commission_lifecycle
from bangban.projects import services
from bangban.projects.actions import commission_blocked_actions, commission_may
from bangban.projects.exceptions import ActionForbidden
from bangban.projects.exports import commission_document
from bangban.projects.models import ReturnedOriginal
from tests.projects.factories import AdminFactory, AgentFactory, EnterpriseUserFactory

from .conftest import Ledger

pytestmark = pytest.mark.django_db

DONE = "DS14"  # approved and handed over
REFUSED = "DS22"  # refused (a decision number, nothing to hand over)
DROPPED = "DS43"  # withdrawn by the agent


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def page(user):
    client = Client()
    client.force_login(user)
    return client


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def start_work(ledger: Ledger) -> Case:
    """The first case starts: the commission is in progress."""
    case = ledger.walk(ledger.case(DONE), lifecycle.START)
    ledger.commission.refresh_from_db()
    assert ledger.commission.state == commission_lifecycle.IN_PROGRESS
    return case


def close_all(ledger: Ledger, *, hand_over: bool = True) -> None:
    """DONE approved (and handed over), REFUSED refused, DROPPED withdrawn, the rest not
    needed."""
    case = ledger.case(DONE)
    if case.state == lifecycle.PLANNED:
        case = ledger.walk(case, lifecycle.START)
    case = ledger.walk(case, lifecycle.SUBMIT, lifecycle.ACCEPT)
    case = ledger.step(case, lifecycle.APPROVE, data={"result_number": "东发改备〔2026〕18号"})
    if hand_over:
        ledger.walk(case, lifecycle.HAND_OVER)
    case = ledger.walk(ledger.case(REFUSED), lifecycle.START, lifecycle.SUBMIT, lifecycle.ACCEPT)
    ledger.step(case, lifecycle.REFUSE, data={"result_number": "东环审〔2026〕3号"})
    ledger.walk(ledger.case(DROPPED), lifecycle.START, lifecycle.WITHDRAW)
    for case in Case.objects.filter(commission=ledger.commission, state=lifecycle.PLANNED):
        ledger.walk(case, lifecycle.NOT_NEEDED_ACTION)
    ledger.commission.refresh_from_db()


def complete(ledger: Ledger):
    commission = ledger.commission
    services.commission_complete(
        commission=commission, actor=ledger.agent, expected_version=commission.version
    )
    return commission


def original(**changes) -> dict:
    return {
        "name": "营业执照副本",
        "copies": 1,
        "returned_on": timezone.localdate(),
        "received_by": "王经理",
    } | changes


# --- completion readiness -------------------------------------------------------------------


def test_completion_is_blocked_until_every_case_is_closed_and_the_message_names_them(ledger):
    start_work(ledger)
    commission = ledger.commission
    assert not commission_may(ledger.agent, commission, "complete")
    reason = commission_blocked_actions(ledger.agent, commission)["complete"]
    open_count = Case.objects.filter(commission=commission, in_scope=True).count()
    assert reason.startswith(f"尚有 {open_count} 个事项未办结：")
    assert f"{ledger.case(DONE).item.name}（材料准备）" in reason
    version = commission.version
    with pytest.raises(ValidationError) as info:
        services.commission_complete(
            commission=commission, actor=ledger.agent, expected_version=version
        )
    assert "未办结" in info.value.messages[0]
    commission.refresh_from_db()
    assert commission.state == commission_lifecycle.IN_PROGRESS and commission.version == version
    # the enterprise and a colleague are not offered the button at all
    assert "complete" not in commission_blocked_actions(ledger.enterprise_user, commission)


def test_an_approved_result_not_handed_over_blocks_completion(ledger):
    start_work(ledger)
    close_all(ledger, hand_over=False)
    reason = commission_blocked_actions(ledger.agent, ledger.commission)["complete"]
    assert "1 个事项的审批结果未移交" in reason and ledger.case(DONE).item.name in reason
    assert "未办结" not in reason
    ledger.walk(ledger.case(DONE), lifecycle.HAND_OVER)
    assert commission_may(ledger.agent, ledger.commission, "complete")
    assert commission_blocked_actions(ledger.agent, ledger.commission) == {}


def test_the_page_shows_the_disabled_button_with_the_reason(ledger):
    start_work(ledger)
    body = page(ledger.agent).get(
        reverse("projects:commission_detail", args=[ledger.commission.pk])
    )
    html = body.content.decode()
    assert "blocked-reason" in html and "个事项未办结：" in html
    url = reverse("projects:commission_action", args=[ledger.commission.pk, "complete"])
    assert url not in html
    answer = api(ledger.agent).get(f"/api/v1/commissions/{ledger.commission.pk}/").json()
    assert answer["blocked_actions"][0]["action"] == "complete"
    assert "未办结" in answer["blocked_actions"][0]["reason"]


# --- complete, the slip, the enterprise's confirmation --------------------------------------


def test_complete_then_the_slip_names_each_item_with_its_result_number(ledger):
    start_work(ledger)
    close_all(ledger)
    commission = complete(ledger)
    assert commission.state == commission_lifecycle.COMPLETED
    assert commission.completed_at is not None
    assert commission.transitions.last().action == "complete"
    client = page(ledger.enterprise_user)
    answer = client.get(reverse("projects:commission_document", args=[commission.pk, "completion"]))
    assert answer.status_code == 200
    assert (
        "服务办结单" in answer["Content-Disposition"] or "filename" in answer["Content-Disposition"]
    )
    text = docx_text(answer.content)
    assert ledger.case(DONE).item.name in text and "东发改备〔2026〕18号" in text
    assert ledger.case(REFUSED).item.name in text and "东环审〔2026〕3号" in text
    assert ledger.case(DROPPED).item.name not in text  # withdrawn: not a completed item
    assert "王经理" in text  # the receipt of the handed-over result
    assert "☐上述事项已办结" in text  # not confirmed yet
    assert "{" not in text and "None" not in text


def test_the_enterprise_confirms_and_the_slip_shows_it_others_are_refused(ledger):
    start_work(ledger)
    close_all(ledger)
    commission = complete(ledger)
    url = f"/api/v1/commissions/{commission.pk}/confirm-completion/"
    version = commission.version
    # the agent, another enterprise and a stale version are refused; nothing is written
    assert api(ledger.agent).post(url, {"version": version}, format="json").status_code == 403
    stranger = EnterpriseUserFactory()
    assert api(stranger).post(url, {"version": version}, format="json").status_code == 404
    stale = api(ledger.enterprise_user).post(url, {"version": version - 1}, format="json")
    assert stale.status_code == 409
    assert api(ledger.enterprise_user).post(url, {}, format="json").status_code == 400
    commission.refresh_from_db()
    assert commission.completion_confirmed_at is None and commission.version == version
    # the enterprise confirms, with a comment
    done = api(ledger.enterprise_user).post(
        url, {"version": version, "comment": "服务周到"}, format="json"
    )
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["completion_confirmation"]["comment"] == "服务周到"
    assert "confirm-completion" not in body["allowed_actions"]
    commission.refresh_from_db()
    assert commission.completion_confirmed_by == ledger.enterprise_user
    _, content = commission_document(commission, "completion")
    text = docx_text(content)
    assert "☑上述事项已办结" in text and "服务周到" in text and "在线确认" in text
    again = api(ledger.enterprise_user).post(url, {"version": commission.version}, format="json")
    assert again.status_code == 400  # the action is no longer offered: the table says so


def test_the_enterprise_confirms_through_the_page(ledger):
    start_work(ledger)
    close_all(ledger)
    commission = complete(ledger)
    client = page(ledger.enterprise_user)
    detail = reverse("projects:commission_detail", args=[commission.pk])
    html = client.get(detail).content.decode()
    assert "确认办结" in html and "服务办结单（Word）" in html
    url = reverse("projects:commission_action", args=[commission.pk, "confirm-completion"])
    answer = client.post(url, {"version": commission.version, "cc-comment": ""}, follow=True)
    assert "已确认办结" in answer.content.decode()
    commission.refresh_from_db()
    assert commission.completion_confirmed_at is not None
    assert "已确认（" in client.get(detail).content.decode()


def test_the_completion_slip_is_refused_before_completion(ledger):
    start_work(ledger)
    answer = api(ledger.agent).get(
        f"/api/v1/commissions/{ledger.commission.pk}/documents/completion/"
    )
    assert answer.status_code == 400 and "办结后" in answer.json()["detail"][0]


# --- originals and archive ------------------------------------------------------------------


def test_archive_needs_the_confirmation_and_records_the_originals(ledger):
    start_work(ledger)
    close_all(ledger)
    commission = complete(ledger)
    admin = AdminFactory()
    assert commission_blocked_actions(ledger.agent, commission) == {
        "archive": "项目单位尚未确认办结，暂不能归档。"
    }
    with pytest.raises(ValidationError):
        services.commission_archive(commission=commission, actor=admin)
    # an original returned before archiving, through the API
    url = f"/api/v1/commissions/{commission.pk}/"
    recorded = api(ledger.agent).post(
        url + "record-original/",
        {
            "version": commission.version,
            "name": "土地出让合同",
            "copies": 2,
            "returned_on": timezone.localdate().isoformat(),
            "received_by": "王经理",
        },
        format="json",
    )
    assert recorded.status_code == 200, recorded.content
    assert recorded.json()["returned_originals"][0]["copies"] == 2
    future = api(ledger.agent).post(
        url + "record-original/",
        {
            "version": recorded.json()["version"],
            "name": "营业执照",
            "returned_on": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
            "received_by": "王经理",
        },
        format="json",
    )
    assert future.status_code == 400 and "晚于今天" in future.json()["returned_on"][0]
    commission.refresh_from_db()
    services.commission_confirm_completion(
        commission=commission, user=ledger.enterprise_user, expected_version=commission.version
    )
    # the enterprise may not archive; the agent archives with one more original
    forbidden = api(ledger.enterprise_user).post(
        url + "archive/", {"version": commission.version}, format="json"
    )
    assert forbidden.status_code == 403
    archived = api(ledger.agent).post(
        url + "archive/",
        {
            "version": commission.version,
            "originals": [
                {
                    "name": "营业执照副本",
                    "returned_on": timezone.localdate().isoformat(),
                    "received_by": "李四",
                }
            ],
        },
        format="json",
    )
    assert archived.status_code == 200, archived.content
    body = archived.json()
    assert body["state"] == "archived" and body["archived_at"]
    assert [o["name"] for o in body["returned_originals"]] == ["土地出让合同", "营业执照副本"]
    assert body["allowed_actions"] == []
    commission.refresh_from_db()
    _, content = commission_document(commission, "completion")
    text = docx_text(content)
    assert "土地出让合同 2份" in text and "营业执照副本 1份" in text and "李四签收" in text
    actions = list(commission.transitions.values_list("action", flat=True))
    assert actions[-3:] == ["confirm_completion", "record_originals", "archive"]


def test_archive_through_the_page_records_the_original_given(ledger):
    start_work(ledger)
    close_all(ledger)
    commission = complete(ledger)
    services.commission_confirm_completion(
        commission=commission, user=ledger.enterprise_user, expected_version=commission.version
    )
    client = page(ledger.agent)
    url = reverse("projects:commission_action", args=[commission.pk, "archive"])
    half = client.post(url, {"version": commission.version, "ar-name": "营业执照"}, follow=True)
    assert "须同时填写" in half.content.decode()
    answer = client.post(
        url,
        {
            "version": commission.version,
            "ar-name": "营业执照",
            "ar-copies": "1",
            "ar-returned_on": timezone.localdate().isoformat(),
            "ar-received_by": "王经理",
        },
        follow=True,
    )
    assert "委托已归档" in answer.content.decode()
    commission.refresh_from_db()
    assert commission.state == "archived"
    assert ReturnedOriginal.objects.get(commission=commission).received_by == "王经理"
    assert "返还原件" in answer.content.decode()


def test_a_colleague_cannot_complete_and_the_api_says_403(ledger):
    start_work(ledger)
    close_all(ledger)
    colleague = AgentFactory()
    url = f"/api/v1/commissions/{ledger.commission.pk}/complete/"
    answer = api(colleague).post(url, {"version": ledger.commission.version}, format="json")
    assert answer.status_code == 403
    with pytest.raises(ActionForbidden):
        services.commission_complete(commission=ledger.commission, actor=colleague)
    stale = api(ledger.agent).post(url, {"version": 1}, format="json")
    assert stale.status_code == 409
    done = api(ledger.agent).post(url, {"version": ledger.commission.version}, format="json")
    assert done.status_code == 200 and done.json()["state"] == "completed"
    assert any(d["kind"] == "completion" for d in done.json()["documents"])


def test_complete_through_the_page(ledger):
    start_work(ledger)
    close_all(ledger)
    client = page(ledger.agent)
    url = reverse("projects:commission_action", args=[ledger.commission.pk, "complete"])
    answer = client.post(url, {"version": ledger.commission.version}, follow=True)
    assert "委托已办结" in answer.content.decode()
    ledger.commission.refresh_from_db()
    assert ledger.commission.state == "completed"


# --- termination ----------------------------------------------------------------------------


def test_terminate_withdraws_the_open_cases_with_the_reason_and_the_slip_lists_them(ledger):
    start_work(ledger)
    commission = ledger.commission
    done = ledger.walk(ledger.case(DONE), lifecycle.SUBMIT, lifecycle.ACCEPT)
    ledger.step(done, lifecycle.APPROVE, data={"result_number": "东发改备〔2026〕18号"})
    suspended = ledger.walk(
        ledger.case(REFUSED), lifecycle.START, lifecycle.SUBMIT, lifecycle.ACCEPT, lifecycle.SUSPEND
    )
    commission.refresh_from_db()
    open_before = Case.objects.filter(commission=commission, state__in=lifecycle.OPEN_STATES)
    open_ids = set(open_before.values_list("pk", flat=True))
    assert suspended.pk in open_ids
    answer = api(ledger.agent).post(
        f"/api/v1/commissions/{commission.pk}/terminate/",
        {
            "version": commission.version,
            "reason_category": "conditions_lost",
            "note": "项目用地规划调整",
        },
        format="json",
    )
    assert answer.status_code == 200, answer.content
    assert not Case.objects.filter(commission=commission, state__in=lifecycle.OPEN_STATES)
    withdrawn = Case.objects.filter(pk__in=open_ids)
    assert {case.state for case in withdrawn} == {lifecycle.WITHDRAWN}
    event = Case.objects.get(pk=suspended.pk).events.last()
    assert event.action == "withdraw" and event.from_state == "suspended"
    assert "委托已终止" in event.reason and "项目用地规划调整" in event.reason
    assert Case.objects.get(pk=suspended.pk).suspensions.filter(end__isnull=True).count() == 0
    assert ledger.case(DONE).state == lifecycle.COMPLETED  # closed cases stay as they are
    commission.refresh_from_db()
    ReturnedOriginal.objects.create(
        commission=commission,
        name="可行性研究报告",
        copies=1,
        returned_on=timezone.localdate(),
        received_by="王经理",
        recorded_by=ledger.agent,
    )
    _, content = commission_document(commission, "termination")
    text = docx_text(content)
    assert f"{ledger.case(DONE).item.name}（准予，东发改备〔2026〕18号）" in text
    assert ledger.case(REFUSED).item.name in text  # pending, withdrawn
    assert "可行性研究报告 1份" in text and "不再具备条件" in text


def test_the_enterprise_terminates_and_its_open_cases_are_withdrawn(ledger):
    start_work(ledger)
    commission = ledger.commission
    client = page(ledger.enterprise_user)
    url = reverse("projects:commission_action", args=[commission.pk, "terminate"])
    answer = client.post(
        url,
        {"version": commission.version, "t-reason_category": "investor_request", "t-note": ""},
        follow=True,
    )
    assert "个未办结的事项已撤回" in answer.content.decode()
    states = set(Case.objects.filter(commission=commission).values_list("state", flat=True))
    assert states == {lifecycle.WITHDRAWN}


def test_a_failing_hook_rolls_the_termination_back(ledger, monkeypatch):
    start_work(ledger)
    commission = ledger.commission
    version = commission.version

    def boom(**kwargs):
        raise RuntimeError("ledger down")

    monkeypatch.setattr("bangban.cases.completion.case_withdraw_for_termination", boom)
    with pytest.raises(RuntimeError):
        services.commission_terminate(
            commission=commission,
            actor=ledger.agent,
            reason_category="conditions_lost",
            note="测试",
            expected_version=version,
        )
    commission.refresh_from_db()
    assert commission.state == commission_lifecycle.IN_PROGRESS and commission.version == version
    assert ledger.case(DONE).state == lifecycle.PREPARING
