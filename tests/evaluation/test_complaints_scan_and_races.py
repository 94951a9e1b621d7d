"""Overdue complaints in the deadline scan (told once per due date), and two concludes of one
complaint at the same instant: one wins, the other is told 409, one accountability record."""

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from bangban.cases.scan import scan_deadlines
from bangban.evaluation import complaints_services as services
from bangban.evaluation.models import AccountabilityRecord
from bangban.notifications.models import Notification
from tests.concurrency import concurrent_db, run_concurrently

from .complaints_world import RECEIVED, make_world

__all__ = ["concurrent_db"]  # the fixture, for pytest


@pytest.mark.django_db
def test_an_overdue_complaint_tells_its_handler_once_per_due_date():
    cw = make_world()
    handled = cw.assigned(received_at=RECEIVED)  # due 2026-11-23
    cw.register()  # due in the future: nothing
    scan_deadlines()
    sent = Notification.objects.filter(subject__startswith="投诉超期")
    assert list(sent.values_list("recipient_user", flat=True)) == [cw.supervisor.pk]
    assert sent.get().dedupe_key.startswith(f"complaint:{handled.pk}:overdue:2026-11-23")
    assert "应于 2026-11-23 前办结" in sent.get().body
    scan_deadlines()
    assert sent.count() == 1
    # a new due date is a new message
    type(handled).objects.filter(pk=handled.pk).update(due_date="2026-11-30")
    scan_deadlines()
    assert sent.count() == 2


@pytest.mark.django_db
def test_an_overdue_complaint_nobody_took_tells_the_region_coordinators():
    cw = make_world()
    waiting = cw.register(received_at=RECEIVED)
    closed = cw.concluded("unsubstantiated", received_at=RECEIVED)
    scan_deadlines()
    sent = Notification.objects.filter(subject__startswith="投诉超期")
    # the admin of 东胜区 (the complaint's region); not the city's supervisor, not the closed one
    assert list(sent.values_list("recipient_user", flat=True)) == [cw.admin.pk]
    assert f"complaint:{waiting.pk}:" in sent.get().dedupe_key
    assert not sent.filter(dedupe_key__contains=f"complaint:{closed.pk}:").exists()


def test_two_concludes_at_once_one_wins_one_record(concurrent_db):
    cw = make_world()
    complaint = cw.assigned()
    payload = {
        "version": complaint.version,
        "finding": "substantiated",
        "result": "已答复投诉人。",
        "handling": "经核查属实。",
    }
    url = f"/api/v1/complaints/{complaint.pk}/conclude/"

    def post(user):
        client = APIClient()
        client.force_authenticate(user)
        return lambda: client.post(url, payload, format="json")

    results = run_concurrently([post(cw.supervisor), post(cw.admin), post(cw.supervisor)])
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors
    assert sorted(r.status_code for r in results) == [200, 409, 409]
    refused = {r.json()["detail"] for r in results if r.status_code == 409}
    assert refused <= {
        "该投诉已被他人修改，请刷新后重试。",
        "系统繁忙或数据已被他人修改，请刷新后重试。",
    }
    assert AccountabilityRecord.objects.filter(complaint=complaint).count() == 1
    complaint.refresh_from_db()
    assert (complaint.state, complaint.version) == ("closed", 3)
    assert complaint.events.filter(action="conclude").count() == 1
    # and the service refuses a third conclusion outright
    with pytest.raises(ValidationError, match="已办结"):
        services.complaint_conclude(
            complaint=complaint,
            actor=cw.supervisor,
            finding="partly",
            result="x",
            expected_version=3,
        )
    assert AccountabilityRecord.objects.count() == 1
