"""Plans per second of the planner over the full published catalog.

    .venv/bin/python bench/plan.py [--plans 1000] [--profile]

Builds a throwaway SQLite database in a temporary directory (migrate + load_reference), then
plans random projects (seeded, so every run plans the same ones) with ``plan_compute``:

- "per call": ``plan_compute(attributes=..., start_date=...)`` as the page and the API call
  it — one query for the published version number, one for the working-day calendar;
- "no query": the version number and the calendar passed in, as a loop over many projects
  would (the compiled catalog is cached per version, so this makes no query at all);
- "+ reasons": the same, also wording every item's explanation (done lazily otherwise).

Prints figures only; nothing is asserted.
"""

import argparse
import atexit
import cProfile
import datetime as dt
import io
import os
import pathlib
import pstats
import random
import shutil
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
# bench/http.py would shadow the standard library's http package: take bench/ off the path.
sys.path[:] = [
    p
    for p in sys.path
    if pathlib.Path(p or ".").resolve() != pathlib.Path(__file__).resolve().parent
]
sys.path.insert(0, str(ROOT))

INDUSTRIES = [
    "C2614",  # 有机化学原料制造
    "C3011",  # 水泥制造
    "C3411",  # 锅炉及辅助设备制造
    "C3985",  # 电子专用材料制造
    "C1391",  # 淀粉及淀粉制品制造
    "D4411",  # 火力发电
    "D4415",  # 风力发电
    "E4812",  # 公路工程建筑
    "E4813",  # 市政道路工程建筑
    "F5211",  # 百货零售
    "G5432",  # 道路货物运输
    "H6110",  # 旅游饭店
    "I6510",  # 软件开发
    "K7010",  # 房地产开发经营
    "N7721",  # 水污染治理
    "A0111",  # 稻谷种植
    "",
]


def random_attributes(rng: random.Random) -> dict:
    def maybe(p: float, value):
        return value if rng.random() < p else None

    attrs = {
        "investment_type": rng.choice(
            ["enterprise_filing"] * 3 + ["enterprise_approval", "government"]
        ),
        "industry_code": rng.choice(INDUSTRIES),
        "total_investment_wan": round(rng.choice([50, 300, 2000, 20000, 150000]) * rng.random(), 1),
        "land_source": rng.choice(["none", "transfer", "transfer", "allocation", "existing"]),
        "land_area_ha": maybe(0.7, round(rng.uniform(0, 30), 2)),
        "new_construction_land": rng.random() < 0.4,
        "forest_land_ha": maybe(0.2, round(rng.uniform(0, 20), 2)),
        "forest_land_temporary": rng.random() < 0.3,
        "grassland_ha": maybe(0.2, round(rng.uniform(0, 15), 2)),
        "basic_grassland": rng.random() < 0.3,
        "energy_tce": maybe(0.4, round(rng.uniform(0, 30000))),
        "electricity_wan_kwh": maybe(0.4, round(rng.uniform(0, 2000))),
        "eia_category": rng.choice(
            ["report_book", "report_form", "report_form", "registration", "none"]
        ),
        "building_area_m2": maybe(0.8, round(rng.uniform(0, 80000))),
        "earthwork_m3": maybe(0.6, round(rng.uniform(0, 200000))),
    }
    for name in (
        "is_key_project",
        "energy_project",
        "facility_agriculture",
        "land_use_change",
        "water_intake_self",
        "sewer_discharge",
        "special_construction",
        "public_gathering",
        "hazardous_waste_business",
        "gas_business",
        "highway_project",
        "road_works",
        "pipeline_zone",
        "relic_control_zone",
        "flood_zone",
        "municipal_facility_change",
        "green_land_use",
        "lightning_protection",
        "water_project",
    ):
        attrs[name] = rng.random() < 0.15
    return {k: v for k, v in attrs.items() if v is not None}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--profile", action="store_true", help="print a cProfile summary")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="bangban-bench-")
    atexit.register(shutil.rmtree, workdir, ignore_errors=True)
    os.environ["BANGBAN_DATA_DIR"] = workdir
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangban.settings")
    os.environ.setdefault("BANGBAN_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0, stdout=io.StringIO())
    print(f"throwaway database ready in {time.perf_counter() - t:.1f} s")

    from bangban.planning.catalog import catalog_compiled
    from bangban.planning.compute import plan_compute
    from bangban.workdays.selectors import get_calendar

    rng = random.Random(20260921)
    projects = [random_attributes(rng) for _ in range(args.plans)]
    starts = [dt.date(2026, 1, 5) + dt.timedelta(days=rng.randrange(330)) for _ in projects]

    t = time.perf_counter()
    plan_compute(attributes=projects[0], start_date=starts[0])
    print(
        f"first plan (compiles the catalog)            {(time.perf_counter() - t) * 1000:8.1f} ms"
    )
    catalog = catalog_compiled()
    calendar = get_calendar()
    print(f"catalog version {catalog.number}: {len(catalog.entries)} items")

    def run(label: str, **extra) -> list:
        plans = []
        t = time.perf_counter()
        for attrs, start in zip(projects, starts, strict=True):
            plans.append(plan_compute(attributes=attrs, start_date=start, **extra))
        elapsed = time.perf_counter() - t
        print(
            f"{label:<44} {len(plans) / elapsed:8,.0f} plans/s  ({elapsed / len(plans) * 1e6:,.0f} µs/plan)"
        )
        return plans

    run("per call (version check + calendar query)")
    plans = run("no query (version and calendar given)", version=catalog.number, calendar=calendar)

    t = time.perf_counter()
    for attrs, start in zip(projects, starts, strict=True):
        plan = plan_compute(
            attributes=attrs, start_date=start, version=catalog.number, calendar=calendar
        )
        for item in plan.items:
            item.reasons  # noqa: B018
    elapsed = time.perf_counter() - t
    print(f"{'no query + every explanation worded':<44} {len(projects) / elapsed:8,.0f} plans/s")

    sizes = [len(plan.items) for plan in plans]
    print(f"items per plan: min {min(sizes)}, mean {sum(sizes) / len(sizes):.1f}, max {max(sizes)}")
    largest = max(range(len(plans)), key=lambda i: sizes[i])
    repeat = 200
    t = time.perf_counter()
    for _ in range(repeat):
        plan_compute(
            attributes=projects[largest],
            start_date=starts[largest],
            version=catalog.number,
            calendar=calendar,
        )
    one = (time.perf_counter() - t) / repeat
    t = time.perf_counter()
    for _ in range(repeat):
        plan_compute(attributes=projects[largest], start_date=starts[largest])
    one_call = (time.perf_counter() - t) / repeat
    print(
        f"largest project ({sizes[largest]} items, {plans[largest].total_working_days} working days): "
        f"{one * 1000:.2f} ms per plan without queries, {one_call * 1000:.2f} ms with them"
    )

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for attrs, start in zip(projects, starts, strict=True):
            plan_compute(
                attributes=attrs, start_date=start, version=catalog.number, calendar=calendar
            )
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
