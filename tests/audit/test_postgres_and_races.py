"""The database's part: on PostgreSQL the application's own user cannot change or delete an
audit row (a trigger); concurrent writers never fork the chain (on SQLite and PostgreSQL:
``DATABASE_URL=postgres://… pytest tests/audit``)."""

import importlib

import pytest
from django.db import DatabaseError, connection, transaction

from bangban.audit.models import AuditRecord
from bangban.audit.services import audit_record
from tests.concurrency import run_concurrently
from tests.projects.factories import UserFactory

from .helpers import trigger_installed, verify

migration = importlib.import_module("bangban.audit.migrations.0002_immutable_on_postgresql")


@pytest.fixture
def postgres(db):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/test"
        )
    if not trigger_installed():  # the test database was built with --no-migrations
        with connection.cursor() as cursor:
            for statement in migration.INSTALL:
                cursor.execute(statement)
    assert trigger_installed()


def test_an_update_of_an_audit_row_fails_on_postgresql(postgres):
    record = audit_record(action="test.guarded", summary="原摘要")
    with (
        pytest.raises(DatabaseError, match="审计记录只可追加"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditrecord SET summary = %s WHERE id = %s", ["改", record.pk])
    with pytest.raises(DatabaseError, match="UPDATE"), transaction.atomic():
        AuditRecord.objects.filter(pk=record.pk).update(action="test.changed")
    record.refresh_from_db()
    assert (record.summary, record.action) == ("原摘要", "test.guarded")


def test_a_delete_of_an_audit_row_fails_on_postgresql(postgres):
    record = audit_record(action="test.guarded")
    with pytest.raises(DatabaseError, match="DELETE"), transaction.atomic():
        AuditRecord.objects.filter(pk=record.pk).delete()
    assert AuditRecord.objects.filter(pk=record.pk).exists()


def test_ten_concurrent_writers_keep_one_gapless_chain(concurrent_db):
    actor = UserFactory(username="audit_race_user")
    before = AuditRecord.objects.count()

    def write(i):
        def run():
            with transaction.atomic():
                audit_record(actor=actor, action="test.race", summary=f"并发第 {i} 条")
                # a second record in the same transaction, as a service writing two rows does
                return audit_record(actor=actor, action="test.race.second", summary=f"{i}")

        return run

    results = run_concurrently([write(i) for i in range(10)])

    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors
    sequences = list(AuditRecord.objects.order_by("sequence").values_list("sequence", flat=True))
    assert len(sequences) == before + 20
    assert sequences == list(range(1, len(sequences) + 1))
    intact, output = verify()
    assert intact, output
    # each transaction's two records are adjacent: appends were serialised per transaction
    race = list(
        AuditRecord.objects.filter(action__startswith="test.race")
        .order_by("sequence")
        .values_list("action", "summary")
    )
    for (first, first_summary), (second, second_summary) in zip(race[::2], race[1::2], strict=True):
        assert (first, second) == ("test.race", "test.race.second")
        assert first_summary == f"并发第 {second_summary} 条"
