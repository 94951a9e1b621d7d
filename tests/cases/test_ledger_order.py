"""The ledger lists what needs doing first: open cases by due date (the overdue on top), then
those not yet accepted by planned finish, closed cases last — on SQLite as on PostgreSQL
(whose NULLs sort the other way by default)."""

import datetime as dt

import pytest

from bangban.cases import lifecycle
from bangban.cases.selectors import case_list_for

from .conftest import make_ledger

pytestmark = pytest.mark.django_db


def test_open_cases_by_due_date_first_then_unaccepted_then_closed():
    ledger = make_ledger()
    early = ledger.walk(
        ledger.case("DS14"),
        lifecycle.START,
        lifecycle.SUBMIT,
        lifecycle.ACCEPT,
        on=dt.datetime(2026, 9, 22, 10, 0, tzinfo=dt.UTC),
    )
    late = ledger.walk(ledger.case("DS06"), lifecycle.START, lifecycle.SUBMIT, lifecycle.ACCEPT)
    closed = ledger.walk(ledger.case("MA01"), lifecycle.NOT_NEEDED_ACTION)

    rows = list(case_list_for(ledger.agent))
    codes = [row.code for row in rows]

    assert early.due_date < late.due_date
    assert codes[:2] == ["DS14", "DS06"]
    assert codes[-1] == closed.code
    unaccepted = [row for row in rows[2:-1]]
    assert all(row.due_date is None for row in unaccepted)
    planned = [row.planned_due for row in unaccepted]
    assert planned == sorted(planned)
