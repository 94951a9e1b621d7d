"""Issue 11: the law's answers in the plan — tiers (level, department, limits by threshold),
rules on each side of their thresholds, prerequisite edges, and the government handling time
held against the region's published promise.

Expected values are read from the reference (shared/reference/domain-data.md §1A, §2.1,
§1D) and worked by hand from data/catalog/items.yaml; the thresholds are the legal ones
("以上" includes the number).
"""

import datetime as dt
import io

import pytest
from django.core.cache import cache
from docx import Document
from rest_framework.test import APIClient

from bangban.cases.models import Case
from bangban.organization.models import Region
from bangban.planning import services as plan_services
from bangban.planning.compute import plan_compute
from bangban.planning.models import TimePromise
from bangban.planning.promises import government_time, time_promises_for
from tests.projects.factories import (
    AgentFactory,
    CommissionFactory,
    DongshengProjectFactory,
    EnterpriseUserFactory,
)

from .test_commission_plan import AGREED_AT
from .test_plan_compute import FACTORY

pytestmark = pytest.mark.django_db
D = dt.date
START = D(2026, 9, 21)

DONGSHENG_FGW = "东胜区发展和改革委员会"
DONGSHENG_NYJ = "东胜区能源局"
DONGSHENG_GXJ = "东胜区工业和信息化局"
STATE_FORESTRY = "国家林业和草原局"
REGION_FORESTRY = "内蒙古自治区林业和草原局"


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _plan(**attributes):
    return plan_compute(attributes=attributes, start_date=START)


def _item(code, **attributes):
    return _plan(**attributes).item(code)


# --- R07: 节能审查 at 1万 tce (≥ 10 000 → 自治区, S7); energy projects → 能源局 --------------

# A data centre (I6450, not exempt) filed by an enterprise: DS02, not the industrial DS07.
DATA_CENTRE = {"investment_type": "enterprise_filing", "industry_code": "I6450"}
# A coal-fired power plant (D4411 is not on the exempt list) is an energy project.
COAL_POWER = {"investment_type": "enterprise_approval", "industry_code": "D4411"}


@pytest.mark.parametrize(
    ("attributes", "tce", "level", "department"),
    [
        (DATA_CENTRE, 9999, "city", DONGSHENG_FGW),
        (DATA_CENTRE, 10000, "region", DONGSHENG_FGW),
        ({**COAL_POWER, "energy_project": True}, 9999, "city", DONGSHENG_NYJ),
        ({**COAL_POWER, "energy_project": True}, 10000, "region", DONGSHENG_NYJ),
    ],
)
def test_ds02_level_at_ten_thousand_tce_and_energy_projects_at_the_energy_bureau(
    attributes, tce, level, department
):
    ds02 = _item("DS02", **attributes, energy_tce=tce)
    assert (ds02.level, ds02.department) == (level, department)
    assert ds02.kind == "reported" and ds02.service_mode == "errand"


@pytest.mark.parametrize(
    ("tce", "level", "label"), [(9999, "city", "盟市"), (10000, "region", "自治区")]
)
def test_ds07_level_at_ten_thousand_tce(tce, level, label):
    ds07 = _item("DS07", investment_type="enterprise_filing", industry_code="C2614", energy_tce=tce)
    assert (ds07.level, ds07.level_label, ds07.department) == (level, label, DONGSHENG_GXJ)


def test_the_energy_review_threshold_itself_is_one_thousand_tce():
    assert "DS02" not in _plan(**DATA_CENTRE, energy_tce=999).codes
    assert "DS02" in _plan(**DATA_CENTRE, energy_tce=1000).codes


# --- R11: 征收林地 to the 国家 level by forest type (森林法实施条例 第16条, S12) ----------------


@pytest.mark.parametrize(
    ("forest_type", "below", "at"),
    [
        ("shelter_special", 9.99, 10),
        ("timber_economic_fuel", 34.99, 35),
        ("other", 69.99, 70),
        ("unspecified", 9.99, 10),  # not yet known: the strictest threshold
    ],
)
def test_ds20_goes_to_the_state_at_10_35_70_ha_by_forest_type(forest_type, below, at):
    lower = _item("DS20", forest_land_ha=below, forest_type=forest_type)
    upper = _item("DS20", forest_land_ha=at, forest_type=forest_type)
    assert (lower.level, lower.authority) == ("region", REGION_FORESTRY)
    assert (upper.level, upper.authority) == ("state", STATE_FORESTRY)
    assert upper.kind == lower.kind == "reported"


