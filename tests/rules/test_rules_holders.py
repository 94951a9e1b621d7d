"""Who handles an item in a region, and its service mode there (pure core:
bangban.rules.handling.holding_for / service_area / service_mode_in)."""

from hypothesis import given
from hypothesis import strategies as st

from bangban.rules.handling import FunctionHolding, holding_for, service_area, service_mode_in

ROOT = "/150000/"
HOHHOT = "/150000/150100/"
COUNTY = "/150000/150100/150123/"
NEW_AREA = "/150000/150100/150123/horinger-new-area/"
TOWN = "/150000/150100/150123/horinger-new-area/horinger-shengle/"
DONGSHENG = "/150000/150600/150602/"
LEVELS = {
    ROOT: "region",
    HOHHOT: "city",
    COUNTY: "county",
    NEW_AREA: "zone",
    TOWN: "town",
    "/150000/150600/": "city",
    DONGSHENG: "county",
}


def row(region, department, *, codes=(), domain="", mode=""):
    return FunctionHolding(
        region_path=region,
        domain=domain,
        codes=frozenset(codes),
        department_key=department,
        department_name=department,
        department_path=region,
        service_mode=mode,
    )


NEW_AREA_DS31 = row(NEW_AREA, "ghjs", codes=("DS31", "DS57"), mode="joint")
NEW_AREA_HOUSING = row(NEW_AREA, "ghjs-housing", domain="municipal")
HOHHOT_MUNICIPAL = row(HOHHOT, "hohhot-cgj", domain="municipal")
HOHHOT_DS32 = row(HOHHOT, "hohhot-ds32", codes=("DS32",))
ROWS = [HOHHOT_MUNICIPAL, HOHHOT_DS32, NEW_AREA_HOUSING, NEW_AREA_DS31]


def find(code, domain="municipal", region=TOWN, rows=ROWS):
    found = holding_for(rows, region_path=region, code=code, domain=domain)
    return found.department_key if found else None


def test_a_row_naming_the_item_wins_over_its_domain_at_the_same_region():
    assert find("DS31") == "ghjs"
    assert find("DS33") == "ghjs-housing"  # same domain, not named


def test_the_nearest_region_wins_even_over_a_named_item_above():
    # 呼和浩特 names DS32, the 新区 holds the whole domain: the 新区 is nearer.
    assert find("DS32") == "ghjs-housing"
    # Outside the 新区 (the county), the 呼和浩特 rows hold.
    assert find("DS32", region=COUNTY) == "hohhot-ds32"
    assert find("DS31", region=COUNTY) == "hohhot-cgj"


def test_no_row_means_the_catalog_department():
    assert find("DS31", region=DONGSHENG) is None
    assert find("DS39", domain="water") is None


@given(st.permutations(ROWS))
def test_the_answer_does_not_depend_on_the_order_of_the_rows(rows):
    for code, region in [("DS31", TOWN), ("DS32", TOWN), ("DS32", COUNTY), ("DS33", COUNTY)]:
        assert find(code, region=region, rows=rows) == find(code, region=region)


def test_the_service_area_is_the_nearest_county_or_zone():
    assert service_area(TOWN, LEVELS) == NEW_AREA
    assert service_area(NEW_AREA, LEVELS) == NEW_AREA
    assert service_area(COUNTY, LEVELS) == COUNTY
    assert service_area(HOHHOT, LEVELS) == HOHHOT  # a project placed at a 盟市


def mode(department_path, area, *, catalog="bangban", level="zone", kind="promised", row=""):
    return service_mode_in(
        catalog_mode=catalog,
        level=level,
        kind=kind,
        department_path=department_path,
        area=area,
        holding_mode=row,
    )


def test_service_mode_by_where_the_department_sits():
    assert mode(DONGSHENG, DONGSHENG) == "bangban"  # a 东胜区 bureau for a 东胜区 project
    assert mode(DONGSHENG + "town/", DONGSHENG) == "bangban"  # a 镇 of it
    assert mode(DONGSHENG, NEW_AREA) == "errand"  # elsewhere
    assert mode(HOHHOT, NEW_AREA) == "errand"  # above the 新区
    assert mode(COUNTY, NEW_AREA) == "errand"  # the county around the 新区: outside it
    assert mode(NEW_AREA, NEW_AREA, row="joint") == "joint"  # 种子 003 四（二）
    assert mode(NEW_AREA, NEW_AREA, catalog="joint") == "joint"  # the catalog's 联审联批
    assert mode(NEW_AREA, NEW_AREA, catalog="errand") == "errand"  # the catalog's 派驻机构
    # Decided above the zone: 专业跑腿 even at a local bureau, whatever the row says.
    assert mode(DONGSHENG, DONGSHENG, level="region") == "errand"
    assert mode(NEW_AREA, NEW_AREA, kind="reported", row="joint") == "errand"
    # Outside wins over the row's mode.
    assert mode(HOHHOT, NEW_AREA, row="bangban") == "errand"
