"""Twenty identical coordination steps at the same instant, through the API: one wins, the
others are told "已被他人修改" (409), none answers 500 — on a SQLite file as on PostgreSQL."""

from __future__ import annotations

from collections import Counter

from rest_framework.test import APIClient

from tests.concurrency import concurrent_db, run_concurrently

from .conftest import make_world

__all__ = ["concurrent_db"]  # the fixture, for pytest

N = 20


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


def test_twenty_errand_staff_accept_one_task_order_once(concurrent_db):
    world = make_world()
    order = world.order()
    events = order.events.count()

    counts = fire(
        world.errand, f"/api/v1/task-orders/{order.pk}/accept/", {"version": order.version}
    )

    assert counts == {200: 1, 409: N - 1}, counts
    order.refresh_from_db()
    assert order.state == "accepted"
    assert order.events.count() == events + 1


def test_twenty_minutes_of_one_meeting_are_recorded_once(concurrent_db):
    world = make_world()
    meeting = world.meeting()
    owner = meeting.participants.order_by("pk").first()
    payload = {
        "version": meeting.version,
        "minutes": "会议研究了用地预审问题。",
        "decisions": [{"text": "三日内补齐用地预审材料", "owner_department": owner.pk}],
    }

    counts = fire(world.admin, f"/api/v1/meetings/{meeting.pk}/minutes/", payload)

    assert counts == {200: 1, 409: N - 1}, counts
    meeting.refresh_from_db()
    assert meeting.state == "held"
    assert meeting.action_items.count() == 1
