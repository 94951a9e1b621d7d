"""The complaint and accountability pages' input: a POST parsed into the cleaned mapping the
action table and the services take (the same keys as the API's serializers). A value that
cannot be read (a date typed wrongly) is a ``ValidationError`` keyed by its field, in
Chinese, before any service runs; everything else is checked by the services (lengths too:
the templates also carry ``maxlength``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from .accountability_services import RECORD_FIELDS
from .complaints_services import REGISTER_FIELDS

BAD_DATE = "{label}格式应为 YYYY-MM-DD。"
BAD_DATETIME = "{label}格式应为 YYYY-MM-DD HH:MM。"

#: The longest value a page field takes before a service sees it (a larger one is cut to
#: this and refused by the service's own limit with its message).
POST_LIMIT = 10_000


def _value(post, name: str) -> str:
    return str(post.get(name, ""))[:POST_LIMIT]


def _date(value: str, field: str, label: str, errors: dict) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors[field] = BAD_DATE.format(label=label)
        return None


def _datetime(value: str, field: str, label: str, errors: dict) -> dt.datetime | None:
    value = (value or "").strip().replace("T", " ")
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        errors[field] = BAD_DATETIME.format(label=label)
        return None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def register_data(post) -> dict[str, Any]:
    """The register form (登记投诉)."""
    errors: dict[str, str] = {}
    data: dict[str, Any] = {name: _value(post, name) for name in REGISTER_FIELDS}
    for name in ("subject_user", "subject_department", "commission"):
        data[name] = data[name].strip() or None
    data["received_at"] = _datetime(data["received_at"], "received_at", "收到时间", errors)
    _raise(errors)
    return data


def action_data(post) -> dict[str, Any]:
    """The step forms of the complaint page (assign, record, conclude)."""
    data: dict[str, Any] = {
        "version": post.get("version"),
        "handler": _value(post, "handler").strip() or None,
        "note": _value(post, "note"),
        "handling": _value(post, "handling"),
        "finding": _value(post, "finding"),
        "result": _value(post, "result"),
    }
    return data


def record_data(post) -> dict[str, Any]:
    """The create form of an accountability record."""
    errors: dict[str, str] = {}
    data: dict[str, Any] = {name: _value(post, name) for name in RECORD_FIELDS}
    for name in ("complaint", "subject_user", "subject_department"):
        data[name] = data[name].strip() or None
    data["occurred_on"] = _date(data["occurred_on"], "occurred_on", "发生日期", errors)
    _raise(errors)
    return data
