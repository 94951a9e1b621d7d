"""The dashboard runs the SAME number of SQL queries whatever the data (issue 13, "done when"):
its data function, its page and its API at 3 and at 30 commissions, each with cases in every
state, ratings, a rectification, a follow-up visit, a complaint, a meeting decision and an
escalation, spread over more departments and stages at the larger size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bangban.accounts.models import Role
from bangban.cases import lifecycle
from bangban.cases.models import Escalation
from bangban.catalog.models import Item
from bangban.catalog.selectors import catalog_version_published
from bangban.coordination.models import ActionItem, Meeting
from bangban.evaluation.models import Complaint, FollowUpVisit, Level, Rectification
from bangban.organization.models import Department
from bangban.supervision.dashboard import dashboard_for
from tests.projects.factories import AgentFactory, UserFactory, department, region

from .dashboard_world import MONTH, TODAY, _dongsheng_commission, at, d, make_case, rate

pytestmark = pytest.mark.django_db

STATES = [
    (lifecycle.ACCEPTED, d(11, 2), d(11, 10), None),  # overdue
    (lifecycle.ACCEPTED_GAPS, d(11, 9), d(11, 18), None),  # due today
    (lifecycle.SUSPENDED, d(11, 3), d(11, 12), None),
    (lifecycle.COMPLETED, d(11, 2), d(11, 9), d(11, 6)),  # on time
    (lifecycle.COMPLETED, d(9, 2), d(9, 9), d(9, 16)),  # late, September
    (lifecycle.PLANNED, None, None, None),
]


def populate(n: int) -> None:
    """``n`` commissions of 东胜区 with their records; the departments and items cycle."""
    departments = list(
        Department.objects.filter(region__key="150602", function="approval").order_by("pk")
    )[: max(2, n // 3)]
    catalog = list(
        Item.objects.filter(version=catalog_version_published()).order_by("stage", "code")[
            : len(STATES) * 3
        ]
    )
    agent = AgentFactory()
    rater = UserFactory(role=Role.ENTERPRISE, department=None)
    ds = region("150602")
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.BRIEFING,
        title="项目碰头会",
        state=Meeting.State.HELD,
        region=ds,
        host_department=department("dongsheng-bbdb"),
        created_by=agent,
    )
    for i in range(n):
        commission = _dongsheng_commission(agent, ds)
        dept = departments[i % len(departments)]
        cases = []
        for j, (state, accepted, due, finish) in enumerate(STATES):
            item = catalog[(i + j) % len(catalog)]
            cases.append(
                make_case(
                    commission,
                    item,
                    dept=dept,
                    state=state,
                    accepted=accepted,
                    due=due,
                    finish=finish,
                )
            )
        completed = cases[3]
        bad = rate(commission, completed, Level.DISSATISFIED, at(11, 10), rater)
        rate(commission, None, Level.SATISFIED, at(11, 11), rater)
        Rectification.objects.create(
            rating=bad, commission=commission, department=dept, due_date=d(11, 17 + i % 5)
        )
        FollowUpVisit.objects.create(
            commission=commission, reason=FollowUpVisit.Reason.BAD_RATING, due_date=d(11, 19)
        )
        Complaint.objects.create(
            region=ds,
            channel=Complaint.Channel.HOTLINE,
            category=Complaint.Category.RUDENESS,
            subject_department=dept,
            content="态度不好",
            recorded_by=agent,
            due_date=d(11, 16 + i % 7),
        )
        ActionItem.objects.create(
            meeting=meeting, text=f"议定事项{i}", owner_department=dept, due_date=d(11, 20)
        )
        Escalation.objects.create(
            commission=commission,
            case=cases[0],
            kind=Escalation.Kind.OVERDUE,
            problem=f"超期{i}",
        )


def count_queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


@pytest.fixture
def frozen(monkeypatch):
    moment = at(11, 18, 10)
    monkeypatch.setattr(timezone, "now", lambda: moment)


def measure(client, supervisor) -> dict[str, int]:
    client.force_login(supervisor)

    def page():
        response = client.get("/supervision/", {"month": MONTH})
        assert response.status_code == 200

    def api():
        response = client.get("/api/v1/dashboard/", {"month": MONTH})
        assert response.status_code == 200

    def staffing_page():
        assert client.get("/supervision/staffing/").status_code == 200

    def staffing_api():
        assert client.get("/api/v1/staffing-shortages/", {"all": "1"}).status_code == 200

    # the data function for a fresh user object (its region read once, like a request's)
    def data():
        fresh = type(supervisor).objects.get(pk=supervisor.pk)
        dashboard_for(fresh, month=MONTH, today=TODAY)

    return {
        "data": count_queries(data),
        "page": count_queries(page),
        "api": count_queries(api),
        "staffing_page": count_queries(staffing_page),
        "staffing_api": count_queries(staffing_api),
    }


def test_the_dashboard_runs_the_same_queries_at_3_and_30_commissions(client, frozen):
    supervisor = UserFactory(role=Role.SUPERVISOR, region=region("150600"), department=None)
    populate(3)
    small = measure(client, supervisor)
    populate(27)
    large = measure(client, supervisor)
    assert small == large, (small, large)
    # and the work shown grew: the larger world has ten times the cases in the charts
    data = dashboard_for(supervisor, month=MONTH, today=TODAY)
    stage_state = next(c for c in data.charts if c.key == "cases_by_stage_state")
    assert sum(total for total, _ in stage_state.totals) == 30 * len(STATES)
    due = {d.key: d for d in data.due}
    assert due["cases"].overdue == 30 and len(due["cases"].rows) == 10
    assert data.escalations_open == 30 and len(data.escalations) == 10
    assert small["data"] <= 30, small  # a budget: grouped queries, not one per record
