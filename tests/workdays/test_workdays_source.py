"""Our reading of the ``holidays`` package agrees with the package itself."""

import datetime as dt

import holidays
from holidays.countries.china import ChinaStaticHolidays

from bangban.rules.workdays import is_working_day
from bangban.workdays.source import package_data, package_known_years


def test_known_years_are_the_packages_official_years():
    official = ChinaStaticHolidays.special_public_holidays
    assert package_known_years() == range(min(official), max(official) + 1)


def test_every_day_of_the_known_years_agrees_with_the_package(pkg_cal):
    years = package_known_years()
    china = holidays.China(years=years)
    day, last = dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31)
    while day <= last:
        assert is_working_day(pkg_cal, day) == china.is_working_day(day), day
        day += dt.timedelta(days=1)


def test_half_day_holidays_are_not_loaded():
    # 妇女节 2027-03-08 and 青年节 are half-day holidays (category half_day): never days off.
    data = package_data()
    assert dt.date(2026, 3, 9) not in data.days_off
    assert all("妇女" not in name and "青年" not in name for name in data.names.values())


def test_names_are_chinese():
    data = package_data()
    assert data.names[dt.date(2026, 2, 17)] == "春节"
    assert data.names[dt.date(2026, 2, 14)] == "调休上班"
