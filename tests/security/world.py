"""Two parties for the scoping tests: "us" in 东胜区 and 鄂尔多斯市 (one user of every role),
and "the other party" in 包头稀土高新区 — one object of every scoped kind, each carrying the
marker 「界外」 in its text (and the other commission's number), so a response that leaks one
is caught by searching its body."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone

from bangban.accounts.models import LoginLock, Role
from bangban.cases.models import Case, CaseMaterial, Escalation
from bangban.catalog.models import ServiceMode
from bangban.coordination import services as coordination
from bangban.coordination.models import Meeting
from bangban.documents.models import Attachment
from bangban.eligibility.models import EligibilityCheck
from bangban.evaluation.models import (
    AccountabilityRecord,
    AfterServicePolicy,
    Complaint,
    FollowUpVisit,
    Level,
    Rating,
    Rectification,
)
from bangban.notifications.models import Channel, Notification
from bangban.organization.models import Department, FunctionHolder, RoutingRule
from bangban.planning import services as planning
from bangban.projects.models import CommissionTransition
from bangban.supervision.metrics import Period
from bangban.supervision.models import MonthlyReport, StaffingMinimum
from bangban.supervision.reports import SYSTEM, due_date_of, monthly_figures
from bangban.web.access import CENTRE_ADMIN_GROUP
from tests.cases.conftest import AGREED_AT
from tests.planning.test_plan_compute import FACTORY
from tests.projects.factories import (
    AdminFactory,
    AgentFactory,
    CommissionFactory,
    ConsultationFactory,
    DongshengProjectFactory,
    EnterpriseFactory,
    EnterpriseUserFactory,
    ProjectFactory,
    UserFactory,
    department,
    make_credit_code,
    region,
)

MARK = "界外"
OTHER_REGION = "150271"  # 包头稀土高新技术产业开发区: outside every viewer's region subtree


@dataclass
class World:
    users: dict[str, object]  # role value → a user of ours
    other: dict[str, object]  # kind → the other party's object
    own: dict[str, object] = field(default_factory=dict)

    @property
    def markers(self) -> tuple[str, ...]:
        return (MARK, self.other["commission"].number)


def _department(key, name, region_, kind=Department.Kind.GOVERNMENT, function="other"):
    return Department.objects.create(
        key=key, name=name, region=region_, kind=kind, function=function
    )


def _attachment(name: str, purpose: str) -> Attachment:
    return Attachment.objects.create(
        file=f"attachments/jiewai-{purpose}.sm4",
        name=name,
        kind="pdf",
        size=1,
        digest="0" * 64,
        purpose=purpose,
        key_id="0123456789abcdef",
        wrapped_key="x",
    )


def build_world() -> World:
    bt = region(OTHER_REGION)
    ds = region("150602")
    ds_company = _department("test-ds-errand", "东胜区测试跑腿公司", ds, Department.Kind.ERRAND)
    users = {
        Role.ENTERPRISE: EnterpriseUserFactory(username="m-enterprise"),
        Role.SPONSOR: UserFactory(
            username="m-sponsor",
            role=Role.SPONSOR,
            region=region("ordos-hitech"),
            department=department("ordos-hitech-tcj"),
        ),
        Role.AGENT: AgentFactory(username="m-agent"),
        Role.DEPT_OFFICER: UserFactory(
            username="m-officer", role=Role.DEPT_OFFICER, department=department("dongsheng-zjj")
        ),
        Role.DEPT_HELPER: UserFactory(
            username="m-helper", role=Role.DEPT_HELPER, department=department("dongsheng-zrzy")
        ),
        Role.CENTRE_ADMIN: AdminFactory(username="m-admin", is_staff=True),
        Role.ERRAND: UserFactory(username="m-errand", role=Role.ERRAND, department=ds_company),
        Role.SUPERVISOR: UserFactory(
            username="m-supervisor", role=Role.SUPERVISOR, region=region("150600"), department=None
        ),
        Role.LEADER: UserFactory(
            username="m-leader", role=Role.LEADER, region=region("150600"), department=None
        ),
    }
    users[Role.CENTRE_ADMIN].groups.add(Group.objects.get(name=CENTRE_ADMIN_GROUP))

    # ours: a project and a commission of 东胜区 (lists are not empty by accident)
    own_project = DongshengProjectFactory(
        name="本区测试项目", enterprise=users[Role.ENTERPRISE].enterprise
    )
    own_commission = CommissionFactory(project=own_project, agent=users[Role.AGENT])

    # theirs: 包头稀土高新区
    qyfw = department("baotou-hitech-qyfw")
    bt_office = _department("test-jiewai-ju", "界外标记审批局", bt, function="approval")
    bt_company = _department("test-jiewai-errand", "界外标记跑腿公司", bt, Department.Kind.ERRAND)
    bt_agent = AgentFactory(username="bt-agent", region=bt, department=qyfw)
    bt_admin = AdminFactory(username="bt-admin", region=bt, department=qyfw)
    bt_leader = UserFactory(
        username="bt-leader", role=Role.LEADER, region=region("150200"), department=None
    )
    enterprise = EnterpriseFactory(
        name="界外稀土新材料有限公司",
        credit_code=make_credit_code(4242, "150271"),
        contact_name="界外联系人",
        region=bt,
    )
    project = ProjectFactory(name="界外标记项目", enterprise=enterprise, region=bt, **FACTORY)
    commission = CommissionFactory(
        project=project,
        state="agreed",
        agent=bt_agent,
        agreed_at=AGREED_AT,
        lead_department=department("baotou-hitech-jjfz"),
        created_by=bt_admin,
        other_needs="界外标记需求",
    )
    planning.plan_create(commission=commission)
    planning.plan_fix(commission=commission, actor=bt_agent)
    commission.refresh_from_db()
    Case.objects.filter(commission=commission).update(department=bt_office)
    cases = list(Case.objects.filter(commission=commission).order_by("code"))
    errand_cases = [c for c in cases if c.item.service_mode == ServiceMode.ERRAND]

    meeting = coordination.meeting_create(
        actor=bt_admin,
        kind=Meeting.Kind.JOINT_REVIEW,
        title="界外标记会商联审会",
        host_department=bt_office,
        starts_at=timezone.now() - dt.timedelta(hours=2),
        place="界外会议室",
        participants=[bt_office],
        commissions=[commission],
        cases=[],
        agenda="界外标记议题",
        recurrence="",
        problems=["界外标记堵点"],
    )
    meeting = coordination.meeting_record_minutes(
        meeting=meeting,
        actor=bt_admin,
        minutes="界外标记纪要",
        decisions=[{"text": "界外标记议定事项", "owner_department": bt_office.pk}],
        expected_version=meeting.version,
    )
    order = coordination.task_order_issue(
        actor=bt_admin,
        commission=commission,
        cases=errand_cases[:1],
        company=bt_company,
        due_date=timezone.localdate() + dt.timedelta(days=20),
        requirements="界外标记要求",
    )
    # the case's files (rows only: a download that is refused never opens them)
    material = cases[0].materials.order_by("pk").first() or CaseMaterial.objects.create(
        case=cases[0], name="界外标记材料"
    )
    material.attachment = _attachment("界外标记申请表.pdf", "补正材料")
    material.save(update_fields=["attachment"])
    Case.objects.filter(pk=cases[0].pk).update(
        result_document=_attachment("界外标记批复.pdf", "结果文书")
    )
    escalation = Escalation.objects.create(
        commission=commission,
        case=cases[0],
        kind=Escalation.Kind.MANUAL,
        problem="界外标记问题",
        raised_by=bt_agent,
        leader=bt_leader,
    )
    other = {
        "user": bt_agent,
        "login_lock": LoginLock.objects.create(
            kind=LoginLock.Kind.ACCOUNT,
            key=bt_agent.username,
            failures=2,
            last_failure_at=timezone.now(),
        ),
        "region": bt,
        "department": bt_office,
        "routing_rule": RoutingRule.objects.filter(region=bt).first(),
        "function_holder": FunctionHolder.objects.filter(region=bt).first(),
        "enterprise": enterprise,
        "project": project,
        "commission": commission,
        "transition": CommissionTransition.objects.create(
            commission=commission,
            from_state="applied",
            to_state="applied",
            action="assign",
            actor=bt_admin,
            reason="界外标记指派",
            occurred_at=timezone.now(),
        ),
        "consultation": ConsultationFactory(
            region=bt, topic="界外标记咨询", enterprise_name="界外咨询企业", recorded_by=bt_agent
        ),
        "case": cases[0],
        "case_material": material,
        "escalation": escalation,
        "meeting": meeting,
        "action_item": meeting.action_items.get(),
        "task_order": order,
        "notification": Notification.objects.create(
            recipient_user=bt_agent,
            channel=Channel.IN_APP,
            subject="界外标记消息",
            body="界外标记消息",
            commission=commission,
            dedupe_key="test-jiewai-1",
        ),
        "staffing_minimum": StaffingMinimum.objects.create(
            region=bt,
            unit_kind=StaffingMinimum.UnitKind.ZONE_AGENCY,
            role=Role.AGENT,
            minimum=6,
            source="界外标记配备标准",
        ),
        "complaint": Complaint.objects.create(
            region=bt,
            channel=Complaint.Channel.HOTLINE_12345,
            category=Complaint.Category.SHIRKING,
            subject_user=bt_agent,
            subject_department=qyfw,
            complainant="界外投诉人",
            content="界外标记投诉内容",
            recorded_by=bt_admin,
            due_date=timezone.localdate() - dt.timedelta(days=1),
        ),
        "eligibility_check": EligibilityCheck.objects.create(
            project=project,
            industry_code="C3411",
            is_new_capacity=True,
            outcome=EligibilityCheck.Outcome.values[0],
            explanation="界外标记核实",
            checked_by=bt_agent,
        ),
    }
    other["accountability_record"] = AccountabilityRecord.objects.create(
        region=bt,
        kind=AccountabilityRecord.Kind.CRITICISM,
        source=AccountabilityRecord.Source.COMPLAINT,
        complaint=other["complaint"],
        category=Complaint.Category.SHIRKING,
        subject_user=bt_agent,
        subject_department=qyfw,
        number="界外督〔2026〕1号",
        facts="界外标记违规事实",
        decision="界外标记处理决定",
        issued_by=bt_leader,
    )
    # --- monthly report and annual evaluation ---
    october = Period.month(2026, 10)
    figures = monthly_figures(SYSTEM, october, region=bt)
    figures["cases"]["rows"].append({**figures["cases"]["total"], "name": "界外标记月报部门"})
    other["monthly_report"] = MonthlyReport.objects.create(
        region=bt, month=october.start, due_date=due_date_of(october.start), figures=figures
    )
    # --- end monthly report and annual evaluation ---
    # --- ratings, rectifications, follow-up visits ---
    rating = Rating.objects.create(
        commission=commission,
        department=bt_office,
        level=Level.VERY_DISSATISFIED,
        comment="界外标记评价",
        source=Rating.Source.PORTAL,
        rated_by=bt_agent,
    )
    other["rating"] = rating
    other["rectification"] = Rectification.objects.create(
        rating=rating,
        commission=commission,
        department=bt_office,
        agent=bt_agent,
        due_date=timezone.localdate() - dt.timedelta(days=1),
        verification="界外标记核实",
    )
    other["visit"] = FollowUpVisit.objects.create(
        commission=commission,
        reason=FollowUpVisit.Reason.BAD_RATING,
        rating=rating,
        due_date=timezone.localdate() - dt.timedelta(days=1),
        findings="界外标记回访",
    )
    other["after_service_policy"] = AfterServicePolicy.objects.create(
        region=bt,
        follow_up_share=Decimal("0.5"),
        follow_up_after_days=5,
        rectification_days=10,
        bad_rating_visit_days=10,
        sample_seed="jiewai",
        source="界外标记设置",
        estimated="界外标记估算",
    )
    # --- end ratings, rectifications, follow-up visits ---
    return World(users, other, {"project": own_project, "commission": own_commission})
