"""Issue 11, items 3 and 5: which bureau handles an item in each region (the function-holder
table, data/organization/function_holders.yaml), the service mode that follows from where
that bureau sits, the case created at that bureau, the simple low-risk promise on each side
of its threshold, and the schedule's 审批层级 / 办理部门 columns.

Expected values are read from the data files and the seeds by hand: 东胜区 keeps DS31 and
DS57–DS59 at its 城市管理综合执法局 (the catalog's department, 帮办代办); the 和林格尔新区
gives them to its 规划建设局 (联审联批, 种子 003 四（二）); an item whose bureau lies outside
the project's 旗县区/园区 is 专业跑腿 (种子 003 四（三）).
"""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from bangban.cases.models import Case
from bangban.organization.models import Department, FunctionHolder, Region
from bangban.planning import services as plan_services
from bangban.planning.compute import plan_compute, plan_outcome_for
from bangban.planning.exports import SCHEDULE_HEADERS, schedule_xlsx
from bangban.planning.promises import government_time
from tests.projects.factories import (
    AgentFactory,
    CommissionFactory,
    DongshengProjectFactory,
    EnterpriseUserFactory,
)

from .test_commission_plan import AGREED_AT
from .test_plan_compute import FACTORY

pytestmark = pytest.mark.django_db
START = dt.date(2026, 9, 21)

# The factory, which also changes municipal facilities, uses city green land and needs
# lightning protection: DS31, DS57, DS58, DS59 (building area > 0) and DS53/DS54.
WORKS = {
    **FACTORY,
    "municipal_facility_change": True,
    "green_land_use": True,
    "lightning_protection": True,
}
CGJ = "东胜区城市管理综合执法局"
HORINGER_GHJS = "和林格尔新区规划建设局"


def _plan(region_key, **attributes):
    region = Region.objects.get(key=region_key)
    return plan_compute(
        attributes={**WORKS, **attributes}, start_date=START, region_path=region.path
    )


def _handling(plan, code):
    item = plan.item(code)
    return item.department, item.service_mode, item.service_mode_label


# --- DS31 / DS57–DS59: who holds the function in each region ---------------------------------


@pytest.mark.parametrize("code", ["DS31", "DS57", "DS58", "DS59"])
def test_dongsheng_keeps_the_municipal_items_at_its_enforcement_bureau(code):
    plan = _plan("dongsheng-tianjiao")  # a 街道 of 东胜区: the 东胜区 row applies
    assert _handling(plan, code) == (CGJ, "bangban", "帮办代办")


@pytest.mark.parametrize("code", ["DS31", "DS57", "DS58", "DS59"])
def test_horinger_gives_them_to_its_planning_and_construction_bureau(code):
    for key in ("horinger-new-area", "horinger-shengle"):  # the 新区 and a town of it
        plan = _plan(key)
        assert _handling(plan, code) == (HORINGER_GHJS, "joint", "联审联批"), key


def test_baotou_zone_gives_them_to_its_construction_bureau():
    plan = _plan("150271")
    assert _handling(plan, "DS31") == ("稀土高新区建设局", "bangban", "帮办代办")


def test_a_region_without_a_row_takes_the_nearest_region_above_then_the_catalog():
    # 和林格尔县 (150123) is not the 新区: none of its rows hold. The EIA takes 呼和浩特's row
    # (a city bureau, outside the county: 专业跑腿); DS31 has no row up the tree, so the
    # catalog's 东胜区 bureau — outside the county, 专业跑腿.
    plan = _plan("150123")
    assert _handling(plan, "DS22") == ("呼和浩特市生态环境局", "errand", "专业跑腿")
    assert _handling(plan, "DS31") == (CGJ, "errand", "专业跑腿")
    # Without a place, the catalog's department and mode.
    plain = plan_compute(attributes=WORKS, start_date=START)
    assert _handling(plain, "DS31") == (CGJ, "bangban", "帮办代办")


def test_the_service_mode_follows_where_the_bureau_sits():
    """防雷 (DS53) has no row anywhere: the catalog's 东胜区气象局 — local for a 东胜区
    project (帮办代办), 专业跑腿 for a 和林格尔新区 one. The 新区政务服务局's filing is 帮办代办
    (种子 003 四（一）); an item decided above the zone is 专业跑腿 wherever it is."""
    dongsheng, horinger = _plan("150602"), _plan("horinger-new-area")
    assert _handling(dongsheng, "DS53") == ("东胜区气象局", "bangban", "帮办代办")
    assert _handling(horinger, "DS53") == ("东胜区气象局", "errand", "专业跑腿")
    assert _handling(horinger, "DS06") == ("和林格尔新区政务服务局", "bangban", "帮办代办")
    assert horinger.item("DS20").service_mode == "errand"  # 上报 自治区
    assert dongsheng.item("DS20").service_mode == "errand"
    # The region changes who handles, never the schedule.
    assert horinger.total_working_days == dongsheng.total_working_days


