"""待发改决定 goes to the development & reform department: it is told, its officer opens the
commission awaiting its decision and decides on the page; other departments' officers are
not told and see nothing; once decided the commission leaves the department's view."""

import pytest
from django.urls import reverse

from bangban.accounts.models import Role
from bangban.notifications.models import Notification
from bangban.projects import services

from .factories import UserFactory, department
from .test_commission_verify import commission_for

pytestmark = pytest.mark.django_db


def test_the_development_department_is_told_sees_and_decides(client, on_commit):
    commission, agent, _ = commission_for("烧碱装置节能改造项目", industry_code="C2612")
    fgw = department("dongsheng-fgw")
    zjj = department("dongsheng-zjj")
    officer = UserFactory(role=Role.DEPT_OFFICER, department=fgw, region=fgw.region)
    other = UserFactory(role=Role.DEPT_OFFICER, department=zjj, region=zjj.region)
    assert commission.lead_department_id != fgw.pk
    page = reverse("projects:commission_detail", args=[commission.pk])
    client.force_login(officer)
    assert client.get(page).status_code == 404  # nothing to decide yet

    with on_commit():
        services.commission_verify(commission=commission, actor=agent, is_new_capacity=False)

    told = Notification.objects.filter(recipient_department=fgw)
    assert told.count() == 1 and commission.number in told.get().subject
    assert not Notification.objects.filter(recipient_department=zjj).exists()
    shown = client.get(page)
    assert shown.status_code == 200
    assert reverse("projects:commission_action", args=[commission.pk, "decide"]) in (
        shown.content.decode()
    )
    client.force_login(other)
    assert client.get(page).status_code == 404

    client.force_login(officer)
    answer = client.post(
        reverse("projects:commission_action", args=[commission.pk, "decide"]),
        {"version": commission.version + 0, "d-approve": "1", "d-reason": "符合改造升级要求"},
    )
    assert answer.status_code in (200, 302)
    commission.refresh_from_db()
    assert not commission.awaiting_decision
    assert commission.state == "verified"
    assert client.get(page).status_code == 404  # decided: no longer the department's business
