"""The monthly report's figures on the hand-worked metrics world (tests/supervision/conftest.py:
November 2026 read on 2026-12-10), plus complaints and rectifications added here.

Per department (D1 = 东胜区发展和改革委员会, D2 = 东胜区住房和城乡建设局), from the case table of
conftest.py (Acc accepted in November, AC of those completed by 11-30, Cm completed in
November, OT within the promise, OD open and overdue on 11-30):

    D1: K1 Acc AC Cm OT; K2 Acc AC Cm late; K5 Acc OD; K6 Acc; K8 OD; K11 OD
        accepted 4, completion 2/4 = 50.0%, completed 2, on time 1 → 1/2 = 50.0%, overdue 3
    D2: K3 Acc AC Cm OT; K4 Acc OD; K7 Cm late; K9 Acc AC Cm OT; K10 Acc; K12 Acc
        accepted 5, completion 2/5 = 40.0%, completed 3, on time 2 → 2/3 = 66.7%, overdue 1
    total: accepted 9, 4/9 = 44.4%, completed 5, on time 3 → 60.0%, overdue 4
    (the agency 帮办代办室 has ratings, consultations and commissions but no case: no row)

Ratings in November: 非常满意 1 (R1), 满意 2 (R3, R5), 基本满意 1 (R4), 不满意 1 (R2),
非常不满意 0 → 5; satisfied 3 → 60.0%. Consultations 3. Follow-up: 3 commissions completed
in November, 2 visited → 66.7%.

Complaints (region 东胜区 unless said):
    P1 推诿拖延 received 11-03, closed 11-20 属实
    P2 态度恶劣 received 11-18, still open
    P3 推诿拖延 received 10-28, closed 11-05 不属实      (closed in November, received before)
    P4 推诿拖延 received 11-04 in 包头东河区              (never seen from 东胜区)
    → received 2 (P1 推诿拖延, P2 态度恶劣), closed 2 (P1, P3), substantiated 1 (P1)
Rectifications (of C1's ratings):
    T1 of R2 (不满意): created 11-12, due 11-19, nothing answered → open and overdue on 11-30
    T2 of R4: created 10-20, due 10-27, answered 10-25, closed 11-05 → closed in November
    T3 of R6: created 11-28, due 12-04, verifying → open on 11-30, not yet overdue
    → opened 2 (T1, T3), closed 1 (T2), open at the month's end 2 (T1, T3), overdue 1 (T1)
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bangban.evaluation.models import Complaint, Rating, Rectification
from bangban.supervision.metrics import Period
from bangban.supervision.reports import format_rate, monthly_figures, monthly_layout
from tests.projects.factories import region

from .conftest import at, build_metrics_world, d

pytestmark = pytest.mark.django_db

NOVEMBER = Period.month(2026, 11)
NOW = at(12, 10, 9)


def approx(value):
    return pytest.approx(value, abs=1e-9)


def add_complaints_and_rectifications(world):
    dongsheng, donghe = region("150602"), region("150202")

    def complaint(where, category, received, **fields):
        return Complaint.objects.create(
            region=where,
            channel=Complaint.Channel.HOTLINE_12345,
            category=category,
            content="投诉内容",
            recorded_by=world.supervisor,
            received_at=received,
            **fields,
        )

    complaint(dongsheng, "shirking", at(11, 3), state="closed", closed_at=at(11, 20),
              finding="substantiated")  # fmt: skip
    complaint(dongsheng, "rudeness", at(11, 18), state="handling")
    complaint(dongsheng, "shirking", at(10, 28), state="closed", closed_at=at(11, 5),
              finding="unsubstantiated")  # fmt: skip
    complaint(donghe, "shirking", at(11, 4))

    c1 = world.commissions["C1"]
    r2 = Rating.objects.get(commission=c1, case=world.cases["K2"])
    r4 = Rating.objects.get(commission=c1, case=world.cases["K3"])
    r6 = Rating.objects.get(commission=c1, case=world.cases["K7"])
    Rectification.objects.create(rating=r2, commission=c1, due_date=d(11, 19),
                                 created_at=at(11, 12))  # fmt: skip
    Rectification.objects.create(rating=r4, commission=c1, due_date=d(10, 27),
                                 created_at=at(10, 20), answered_at=at(10, 25),
                                 closed_at=at(11, 5), state="closed")  # fmt: skip
    Rectification.objects.create(rating=r6, commission=c1, due_date=d(12, 4),
                                 created_at=at(11, 28))  # fmt: skip


@pytest.fixture
def world(db):
    built = build_metrics_world()
    add_complaints_and_rectifications(built)
    return built


def test_monthly_figures_are_the_hand_worked_ones(world):
    figures = monthly_figures(world.supervisor, NOVEMBER, now=NOW)
    assert figures["month"] == "2026-11"
    assert figures["period"] == {"start": "2026-11-01", "end": "2026-11-30"}
    assert figures["consultations"] == 3

    rows = {row["name"]: row for row in figures["cases"]["rows"]}
    assert set(rows) == {world.d1.name, world.d2.name}
    d1, d2, total = rows[world.d1.name], rows[world.d2.name], figures["cases"]["total"]
    assert (d1["accepted"], d1["completed"], d1["completed_on_time"], d1["overdue_open"]) == (
        4, 2, 1, 3
    )  # fmt: skip
    assert d1["completion_rate"] == approx(2 / 4)
    assert d1["promise_kept_rate"] == approx(1 / 2)
    assert (d2["accepted"], d2["completed"], d2["completed_on_time"], d2["overdue_open"]) == (
        5, 3, 2, 1
    )  # fmt: skip
    assert d2["completion_rate"] == approx(2 / 5)
    assert d2["promise_kept_rate"] == approx(2 / 3)
    # D2 accepted more: listed first
    assert [row["name"] for row in figures["cases"]["rows"]] == [world.d2.name, world.d1.name]
    assert total["name"] == "合计"
    assert (total["accepted"], total["completed"], total["completed_on_time"]) == (9, 5, 3)
    assert total["overdue_open"] == 4
    assert total["completion_rate"] == approx(4 / 9)
    assert total["promise_kept_rate"] == approx(3 / 5)

    ratings = figures["ratings"]
    assert {row["level"]: row["count"] for row in ratings["levels"]} == {
        "very_satisfied": 1,
        "satisfied": 2,
        "basically_satisfied": 1,
        "dissatisfied": 1,
        "very_dissatisfied": 0,
    }
    assert (ratings["total"], ratings["satisfied"]) == (5, 3)
    assert ratings["satisfaction_share"] == approx(3 / 5)

    complaints = figures["complaints"]
    assert (complaints["received"], complaints["closed"], complaints["substantiated"]) == (2, 2, 1)
    by_category = {row["category"]: row["count"] for row in complaints["by_category"]}
    assert by_category["shirking"] == 1 and by_category["rudeness"] == 1
    assert sum(by_category.values()) == 2

    assert figures["rectifications"] == {"opened": 2, "closed": 1, "open": 2, "overdue_open": 1}
    assert figures["follow_up"]["commissions_completed"] == 3
    assert figures["follow_up"]["visited"] == 2
    assert figures["follow_up"]["coverage"] == approx(2 / 3)


def test_the_figures_agree_with_the_metrics_totals(world):
    """The report's totals are the metrics' (the dashboard shows the same numbers)."""
    from bangban.supervision.metrics import metric_total

    figures = monthly_figures(world.supervisor, NOVEMBER, now=NOW)
    row = metric_total(world.supervisor, NOVEMBER, today=d(12, 10))
    assert figures["ratings"]["total"] == row.ratings
    assert figures["ratings"]["satisfaction_share"] == approx(row.satisfaction_share)
    assert figures["cases"]["total"]["accepted"] == row.accepted


def test_a_region_narrows_the_figures(world):
    # 铜川镇 (R2): C2's cases K4 K5 K6 K8 — D2: K4 Acc OD; D1: K5 Acc OD, K6 Acc, K8 OD
    # → accepted 3, completed 0, overdue 3; consultations: Q2, Q3 → 2; no complaint (区划 东胜区)
    figures = monthly_figures(world.supervisor, NOVEMBER, region=world.r2, now=NOW)
    total = figures["cases"]["total"]
    assert (total["accepted"], total["completed"], total["overdue_open"]) == (3, 0, 3)
    assert total["completion_rate"] == approx(0)
    assert total["promise_kept_rate"] is None
    assert figures["consultations"] == 2
    assert figures["complaints"]["received"] == 0
    assert figures["region"] == {"id": world.r2.pk, "key": world.r2.key, "name": world.r2.name}


def test_the_layout_prints_the_figures(world):
    figures = monthly_figures(world.supervisor, NOVEMBER, now=NOW)
    tables = {t.key: t for section in monthly_layout(figures) for t in section.tables}
    departments = tables["departments"]
    assert [cell.text for cell in departments.rows[-1]] == [
        "合计", "9", "5", "44.4%", "3", "60.0%", "4"
    ]  # fmt: skip
    assert [cell.text for cell in departments.rows[0]] == [
        world.d2.name, "5", "3", "40.0%", "2", "66.7%", "1"
    ]  # fmt: skip
    summary = {row[0].text: row[1].text for row in tables["summary"].rows}
    assert summary["咨询量"] == "3"
    assert summary["满意率"] == "60.0%"
    assert summary["回访覆盖率"] == "66.7%"
    assert format_rate(None) == "—"


def test_the_figures_run_a_constant_number_of_queries(world):
    with CaptureQueriesContext(connection) as small:
        monthly_figures(world.supervisor, NOVEMBER, now=NOW)
    build_metrics_world()  # twice the data
    add_complaints_and_rectifications_again(world)
    with CaptureQueriesContext(connection) as large:
        monthly_figures(world.supervisor, NOVEMBER, now=NOW)
    assert len(large) == len(small)


def add_complaints_and_rectifications_again(world):
    dongsheng = region("150602")
    for n in range(5):
        Complaint.objects.create(
            region=dongsheng,
            channel=Complaint.Channel.WINDOW,
            category="other",
            content=f"投诉{n}",
            recorded_by=world.supervisor,
            received_at=at(11, 10),
        )
