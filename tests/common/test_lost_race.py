"""The last line of defence: a statement the database refuses because of another transaction
(SQLite busy or locked, a PostgreSQL deadlock, serialization failure or lock timeout) answers
409 「系统繁忙或数据已被他人修改，请刷新后重试。」 — JSON for the API, text for htmx, a page
otherwise — and never 500; any other database error still is a 500."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from django.db import IntegrityError, OperationalError, connection, transaction
from django.test import Client
from rest_framework.authtoken.models import Token

from bangban.common.exceptions import BUSY_MESSAGE, is_lost_race
from bangban.projects import services
from bangban.projects.models import Commission
from tests.concurrency import run_concurrently
from tests.projects.factories import AgentFactory, CommissionFactory


class FakePgError(Exception):
    def __init__(self, sqlstate: str):
        super().__init__(f"sqlstate {sqlstate}")
        self.sqlstate = sqlstate


def wrapped(cause: BaseException, message: str = "") -> OperationalError:
    """An OperationalError as Django raises it: the driver's error as its cause."""
    exc = OperationalError(message or str(cause))
    exc.__cause__ = cause
    return exc


def sqlite_error(message: str, code: int) -> sqlite3.OperationalError:
    exc = sqlite3.OperationalError(message)
    exc.sqlite_errorcode = code
    return exc


@pytest.mark.parametrize(
    "exc",
    [
        OperationalError("database is locked"),
        wrapped(sqlite_error("database is locked", 5)),  # SQLITE_BUSY
        wrapped(sqlite_error("database table is locked", 6)),  # SQLITE_LOCKED
        wrapped(sqlite_error("database is locked", 517), "x"),  # SQLITE_BUSY_SNAPSHOT
        wrapped(FakePgError("40001")),  # serialization_failure
        wrapped(FakePgError("40P01")),  # deadlock_detected
        wrapped(FakePgError("55P03")),  # lock_not_available
        OperationalError("deadlock detected"),
    ],
)
def test_lost_races_are_recognised(exc):
    assert is_lost_race(exc)


@pytest.mark.parametrize(
    "exc",
    [
        OperationalError("no such table: projects_commission"),
        wrapped(sqlite_error("disk I/O error", 10)),
        wrapped(FakePgError("57014"), "canceling statement due to statement timeout"),
        IntegrityError("database is locked"),  # not an OperationalError
        RuntimeError("database is locked"),
    ],
)
def test_other_errors_are_not_lost_races(exc):
    assert not is_lost_race(exc)


# --- pages and API, the race simulated ------------------------------------------------------


@pytest.fixture
def agent_and_commission(db):
    agent = AgentFactory()
    return agent, CommissionFactory(agent=agent)


def raising(exc):
    def service(**kwargs):
        raise exc

    return service


def browser(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


TERMINATE = {"version": 1, "t-reason_category": "conditions_lost", "t-note": "不再具备条件"}


def test_the_api_answers_409_json(agent_and_commission, monkeypatch):
    agent, commission = agent_and_commission
    monkeypatch.setattr(services, "commission_verify", raising(wrapped(FakePgError("40P01"))))
    answer = browser(agent).post(
        f"/api/v1/commissions/{commission.pk}/verify/",
        {"version": 1, "is_new_capacity": True},
        content_type="application/json",
    )
    assert answer.status_code == 409
    assert answer.json() == {"detail": BUSY_MESSAGE}


def test_a_page_post_answers_a_409_page(agent_and_commission, monkeypatch):
    agent, commission = agent_and_commission
    monkeypatch.setattr(
        services, "commission_terminate", raising(OperationalError("database is locked"))
    )
    detail = f"http://testserver/commissions/{commission.pk}/"
    answer = browser(agent).post(
        f"/commissions/{commission.pk}/terminate/", TERMINATE, HTTP_REFERER=detail
    )
    assert answer.status_code == 409
    text = answer.content.decode()
    assert BUSY_MESSAGE in text and f'href="{detail}"' in text


def test_an_htmx_post_answers_409_text(agent_and_commission, monkeypatch):
    agent, commission = agent_and_commission
    monkeypatch.setattr(services, "commission_terminate", raising(wrapped(FakePgError("40001"))))
    answer = browser(agent).post(
        f"/commissions/{commission.pk}/terminate/", TERMINATE, HTTP_HX_REQUEST="true"
    )
    assert answer.status_code == 409
    assert answer["Content-Type"].startswith("text/plain")
    assert answer.content.decode() == BUSY_MESSAGE


def test_another_database_error_is_still_a_500(agent_and_commission, monkeypatch):
    agent, commission = agent_and_commission
    monkeypatch.setattr(
        services, "commission_terminate", raising(OperationalError("no such table: x"))
    )
    answer = browser(agent).post(f"/commissions/{commission.pk}/terminate/", TERMINATE)
    assert answer.status_code == 500


# --- the race for real: a lock held by another connection -----------------------------------


def test_a_lock_held_by_another_transaction_answers_409_not_500(concurrent_db):
    """Another connection holds the commission's lock (on SQLite: the database's write lock)
    longer than this request waits: the request answers 409 with the busy message, writes
    nothing, and the holder is unaffected. (Token authentication: no session to save.)"""
    agent = AgentFactory()
    commission = CommissionFactory(agent=agent)
    token = Token.objects.create(user=agent)
    locked, release = threading.Event(), threading.Event()

    def hold_the_lock():
        with transaction.atomic():
            list(Commission.objects.select_for_update().filter(pk=commission.pk))
            locked.set()
            release.wait(30)
        return "held"

    def act_meanwhile():
        try:
            assert locked.wait(30)
            with connection.cursor() as cursor:  # wait 0.2 s for a lock instead of 20 s
                if concurrent_db == "sqlite":
                    cursor.execute("PRAGMA busy_timeout = 200")
                else:
                    cursor.execute("SET lock_timeout = '200ms'")
            return Client(raise_request_exception=False).post(
                f"/api/v1/commissions/{commission.pk}/verify/",
                {"version": 1, "is_new_capacity": True},
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Token {token.key}",
            )
        finally:
            release.set()

    held, answer = run_concurrently([hold_the_lock, act_meanwhile])

    assert held == "held"
    assert not isinstance(answer, BaseException), answer
    assert answer.status_code == 409, answer.content.decode()
    assert answer.json() == {"detail": BUSY_MESSAGE}
    commission.refresh_from_db()
    assert commission.version == 1 and commission.transitions.count() == 0


def test_the_sqlite_file_runs_in_wal_with_immediate_transactions(concurrent_db):
    if concurrent_db != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    assert connection.transaction_mode == "IMMEDIATE"
    assert not connection.is_in_memory_db()
