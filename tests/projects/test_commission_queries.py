"""Every list page and list endpoint runs a constant number of queries: the same at 5 and at
50 rows (select_related / prefetch_related in the selectors, no per-row queries)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bangban.accounts.models import Role
from bangban.notifications.services import notify

from .factories import (
    AdminFactory,
    AgentFactory,
    CommissionFactory,
    ConsultationFactory,
    DongshengProjectFactory,
    EnterpriseUserFactory,
    UserFactory,
    department,
    region,
)

pytestmark = pytest.mark.django_db

STATES = ["applied", "verified", "agreed", "refused", "in_progress"]


@pytest.fixture
def people():
    return {
        "enterprise": EnterpriseUserFactory(username="q-ent"),
        "agent": AgentFactory(username="q-agent", mobile="13900000001"),
        "admin": AdminFactory(username="q-admin"),
        "sponsor": UserFactory(
            username="q-sponsor", role=Role.SPONSOR, department=department("dongsheng-gxj")
        ),
        "supervisor": UserFactory(
            username="q-sup", role=Role.SUPERVISOR, region=region("150600"), department=None
        ),
        "officer": UserFactory(username="q-off", role=Role.DEPT_OFFICER),
    }


def grow(people, total: int, made: list) -> None:
    """Bring the number of rows each user sees up to `total`."""
    while len(made) < total:
        i = len(made)
        project = DongshengProjectFactory(
            enterprise=people["enterprise"].enterprise,
            sponsor=people["sponsor"],
            sponsor_department=people["sponsor"].department,
        )
        state = STATES[i % len(STATES)]
        commission = CommissionFactory(
            project=project,
            state=state,
            agent=people["agent"] if i % 2 else None,
            refusal_explanation="不符合产业政策" if state == "refused" else "",
        )
        ConsultationFactory(recorded_by=people["agent"])
        for who in ("agent", "enterprise", "admin"):
            notify(
                event_key=f"test:{i}",
                subject=f"消息 {i}",
                users=[people[who]],
                commission=commission,
            )
        made.append(commission)


LIST_URLS = {
    "enterprise": [
        "/commissions/",
        "/accounts/workbench/",
        "/accounts/workbench/messages/",
        "/api/v1/commissions/",
        "/api/v1/projects/",
        "/api/v1/enterprises/",
    ],
    "agent": [
        "/accounts/workbench/",
        "/commissions/",
        "/workbench/consultations/",
        "/accounts/workbench/messages/",
        "/api/v1/commissions/",
        "/api/v1/projects/",
        "/api/v1/enterprises/",
        "/api/v1/consultations/",
    ],
    "admin": [
        "/accounts/workbench/",
        "/commissions/",
        "/workbench/consultations/",
        "/api/v1/commissions/",
        "/api/v1/projects/",
        "/api/v1/enterprises/",
        "/api/v1/consultations/",
    ],
    "sponsor": [
        "/sponsor/",
        "/commissions/",
        "/accounts/workbench/",
        "/api/v1/projects/",
        "/api/v1/commissions/",
    ],
    "supervisor": [
        "/accounts/workbench/",
        "/commissions/",
        "/workbench/consultations/",
        "/api/v1/commissions/",
        "/api/v1/consultations/",
    ],
    "officer": ["/accounts/workbench/", "/commissions/", "/api/v1/commissions/"],
}


def count_queries(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries), len(response.content)


def test_list_pages_and_endpoints_run_the_same_number_of_queries_at_5_and_50_rows(client, people):
    made: list = []
    grow(people, 5, made)
    small = {}
    for who, urls in LIST_URLS.items():
        client.force_login(people[who])
        for url in urls:
            small[who, url] = count_queries(client, url)
    grow(people, 50, made)
    for who, urls in LIST_URLS.items():
        client.force_login(people[who])
        for url in urls:
            queries, size = count_queries(client, url)
            assert queries == small[who, url][0], f"{who} {url}: {small[who, url][0]} → {queries}"
            assert size >= small[who, url][1], f"{who} {url} shows fewer rows"


def test_a_commission_detail_runs_a_constant_number_of_queries(client, people):
    from bangban.projects import services

    commission = CommissionFactory(project__enterprise=people["enterprise"].enterprise)
    client.force_login(people["admin"])
    url = f"/api/v1/commissions/{commission.pk}/"
    page = f"/commissions/{commission.pk}/"
    before_api, before_page = count_queries(client, url)[0], count_queries(client, page)[0]
    other = AgentFactory(username="q-agent2")
    for agent in [people["agent"], other, people["agent"], other]:
        services.commission_assign(commission=commission, assigned_by=people["admin"], agent=agent)
    assert commission.transitions.count() == 4
    assert count_queries(client, url)[0] == before_api
    assert count_queries(client, page)[0] == before_page
