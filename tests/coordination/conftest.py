"""A fixed commission with its cases (tests/cases/conftest.py), the centre admin who
organises meetings, an investment-promotion bureau with its issuer, an errand company with
its staff, and helpers to build meetings and task orders through the services."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from bangban.accounts.models import Role
from bangban.catalog.models import ServiceMode
from bangban.coordination import services
from bangban.coordination.models import Meeting
from bangban.organization.models import Department
from tests.cases.conftest import make_ledger
from tests.projects.factories import AdminFactory, UserFactory


@dataclass
class World:
    ledger: object
    admin: object
    issuer: object
    bureau: object
    company: object
    errand: object

    @property
    def commission(self):
        return self.ledger.commission

    @property
    def agent(self):
        return self.ledger.agent

    def errand_cases(self):
        """The commission's 专业跑腿 cases (the case's mode in its region)."""
        return list(
            self.commission.cases.filter(service_mode=ServiceMode.ERRAND)
            .select_related("item", "department")
            .order_by("code")
        )

    def departments(self, n=2):
        """Departments of the commission's cases (participants, decision owners)."""
        ids = list(
            self.commission.cases.order_by("department_id")
            .values_list("department_id", flat=True)
            .distinct()
        )
        return list(Department.objects.filter(pk__in=ids).order_by("pk")[:n])

    def officer(self, department, role=Role.DEPT_OFFICER):
        return UserFactory(role=role, department=department, region=department.region)

    def meeting(self, *, when=None, **fields) -> Meeting:
        """A scheduled 会商联审会 hosted by the admin's department about the commission."""
        participants = fields.pop("participants", None) or self.departments()
        data = {
            "kind": Meeting.Kind.JOINT_REVIEW,
            "title": "年产5万吨项目会商联审会",
            "host_department": self.admin.department,
            "starts_at": when or timezone.now() - dt.timedelta(hours=2),
            "place": "东胜区政务服务中心三楼会议室",
            "participants": participants,
            "commissions": [self.commission],
            "cases": [],
            "agenda": "研究用地预审和规划许可的堵点。",
            "recurrence": "",
            "problems": ["用地预审材料不齐"],
        }
        data.update(fields)
        return services.meeting_create(actor=self.admin, **data)

    def held(self, **fields) -> Meeting:
        meeting = self.meeting(**fields)
        owner = meeting.participants.order_by("pk").first()
        return services.meeting_record_minutes(
            meeting=meeting,
            actor=self.admin,
            minutes="会议研究了用地预审问题。",
            decisions=[
                {"text": "三日内补齐用地预审材料", "owner_department": owner.pk},
            ],
            expected_version=meeting.version,
        )

    def order(self, *, cases=None, actor=None, **fields):
        data = {
            "company": self.company,
            "due_date": timezone.localdate() + dt.timedelta(days=20),
            "requirements": "按时办结",
        }
        data.update(fields)
        return services.task_order_issue(
            actor=actor or self.issuer,
            commission=self.commission,
            cases=cases if cases is not None else self.errand_cases()[:2],
            **data,
        )


def make_world(ledger=None) -> World:
    """The world around ``ledger`` (default: the 东胜区 factory's), its bureau and errand
    company in the project's region."""
    ledger = ledger or make_ledger()
    region = ledger.commission.project.region
    admin = AdminFactory(region=region)
    n = Department.objects.count()
    bureau = Department.objects.create(
        key=f"test-bureau-{n}",
        name=f"测试投资促进局{n}",
        region=region,
        kind=Department.Kind.GOVERNMENT,
        function=Department.Function.INVESTMENT_PROMOTION,
    )
    company = Department.objects.create(
        key=f"test-errand-{n}",
        name=f"测试跑腿服务有限公司{n}",
        region=region,
        kind=Department.Kind.ERRAND,
        function=Department.Function.OTHER,
    )
    issuer = UserFactory(role=Role.SPONSOR, department=bureau, region=region)
    errand = UserFactory(role=Role.ERRAND, department=company, region=region)
    return World(ledger, admin, issuer, bureau, company, errand)


@pytest.fixture
def world(db) -> World:
    return make_world()
