"""plan_compute on hand-worked projects.

The expected item sets were derived by reading each item's condition in
data/catalog/items.yaml; the schedules by adding preparation + promised working days along the
prerequisites; the dates by counting working days on the 2026 calendar by hand:

    中秋 2026-09-25 off; 国庆 2026-10-01..07 off, Sun 2026-09-20 and Sat 2026-10-10 working;
    春节 2026-02-15..23 off, Sat 2026-02-14 and Sat 2026-02-28 working; 清明 04-06 off;
    劳动节 05-01, 05-04, 05-05 off, Sat 05-09 working; 端午 06-19 off.
    2027 is not published yet: weekends only, flagged provisional.
"""

import datetime as dt
import random

import pytest

from bangban.catalog.services import catalog_load, specs_from_version
from bangban.planning.catalog import catalog_compiled
from bangban.planning.compute import PlanInputError, plan_compute
from bangban.workdays.selectors import get_calendar

pytestmark = pytest.mark.django_db

D = dt.date
UTILITIES = {"UT01", "UT02", "UT03", "UT04", "UT05", "UT06", "UT07"}

# (a) an enterprise-invested (filing) factory, C34, on new 出让 land with 2 ha permanent forest.
FACTORY = {
    "investment_type": "enterprise_filing",
    "industry_code": "C3411",
    "total_investment_wan": 8000,
    "land_source": "transfer",
    "land_area_ha": 3,
    "new_construction_land": True,
    "forest_land_ha": 2,
    "building_area_m2": 12000,
    "eia_category": "report_form",
}
FACTORY_ITEMS = {
    "MA01",  # an enterprise project whose unit is not yet registered (R01)
    "DS06",  # filing + manufacturing C13–C43 → 工信 filing (not DS01)
    "DS08",  # transfer + new construction land → 用地预审
    "DS14",
    "DS09",  # transfer → 规划条件, 出让
    "DS13",  # transfer → 用地规划许可证
    "DS20",  # permanent forest land → 征收林地初审 (not DS19)
    "DS22",  # EIA report form
    "DS43",  # 3 ha ≥ 0.5 → 水土保持 (报告表 tier: < 5 ha, 承诺制 即办 → 0 promised days)
    "DS15",
    "DS16",
    "XA04",  # building area > 0
    "XA03",
    "DS28",
    "XA05",
    "DS27",  # 8000 万元 ≥ 100 → construction permit and what hangs on it
    "DS26",  # not a special construction project → 消防备案 (not DS25/DS24)
    "DS47",
    "DS45",
    "DS48",  # 12000 m² ≥ 500 → 计划用水
} | UTILITIES
FACTORY_PATH = [
    "MA01",
    "DS06",
    "DS08",
    "DS20",
    "DS09",
    "DS13",
    "DS15",
    "XA03",
    "DS28",
    "XA05",
    "DS27",
    "UT07",
]

# (b) an energy-intensive chemical plant needing approval (核准).
CHEMICAL = {
    "investment_type": "enterprise_approval",
    "industry_code": "C2614",
    "total_investment_wan": 120000,
    "energy_tce": 15000,
    "electricity_wan_kwh": 8000,
    "eia_category": "report_book",
    "water_intake_self": True,
    "special_construction": True,
    "lightning_protection": True,
    "building_area_m2": 30000,
    "land_source": "existing",
    "land_area_ha": 8,
}
CHEMICAL_ITEMS = {
    "MA01",
    "XA01",  # 核准 (no filing item)
    "DS07",  # ≥ 1000 tce, enterprise, manufacturing → 工业节能审查 (DS02 excludes it)
    "DS21",  # EIA report book
    "DS39",
    "DS40",  # self-supplied water intake
    "DS43",  # 8 ha
    "DS15",
    "DS16",
    "XA03",
    "XA04",
    "DS28",
    "XA05",
    "DS27",
    "DS25",
    "DS24",  # special construction → fire design review and acceptance (no DS26)
    "DS53",
    "DS54",  # lightning protection
    "DS47",
    "DS45",
    "DS48",
} | UTILITIES
# The EIA no longer waits for 核准 (it starts on day 0, due at 65); 取水许可 (XA01 + 30 + 20,
# due at 97) is now a prerequisite of 施工许可 and the longest way to it.
CHEMICAL_PATH = ["MA01", "XA01", "DS39", "DS28", "XA05", "DS27", "UT07"]

