"""The deadline scan tells an overdue decision's owner department once."""

import datetime as dt

import pytest
from django.utils import timezone

from bangban.cases.scan import scan_deadlines
from bangban.coordination import services
from bangban.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_overdue_decision_notifies_its_owner_department_once(world):
    meeting = world.meeting(when=timezone.now() - dt.timedelta(days=20))
    owner = meeting.participants.order_by("pk").first()
    services.meeting_record_minutes(
        meeting=meeting,
        actor=world.admin,
        minutes="纪要",
        decisions=[
            {"text": "早该办完", "owner_department": owner.pk},
            {"text": "还没到期", "owner_department": owner.pk, "due_date": dt.date(2099, 1, 1)},
        ],
        expected_version=meeting.version,
    )
    officer = world.officer(owner)  # a member of the owner department
    scan_deadlines()
    mine = Notification.objects.filter(subject__startswith="议定事项超期")
    assert mine.count() >= 1
    assert {n.subject for n in mine} == {"议定事项超期：早该办完"}
    assert (
        mine.filter(recipient_user=officer).exists()
        or mine.filter(recipient_department=owner).exists()
    )
    count = mine.count()
    scan_deadlines()
    assert mine.count() == count
