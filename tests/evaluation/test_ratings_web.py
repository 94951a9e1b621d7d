"""好差评 on the pages and the API: the enterprise's rating card on its commission page, staff
recording a paper rating, the rating list's filters (the dashboard's drill-down names), the
scoping (another region's supervisor gets 404) and the lists' query counts at two sizes."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bangban.evaluation.models import FollowUpVisit, Level, Rating, Rectification
from tests.projects.factories import EnterpriseUserFactory, UserFactory, region

from .ratings_fixtures import DONE, api, make_after, page

pytestmark = pytest.mark.django_db


def commission_page(after, user):
    return page(user).get(f"/commissions/{after.commission.pk}/")


# --- the commission page ------------------------------------------------------------------------


def test_the_enterprise_rates_on_its_commission_page(after):
    response = commission_page(after, after.enterprise)
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="rate-commission"' in text and "评价本次服务" in text
    assert f'id="rate-case-{after.case(DONE).pk}"' in text
    client = page(after.enterprise)
    response = client.post(
        "/ratings/new/",
        {"commission": after.commission.pk, "level": "dissatisfied", "comment": "等待太久"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/commissions/{after.commission.pk}/#ratings"
    rating = Rating.objects.get()
    assert rating.source == "portal" and rating.level == "dissatisfied"
    # the page now shows the rating and the rectification's promise, no commission form
    text = commission_page(after, after.enterprise).content.decode()
    assert 'id="rate-commission"' not in text and "差评整改：待核实" in text
    # a second attempt: 400 with the message, nothing written
    response = client.post(
        "/ratings/new/", {"commission": after.commission.pk, "level": "very_satisfied"}
    )
    assert response.status_code == 400
    assert "每项服务只能评价一次" in response.content.decode()
    assert Rating.objects.count() == 1


def test_the_page_refuses_a_rating_before_completion():
    after = make_after(complete_it=False)
    text = commission_page(after, after.enterprise).content.decode()
    assert 'id="rate-commission"' not in text
    assert f'id="rate-case-{after.case(DONE).pk}"' in text  # a completed case may be rated
    response = page(after.enterprise).post(
        "/ratings/new/", {"commission": after.commission.pk, "level": "satisfied"}
    )
    assert response.status_code == 400
    assert "代办委托办结后才能评价（当前状态「办理中」）。" in response.content.decode()
    assert not Rating.objects.exists()


def test_another_enterprise_cannot_rate_or_open_the_form(after):
    stranger = EnterpriseUserFactory()
    client = page(stranger)
    response = client.post(
        "/ratings/new/", {"commission": after.commission.pk, "level": "satisfied"}
    )
    assert response.status_code == 404
    assert client.get(f"/ratings/new/?commission={after.commission.pk}").status_code == 404
    assert not Rating.objects.exists()


def test_staff_record_a_paper_rating_on_the_page(after):
    text = commission_page(after, after.agent).content.decode()
    assert "登记窗口或纸质评价" in text
    said = timezone.localtime() - dt.timedelta(hours=1)
    response = page(after.agent).post(
        "/ratings/new/",
        {
            "commission": after.commission.pk,
            "case": after.case(DONE).pk,
            "source": "window",
            "level": "satisfied",
            "rated_at": f"{said:%Y-%m-%dT%H:%M}",
        },
    )
    assert response.status_code == 302
    rating = Rating.objects.get()
    assert rating.source == "window" and rating.backfilled and rating.rated_by == after.agent
    # the supervisor reads, it does not record
    response = page(after.supervisor).post(
        "/ratings/new/", {"commission": after.commission.pk, "level": "satisfied"}
    )
    assert response.status_code == 404


# --- the list and its filters ---------------------------------------------------------------


def rating(after, level, *, case=None, when=None, source="portal"):
    return Rating.objects.create(
        commission=after.commission,
        case=case,
        department=case.department if case else after.commission.lead_department,
        level=level,
        source=source,
        rated_by=after.enterprise,
        rated_at=when or timezone.now(),
    )


def test_the_list_filters_by_level_department_and_month(after):
    cases = list(after.commission.cases.select_related("department").order_by("code")[:3])
    october = timezone.make_aware(dt.datetime(2026, 10, 15, 10, 0))
    november = timezone.make_aware(dt.datetime(2026, 11, 2, 10, 0))
    a = rating(after, Level.SATISFIED, case=cases[0], when=october)
    b = rating(after, Level.DISSATISFIED, case=cases[1], when=october)
    c = rating(after, Level.VERY_SATISFIED, case=cases[2], when=november)
    client = page(after.supervisor)

    def ids(query):
        response = client.get(f"/ratings/?{query}")
        assert response.status_code == 200
        return {r.pk for r in response.context["page"].object_list}

    assert ids("") == {a.pk, b.pk, c.pk}
    assert ids("level=dissatisfied") == {b.pk}
    assert ids("level=good") == {a.pk, c.pk}
    assert ids("month=2026-10") == {a.pk, b.pk}
    assert ids(f"department={cases[0].department_id}") == {
        r.pk for r in (a, b, c) if r.department_id == cases[0].department_id
    }
    assert ids("month=2026-10&level=satisfied") == {a.pk}
    assert ids("month=not-a-month&department=x") == {a.pk, b.pk, c.pk}  # ignored
    body = api(after.supervisor).get("/api/v1/ratings/?month=2026-11").json()
    assert [row["id"] for row in body["results"]] == [c.pk]


def test_scoping_of_the_lists_and_details(after):
    own = rating(after, Level.DISSATISFIED)
    other = make_after()
    theirs = Rating.objects.create(
        commission=other.commission,
        department=other.commission.lead_department,
        level=Level.SATISFIED,
        source="portal",
        rated_by=other.enterprise,
    )
    # the enterprise sees its own only
    body = api(after.enterprise).get("/api/v1/ratings/").json()
    assert [row["id"] for row in body["results"]] == [own.pk]
    assert api(after.enterprise).get(f"/api/v1/ratings/{theirs.pk}/").status_code == 404
    # a supervisor of another city (包头) gets 404 for ours
    baotou = UserFactory(role="supervisor", region=region("150200"), department=None)
    assert api(baotou).get(f"/api/v1/ratings/{own.pk}/").status_code == 404
    assert api(baotou).get("/api/v1/ratings/").json()["count"] == 0
    assert page(baotou).get("/ratings/").context["page"].paginator.count == 0
    # ours sees both 东胜区 ratings
    assert api(after.supervisor).get("/api/v1/ratings/").json()["count"] == 2
    # the department officer sees the ratings about its department only
    officer = after.officer()
    assert api(officer).get(f"/api/v1/ratings/{own.pk}/").status_code == (
        200 if own.department_id == officer.department_id else 404
    )


# --- the API ------------------------------------------------------------------------------------


def test_the_api_rates_once_and_explains(after):
    client = api(after.enterprise)
    response = client.post(
        "/api/v1/ratings/",
        {"commission": after.commission.pk, "level": "very_dissatisfied", "comment": "不满意"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["source"] == "portal" and body["rectification"]["state"] == "verifying"
    response = client.post(
        "/api/v1/ratings/", {"commission": after.commission.pk, "level": "satisfied"}, format="json"
    )
    assert response.status_code == 400
    assert "每项服务只能评价一次" in response.json()["detail"][0]
    response = client.post(
        "/api/v1/ratings/", {"commission": after.commission.pk, "level": "great"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["level"] == [
        "请选择评价等级（非常满意、满意、基本满意、不满意、非常不满意）。"
    ]
    other = make_after()
    response = client.post(
        "/api/v1/ratings/", {"commission": other.commission.pk, "level": "satisfied"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["commission"] == ["未找到该代办委托，或您无权评价。"]
    assert Rating.objects.count() == 1


def test_the_api_refuses_a_rating_before_completion():
    after = make_after(complete_it=False)
    response = api(after.enterprise).post(
        "/api/v1/ratings/", {"commission": after.commission.pk, "level": "satisfied"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == ["代办委托办结后才能评价（当前状态「办理中」）。"]


# --- query counts ------------------------------------------------------------------------------


def _fill(after, cases, *, start: int = 0) -> None:
    """One rating per case; every other one bad, with its rectification and return visit;
    the others with a sampled visit."""
    for index, case in enumerate(cases, start=start):
        r = rating(after, Level.DISSATISFIED if index % 2 else Level.SATISFIED, case=case)
        if index % 2:
            Rectification.objects.create(
                rating=r,
                commission=after.commission,
                department=case.department,
                agent=after.agent,
                due_date=dt.date(2026, 1, 5) if index % 4 == 1 else dt.date(2099, 1, 5),
            )
            FollowUpVisit.objects.create(
                commission=after.commission,
                reason="bad_rating",
                rating=r,
                due_date=dt.date(2026, 1, 5),
            )
        else:
            FollowUpVisit.objects.create(
                commission=after.commission, reason="sampled", due_date=dt.date(2099, 1, 5)
            )


LISTS = [
    "/ratings/",
    "/rectifications/",
    "/follow-up-visits/",
    "/api/v1/ratings/",
    "/api/v1/rectifications/",
    "/api/v1/follow-up-visits/",
]


@pytest.mark.parametrize("url", LISTS)
def test_the_lists_run_a_constant_number_of_queries(url, after):
    """At 4 and at 14 rows, the same number of queries."""
    client = api(after.admin) if url.startswith("/api/") else page(after.admin)
    cases = list(after.commission.cases.select_related("department").order_by("code")[:14])
    assert len(cases) == 14
    _fill(after, cases[:4])
    client.get(url)  # warm (the calendar, the session)
    with CaptureQueriesContext(connection) as small:
        response = client.get(url)
    assert response.status_code == 200
    _fill(after, cases[4:], start=4)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.status_code == 200
    shown = (
        response.json()["count"]
        if url.startswith("/api/")
        else len(response.context["page"].object_list)
    )
    assert shown == (7 if "rectifications" in url else 14)
    assert len(large) == len(small), (len(small), len(large))