# (c) a government-invested highway on allocated land.
ROAD = {
    "investment_type": "government",
    "industry_code": "E4812",
    "total_investment_wan": 50000,
    "land_source": "allocation",
    "land_area_ha": 12,
    "highway_project": True,
    "road_works": True,
    "earthwork_m3": 80000,
    "eia_category": "report_form",
}
ROAD_ITEMS = {
    "DS03",  # no MA01: a government project's unit needs no company registration (R01)
    "DS04",
    "DS05",  # government: proposal, feasibility, preliminary design
    "DS08",
    "DS10",
    "DS13",  # allocation
    "DS22",
    "DS43",
    "DS37",
    "DS34",
    "DS38",
    "DS36",  # highway
    "DS32",
    "DS33",
    "DS35",  # road works
}  # no building area: no construction permit (E4812 is not E4813/E4852/E4853), no utilities
ROAD_PATH = ["DS03", "DS08", "DS04", "DS37", "DS34", "DS38", "DS36"]

# (d) a small renovation below the construction-permit floors (100 万元, 500 m²).
RENOVATION = {
    "investment_type": "enterprise_filing",
    "industry_code": "H6210",
    "total_investment_wan": 60,
    "land_source": "existing",
    "building_area_m2": 300,
}
RENOVATION_ITEMS = {"MA01", "DS01", "DS15", "DS16", "XA04", "DS26"} | UTILITIES


def _plan(attributes, start, **kwargs):
    return plan_compute(attributes=attributes, start_date=start, **kwargs)


def _dates(plan, code):
    item = plan.item(code)
    return item.planned_start, item.planned_acceptance, item.planned_due


def test_factory_on_new_transfer_land_across_national_day():
    plan = _plan(FACTORY, D(2026, 9, 21))
    assert plan.codes == FACTORY_ITEMS
    assert list(plan.critical_path) == FACTORY_PATH
    assert plan.total_working_days == 191
    assert plan.serial_working_days == 362  # DS43 is a 报告表 (3 ha < 5): promised 0, not 5
    assert plan.compression == 0.4724  # 1 - 191/362 = 0.47238
    assert plan.start_day == D(2026, 9, 21)
    # MA01 2 days from Mon 09-21; DS06 waits for it and crosses 中秋 (Fri 09-25 off).
    assert _dates(plan, "MA01") == (D(2026, 9, 21), D(2026, 9, 23), D(2026, 9, 23))
    assert _dates(plan, "DS06") == (D(2026, 9, 23), D(2026, 9, 28), D(2026, 9, 28))
    # 8 working days across 国庆: 09-22,23,24,28,29,30, 10-08, 10-09.
    assert plan.item("DS14").planned_due == D(2026, 10, 9)
    # 10 working days: the 调休 Saturday 10-10 counts, Sunday 10-11 does not.
    assert plan.item("DS47").planned_due == D(2026, 10, 12)
    assert plan.item("DS45").planned_due == D(2026, 10, 15)
    assert plan.item("DS48").planned_due == D(2026, 10, 27)
    assert _dates(plan, "DS08") == (D(2026, 9, 28), D(2026, 10, 16), D(2026, 10, 30))
    # DS43 (报告表, 即办) after DS06 (offset 4) + 20 preparation → offset 24 = 10-30.
    assert plan.item("DS43").planned_due == D(2026, 10, 30)
    assert plan.item("DS43").kind == "immediate" and plan.item("DS43").promised_days == 0
    # The EIA waits for no filing any more: 20 + 12 from offset 0 → offset 32 = 11-11.
    assert plan.item("DS22").planned_due == D(2026, 11, 11)
    assert _dates(plan, "DS20") == (D(2026, 10, 30), D(2026, 11, 20), D(2026, 12, 8))
    assert not plan.item("DS20").provisional
    # DS09 waits for DS08, DS14, DS20 and MA01; it ends in 2027 (weekends only → provisional).
    ds09 = plan.item("DS09")
    assert ds09.prerequisites == ("DS08", "DS14", "DS20", "MA01")
    assert (ds09.planned_start, ds09.planned_acceptance) == (D(2026, 12, 8), D(2026, 12, 15))
    assert ds09.planned_due == D(2027, 1, 19) and ds09.provisional
    assert plan.item("DS28").prerequisites == ("DS13", "DS15", "DS22", "DS43", "XA03", "XA04")
    assert plan.item("DS28").planned_due == D(2027, 5, 6)
    assert plan.end_date == D(2027, 6, 22) and plan.provisional
    # Slack: 规划条件 can wait until 出让 needs it; the water items are far off the path.
    assert plan.item("DS14").slack == 43 and not plan.item("DS14").critical
    assert plan.item("DS47").slack == 170
    assert plan.item("UT01").slack == 13


