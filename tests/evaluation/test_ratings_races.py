"""Ten identical ratings or rectification steps at the same instant, through the API: one
wins; the others are told why (the commission is rated already: 400; a stale version: 409);
none answers 500 and nothing is written twice — on a SQLite file as on PostgreSQL."""

from __future__ import annotations

from collections import Counter

from rest_framework.test import APIClient

from bangban.evaluation.models import FollowUpVisit, Rating, Rectification
from tests.concurrency import concurrent_db, run_concurrently

from .ratings_fixtures import make_after

__all__ = ["concurrent_db"]  # the fixture, for pytest

N = 10


def fire(user, url: str, payload: dict):
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
    return results


def test_ten_ratings_of_one_commission_at_once_make_one(concurrent_db):
    after = make_after()
    payload = {"commission": after.commission.pk, "level": "dissatisfied", "comment": "太慢"}
    results = fire(after.enterprise, "/api/v1/ratings/", payload)
    counts = Counter(r.status_code for r in results)
    assert counts[201] == 1 and counts[201] + counts[400] + counts[409] == N, counts
    for response in results:
        if response.status_code == 400:
            assert "每项服务只能评价一次" in response.json()["detail"][0]
    assert Rating.objects.count() == 1
    assert Rectification.objects.count() == 1
    assert FollowUpVisit.objects.filter(reason="bad_rating").count() == 1


def test_ten_verifications_of_one_rectification_at_once_make_one(concurrent_db):
    after = make_after()
    client = APIClient()
    client.force_authenticate(after.enterprise)
    client.post(
        "/api/v1/ratings/",
        {"commission": after.commission.pk, "level": "very_dissatisfied"},
        format="json",
    )
    rect = Rectification.objects.get()
    results = fire(
        after.agent,
        f"/api/v1/rectifications/{rect.pk}/verify/",
        {"version": rect.version, "verification": "情况属实"},
    )
    assert Counter(r.status_code for r in results) == {200: 1, 409: N - 1}
    rect.refresh_from_db()
    assert rect.state == "rectifying" and rect.version == 2
    assert rect.events.filter(action="verify").count() == 1
