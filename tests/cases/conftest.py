"""A fixed commission of the hand-worked factory project (tests/planning/test_plan_compute),
its agent, the officers and helpers of its cases' departments, and the enterprise's user."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

import pytest

from bangban.accounts.models import Role
from bangban.cases import lifecycle
from bangban.cases.models import Case, CaseMaterial
from bangban.cases.services import case_transition
from bangban.planning import services as plan_services
from tests.planning.test_plan_compute import FACTORY
from tests.projects.factories import (
    AgentFactory,
    CommissionFactory,
    DongshengProjectFactory,
    EnterpriseUserFactory,
    UserFactory,
)

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
AGREED_AT = dt.datetime(2026, 9, 21, 9, 30, tzinfo=SHANGHAI)


@dataclass
class Ledger:
    commission: object
    agent: object
    enterprise_user: object

    def case(self, code: str) -> Case:
        return Case.objects.select_related("item", "department").get(
            commission=self.commission, code=code
        )

    def officer(self, case: Case, role=Role.DEPT_OFFICER):
        return UserFactory(role=role, department=case.department, region=case.department.region)

    def helper(self, case: Case):
        return self.officer(case, Role.DEPT_HELPER)

    def step(self, case: Case, action: str, actor=None, **kwargs) -> Case:
        """One step by its side's party (the agent, or the case department's officer)."""
        if actor is None:
            side = lifecycle.find(action, case.state).side
            actor = self.agent if side == lifecycle.AGENT_SIDE else self.officer(case)
        data = kwargs.pop("data", {})
        if action in lifecycle.REASON_REQUIRED:
            kwargs.setdefault("reason", "测试原因")
        if action in (lifecycle.APPROVE, lifecycle.REFUSE):
            data.setdefault("result_number", "东政许字〔2026〕1号")
        if action == lifecycle.SUSPEND:
            data.setdefault("kind", "expert")
        if action == lifecycle.ACCEPT_GAPS and "missing" not in data:
            data["missing"] = [non_core(case).pk]
        if action == lifecycle.HAND_OVER:
            data.setdefault("handed_over_to", "王经理")
        if action == lifecycle.MATERIALS:
            data.setdefault("statuses", {str(m.pk): "received" for m in case.materials.all()})
        if action == lifecycle.PREREVIEW:
            kwargs.setdefault("reason", "材料基本齐全")
        return case_transition(
            case=case,
            action=action,
            actor=actor,
            expected_version=case.version,
            data=data,
            **kwargs,
        )

    def walk(self, case: Case, *actions: str, on=None) -> Case:
        """Take ``actions`` in turn, each said to happen on ``on`` (default: now)."""
        for action in actions:
            case = self.step(case, action, occurred_at=on)
        return case


def non_core(case: Case) -> CaseMaterial:
    return case.materials.filter(is_core=False).first()


#: A path from planned to each state, through the real services.
PATHS = {
    lifecycle.PLANNED: (),
    lifecycle.PREPARING: (lifecycle.START,),
    lifecycle.SUBMITTED: (lifecycle.START, lifecycle.SUBMIT),
    lifecycle.ACCEPTED: (lifecycle.START, lifecycle.SUBMIT, lifecycle.ACCEPT),
    lifecycle.ACCEPTED_GAPS: (lifecycle.START, lifecycle.SUBMIT, lifecycle.ACCEPT_GAPS),
    lifecycle.SUSPENDED: (lifecycle.START, lifecycle.SUBMIT, lifecycle.ACCEPT, lifecycle.SUSPEND),
    lifecycle.COMPLETED: (lifecycle.START, lifecycle.SUBMIT, lifecycle.ACCEPT, lifecycle.APPROVE),
    lifecycle.NOT_NEEDED: (lifecycle.NOT_NEEDED_ACTION,),
    lifecycle.WITHDRAWN: (lifecycle.START, lifecycle.WITHDRAW),
}


def make_ledger(**commission_fields) -> Ledger:
    agent = AgentFactory()
    user = EnterpriseUserFactory()
    project = DongshengProjectFactory(enterprise=user.enterprise, **FACTORY)
    commission = CommissionFactory(
        project=project, state="agreed", agent=agent, agreed_at=AGREED_AT, **commission_fields
    )
    plan_services.plan_create(commission=commission)
    plan_services.plan_fix(commission=commission, actor=agent)
    commission.refresh_from_db()
    return Ledger(commission, agent, user)


@pytest.fixture
def ledger(db) -> Ledger:
    return make_ledger()
