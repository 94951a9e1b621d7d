"""China's public holidays and 调休 from the ``holidays`` package (no Django).

The package computes statutory holidays for any year from the lunar calendar, but it carries
the State Council's 调休 arrangements (``special_public_holidays``) only for the years whose
notice has been published. Only those years are *known*; for the others nothing from the
package is used (see :mod:`bangban.rules.workdays`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import holidays
from holidays.countries.china import ChinaStaticHolidays

from bangban.rules.workdays import Calendar

__all__ = ["PackageData", "package_calendar", "package_data", "package_known_years"]


@dataclass(frozen=True)
class PackageData:
    known_years: frozenset[int]
    days_off: frozenset[dt.date]
    extra_working_days: frozenset[dt.date]
    names: dict[dt.date, str]


def package_known_years() -> range:
    """The years with official 调休 data in the installed package (2001–2026 at 0.109)."""
    years = ChinaStaticHolidays.special_public_holidays
    return range(min(years), max(years) + 1)


@lru_cache(maxsize=1)
def package_data() -> PackageData:
    """Days off and 调休 working days of the known years (public holidays only: the
    half-day holidays such as 妇女节 are a separate category and are not loaded)."""
    years = package_known_years()
    china = holidays.China(years=years, language="zh_CN")
    known = frozenset(years)
    days_off = frozenset(d for d in china if d.year in known)
    working = frozenset(d for d in china.weekend_workdays if d.year in known)
    names = {d: china[d] for d in days_off}
    names.update({d: "调休上班" for d in working})
    return PackageData(known, days_off, working, names)


def package_calendar() -> Calendar:
    """The calendar from the package alone (no centre overrides)."""
    data = package_data()
    return Calendar(
        days_off=data.days_off,
        extra_working_days=data.extra_working_days,
        known_years=data.known_years,
        names=data.names,
    )
