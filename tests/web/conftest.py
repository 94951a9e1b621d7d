"""A centre built by hand for the workbench tests: one user per role and, per call of
:meth:`Centre.grow`, one unit of everybody's work (a commission with its cases, one of them
overdue and one due soon, a case waiting in the department's inbox, an application nobody has
claimed, a verified and a completed commission of the enterprise, a bad rating's
rectification, a sampled follow-up visit, an escalation, a meeting decision, a task order).

The ``other_*`` users hold the same roles elsewhere (another agent of the centre, another
department, leader, supervisor, centre admin, sponsor, errand company, enterprise): a
workbench shows its own user's rows and never theirs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from bangban.accounts.models import Role
from bangban.cases import lifecycle as case_lifecycle
from bangban.cases.models import Case, Escalation
from bangban.evaluation.models import FollowUpVisit, Level, Rating, Rectification
from bangban.organization.models import Department
from bangban.planning import services as plan_services
from bangban.projects.models import Project
from tests.cases.conftest import AGREED_AT, Ledger
from tests.coordination.conftest import World
from tests.planning.test_plan_compute import FACTORY
from tests.projects.factories import (
    AdminFactory,
    AgentFactory,
    CommissionFactory,
    DongshengProjectFactory,
    EnterpriseUserFactory,
    UserFactory,
    region,
)


def ledger_for(agent, enterprise_user) -> Ledger:
    """The hand-worked factory commission (tests/cases/conftest.py) held by ``agent`` for
    ``enterprise_user``'s enterprise, its plan fixed (cases created, commission planned)."""
    project = DongshengProjectFactory(enterprise=enterprise_user.enterprise, **FACTORY)
    commission = CommissionFactory(
        project=project, state="agreed", agent=agent, agreed_at=AGREED_AT
    )
    plan_services.plan_create(commission=commission)
    plan_services.plan_fix(commission=commission, actor=agent)
    commission.refresh_from_db()
    return Ledger(commission, agent, enterprise_user)


def set_clock(case: Case, *, due: dt.date, warn_from: dt.date | None = None) -> Case:
    """Put ``case`` under review with its clock running to ``due`` (hand-set, as the ledger
    would store it): red once ``due`` has passed, yellow from ``warn_from``."""
    Case.objects.filter(pk=case.pk).update(
        state=case_lifecycle.ACCEPTED,
        accepted_on=due - dt.timedelta(days=20),
        due_date=due,
        warn_from=warn_from or due - dt.timedelta(days=3),
    )
    case.refresh_from_db()
    return case


def rectification(commission, rater, *, agent=None, department=None, due: dt.date, **fields):
    """A 不满意 rating of ``commission`` and the rectification it opened (hand-built)."""
    rating = Rating.objects.create(
        commission=commission,
        level=Level.DISSATISFIED,
        source=Rating.Source.PORTAL,
        rated_by=rater,
        comment="办理进度反馈不及时",
    )
    return Rectification.objects.create(
        rating=rating,
        commission=commission,
        agent=agent,
        department=department,
        due_date=due,
        **fields,
    )


def officer_of(department, role=Role.DEPT_OFFICER):
    return UserFactory(role=role, department=department, region=department.region)


def visit(commission, *, due: dt.date, reason=FollowUpVisit.Reason.SAMPLED) -> FollowUpVisit:
    return FollowUpVisit.objects.create(commission=commission, reason=reason, due_date=due)


