"""Issue 11: a case's clock runs on the limits of the item's tier for the project (taken from
the plan when the case is created), not on the item's own.

The factory's 水土保持 (DS43, 3 ha < 5 ha) falls in the 报告表 tier: 承诺制, 即办 (promised 0)
where the item says 5 WD. The data's tiers share the item's legal limit, so the test gives the
报告表 tier a legal limit of its own (3 WD) and works the dates by hand from the 2026
calendar (domain-data §4.2: 中秋节 Fri 09-25 – Sun 09-27; 国庆 10-01 – 10-07, Sat 10-10 a
working day).
"""

import datetime as dt

import pytest

from bangban.cases import lifecycle
from bangban.cases.deadlines import legal_due
from bangban.catalog.models import ItemTier
from bangban.planning.catalog import catalog_compiled_cache_clear
from bangban.workdays.selectors import get_calendar

from .conftest import make_ledger

pytestmark = pytest.mark.django_db
D = dt.date
ACCEPTED = dt.datetime(2026, 9, 22, 10, 0, tzinfo=dt.UTC)  # Tue 09-22


@pytest.fixture
def form_tier_of_three_days():
    tier = ItemTier.objects.get(
        item__version__status="published", item__code="DS43", label__startswith="水土保持方案报告表"
    )
    assert tier.kind == "immediate" and tier.legal_limit_days == 10  # as the data has it
    tier.legal_limit_days = 3
    tier.save()
    catalog_compiled_cache_clear()  # the compiled catalog is cached per version
    yield tier
    catalog_compiled_cache_clear()


def test_the_case_takes_the_tier_limits_and_its_clock_runs_on_them(form_tier_of_three_days):
    ledger = make_ledger()
    case = ledger.case("DS43")
    assert case.item.legal_limit_days == 10 and case.item.promised_limit_days == 5
    assert (case.legal_limit, case.legal_limit_unit, case.promised_limit) == (3, "working", 0)
    case = ledger.walk(case, lifecycle.START, lifecycle.SUBMIT, lifecycle.ACCEPT, on=ACCEPTED)
    case.refresh_from_db()
    assert case.accepted_on == D(2026, 9, 22)
    assert case.limit_days == 0 and case.due_date == D(2026, 9, 22)  # 即办: the same day
    # 3 WD after Tue 09-22: Wed 23, Thu 24, (中秋 25–27), Mon 28. The item's 10 WD would
    # have run to Tue 10-13.
    assert case.legal_due == D(2026, 9, 28)


def test_a_case_without_tier_limits_reads_its_item():
    ledger = make_ledger()
    case = ledger.walk(
        ledger.case("DS43"), lifecycle.START, lifecycle.SUBMIT, lifecycle.ACCEPT, on=ACCEPTED
    )
    case.refresh_from_db()
    assert case.legal_due == D(2026, 10, 13)  # the data's 10 WD (tier = item)
    case.legal_limit_unit = ""  # as a case created before the columns
    case.legal_limit = None
    assert legal_due(case, get_calendar(), 0) == D(2026, 10, 13)


def test_the_case_api_shows_the_tier_limits(form_tier_of_three_days):
    from rest_framework.test import APIClient

    ledger = make_ledger()
    case = ledger.case("DS43")
    api = APIClient()
    api.force_authenticate(ledger.officer(case))
    item = api.get(f"/api/v1/cases/{case.pk}/").json()["item"]
    assert (item["promised_limit_days"], item["legal_limit_days"]) == (0, 3)
    assert item["legal_limit_unit"] == "working"
