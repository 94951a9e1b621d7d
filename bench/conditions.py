"""Evaluations per second of the condition language (no Django, no database).

    .venv/bin/python bench/conditions.py

Compiles ~80 conditions typical of a catalog (SPEC §5 thresholds), evaluates them against
random valid projects, and prints compile, evaluate and explain rates, the rate of "plans"
(every condition evaluated once), and for scale the scheduler on 40 items with an in-memory
weekday calendar. Prints figures only; nothing is asserted.
"""

import bisect
import datetime as dt
import pathlib
import random
import sys
import time

# bench/http.py would shadow the standard library's http package: take bench/ off the path.
sys.path[:] = [
    p
    for p in sys.path
    if pathlib.Path(p or ".").resolve() != pathlib.Path(__file__).resolve().parent
]
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from bangban.rules import conditions  # noqa: E402
from bangban.rules.attributes import ATTRIBUTES, validate_attributes  # noqa: E402
from bangban.rules.scheduler import PlanInput, PlanItem, schedule  # noqa: E402

TYPICAL = [
    "",
    "investment_type == 'government'",
    "investment_type == 'enterprise_filing'",
    "investment_type == 'enterprise_approval'",
    "investment_type in ['enterprise_filing', 'enterprise_approval']",
    "investment_type == 'government' and total_investment_wan >= 3000",
    "investment_type == 'government' and is_key_project",
    "investment_type != 'government' and is_key_project",
    "energy_tce >= 1000 or electricity_wan_kwh >= 500",
    "energy_tce >= 5000 or electricity_wan_kwh >= 2000",
    "energy_project",
    "energy_project and investment_type == 'enterprise_approval'",
    "industry_code startswith ['D44', 'D45']",
    "industry_code startswith ['C25', 'C26', 'C30', 'C31', 'C32']",
    "industry_code startswith 'C26' and hazardous_waste_business",
    "facility_agriculture",
    "facility_agriculture and land_area_ha > 0",
    "land_source == 'transfer'",
    "land_source == 'allocation'",
    "land_source in ['transfer', 'allocation']",
    "land_source == 'existing' and land_use_change",
    "land_source != 'none'",
    "new_construction_land",
    "new_construction_land and land_source == 'transfer'",
    "new_construction_land and land_source == 'allocation'",
    "land_use_change",
    "land_area_ha > 0",
    "land_area_ha >= 0.5 or earthwork_m3 >= 1000",
    "(land_area_ha >= 0.5 or earthwork_m3 >= 1000) and not (land_area_ha >= 5 or earthwork_m3 >= 50000)",
    "land_area_ha >= 5 or earthwork_m3 >= 50000",
    "forest_land_ha > 0",
    "forest_land_ha > 0 and forest_land_temporary",
    "forest_land_ha > 0 and not forest_land_temporary",
    "forest_land_ha >= 10",
    "forest_land_ha > 0 and forest_land_ha < 10",
    "grassland_ha > 0",
    "grassland_ha > 0 and basic_grassland",
    "grassland_ha > 0 and not basic_grassland",
    "eia_category == 'report_book'",
    "eia_category == 'report_form'",
    "eia_category == 'registration'",
    "eia_category in ['report_book', 'report_form']",
    "eia_category != 'none'",
    "water_intake_self",
    "water_intake_self and energy_project",
    "sewer_discharge",
    "sewer_discharge and building_area_m2 > 0",
    "total_investment_wan >= 100 or building_area_m2 >= 500",
    "building_area_m2 > 0",
    "building_area_m2 >= 300",
    "building_area_m2 >= 10000 and public_gathering",
    "special_construction",
    "not special_construction and building_area_m2 > 0",
    "special_construction or public_gathering",
    "public_gathering",
    "hazardous_waste_business",
    "gas_business",
    "gas_business and land_source != 'none'",
    "highway_project",
    "road_works",
    "highway_project or road_works",
    "pipeline_zone",
    "relic_control_zone",
    "flood_zone",
    "flood_zone and water_project",
    "municipal_facility_change",
    "green_land_use",
    "lightning_protection",
    "lightning_protection and building_area_m2 > 0",
    "earthwork_m3 > 0",
    "earthwork_m3 >= 1000 and not water_project",
    "water_project",
    "water_project and investment_type == 'government'",
    "is_key_project",
    "is_key_project and total_investment_wan >= 10000",
    "total_investment_wan >= 5000 and industry_code startswith 'C'",
    "not (investment_type == 'government') and total_investment_wan > 0",
    "industry_code startswith 'K70' and land_source == 'transfer'",
    "industry_code startswith ['E47', 'E48'] or building_area_m2 >= 500",
    "investment_type == 'government' or (is_key_project and energy_project)",
]