def test_an_edit_of_the_table_takes_effect_on_the_next_plan():
    row = FunctionHolder.objects.get(key="horinger-municipal-greening")
    row.department = Department.objects.get(key="horinger-ggsy")
    row.service_mode = ""
    row.full_clean()
    row.save()
    plan = _plan("horinger-new-area")
    # No mode on the row: the catalog's (帮办代办), the bureau being inside the 新区.
    assert _handling(plan, "DS31") == ("和林格尔新区公共事业服务局", "bangban", "帮办代办")


def test_the_preview_api_answers_department_and_mode_for_the_region():
    cache.clear()
    body = {"start_date": "2026-09-21", "attributes": WORKS, "region": "horinger-new-area"}
    response = APIClient().post("/api/v1/plans/preview", body, format="json")
    cache.clear()
    assert response.status_code == 200
    items = {item["code"]: item for item in response.json()["items"]}
    ds57 = items["DS57"]
    assert (ds57["department"], ds57["service_mode"], ds57["service_mode_label"]) == (
        HORINGER_GHJS,
        "joint",
        "联审联批",
    )
    assert (items["DS53"]["service_mode"], items["DS53"]["service_mode_label"]) == (
        "errand",
        "专业跑腿",
    )


# --- the case is created at the bureau the region's data names --------------------------------


def _fixed_commission(region_key):
    region = Region.objects.get(key=region_key)
    agent = AgentFactory()
    user = EnterpriseUserFactory()
    project = DongshengProjectFactory(enterprise=user.enterprise, region=region, **WORKS)
    commission = CommissionFactory(
        project=project, state="agreed", agent=agent, agreed_at=AGREED_AT
    )
    plan_services.plan_create(commission=commission)
    plan_services.plan_fix(commission=commission, actor=agent)
    return commission


def test_fixing_a_horinger_plan_creates_the_cases_at_the_new_area_bureaus():
    commission = _fixed_commission("horinger-new-area")
    cases = {
        case.code: case.department.key
        for case in Case.objects.select_related("department").filter(commission=commission)
    }
    assert cases["DS31"] == cases["DS57"] == "horinger-ghjs"
    assert cases["DS06"] == "horinger-zwfw"
    assert cases["DS22"] == "hohhot-sthj"
    assert cases["DS53"] == "dongsheng-qxj"  # no row: the catalog's


def test_fixing_a_horinger_plan_stores_the_modes_the_plan_showed():
    region = Region.objects.get(key="horinger-new-area")
    agent = AgentFactory()
    project = DongshengProjectFactory(
        enterprise=EnterpriseUserFactory().enterprise, region=region, **WORKS
    )
    commission = CommissionFactory(
        project=project, state="agreed", agent=agent, agreed_at=AGREED_AT
    )
    plan = plan_services.plan_create(commission=commission)
    shown = {item.code: item.service_mode for item in plan_outcome_for(plan).items}
    plan_services.plan_fix(commission=commission, actor=agent)
    cases = Case.objects.select_related("item").filter(commission=commission)
    stored = {case.code: case.service_mode for case in cases}
    assert stored == shown
    # By hand (module docstring): the region's mode where it differs from the catalog's.
    catalog = {case.code: case.item.service_mode for case in cases}
    assert (catalog["DS31"], stored["DS31"]) == ("bangban", "joint")  # 新区规划建设局
    assert (catalog["DS53"], stored["DS53"]) == ("bangban", "errand")  # 东胜区气象局, outside
    assert (catalog["DS08"], stored["DS08"]) == ("errand", "joint")  # 新区 natural resources
    assert (catalog["DS06"], stored["DS06"]) == ("bangban", "bangban")  # 新区政务服务局
    assert stored["DS22"] == "errand"  # 呼和浩特市生态环境局
    # The case API and page show it, in words.
    ds53 = cases.get(code="DS53")
    client = APIClient()
    client.force_authenticate(agent)
    body = client.get(f"/api/v1/cases/{ds53.pk}/").json()
    assert (body["service_mode"], body["service_mode_label"]) == ("errand", "专业跑腿")
    client = Client()
    client.force_login(agent)
    html = client.get(f"/cases/{ds53.pk}/").content.decode()
    assert '服务方式：<span class="tag mode-errand">专业跑腿</span>' in html


