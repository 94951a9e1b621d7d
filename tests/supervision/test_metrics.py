"""The metrics of SPEC §7 on the hand-worked world of conftest.py (November 2026, read on
2026-12-10). Every expected figure is worked out below from the table in conftest's
docstring; the working days are Monday to Friday (November 2026 has no public holiday,
checked first).

Per case (Acc = accepted in November, AC = also completed by 11-30, Cm = completed in
November, OT = within the promised due date, OD = open and overdue on 11-30, BF = a clock
event back-filled, BA = the acceptance back-filled):

    K1  due 11-09 (5 WD after 11-02)                 Acc AC Cm OT   used 4 (11-03..11-06)
        legal_due 11-16, legal 10
    K2  due 11-06 (3 WD after 11-03)                 Acc AC Cm late used 5 (11-04..11-10)
        legal_due 11-10, legal 5                     BF (approval back-filled)
    K3  suspended 11-05..11-09: (11-05, 11-09] = 11-06, 11-09 = 2 WD
        due = 5 + 2 = 7 WD after 11-04 = 11-13      Acc AC Cm OT   used 6 - 2 = 4
        legal_due = 20 + 2 = 22 WD after 11-04 = 12-04, legal 22 - 2 = 20
    K4  due 11-23 (10 WD after 11-09), open          Acc OD
    K5  due 11-23, open                              Acc OD BF BA
    K6  due 12-07, open                              Acc (not overdue on 11-30)
    K7  due 11-02 (5 WD after 10-26)                 Cm late        used 7 (10-27..11-04)
        no legal limit: not in the speed-up
    K8  due 10-26, completed 12-07 > 11-30           OD (open on 11-30)
    K9  即办: due 11-24, approved 11-24              Acc AC Cm OT   used 0, legal 0
    K10 due 11-26, withdrawn 11-27 (before 11-30)    Acc (not overdue: closed on 11-30)
    K11 due 10-26, withdrawn 12-02 (after 11-30)     OD
    K12 suspended since 11-04 (clock stopped)        Acc (never overdue while suspended)
    KX  包头: not seen from 东胜区

    totals: Acc 9 (K1 K2 K3 K4 K5 K6 K9 K10 K12), AC 4 (K1 K2 K3 K9) → 4/9
            Cm 5 (K1 K2 K3 K7 K9), OT 3 (K1 K3 K9) → 3/5, OD 4 (K4 K5 K8 K11)
            days 4+5+4+7+0 = 20 / 5 = 4.0
            speed-up over K1 K2 K3 K9: used 4+5+4+0 = 13, legal 10+5+20+0 = 35 → 1 − 13/35
            back-filled: completion BF among Acc = K2 K5 → 2/9; promise among Cm = K2 → 1/5;
            overdue BA among OD = K5 → 1/4
    ratings in November: R1 K1 非常满意, R2 K2 不满意 (BF), R3 C1 满意, R4 K3 基本满意, R5 K9 满意
            → 5, satisfied R1 R3 R5 = 3 → 3/5, back-filled 1/5
    commissions completed in November: C1 (visit done, BF), C3 (done), C5 (scheduled) → 3,
            visited 2 → 2/3, back-filled 1/2
    consultations in November: Q1, Q2, Q3 (11-30 23:00) → 3
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bangban.accounts.models import Role
from bangban.cases.selectors import case_filter, case_list_for
from bangban.rules.workdays import is_working_day
from bangban.supervision.metrics import (
    DIMENSIONS,
    MetricRow,
    Period,
    metric_records,
    metric_rows,
    metric_total,
)
from bangban.workdays.selectors import get_calendar
from tests.projects.factories import UserFactory, region

from .conftest import TODAY, build_metrics_world, d

pytestmark = pytest.mark.django_db

NOVEMBER = Period.month(2026, 11)


def approx(value):
    return pytest.approx(value, abs=1e-9)


def check(row: MetricRow, **expected) -> None:
    """Every field of ``row`` named in ``expected`` equals it (floats to 1e-9); the fields
    not named must be 0 / None (the world has nothing else in that group)."""
    problems = []
    for name, value in row.as_dict().items():
        if name in ("key", "label"):
            continue
        want = expected.get(name, None if isinstance(value, float) or value is None else 0)
        if name in expected or not (value in (0, None) and want in (0, None)):
            ok = (
                value == approx(want)
                if isinstance(want, float) and value is not None
                else value == want
            )
            if not ok:
                problems.append(f"{name}: {value!r} ≠ {want!r}")
    assert not problems, f"{row.label}: " + "; ".join(problems)


def rows_by_key(user, by, **kwargs) -> dict:
    return {row.key: row for row in metric_rows(user, NOVEMBER, by, today=TODAY, **kwargs)}


def test_november_2026_has_no_public_holiday():
    cal = get_calendar()
    for day in range(1, 31):
        date = dt.date(2026, 11, day)
        assert is_working_day(cal, date) == (date.weekday() < 5), date
    for day in (19, 20, 21, 22, 23, 26, 27, 28, 29, 30):  # late October, as the world uses it
        date = dt.date(2026, 10, day)
        assert is_working_day(cal, date) == (date.weekday() < 5), date


def test_the_clock_columns_of_the_world(metrics_world):
    """The due dates and the two duration columns, as the services' store_clock sets them."""
    k = metrics_world.cases
    expected = {
        # case: (due_date, days_used, legal_days)
        "K1": (d(11, 9), 4, 10),
        "K2": (d(11, 6), 5, 5),
        "K3": (d(11, 13), 4, 20),
        "K4": (d(11, 23), None, None),
        "K5": (d(11, 23), None, None),
        "K6": (d(12, 7), None, None),
        "K7": (d(11, 2), 7, None),
        # K8: (10-19, 12-07] = 10-20..10-30 (9) + November (21) + 12-01..12-07 (5) WD
        "K8": (d(10, 26), 35, None),
        "K9": (d(11, 24), 0, 0),
        "K10": (d(11, 26), None, None),
        "K11": (d(10, 26), None, None),
        "K12": (d(11, 9), None, None),  # stored when suspended on 11-04: 5 WD after 11-02
    }
    got = {
        key: (case.due_date, case.days_used, case.legal_days)
        for key, case in k.items()
        if key != "KX"
    }
    assert got == expected
    assert k["K3"].days_suspended == 2
    assert k["K3"].legal_due == d(12, 4)


