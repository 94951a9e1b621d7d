"""What the services and the page forms of every app check alike, before anything is written:
a text within its limit (and present when required), a date or time typed on a page, and the
collected errors raised at once as one ``ValidationError`` keyed by field (Chinese messages)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

TEXT_TOO_LONG = "{label}不能超过 {limit} 个字。"
BAD_DATE = "{label}格式应为 YYYY-MM-DD。"
BAD_DATETIME = "{label}格式应为 YYYY-MM-DD HH:MM。"


def checked_text(
    value, field: str, label: str, limit: int, errors: dict, *, required_message: str = ""
) -> str:
    """The stripped text; too long, or empty when ``required_message`` is given, is an error
    under ``field``."""
    text = str(value if value is not None else "").strip()
    if len(text) > limit:
        errors[field] = TEXT_TOO_LONG.format(label=label, limit=limit)
    elif required_message and not text:
        errors.setdefault(field, required_message)
    return text


def parse_date(value: str, field: str, label: str, errors: dict) -> dt.date | None:
    """A ``YYYY-MM-DD`` typed on a page; empty is None, anything else an error."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors[field] = BAD_DATE.format(label=label)
        return None


def parse_datetime(value: str, field: str, label: str, errors: dict) -> dt.datetime | None:
    """A ``YYYY-MM-DD HH:MM`` (also with ``T``) typed on a page, in the current time zone."""
    value = (value or "").strip().replace("T", " ")
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        errors[field] = BAD_DATETIME.format(label=label)
        return None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def raise_errors(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)
