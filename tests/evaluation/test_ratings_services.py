"""好差评 through the service (SPEC §7): the enterprise rates a completed commission and each
completed case once; staff record a paper rating (back-filled when given earlier); refusals
name the reason in Chinese and leave nothing written; a bad rating opens a rectification and
its return visit, due on the working-day calendar."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bangban.cases import lifecycle as case_lifecycle
from bangban.common.exceptions import ActionForbidden
from bangban.evaluation import services
from bangban.evaluation.models import FollowUpVisit, Level, Rating, Rectification
from bangban.projects.models import Commission
from tests.projects.factories import AgentFactory, EnterpriseUserFactory

from .ratings_fixtures import DONE, REFUSED, make_after

pytestmark = pytest.mark.django_db


def counts():
    return (
        Rating.objects.count(),
        Rectification.objects.count(),
        FollowUpVisit.objects.count(),
    )


def rate(after, level=Level.SATISFIED, **kwargs):
    kwargs.setdefault("actor", after.enterprise)
    return services.rating_create(commission=after.commission, level=level, **kwargs)


def test_the_enterprise_rates_the_commission_online(after):
    rating = rate(after, Level.VERY_SATISFIED, comment="服务周到")
    assert rating.source == Rating.Source.PORTAL
    assert rating.case_id is None and not rating.backfilled
    assert rating.department_id == after.commission.lead_department_id
    assert rating.rated_by == after.enterprise
    assert counts() == (1, 0, 0)  # a good rating opens nothing


def test_a_case_is_rated_with_its_department(after):
    case = after.case(DONE)
    rating = rate(after, Level.SATISFIED, case=case.pk)
    assert rating.case == case and rating.department_id == case.department_id


def test_a_second_rating_is_refused_naming_the_first_and_nothing_is_written(after):
    rate(after, Level.SATISFIED)
    before = counts()
    with pytest.raises(ValidationError) as info:
        rate(after, Level.VERY_DISSATISFIED)
    today = timezone.localdate()
    assert info.value.messages == [
        f"该代办服务已于 {today:%Y-%m-%d} 评价过（满意），每项服务只能评价一次。"
        "如有意见，可在回访时反映或提出投诉。"
    ]
    assert counts() == before
    # staff cannot add a paper rating for the same target either
    with pytest.raises(ValidationError):
        rate(after, Level.SATISFIED, actor=after.agent, source="window")
    assert counts() == before


def test_a_case_rated_once_but_the_commission_and_other_cases_still_may_be(after):
    rate(after, Level.SATISFIED, case=after.case(DONE).pk)
    with pytest.raises(ValidationError) as info:
        rate(after, Level.SATISFIED, case=after.case(DONE).pk)
    assert "每个事项只能评价一次" in info.value.messages[0]
    rate(after, Level.SATISFIED, case=after.case(REFUSED).pk)  # refused is completed too
    rate(after, Level.SATISFIED)
    assert Rating.objects.count() == 3


def test_rating_before_completion_is_refused_in_chinese():
    after = make_after(complete_it=False)
    before = counts()
    with pytest.raises(ValidationError) as info:
        rate(after)
    assert info.value.messages == ["代办委托办结后才能评价（当前状态「办理中」）。"]
    assert counts() == before


def test_a_case_not_completed_cannot_be_rated_but_a_completed_one_can_before_the_commission():
    after = make_after(complete_it=False)
    commission = after.commission
    planned = commission.cases.exclude(state=case_lifecycle.COMPLETED).first()  # not needed
    with pytest.raises(ValidationError) as info:
        rate(after, case=planned.pk)
    assert info.value.message_dict["case"] == [
        f"事项「{planned.item.name}」办结后才能评价（当前状态「{planned.get_state_display()}」）。"
    ]
    assert counts() == (0, 0, 0)
    # a completed case is rated while the commission is still in progress
    rating = rate(after, case=after.case(DONE).pk)
    assert rating.case_id == after.case(DONE).pk


def test_a_case_of_another_commission_is_refused(after):
    other = make_after()
    with pytest.raises(ValidationError) as info:
        rate(after, case=other.case(DONE).pk)
    assert info.value.message_dict["case"] == ["所选办件不属于该代办委托。"]
    assert counts() == (0, 0, 0)


def test_bad_level_and_too_long_comment_are_refused_keyed_by_field(after):
    with pytest.raises(ValidationError) as info:
        rate(after, "excellent", comment="字" * 1001)
    assert set(info.value.message_dict) == {"level", "comment"}
    assert info.value.message_dict["comment"] == ["评价意见不能超过 1000 个字。"]
    assert counts() == (0, 0, 0)


def test_who_may_rate(after):
    stranger = EnterpriseUserFactory()
    with pytest.raises(ActionForbidden) as info:
        rate(after, actor=stranger)
    assert info.value.message == "只有该项目的项目单位可以在线评价。"
    with pytest.raises(ActionForbidden) as info:
        rate(after, actor=AgentFactory(), source="window")
    assert info.value.message == "只有该委托的代办帮办员或中心管理员可以登记窗口或纸质评价。"
    with pytest.raises(ActionForbidden):
        rate(after, actor=after.supervisor, source="window")
    assert counts() == (0, 0, 0)


def test_staff_record_a_paper_rating_back_filled(after):
    commission = Commission.objects.get(pk=after.commission.pk)
    given = timezone.now() - dt.timedelta(hours=2)
    Commission.objects.filter(pk=commission.pk).update(
        completed_at=timezone.now() - dt.timedelta(days=1)
    )
    rating = rate(after, Level.SATISFIED, actor=after.admin, source="window", rated_at=given)
    assert rating.source == Rating.Source.WINDOW
    assert rating.backfilled and rating.rated_at == given
    assert rating.recorded_at > given
    # a paper form dated before the completion is refused
    with pytest.raises(ValidationError) as info:
        rate(
            after,
            Level.SATISFIED,
            actor=after.agent,
            source="window",
            case=after.case(DONE).pk,
            rated_at=timezone.now() + dt.timedelta(days=1),
        )
    assert info.value.message_dict["rated_at"] == ["评价时间不能晚于现在。"]


def test_a_bad_rating_opens_a_rectification_and_its_return_visit(after, on_commit):
    case = after.case(DONE)
    with on_commit():
        rating = rate(after, Level.DISSATISFIED, case=case.pk, comment="材料反复退回")
    rect = rating.rectification
    assert rect.state == "verifying"
    assert rect.department_id == case.department_id and rect.agent == after.agent
    visit = FollowUpVisit.objects.get(rating=rating)
    assert visit.reason == FollowUpVisit.Reason.BAD_RATING
    assert visit.commission_id == after.commission.pk and visit.state == "scheduled"
    event = rect.events.get()
    assert event.action == "open" and event.note == "不满意：材料反复退回"
    # the agent and the department heard of it
    from bangban.notifications.models import Notification

    keys = set(Notification.objects.values_list("recipient_user_id", flat=True))
    assert after.agent.pk in keys


def test_the_rectification_is_due_on_the_working_day_calendar_across_national_day(
    after, monkeypatch
):
    """Rated on Tuesday 2026-09-29, 5 working days: day 1 is Wed 30 Sep; 1–7 Oct are the
    National Day holiday; Thu 8, Fri 9, Sat 10 (调休上班) and Mon 12 Oct are days 2–5 → due
    2026-10-12. The return visit, 10 working days: 13, 14, 15, 16, 19 Oct → 2026-10-19."""
    original = timezone.localdate

    def localdate(value=None, tz=None):
        return dt.date(2026, 9, 29) if value is None else original(value, tz)

    monkeypatch.setattr(timezone, "localdate", localdate)
    rating = rate(after, Level.VERY_DISSATISFIED)
    assert rating.rectification.due_date == dt.date(2026, 10, 12)
    assert FollowUpVisit.objects.get(rating=rating).due_date == dt.date(2026, 10, 19)