def test_totals(metrics_world):
    (row,) = metric_rows(metrics_world.supervisor, NOVEMBER, today=TODAY)
    assert row.key is None and row.label == "合计"
    check(
        row,
        accepted=9,
        accepted_completed=4,
        completion_rate=4 / 9,
        completed=5,
        completed_on_time=3,
        promise_kept_rate=3 / 5,
        overdue_open=4,
        avg_working_days=4.0,
        days_used_total=13,
        legal_days_total=35,
        speedup_cases=4,
        speedup=1 - 13 / 35,
        ratings=5,
        satisfied=3,
        satisfaction_share=3 / 5,
        commissions_completed=3,
        visited=2,
        follow_up_coverage=2 / 3,
        consultations=3,
        backfilled_completion=2 / 9,
        backfilled_promise=1 / 5,
        backfilled_overdue=1 / 4,
        backfilled_ratings=1 / 5,
        backfilled_visits=1 / 2,
    )
    assert metric_total(metrics_world.supervisor, NOVEMBER, today=TODAY) == row


def test_by_department(metrics_world):
    """D1 = K1 K2 K5 K6 K8 K11; D2 = K3 K4 K7 K9 K10 K12; the agency (lead department of
    every commission, department of both agents) holds the commission's rating R3, the
    completed commissions and the consultations.

    D1: Acc K1 K2 K5 K6 = 4, AC K1 K2 = 2; Cm K1 K2, OT K1; OD K5 K8 K11; days 4+5 = 9 / 2;
        speed-up 1 − 9/15; BF among Acc K2 K5 = 2/4, among Cm K2 = 1/2, BA among OD K5 = 1/3;
        ratings R1 R2, satisfied R1, back-filled R2.
    D2: Acc K3 K4 K9 K10 K12 = 5, AC K3 K9 = 2; Cm K3 K7 K9, OT K3 K9; OD K4;
        days 4+7+0 = 11 / 3; speed-up over K3 K9: 1 − 4/20; nothing back-filled;
        ratings R4 R5, satisfied R5.
    """
    w = metrics_world
    rows = rows_by_key(w.supervisor, "department")
    assert set(rows) == {w.d1.pk, w.d2.pk, w.agency.pk}
    assert rows[w.d1.pk].label == "东胜区发展和改革委员会"
    check(
        rows[w.d1.pk],
        accepted=4,
        accepted_completed=2,
        completion_rate=2 / 4,
        completed=2,
        completed_on_time=1,
        promise_kept_rate=1 / 2,
        overdue_open=3,
        avg_working_days=9 / 2,
        days_used_total=9,
        legal_days_total=15,
        speedup_cases=2,
        speedup=1 - 9 / 15,
        ratings=2,
        satisfied=1,
        satisfaction_share=1 / 2,
        backfilled_completion=2 / 4,
        backfilled_promise=1 / 2,
        backfilled_overdue=1 / 3,
        backfilled_ratings=1 / 2,
    )
    check(
        rows[w.d2.pk],
        accepted=5,
        accepted_completed=2,
        completion_rate=2 / 5,
        completed=3,
        completed_on_time=2,
        promise_kept_rate=2 / 3,
        overdue_open=1,
        avg_working_days=11 / 3,
        days_used_total=4,
        legal_days_total=20,
        speedup_cases=2,
        speedup=1 - 4 / 20,
        ratings=2,
        satisfied=1,
        satisfaction_share=1 / 2,
        backfilled_completion=0.0,
        backfilled_promise=0.0,
        backfilled_overdue=0.0,
        backfilled_ratings=0.0,
    )
    check(
        rows[w.agency.pk],
        ratings=1,
        satisfied=1,
        satisfaction_share=1.0,
        backfilled_ratings=0.0,
        commissions_completed=3,
        visited=2,
        follow_up_coverage=2 / 3,
        backfilled_visits=1 / 2,
        consultations=3,
    )


