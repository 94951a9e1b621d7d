"""The supervision dashboard (issue 13 item 5) on the hand-worked world of
tests/supervision/dashboard_world.py: every chart's numbers, the lists, the drill-down links
(each leads to a list showing exactly the counted rows), scoping and the page and API."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from django.utils import timezone

from bangban.accounts.models import Role
from bangban.supervision.dashboard import dashboard_for
from tests.projects.factories import UserFactory, region

from .dashboard_world import MONTH, TODAY, at, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def frozen(monkeypatch):
    """The pages and the API read "today" from the clock: Wednesday 2026-11-18, 10:00."""
    moment = at(11, 18, 10)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


def chart(data, key):
    return next(c for c in data.charts if c.key == key)


def table(c) -> dict[str, list[str]]:
    """{category label: [text per series]}."""
    return {label: [text for text, _ in cells] for label, cells, _ in c.rows()}


def links(c) -> dict[tuple[str, str], str | None]:
    return {
        (label, s.key): s.links[i] for s in c.series for i, (_, label) in enumerate(c.categories)
    }


# --- the numbers, worked by hand ------------------------------------------------------------


def test_cases_by_stage_and_state(world):
    c = chart(dashboard_for(world.supervisor, month=MONTH, today=TODAY), "cases_by_stage_state")
    assert [label for _, label in c.categories] == ["立项用地规划许可", "工程建设许可"]
    assert [s.key for s in c.series] == [
        "planned",
        "accepted",
        "accepted_gaps",
        "suspended",
        "completed",
    ]
    values = {s.key: s.values for s in c.series}
    assert values == {
        "planned": [1, 0],
        "accepted": [2, 1],
        "accepted_gaps": [0, 1],
        "suspended": [0, 1],
        "completed": [1, 2],
    }
    assert [total for total, _ in c.totals] == [4, 5]
    assert c.stacked


def test_on_time_trend(world):
    c = chart(dashboard_for(world.supervisor, month=MONTH, today=TODAY), "on_time_trend")
    keys = [key for key, _ in c.categories]
    assert keys[0] == "2025-12" and keys[-1] == "2026-11" and len(keys) == 12
    (rates,) = [s.values for s in c.series]
    assert rates[-1] == 50.0  # November: K5 on time, K7 late
    assert rates[-2] == 0.0  # October: K6 late
    assert rates[:-2] == [None] * 10
    texts = table(c)
    assert texts["2026-11"] == ["50.0%（1/2）"]
    assert texts["2026-10"] == ["0.0%（0/1）"]
    assert texts["2026-09"] == ["—（0 件）"]


def test_on_time_trend_follows_the_chosen_month(world):
    c = chart(dashboard_for(world.supervisor, month="2026-10", today=TODAY), "on_time_trend")
    assert c.categories[-1][0] == "2026-10"
    assert c.series[0].values[-1] == 0.0  # November's cases are after the window


def test_overdue_by_department(world):
    c = chart(dashboard_for(world.supervisor, month=MONTH, today=TODAY), "overdue_by_department")
    # K1 (D1) and K9 (D2); K4 is suspended, KX is not ours
    assert table(c) == {world.d1.name: ["1"], world.d2.name: ["1"]}
    assert c.horizontal


def test_satisfaction_distribution(world):
    c = chart(dashboard_for(world.supervisor, month=MONTH, today=TODAY), "satisfaction")
    assert [label for _, label in c.categories] == [
        "非常满意",
        "满意",
        "基本满意",
        "不满意",
        "非常不满意",
    ]
    assert c.series[0].values == [1, 1, 0, 1, 0]
    assert table(c)["不满意"] == ["1（33.3%）"]


def test_rates_by_department(world):
    c = chart(dashboard_for(world.supervisor, month=MONTH, today=TODAY), "rates_by_department")
    assert table(c) == {
        world.d1.name: ["50.0%（2/4）", "50.0%（1/2）"],
        world.d2.name: ["0.0%（0/3）", "—（0 件）"],
    }
    completion, promise = c.series
    assert completion.values == [50.0, 0.0]
    assert promise.values == [50.0, None]


def test_due_lists(world):
    data = dashboard_for(world.supervisor, month=MONTH, today=TODAY)
    due = {d.key: d for d in data.due}
    counts = {key: (d.overdue, d.today, d.week) for key, d in due.items()}
    assert counts == {
        "cases": (2, 1, 2),
        "rectifications": (0, 0, 1),
        "visits": (1, 0, 1),
        "complaints": (0, 1, 1),
        "action_items": (0, 0, 1),
    }
    k = world.cases
    assert [row.title.split()[0] for row in due["cases"].rows] == [
        k["K1"].code,
        k["K9"].code,
        k["K2"].code,
        k["K3"].code,
    ]
    assert [(row.overdue, row.today) for row in due["cases"].rows] == [
        (True, False),
        (True, False),
        (False, True),
        (False, False),
    ]
    assert data.escalations_open == 1
    assert [e.problem for e in data.escalations] == ["用地指标待协调"]


# --- scoping ---------------------------------------------------------------------------------


def test_another_regions_supervisor_sees_none_of_ours(world):
    data = dashboard_for(world.other_supervisor, month=MONTH, today=TODAY)
    stage_state = chart(data, "cases_by_stage_state")
    # only KX (包头): one accepted case of 立项用地规划许可
    assert [label for _, label in stage_state.categories] == ["立项用地规划许可"]
    assert {s.key: s.values for s in stage_state.series} == {"accepted": [1]}
    assert chart(data, "satisfaction").series[0].values == [0, 0, 0, 1, 0]  # RX only
    overdue = chart(data, "overdue_by_department")
    assert table(overdue) == {"（未指定部门）": ["1"]}
    assert chart(data, "on_time_trend").is_empty
    assert chart(data, "rates_by_department").categories == [("", "（未指定部门）")]
    counts = {d.key: (d.overdue, d.today, d.week) for d in data.due}
    assert counts["cases"] == (1, 0, 0)
    assert counts["rectifications"] == (0, 1, 1)  # RX's
    assert counts["visits"] == (0, 1, 1)
    assert counts["complaints"] == (0, 1, 1)
    assert counts["action_items"] == (0, 0, 0)
    assert [e.problem for e in data.escalations] == ["界外上报"]


def test_the_leader_of_the_region_sees_the_same_as_its_supervisor(world):
    ours = dashboard_for(world.supervisor, month=MONTH, today=TODAY)
    theirs = dashboard_for(world.leader, month=MONTH, today=TODAY)
    assert [c.as_dict() for c in theirs.charts] == [c.as_dict() for c in ours.charts]


@pytest.mark.parametrize(
    "role", [Role.AGENT, Role.CENTRE_ADMIN, Role.DEPT_OFFICER, Role.ENTERPRISE, Role.SPONSOR]
)
def test_other_roles_may_not_open_the_dashboard(client, world, frozen, role):
    if role == Role.ENTERPRISE:
        enterprise = world.commissions["C1"].project.enterprise
        user = UserFactory(role=role, department=None, enterprise=enterprise)
    else:
        user = UserFactory(role=role)
    client.force_login(user)
    page = client.get("/supervision/")
    assert page.status_code == 404
    api = client.get("/api/v1/dashboard/")
    assert api.status_code == 403
    assert "督查" in api.json()["detail"]


def test_anonymous_is_sent_to_login(client):
    assert client.get("/supervision/")["Location"].startswith("/accounts/login/")
    assert client.get("/api/v1/dashboard/").status_code in (401, 403)


# --- the page, the API and the drill-down --------------------------------------------------


def page_links(html: str) -> list[str]:
    return [unescape(href) for href in re.findall(r'href="([^"]+)"', html)]


def list_count(client, link: str) -> int:
    """How many rows the list page behind ``link`` says it shows ("共 N 件/条/次")."""
    response = client.get(link)
    assert response.status_code == 200, link
    match = re.search(r"共 (\d+) [件条次]", response.content.decode())
    assert match, link
    return int(match[1])


def test_page_shows_the_charts_their_data_and_the_tables(client, world, frozen):
    client.force_login(world.supervisor)
    response = client.get("/supervision/", {"month": MONTH})
    assert response.status_code == 200
    html = response.content.decode()
    # the figures as JSON data blocks, drawn by the static script (no inline script)
    assert 'src="/static/js/dashboard.js"' in html
    assert "plotly.min.js" in html
    blocks = re.findall(r'<script id="([\w-]+)" type="application/json">(.*?)</script>', html)
    figures = {key: json.loads(body) for key, body in blocks}
    assert set(figures) == {
        "cases_by_stage_state-figure",
        "on_time_trend-figure",
        "overdue_by_department-figure",
        "satisfaction-figure",
        "rates_by_department-figure",
    }
    trend = figures["on_time_trend-figure"]["data"][0]
    assert trend["y"][-1] == 50.0
    assert trend["customdata"][-1] == "/cases/?finished=2026-11"
    assert "<script>" not in html  # no inline script
    # the tables: the same numbers, as links
    assert f'href="/cases/?warning=red&amp;department={world.d1.pk}">1</a>' in html
    assert "用地指标待协调" in html
    assert "界外" not in html


def test_every_link_of_the_dashboard_shows_exactly_the_counted_rows(client, world, frozen):
    """Drill-down: each number of a chart's table links to a list (the ledger, the ratings);
    the list shows that many rows (the link text is the count for count charts, "rate（n/m）"
    for rates: the list holds the rate's denominator); so do the due lists' counts."""
    client.force_login(world.supervisor)
    data = dashboard_for(world.supervisor, month=MONTH, today=TODAY)
    checked = 0
    for c in data.charts:
        for s in c.series:
            for text, link in zip(s.texts, s.links, strict=True):
                if not link:
                    continue
                shown = list_count(client, link)
                if c.unit == "%":
                    numerator, denominator = re.search(r"（(\d+)/(\d+)）", text).groups()
                    assert shown == int(denominator), (c.key, s.key, link)
                else:
                    assert shown == int(text.split("（")[0]), (c.key, s.key, link)
                checked += 1
        for total, link in c.totals:
            assert list_count(client, link) == total
            checked += 1
    for due in data.due:
        for count, link in (
            (due.overdue, due.overdue_link),
            (due.today, due.today_link),
            (due.week, due.week_link),
        ):
            if link:
                assert list_count(client, link) == count, link
                checked += 1
    # 7 stage × state cells + 2 stage totals, 2 months, 2 departments overdue, 3 rates (D2
    # completed none), 3 rating levels; the cases' 3 due counts, the overdue counts of
    # rectifications, visits, complaints and decisions
    assert checked == 26


def test_drill_down_links_name_the_filters(world):
    data = dashboard_for(world.supervisor, month=MONTH, today=TODAY)
    stage_state = links(chart(data, "cases_by_stage_state"))
    assert stage_state[("工程建设许可", "suspended")] == "/cases/?stage=engineering&state=suspended"
    assert stage_state[("工程建设许可", "planned")] is None  # nothing to open
    rates = links(chart(data, "rates_by_department"))
    assert rates[(world.d1.name, "completion_rate")] == (
        f"/cases/?department={world.d1.pk}&accepted=2026-11"
    )
    assert rates[(world.d1.name, "promise_kept_rate")] == (
        f"/cases/?department={world.d1.pk}&finished=2026-11"
    )
    assert rates[(world.d2.name, "promise_kept_rate")] is None  # none completed


def test_satisfaction_links_open_the_ratings_list_by_level_and_month(client, world, frozen):
    data = dashboard_for(world.supervisor, month=MONTH, today=TODAY)
    c = chart(data, "satisfaction")
    by_level = dict(zip([k for k, _ in c.categories], c.series[0].links, strict=True))
    assert by_level["dissatisfied"].endswith("?level=dissatisfied&month=2026-11")
    assert by_level["basically_satisfied"] is None
    client.force_login(world.supervisor)
    response = client.get(by_level["dissatisfied"])
    assert response.status_code == 200
    html = response.content.decode()
    assert world.commissions["C2"].project.name in html  # R2, of K7
    assert world.commissions["C1"].project.name not in html  # R3 is 满意


def test_api_answers_what_the_page_shows(client, world, frozen):
    client.force_login(world.supervisor)
    response = client.get("/api/v1/dashboard/", {"month": MONTH})
    assert response.status_code == 200
    body = response.json()
    assert body["month"] == "2026-11" and body["today"] == "2026-11-18"
    charts = {c["key"]: c for c in body["charts"]}
    assert charts["satisfaction"]["series"][0]["values"] == [1, 1, 0, 1, 0]
    assert charts["cases_by_stage_state"]["totals"][1]["value"] == 5
    due = {d["key"]: d for d in body["due"]}
    assert (due["cases"]["overdue"], due["cases"]["today"], due["cases"]["week"]) == (2, 1, 2)
    assert due["cases"]["week_link"] == "/cases/?due=week"
    assert body["escalations"]["open"] == 1
    assert "界外" not in response.content.decode()


@pytest.mark.parametrize("month", ["2026-13", "abc", "2026", "2027-01"])
def test_a_bad_month_is_refused_in_the_api_and_shown_on_the_page(client, world, frozen, month):
    client.force_login(world.supervisor)
    response = client.get("/api/v1/dashboard/", {"month": month})
    assert response.status_code == 400
    assert response.json()["month"]
    page = client.get("/supervision/", {"month": month})
    assert page.status_code == 200
    assert "已显示本月" in page.content.decode()


def test_the_staffing_card_links_to_the_staffing_page(client, world, frozen):
    client.force_login(world.supervisor)
    html = client.get("/supervision/").content.decode()
    assert "/supervision/staffing/" in html
    other = UserFactory(role=Role.SUPERVISOR, region=region("150602"), department=None)
    client.force_login(other)
    assert client.get("/supervision/").status_code == 200


@pytest.mark.parametrize("value", ["9999-12", "2026-00", "2026-1-1", "x-y", "-1-3"])
def test_the_ledgers_month_filters_ignore_what_is_not_a_month(client, world, frozen, value):
    client.force_login(world.supervisor)
    for name in ("finished", "accepted"):
        assert list_count(client, f"/cases/?{name}={value}") == 9  # every case of ours
        assert client.get("/api/v1/cases/", {name: value}).json()["count"] == 9