@dataclass
class Centre:
    agent: object
    colleague: object
    enterprise: object
    other_enterprise: object
    admin: object
    other_admin: object
    leader: object
    other_leader: object
    supervisor: object
    other_supervisor: object
    issuer: object
    other_sponsor: object
    bureau: object
    company: object
    errand: object
    other_errand: object
    officer: object = None
    other_officer: object = None
    department: object = None
    ledgers: list = field(default_factory=list)

    @property
    def today(self) -> dt.date:
        return timezone.localdate()

    def grow(self, agent=None) -> Ledger:
        """One more unit of everybody's work (see the module's docstring), the commissions
        held by ``agent`` (default: the centre's agent)."""
        agent = agent or self.agent
        today = self.today
        ledger = ledger_for(agent, self.enterprise)
        Project.objects.filter(pk=ledger.commission.project_id).update(sponsor=self.issuer)
        overdue = set_clock(ledger.case("DS14"), due=today - dt.timedelta(days=5))
        due_soon = set_clock(
            ledger.case("DS22"),
            due=today + dt.timedelta(days=2),
            warn_from=today - dt.timedelta(days=1),
        )
        if self.department is None:
            assert overdue.department_id != due_soon.department_id
            self.department = overdue.department
            self.officer = officer_of(self.department)
            self.other_officer = officer_of(due_soon.department)
        # the agent's commissions waiting for its step, the enterprise's to sign and confirm
        CommissionFactory(
            project__enterprise=self.enterprise.enterprise, agent=agent, state="verified"
        )
        completed = CommissionFactory(
            project__enterprise=self.enterprise.enterprise,
            agent=agent,
            state="completed",
            completed_at=timezone.now(),
        )
        CommissionFactory(project__name="待认领的新申请")  # applied, nobody's yet
        rectification(
            completed,
            self.enterprise,
            agent=agent,
            department=self.department,
            due=today - dt.timedelta(days=1),
        )
        visit(completed, due=today)
        Escalation.objects.create(
            commission=ledger.commission,
            case=overdue,
            kind=Escalation.Kind.MANUAL,
            problem="用地预审卡在市级，需要领导协调",
            raised_by=agent,
            leader=self.leader,
        )
        world = World(ledger, self.admin, self.issuer, self.bureau, self.company, self.errand)
        world.held(participants=[self.department])
        world.order()
        self.ledgers.append(ledger)
        return ledger


@pytest.fixture
def centre(db) -> Centre:
    """The users of the centre (东胜区) and their counterparts elsewhere; no work yet."""
    dongsheng, kangbashi, city = region("150602"), region("150603"), region("150600")
    n = Department.objects.count()
    bureau = Department.objects.create(
        key=f"wb-bureau-{n}",
        name="测试投资促进局",
        region=dongsheng,
        kind=Department.Kind.GOVERNMENT,
        function=Department.Function.INVESTMENT_PROMOTION,
    )
    companies = [
        Department.objects.create(
            key=f"wb-errand-{n}-{i}",
            name=f"测试跑腿服务有限公司{i}",
            region=dongsheng,
            kind=Department.Kind.ERRAND,
            function=Department.Function.OTHER,
        )
        for i in (1, 2)
    ]
    agent = AgentFactory(username="wb-agent")
    return Centre(
        agent=agent,
        colleague=AgentFactory(username="wb-colleague", department=agent.department),
        enterprise=EnterpriseUserFactory(username="wb-enterprise"),
        other_enterprise=EnterpriseUserFactory(username="wb-enterprise2"),
        admin=AdminFactory(username="wb-admin", region=dongsheng),
        other_admin=AdminFactory(username="wb-admin2", region=kangbashi),
        leader=UserFactory(
            username="wb-leader", role=Role.LEADER, region=dongsheng, department=None
        ),
        other_leader=UserFactory(
            username="wb-leader2", role=Role.LEADER, region=city, department=None
        ),
        supervisor=UserFactory(
            username="wb-sup", role=Role.SUPERVISOR, region=dongsheng, department=None
        ),
        other_supervisor=UserFactory(
            username="wb-sup2", role=Role.SUPERVISOR, region=kangbashi, department=None
        ),
        issuer=UserFactory(
            username="wb-sponsor", role=Role.SPONSOR, department=bureau, region=dongsheng
        ),
        other_sponsor=UserFactory(
            username="wb-sponsor2",
            role=Role.SPONSOR,
            department=Department.objects.get(key="dongsheng-gxj"),
            region=dongsheng,
        ),
        bureau=bureau,
        company=companies[0],
        errand=UserFactory(
            username="wb-errand", role=Role.ERRAND, department=companies[0], region=dongsheng
        ),
        other_errand=UserFactory(
            username="wb-errand2", role=Role.ERRAND, department=companies[1], region=dongsheng
        ),
    )
