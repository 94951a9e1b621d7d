"""Twenty identical commission actions at the same instant, through the whole HTTP stack:
one wins, every other one is told the commission changed (409 / the page's stale message),
none answers 500 — on SQLite (a file database, IMMEDIATE transactions, WAL) as on PostgreSQL
(``DATABASE_URL=postgres://… pytest tests/common/test_races.py``)."""

from __future__ import annotations

from collections import Counter

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from bangban.eligibility.models import EligibilityCheck
from bangban.projects.exceptions import STALE_MESSAGE
from bangban.projects.models import Commission, CommissionTransition
from tests.concurrency import run_concurrently
from tests.projects.factories import AgentFactory, CommissionFactory

N = 20


def clients_of(user, n: int) -> list[Client]:
    """``n`` browsers logged in as ``user``; a failing view answers 500 (not re-raised)."""
    clients = []
    for _ in range(n):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients.append(client)
    return clients


def owned_commission():
    agent = AgentFactory()
    # not industrial: verify goes straight to verified (see eligibility's confirmation)
    commission = CommissionFactory(agent=agent, project__industry_code="H6110")
    return agent, commission


def outcomes(results) -> Counter:
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors
    return Counter(r.status_code for r in results)


def test_twenty_identical_api_actions_one_wins_the_others_get_409(concurrent_db):
    agent, commission = owned_commission()
    url = f"/api/v1/commissions/{commission.pk}/verify/"
    payload = {"version": commission.version, "is_new_capacity": True}
    history_before = commission.transitions.count()

    def verify(client):
        return lambda: client.post(url, payload, content_type="application/json")

    results = run_concurrently([verify(c) for c in clients_of(agent, N)])

    assert outcomes(results) == {200: 1, 409: N - 1}, outcomes(results)
    refused = [r.json() for r in results if r.status_code == 409]
    assert refused == [{"detail": STALE_MESSAGE}] * (N - 1)
    commission.refresh_from_db()
    assert commission.state == "verified" and commission.version == payload["version"] + 1
    assert commission.transitions.count() == history_before + 1
    assert EligibilityCheck.objects.filter(project=commission.project).count() == 1


def test_twenty_identical_page_posts_one_wins_the_others_are_told_to_refresh(concurrent_db):
    agent, commission = owned_commission()
    url = f"/commissions/{commission.pk}/terminate/"
    form = {
        "version": commission.version,
        "t-reason_category": Commission.TerminationReason.CONDITIONS_LOST,
        "t-note": "项目单位已注销",
    }
    history_before = CommissionTransition.objects.filter(commission=commission).count()

    def terminate(client):
        return lambda: client.post(url, form)

    results = run_concurrently([terminate(c) for c in clients_of(agent, N)])

    assert outcomes(results) == {302: N}, outcomes(results)
    told = Counter(str(message) for r in results for message in get_messages(r.wsgi_request))
    assert told == {"委托已终止。": 1, STALE_MESSAGE: N - 1}, told
    commission.refresh_from_db()
    assert commission.state == "terminated" and commission.version == form["version"] + 1
    assert commission.transitions.count() == history_before + 1


@pytest.mark.parametrize("n", [0, 1])
def test_the_harness_runs_trivial_batches(concurrent_db, n):
    assert run_concurrently([lambda: 7] * n) == [7] * n
