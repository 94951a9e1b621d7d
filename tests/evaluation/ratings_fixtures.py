"""The world of the after-service tests: a completed commission of the hand-worked factory
project (tests/cases), its agent, the enterprise's user, a centre admin and a supervisor of
东胜区 and the policy rows set to known values. Import the fixtures by name."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.test import Client
from rest_framework.test import APIClient

from bangban.accounts.models import Role
from bangban.cases.models import Case
from bangban.evaluation.models import AfterServicePolicy
from tests.cases.conftest import Ledger, make_ledger
from tests.cases.test_commission_completion import REFUSED, close_all, complete, start_work
from tests.projects.factories import AdminFactory, UserFactory, region

DONE = "DS14"  # approved and handed over (a completed case)


def set_policy(**values) -> AfterServicePolicy:
    """The platform default with ``values`` (and no regional row in the way)."""
    AfterServicePolicy.objects.exclude(region__isnull=True).delete()
    policy = AfterServicePolicy.objects.get(region__isnull=True)
    for name, value in values.items():
        setattr(policy, name, value)
    policy.save()
    return policy


@dataclass
class After:
    ledger: Ledger
    admin: object
    supervisor: object

    @property
    def commission(self):
        return self.ledger.commission

    @property
    def agent(self):
        return self.ledger.agent

    @property
    def enterprise(self):
        return self.ledger.enterprise_user

    def case(self, code: str = DONE) -> Case:
        return self.ledger.case(code)

    def officer(self, case: Case | None = None):
        return self.ledger.officer(case or self.case())


def make_after(*, share: str = "0", complete_it: bool = True) -> After:
    """A completed commission (one case approved, one refused, the rest closed) with the
    sampling share set to ``share`` before the completion."""
    set_policy(
        follow_up_share=Decimal(share),
        follow_up_after_days=10,
        rectification_days=5,
        bad_rating_visit_days=10,
    )
    ledger = make_ledger()
    start_work(ledger)
    close_all(ledger)
    if complete_it:
        complete(ledger)
        ledger.commission.refresh_from_db()
    place = ledger.commission.project.region
    admin = AdminFactory(region=place)
    supervisor = UserFactory(role=Role.SUPERVISOR, region=region("150600"), department=None)
    return After(ledger, admin, supervisor)


@pytest.fixture
def after(db) -> After:
    return make_after()


def page(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


__all__ = ["DONE", "REFUSED", "After", "after", "api", "make_after", "page", "set_policy"]
