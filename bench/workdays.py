"""Calls per second of the working-day core (no Django, no database).

    .venv/bin/python bench/workdays.py

Measures add_working_days and count_working_days on the ``holidays`` package calendar,
inside the known years and beyond them (weekend arithmetic), and the cost of building the
calendar. Prints figures only; nothing is asserted.
"""

import datetime as dt
import pathlib
import random
import sys
import time

import holidays

# bench/http.py would shadow the standard library's http package: take bench/ off the path.
sys.path[:] = [
    p
    for p in sys.path
    if pathlib.Path(p or ".").resolve() != pathlib.Path(__file__).resolve().parent
]
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from bangban.rules import workdays as core  # noqa: E402
from bangban.workdays.source import package_calendar, package_data  # noqa: E402

CALLS = 200_000


def rate(label: str, fn, args: list[tuple]) -> None:
    start = time.perf_counter()
    for a in args:
        fn(*a)
    elapsed = time.perf_counter() - start
    print(f"{label:<44} {len(args) / elapsed:>12,.0f} calls/s")


def dates(rng: random.Random, first: dt.date, last: dt.date, k: int) -> list[dt.date]:
    lo, hi = first.toordinal(), last.toordinal()
    return [dt.date.fromordinal(rng.randint(lo, hi)) for _ in range(k)]


def main() -> None:
    t = time.perf_counter()
    package_data()
    loaded = time.perf_counter() - t
    t = time.perf_counter()
    cal = package_calendar()
    built = time.perf_counter() - t
    print(f"load holidays package data (once)            {loaded * 1000:>9.1f} ms")
    print(
        f"build Calendar index ({len(cal.known_years)} years)               {built * 1000:>9.1f} ms"
    )

    rng = random.Random(20260930)
    known = dates(rng, dt.date(2001, 1, 1), dt.date(2026, 6, 30), CALLS)
    beyond = dates(rng, dt.date(2027, 1, 1), dt.date(2200, 12, 31), CALLS)
    ns = [rng.randint(0, 60) for _ in range(CALLS)]

    rate(
        "add_working_days (known years, n<=60)",
        core.add_working_days,
        [(cal, d, n) for d, n in zip(known, ns, strict=True)],
    )
    rate(
        "add_working_days (beyond known years)",
        core.add_working_days,
        [(cal, d, n) for d, n in zip(beyond, ns, strict=True)],
    )
    rate(
        "count_working_days (known years)",
        core.count_working_days,
        [(cal, a, b) for a, b in zip(known, reversed(known), strict=True)],
    )
    rate(
        "count_working_days (beyond known years)",
        core.count_working_days,
        [(cal, a, b) for a, b in zip(beyond, reversed(beyond), strict=True)],
    )
    rate("is_working_day", core.is_working_day, [(cal, d) for d in known])

    # For comparison: the package's own day-by-day walk.
    china = holidays.China(years=range(2001, 2027))
    rate(
        "holidays.China.get_nth_working_day (n<=60)",
        china.get_nth_working_day,
        [(d, max(n, 1)) for d, n in zip(known[:5000], ns, strict=False)],
    )


if __name__ == "__main__":
    main()