def test_by_agent(metrics_world):
    """A1 = the cases of C1 (K1 K2 K3 K7); A2 = those of C2 and C4.

    A1: Acc K1 K2 K3 = 3, all completed → 3/3; Cm K1 K2 K3 K7 = 4, OT K1 K3 → 2/4; OD none;
        days 4+5+4+7 = 20 / 4; speed-up 1 − 13/35; BF K2: 1/3 of Acc, 1/4 of Cm;
        ratings R1 R2 R3 R4 (all of C1), satisfied R1 R3, back-filled R2;
        commissions C1 C5, visited C1 (back-filled); consultations Q1 Q3.
    A2: Acc K4 K5 K6 K9 K10 K12 = 6, AC K9 → 1/6; Cm K9, on time; OD K4 K5 K8 K11;
        days 0 / 1; speed-up: legal 0 → none; BF K5: 1/6 of Acc, BA 1/4 of OD, 0/1 of Cm;
        ratings R5 satisfied; commission C3 visited; consultation Q2.
    """
    w = metrics_world
    rows = rows_by_key(w.supervisor, "agent")
    assert set(rows) == {w.a1.pk, w.a2.pk}
    assert rows[w.a1.pk].label == "代办员甲"
    check(
        rows[w.a1.pk],
        accepted=3,
        accepted_completed=3,
        completion_rate=1.0,
        completed=4,
        completed_on_time=2,
        promise_kept_rate=2 / 4,
        avg_working_days=20 / 4,
        days_used_total=13,
        legal_days_total=35,
        speedup_cases=3,
        speedup=1 - 13 / 35,
        ratings=4,
        satisfied=2,
        satisfaction_share=2 / 4,
        commissions_completed=2,
        visited=1,
        follow_up_coverage=1 / 2,
        consultations=2,
        backfilled_completion=1 / 3,
        backfilled_promise=1 / 4,
        backfilled_ratings=1 / 4,
        backfilled_visits=1.0,
    )
    check(
        rows[w.a2.pk],
        accepted=6,
        accepted_completed=1,
        completion_rate=1 / 6,
        completed=1,
        completed_on_time=1,
        promise_kept_rate=1.0,
        overdue_open=4,
        avg_working_days=0.0,
        speedup_cases=1,
        ratings=1,
        satisfied=1,
        satisfaction_share=1.0,
        commissions_completed=1,
        visited=1,
        follow_up_coverage=1.0,
        consultations=1,
        backfilled_completion=1 / 6,
        backfilled_promise=0.0,
        backfilled_overdue=1 / 4,
        backfilled_ratings=0.0,
        backfilled_visits=0.0,
    )
    assert rows[w.a2.pk].speedup is None  # Σ legal days 0: no ratio


