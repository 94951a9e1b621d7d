"""The demo world shows complaints and accountability (bangban/web/demo_complaints.py)."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from bangban.accounts.models import User
from bangban.evaluation.models import AccountabilityRecord, Complaint

pytestmark = pytest.mark.django_db


def test_demo_data_builds_the_complaints_once():
    out = io.StringIO()
    call_command("demo_data", stdout=out)
    assert "演示投诉：3 件" in out.getvalue()
    assert Complaint.objects.count() == 3
    assert sorted(Complaint.objects.values_list("state", flat=True)) == [
        "closed",
        "handling",
        "received",
    ]
    kinds = sorted(AccountabilityRecord.objects.values_list("kind", flat=True))
    assert kinds == ["criticism", "violation"]
    call_command("demo_data", stdout=io.StringIO())
    assert Complaint.objects.count() == 3
    client = Client()
    client.force_login(User.objects.get(username="supervisor"))
    body = client.get("/complaints/").content.decode()
    assert "共 3 件" in body and "超期" in body and "补录" in body
    notice = AccountabilityRecord.objects.get(kind="criticism")
    document = client.get(f"/accountability/{notice.pk}/notice.docx")
    assert document.status_code == 200
