import datetime as dt

import pytest

from bangban.workdays.source import package_calendar


@pytest.fixture(scope="session")
def pkg_cal():
    """The calendar from the ``holidays`` package alone (official years 2001–2026)."""
    return package_calendar()


@pytest.fixture
def notice_2027():
    """Part of a plausible 2027 notice (the real one is published in late 2026)."""
    return "\n".join(
        [
            "休 2027-01-01 至 2027-01-03 元旦",
            "休 2027-02-05 至 2027-02-13 春节",
            "班 2027-02-14 春节调休上班",
            "班 2027-02-20 春节调休上班",
            "休 2027-10-01 ~ 2027-10-07 国庆节",
            "班　2027-09-26　国庆节调休上班",
        ]
    )


@pytest.fixture
def d():
    return dt.date.fromisoformat
