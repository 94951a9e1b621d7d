"""Run callables at the same instant in threads, against a database that really locks.

Two parts:

``run_concurrently(fns)``
    Starts one thread per callable, holds them at a ``threading.Barrier`` so they all begin
    together, and returns each callable's result, or the exception it raised, in the order
    of ``fns``. Every thread closes its own database connections when its callable ends (a
    thread's connection is its own: Django keeps one per thread and alias). It refuses to run
    against SQLite's in-memory test database, whose locking is not the real one.

``concurrent_db`` (a pytest fixture)
    A committed, multi-connection database for the test, set up like a transactional test
    (``transactional_db``: the threads see what the test created, and the tables are flushed
    afterwards, so ask for ``reference_data`` in later transactional tests as usual).

    - **PostgreSQL** (``DATABASE_URL=postgres://…``, as in CI's second pass): the test database
      itself; every thread opens its own connection to it.
    - **SQLite**: pytest-django's test database is an in-memory, shared-cache database. There,
      connections share one page cache and collide with ``SQLITE_LOCKED`` (table locked), for
      which SQLite never applies the busy timeout, and WAL does not exist: a race there tells
      nothing about a real deployment. So for the test's duration the ``default`` alias is
      pointed at a **file**: the in-memory test database (migrated, with the reference data)
      is copied with SQLite's online backup API into a temporary file (a few milliseconds,
      no migration run), a fresh ``DATABASES["default"]`` dict naming that file replaces the
      one new connections are built from, and the test thread gets a connection to the file.
      Each connection opens with the project's real SQLite options from ``settings.py``
      (``transaction_mode`` IMMEDIATE, WAL, 20 s busy timeout), so the test sees what
      production sees. Afterwards the file is deleted and the in-memory database is the
      default again, untouched (its connection object is kept aside, never closed, as closing
      it would destroy it).

    Chosen over a subprocess with its own ``migrate`` (tens of seconds a run, and the scenario
    would have to be passed as a script) and over making the whole suite's SQLite test
    database a file (slower for every test, and the default for everyone's tests would change).

Usage (the fixture is imported into the conftest of the folders that use it)::

    def test_one_wins(concurrent_db, client_for):
        commission = CommissionFactory(...)
        results = run_concurrently([lambda: post(...) for _ in range(20)])
        assert sorted(r.status_code for r in results) == [200] + [409] * 19
"""

from __future__ import annotations

import contextlib
import io
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections

T = TypeVar("T")

#: How long the threads may take together before the run is declared hung (seconds): above
#: SQLite's 20 s busy timeout, so a thread waiting for the lock fails by itself first.
DEFAULT_TIMEOUT = 60.0


class ConcurrencyError(RuntimeError):
    """The harness itself could not run the callables as asked (not an error of a callable)."""


def run_concurrently(
    fns: list[Callable[[], T]], *, timeout: float = DEFAULT_TIMEOUT
) -> list[T | BaseException]:
    """Call every function of ``fns`` at the same moment, each in its own thread.

    Returns, in the order of ``fns``, what each returned or the exception it raised (never
    re-raised: the caller counts the outcomes). Each thread closes its database connections
    when done. Raises :class:`ConcurrencyError` when the threads do not finish within
    ``timeout`` seconds or when the database is SQLite in memory (use ``concurrent_db``).
    """
    if not fns:
        return []
    _refuse_in_memory_sqlite()
    barrier = threading.Barrier(len(fns))
    results: list[T | BaseException | None] = [None] * len(fns)

    def worker(index: int, fn: Callable[[], T]) -> None:
        try:
            barrier.wait(timeout=timeout)
            results[index] = fn()
        except BaseException as exc:  # reported to the caller, never lost
            results[index] = exc
        finally:
            connections.close_all()  # this thread's connections only

    threads = [
        threading.Thread(target=worker, args=(i, fn), name=f"concurrent-{i}", daemon=True)
        for i, fn in enumerate(fns)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    hung = [thread.name for thread in threads if thread.is_alive()]
    if hung:
        raise ConcurrencyError(f"{len(hung)} thread(s) still running after {timeout} s: {hung}")
    return results  # type: ignore[return-value]


def _refuse_in_memory_sqlite() -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        raise ConcurrencyError(
            "run_concurrently needs a file or server database: SQLite in memory has no real "
            "locking. Use the concurrent_db fixture (tests/concurrency.py)."
        )


# --- the database ---------------------------------------------------------------------------


@contextlib.contextmanager
def sqlite_file_copy(alias: str = DEFAULT_DB_ALIAS) -> Iterator[Path]:
    """Point ``alias`` at a file copy of its current (in-memory) SQLite database for the
    duration of the block, in this thread and in every thread started meanwhile."""
    original = connections[alias]
    original.ensure_connection()
    handler_settings = connections.settings
    original_dict = handler_settings[alias]
    with tempfile.TemporaryDirectory(prefix="bangban-race-") as folder:
        path = Path(folder) / "db.sqlite3"
        target = sqlite3.connect(path)
        try:
            original.connection.backup(target)
        finally:
            target.close()
        handler_settings[alias] = {
            **original_dict,
            "NAME": str(path),
            "OPTIONS": dict(original_dict.get("OPTIONS", {})),
        }
        connections[alias] = connections.create_connection(alias)
        try:
            yield path
        finally:
            connections[alias].close()
            handler_settings[alias] = original_dict
            connections[alias] = original


@pytest.fixture
def concurrent_db(transactional_db) -> Iterator[str]:
    """A database that several threads may write at once (see the module's docstring);
    yields its vendor ("sqlite" or "postgresql")."""
    from bangban.catalog.selectors import catalog_version_published

    if catalog_version_published() is None:  # an earlier transactional test flushed it
        call_command("load_reference", stdout=io.StringIO())
    vendor = connections[DEFAULT_DB_ALIAS].vendor
    if vendor == "sqlite" and connections[DEFAULT_DB_ALIAS].is_in_memory_db():
        with sqlite_file_copy():
            yield vendor
    else:
        yield vendor
