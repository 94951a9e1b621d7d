"""The people and helpers of the complaint and accountability tests (tests/evaluation/
test_complaints*.py, test_accountability*.py).

东胜区 (150602): a centre admin and two agents of 帮办代办室, a department officer;
鄂尔多斯市 (150600): a supervisor and a leader; 包头市 (150200): a supervisor of another
region. Complaints and records are made through the services.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from bangban.accounts.models import Role
from bangban.evaluation import accountability_services, complaints_services
from bangban.evaluation.models import AccountabilityRecord, Complaint, ComplaintEvent
from tests.projects.factories import (
    AdminFactory,
    AgentFactory,
    EnterpriseUserFactory,
    UserFactory,
    department,
    region,
)

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
#: A Monday of a month without public holidays: 15 working days later is Monday 2026-11-23
#: (Nov 3–6: 4, Nov 9–13: 9, Nov 16–20: 14, Nov 23: 15), and that is in the past.
RECEIVED = dt.datetime(2026, 11, 2, 10, 0, tzinfo=SHANGHAI)
DUE = dt.date(2026, 11, 23)


@dataclass
class World:
    admin: object
    supervisor: object
    leader: object
    agent: object
    colleague: object
    officer: object
    enterprise: object
    other_supervisor: object

    @property
    def office(self):
        return self.agent.department

    def register(self, actor=None, **fields) -> Complaint:
        data = {
            "channel": Complaint.Channel.HOTLINE_12345,
            "category": Complaint.Category.SHIRKING,
            "subject_user": self.agent,
            "complainant": "王先生",
            "complainant_contact": "13900000000",
            "content": "代办员对我公司委托的环评事项一拖再拖，超过承诺期限仍未申报。",
        }
        data.update(fields)
        return complaints_services.complaint_register(actor=actor or self.admin, **data)

    def assigned(self, handler=None, **fields) -> Complaint:
        complaint = self.register(**fields)
        return complaints_services.complaint_assign(
            complaint=complaint,
            actor=self.admin,
            handler=handler or self.supervisor,
            expected_version=complaint.version,
        )

    def concluded(self, finding="substantiated", **fields) -> Complaint:
        complaint = self.assigned(**fields)
        return complaints_services.complaint_conclude(
            complaint=complaint,
            actor=self.supervisor,
            finding=finding,
            handling="经调取台账和通话记录，该代办员超过承诺期限 6 个工作日未申报环评。",
            result="已责令代办员当日申报，并向王先生电话答复。",
            expected_version=complaint.version,
        )

    def notice(self, **fields) -> AccountabilityRecord:
        data = {
            "kind": AccountabilityRecord.Kind.CRITICISM,
            "source": AccountabilityRecord.Source.SUPERVISION,
            "category": Complaint.Category.RUDENESS,
            "subject_user": self.colleague,
            "number": "东政服督〔2026〕7号",
            "facts": "2026年11月5日，该代办员在窗口接待企业时语言生硬，斥责办事人员。",
            "decision": "对其予以通报批评，责令作出书面检查。",
            "occurred_on": dt.date(2026, 11, 5),
        }
        data.update(fields)
        return accountability_services.accountability_record_create(actor=self.supervisor, **data)


def make_world() -> World:
    ordos = region("150600")
    return World(
        admin=AdminFactory(display_name="管理员甲"),
        supervisor=UserFactory(
            role=Role.SUPERVISOR, region=ordos, department=None, display_name="督查甲"
        ),
        leader=UserFactory(role=Role.LEADER, region=ordos, department=None, display_name="领导甲"),
        agent=AgentFactory(display_name="代办员张三"),
        colleague=AgentFactory(display_name="代办员李四"),
        officer=UserFactory(role=Role.DEPT_OFFICER, department=department("dongsheng-zjj")),
        enterprise=EnterpriseUserFactory(),
        other_supervisor=UserFactory(
            role=Role.SUPERVISOR, region=region("150200"), department=None, display_name="包头督查"
        ),
    )


def snapshot() -> tuple:
    """What a refused write must leave as it was."""
    return (
        list(Complaint.objects.order_by("pk").values_list("pk", "state", "version", "handler_id")),
        ComplaintEvent.objects.count(),
        AccountabilityRecord.objects.count(),
    )
