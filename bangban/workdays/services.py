"""Writes to the working-day calendar. The calendar cache (see selectors) notices every
change by itself, so nothing here needs to invalidate it."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import CalendarYear, DayOverride
from .notice import NoticeEntry, NoticeError, parse_notice

MIN_YEAR = 1900
MAX_YEAR = 2200


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(f"年份须在 {MIN_YEAR} 至 {MAX_YEAR} 之间。", code="year")


def notice_validate(*, year: int, text: str) -> list[NoticeEntry]:
    """Parse and check a notice without writing anything (forms use it to show errors);
    raises ``ValidationError`` with one line-numbered Chinese message per problem."""
    _check_year(year)
    try:
        return parse_notice(year, text)
    except NoticeError as exc:
        raise ValidationError(exc.messages, code="notice") from None


def _entered_by(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def calendar_year_enter_notice(*, year: int, text: str, title: str = "", user=None) -> CalendarYear:
    """Enter a whole year's holiday notice (one line per block, see ``notice.py``).

    Everything is validated first; on any problem a ``ValidationError`` names the line and
    nothing is written. On success, in one transaction: the year's overrides that came from
    an earlier notice are replaced by this notice's days, single-day fixes (local holidays)
    on dates the notice does not mention are kept, and the year is marked confirmed.
    """
    entries = notice_validate(year=year, text=text)
    title = title.strip()
    if len(title) > CalendarYear._meta.get_field("notice_title").max_length:
        raise ValidationError("通知标题过长（最多 200 个字）。", code="title")

    now = timezone.now()
    with transaction.atomic():
        calendar_year, _ = CalendarYear.objects.select_for_update().get_or_create(year=year)
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        dates = [entry.date for entry in entries]
        DayOverride.objects.filter(date__range=(start, end)).filter(
            Q(source=DayOverride.Source.NOTICE) | Q(date__in=dates)
        ).delete()
        DayOverride.objects.bulk_create(
            DayOverride(
                date=entry.date,
                is_working_day=entry.is_working_day,
                name=entry.name,
                source=DayOverride.Source.NOTICE,
                calendar_year=calendar_year,
                updated_at=now,
            )
            for entry in entries
        )
        calendar_year.confirmed = True
        calendar_year.notice_title = title
        calendar_year.notice_text = text
        calendar_year.entered_by = _entered_by(user)
        calendar_year.entered_at = now
        calendar_year.save()
    return calendar_year


def day_override_set(
    *, date: dt.date, is_working_day: bool, name: str = "", note: str = "", user=None
) -> DayOverride:
    """Fix one date (e.g. a local holiday): creates or replaces that date's override. The
    year row is created unconfirmed if needed — one fixed date does not confirm a year."""
    _check_year(date.year)
    with transaction.atomic():
        calendar_year, _ = CalendarYear.objects.get_or_create(year=date.year)
        override = DayOverride.objects.filter(date=date).first() or DayOverride(date=date)
        override.is_working_day = is_working_day
        override.name = name.strip()
        override.note = note.strip()
        override.source = DayOverride.Source.MANUAL
        override.calendar_year = calendar_year
        override.full_clean()
        override.save()
    return override


def day_override_delete(*, override: DayOverride) -> None:
    """Remove one override; the date falls back to the package and weekends."""
    override.delete()
