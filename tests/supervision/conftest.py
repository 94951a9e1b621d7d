"""The hand-worked metrics world (tests/supervision/test_metrics.py works out every figure).

Period: November 2026 (no public holiday: working days are Monday to Friday), read on
2026-12-10 (the period is over; ``as_of`` = 2026-11-30).

    departments  D1 = 东胜区发展和改革委员会, D2 = 东胜区住房和城乡建设局
                 (the commissions are led by, and the agents work at, 东胜区帮办代办室 = AG)
    agents       A1, A2          regions  R1 = 东胜区, R2 = 铜川镇 (a town of 东胜区)
    stages       S1 = 立项用地规划许可 (project_land), S2 = 工程建设许可 (engineering)
    modes        M1 = 帮办代办 (bangban), M2 = 联审联批 (joint)

    commissions  C1 (A1, R1) holds K1 K2 K3 K7, completed 11-20, visit done (back-filled)
                 C2 (A2, R2) holds K4 K5 K6 K8
                 C4 (A2, R1) holds K9 K10 K11 K12
                 C3 (A2, R2) completed 11-26, visit done
                 C5 (A1, R1) completed 11-27, visit only scheduled
                 C6 (A2, R2) completed 10-30 (outside), visit done

    case  dept agent region stage mode  accepted  limit  suspended      end             legal
    K1    D1   A1    R1     S1    M1    11-02     5      -              approve 11-06   10 WD
    K2    D1   A1    R1     S2    M1    11-03     3      -              approve 11-10*  5 WD
    K3    D2   A1    R1     S1    M2    11-04     5      11-05..11-09   approve 11-12   20 WD
    K4    D2   A2    R2     S2    M2    11-09     10     -              open            -
    K5    D1   A2    R2     S1    M1    11-16*    5      -              open            -
    K6    D1   A2    R2     S2    M2    11-23     10     -              open            -
    K7    D2   A1    R1     S2    M1    10-26     5      -              approve 11-04   none
    K8    D1   A2    R2     S1    M2    10-19     5      -              approve 12-07   -
    K9    D2   A2    R1     S1    M1    11-24     0 即办  -              approve 11-24   0 WD
    K10   D2   A2    R1     S2    M1    11-25     1      -              withdrawn 11-27 -
    K11   D1   A2    R1     S1    M2    10-19     5      -              withdrawn 12-02 -
    K12   D2   A2    R1     S2    M2    11-02     5      since 11-04    suspended now   -
    (* = the event was entered after the fact, 补录)

    KX    a case of 东河区 (包头): accepted 11-02, approved 11-03 — never seen from 东胜区.

Ratings (rated in November unless said): R1 K1 非常满意; R2 K2 不满意 (back-filled); R3 C1 as a
whole 满意; R4 K3 基本满意; R5 K9 满意; R6 K7 非常满意 on 10-30 (outside).
Consultations: Q1 A1 R1 11-05; Q2 A2 R2 11-06; Q3 A1 R2 11-30 23:00; Q4 A1 12-01 00:30 and
Q5 A1 10-31 23:59 (both outside).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

import pytest

from bangban.accounts.models import Role
from bangban.cases import lifecycle
from bangban.cases.deadlines import store_clock
from bangban.cases.models import Case, CaseEvent, Suspension
from bangban.catalog.models import Item
from bangban.catalog.selectors import catalog_version_published
from bangban.evaluation.models import FollowUpVisit, Rating
from bangban.organization.models import Department
from bangban.workdays.selectors import get_calendar
from tests.projects.factories import (
    AgentFactory,
    CommissionFactory,
    ConsultationFactory,
    DongshengProjectFactory,
    EnterpriseFactory,
    ProjectFactory,
    UserFactory,
    region,
)

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2026, 12, 10)


def d(month: int, day: int) -> dt.date:
    return dt.date(2026, month, day)


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


@dataclass
class MetricsWorld:
    d1: Department
    d2: Department
    agency: Department
    a1: object
    a2: object
    r1: object
    r2: object
    supervisor: object
    cases: dict[str, Case] = field(default_factory=dict)
    commissions: dict[str, object] = field(default_factory=dict)


def items_by_stage(stage: str, count: int = 2) -> list[Item]:
    version = catalog_version_published()
    return list(Item.objects.filter(version=version, stage=stage).order_by("code")[:count])


def make_case(
    commission,
    item: Item,
    *,
    department,
    mode: str,
    accepted: dt.date | None,
    limit: int,
    legal: int | None = None,
    state: str = lifecycle.ACCEPTED,
    finish: dt.date | None = None,
    suspensions=(),
    clock_day: dt.date | None = None,
) -> Case:
    """A case with its clock stored as the services store it (``store_clock``) on
    ``clock_day`` (default: its finish, else TODAY)."""
    base = accepted or TODAY
    case = Case(
        commission=commission,
        item=item,
        department=department,
        code=item.code,
        state=state,
        service_mode=mode,
        baseline_start=base,
        baseline_due=base,
        planned_start=base,
        planned_acceptance=base,
        planned_due=base,
        accepted_on=accepted,
        limit_days=limit if accepted else None,
        promised_limit=limit,
        legal_limit=legal,
        legal_limit_unit="working",
        actual_finish=finish,
        outcome=Case.Outcome.APPROVED if finish else "",
    )
    case.save()
    for start, end in suspensions:
        Suspension.objects.create(case=case, kind="expert", reason="专家评审", start=start, end=end)
        if end is None:
            case.suspended_since = start
            case.resume_state = lifecycle.ACCEPTED
    if accepted:
        store_clock(case, get_calendar(), clock_day or finish or TODAY)
    case.save()
    return case


def event(case: Case, action: str, day: dt.date, *, backfilled: bool = False) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        action=action,
        to_state=case.state,
        occurred_at=at(day.month, day.day, 12),
        recorded_at=at(day.month, day.day, 12) + dt.timedelta(days=7 if backfilled else 0),
        backfilled=backfilled,
    )


def build_metrics_world() -> MetricsWorld:
    dongsheng, tongchuan = region("150602"), region("dongsheng-tongchuan")
    world = MetricsWorld(
        d1=Department.objects.get(key="dongsheng-fgw"),
        d2=Department.objects.get(key="dongsheng-zjj"),
        agency=Department.objects.get(key="dongsheng-bbdb"),
        a1=AgentFactory(display_name="代办员甲"),
        a2=AgentFactory(display_name="代办员乙"),
        r1=dongsheng,
        r2=tongchuan,
        supervisor=UserFactory(role=Role.SUPERVISOR, department=None, region=dongsheng),
    )
    s1a, s1b = items_by_stage("project_land")
    s2a, s2b = items_by_stage("engineering")
    M1, M2 = "bangban", "joint"  # noqa: N806

    def commission(agent, where, **fields):
        project = DongshengProjectFactory(
            region=where, enterprise=EnterpriseFactory(region=dongsheng)
        )
        fields.setdefault("state", "in_progress")
        return CommissionFactory(project=project, agent=agent, **fields)

    c = world.commissions
    c["C1"] = commission(world.a1, dongsheng, state="completed", completed_at=at(11, 20))
    c["C2"] = commission(world.a2, tongchuan)
    c["C4"] = commission(world.a2, dongsheng)
    c["C3"] = commission(world.a2, tongchuan, state="completed", completed_at=at(11, 26))
    c["C5"] = commission(world.a1, dongsheng, state="completed", completed_at=at(11, 27))
    c["C6"] = commission(world.a2, tongchuan, state="completed", completed_at=at(10, 30))

    done = lifecycle.COMPLETED
    k = world.cases
    k["K1"] = make_case(
        c["C1"], s1a, department=world.d1, mode=M1, accepted=d(11, 2), limit=5, legal=10,
        state=done, finish=d(11, 6),
    )  # fmt: skip
    k["K2"] = make_case(
        c["C1"], s2a, department=world.d1, mode=M1, accepted=d(11, 3), limit=3, legal=5,
        state=done, finish=d(11, 10),
    )  # fmt: skip
    k["K3"] = make_case(
        c["C1"], s1b, department=world.d2, mode=M2, accepted=d(11, 4), limit=5, legal=20,
        state=done, finish=d(11, 12), suspensions=[(d(11, 5), d(11, 9))],
    )  # fmt: skip
    k["K4"] = make_case(c["C2"], s2a, department=world.d2, mode=M2, accepted=d(11, 9), limit=10)
    k["K5"] = make_case(c["C2"], s1a, department=world.d1, mode=M1, accepted=d(11, 16), limit=5)
    k["K6"] = make_case(c["C2"], s2b, department=world.d1, mode=M2, accepted=d(11, 23), limit=10)
    k["K7"] = make_case(
        c["C1"], s2b, department=world.d2, mode=M1, accepted=d(10, 26), limit=5, legal=None,
        state=done, finish=d(11, 4),
    )  # fmt: skip
    k["K8"] = make_case(
        c["C2"], s1b, department=world.d1, mode=M2, accepted=d(10, 19), limit=5, legal=None,
        state=done, finish=d(12, 7),
    )  # fmt: skip
    k["K9"] = make_case(
        c["C4"], s1a, department=world.d2, mode=M1, accepted=d(11, 24), limit=0, legal=0,
        state=done, finish=d(11, 24),
    )  # fmt: skip
    k["K10"] = make_case(
        c["C4"], s2a, department=world.d2, mode=M1, accepted=d(11, 25), limit=1,
        state=lifecycle.WITHDRAWN, clock_day=d(11, 27),
    )  # fmt: skip
    k["K11"] = make_case(
        c["C4"], s1b, department=world.d1, mode=M2, accepted=d(10, 19), limit=5,
        state=lifecycle.WITHDRAWN, clock_day=d(12, 2),
    )  # fmt: skip
    k["K12"] = make_case(
        c["C4"], s2b, department=world.d2, mode=M2, accepted=d(11, 2), limit=5,
        state=lifecycle.SUSPENDED, suspensions=[(d(11, 4), None)], clock_day=d(11, 4),
    )  # fmt: skip

    # the history the rates read: back-filled clock events, withdrawals
    event(k["K1"], lifecycle.ACCEPT, d(11, 2))
    event(k["K1"], lifecycle.APPROVE, d(11, 6))
    event(k["K2"], lifecycle.ACCEPT, d(11, 3))
    event(k["K2"], lifecycle.APPROVE, d(11, 10), backfilled=True)
    event(k["K3"], lifecycle.MATERIALS, d(11, 1), backfilled=True)  # not a clock event
    event(k["K5"], lifecycle.ACCEPT, d(11, 16), backfilled=True)
    event(k["K10"], lifecycle.WITHDRAW, d(11, 27))
    event(k["K11"], lifecycle.WITHDRAW, d(12, 2))

    # a case of another city (包头市东河区)
    donghe = region("150202")
    outside = CommissionFactory(
        project=ProjectFactory(enterprise=EnterpriseFactory(region=donghe)),
        agent=AgentFactory(region=donghe, department=None),
        state="in_progress",
    )
    k["KX"] = make_case(
        outside, s1a, department=world.d1, mode=M1, accepted=d(11, 2), limit=5, legal=10,
        state=done, finish=d(11, 3),
    )  # fmt: skip

    # ratings
    rater = UserFactory(role=Role.ENTERPRISE, department=None)

    def rate(commission, case, level, when, **fields):
        return Rating.objects.create(
            commission=commission,
            case=case,
            level=level,
            source=Rating.Source.PORTAL,
            rated_by=rater,
            rated_at=when,
            **fields,
        )

    rate(c["C1"], k["K1"], "very_satisfied", at(11, 10))
    rate(c["C1"], k["K2"], "dissatisfied", at(11, 12), backfilled=True)
    rate(c["C1"], None, "satisfied", at(11, 21))
    rate(c["C1"], k["K3"], "basically_satisfied", at(11, 15))
    rate(c["C4"], k["K9"], "satisfied", at(11, 25))
    rate(c["C1"], k["K7"], "very_satisfied", at(10, 30))
    rate(outside, k["KX"], "very_satisfied", at(11, 5))

    # follow-up visits
    def visit(commission, state, **fields):
        return FollowUpVisit.objects.create(
            commission=commission,
            reason=FollowUpVisit.Reason.SAMPLED,
            state=state,
            due_date=d(12, 4),
            **fields,
        )

    visit(c["C1"], "done", backfilled=True, visited_at=at(11, 25))
    visit(c["C3"], "done", visited_at=at(11, 30))
    visit(c["C5"], "scheduled")
    visit(c["C6"], "done", visited_at=at(11, 3))

    # consultations
    ConsultationFactory(recorded_by=world.a1, region=dongsheng, recorded_at=at(11, 5))
    ConsultationFactory(recorded_by=world.a2, region=tongchuan, recorded_at=at(11, 6))
    ConsultationFactory(recorded_by=world.a1, region=tongchuan, recorded_at=at(11, 30, 23))
    ConsultationFactory(recorded_by=world.a1, region=dongsheng, recorded_at=at(12, 1, 0, 30))
    ConsultationFactory(recorded_by=world.a1, region=dongsheng, recorded_at=at(10, 31, 23, 59))
    ConsultationFactory(recorded_by=world.a1, region=donghe, recorded_at=at(11, 5))
    return world


@pytest.fixture
def metrics_world(db) -> MetricsWorld:
    return build_metrics_world()
