"""The hand-worked dashboard world (tests/supervision/test_dashboard*.py).

Read on TODAY = Wednesday 2026-11-18 (this week: Monday 11-16 to Sunday 11-22; the chosen
month: November 2026). Everything of ours is in 东胜区 (seen by the supervisor and the leader
of 鄂尔多斯市); the "other" records are in 包头稀土高新区 (never seen from 鄂尔多斯).

    D1 = 东胜区发展和改革委员会   D2 = 东胜区住房和城乡建设局
    S1 = project_land (立项用地规划许可)   S2 = engineering (工程建设许可)

    case  commission stage dept  state          accepted  due     finished
    K1    C1         S1    D1    accepted       11-02     11-10   -          overdue (red)
    K2    C1         S1    D1    accepted       11-09     11-18   -          due today
    K3    C1         S2    D2    accepted_gaps  11-10     11-20   -          due this week
    K4    C1         S2    D2    suspended      11-03     11-12   -          clock stopped: not red
    K5    C2         S1    D1    completed      11-02     11-09   11-06      on time (November)
    K6    C2         S2    D2    completed      10-12     10-20   10-23      late (October)
    K7    C2         S2    D1    completed      11-03     11-05   11-12      late (November)
    K8    C2         S1    D2    planned        -         -       -
    K9    C2         S2    D2    accepted       11-12     11-13   -          overdue (red)
    KX    CX (包头)  S1    -     accepted       11-01     11-05   -          overdue, not ours

Worked by hand:
- by stage and state: S1 accepted 2 (K1 K2), completed 1 (K5), planned 1 (K8) = 4;
  S2 accepted 1 (K9), accepted_gaps 1 (K3), suspended 1 (K4), completed 2 (K6 K7) = 5.
- on-time trend: 2026-11 completed 2 (K5 K7), on time 1 (K5) → 50.0%; 2026-10 completed 1
  (K6), on time 0 → 0.0%; the ten months before: no completed case.
- overdue by department: D1 1 (K1), D2 1 (K9) (K4 is suspended, KX not ours).
- rates by department, November: D1 accepted 4 (K1 K2 K5 K7), of them completed 2 (K5 K7) →
  50.0%; completed 2 (K5 K7), on time 1 → 50.0%. D2 accepted 3 (K3 K4 K9), completed 0 →
  0.0%; completed in November 0 → no promise-kept rate.
- ratings, November: R1 K5 非常满意 (11-10), R2 K7 不满意 (11-13), R3 C1 as a whole 满意
  (11-14); R4 K6 满意 on 10-25 (October); RX of CX 不满意 (November, not ours) →
  非常满意 1, 满意 1, 基本满意 0, 不满意 1, 非常不满意 0.
- due: cases overdue 2 (K1 K9), today 1 (K2), this week 2 (K2 K3), listed K1 K9 K2 K3;
  rectification of R2 (verifying, due 11-20): this week 1; RX's (due 11-18) not ours;
  visit of C1 (scheduled, due 11-17): overdue 1, this week 1; complaint (received, due
  11-18): today 1, this week 1; decision of a 东胜区 meeting (open, due 11-19): this week 1.
- escalations: one open on C1, one closed on C2, one open on CX → 1 open.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from django.utils import timezone

from bangban.accounts.models import Role
from bangban.cases import lifecycle
from bangban.cases.models import Case, Escalation
from bangban.catalog.models import Item, ServiceMode
from bangban.catalog.selectors import catalog_version_published
from bangban.coordination.models import ActionItem, Meeting
from bangban.evaluation.models import Complaint, FollowUpVisit, Level, Rating, Rectification
from bangban.organization.models import Department
from tests.projects.factories import (
    AgentFactory,
    CommissionFactory,
    EnterpriseFactory,
    ProjectFactory,
    UserFactory,
    department,
    region,
)

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2026, 11, 18)
MONTH = "2026-11"


def d(month: int, day: int) -> dt.date:
    return dt.date(2026, month, day)


def at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=SHANGHAI)


@dataclass
class DashboardWorld:
    d1: Department
    d2: Department
    supervisor: object
    leader: object
    other_supervisor: object
    cases: dict[str, Case] = field(default_factory=dict)
    commissions: dict[str, object] = field(default_factory=dict)


def items(stage: str, count: int) -> list[Item]:
    version = catalog_version_published()
    found = list(Item.objects.filter(version=version, stage=stage).order_by("code")[:count])
    assert len(found) == count, f"the catalog has fewer than {count} items of {stage}"
    return found


def make_case(commission, item, *, dept, state, accepted=None, due=None, finish=None) -> Case:
    base = accepted or TODAY
    return Case.objects.create(
        commission=commission,
        item=item,
        department=dept,
        code=item.code,
        state=state,
        service_mode=ServiceMode.BANGBAN,
        baseline_start=base,
        baseline_due=base,
        planned_start=base,
        planned_acceptance=base,
        planned_due=base,
        accepted_on=accepted,
        limit_days=5 if accepted else None,
        promised_limit=5,
        due_date=due,
        actual_finish=finish,
        outcome=Case.Outcome.APPROVED if finish else "",
    )


def rate(commission, case, level, when, by) -> Rating:
    return Rating.objects.create(
        commission=commission,
        case=case,
        department=case.department if case is not None else commission.lead_department,
        level=level,
        source=Rating.Source.PORTAL,
        rated_by=by,
        rated_at=when,
        recorded_at=when,
    )


def _dongsheng_commission(agent, enterprise_user_region):
    project = ProjectFactory(
        enterprise=EnterpriseFactory(region=enterprise_user_region), region=enterprise_user_region
    )
    return CommissionFactory(project=project, state="agreed", agent=agent)


def build_world() -> DashboardWorld:
    ds = region("150602")
    bt = region("150271")
    d1, d2 = department("dongsheng-fgw"), department("dongsheng-zjj")
    agent = AgentFactory()
    supervisor = UserFactory(role=Role.SUPERVISOR, region=region("150600"), department=None)
    leader = UserFactory(role=Role.LEADER, region=region("150600"), department=None)
    other_supervisor = UserFactory(role=Role.SUPERVISOR, region=region("150200"), department=None)
    world = DashboardWorld(d1, d2, supervisor, leader, other_supervisor)

    c1 = _dongsheng_commission(agent, ds)
    c2 = _dongsheng_commission(agent, ds)
    bt_agent = AgentFactory(region=bt, department=department("baotou-hitech-qyfw"))
    cx = CommissionFactory(
        project=ProjectFactory(enterprise=EnterpriseFactory(region=bt), region=bt),
        state="agreed",
        agent=bt_agent,
        lead_department=department("baotou-hitech-qyfw"),
    )
    world.commissions = {"C1": c1, "C2": c2, "CX": cx}

    s1 = items("project_land", 5)
    s2 = items("engineering", 4)
    A, G, S, C, P = (
        lifecycle.ACCEPTED,
        lifecycle.ACCEPTED_GAPS,
        lifecycle.SUSPENDED,
        lifecycle.COMPLETED,
        lifecycle.PLANNED,
    )
    spec = {
        "K1": (c1, s1[0], d1, A, d(11, 2), d(11, 10), None),
        "K2": (c1, s1[1], d1, A, d(11, 9), d(11, 18), None),
        "K3": (c1, s2[0], d2, G, d(11, 10), d(11, 20), None),
        "K4": (c1, s2[1], d2, S, d(11, 3), d(11, 12), None),
        "K5": (c2, s1[2], d1, C, d(11, 2), d(11, 9), d(11, 6)),
        "K6": (c2, s2[2], d2, C, d(10, 12), d(10, 20), d(10, 23)),
        "K7": (c2, s2[3], d1, C, d(11, 3), d(11, 5), d(11, 12)),
        "K8": (c2, s1[3], d2, P, None, None, None),
        "K9": (c2, s2[0], d2, A, d(11, 12), d(11, 13), None),
        "KX": (cx, s1[4], None, A, d(11, 1), d(11, 5), None),
    }
    for key, (commission, item, dept, state, accepted, due, finish) in spec.items():
        world.cases[key] = make_case(
            commission, item, dept=dept, state=state, accepted=accepted, due=due, finish=finish
        )
    k = world.cases
    enterprise_user = UserFactory(
        role=Role.ENTERPRISE, department=None, enterprise=c1.project.enterprise
    )
    rate(c2, k["K5"], Level.VERY_SATISFIED, at(11, 10), enterprise_user)
    r2 = rate(c2, k["K7"], Level.DISSATISFIED, at(11, 13), enterprise_user)
    rate(c1, None, Level.SATISFIED, at(11, 14), enterprise_user)
    rate(c2, k["K6"], Level.SATISFIED, at(10, 25), enterprise_user)
    rx = rate(cx, k["KX"], Level.DISSATISFIED, at(11, 12), bt_agent)
    Rectification.objects.create(
        rating=r2, commission=c2, department=d1, agent=agent, due_date=d(11, 20)
    )
    Rectification.objects.create(rating=rx, commission=cx, agent=bt_agent, due_date=d(11, 18))
    FollowUpVisit.objects.create(
        commission=c1, reason=FollowUpVisit.Reason.SAMPLED, due_date=d(11, 17)
    )
    FollowUpVisit.objects.create(
        commission=cx, reason=FollowUpVisit.Reason.SAMPLED, due_date=d(11, 18)
    )
    Complaint.objects.create(
        region=ds,
        channel=Complaint.Channel.HOTLINE_12345,
        category=Complaint.Category.SHIRKING,
        subject_department=d2,
        content="办理拖延",
        recorded_by=agent,
        due_date=d(11, 18),
    )
    Complaint.objects.create(
        region=bt,
        channel=Complaint.Channel.WINDOW,
        category=Complaint.Category.OTHER,
        content="界外投诉",
        recorded_by=bt_agent,
        due_date=d(11, 18),
    )
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.JOINT_REVIEW,
        title="东胜区测试会商联审会",
        state=Meeting.State.HELD,
        region=ds,
        host_department=department("dongsheng-bbdb"),
        created_by=agent,
    )
    ActionItem.objects.create(
        meeting=meeting, text="测试议定事项", owner_department=d2, due_date=d(11, 19)
    )
    Escalation.objects.create(
        commission=c1,
        case=k["K1"],
        kind=Escalation.Kind.MANUAL,
        problem="用地指标待协调",
        raised_by=agent,
        raised_at=timezone.now(),
    )
    Escalation.objects.create(
        commission=c2,
        kind=Escalation.Kind.MANUAL,
        problem="已办结的上报",
        raised_by=agent,
        state=Escalation.State.CLOSED,
    )
    Escalation.objects.create(
        commission=cx, kind=Escalation.Kind.MANUAL, problem="界外上报", raised_by=bt_agent
    )
    return world
