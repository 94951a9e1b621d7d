"""The back-fill of ``Case.service_mode`` (migration cases/0006): a case created before the
column gets its item's catalog mode; the case created from a plan keeps the plan's (tested in
tests/planning/test_plan_regions.py)."""

import importlib

import pytest
from django.apps import apps

from bangban.cases.models import Case

pytestmark = pytest.mark.django_db

migration = importlib.import_module("bangban.cases.migrations.0006_case_service_mode")


def test_the_back_fill_gives_each_older_case_its_items_catalog_mode(ledger):
    cases = Case.objects.filter(commission=ledger.commission)
    expected = {case.code: case.item.service_mode for case in cases.select_related("item")}
    assert {"bangban", "errand"} <= set(expected.values())  # both kinds in the factory plan
    cases.update(service_mode="")  # as the column was added
    migration.catalog_mode(apps, None)
    assert dict(cases.values_list("code", "service_mode")) == expected
