"""差评整改 (SPEC §7): verify → rectify → answer → closed after the return visit or by a
supervisor; the action table decides who may do what; a stale version is a 409 and changes
nothing; the deadline scan tells the responsible agent and department once per due date."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bangban.cases.scan import scan_deadlines
from bangban.common.exceptions import ActionForbidden, StaleVersionError
from bangban.evaluation import services
from bangban.evaluation.actions import RECTIFICATIONS, VISITS
from bangban.evaluation.models import FollowUpVisit, Level, Rectification
from bangban.notifications.models import Notification
from tests.projects.factories import AdminFactory, AgentFactory, UserFactory, department, region

from .ratings_fixtures import DONE, api, page

pytestmark = pytest.mark.django_db


def bad(after, *, case=True) -> Rectification:
    rating = services.rating_create(
        actor=after.enterprise,
        commission=after.commission,
        level=Level.VERY_DISSATISFIED,
        comment="多次跑腿",
        case=after.case(DONE).pk if case else None,
    )
    return Rectification.objects.select_related("commission__project__region").get(rating=rating)


def fresh(rect) -> Rectification:
    return Rectification.objects.select_related("commission__project__region").get(pk=rect.pk)


def verify(rect, actor, text="已核实：材料一次性告知不全"):
    return services.rectification_verify(
        rectification=rect, actor=actor, verification=text, expected_version=rect.version
    )


def answer(rect, actor):
    return services.rectification_answer(
        rectification=rect,
        actor=actor,
        measures="重新一次性告知全部材料",
        answer="已向企业致歉并说明整改",
        expected_version=rect.version,
    )


def test_the_whole_way_by_the_agent_and_closed_by_the_supervisor(after):
    rect = bad(after)
    assert RECTIFICATIONS.allowed(after.agent, rect) == ["verify"]
    rect = verify(rect, after.agent)
    assert rect.state == "rectifying" and rect.verified_at is not None
    rect = answer(fresh(rect), after.agent)
    assert rect.state == "answered" and rect.answer == "已向企业致歉并说明整改"
    rect = fresh(rect)
    assert RECTIFICATIONS.allowed(after.agent, rect) == []
    assert RECTIFICATIONS.allowed(after.supervisor, rect) == ["close", "reopen"]
    rect = services.rectification_close(
        rectification=rect,
        actor=after.supervisor,
        note="评价人无法联系",
        expected_version=rect.version,
    )
    assert rect.state == "closed" and rect.closed_at is not None
    assert [e.action for e in rect.events.order_by("id")] == ["open", "verify", "answer", "close"]


def test_the_department_officer_answers_for_its_case(after):
    rect = bad(after)
    officer = after.officer()
    assert RECTIFICATIONS.may(officer, rect, "verify")
    rect = verify(rect, officer)
    assert rect.state == "rectifying"


def test_others_are_refused_with_403_and_nothing_changes(after):
    rect = bad(after)
    for user in (AgentFactory(), after.supervisor, after.enterprise):
        with pytest.raises(ActionForbidden) as info:
            verify(fresh(rect), user)
        assert info.value.message == "您不能对该差评整改执行「核实」。"
    # a centre admin of another region
    outsider = AdminFactory(region=region("150271"))
    with pytest.raises(ActionForbidden):
        verify(fresh(rect), outsider)
    rect = fresh(rect)
    assert rect.state == "verifying" and rect.version == 1
    assert rect.events.count() == 1


def test_an_illegal_step_and_an_empty_text_are_400_and_nothing_changes(after):
    rect = bad(after)
    with pytest.raises(ValidationError) as info:
        answer(rect, after.agent)
    assert info.value.messages == ["差评整改当前状态「待核实」不能执行「整改反馈」。"]
    with pytest.raises(ValidationError) as info:
        verify(fresh(rect), after.agent, text="   ")
    assert info.value.message_dict == {"verification": ["请填写核实情况。"]}
    rect = fresh(rect)
    assert rect.state == "verifying" and rect.version == 1 and rect.verification == ""


def test_a_stale_version_is_refused(after):
    rect = bad(after)
    old = fresh(rect)
    verify(rect, after.agent)
    with pytest.raises(StaleVersionError) as info:
        services.rectification_answer(
            rectification=old,
            actor=after.agent,
            measures="x",
            answer="y",
            expected_version=old.version,
        )
    assert info.value.message == "该整改已被他人修改，请刷新后重试。"
    assert fresh(rect).state == "rectifying"


def test_reopen_recomputes_the_due_date(after):
    rect = answer(verify(bad(after), after.agent), after.agent)
    rect = services.rectification_reopen(
        rectification=fresh(rect),
        actor=after.admin,
        reason="企业反映问题仍未解决",
        expected_version=rect.version,
    )
    assert rect.state == "rectifying" and rect.answered_at is None
    assert rect.due_date > timezone.localdate()


def test_the_return_visit_closes_the_answered_rectification(after):
    rect = answer(verify(bad(after), after.agent), after.agent)
    visit = FollowUpVisit.objects.select_related("commission__project__region").get(
        rating_id=rect.rating_id
    )
    assert visit.reason == FollowUpVisit.Reason.BAD_RATING
    # the agent rated does not make the return visit; the centre does
    assert not VISITS.may(after.agent, visit, "record")
    services.visit_record(
        visit=visit,
        actor=after.admin,
        method="phone",
        visited_at=timezone.now(),
        contact="王经理",
        findings="对整改结果表示认可",
        level=Level.SATISFIED,
        expected_version=visit.version,
    )
    rect = fresh(rect)
    assert rect.state == "closed" and rect.closed_at is not None
    last = rect.events.order_by("id").last()
    assert last.action == "visit_close" and "对整改结果表示认可" in last.note
    assert last.label == "回访后办结"


def test_the_scan_tells_of_an_overdue_rectification_once_per_due_date(after):
    rect = bad(after)
    Rectification.objects.filter(pk=rect.pk).update(due_date=dt.date(2026, 10, 12))
    later = dt.date(2026, 10, 13)
    before = Notification.objects.count()
    report = scan_deadlines(today=later)
    rows = Notification.objects.filter(dedupe_key__startswith=f"rectification:{rect.pk}:overdue")
    assert rows.count() >= 1
    recipients = {n.recipient_user_id for n in rows if n.recipient_user_id}
    assert after.agent.pk in recipients
    assert "2026-10-12" in rows.first().body
    sent = Notification.objects.count() - before
    assert report.notifications >= rows.count()
    # once: a second scan adds nothing
    scan_deadlines(today=later)
    assert Notification.objects.count() - before == sent
    # not overdue on its due date, nor once answered
    assert not Notification.objects.filter(dedupe_key__contains=":overdue:2026-10-13").exists()


def test_the_scan_says_nothing_of_an_answered_rectification(after):
    rect = answer(verify(bad(after), after.agent), after.agent)
    Rectification.objects.filter(pk=rect.pk).update(due_date=dt.date(2026, 10, 12))
    scan_deadlines(today=dt.date(2026, 10, 20))
    assert not Notification.objects.filter(
        dedupe_key__startswith=f"rectification:{rect.pk}:overdue"
    ).exists()


# --- pages ----------------------------------------------------------------------------------


def test_the_agents_list_shows_its_own_first_and_marks_the_overdue(after):
    mine = bad(after)
    Rectification.objects.filter(pk=mine.pk).update(due_date=dt.date(2026, 1, 5))
    colleague = AgentFactory(department=after.agent.department, region=after.agent.region)
    response = page(after.agent).get("/rectifications/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "我负责" in text and "超期" in text
    rows = list(response.context["page"].object_list)
    assert rows[0].pk == mine.pk and rows[0].mine == 1 and rows[0].overdue
    # the colleague sees it (same centre) but not as its own
    rows = list(page(colleague).get("/rectifications/").context["page"].object_list)
    assert [r.pk for r in rows] == [mine.pk] and rows[0].mine == 0


def test_the_detail_page_offers_the_tables_buttons_and_takes_the_post(after):
    rect = bad(after)
    client = page(after.agent)
    response = client.get(f"/rectifications/{rect.pk}/")
    assert response.status_code == 200
    assert [a.slug for a, _ in response.context["actions"]] == ["verify"]
    response = client.post(
        f"/rectifications/{rect.pk}/action/verify/",
        {"version": rect.version, "verification": "情况属实"},
    )
    assert response.status_code == 302
    assert fresh(rect).state == "rectifying"
    # stale: 409 with the message, nothing changed
    response = client.post(
        f"/rectifications/{rect.pk}/action/answer/",
        {"version": 1, "measures": "x", "answer": "y"},
    )
    assert response.status_code == 409
    assert "该整改已被他人修改，请刷新后重试。" in response.content.decode()
    assert fresh(rect).state == "rectifying"
    # empty answer: 400
    response = client.post(
        f"/rectifications/{rect.pk}/action/answer/",
        {"version": 2, "measures": "x", "answer": ""},
    )
    assert response.status_code == 400
    assert "请填写对评价人的反馈内容。" in response.content.decode()
    # a colleague of the same centre sees it but may not act: 403 with the message
    response = page(AgentFactory()).post(
        f"/rectifications/{rect.pk}/action/answer/", {"version": 2, "measures": "x", "answer": "y"}
    )
    assert response.status_code == 403
    assert "您不能对该差评整改执行「整改反馈」。" in response.content.decode()
    # an agent of another centre does not even see it
    stranger = AgentFactory(
        region=region("ordos-hitech"), department=department("ordos-hitech-zwfw")
    )
    assert page(stranger).get(f"/rectifications/{rect.pk}/").status_code == 404
    assert fresh(rect).state == "rectifying"


# --- API --------------------------------------------------------------------------------------


def test_the_api_actions_follow_the_table(after):
    rect = bad(after)
    client = api(after.agent)
    body = client.get(f"/api/v1/rectifications/{rect.pk}/").json()
    assert body["allowed_actions"] == ["verify"] and body["state"] == "verifying"
    response = client.post(
        f"/api/v1/rectifications/{rect.pk}/verify/",
        {"version": 1, "verification": "属实"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "rectifying"
    assert response.json()["message"] == "已记录核实情况，请按期整改并反馈评价人。"
    response = client.post(
        f"/api/v1/rectifications/{rect.pk}/verify/",
        {"version": 2, "verification": "x"},
        format="json",
    )
    assert response.status_code == 400
    response = client.post(
        f"/api/v1/rectifications/{rect.pk}/answer/",
        {"version": 1, "measures": "x", "answer": "y"},
        format="json",
    )
    assert response.status_code == 409
    supervisor = api(after.supervisor)
    response = supervisor.post(
        f"/api/v1/rectifications/{rect.pk}/answer/",
        {"version": 2, "measures": "x", "answer": "y"},
        format="json",
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "您不能对该差评整改执行「整改反馈」。"
    other = UserFactory(role="supervisor", region=region("150200"), department=None)
    assert api(other).get(f"/api/v1/rectifications/{rect.pk}/").status_code == 404
