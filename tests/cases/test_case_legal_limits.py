"""Issue 11 (catalog fields): an item the law sets no limit for stores none, not 0; its case's
clock has no legal due date and the case page says 「无法定时限」; the deadline scan runs."""

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from bangban.cases import lifecycle

pytestmark = pytest.mark.django_db


def test_a_case_without_a_legal_limit_shows_none_and_the_scan_runs(ledger):
    # The factory's 工信 filing (DS06): 备案, no legal limit (国务院令第673号).
    case = ledger.walk(ledger.case("DS06"), lifecycle.START, lifecycle.SUBMIT, lifecycle.ACCEPT)
    case.refresh_from_db()
    assert case.item.legal_limit_days is None
    assert case.accepted_on is not None and case.legal_due is None
    officer = ledger.officer(case)
    client = Client()
    client.force_login(officer)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "无法定时限" in html
    api = APIClient()
    api.force_authenticate(officer)
    data = api.get(f"/api/v1/cases/{case.pk}/").json()
    assert data["item"]["legal_limit_days"] is None
    call_command("scan_deadlines", stdout=open("/dev/null", "w"))  # noqa: SIM115