def test_by_region(metrics_world):
    """By the project's region: R1 东胜区 = C1 C4 C5 (K1 K2 K3 K7 K9 K10 K11 K12), R2 铜川镇
    = C2 C3 (K4 K5 K6 K8); consultations by their own region (Q1 R1; Q2 Q3 R2).

    R1: Acc K1 K2 K3 K9 K10 K12 = 6, AC K1 K2 K3 K9 → 4/6; Cm 5, OT 3; OD K11;
        days 20 / 5; speed-up 1 − 13/35; BF K2: 1/6, 1/5; BA 0/1;
        ratings R1..R5 = 5, satisfied 3, back-filled 1; commissions C1 C5, visited C1 (BF).
    R2: Acc K4 K5 K6 = 3, AC 0; Cm 0; OD K4 K5 K8; BF K5 1/3, BA 1/3;
        commission C3 visited; consultations Q2 Q3.
    """
    w = metrics_world
    rows = rows_by_key(w.supervisor, "region")
    assert set(rows) == {w.r1.pk, w.r2.pk}
    assert rows[w.r2.pk].label == "铜川镇"
    check(
        rows[w.r1.pk],
        accepted=6,
        accepted_completed=4,
        completion_rate=4 / 6,
        completed=5,
        completed_on_time=3,
        promise_kept_rate=3 / 5,
        overdue_open=1,
        avg_working_days=4.0,
        days_used_total=13,
        legal_days_total=35,
        speedup_cases=4,
        speedup=1 - 13 / 35,
        ratings=5,
        satisfied=3,
        satisfaction_share=3 / 5,
        commissions_completed=2,
        visited=1,
        follow_up_coverage=1 / 2,
        consultations=1,
        backfilled_completion=1 / 6,
        backfilled_promise=1 / 5,
        backfilled_overdue=0.0,
        backfilled_ratings=1 / 5,
        backfilled_visits=1.0,
    )
    check(
        rows[w.r2.pk],
        accepted=3,
        completion_rate=0.0,
        overdue_open=3,
        commissions_completed=1,
        visited=1,
        follow_up_coverage=1.0,
        consultations=2,
        backfilled_completion=1 / 3,
        backfilled_overdue=1 / 3,
        backfilled_visits=0.0,
    )


