"""The planner's accuracy: which items agents removed from or added to the automatic drafts.

Every plan below is the factory project of tests/planning/test_plan_compute (its draft holds
FACTORY_ITEMS, among them DS20 征收林地初审 and DS14; DS53 防雷装置设计审核 is not in it),
made through the real planning services:

    P1  draft: remove DS20, add DS53; fixed
    P2  draft: remove DS20 then add it back (both adjustments withdrawn); fixed; after fixing:
        add DS53, DS14 不需办理
    P3  draft: remove DS20; fixed; after fixing DS20 added back (in the draft after all)
    P4  draft: remove DS20 — never fixed (a draft may still change: not counted)
    P5  like P1 but created the year before (outside the period)

    DS20: drafted in P1 P2 P3 = 3; removed (still) in P1 = 1; added 0 → removal 1/3,
          correction (1 + 0 + 0) / (3 + 0) = 1/3
    DS53: drafted 0; added in P1 and P2 = 2 → correction 2 / 2 = 1, removal share none
    DS14: drafted 3; not needed in P2 = 1 → correction 1/3
    any other factory item: drafted 3, no correction
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bangban.accounts.models import Role
from bangban.catalog.models import Item
from bangban.planning import services as plan_services
from bangban.planning.models import Plan
from bangban.supervision.metrics import Period, accuracy_plans, planner_accuracy
from tests.cases.conftest import AGREED_AT
from tests.planning.test_plan_compute import FACTORY, FACTORY_ITEMS
from tests.projects.factories import (
    AgentFactory,
    CommissionFactory,
    DongshengProjectFactory,
    EnterpriseUserFactory,
    UserFactory,
    region,
)

pytestmark = pytest.mark.django_db


def draft():
    agent = AgentFactory()
    user = EnterpriseUserFactory()
    project = DongshengProjectFactory(enterprise=user.enterprise, **FACTORY)
    commission = CommissionFactory(
        project=project, state="agreed", agent=agent, agreed_at=AGREED_AT
    )
    plan_services.plan_create(commission=commission)
    return commission, agent


def adjust(commission, agent, kind, code):
    plan_services.plan_adjust(
        commission=commission, actor=agent, kind=kind, code=code, reason="现场核实"
    )


def fix(commission, agent):
    plan_services.plan_fix(commission=commission, actor=agent)


def build_plans():
    c1, a1 = draft()
    adjust(c1, a1, "remove", "DS20")
    adjust(c1, a1, "add", "DS53")
    fix(c1, a1)

    c2, a2 = draft()
    adjust(c2, a2, "remove", "DS20")
    adjust(c2, a2, "add", "DS20")
    fix(c2, a2)
    plan_services.plan_case_add(commission=c2, actor=a2, code="DS53", reason="有易燃溶剂仓库")
    plan_services.plan_case_not_needed(commission=c2, actor=a2, code="DS14", reason="无需办理")

    c3, a3 = draft()
    adjust(c3, a3, "remove", "DS20")
    fix(c3, a3)
    plan_services.plan_case_add(commission=c3, actor=a3, code="DS20", reason="园区手续未覆盖")

    c4, a4 = draft()
    adjust(c4, a4, "remove", "DS20")

    c5, a5 = draft()
    adjust(c5, a5, "remove", "DS20")
    adjust(c5, a5, "add", "DS53")
    fix(c5, a5)
    created = Plan.objects.get(commission=c5).created_at
    Plan.objects.filter(commission=c5).update(
        created_at=created.replace(year=created.year - 1, month=6, day=15)
    )
    return Plan.objects.get(commission=c1).created_at


@pytest.fixture
def period(db) -> Period:
    created = build_plans()
    return Period.year(created.year)


@pytest.fixture
def supervisor(db):
    return UserFactory(role=Role.SUPERVISOR, department=None, region=region("150602"))


def test_accuracy_per_item(period, supervisor):
    rows = {row.code: row for row in planner_accuracy(supervisor, period)}
    assert accuracy_plans(supervisor, period).count() == 3
    ds20, ds53, ds14 = rows["DS20"], rows["DS53"], rows["DS14"]
    assert (ds20.drafted, ds20.removed, ds20.added, ds20.not_needed) == (3, 1, 0, 0)
    assert ds20.removal_share == pytest.approx(1 / 3)
    assert ds20.correction_share == pytest.approx(1 / 3)
    assert (ds53.drafted, ds53.removed, ds53.added, ds53.not_needed) == (0, 0, 2, 0)
    assert ds53.removal_share is None
    assert ds53.correction_share == 1.0
    assert (ds14.drafted, ds14.removed, ds14.added, ds14.not_needed) == (3, 0, 0, 1)
    assert ds14.correction_share == pytest.approx(1 / 3)
    untouched = set(FACTORY_ITEMS) - {"DS20", "DS14"}
    for code in untouched:
        row = rows[code]
        assert (row.drafted, row.removed, row.added, row.not_needed) == (3, 0, 0, 0), code
    assert set(rows) == set(FACTORY_ITEMS) | {"DS53"}
    # the worst rule first: DS53 (every time wrong), then DS20 and DS14, the rest after
    assert [row.code for row in planner_accuracy(supervisor, period)][:3] == [
        "DS53",
        "DS20",
        "DS14",
    ]


def test_each_row_shows_the_rule_that_selects_the_item(period, supervisor):
    rows = {row.code: row for row in planner_accuracy(supervisor, period)}
    item = Item.objects.get(version__number=rows["DS20"].catalog_version, code="DS20")
    assert rows["DS20"].rule == item.condition
    assert rows["DS20"].rule  # DS20 is selected by a condition on forest land
    assert rows["DS20"].name == item.name
    assert rows["DS20"].stage == item.stage
    assert rows["DS20"].removal_percent == "33.3%"
    assert rows["DS53"].removal_percent == "—"


def test_other_regions_and_other_roles_see_nothing(period):
    baotou = UserFactory(role=Role.SUPERVISOR, department=None, region=region("150200"))
    assert planner_accuracy(baotou, period) == []
    enterprise = UserFactory(role=Role.ENTERPRISE, department=None)
    assert planner_accuracy(enterprise, period) == []


def test_the_period_decides_which_plans_count(period, supervisor):
    last_year = Period.year(period.start.year - 1)
    rows = {row.code: row for row in planner_accuracy(supervisor, last_year)}
    assert (rows["DS20"].drafted, rows["DS20"].removed) == (1, 1)
    assert rows["DS53"].added == 1


def test_a_constant_number_of_queries(db, supervisor):
    created = build_plans()
    period = Period.year(created.year)
    user = type(supervisor).objects.select_related("region").get(pk=supervisor.pk)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert planner_accuracy(user, period)
        return len(queries)

    small = count()
    build_plans()
    assert count() == small
    assert small <= 3


def test_the_demo_adds_an_item_to_a_draft_and_it_shows(supervisor):
    from bangban.web.demo_metrics import demo_planner_adjustments

    commission, agent = draft()
    assert demo_planner_adjustments(commission, agent) == "演示方案调整：添加 DS53。"
    fix(commission, agent)
    created = Plan.objects.get(commission=commission).created_at
    rows = {row.code: row for row in planner_accuracy(supervisor, Period.year(created.year))}
    assert rows["DS53"].added == 1
    assert demo_planner_adjustments(commission, agent) == ""  # fixed: nothing more
