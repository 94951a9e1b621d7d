"""The errand company's staff do the legwork on the cases of their accepted task order
(start, materials, submit, supplement, hand over) but do not drop or withdraw an item: that
stays the agent's decision."""

import pytest

from bangban.accounts.models import Role
from bangban.cases import lifecycle
from bangban.cases.actions import case_allowed_actions, case_may
from bangban.common.exceptions import ActionForbidden
from tests.projects.factories import UserFactory, department

from .conftest import make_ledger

pytestmark = pytest.mark.django_db


def test_errand_staff_do_the_legwork_but_neither_drop_nor_withdraw():
    ledger = make_ledger()
    company = department("horinger-zhenglian")
    errand = UserFactory(role=Role.ERRAND, department=company, region=company.region)
    case = ledger.case("DS14")
    assert not case_may(errand, case, lifecycle.START)  # not on an order of theirs yet
    case.errand_company = company
    case.save(update_fields=["errand_company"])
    case = ledger.case("DS14")

    assert case_allowed_actions(errand, case) == [lifecycle.START]
    assert case_may(ledger.agent, case, lifecycle.NOT_NEEDED_ACTION)
    case = ledger.step(case, lifecycle.START, actor=errand)  # the commission's first step
    assert case.state == lifecycle.PREPARING
    ledger.commission.refresh_from_db()
    assert ledger.commission.state == "in_progress"
    assert set(case_allowed_actions(errand, case)) == {lifecycle.MATERIALS, lifecycle.SUBMIT}
    with pytest.raises(ActionForbidden):
        ledger.step(case, lifecycle.WITHDRAW, actor=errand)
    with pytest.raises(ActionForbidden):
        ledger.step(case, lifecycle.NOT_NEEDED_ACTION, actor=errand)
    case.refresh_from_db()
    assert case.state == lifecycle.PREPARING