def test_by_stage(metrics_world):
    """S1 = K1 K3 K5 K8 K9 K11, S2 = K2 K4 K6 K7 K10 K12; the commission's rating R3, the
    commissions and the consultations have no stage (the row keyed None).

    S1: Acc K1 K3 K5 K9 = 4, AC K1 K3 K9 → 3/4; Cm K1 K3 K9 all on time; OD K5 K8 K11;
        days 4+4+0 = 8 / 3; speed-up 1 − 8/30; BF K5 1/4, Cm 0/3, BA K5 1/3;
        ratings R1 R4 R5, satisfied R1 R5.
    S2: Acc K2 K4 K6 K10 K12 = 5, AC K2 → 1/5; Cm K2 K7 none on time; OD K4;
        days 5+7 = 12 / 2; speed-up over K2: 1 − 5/5 = 0; BF K2 1/5, 1/2, BA 0/1;
        ratings R2 (back-filled), not satisfied.
    """
    w = metrics_world
    rows = rows_by_key(w.supervisor, "stage")
    assert list(rows) == ["project_land", "engineering", None]  # the catalog's stage order
    assert rows["project_land"].label == "立项用地规划许可"
    check(
        rows["project_land"],
        accepted=4,
        accepted_completed=3,
        completion_rate=3 / 4,
        completed=3,
        completed_on_time=3,
        promise_kept_rate=1.0,
        overdue_open=3,
        avg_working_days=8 / 3,
        days_used_total=8,
        legal_days_total=30,
        speedup_cases=3,
        speedup=1 - 8 / 30,
        ratings=3,
        satisfied=2,
        satisfaction_share=2 / 3,
        backfilled_completion=1 / 4,
        backfilled_promise=0.0,
        backfilled_overdue=1 / 3,
        backfilled_ratings=0.0,
    )
    check(
        rows["engineering"],
        accepted=5,
        accepted_completed=1,
        completion_rate=1 / 5,
        completed=2,
        completed_on_time=0,
        promise_kept_rate=0.0,
        overdue_open=1,
        avg_working_days=6.0,
        days_used_total=5,
        legal_days_total=5,
        speedup_cases=1,
        speedup=0.0,
        ratings=1,
        satisfied=0,
        satisfaction_share=0.0,
        backfilled_completion=1 / 5,
        backfilled_promise=1 / 2,
        backfilled_overdue=0.0,
        backfilled_ratings=1.0,
    )
    check(
        rows[None],
        ratings=1,
        satisfied=1,
        satisfaction_share=1.0,
        backfilled_ratings=0.0,
        commissions_completed=3,
        visited=2,
        follow_up_coverage=2 / 3,
        backfilled_visits=1 / 2,
        consultations=3,
    )


def test_by_service_mode(metrics_world):
    """M1 = K1 K2 K5 K7 K9 K10, M2 = K3 K4 K6 K8 K11 K12.

    M1: Acc K1 K2 K5 K9 K10 = 5, AC K1 K2 K9 → 3/5; Cm K1 K2 K7 K9, OT K1 K9 → 2/4; OD K5;
        days 4+5+7+0 = 16 / 4; speed-up over K1 K2 K9: 1 − 9/15; BF K2 K5 2/5, Cm K2 1/4,
        BA K5 1/1; ratings R1 R2 R5, satisfied R1 R5, back-filled R2.
    M2: Acc K3 K4 K6 K12 = 4, AC K3 → 1/4; Cm K3 on time; OD K4 K8 K11; days 4 / 1;
        speed-up 1 − 4/20; nothing back-filled; rating R4, not satisfied.
    """
    w = metrics_world
    rows = rows_by_key(w.supervisor, "service_mode")
    assert list(rows) == ["bangban", "joint", None]
    assert rows["joint"].label == "联审联批"
    check(
        rows["bangban"],
        accepted=5,
        accepted_completed=3,
        completion_rate=3 / 5,
        completed=4,
        completed_on_time=2,
        promise_kept_rate=2 / 4,
        overdue_open=1,
        avg_working_days=16 / 4,
        days_used_total=9,
        legal_days_total=15,
        speedup_cases=3,
        speedup=1 - 9 / 15,
        ratings=3,
        satisfied=2,
        satisfaction_share=2 / 3,
        backfilled_completion=2 / 5,
        backfilled_promise=1 / 4,
        backfilled_overdue=1.0,
        backfilled_ratings=1 / 3,
    )
    check(
        rows["joint"],
        accepted=4,
        accepted_completed=1,
        completion_rate=1 / 4,
        completed=1,
        completed_on_time=1,
        promise_kept_rate=1.0,
        overdue_open=3,
        avg_working_days=4.0,
        days_used_total=4,
        legal_days_total=20,
        speedup_cases=1,
        speedup=1 - 4 / 20,
        ratings=1,
        satisfied=0,
        satisfaction_share=0.0,
        backfilled_completion=0.0,
        backfilled_promise=0.0,
        backfilled_overdue=0.0,
        backfilled_ratings=0.0,
    )
    assert rows[None].commissions_completed == 3 and rows[None].consultations == 3