def test_chemical_plant_needing_approval_across_spring_festival():
    plan = _plan(CHEMICAL, D(2026, 1, 26))
    assert plan.codes == CHEMICAL_ITEMS
    assert list(plan.critical_path) == CHEMICAL_PATH
    assert plan.total_working_days == 144  # 2 + 45 + 50 (DS39) + 14 + 20 + 3 + 10
    assert plan.serial_working_days == 484
    assert plan.compression == 0.7025  # 1 - 144/484 = 0.70248
    assert plan.item("MA01").planned_due == D(2026, 1, 28)
    # 45 days of 核准 from 01-28: over 春节 (02-15..23 off, 02-14 and 02-28 worked) and 清明.
    assert _dates(plan, "XA01") == (D(2026, 1, 28), D(2026, 3, 17), D(2026, 4, 8))
    # 20 working days from Mon 01-26: the 20th is the 调休 Saturday 02-28.
    assert plan.item("DS15").planned_due == D(2026, 2, 28)
    assert plan.item("DS47").planned_due == D(2026, 2, 9)
    assert plan.item("DS45").planned_due == D(2026, 2, 12)
    assert plan.item("DS48").planned_due == D(2026, 3, 2)
    assert plan.item("XA04").planned_due == D(2026, 3, 13)
    # 劳动节 (05-01, 05-04, 05-05 off, Sat 05-09 worked) and 端午 (06-19 off).
    assert plan.item("DS07").planned_due == D(2026, 5, 22)
    # The EIA starts with the plan (offset 0): 40 + 25 → offset 65 = 05-07.
    assert plan.item("DS21").planned_start == D(2026, 1, 26)
    assert plan.item("DS21").planned_due == D(2026, 5, 7)
    # 施工许可 waits for 取水许可 (offset 97) + 14 → offset 111 = 07-10.
    assert plan.item("DS28").planned_due == D(2026, 7, 10)
    assert plan.item("DS24").prerequisites == ("DS25", "DS28")
    # DS07 is due at 77, 施工许可 may start as late as 97.
    assert not plan.item("DS07").critical and plan.item("DS07").slack == 20
    assert plan.end_date == D(2026, 8, 26) and not plan.provisional  # offset 144


def test_government_road_across_mid_autumn_and_national_day():
    plan = _plan(ROAD, D(2026, 2, 2))
    assert plan.codes == ROAD_ITEMS
    assert list(plan.critical_path) == ROAD_PATH
    assert plan.total_working_days == 173
    assert plan.serial_working_days == 316  # no MA01 (2 + 0) any more
    assert plan.compression == 0.4525  # 1 - 173/316 = 0.45253
    assert plan.item("DS33").planned_due == D(2026, 2, 10)
    assert plan.item("DS35").planned_due == D(2026, 2, 28)  # 15th working day: a Saturday
    assert plan.item("DS03").planned_due == D(2026, 3, 18)
    assert plan.item("DS08").planned_due == D(2026, 4, 16)
    assert plan.item("DS04").planned_due == D(2026, 6, 15)
    assert plan.item("DS37").planned_due == D(2026, 7, 28)
    assert plan.item("DS34").planned_due == D(2026, 8, 25)
    # The last item counts the 调休 Sunday 09-20 and the Saturday 10-10, skips 中秋 and 国庆.
    assert _dates(plan, "DS36") == (D(2026, 9, 8), D(2026, 9, 21), D(2026, 10, 19))
    assert plan.end_date == D(2026, 10, 19) and not plan.provisional
    # 水土保持 now waits for the 可研 (DS04 → DS43) and still ends before DS37 does.
    assert plan.item("DS43").prerequisites == ("DS03", "DS04")
    assert plan.item("DS43").slack == 5  # DS04 + 25, while DS34 waits for DS37 = DS04 + 30
    assert plan.item("DS32").planned_start == D(2026, 2, 2)  # its prerequisite DS15 is absent


