"""Meetings and their decisions through the services: every transition of the tables, legal
and illegal, who may take it, the validation messages (nothing written) and the version."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bangban.accounts.models import Role
from bangban.common.exceptions import ActionForbidden, StaleVersionError
from bangban.coordination import lifecycle, services
from bangban.coordination.actions import ACTION_ITEMS, MEETINGS, meeting_new
from bangban.coordination.models import ActionItem, Meeting, MeetingEvent
from tests.projects.factories import AdminFactory, AgentFactory

pytestmark = pytest.mark.django_db


def _propose(world, **extra):
    data = {
        "kind": Meeting.Kind.BRIEFING,
        "title": "项目碰头会（提议）",
        "commissions": [world.commission.pk],
        "agenda": "用地问题",
        "problems": ["规划条件未出具"],
    }
    data.update(extra)
    return services.meeting_propose(actor=world.agent, **data)


def in_state(world, state: str) -> Meeting:
    """A meeting in ``state`` through the services (a monthly 联席会议 when arranged)."""
    if state == lifecycle.PROPOSED:
        return _propose(world)
    meeting = world.meeting(kind=Meeting.Kind.JOINT_CONFERENCE, recurrence="monthly")
    if state == lifecycle.HELD:
        meeting = services.meeting_record_minutes(
            meeting=meeting, actor=world.admin, minutes="纪要", expected_version=meeting.version
        )
    elif state == lifecycle.CANCELLED:
        meeting = services.meeting_cancel(
            meeting=meeting, actor=world.admin, reason="改期", expected_version=meeting.version
        )
    return Meeting.objects.get(pk=meeting.pk)


def valid_data(world, meeting: Meeting, slug: str) -> dict:
    data = {"version": meeting.version}
    if slug == lifecycle.SCHEDULE:
        data.update(
            starts_at=timezone.now() - dt.timedelta(hours=1),
            place="三楼会议室",
            participants=[d.pk for d in world.departments()],
        )
    elif slug == lifecycle.EDIT:
        data.update(
            kind=meeting.kind,
            title="修改后的主题",
            host_department=world.admin.department_id,
            starts_at=meeting.starts_at or timezone.now() + dt.timedelta(days=1),
            place="二楼会议室",
            participants=[d.pk for d in world.departments()],
            commissions=[world.commission.pk],
            recurrence=meeting.recurrence,
        )
    elif slug == lifecycle.MINUTES:
        data.update(minutes="会议纪要正文")
    elif slug == lifecycle.CANCEL:
        data.update(reason="改期")
    return data


def party(world, meeting: Meeting, slug: str):
    row = lifecycle.MEETING.find(slug, meeting.state)
    return world.admin if lifecycle.ORGANISER in row.sides else world.agent


LEGAL = [(row.action, row.source) for row in lifecycle.MEETING.rows]
ILLEGAL = [
    (action, state)
    for action in lifecycle.MEETING.actions
    for state in lifecycle.MEETING.states
    if lifecycle.MEETING.find(action, state) is None
]


@pytest.mark.parametrize(("slug", "state"), LEGAL)
def test_every_legal_meeting_transition(world, slug, state):
    meeting = in_state(world, state)
    assert meeting.state == state
    actor = party(world, meeting, slug)
    assert MEETINGS.may(actor, meeting, slug)
    before = MeetingEvent.objects.filter(meeting=meeting).count()
    version = meeting.version
    MEETINGS.run(slug, obj=meeting, user=actor, data=valid_data(world, meeting, slug))
    fresh = Meeting.objects.get(pk=meeting.pk)
    row = lifecycle.MEETING.find(slug, state)
    assert fresh.state == lifecycle.MEETING.target(row)
    assert fresh.version == version + 1
    assert MeetingEvent.objects.filter(meeting=meeting).count() == before + 1
    if slug == lifecycle.NEXT:
        following = Meeting.objects.get(previous=fresh)
        assert following.state == lifecycle.SCHEDULED
        assert following.series_index == 1
        assert following.starts_at > fresh.starts_at


@pytest.mark.parametrize(("slug", "state"), ILLEGAL)
def test_every_illegal_meeting_transition_is_refused(world, slug, state):
    meeting = in_state(world, state)
    assert not MEETINGS.may(world.admin, meeting, slug)
    version = meeting.version
    with pytest.raises(ValidationError) as caught:
        MEETINGS.run(slug, obj=meeting, user=world.admin, data=valid_data(world, meeting, slug))
    assert "不能执行" in caught.value.messages[0]
    assert Meeting.objects.get(pk=meeting.pk).version == version


@pytest.mark.parametrize(("slug", "state"), LEGAL)
def test_who_may_take_each_meeting_step(world, slug, state):
    meeting = in_state(world, state)
    department = world.departments()[0]
    outsiders = [
        world.officer(department),
        world.errand,
        world.issuer,
        AdminFactory(region=world.commission.project.region.parent),  # covers the region
        AgentFactory(),
    ]
    row = lifecycle.MEETING.find(slug, state)
    for user in outsiders:
        expected = lifecycle.ORGANISER in row.sides and user.role == Role.CENTRE_ADMIN
        assert MEETINGS.may(user, meeting, slug) is expected, (user.role, slug, state)
    stranger = outsiders[-1]  # an agent who did not propose it
    with pytest.raises(ActionForbidden):
        MEETINGS.run(slug, obj=meeting, user=stranger, data=valid_data(world, meeting, slug))


def test_proposer_withdraws_a_proposal_but_not_an_arranged_meeting(world):
    meeting = _propose(world)
    assert MEETINGS.allowed(world.agent, meeting) == [lifecycle.CANCEL]
    assert meeting.host_department_id == world.commission.lead_department_id
    services.meeting_schedule(
        meeting=meeting,
        actor=world.admin,
        starts_at=timezone.now() + dt.timedelta(days=2),
        place="会议室",
        participants=[world.departments()[0]],
        expected_version=meeting.version,
    )
    assert MEETINGS.allowed(world.agent, meeting) == []
    with pytest.raises(ActionForbidden):
        services.meeting_cancel(
            meeting=meeting, actor=world.agent, reason="不需要了", expected_version=meeting.version
        )


def test_only_admins_arrange_and_only_agents_propose(world):
    with pytest.raises(ActionForbidden, match="只有中心管理员"):
        services.meeting_create(actor=world.agent, kind="briefing", title="x")
    with pytest.raises(ActionForbidden, match="只有代办帮办员"):
        services.meeting_propose(actor=world.admin, kind="briefing", title="x")
    officer = world.officer(world.departments()[0])
    with pytest.raises(ActionForbidden):
        meeting_new(officer, {"kind": "briefing", "title": "x"})


def test_create_validation_messages_keyed_by_field_and_nothing_written(world):
    count = Meeting.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.meeting_create(actor=world.admin, kind="nonsense", title=" ", place="")
    errors = caught.value.message_dict
    assert errors["kind"] == ["请选择会议类型。"]
    assert errors["title"] == ["请填写会议主题。"]
    assert errors["host_department"] == ["请选择主办部门。"]
    assert errors["starts_at"] == ["请填写会议时间。"]
    assert errors["place"] == ["请填写会议地点。"]
    assert errors["participants"] == ["请至少选择一个参会部门。"]
    assert Meeting.objects.count() == count


def test_recurrence_belongs_to_joint_conferences(world):
    with pytest.raises(ValidationError) as caught:
        world.meeting(kind=Meeting.Kind.JOINT_CONFERENCE, recurrence="")
    assert caught.value.message_dict["recurrence"] == ["联席会议请选择召开周期（如每月）。"]
    with pytest.raises(ValidationError) as caught:
        world.meeting(recurrence="weekly")
    assert caught.value.message_dict["recurrence"] == ["只有联席会议可以设定召开周期。"]


def test_agent_proposes_only_for_its_own_commissions(world):
    other = AgentFactory()
    with pytest.raises(ValidationError) as caught:
        services.meeting_propose(
            actor=other, kind="briefing", title="x", commissions=[world.commission.pk]
        )
    assert "只能为您负责的项目提议召开会议" in caught.value.message_dict["commissions"][0]
    with pytest.raises(ValidationError) as caught:
        services.meeting_propose(actor=world.agent, kind="briefing", title="x")
    assert caught.value.message_dict["commissions"] == ["请选择要研究的项目。"]


def test_minutes_decisions_default_due_and_validation(world):
    meeting = world.meeting()
    owner = meeting.participants.order_by("pk").first()
    stranger = (
        type(owner)
        .objects.exclude(pk__in=[owner.pk, meeting.host_department_id])
        .exclude(pk__in=meeting.participants.values("pk"))
        .filter(region=owner.region)
        .first()
    )
    assert stranger is not None
    with pytest.raises(ValidationError) as caught:
        services.meeting_record_minutes(
            meeting=meeting,
            actor=world.admin,
            minutes="",
            decisions=[{"text": "办", "owner_department": stranger.pk}],
            expected_version=meeting.version,
        )
    errors = caught.value.message_dict
    assert errors["minutes"] == ["请填写会议纪要。"]
    assert "不是主办或参会部门" in errors["decisions"][0]
    assert not ActionItem.objects.filter(meeting=meeting).exists()
    assert Meeting.objects.get(pk=meeting.pk).state == lifecycle.SCHEDULED

    services.meeting_record_minutes(
        meeting=meeting,
        actor=world.admin,
        minutes="纪要",
        decisions=[
            {"text": "补齐材料", "owner_department": owner.pk},
            {"text": "出具规划条件", "owner_department": owner.pk, "due_date": dt.date(2099, 1, 5)},
        ],
        expected_version=meeting.version,
    )
    items = list(meeting.action_items.order_by("sort_order"))
    assert [i.text for i in items] == ["补齐材料", "出具规划条件"]
    assert items[0].due_date > timezone.localdate(meeting.starts_at)
    assert items[1].due_date == dt.date(2099, 1, 5)
    # recording again corrects the minutes and adds decisions
    services.meeting_record_minutes(
        meeting=meeting,
        actor=world.admin,
        minutes="更正后的纪要",
        decisions=[{"text": "第三条", "owner_department": owner.pk}],
        expected_version=meeting.version,
    )
    assert meeting.action_items.count() == 3
    assert Meeting.objects.get(pk=meeting.pk).minutes == "更正后的纪要"


def test_minutes_wait_for_the_meeting_day(world):
    meeting = world.meeting(when=timezone.now() + dt.timedelta(days=3))
    with pytest.raises(ValidationError) as caught:
        services.meeting_record_minutes(
            meeting=meeting, actor=world.admin, minutes="纪要", expected_version=meeting.version
        )
    assert "召开后才能记录纪要" in caught.value.message_dict["minutes"][0]


def test_cancel_needs_a_reason_and_next_needs_a_series(world):
    meeting = world.meeting()
    with pytest.raises(ValidationError) as caught:
        services.meeting_cancel(
            meeting=meeting, actor=world.admin, reason=" ", expected_version=meeting.version
        )
    assert caught.value.message_dict["reason"] == ["请填写取消会议的原因。"]
    assert not MEETINGS.may(world.admin, meeting, lifecycle.NEXT)
    with pytest.raises(ValidationError, match="没有设定召开周期"):
        services.meeting_create_next(
            meeting=meeting, actor=world.admin, expected_version=meeting.version
        )


def test_next_meeting_only_once(world):
    meeting = world.meeting(kind=Meeting.Kind.JOINT_CONFERENCE, recurrence="weekly")
    following = services.meeting_create_next(
        meeting=meeting, actor=world.admin, expected_version=meeting.version
    )
    assert timezone.localdate(following.starts_at) >= timezone.localdate(
        meeting.starts_at
    ) + dt.timedelta(days=7)
    assert list(following.participants.all()) == list(meeting.participants.all())
    assert not MEETINGS.may(world.admin, Meeting.objects.get(pk=meeting.pk), lifecycle.NEXT)
    with pytest.raises(ValidationError, match="下一次会议已经安排"):
        services.meeting_create_next(
            meeting=meeting, actor=world.admin, expected_version=meeting.version
        )


def test_stale_meeting_version_is_refused(world):
    meeting = world.meeting()
    with pytest.raises(StaleVersionError):
        services.meeting_cancel(
            meeting=meeting, actor=world.admin, reason="x", expected_version=meeting.version - 1
        )
    assert Meeting.objects.get(pk=meeting.pk).state == lifecycle.SCHEDULED


# --- decisions ------------------------------------------------------------------------------


def _item(world) -> ActionItem:
    meeting = world.held()
    return ActionItem.objects.select_related("meeting__region").get(meeting=meeting)


def test_decision_done_by_its_owner_and_reopened_by_the_organiser(world):
    item = _item(world)
    owner = world.officer(item.owner_department)
    helper = world.officer(item.owner_department, Role.DEPT_HELPER)
    other = world.officer(world.departments(3)[-1])
    assert ACTION_ITEMS.allowed(owner, item) == [lifecycle.COMPLETE_ITEM]
    assert ACTION_ITEMS.allowed(helper, item) == [lifecycle.COMPLETE_ITEM]
    assert ACTION_ITEMS.allowed(world.admin, item) == [lifecycle.COMPLETE_ITEM]
    assert ACTION_ITEMS.allowed(other, item) == []
    assert ACTION_ITEMS.allowed(world.agent, item) == []
    with pytest.raises(ActionForbidden):
        services.action_item_complete(
            item=item, actor=world.agent, note="x", expected_version=item.version
        )
    with pytest.raises(ValidationError) as caught:
        services.action_item_complete(
            item=item, actor=owner, note="", expected_version=item.version
        )
    assert caught.value.message_dict["note"] == ["请填写完成情况。"]
    services.action_item_complete(item=item, actor=owner, note="已补齐", expected_version=1)
    item.refresh_from_db()
    assert (item.status, item.done_note, item.done_by) == (lifecycle.DONE, "已补齐", owner)
    with pytest.raises(ValidationError, match="不能执行"):
        services.action_item_complete(item=item, actor=owner, note="x", expected_version=2)
    assert ACTION_ITEMS.allowed(owner, item) == []
    assert ACTION_ITEMS.allowed(world.admin, item) == [lifecycle.REOPEN]
    with pytest.raises(ActionForbidden):
        services.action_item_reopen(item=item, actor=owner, reason="x", expected_version=2)
    with pytest.raises(ValidationError) as caught:
        services.action_item_reopen(item=item, actor=world.admin, reason="", expected_version=2)
    assert caught.value.message_dict["reason"] == ["请填写重新打开的原因。"]
    with pytest.raises(StaleVersionError):
        services.action_item_reopen(item=item, actor=world.admin, reason="x", expected_version=1)
    services.action_item_reopen(item=item, actor=world.admin, reason="未补齐", expected_version=2)
    item.refresh_from_db()
    assert (item.status, item.done_note, item.version) == (lifecycle.OPEN, "", 3)
    with pytest.raises(ValidationError, match="不能执行"):
        services.action_item_reopen(item=item, actor=world.admin, reason="x", expected_version=3)
    actions = list(item.events.values_list("action", flat=True))
    assert actions == ["item_done", "item_reopen"]
