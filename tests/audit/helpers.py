"""Shared by the audit tests: tampering with a stored record as an intruder with database
access would, and running verify_audit."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

TRIGGER = "audit_record_immutable"


def trigger_installed() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_trigger WHERE tgname = %s AND NOT tgisinternal", [TRIGGER])
        return cursor.fetchone() is not None


def tamper(sql: str, params: list) -> None:
    """Run raw SQL on the audit table. On PostgreSQL the table's owner first switches the
    trigger off (what an intruder holding the owner's password could do): the chain must
    reveal the change even then."""
    with connection.cursor() as cursor:
        guarded = trigger_installed()
        if guarded:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending
            cursor.execute(f"ALTER TABLE audit_auditrecord DISABLE TRIGGER {TRIGGER}")
        try:
            cursor.execute(sql, params)
        finally:
            if guarded:
                cursor.execute(f"ALTER TABLE audit_auditrecord ENABLE TRIGGER {TRIGGER}")


def verify() -> tuple[bool, str]:
    """Run ``manage.py verify_audit``: (intact?, its output or error message)."""
    out = io.StringIO()
    try:
        call_command("verify_audit", stdout=out)
    except CommandError as error:
        return False, str(error)
    return True, out.getvalue().strip()
