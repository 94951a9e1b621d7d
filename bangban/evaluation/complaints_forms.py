"""The complaint and accountability pages' input: a POST parsed into the cleaned mapping the
action table and the services take (the same keys as the API's serializers). A value that
cannot be read (a date typed wrongly) is a ``ValidationError`` keyed by its field, in
Chinese, before any service runs; everything else is checked by the services (lengths too:
the templates also carry ``maxlength``).
"""

from __future__ import annotations

from typing import Any

from bangban.common.checks import parse_date as _date
from bangban.common.checks import parse_datetime as _datetime
from bangban.common.checks import raise_errors as _raise

from .accountability_services import RECORD_FIELDS
from .complaints_services import REGISTER_FIELDS

#: The longest value a page field takes before a service sees it (a larger one is cut to
#: this and refused by the service's own limit with its message).
POST_LIMIT = 10_000


def _value(post, name: str) -> str:
    return str(post.get(name, ""))[:POST_LIMIT]


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