def random_project(rng: random.Random) -> dict:
    values: dict = {}
    for name, spec in ATTRIBUTES.items():
        if rng.random() < 0.4:
            continue  # left out: neutral value
        if spec.type == "bool":
            values[name] = rng.random() < 0.3
        elif spec.type == "number":
            values[name] = rng.choice([0, 0.3, 0.5, 3, 8, 12, 100, 600, 1200, 5000, 60000])
        elif spec.type == "enum":
            values[name] = rng.choice(sorted(spec.choices))
        else:
            values[name] = rng.choice(["C2614", "C3011", "D4411", "K7010", "E4710", "A0111"])
    complete, errors = validate_attributes(values)
    assert not errors
    return complete if rng.random() < 0.5 else values


class WeekdayCalendar:
    """Monday to Friday, for scale only (the real calendar lives in bangban.workdays)."""

    def __init__(self) -> None:
        day, self.days = dt.date(2026, 1, 1), []
        while day.year < 2030:
            if day.weekday() < 5:
                self.days.append(day)
            day += dt.timedelta(days=1)

    def add(self, start: dt.date, n: int) -> tuple[dt.date, bool]:
        if n == 0:
            return self.days[bisect.bisect_left(self.days, start)], False
        return self.days[bisect.bisect_right(self.days, start) + n - 1], False

    def count(self, a: dt.date, b: dt.date) -> tuple[int, bool]:
        return bisect.bisect_right(self.days, b) - bisect.bisect_right(self.days, a), False


def main() -> None:
    rng = random.Random(2026)
    print(f"{len(TYPICAL)} conditions")

    rounds = 20
    uncached = dict(ATTRIBUTES)  # not the default schema object: compile_condition skips its cache
    start = time.perf_counter()
    for _ in range(rounds):
        for text in TYPICAL:
            conditions.compile_condition(text, uncached)
    elapsed = time.perf_counter() - start
    print(
        f"{'parse + check + compile (uncached)':<44} {rounds * len(TYPICAL) / elapsed:>12,.0f} conditions/s"
    )

    compiled = [conditions.compile_condition(text) for text in TYPICAL]
    projects = [random_project(rng) for _ in range(500)]
    evaluators = [c.evaluate for c in compiled]

    start = time.perf_counter()
    for attrs in projects:
        for evaluate in evaluators:
            evaluate(attrs)
    elapsed = time.perf_counter() - start
    evaluations = len(projects) * len(evaluators)
    print(f"{'evaluate':<44} {evaluations / elapsed:>12,.0f} evaluations/s")
    print(f"{'plans (every condition once)':<44} {len(projects) / elapsed:>12,.0f} plans/s")

    start = time.perf_counter()
    for attrs in projects[:100]:
        for condition in compiled:
            condition.explain(attrs)
    elapsed = time.perf_counter() - start
    print(f"{'explain':<44} {100 * len(compiled) / elapsed:>12,.0f} explanations/s")

    start = time.perf_counter()
    for attrs in projects[:100]:
        for condition in compiled:
            if condition.evaluate(attrs):
                condition.explain(attrs)
    elapsed = time.perf_counter() - start
    print(f"{'plans (evaluate all, explain the applicable)':<44} {100 / elapsed:>12,.0f} plans/s")

    codes = [f"DS{i:02d}" for i in range(40)]
    items = [
        PlanItem(
            code=code,
            name=code,
            stage="stage",
            stage_order=i // 6,
            preparation_days=rng.randint(0, 10),
            promised_days=rng.choice([0, 1, 5, 10, 20, 30]),
            prerequisites=tuple(rng.sample(codes[:i], min(i, rng.randint(0, 3)))),
        )
        for i, code in enumerate(codes)
    ]
    plan = PlanInput(dt.date(2026, 9, 28), items)
    calendar = WeekdayCalendar()
    rounds = 2000
    start = time.perf_counter()
    for _ in range(rounds):
        schedule(plan, calendar)
    elapsed = time.perf_counter() - start
    print(f"{'schedule, 40 items (weekday calendar)':<44} {rounds / elapsed:>12,.0f} plans/s")


if __name__ == "__main__":
    main()