def test_ds20_a_large_timber_forest_below_its_own_threshold_stays_regional():
    # 20 ha would go to the state for a shelter forest, not for a timber forest.
    assert _item("DS20", forest_land_ha=20, forest_type="timber_economic_fuel").level == "region"
    assert _item("DS20", forest_land_ha=20, forest_type="shelter_special").level == "state"


# --- R12: 临时占用林地 ≥ 10 ha: the zone does 初审 and forwards (上报, Seed) -------------------


def test_ds19_below_ten_ha_is_a_zone_permit_and_from_ten_ha_it_is_forwarded():
    below = _item("DS19", forest_land_ha=9.99, forest_land_temporary=True)
    at = _item("DS19", forest_land_ha=10, forest_land_temporary=True)
    assert (below.level, below.kind, below.service_mode) == ("zone", "promised", "bangban")
    assert (at.level, at.kind, at.service_mode) == ("city", "reported", "errand")
    assert "初审后上报" in at.tier_label


# --- R13: 征占用草原 > 70 ha → 国家林草局 (林草规〔2020〕2号, S11) ----------------------------


def test_ds17_up_to_seventy_ha_regional_above_it_the_state_forestry_administration():
    at = _item("DS17", grassland_ha=70)
    above = _item("DS17", grassland_ha=70.01)
    assert (at.level, at.authority) == ("region", REGION_FORESTRY)
    assert (above.level, above.authority) == ("state", STATE_FORESTRY)


# --- R15/R16: 水土保持方案 报告书 (10 WD) vs 报告表 (承诺制, 即办) (水利部令第53号, S8) ----------


@pytest.mark.parametrize(
    ("attributes", "expected"),
    [
        ({"land_area_ha": 0.49, "earthwork_m3": 999}, None),  # below both floors: none
        ({"land_area_ha": 0.5}, "form"),
        ({"earthwork_m3": 1000}, "form"),
        ({"land_area_ha": 4.99, "earthwork_m3": 49999}, "form"),
        ({"land_area_ha": 5}, "book"),
        ({"earthwork_m3": 50000}, "book"),
    ],
)
def test_ds43_report_book_or_form_at_the_thresholds(attributes, expected):
    plan = _plan(**attributes)
    if expected is None:
        assert "DS43" not in plan.codes
        return
    ds43 = plan.item("DS43")
    if expected == "book":
        assert (ds43.kind, ds43.promised_days, ds43.legal_limit_days) == ("promised", 5, 10)
        assert ds43.tier_label.startswith("水土保持方案报告书")
    else:
        assert (ds43.kind, ds43.promised_days) == ("immediate", 0)
        assert ds43.tier_label.startswith("水土保持方案报告表")


# --- R01: company registration only when the project unit still has to be set up -------------


def test_ma01_only_for_an_enterprise_project_whose_unit_is_not_registered():
    assert "MA01" in _plan(investment_type="enterprise_filing").codes
    assert "MA01" in _plan(investment_type="enterprise_approval").codes
    assert "MA01" not in _plan(investment_type="enterprise_filing", unit_registered=True).codes
    assert "MA01" not in _plan(investment_type="government").codes
    # Without MA01 the filing starts on the first day.
    assert _item("DS01", unit_registered=True).planned_start == START


# --- R30: 市政设施建设类审批 (DS32) only when city roads are touched ----------------------------


def test_ds32_only_when_roads_are_touched():
    facility = _plan(municipal_facility_change=True)
    assert "DS31" in facility.codes and "DS32" not in facility.codes
    dug = _plan(municipal_facility_change=True, city_road_dig=True)
    assert {"DS31", "DS32"} <= dug.codes
    assert "DS32" in _plan(road_works=True).codes


# --- Prerequisite edges ---------------------------------------------------------------------


