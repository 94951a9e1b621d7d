"""Ten identical report steps at the same instant, through the API: one wins, the others are
told "已被他人修改" (409), none answers 500 — on a SQLite file as on PostgreSQL."""

from __future__ import annotations

from collections import Counter

from rest_framework.test import APIClient

from bangban.accounts.models import Role
from bangban.supervision.metrics import Period
from bangban.supervision.models import MonthlyReport
from bangban.supervision.services import monthly_report_prepare
from tests.concurrency import concurrent_db, run_concurrently
from tests.projects.factories import UserFactory, region

__all__ = ["concurrent_db"]  # the fixture, for pytest

N = 10


def fire(user, url: str, payload: dict) -> Counter:
    clients = []
    for _ in range(N):
        client = APIClient()
        client.force_authenticate(user)
        clients.append(client)

    def post(client):
        return lambda: client.post(url, payload, format="json")

    results = run_concurrently([post(client) for client in clients])
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors[:3]
    refused = {r.json()["detail"] for r in results if r.status_code == 409}
    assert all("已被他人修改" in detail for detail in refused), refused
    return Counter(r.status_code for r in results)


def supervisor():
    return UserFactory(role=Role.SUPERVISOR, department=None, region=region("150602"))


def test_ten_first_preparations_of_one_month_make_one_report(concurrent_db):
    counts = fire(supervisor(), "/api/v1/monthly-reports/2026-11/prepare/", {})
    assert counts == {200: 1, 409: N - 1}, counts
    assert MonthlyReport.objects.count() == 1


def test_ten_reviews_of_one_report_review_it_once(concurrent_db):
    report = monthly_report_prepare(region=region("150602"), period=Period.month(2026, 11))
    counts = fire(
        supervisor(), "/api/v1/monthly-reports/2026-11/review/", {"version": report.version}
    )
    assert counts == {200: 1, 409: N - 1}, counts
    report.refresh_from_db()
    assert report.state == "reviewed" and report.version == 2
