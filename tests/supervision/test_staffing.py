"""Staffing minimums (issue 13 item 8): which units are short, worked by hand on a test region
tree, the nearest region's minimum winning over the default, the data file, the admin, the
page, the API and scoping.

    内蒙古自治区 › 测试市 (city) › 测试县 (county)
                                › 测试园区 (zone) › 测试镇 (town)

    unit                        kind         counted (active)           minimum  short
    ZA 测试园区政务服务局        zone agency  4 agents (+1 inactive,     5        1
                                             +1 officer: not counted)
    CA 测试县政务服务中心        zone agency  5 agents                   5        0
    TG 测试镇人民政府            town agency  1 agent                    3        2
    TA 测试镇便民服务中心        town agency  3 agents                   3        0
    AP 测试园区建设局 (approval) department   0 helpers (1 officer)      1        1
    IA 测试县工信局 (industry)   department   1 helper                   1        0
    not units: an inactive development bureau, an industry office, an errand company, the
    city's own agency (no minimum for a 市级 agency in the seeds), an investment bureau.

The defaults are the loaded data file (town 3, zone 5, department 1).
"""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bangban.accounts.models import Role
from bangban.organization.models import Department, Region
from bangban.supervision.models import StaffingMinimum
from bangban.supervision.staffing import (
    minimums_by_id,
    staffing_minimums_load,
    staffing_rows,
    staffing_shortages,
    staffing_units,
)
from bangban.web.access import CENTRE_ADMIN_GROUP
from tests.projects.factories import UserFactory, region

pytestmark = pytest.mark.django_db

F = Department.Function
K = Department.Kind


class Tree:
    def __init__(self):
        top = region("150000")
        self.city = Region.objects.create(
            key="test-staff-city", name="测试市", level="city", code_kind="custom", parent=top
        )
        self.county = Region.objects.create(
            key="test-staff-county",
            name="测试县",
            level="county",
            code_kind="custom",
            parent=self.city,
        )
        self.zone = Region.objects.create(
            key="test-staff-zone",
            name="测试园区",
            level="zone",
            code_kind="custom",
            parent=self.city,
        )
        self.town = Region.objects.create(
            key="test-staff-town",
            name="测试镇",
            level="town",
            code_kind="custom",
            parent=self.zone,
        )
        self.units = {}
        spec = {
            "ZA": ("测试园区政务服务局", self.zone, K.GOVERNMENT, F.AGENCY),
            "CA": ("测试县政务服务中心", self.county, K.GOVERNMENT, F.AGENCY),
            "TG": ("测试镇人民政府", self.town, K.TOWN, F.OTHER),
            "TA": ("测试镇便民服务中心", self.town, K.GOVERNMENT, F.AGENCY),
            "AP": ("测试园区建设局", self.zone, K.GOVERNMENT, F.APPROVAL),
            "IA": ("测试县工信局", self.county, K.GOVERNMENT, F.INDUSTRY_AUTHORITY),
            "xDR": ("测试园区发展改革局（停用）", self.zone, K.GOVERNMENT, F.DEVELOPMENT_REFORM),
            "xIO": ("测试园区产业办", self.zone, K.INDUSTRY_OFFICE, F.INDUSTRY_OFFICE),
            "xER": ("测试跑腿公司", self.zone, K.ERRAND, F.APPROVAL),
            "xCITY": ("测试市政务服务局", self.city, K.GOVERNMENT, F.AGENCY),
            "xIP": ("测试园区投资促进局", self.zone, K.GOVERNMENT, F.INVESTMENT_PROMOTION),
        }
        for key, (name, where, kind, function) in spec.items():
            self.units[key] = Department.objects.create(
                key=f"test-staff-{key.lower()}",
                name=name,
                region=where,
                kind=kind,
                function=function,
                is_active=key != "xDR",
            )
        staff = {
            "ZA": [(Role.AGENT, True)] * 4 + [(Role.AGENT, False), (Role.DEPT_OFFICER, True)],
            "CA": [(Role.AGENT, True)] * 5,
            "TG": [(Role.AGENT, True)],
            "TA": [(Role.AGENT, True)] * 3,
            "AP": [(Role.DEPT_OFFICER, True)],
            "IA": [(Role.DEPT_HELPER, True)],
            "xDR": [(Role.DEPT_HELPER, True)],
            "xCITY": [(Role.AGENT, True)],
        }
        for key, people in staff.items():
            unit = self.units[key]
            for role, active in people:
                UserFactory(role=role, region=unit.region, department=unit, is_active=active)
        self.supervisor = UserFactory(role=Role.SUPERVISOR, region=self.city, department=None)

    def name(self, key):
        return self.units[key].name


@pytest.fixture
def tree(db):
    return Tree()


def table(user, *, short_only=False):
    units = staffing_shortages(user) if short_only else staffing_units(user)
    return {
        row.department: (row.unit_kind, row.role, row.minimum, row.staff_count, row.shortfall)
        for row in staffing_rows(units, minimums_by_id())
    }