def test_an_approval_projects_eia_starts_with_its_planning_items():
    """Hand-worked: a 核准 project on new 出让 land. 用地预审 (DS08) waits for no filing in
    this plan (its prerequisites DS01/DS03/DS06/DS51 are absent), 规划条件 (DS14) has none,
    and the EIA (DS21) waits only for a government project's 项目建议书 (absent): all three
    start at offset 0, Mon 2026-09-21 — no longer after 核准 (XA01, due at offset 62)."""
    plan = _plan(
        investment_type="enterprise_approval",
        industry_code="C2614",
        land_source="transfer",
        land_area_ha=3,
        new_construction_land=True,
        eia_category="report_book",
        building_area_m2=5000,
        total_investment_wan=20000,
    )
    for code in ("DS08", "DS14", "DS21"):
        assert plan.item(code).planned_start == START, code
    assert plan.item("DS21").prerequisites == ()
    # 核准 waits for 用地预审 (10 + 10) and MA01 (2): starts at 20, due at 20 + 30 + 15 = 65.
    assert plan.item("XA01").es == 20 and plan.item("XA01").ef == 65
    assert plan.item("DS21").es == 0 < plan.item("XA01").ef


def test_water_intake_precedes_the_construction_permit_and_flood_review_does_not():
    plan = _plan(
        water_intake_self=True,
        flood_zone=True,
        building_area_m2=5000,
        total_investment_wan=2000,
    )
    assert "DS39" in plan.item("DS28").prerequisites
    assert "DS44" not in plan.item("DS28").prerequisites


def test_the_feasibility_study_precedes_soil_and_water():
    plan = _plan(investment_type="government", land_area_ha=2)
    assert "DS04" in plan.item("DS43").prerequisites
    assert plan.item("DS43").es == plan.item("DS04").ef


# --- No legal limit is none, not 0 ----------------------------------------------------------


def test_items_without_a_legal_limit_carry_none_and_still_schedule():
    plan = _plan(land_source="transfer", land_area_ha=1, building_area_m2=600)
    assert plan.item("DS01").legal_limit_days is None
    ds09 = plan.item("DS09")
    # A procedure (公告 ≥ 20 日, 挂牌 ≥ 10 WD): no legal limit, scheduled by its 25-day duration.
    assert ds09.legal_limit_days is None and ds09.promised_days == 25
    assert ds09.ef - ds09.es == ds09.preparation_days + 25


# --- Government time against the promise (item 10) -------------------------------------------
#
# FACTORY (test_plan_compute): promised handling days only, preparation counts 0; stages
# 市场准入 / 市政公用服务 / 其他 left out. Through 施工许可 (stages up to 施工许可):
#   DS06 0 (MA01 left out) → DS08 10 → DS20 10+12 = 22 (2 ha, below 10: the 自治区 tier, 12)
#   DS14 5 → DS09 max(10, 5, 22) + 25 = 47 → DS13 47 + 3 = 50 → DS15 55
#   XA03 55 + 7 = 62, XA04 55 + 5 = 60, DS22 12, DS43 0 (报告表, 即办), DS47 5
#   DS28 max(50, 55, 12, 0, 62, 60) + 4 = 66
#   → 66 along DS08 → DS20 → DS09 → DS13 → DS15 → XA03 → DS28.
# Through 竣工验收 (+ 竣工验收 stage): DS16 max(55, 66) + 5 = 71, XA05 max(66, 60) + 10 = 76,
#   DS26 66, DS27 max(71, 66, 76) + 0 = 76 → 76, ending …DS28 → XA05 → DS27.
# Promises (data/planning/time_promises.yaml): 东胜区 → 内蒙古 90 (any project, to
# 竣工验收); 和林格尔新区 lies in 呼和浩特 → 57 for social investment: 76 breaks it by 19.
FACTORY_TO_PERMIT = ["DS08", "DS20", "DS09", "DS13", "DS15", "XA03", "DS28"]
FACTORY_TO_COMPLETION = [*FACTORY_TO_PERMIT, "XA05", "DS27"]


@pytest.fixture
def api():
    cache.clear()
    yield APIClient()
    cache.clear()


def _preview(api, region):
    body = {"start_date": "2026-09-21", "attributes": FACTORY}
    if region is not None:
        body["region"] = region
    response = api.post("/api/v1/plans/preview", body, format="json")
    assert response.status_code == 200, response.content
    return response.json()["government_time"]


