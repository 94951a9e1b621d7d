"""回访 (SPEC §7): the reproducible draw at completion, the visit's due date on the working-day
calendar, recording (method, visitor, said time with 补录, contact, findings, satisfaction kept
as a rating), cancelling, overdue, scheduling by hand; pages and API."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bangban.common.exceptions import ActionForbidden, StaleVersionError
from bangban.evaluation import services
from bangban.evaluation.actions import VISITS
from bangban.evaluation.models import FollowUpVisit, Level, Rating, Rectification, SampleDraw
from bangban.evaluation.policy import draw_value, policy_for, sample_draw
from bangban.projects.models import Commission
from tests.projects.factories import UserFactory, region

from .ratings_fixtures import api, make_after, page, set_policy

pytestmark = pytest.mark.django_db

SEED = "bangban-after-service-2026"


# --- the draw -----------------------------------------------------------------------------------


def test_the_draw_is_reproducible_and_recorded():
    first = sample_draw(seed=SEED, share=Decimal("0.300"), commission_id=42)
    again = sample_draw(seed=SEED, share=Decimal("0.300"), commission_id=42)
    assert first == again
    assert 0 <= first["value"] < 1
    assert first["seed"] == SEED and first["share"] == "0.300"
    assert first["sampled"] == (first["value"] < 0.3)
    # another seed, another value
    assert draw_value("another-seed", 42) != first["value"]


def test_the_draw_value_is_the_sm3_digest_read_as_a_fraction():
    from bangban.common.hashing import sm3_hex

    digest = sm3_hex(b"bangban-after-service-2026:7")
    assert draw_value(SEED, 7) == int(digest[:13], 16) / 16**13


def test_the_share_is_respected_on_a_thousand_commissions():
    """1000 draws at 30 %: expected 300, standard deviation √(1000·0.3·0.7) ≈ 14.5; the count
    lies within three of them (256–344). At 0 none is drawn, at 1 all are."""
    drawn = sum(
        sample_draw(seed=SEED, share=Decimal("0.3"), commission_id=n)["sampled"]
        for n in range(1, 1001)
    )
    assert 256 <= drawn <= 344
    assert not any(
        sample_draw(seed=SEED, share=Decimal("0"), commission_id=n)["sampled"]
        for n in range(1, 201)
    )
    assert all(
        sample_draw(seed=SEED, share=Decimal("1"), commission_id=n)["sampled"]
        for n in range(1, 201)
    )


# --- scheduling at completion ---------------------------------------------------------------------


def test_a_sampled_commission_gets_its_visit_at_completion_with_the_draw():
    after = make_after(share="1")
    visit = FollowUpVisit.objects.get(commission=after.commission)
    assert visit.reason == FollowUpVisit.Reason.SAMPLED and visit.state == "scheduled"
    assert visit.draw["seed"] == SEED and visit.draw["share"] == "1.000"
    assert visit.draw["value"] == draw_value(SEED, after.commission.pk)
    assert visit.draw["sampled"] is True


def test_a_commission_not_drawn_gets_no_visit_but_its_draw_is_kept(client):
    after = make_after(share="0")
    assert not FollowUpVisit.objects.filter(commission=after.commission).exists()
    draw = SampleDraw.objects.get(commission=after.commission)
    assert (draw.seed, draw.share, draw.sampled) == (SEED, Decimal("0"), False)
    assert draw.value == draw_value(SEED, after.commission.pk)
    # the agent sees it on the commission page, worded
    client.force_login(after.agent)
    page = client.get(f"/commissions/{after.commission.pk}/").content.decode()
    assert f"回访抽样：未抽中（抽取值 {draw.value:.4f} ≥ 抽样比例 0.000" in page


def test_a_drawn_commission_keeps_its_draw_once():
    after = make_after(share="1")
    draw = SampleDraw.objects.get(commission=after.commission)
    assert draw.sampled is True and draw.value == draw_value(SEED, after.commission.pk)
    services.visit_schedule_on_completion(commission=after.commission, actor=after.agent)
    assert SampleDraw.objects.filter(commission=after.commission).count() == 1


def test_the_visit_is_due_ten_working_days_after_completion_across_national_day(after):
    """Completed Tuesday 2026-09-29: day 1 is 30 Sep; 1–7 Oct off; 8, 9, 10 (调休上班),
    12, 13, 14, 15, 16 and 19 Oct are days 2–10 → due 2026-10-19."""
    set_policy(follow_up_share=Decimal("1"))
    completed = timezone.make_aware(dt.datetime(2026, 9, 29, 15, 0))
    Commission.objects.filter(pk=after.commission.pk).update(completed_at=completed)
    commission = Commission.objects.select_related("project__region").get(pk=after.commission.pk)
    visit = services.visit_schedule_on_completion(commission=commission, actor=after.agent)
    assert visit.due_date == dt.date(2026, 10, 19) and not visit.due_provisional
    # once only
    assert services.visit_schedule_on_completion(commission=commission, actor=after.agent) is None


def test_a_regional_policy_wins_over_the_default(after):
    from bangban.evaluation.models import AfterServicePolicy

    default = set_policy(follow_up_share=Decimal("0.3"))
    project_region = after.commission.project.region
    parent = project_region.parent
    AfterServicePolicy.objects.create(
        region=parent,
        follow_up_share=Decimal("0.5"),
        follow_up_after_days=3,
        rectification_days=15,
        bad_rating_visit_days=5,
        sample_seed="ordos",
        source="测试",
    )
    assert policy_for(project_region).rectification_days == 15
    assert policy_for(None) == default


# --- recording --------------------------------------------------------------------------------


def sampled_visit():
    after = make_after(share="1")
    visit = FollowUpVisit.objects.select_related("commission__project__region").get(
        commission=after.commission
    )
    return after, visit


def fresh(visit):
    return FollowUpVisit.objects.select_related("commission__project__region").get(pk=visit.pk)


def record(visit, actor, **changes):
    data = {
        "method": "phone",
        "visited_at": timezone.now(),
        "contact": "王经理",
        "findings": "企业对代办服务满意，建议增加夜间窗口。",
        "level": "",
        "comment": "",
    } | changes
    return services.visit_record(visit=visit, actor=actor, expected_version=visit.version, **data)


def test_the_agent_records_its_sampled_visit_with_a_rating():
    after, visit = sampled_visit()
    assert VISITS.allowed(after.agent, visit) == ["record"]
    visit = record(visit, after.agent, level=Level.VERY_SATISFIED, comment="很好")
    assert visit.state == "done" and visit.visitor == after.agent and not visit.backfilled
    rating = Rating.objects.get(visit=visit)
    assert rating.source == Rating.Source.VISIT and rating.level == Level.VERY_SATISFIED
    assert rating.commission_id == after.commission.pk and rating.case_id is None
    assert not Rectification.objects.exists()


def test_a_visit_said_two_days_ago_is_back_filled():
    after, visit = sampled_visit()
    Commission.objects.filter(pk=after.commission.pk).update(
        completed_at=timezone.now() - dt.timedelta(days=5)
    )
    said = timezone.now() - dt.timedelta(days=2)
    visit = record(fresh(visit), after.admin, visited_at=said, method="on_site")
    assert visit.backfilled and visit.visited_at == said and visit.recorded_at > said


def test_a_bad_satisfaction_at_a_visit_opens_a_rectification():
    after, visit = sampled_visit()
    record(visit, after.supervisor, level=Level.DISSATISFIED, comment="回复太慢")
    rating = Rating.objects.get(visit=visit)
    assert rating.rectification.state == "verifying"
    assert FollowUpVisit.objects.filter(rating=rating, reason="bad_rating").exists()


def test_recording_refusals_leave_nothing_written():
    after, visit = sampled_visit()
    with pytest.raises(ValidationError) as info:
        record(visit, after.agent, method="letter", contact="", findings="", level="great")
    assert set(info.value.message_dict) == {"method", "contact", "findings", "level"}
    assert info.value.message_dict["method"] == ["请选择回访方式（电话、实地或短信）。"]
    with pytest.raises(ValidationError) as info:
        record(fresh(visit), after.agent, visited_at=timezone.now() + dt.timedelta(hours=1))
    assert info.value.message_dict == {"visited_at": ["回访时间不能晚于现在。"]}
    with pytest.raises(ValidationError) as info:
        record(fresh(visit), after.agent, visited_at=None)
    assert info.value.message_dict == {"visited_at": ["请填写回访时间。"]}
    with pytest.raises(ActionForbidden):
        record(fresh(visit), after.enterprise)
    visit = fresh(visit)
    assert visit.state == "scheduled" and visit.version == 1 and visit.method == ""
    assert not Rating.objects.exists()


def test_a_stale_record_is_refused():
    after, visit = sampled_visit()
    old = fresh(visit)
    record(visit, after.agent)
    with pytest.raises(StaleVersionError):
        record(old, after.admin)
    with pytest.raises(ValidationError) as info:
        record(fresh(visit), after.admin)
    assert info.value.messages == ["回访当前状态「已回访」不能执行「记录回访」。"]


def test_cancel_needs_a_reason_and_the_centre_or_supervisor():
    after, visit = sampled_visit()
    assert "cancel" not in VISITS.allowed(after.agent, visit)
    with pytest.raises(ActionForbidden):
        services.visit_cancel(visit=visit, actor=after.agent, reason="x", expected_version=1)
    with pytest.raises(ValidationError) as info:
        services.visit_cancel(visit=visit, actor=after.admin, reason=" ", expected_version=1)
    assert info.value.message_dict == {"reason": ["请填写取消回访的原因。"]}
    visit = services.visit_cancel(
        visit=fresh(visit), actor=after.admin, reason="企业已注销", expected_version=1
    )
    assert visit.state == "cancelled" and visit.cancel_reason == "企业已注销"


def test_manual_scheduling(after):
    due = timezone.localdate() + dt.timedelta(days=3)
    with pytest.raises(ActionForbidden):
        services.visit_schedule(actor=after.agent, commission=after.commission, due_date=due)
    with pytest.raises(ValidationError) as info:
        services.visit_schedule(
            actor=after.admin, commission=after.commission, due_date=dt.date(2020, 1, 1)
        )
    assert info.value.message_dict == {"due_date": ["回访期限不能早于今天。"]}
    visit = services.visit_schedule(actor=after.admin, commission=after.commission, due_date=due)
    assert visit.reason == "manual" and visit.due_date == due
    with pytest.raises(ValidationError) as info:
        services.visit_schedule(actor=after.supervisor, commission=after.commission, due_date=due)
    assert info.value.message_dict == {
        "commission": [f"该委托已有待回访的安排（期限 {due:%Y-%m-%d}）。"]
    }
    assert FollowUpVisit.objects.count() == 1


# --- pages and API ---------------------------------------------------------------------------


def test_the_list_marks_overdue_and_records_from_the_list():
    after, visit = sampled_visit()
    FollowUpVisit.objects.filter(pk=visit.pk).update(due_date=dt.date(2026, 1, 5))
    client = page(after.agent)
    response = client.get("/follow-up-visits/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "超期" in text and "记录回访" in text and after.commission.project.name in text
    now = timezone.localtime()
    response = client.post(
        f"/follow-up-visits/{visit.pk}/action/record/",
        {
            "version": 1,
            "method": "sms",
            "visited_at": f"{now:%Y-%m-%dT%H:%M}",
            "contact": "王经理",
            "findings": "短信回复满意",
            "level": "satisfied",
            "next": "list",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/follow-up-visits/"
    visit = fresh(visit)
    assert visit.state == "done" and visit.method == "sms"
    # a visit made cannot be cancelled: 400 with the table's message
    response = client.post(
        f"/follow-up-visits/{visit.pk}/action/cancel/", {"version": visit.version, "reason": "x"}
    )
    assert response.status_code == 400
    assert "回访当前状态「已回访」不能执行「取消回访」。" in response.content.decode()


def test_the_page_refuses_a_wrong_time_with_400():
    after, visit = sampled_visit()
    response = page(after.agent).post(
        f"/follow-up-visits/{visit.pk}/action/record/",
        {"version": 1, "method": "phone", "visited_at": "昨天", "contact": "王", "findings": "x"},
    )
    assert response.status_code == 400
    assert "回访时间格式应为 YYYY-MM-DD HH:MM。" in response.content.decode()
    assert fresh(visit).state == "scheduled"


def test_the_api_records_and_schedules():
    after, visit = sampled_visit()
    client = api(after.admin)
    body = client.get(f"/api/v1/follow-up-visits/{visit.pk}/").json()
    assert body["allowed_actions"] == ["record", "cancel"] and body["draw"]["seed"] == SEED
    response = client.post(
        f"/api/v1/follow-up-visits/{visit.pk}/record/",
        {
            "version": 1,
            "method": "on_site",
            "visited_at": timezone.now().isoformat(),
            "contact": "王经理",
            "findings": "现场查看，企业满意",
            "level": "very_satisfied",
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "done" and body["recorded_rating"]["level"] == "very_satisfied"
    response = client.post(
        f"/api/v1/follow-up-visits/{visit.pk}/cancel/", {"version": 2, "reason": "x"}, format="json"
    )
    assert response.status_code == 400
    # schedule by hand through the API
    due = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    response = client.post(
        "/api/v1/follow-up-visits/",
        {"commission": after.commission.pk, "due_date": due},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["reason"] == "manual"
    response = api(after.agent).post(
        "/api/v1/follow-up-visits/",
        {"commission": after.commission.pk, "due_date": due},
        format="json",
    )
    assert response.status_code == 403
    other = UserFactory(role="supervisor", region=region("150200"), department=None)
    assert api(other).get(f"/api/v1/follow-up-visits/{visit.pk}/").status_code == 404