def test_the_units_and_their_shortfalls_by_hand(tree):
    n = tree.name
    assert table(tree.supervisor) == {
        n("ZA"): ("zone_agency", "agent", 5, 4, 1),
        n("CA"): ("zone_agency", "agent", 5, 5, 0),
        n("TG"): ("town_agency", "agent", 3, 1, 2),
        n("TA"): ("town_agency", "agent", 3, 3, 0),
        n("AP"): ("department", "dept_helper", 1, 0, 1),
        n("IA"): ("department", "dept_helper", 1, 1, 0),
    }


def test_the_shortages_largest_first(tree):
    rows = staffing_rows(staffing_shortages(tree.supervisor), minimums_by_id())
    assert [row.department for row in rows][0] == tree.name("TG")
    assert {row.department for row in rows[1:]} == {tree.name("ZA"), tree.name("AP")}
    assert [row.shortfall for row in rows] == [2, 1, 1]
    assert all(row.source for row in rows)  # each names its source


def test_the_nearest_regions_minimum_wins(tree):
    StaffingMinimum.objects.create(
        region=tree.city, unit_kind="zone_agency", role=Role.AGENT, minimum=6, source="测试市"
    )
    StaffingMinimum.objects.create(
        region=tree.zone, unit_kind="zone_agency", role=Role.AGENT, minimum=4, source="测试园区"
    )
    rows = {
        row.department: row
        for row in staffing_rows(staffing_units(tree.supervisor), minimums_by_id())
    }
    # ZA (in the zone): the zone's 4 → 4 agents, not short; CA (in the county): the city's 6
    za, ca = rows[tree.name("ZA")], rows[tree.name("CA")]
    assert (za.minimum, za.shortfall, za.minimum_region, za.source) == (
        4,
        0,
        "测试园区",
        "测试园区",
    )
    assert (ca.minimum, ca.shortfall, ca.minimum_region) == (6, 1, "测试市")
    # the town agencies keep the default
    assert rows[tree.name("TG")].minimum == 3
    assert rows[tree.name("TG")].minimum_region == ""


def test_a_minimum_may_count_another_role(tree):
    StaffingMinimum.objects.create(
        region=tree.zone, unit_kind="department", role=Role.DEPT_OFFICER, minimum=1, source="x"
    )
    rows = table(tree.supervisor)
    assert rows[tree.name("AP")] == ("department", "dept_officer", 1, 1, 0)
    assert rows[tree.name("IA")] == ("department", "dept_helper", 1, 1, 0)  # the county's


def test_another_regions_supervisor_sees_none_of_these_units(tree):
    ordos = UserFactory(role=Role.SUPERVISOR, region=region("150600"), department=None)
    names = set(table(ordos))
    assert names  # 鄂尔多斯's own units
    assert not names & {tree.name(k) for k in tree.units}
    assert "东胜区政务服务中心（帮办代办室）" in names


@pytest.mark.parametrize("role", [Role.AGENT, Role.DEPT_OFFICER, Role.ENTERPRISE, Role.ERRAND])
def test_other_roles_see_nothing(tree, role):
    user = UserFactory(role=role, region=tree.city, department=tree.units["ZA"])
    assert not staffing_units(user).exists()


def test_the_count_is_one_query_whatever_the_units(tree):
    with CaptureQueriesContext(connection) as small:
        list(staffing_units(tree.supervisor))
    for i in range(20):
        unit = Department.objects.create(
            key=f"test-staff-more-{i}",
            name=f"测试审批局{i}",
            region=tree.county,
            function=F.APPROVAL,
        )
        UserFactory(role=Role.DEPT_HELPER, region=tree.county, department=unit)
    fresh = type(tree.supervisor).objects.select_related("region").get(pk=tree.supervisor.pk)
    with CaptureQueriesContext(connection) as large:
        rows = list(staffing_units(fresh))
    assert len(rows) == 6 + 20
    assert len(large.captured_queries) == 1
    assert len(small.captured_queries) <= 2  # the user's region, once


# --- the data file ------------------------------------------------------------------------------


def test_the_data_file_is_loaded_with_its_sources():
    defaults = {
        row.unit_kind: (row.role, row.minimum)
        for row in StaffingMinimum.objects.filter(region__isnull=True)
    }
    assert defaults == {
        "town_agency": ("agent", 3),
        "zone_agency": ("agent", 5),
        "department": ("dept_helper", 1),
    }
    town = StaffingMinimum.objects.get(region__isnull=True, unit_kind="town_agency")
    assert "不少于3名" in town.source