def test_an_item_added_after_fixing_stores_its_mode_in_the_region(today):
    """防雷 (DS53) added to a 新区 plan that lacked it: 专业跑腿 (the 东胜区气象局 lies outside
    the 新区) where the catalog says 帮办代办."""
    region = Region.objects.get(key="horinger-new-area")
    agent = AgentFactory()
    project = DongshengProjectFactory(
        enterprise=EnterpriseUserFactory().enterprise,
        region=region,
        **{**WORKS, "lightning_protection": False},
    )
    commission = CommissionFactory(
        project=project, state="agreed", agent=agent, agreed_at=AGREED_AT
    )
    plan_services.plan_create(commission=commission)
    plan_services.plan_fix(commission=commission, actor=agent)
    assert not Case.objects.filter(commission=commission, code="DS53").exists()
    today(dt.date(2026, 10, 12))
    case = plan_services.plan_case_add(
        commission=commission, actor=agent, code="DS53", reason="厂区设易燃溶剂仓库"
    )
    case = Case.objects.select_related("item").get(pk=case.pk)
    assert (case.item.service_mode, case.service_mode) == ("bangban", "errand")


def test_fixing_a_dongsheng_plan_creates_them_at_the_enforcement_bureau():
    commission = _fixed_commission("150602")
    case = Case.objects.select_related("department").get(commission=commission, code="DS31")
    assert case.department.name == CGJ


# --- 简易低风险: the 10 WD promise on each side of the threshold ------------------------------

# data/planning/time_promises.yaml: 呼和浩特 simple low-risk ≤ 10 WD for a social project
# declared 简易低风险 whose total floor area is at most 2 000 m² (not 特殊建设工程, not a public
# gathering place, no hazardous-waste business); 57 WD otherwise (social); 68 government;
# 东胜区 has no such promise: 内蒙古's 90 for every project.


def _promise(region_key, **attributes):
    region = Region.objects.get(key=region_key)
    plan = plan_compute(attributes={**FACTORY, **attributes}, start_date=START)
    gtime = government_time(plan, region)
    return gtime.completion.promised_days, gtime.project_type


@pytest.mark.parametrize(
    ("attributes", "expected"),
    [
        ({"simple_low_risk": True, "building_area_m2": 2000}, (10, "simple_low_risk")),
        ({"simple_low_risk": True, "building_area_m2": 1999.5}, (10, "simple_low_risk")),
        ({"simple_low_risk": True, "building_area_m2": 2000.5}, (57, "social")),
        ({"simple_low_risk": True, "building_area_m2": 2001}, (57, "social")),
        ({"simple_low_risk": False, "building_area_m2": 1000}, (57, "social")),
        (
            {"simple_low_risk": True, "building_area_m2": 1000, "special_construction": True},
            (57, "social"),
        ),
        (
            {"simple_low_risk": True, "building_area_m2": 1000, "public_gathering": True},
            (57, "social"),
        ),
        (
            {"simple_low_risk": True, "building_area_m2": 1000, "investment_type": "government"},
            (68, "government"),
        ),
    ],
)
def test_simple_low_risk_promise_at_its_threshold(attributes, expected):
    assert _promise("horinger-new-area", **attributes) == expected


def test_simple_low_risk_elsewhere_keeps_the_region_promise():
    assert _promise("150602", simple_low_risk=True, building_area_m2=1000) == (90, "social")


def test_the_preview_api_takes_simple_low_risk():
    def completion(area):
        cache.clear()
        attributes = {**FACTORY, "simple_low_risk": True, "building_area_m2": area}
        body = {"start_date": "2026-09-21", "attributes": attributes, "region": "150100"}
        response = APIClient().post("/api/v1/plans/preview", body, format="json")
        cache.clear()
        assert response.status_code == 200, response.content
        gtime = response.json()["government_time"]
        return gtime["completion"]["promised_days"], gtime["project_type"]

    assert completion(2000) == (10, "simple_low_risk")
    assert completion(2001) == (57, "social")


# --- the schedule's 审批层级 and 办理部门 ---------------------------------------------------------


def test_the_schedule_has_a_level_and_a_department_column_per_item():
    plan = _plan("horinger-new-area")
    sheet = openpyxl.load_workbook(io.BytesIO(schedule_xlsx(plan)))["申报计划"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == SCHEDULE_HEADERS
    level, department = rows[0].index("审批层级"), rows[0].index("办理部门")
    by_name = {row[1]: row for row in rows[1:]}
    ds31 = by_name["因工程建设需要拆除、改动、迁移供水、排水与污水处理设施审核"]
    assert (ds31[department], ds31[level]) == (HORINGER_GHJS, "旗区/园区")
    ds20 = by_name["征收林地的初审"]  # 2 ha, forest type not known: 自治区 审核 (S12)
    assert ds20[level] == "自治区（本级初审后上报内蒙古自治区林业和草原局）"
    assert ds20[department] == "呼和浩特市林业和草原局"  # the 呼和浩特 forestry row
    assert len(rows) == 1 + len(plan.items)