def test_the_preview_returns_both_figures_and_the_promise_of_dongsheng(api):
    time = _preview(api, "150602")
    permit, completion = time["construction_permit"], time["completion"]
    assert permit["days"] == 66
    assert [link["code"] for link in permit["chain"]] == FACTORY_TO_PERMIT
    assert permit["promised_days"] is None and permit["breaks"] is False
    assert completion["days"] == 76
    assert [link["code"] for link in completion["chain"]] == FACTORY_TO_COMPLETION
    assert (completion["promised_days"], completion["breaks"], completion["over_by"]) == (
        90,
        False,
        0,
    )
    assert time["region"] == "东胜区" and time["project_type"] == "social"
    assert "90" in time["source"]


def test_the_plan_says_when_it_breaks_the_promise_and_which_items_make_it_so(api):
    completion = _preview(api, "horinger-new-area")["completion"]
    assert (completion["days"], completion["promised_days"]) == (76, 57)
    assert completion["breaks"] is True and completion["over_by"] == 19
    # The chain's items that take time, longest first (ties in chain order).
    assert [c["code"] for c in completion["culprits"]] == [
        "DS09",
        "DS20",
        "DS08",
        "XA05",
        "XA03",
        "DS15",
        "DS28",
        "DS13",
    ]
    assert "超出承诺的 57 个工作日 19 个工作日" in completion["verdict"]
    assert "拟以出让方式取得土地使用权的项目（25 个工作日）" in completion["verdict"]


def test_without_a_region_the_top_regions_promise_holds(api):
    assert _preview(api, None)["completion"]["promised_days"] == 90