def test_loading_again_keeps_an_edited_row_unless_overwrite():
    row = StaffingMinimum.objects.get(region__isnull=True, unit_kind="zone_agency")
    row.minimum = 7
    row.save()
    out = io.StringIO()
    call_command("load_staffing", stdout=out)
    assert "新增 0 条，更新 0 条" in out.getvalue()
    row.refresh_from_db()
    assert row.minimum == 7
    call_command("load_staffing", "--overwrite", stdout=out)
    row.refresh_from_db()
    assert row.minimum == 5
    assert StaffingMinimum.objects.filter(region__isnull=True).count() == 3


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"unit_kind": "village", "role": "agent", "minimum": 1, "source": "s"}, "单位类型"),
        ({"unit_kind": "department", "role": "boss", "minimum": 1, "source": "s"}, "角色"),
        ({"unit_kind": "department", "role": "agent", "minimum": -1, "source": "s"}, "最低人数"),
        ({"unit_kind": "department", "role": "agent", "minimum": "3", "source": "s"}, "最低人数"),
        ({"unit_kind": "department", "role": "agent", "minimum": 1, "source": ""}, "出处"),
        (
            {
                "unit_kind": "department",
                "role": "agent",
                "minimum": 1,
                "source": "s",
                "region": "nowhere",
            },
            "区划",
        ),
    ],
)
def test_a_bad_row_refuses_the_whole_file(raw, message):
    good = {
        "unit_kind": "town_agency",
        "role": "agent",
        "minimum": 2,
        "source": "s",
        "region": "150602",
    }
    before = StaffingMinimum.objects.count()
    with pytest.raises(ValidationError) as caught:
        staffing_minimums_load([good, raw])
    assert message in " ".join(caught.value.messages)
    assert StaffingMinimum.objects.count() == before  # the good row was not written either


def test_the_file_may_not_hold_a_row_twice():
    row = {"unit_kind": "town_agency", "role": "agent", "minimum": 2, "source": "s"}
    with pytest.raises(ValidationError, match="只能有一条"):
        staffing_minimums_load([row, row])


# --- the page and the API --------------------------------------------------------------------


def test_the_page_lists_the_units(client, tree):
    client.force_login(tree.supervisor)
    html = client.get("/supervision/staffing/").content.decode()
    assert "共 6 个单位，其中配备不足 3 个" in html
    assert tree.name("CA") in html
    short = client.get("/supervision/staffing/", {"short": "1"}).content.decode()
    assert "配备不足的单位 3 个" in short
    assert tree.name("CA") not in short and tree.name("TG") in short
    assert "不少于3名" in short  # the source


def test_the_api_lists_the_shortages(client, tree):
    client.force_login(tree.supervisor)
    body = client.get("/api/v1/staffing-shortages/").json()
    assert body["count"] == 3
    first = body["results"][0]
    assert first["department"]["name"] == tree.name("TG")
    assert (first["minimum"], first["staff_count"], first["shortfall"]) == (3, 1, 2)
    assert first["minimum_region"] is None
    every = client.get("/api/v1/staffing-shortages/", {"all": "1"}).json()
    assert every["count"] == 6


def test_the_centre_admin_sees_the_list_an_agent_does_not(client, tree):
    admin = UserFactory(role=Role.CENTRE_ADMIN, region=tree.city, department=tree.units["xCITY"])
    client.force_login(admin)
    assert client.get("/supervision/staffing/").status_code == 200
    assert client.get("/api/v1/staffing-shortages/").json()["count"] == 3
    agent = UserFactory(role=Role.AGENT, region=tree.zone, department=tree.units["ZA"])
    client.force_login(agent)
    assert client.get("/supervision/staffing/").status_code == 404
    response = client.get("/api/v1/staffing-shortages/")
    assert response.status_code == 403
    assert "人员配备" in response.json()["detail"]


def test_the_dashboard_shows_the_shortages(client, tree):
    client.force_login(tree.supervisor)
    html = client.get("/supervision/").content.decode()
    assert tree.name("TG") in html and tree.name("CA") not in html


# --- the admin ---------------------------------------------------------------------------------


def _centre_admin(tree):
    admin = UserFactory(
        role=Role.CENTRE_ADMIN, region=tree.city, department=tree.units["xCITY"], is_staff=True
    )
    admin.groups.add(Group.objects.get(name=CENTRE_ADMIN_GROUP))
    return admin


def test_a_centre_admin_sets_its_regions_minimum_but_not_the_default(client, tree):
    client.force_login(_centre_admin(tree))
    listing = client.get("/admin/supervision/staffingminimum/")
    assert listing.status_code == 200
    form = {"unit_kind": "zone_agency", "role": "agent", "minimum": "4", "source": "测试"}
    refused = client.post("/admin/supervision/staffingminimum/add/", form)
    assert refused.status_code == 200
    assert "请选择适用区划" in refused.content.decode()
    assert not StaffingMinimum.objects.filter(source="测试").exists()
    other = client.post(
        "/admin/supervision/staffingminimum/add/", {**form, "region": region("150602").pk}
    )
    assert other.status_code == 200  # another region is not a choice
    assert not StaffingMinimum.objects.filter(source="测试").exists()
    done = client.post("/admin/supervision/staffingminimum/add/", {**form, "region": tree.zone.pk})
    assert done.status_code == 302
    assert StaffingMinimum.objects.get(source="测试").region == tree.zone
    default = StaffingMinimum.objects.get(region__isnull=True, unit_kind="zone_agency")
    change = client.get(f"/admin/supervision/staffingminimum/{default.pk}/change/")
    assert change.status_code in (302, 404)


def test_a_second_default_of_a_kind_is_refused():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        StaffingMinimum.objects.create(unit_kind="department", role=Role.AGENT, minimum=2)