def test_small_renovation_needs_no_construction_permit():
    plan = _plan(RENOVATION, D(2026, 9, 28))
    assert plan.codes == RENOVATION_ITEMS
    assert not {"DS28", "XA03", "XA05", "DS27", "DS47"} & plan.codes
    assert list(plan.critical_path) == ["DS15", "DS16"]
    assert {i.code for i in plan.items if i.critical} == {"DS15", "DS16", "XA04"}
    assert plan.total_working_days == 30
    assert plan.serial_working_days == 124
    assert plan.compression == 0.7581
    assert plan.item("MA01").planned_due == D(2026, 9, 30)
    assert _dates(plan, "DS01") == (D(2026, 9, 30), D(2026, 10, 9), D(2026, 10, 9))
    assert plan.item("UT05").planned_due == D(2026, 10, 13)
    assert plan.item("UT07").planned_due == D(2026, 10, 16)
    assert plan.item("DS15").planned_due == D(2026, 10, 30)
    assert plan.end_date == D(2026, 11, 13) and not plan.provisional


def test_a_plan_starting_on_a_holiday_starts_on_the_next_working_day():
    plan = _plan(RENOVATION, D(2026, 10, 3))
    assert plan.start_date == D(2026, 10, 3) and plan.start_day == D(2026, 10, 8)
    assert plan.item("MA01").planned_start == D(2026, 10, 8)
    assert plan.item("MA01").planned_due == D(2026, 10, 10)  # 10-08, 10-09, Sat 10-10


def test_neutral_project_and_explicit_neutral_values_agree():
    empty = _plan({}, D(2026, 9, 21))
    assert empty.codes == {"MA01", "DS01"}
    assert (empty.total_working_days, empty.serial_working_days, empty.compression) == (4, 4, 0.0)
    explicit = _plan(
        {"investment_type": "enterprise_filing", "land_source": "none", "energy_tce": 0},
        D(2026, 9, 21),
    )
    assert explicit.items == empty.items


def test_explanations_say_why_an_item_is_needed_and_what_it_waits_for():
    plan = _plan(CHEMICAL, D(2026, 1, 26))
    # R01: company registration because the project is not a government one and its unit
    # is not registered yet (both operands of the and hold).
    ma01 = plan.item("MA01").reasons
    assert len(ma01) == 2 and "政府投资" in ma01[0] and "统一社会信用代码" in ma01[1]
    ds07 = plan.item("DS07")
    # Worded by bangban.rules.conditions.wording: the deciding comparisons as true statements
    # about the project (the or's first true operand, every operand of the and that holds).
    assert ds07.reasons == (
        "年综合能源消费量大于或等于 1000 吨标准煤（本项目：15000 吨标准煤）",
        "投资类型不是政府投资（本项目：企业投资（核准））",
        "国民经济行业代码以 C26 开头（本项目：C2614）",
    )
    assert ds07.prerequisites == ("XA01",) and ds07.prerequisite_names == ("企业投资项目核准",)
    assert plan.item("DS24").reasons == ("属于特殊建设工程",)
    factory = _plan(FACTORY, D(2026, 9, 21))
    assert factory.item("DS20").reasons == (
        "使用林地大于 0 公顷（本项目：2 公顷）",
        "不是临时占用林地",
    )
    assert factory.item("DS08").reasons == ("用地方式为出让", "涉及新增建设用地")
    road = _plan(ROAD, D(2026, 2, 2))
    assert road.item("DS03").reasons == ("投资类型为政府投资",)


def test_items_outside_the_scope_are_planned_as_self_handled():
    scope = FACTORY_ITEMS - {"UT01", "UT02"}
    full = _plan(FACTORY, D(2026, 9, 21))
    partial = _plan(FACTORY, D(2026, 9, 21), scope_codes=scope)
    assert {i.code for i in partial.items if not i.in_scope} == {"UT01", "UT02"}
    assert partial.item("UT01").handler_label == "企业自行办理"
    assert partial.item("DS28").handler_label == "代办"
    assert [_dates(partial, c) for c in sorted(scope)] == [_dates(full, c) for c in sorted(scope)]
    assert partial.total_working_days == full.total_working_days


def test_actual_dates_reschedule_the_rest():
    plan = _plan(RENOVATION, D(2026, 9, 28), actuals={"DS15": (D(2026, 9, 28), D(2026, 11, 6))})
    ds15 = plan.item("DS15")
    assert (ds15.actual_start, ds15.actual_finish) == (D(2026, 9, 28), D(2026, 11, 6))
    assert ds15.planned_due == D(2026, 11, 6)  # finished 5 working days late
    assert plan.item("DS16").planned_start == D(2026, 11, 6)
    assert plan.item("DS16").planned_due == D(2026, 11, 20)
    assert plan.end_date == D(2026, 11, 20) and plan.total_working_days == 35


