"""The demo world shows the monthly reports (bangban/web/demo_reports.py)."""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from bangban.accounts.models import User
from bangban.supervision.models import MonthlyReport
from bangban.supervision.reports import month_key, previous_month

pytestmark = pytest.mark.django_db


def test_demo_data_prepares_last_month_and_reviews_the_one_before_once():
    out = io.StringIO()
    call_command("demo_data", stdout=out)
    assert "演示月报" in out.getvalue()
    supervisor = User.objects.get(username="supervisor")
    last = previous_month(timezone.localdate())
    before = previous_month(last.start)
    mine = MonthlyReport.objects.filter(region=supervisor.region)
    assert dict(mine.values_list("month", "state")) == {
        last.start: "prepared",
        before.start: "reviewed",
    }
    count = MonthlyReport.objects.count()
    call_command("demo_data", stdout=io.StringIO())
    assert MonthlyReport.objects.count() == count

    client = Client()
    client.force_login(supervisor)
    listing = client.get("/supervision/reports/").content.decode()
    assert "待审核" in listing and "已审核" in listing
    page = client.get(f"/supervision/reports/{month_key(last)}/").content.decode()
    assert 'action="/supervision/reports/' in page and "review/" in page