def test_an_unknown_region_is_named(api):
    response = api.post(
        "/api/v1/plans/preview",
        {"start_date": "2026-09-21", "region": "999999"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["region"] == ["找不到区划「999999」。"]


def test_the_promise_follows_the_project_type_and_the_nearest_region():
    horinger = Region.objects.get(key="horinger-new-area")
    dongsheng = Region.objects.get(key="150602")
    assert time_promises_for(horinger, "government")["completion"].working_days == 68
    assert time_promises_for(horinger, "social")["completion"].working_days == 57
    assert time_promises_for(dongsheng, "government")["completion"].working_days == 90
    # An administrator's edit is what the plan is held against (data, not a constant).
    TimePromise.objects.filter(region__key="150000").update(working_days=70)
    plan = plan_compute(attributes=FACTORY, start_date=START)
    assert government_time(plan, dongsheng).completion.breaks is True
    assert government_time(plan, dongsheng).completion.over_by == 6


# --- The commission's plan: API, page, notice (page and Word), cases ----------------------


@pytest.fixture
def factory_commission():
    """The hand-worked factory as an agreed commission in 东胜区 (draft plan)."""
    user = EnterpriseUserFactory()
    project = DongshengProjectFactory(enterprise=user.enterprise, **FACTORY)
    commission = CommissionFactory(
        project=project, state="agreed", agent=AgentFactory(), agreed_at=AGREED_AT
    )
    plan_services.plan_create(commission=commission)
    return commission, user


def test_the_commission_plan_shows_level_department_and_government_time(factory_commission, client):
    commission, user = factory_commission
    body = _api(user).get(f"/api/v1/commissions/{commission.pk}/plan/").json()
    ds20 = next(item for item in body["items"] if item["code"] == "DS20")
    assert (ds20["level"], ds20["department"], ds20["authority"]) == (
        "region",
        "东胜区林业和草原局",
        REGION_FORESTRY,
    )
    completion = body["government_time"]["completion"]
    assert (completion["days"], completion["promised_days"], completion["breaks"]) == (
        76,
        90,
        False,
    )
    assert body["government_time"]["construction_permit"]["days"] == 66
    client.force_login(user)
    page = client.get(f"/commissions/{commission.pk}/plan/").content.decode()
    assert 'id="government-time"' in page and "承诺 90 个工作日以内" in page
    assert "办理层级：自治区（本级初审后上报内蒙古自治区林业和草原局）" in page
    notice = client.get(f"/commissions/{commission.pk}/plan/notice/").content.decode()
    assert 'id="notice-items"' in notice and 'id="government-time"' in notice
    docx = _api(user).get(f"/api/v1/commissions/{commission.pk}/plan/notice.docx")
    document = Document(io.BytesIO(docx.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "办理事项与办理部门" in text and "审批时间与承诺" in text
    assert "至竣工验收审批时间 76 个工作日，在承诺的 90 个工作日以内。" in text
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert ["征收林地的初审", "东胜区林业和草原局"] in [row[1:3] for row in rows]


def test_a_fixed_plan_gives_each_case_the_department_of_its_tier():
    agent = AgentFactory()
    user = EnterpriseUserFactory()
    project = DongshengProjectFactory(
        enterprise=user.enterprise,
        **COAL_POWER,
        energy_project=True,
        energy_tce=20000,
        total_investment_wan=50000,
    )
    commission = CommissionFactory(
        project=project, state="agreed", agent=agent, agreed_at=AGREED_AT
    )
    plan_services.plan_create(commission=commission)
    plan_services.plan_fix(commission=commission, actor=agent)
    case = Case.objects.select_related("department").get(commission=commission, code="DS02")
    assert case.department.name == DONGSHENG_NYJ  # not the item's 发改委


# --- Service mode per region (item 5) ---------------------------------------------------------


def test_the_service_mode_follows_where_the_department_sits():
    """The catalog's departments are Dongsheng bureaus: local (帮办代办 / 联审联批 as the
    catalog says) for a project in 东胜区, 专业跑腿 for one in the 和林格尔新区 unless the
    function-holder table names a 新区 bureau (data/organization/function_holders.yaml); an
    item decided above the zone is 专业跑腿 everywhere."""
    dongsheng = Region.objects.get(key="dongsheng-tianjiao")  # a 街道 inside 东胜区
    horinger = Region.objects.get(key="horinger-new-area")
    local = plan_compute(attributes=FACTORY, start_date=START, region_path=dongsheng.path)
    away = plan_compute(attributes=FACTORY, start_date=START, region_path=horinger.path)
    plain = plan_compute(attributes=FACTORY, start_date=START)
    assert local.item("DS06").service_mode == "bangban"  # 东胜区工信局, for a Dongsheng project
    assert local.item("XA03").service_mode == "joint"  # 施工图联合审查
    # 工信 filing of a 新区 project: the 新区政务服务局 (帮办代办, 种子 003 四（一）).
    assert (away.item("DS06").department, away.item("DS06").service_mode) == (
        "和林格尔新区政务服务局",
        "bangban",
    )
    # 施工图联合审查 at the 新区规划建设局: 联审联批 (种子 003 四（二）).
    assert away.item("XA03").department == "和林格尔新区规划建设局"
    assert away.item("XA03").service_mode_label == "联审联批"
    # 水土保持 (water): the 新区公共事业服务局, 联审联批.
    assert away.item("DS43").department == "和林格尔新区公共事业服务局"
    assert away.item("DS43").service_mode == "joint"
    # The EIA report form: no 新区 row, the 呼和浩特 row (a city bureau, outside the 新区).
    assert (away.item("DS22").department, away.item("DS22").service_mode) == (
        "呼和浩特市生态环境局",
        "errand",
    )
    assert local.item("DS20").service_mode == "errand"  # 上报 自治区
    assert away.item("DS20").service_mode == "errand"
    # Without a place, the catalog's own modes; the schedule never depends on the mode.
    assert [i.service_mode for i in plain.items] == [i.service_mode for i in local.items]
    assert away.total_working_days == local.total_working_days


def test_the_preview_api_answers_the_mode_for_the_region_given(api):
    def modes(region):
        body = {"start_date": "2026-09-21", "attributes": FACTORY, "region": region}
        items = api.post("/api/v1/plans/preview", body, format="json").json()["items"]
        return {item["code"]: item["service_mode"] for item in items}

    assert modes("150602")["DS06"] == "bangban"
    assert modes("horinger-new-area")["DS06"] == "bangban"  # the 新区政务服务局
    assert modes("150271")["DS06"] == "errand"  # 包头稀土高新区: a 东胜区 bureau is not local