def test_bad_attributes_and_dates_are_refused_naming_them():
    with pytest.raises(PlanInputError) as caught:
        _plan({"foo": 1, "energy_tce": -5, "eia_category": "big", "road_works": "yes"}, D.today())
    errors = caught.value.attribute_errors
    assert errors["foo"] == "未知的项目属性。"
    assert errors["energy_tce"] == "不能小于 0。"
    assert "取值应为" in errors["eia_category"]
    assert errors["road_works"] == "应为布尔值（true/false）。"
    assert set(caught.value.message_dict) == {"foo", "energy_tce", "eia_category", "road_works"}
    with pytest.raises(PlanInputError) as caught:
        _plan({}, D(1999, 12, 31))
    assert caught.value.start_date_error == "开始日期应在 2000-01-01 至 2100-12-31 之间。"
    with pytest.raises(PlanInputError):
        _plan({}, "2026-09-21")


def test_industry_code_is_normalised():
    assert _plan({**CHEMICAL, "industry_code": " c2614"}, D(2026, 1, 26)).codes == CHEMICAL_ITEMS


def test_a_warm_plan_makes_no_query(django_assert_num_queries):
    calendar = get_calendar()
    number = catalog_compiled().number
    _plan(FACTORY, D(2026, 9, 21), version=number, calendar=calendar)
    with django_assert_num_queries(0):
        plan = _plan(FACTORY, D(2026, 9, 21), version=number, calendar=calendar)
    assert plan.codes == FACTORY_ITEMS
    with django_assert_num_queries(2):  # which version is published; the calendar's state
        _plan(CHEMICAL, D(2026, 1, 26))


def test_publishing_a_new_version_invalidates_the_cache():
    before = _plan(RENOVATION, D(2026, 9, 28))
    published = catalog_compiled()
    from bangban.catalog.models import CatalogVersion

    specs = specs_from_version(CatalogVersion.objects.get(number=published.number))
    for spec in specs:
        if spec.code == "DS15":
            spec.preparation_days += 5
    version, created = catalog_load(specs=specs, source="test")
    assert created and version.number == published.number + 1
    after = _plan(RENOVATION, D(2026, 9, 28))
    assert after.catalog_version == version.number
    assert after.total_working_days == before.total_working_days + 5
    # The old version can still be planned with (open cases keep their version).
    old = _plan(RENOVATION, D(2026, 9, 28), version=published.number)
    assert old.total_working_days == before.total_working_days


def test_totals_and_compression_are_consistent_for_random_projects():
    rng = random.Random(5)
    calendar = get_calendar()
    for _ in range(60):
        attributes = {
            "investment_type": rng.choice(
                ["enterprise_filing", "enterprise_approval", "government"]
            ),
            "industry_code": rng.choice(["C2614", "E4813", "D4415", "H6210", ""]),
            "total_investment_wan": rng.choice([0, 50, 5000]),
            "land_source": rng.choice(["none", "transfer", "allocation", "existing"]),
            "land_area_ha": rng.choice([0, 0.3, 6]),
            "building_area_m2": rng.choice([0, 300, 9000]),
            "eia_category": rng.choice(["report_book", "report_form", "registration", "none"]),
            "special_construction": rng.random() < 0.3,
            "sewer_discharge": rng.random() < 0.3,
            "water_project": rng.random() < 0.2,
            "green_land_use": rng.random() < 0.2,
        }
        start = D(2026, 1, 1) + dt.timedelta(days=rng.randrange(365))
        plan = _plan(attributes, start, calendar=calendar)
        items = {item.code: item for item in plan.items}
        serial = sum(i.preparation_days + i.promised_days for i in plan.items)
        assert plan.serial_working_days == serial
        assert plan.total_working_days == max(i.ef for i in plan.items)
        assert plan.compression == round(1 - plan.total_working_days / serial, 4)
        assert 0 <= plan.compression < 1
        assert plan.end_date == max(i.planned_due for i in plan.items)
        for item in plan.items:
            assert item.planned_start <= item.planned_acceptance <= item.planned_due
            assert item.working_days == item.preparation_days + item.promised_days
            assert item.critical == (item.slack == 0) and item.slack >= 0
            for code in item.prerequisites:
                assert items[code].planned_due <= item.planned_start
        path = [items[code] for code in plan.critical_path]
        assert path and all(item.critical for item in path)
        assert path[0].es == 0 and path[-1].ef == plan.total_working_days
        assert all(a.ef == b.es for a, b in zip(path, path[1:], strict=False))
