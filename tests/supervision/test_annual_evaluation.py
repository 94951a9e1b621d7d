"""The annual evaluation on a hand-worked world: the year 2024, every case in 东胜区, read by
a supervisor of 东胜区 (the year is over: everything is read as of 2024-12-31).

Schemes (made here, so the data file's estimates can change freely):
    2024 assisted: promise_kept 30, completion 25, satisfaction 25, follow_up 10, complaints 10;
                   deduction 0.25 per 属实, 0.125 per 部分属实; pass 70
    2024 errand:   promise_kept 40, completion 30, satisfaction 20, complaints 10;
                   deduction 0.5 per 属实, 0.25 per 部分属实; pass 70

Departments D1 = 东胜区发展和改革委员会, D2 = 东胜区住房和城乡建设局, AG = 东胜区帮办代办室 (leads
every commission); agents A1, A2; errand company E1.

    commission  agent  completed     follow-up visit
    C1          A1     2024-06-20    done
    C2          A2     (in progress)
    C3          A1     2024-09-10    scheduled only

    case  comm  dept  mode     company  accepted    due     finished   counts (2024)
    K1    C1    D1    帮办代办  -        03-01       03-10   03-08      Acc AC Cm OT
    K2    C1    D1    联审联批  -        04-01       04-10   04-15      Acc AC Cm late
    K3    C2    D1    帮办代办  -        05-01       05-10   open       Acc
    K4    C2    D2    联审联批  -        06-01       06-20   06-18      Acc AC Cm OT
    K5    C3    D2    帮办代办  -        2023-12-20  01-05   01-03      Cm OT (accepted 2023)
    K6    C1    D1    专业跑腿  E1       02-01       02-15   02-14      Acc AC Cm OT
    K7    C2    D2    专业跑腿  E1       07-01       07-10   07-20      Acc AC Cm late
    K8    C3    D2    专业跑腿  (none)   08-01       08-10   open       (no company: not evaluated)

    ratings: R1 K1 非常满意, R2 K2 不满意, R3 C1 as a whole 满意, R4 K4 满意,
             R5 K6 非常满意, R6 K7 基本满意
    complaints (received in 2024 unless said): P1 against D1 属实; P2 against A1 部分属实;
             P3 against A2 不属实; P4 against E1 属实; P5 against D2 属实 received 2023-12-30

Assisted (cases 帮办代办/联审联批; a whole commission's rating counts, for its lead department):
    D1  completion 2/3 (K1 K2 of K1 K2 K3), promise 1/2 (K1 of K1 K2), satisfaction 1/2
        (R1 of R1 R2), follow-up: leads no commission → no data, complaints 1 − 0.25 = 0.75
        points 30×1/2 = 15, 25×2/3 = 16.67, 25×1/2 = 12.5, —, 10×0.75 = 7.5
        earned 51.667 of 90 → 57.407… → 57.4 不合格
    D2  completion 1/1 (K4), promise 2/2 (K4 K5), satisfaction 1/1 (R4), follow-up —,
        complaints 1 (P5 was received in 2023) → 90 of 90 → 100.0 合格
    AG  no case; satisfaction 1/1 (R3), follow-up 1/2 (C1 of C1 C3), complaints 1
        → 25 + 5 + 10 = 40 of 45 → 88.888… → 88.9 合格
    A1  cases K1 K2 K5: completion 2/2, promise 2/3 (K1 K5 of K1 K2 K5), satisfaction 2/3
        (R1 R3 of R1 R2 R3), follow-up 1/2, complaints 1 − 0.125 = 0.875
        points 20, 25, 16.67, 5, 8.75 → 75.4166… of 100 → 75.4 合格
    A2  cases K3 K4: completion 1/2, promise 1/1, satisfaction 1/1 (R4), follow-up — (no
        commission completed), complaints 1 (P3 不属实)
        points 30, 12.5, 25, —, 10 → 77.5 of 90 → 86.111… → 86.1 合格
Errand (cases 专业跑腿, per company):
    E1  completion 2/2, promise 1/2 (K6 of K6 K7), satisfaction 1/2 (R5 of R5 R6),
        complaints 1 − 0.5 = 0.5 → 40×0.5 + 30×1 + 20×0.5 + 10×0.5 = 20 + 30 + 10 + 5
        = 65.0 不合格
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from bangban.accounts.models import Role
from bangban.cases import lifecycle
from bangban.cases.models import Case
from bangban.catalog.models import Item
from bangban.catalog.selectors import catalog_version_published
from bangban.evaluation.models import Complaint, FollowUpVisit, Rating
from bangban.organization.models import Department
from bangban.supervision import annual
from bangban.supervision.models import EvaluationScheme
from bangban.supervision.services import evaluation_schemes_load
from tests.projects.factories import (
    AgentFactory,
    CommissionFactory,
    DongshengProjectFactory,
    UserFactory,
    region,
)

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2026, 12, 10)


def on(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=SHANGHAI)


class World:
    pass


def build_annual_world() -> World:
    w = World()
    dongsheng = region("150602")
    w.d1 = Department.objects.get(key="dongsheng-fgw")
    w.d2 = Department.objects.get(key="dongsheng-zjj")
    w.ag = Department.objects.get(key="dongsheng-bbdb")
    n = Department.objects.count()
    w.e1 = Department.objects.create(
        key=f"test-annual-errand-{n}",
        name=f"东胜区测试跑腿服务有限公司{n}",
        region=dongsheng,
        kind=Department.Kind.ERRAND,
        function=Department.Function.OTHER,
    )
    w.a1 = AgentFactory(display_name="代办员甲")
    w.a2 = AgentFactory(display_name="代办员乙")
    w.supervisor = UserFactory(role=Role.SUPERVISOR, department=None, region=dongsheng)
    EvaluationScheme.objects.update_or_create(
        year=2024,
        track="assisted",
        defaults={
            "weights": {"promise_kept": 30, "completion": 25, "satisfaction": 25,
                        "follow_up": 10, "complaints": 10},
            "pass_mark": 70,
            "complaint_deduction": Decimal("0.25"),
            "partial_complaint_deduction": Decimal("0.125"),
        },
    )  # fmt: skip
    EvaluationScheme.objects.update_or_create(
        year=2024,
        track="errand",
        defaults={
            "weights": {"promise_kept": 40, "completion": 30, "satisfaction": 20,
                        "complaints": 10},
            "pass_mark": 70,
            "complaint_deduction": Decimal("0.5"),
            "partial_complaint_deduction": Decimal("0.25"),
        },
    )  # fmt: skip

    def commission(agent, **fields):
        return CommissionFactory(project=DongshengProjectFactory(), agent=agent, **fields)

    w.c1 = commission(w.a1, state="completed", completed_at=on(2024, 6, 20))
    w.c2 = commission(w.a2, state="in_progress")
    w.c3 = commission(w.a1, state="completed", completed_at=on(2024, 9, 10))

    items = iter(Item.objects.filter(version=catalog_version_published()).order_by("code")[:10])

    def case(commission, department, mode, accepted, due, finished=None, company=None):
        item = next(items)
        return Case.objects.create(
            commission=commission,
            item=item,
            code=item.code,
            department=department,
            errand_company=company,
            service_mode=mode,
            state=lifecycle.COMPLETED if finished else lifecycle.ACCEPTED,
            baseline_start=accepted,
            baseline_due=due,
            planned_start=accepted,
            planned_acceptance=accepted,
            planned_due=due,
            accepted_on=accepted,
            limit_days=5,
            due_date=due,
            actual_finish=finished,
        )

    y = lambda m, dd: dt.date(2024, m, dd)  # noqa: E731
    w.k1 = case(w.c1, w.d1, "bangban", y(3, 1), y(3, 10), y(3, 8))
    w.k2 = case(w.c1, w.d1, "joint", y(4, 1), y(4, 10), y(4, 15))
    w.k3 = case(w.c2, w.d1, "bangban", y(5, 1), y(5, 10))
    w.k4 = case(w.c2, w.d2, "joint", y(6, 1), y(6, 20), y(6, 18))
    w.k5 = case(w.c3, w.d2, "bangban", dt.date(2023, 12, 20), y(1, 5), y(1, 3))
    w.k6 = case(w.c1, w.d1, "errand", y(2, 1), y(2, 15), y(2, 14), company=w.e1)
    w.k7 = case(w.c2, w.d2, "errand", y(7, 1), y(7, 10), y(7, 20), company=w.e1)
    w.k8 = case(w.c3, w.d2, "errand", y(8, 1), y(8, 10))

    rater = UserFactory(role=Role.ENTERPRISE, department=None)

    def rate(commission, case, level, when):
        Rating.objects.create(
            commission=commission, case=case, level=level, source="portal", rated_by=rater,
            rated_at=when,
        )  # fmt: skip

    rate(w.c1, w.k1, "very_satisfied", on(2024, 3, 9))
    rate(w.c1, w.k2, "dissatisfied", on(2024, 4, 16))
    rate(w.c1, None, "satisfied", on(2024, 6, 21))
    rate(w.c2, w.k4, "satisfied", on(2024, 6, 19))
    rate(w.c1, w.k6, "very_satisfied", on(2024, 2, 15))
    rate(w.c2, w.k7, "basically_satisfied", on(2024, 7, 21))

    FollowUpVisit.objects.create(
        commission=w.c1, reason="sampled", state="done", due_date=y(7, 1),
        visited_at=on(2024, 6, 28),
    )  # fmt: skip
    FollowUpVisit.objects.create(commission=w.c3, reason="sampled", due_date=y(9, 20))

    def complaint(received, finding, *, user=None, department=None):
        Complaint.objects.create(
            region=dongsheng, channel="hotline_12345", category="shirking", content="投诉",
            recorded_by=w.supervisor, received_at=received, state="closed",
            closed_at=received + dt.timedelta(days=5), finding=finding,
            subject_user=user, subject_department=department,
        )  # fmt: skip

    complaint(on(2024, 5, 1), "substantiated", department=w.d1)
    complaint(on(2024, 6, 1), "partly", user=w.a1)
    complaint(on(2024, 7, 1), "unsubstantiated", user=w.a2)
    complaint(on(2024, 8, 1), "substantiated", department=w.e1)
    complaint(on(2023, 12, 30), "substantiated", department=w.d2)
    return w


@pytest.fixture
def world(db) -> World:
    return build_annual_world()


def table(world, track, by):
    result = annual.evaluation_table(world.supervisor, 2024, track, by, today=TODAY)
    return result, {row["name"]: row for row in result["rows"]}


def approx(value):
    return pytest.approx(value, abs=1e-9)


def test_assisted_by_department(world):
    result, rows = table(world, "assisted", "department")
    assert [row["name"] for row in result["rows"]] == [world.d2.name, world.ag.name, world.d1.name]
    d1 = rows[world.d1.name]
    assert d1["rates"]["completion"] == approx(2 / 3)
    assert d1["rates"]["promise_kept"] == approx(1 / 2)
    assert d1["rates"]["satisfaction"] == approx(1 / 2)
    assert d1["rates"]["follow_up"] is None
    assert d1["rates"]["complaints"] == approx(0.75)
    assert d1["points"] == {
        "promise_kept": 15.0, "completion": 16.67, "satisfaction": 12.5, "follow_up": None,
        "complaints": 7.5,
    }  # fmt: skip
    assert (d1["score"], d1["passed"]) == (57.4, False)
    assert d1["counts"]["substantiated_complaints"] == 1
    assert (rows[world.d2.name]["score"], rows[world.d2.name]["passed"]) == (100.0, True)
    agency = rows[world.ag.name]
    assert agency["rates"]["completion"] is None and agency["rates"]["follow_up"] == 0.5
    assert (agency["score"], agency["passed"]) == (88.9, True)
    assert result["summary"] == {
        "entities": 3, "evaluated": 3, "passed": 2, "failed": 1, "not_evaluated": 0
    }  # fmt: skip
    assert result["scheme"]["year"] == 2024 and result["scheme"]["pass_mark"] == 70


def test_assisted_by_agent(world):
    result, rows = table(world, "assisted", "agent")
    assert [row["name"] for row in result["rows"]] == ["代办员乙", "代办员甲"]
    a1 = rows["代办员甲"]
    assert a1["rates"]["promise_kept"] == approx(2 / 3)
    assert a1["rates"]["satisfaction"] == approx(2 / 3)
    assert a1["rates"]["complaints"] == approx(0.875)
    assert a1["points"]["promise_kept"] == 20.0 and a1["points"]["satisfaction"] == 16.67
    assert (a1["score"], a1["passed"]) == (75.4, True)
    a2 = rows["代办员乙"]
    assert a2["rates"]["completion"] == approx(0.5) and a2["rates"]["follow_up"] is None
    assert (a2["score"], a2["passed"]) == (86.1, True)


def test_errand_by_company(world):
    result, rows = table(world, "errand", "errand_company")
    assert list(rows) == [world.e1.name]  # K8 has no company: no row
    e1 = rows[world.e1.name]
    assert e1["points"] == {
        "promise_kept": 20.0, "completion": 30.0, "satisfaction": 10.0, "complaints": 5.0
    }  # fmt: skip
    assert e1["rates"]["follow_up"] is None
    assert (e1["score"], e1["passed"]) == (65.0, False)
    assert [c["key"] for c in result["components"]] == [
        "promise_kept", "completion", "satisfaction", "complaints"
    ]  # fmt: skip


def test_the_whole_year_has_three_tables_and_a_layout(world):
    evaluation = annual.annual_evaluation(world.supervisor, 2024, today=TODAY)
    assert [(t["track"], t["by"]) for t in evaluation["tables"]] == [
        ("assisted", "department"), ("assisted", "agent"), ("errand", "errand_company")
    ]  # fmt: skip
    sections = annual.evaluation_layout(evaluation)
    scores = sections[0].tables[0]
    assert [cell.text for cell in scores.rows[-1]] == [
        world.d1.name, "15.00", "16.67", "12.50", "—", "7.50", "57.4", "不合格"
    ]  # fmt: skip
    assert scores.headers[1] == "承诺事项兑现率（30分）"


def test_another_region_sees_none_of_it(world):
    outsider = UserFactory(role=Role.SUPERVISOR, department=None, region=region("150202"))
    result = annual.evaluation_table(outsider, 2024, "assisted", "department", today=TODAY)
    assert result["rows"] == []


def test_a_year_without_a_scheme_and_one_that_inherits(world):
    with pytest.raises(annual.SchemeMissing):
        annual.evaluation_table(world.supervisor, 2023, "assisted", "department")
    EvaluationScheme.objects.filter(year__gte=2025).delete()
    # 2025 has no scheme of its own: 2024's applies
    result = annual.evaluation_table(world.supervisor, 2025, "assisted", "department")
    assert result["scheme"]["year"] == 2024
    with pytest.raises(ValueError):
        annual.evaluation_table(world.supervisor, 2024, "errand", "department")


def test_the_schemes_of_the_data_file_load_and_a_bad_one_is_refused(db):
    EvaluationScheme.objects.all().delete()
    rows = [
        {"year": 2030, "track": "assisted", "pass_mark": 70,
         "weights": {"promise_kept": 30, "completion": 25, "satisfaction": 25,
                     "follow_up": 10, "complaints": 10}},
    ]  # fmt: skip
    assert evaluation_schemes_load(rows) == (1, 0)
    assert evaluation_schemes_load(rows) == (0, 0)  # kept as it is
    bad = [
        {"year": 2031, "track": "assisted", "weights": {"completion": 60, "speed": 40}},
        {"year": 2031, "track": "errand", "weights": {"completion": 50, "complaints": 40}},
    ]
    with pytest.raises(ValidationError) as refused:
        evaluation_schemes_load(bad)
    text = "；".join(refused.value.messages)
    assert "未知的考核项：speed" in text
    assert "各项分值之和应为 100（现为 90）" in text
    assert not EvaluationScheme.objects.filter(year=2031).exists()


def test_the_evaluation_runs_a_constant_number_of_queries(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            annual.annual_evaluation(world.supervisor, 2024, today=TODAY)
        return len(queries)

    small = count()
    build_annual_world()  # twice the departments' cases, new agents and a new company
    assert count() == small