@pytest.mark.parametrize("by", list(DIMENSIONS))
def test_every_dimension_adds_up_to_the_total(metrics_world, by):
    total = metric_total(metrics_world.supervisor, NOVEMBER, today=TODAY)
    rows = metric_rows(metrics_world.supervisor, NOVEMBER, by, today=TODAY)
    counts = [
        "accepted",
        "accepted_completed",
        "completed",
        "completed_on_time",
        "overdue_open",
        "days_used_total",
        "legal_days_total",
        "speedup_cases",
        "ratings",
        "satisfied",
        "commissions_completed",
        "visited",
        "consultations",
    ]
    for name in counts:
        assert sum(getattr(row, name) for row in rows) == getattr(total, name), name


def test_a_period_not_over_is_read_today(metrics_world):
    """December 2026 read on 12-10: overdue = running cases due before 12-10 — K4 (11-23),
    K5 (11-23), K6 (12-07); K8 was approved on 12-07 and K11 withdrawn on 12-02, K12 is
    suspended. That is the ledger's red list of the same day."""
    december = Period.month(2026, 12)
    row = metric_total(metrics_world.supervisor, december, today=TODAY)
    assert row.overdue_open == 3
    assert row.completed == 1  # K8 approved 12-07
    assert row.accepted == 0
    red = case_filter(case_list_for(metrics_world.supervisor, today=TODAY), {"warning": "red"})
    assert set(red.values_list("code", "commission_id")) == {
        (metrics_world.cases[k].code, metrics_world.cases[k].commission_id)
        for k in ("K4", "K5", "K6")
    }
    listed = metric_records(metrics_world.supervisor, december, "overdue_open", today=TODAY)
    assert set(listed) == set(red)


def test_the_region_argument_narrows_to_a_subtree(metrics_world):
    w = metrics_world
    by_region = rows_by_key(w.supervisor, "region")
    (tongchuan,) = metric_rows(w.supervisor, NOVEMBER, region=w.r2, today=TODAY)
    assert tongchuan.as_dict() | {"key": None, "label": ""} == by_region[w.r2.pk].as_dict() | {
        "key": None,
        "label": "",
    }
    (by_id,) = metric_rows(w.supervisor, NOVEMBER, region=w.r2.pk, today=TODAY)
    assert by_id.accepted == 3
    # a region outside the user's subtree gives nothing, never more than the scope
    (outside,) = metric_rows(w.supervisor, NOVEMBER, region=region("150202"), today=TODAY)
    check(outside)


# --- scoping -----------------------------------------------------------------------------


def test_a_supervisor_of_another_city_sees_only_its_own(metrics_world):
    """包头市's supervisor sees KX (accepted 11-02, approved 11-03 on time: 1 WD used, legal
    10 → due 11-16), its rating and its consultation; nothing of 东胜区."""
    baotou = UserFactory(role=Role.SUPERVISOR, department=None, region=region("150200"))
    (row,) = metric_rows(baotou, NOVEMBER, today=TODAY)
    check(
        row,
        accepted=1,
        accepted_completed=1,
        completion_rate=1.0,
        completed=1,
        completed_on_time=1,
        promise_kept_rate=1.0,
        avg_working_days=1.0,
        days_used_total=1,
        legal_days_total=10,
        speedup_cases=1,
        speedup=1 - 1 / 10,
        ratings=1,
        satisfied=1,
        satisfaction_share=1.0,
        consultations=1,
        backfilled_completion=0.0,
        backfilled_promise=0.0,
        backfilled_ratings=0.0,
    )


@pytest.mark.parametrize("by", [None, *DIMENSIONS])
def test_a_supervisor_of_a_region_without_records_sees_zero(metrics_world, by):
    hohhot = UserFactory(role=Role.SUPERVISOR, department=None, region=region("150100"))
    rows = metric_rows(hohhot, NOVEMBER, by, today=TODAY)
    if by is None:
        check(rows[0])
    else:
        assert rows == []


def test_roles_without_a_region_scope_see_nothing(metrics_world):
    enterprise = UserFactory(role=Role.ENTERPRISE, department=None)
    check(metric_total(enterprise, NOVEMBER, today=TODAY))


