"""The two columns the average days and the speed-up sum (``Case.days_used``,
``Case.legal_days``): set by the ledger's services when a case completes, and filled by the
migration for the cases completed before them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.utils import timezone

from bangban.cases import lifecycle
from bangban.cases.models import Case
from bangban.catalog.models import LimitUnit
from tests.cases.conftest import make_ledger

from .conftest import SHANGHAI, TODAY

pytestmark = pytest.mark.django_db

MIGRATION = "bangban.cases.migrations.0007_case_days_used_legal_days"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    moment = dt.datetime.combine(TODAY, dt.time(18, 0), tzinfo=SHANGHAI)
    monkeypatch.setattr(timezone, "now", lambda: moment)


def a_case_with_a_working_day_legal_limit(ledger) -> Case:
    for case in Case.objects.filter(commission=ledger.commission).select_related("item"):
        if case.legal_limit_unit == LimitUnit.WORKING and case.legal_limit:
            return case
    raise AssertionError("the factory project has a case with a legal limit in working days")


def test_completing_a_case_stores_its_days(db):
    """Accepted 11-02 (Mon), suspended 11-05..11-09 (2 WD: 11-06, 11-09), approved 11-12:
    (11-02, 11-12] = 8 WD, minus 2 → 6 used. The legal limit L working days, moved by the
    suspension: legal_due = L + 2 WD after 11-02 → legal_days = L + 2 − 2 = L."""
    ledger = make_ledger()
    case = a_case_with_a_working_day_legal_limit(ledger)
    legal = case.legal_limit
    on = {
        lifecycle.START: "2026-11-02",
        lifecycle.SUBMIT: "2026-11-02",
        lifecycle.ACCEPT: "2026-11-02",
        lifecycle.SUSPEND: "2026-11-05",
        lifecycle.RESUME: "2026-11-09",
    }
    for action, day in on.items():
        case = ledger.step(case, action, occurred_at=day)
        assert case.days_used is None and case.legal_days is None  # not completed yet
    case = ledger.step(case, lifecycle.APPROVE, occurred_at="2026-11-12")
    case.refresh_from_db()
    assert case.days_suspended == 2
    assert (case.days_used, case.legal_days) == (6, legal)
    assert case.events.get(action=lifecycle.APPROVE).backfilled  # said to be weeks ago


def test_a_case_without_a_legal_limit_has_no_legal_days(db):
    ledger = make_ledger()
    case = ledger.case("DS06")  # 工信 filing: no legal limit
    case = ledger.walk(case, lifecycle.START, lifecycle.SUBMIT, lifecycle.ACCEPT, on="2026-11-02")
    case = ledger.step(case, lifecycle.APPROVE, occurred_at="2026-11-04")
    case.refresh_from_db()
    assert (case.days_used, case.legal_days) == (2, None)  # 11-03, 11-04


def test_a_case_completed_the_day_it_was_accepted_used_0_days(db):
    ledger = make_ledger()
    case = ledger.case("DS06")
    case = ledger.walk(
        case,
        lifecycle.START,
        lifecycle.SUBMIT,
        lifecycle.ACCEPT,
        lifecycle.APPROVE,
        on="2026-11-02",
    )
    case.refresh_from_db()
    assert case.days_used == 0


def test_the_migration_fills_the_cases_completed_before_the_columns(db):
    import importlib

    migration = importlib.import_module(MIGRATION)
    ledger = make_ledger()
    case = a_case_with_a_working_day_legal_limit(ledger)
    case = ledger.walk(case, lifecycle.START, lifecycle.SUBMIT, lifecycle.ACCEPT, on="2026-11-02")
    case = ledger.step(case, lifecycle.APPROVE, occurred_at="2026-11-06")
    open_case = ledger.walk(ledger.case("DS06"), lifecycle.START)
    Case.objects.update(days_used=None, legal_days=None)  # as before the migration
    migration.fill_durations(apps, None)
    case.refresh_from_db()
    open_case.refresh_from_db()
    assert (case.days_used, case.legal_days) == (4, case.legal_limit)  # 11-03..11-06
    assert (open_case.days_used, open_case.legal_days) == (None, None)
