"""Fifty simultaneous transitions on one case, through the API: at every state exactly one
wins, the other 49 are told "已被他人修改" (409), none answers 500, and the case history has no
gap — on SQLite (a file database, IMMEDIATE transactions, WAL) as on PostgreSQL
(``DATABASE_URL=postgres://… pytest tests/cases/test_case_races.py``)."""

from __future__ import annotations

from collections import Counter

from rest_framework.test import APIClient

from bangban.cases import lifecycle
from bangban.cases.models import Case
from tests.concurrency import concurrent_db, run_concurrently

from .conftest import make_ledger

__all__ = ["concurrent_db"]  # the fixture, for pytest

N = 50

#: (action, side, payload beyond the version) in the order a case goes through them.
WALK = [
    (lifecycle.START, "agent", {}),
    (lifecycle.SUBMIT, "agent", {}),
    (lifecycle.ACCEPT, "officer", {}),
    (lifecycle.SUSPEND, "officer", {"kind": "expert", "reason": "组织专家评审"}),
    (lifecycle.RESUME, "officer", {}),
    (lifecycle.APPROVE, "officer", {"result_number": "东政许字〔2026〕8号"}),
    (lifecycle.HAND_OVER, "agent", {"handed_over_to": "王经理"}),
]


def api_clients(user, n: int) -> list[APIClient]:
    clients = []
    for _ in range(n):
        client = APIClient()
        client.force_authenticate(user)
        clients.append(client)
    return clients


def fire(clients, url: str, payload: dict) -> Counter:
    """POST ``payload`` to ``url`` from every client at once; the status codes counted."""

    def post(client):
        return lambda: client.post(url, payload, format="json")

    results = run_concurrently([post(client) for client in clients])
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors[:3]
    refused = {r.json()["detail"] for r in results if r.status_code == 409}
    assert all("已被他人修改，请刷新" in detail for detail in refused), refused
    return Counter(r.status_code for r in results)


def assert_history_without_gap(case: Case, steps: int) -> None:
    events = list(case.events.order_by("recorded_at", "id"))
    assert len(events) == steps
    state = lifecycle.PLANNED
    for event in events:
        assert event.from_state == state, (event.action, event.from_state, state)
        state = event.to_state
    assert state == case.state


def test_fifty_identical_steps_at_every_state_one_wins_the_others_get_409(concurrent_db):
    ledger = make_ledger()
    case = ledger.case("DS14")
    parties = {
        "agent": api_clients(ledger.agent, N),
        "officer": api_clients(ledger.officer(case), N),
    }
    for steps, (action, side, extra) in enumerate(WALK, start=1):
        case.refresh_from_db()
        version = case.version
        url = f"/api/v1/cases/{case.pk}/{action}/"
        counts = fire(parties[side], url, {"version": version, **extra})
        assert counts == {200: 1, 409: N - 1}, (action, counts)
        case.refresh_from_db()
        assert case.version == version + 1, action
        assert_history_without_gap(case, steps)
    assert case.state == lifecycle.COMPLETED and case.result_number == "东政许字〔2026〕8号"


def test_fifty_different_steps_from_one_state_exactly_one_wins(concurrent_db):
    ledger = make_ledger()
    case = ledger.walk(ledger.case("DS14"), lifecycle.START, lifecycle.SUBMIT, lifecycle.ACCEPT)
    version = case.version
    officer = ledger.officer(case)
    choices = [
        ("approve", {"result_number": "东政许字〔2026〕9号"}),
        ("refuse", {"result_number": "东政不许字〔2026〕1号", "reason": "不符合规划"}),
        ("suspend", {"kind": "hearing", "reason": "听证"}),
        ("suspend", {"kind": "expert", "reason": "专家评审"}),  # (return is not legal here)
    ]
    clients = api_clients(officer, N)

    def post(i, client):
        action, extra = choices[i % len(choices)]
        url = f"/api/v1/cases/{case.pk}/{action}/"
        return lambda: client.post(url, {"version": version, **extra}, format="json")

    results = run_concurrently([post(i, client) for i, client in enumerate(clients)])

    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors[:3]
    assert Counter(r.status_code for r in results) == {200: 1, 409: N - 1}
    case.refresh_from_db()
    assert case.version == version + 1
    assert_history_without_gap(case, 4)
    assert case.state in {lifecycle.COMPLETED, lifecycle.SUSPENDED}
