"""Errand task orders name the cases that are 专业跑腿 for their project's region (the case's
own service mode, stored when the plan is fixed), not those whose item the catalog calls so.

Worked by hand from the data (data/catalog/items.yaml, data/organization/function_holders.yaml)
for the factory project placed in the 和林格尔新区 with lightning protection:

- DS53 防雷装置设计审核: the catalog says 帮办代办 at the 东胜区气象局; no function-holder row
  names it, so the 新区 project goes to that 东胜区 bureau, outside its service area → 专业跑腿.
- DS08 建设项目用地预审与选址意见书: the catalog says 专业跑腿 (zone level, promised); the
  新区's natural-resources row gives it to the 新区规划建设局 with 联审联批 → local, 联审联批.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bangban.cases.models import Case
from bangban.coordination.models import TaskOrder
from bangban.coordination.selectors import errand_case_choices, issuable_commissions_for
from bangban.organization.models import Region
from bangban.planning import services as plan_services
from tests.cases.conftest import AGREED_AT, Ledger
from tests.planning.test_plan_compute import FACTORY
from tests.projects.factories import (
    AgentFactory,
    CommissionFactory,
    DongshengProjectFactory,
    EnterpriseUserFactory,
)

from .conftest import make_world

pytestmark = pytest.mark.django_db

ERRAND_BY_REGION = "DS53"  # catalog 帮办代办, 专业跑腿 in the 新区
LOCAL_BY_REGION = "DS08"  # catalog 专业跑腿, 联审联批 in the 新区


def horinger_world():
    region = Region.objects.get(key="horinger-new-area")
    agent = AgentFactory()
    user = EnterpriseUserFactory()
    project = DongshengProjectFactory(
        enterprise=user.enterprise, region=region, lightning_protection=True, **FACTORY
    )
    commission = CommissionFactory(
        project=project, state="agreed", agent=agent, agreed_at=AGREED_AT
    )
    plan_services.plan_create(commission=commission)
    plan_services.plan_fix(commission=commission, actor=agent)
    commission.refresh_from_db()
    return make_world(Ledger(commission, agent, user))


@pytest.fixture
def horinger():
    return horinger_world()


def test_the_data_gives_the_combinations_the_tests_need(horinger):
    errand = horinger.ledger.case(ERRAND_BY_REGION)
    local = horinger.ledger.case(LOCAL_BY_REGION)
    assert (errand.item.service_mode, errand.service_mode) == ("bangban", "errand")
    assert errand.department.key == "dongsheng-qxj"
    assert (local.item.service_mode, local.service_mode) == ("errand", "joint")
    assert local.department.key == "horinger-ghjs"


def test_a_case_errand_by_its_region_is_offered_and_may_be_named(horinger):
    errand = horinger.ledger.case(ERRAND_BY_REGION)
    offered = {case.code for case in errand_case_choices(horinger.commission)}
    assert ERRAND_BY_REGION in offered
    assert LOCAL_BY_REGION not in offered
    assert horinger.commission in issuable_commissions_for(horinger.issuer)
    order = horinger.order(cases=[errand])
    assert list(order.cases.values_list("code", flat=True)) == [ERRAND_BY_REGION]


def test_a_case_local_in_its_region_is_refused_though_the_catalog_says_errand(horinger):
    local = horinger.ledger.case(LOCAL_BY_REGION)
    errand = horinger.ledger.case(ERRAND_BY_REGION)
    count = TaskOrder.objects.count()
    with pytest.raises(ValidationError) as caught:
        horinger.order(cases=[errand, local])
    assert caught.value.message_dict["cases"] == [
        "以下事项的服务方式不是专业跑腿：建设项目用地预审与选址意见书。"
    ]
    assert TaskOrder.objects.count() == count


def test_a_commission_with_errand_items_but_no_errand_case_is_not_offered():
    """Every catalog-专业跑腿 case made local (as a function-holder row can): the commission
    is no longer one to issue an order for, though its items are the catalog's errand ones."""
    world = make_world()
    assert world.commission in issuable_commissions_for(world.issuer)
    Case.objects.filter(commission=world.commission, service_mode="errand").update(
        service_mode="bangban"
    )
    assert world.commission.cases.filter(item__service_mode="errand").exists()
    assert world.commission not in issuable_commissions_for(world.issuer)
    assert not errand_case_choices(world.commission).exists()
    with pytest.raises(ValidationError):
        world.order(
            cases=list(world.commission.cases.filter(item__service_mode="errand")[:1]),
            due_date=timezone.localdate() + dt.timedelta(days=5),
        )
