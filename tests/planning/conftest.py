import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def today(monkeypatch):
    """today(date): the server clock reads 18:00 (Shanghai) of that day from then on — what
    re-planning "as of today" reads (``timezone.localdate()``) and what said times are checked
    against."""

    def set_today(day: dt.date) -> dt.date:
        moment = dt.datetime.combine(day, dt.time(18, 0), tzinfo=SHANGHAI)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return day

    return set_today