# --- drill-down ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("metric", "by", "key", "expected"),
    [
        ("accepted", None, None, {"K1", "K2", "K3", "K4", "K5", "K6", "K9", "K10", "K12"}),
        ("accepted_completed", "department", "d1", {"K1", "K2"}),
        ("completed", "stage", "engineering", {"K2", "K7"}),
        ("completed_on_time", "service_mode", "bangban", {"K1", "K9"}),
        ("overdue_open", "agent", "a2", {"K4", "K5", "K8", "K11"}),
        ("overdue_open", "region", "r1", {"K11"}),
    ],
)
def test_the_cases_behind_a_count(metrics_world, metric, by, key, expected):
    w = metrics_world
    key = getattr(w, key).pk if key in ("d1", "a2", "r1") else key
    listed = metric_records(w.supervisor, NOVEMBER, metric, by, key, today=TODAY)
    names = {name for name, case in w.cases.items() if case in set(listed)}
    assert names == expected
    row = (
        rows_by_key(w.supervisor, by)[key]
        if by
        else metric_total(w.supervisor, NOVEMBER, today=TODAY)
    )
    assert getattr(row, metric) == len(expected)


def test_the_other_records_behind_a_count(metrics_world):
    w = metrics_world
    sup = w.supervisor
    assert metric_records(sup, NOVEMBER, "ratings", today=TODAY).count() == 5
    assert metric_records(sup, NOVEMBER, "satisfied", "stage", None, today=TODAY).count() == 1
    visited = metric_records(sup, NOVEMBER, "visited", today=TODAY)
    assert set(visited) == {w.commissions["C1"], w.commissions["C3"]}
    assert metric_records(sup, NOVEMBER, "consultations", "region", w.r2.pk).count() == 2
    assert metric_records(sup, NOVEMBER, "commissions_completed", "stage", "x").count() == 0


# --- the period -----------------------------------------------------------------------------


def test_periods():
    assert Period.parse("2026-10") == Period(d(10, 1), d(10, 31), "month")
    assert Period.parse("2026-Q4") == Period(d(10, 1), d(12, 31), "quarter")
    assert Period.parse("2026") == Period(d(1, 1), d(12, 31), "year")
    assert Period.parse("2026-02") == Period(d(2, 1), d(2, 28), "month")
    custom = Period.parse("2026-10-08~2026-11-07")
    assert (custom.start, custom.end, custom.kind) == (d(10, 8), d(11, 7), "custom")
    for period in (Period.month(2026, 10), Period.quarter(2026, 4), Period.year(2026), custom):
        assert Period.parse(period.token) == period
    assert Period.month(2026, 10).label == "2026年10月"
    assert Period.quarter(2026, 4).label == "2026年第4季度"
    assert NOVEMBER.as_of(TODAY) == d(11, 30)
    assert Period.month(2026, 12).as_of(TODAY) == TODAY


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-13", "月份"),
        ("2026-Q5", "统计期间格式"),
        ("abc", "统计期间格式"),
        ("2026-11-30~2026-11-01", "结束日期不能早于开始日期"),
        ("2026-02-30~2026-03-01", "日期无效"),
        ("2020-01-01~2026-12-31", "最长五年"),
    ],
)
def test_bad_periods_are_refused_in_chinese(text, message):
    with pytest.raises(ValueError, match=message):
        Period.parse(text)


def test_an_unknown_dimension_is_refused(metrics_world):
    with pytest.raises(ValueError, match="统计维度"):
        metric_rows(metrics_world.supervisor, NOVEMBER, "colour")


# --- a constant number of queries ------------------------------------------------------------


@pytest.mark.parametrize("by", [None, *DIMENSIONS])
def test_a_constant_number_of_queries(db, by):
    """The world once, then three times (36 cases and more): the same number of queries."""
    build_metrics_world()
    supervisor = UserFactory(role=Role.SUPERVISOR, department=None, region=region("150602"))
    supervisor = type(supervisor).objects.select_related("region").get(pk=supervisor.pk)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            rows = metric_rows(supervisor, NOVEMBER, by, today=TODAY)
        assert rows
        return len(queries)

    small = count()
    build_metrics_world()
    build_metrics_world()
    assert count() == small
    assert small <= 4
