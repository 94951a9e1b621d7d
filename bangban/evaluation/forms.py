"""The after-service pages' input: a POST parsed into the cleaned mapping the action tables
and the services take (the same keys as the API's serializers). A value that cannot be read
(a date typed wrongly) is a ``ValidationError`` keyed by its field, in Chinese, before any
service runs; everything else (required fields, lengths) is checked by the services.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bangban.common.checks import parse_date, parse_datetime
from bangban.common.checks import raise_errors as _raise


def parse_when(value: str, field: str, label: str, errors: dict) -> dt.date | dt.datetime | None:
    """A date (``YYYY-MM-DD``) or a time (``YYYY-MM-DD HH:MM``, also with ``T``)."""
    if len((value or "").strip()) == 10:
        return parse_date(value, field, label, errors)
    return parse_datetime(value, field, label, errors)


def rating_data(post) -> dict[str, Any]:
    """The rating form (the enterprise's on the commission page; staff's paper form)."""
    errors: dict[str, str] = {}
    data = {
        "case": post.get("case") or None,
        "level": post.get("level", ""),
        "comment": post.get("comment", ""),
        "source": post.get("source") or None,
        "rated_at": parse_when(post.get("rated_at", ""), "rated_at", "评价时间", errors),
    }
    _raise(errors)
    return data


def rectification_action_data(post) -> dict[str, Any]:
    """The action forms of the rectification page."""
    return {
        "version": post.get("version"),
        "verification": post.get("verification", ""),
        "measures": post.get("measures", ""),
        "answer": post.get("answer", ""),
        "note": post.get("note", ""),
        "reason": post.get("reason", ""),
    }


def visit_action_data(post) -> dict[str, Any]:
    """The record and cancel forms of a visit."""
    errors: dict[str, str] = {}
    data = {
        "version": post.get("version"),
        "method": post.get("method", ""),
        "visited_at": parse_when(post.get("visited_at", ""), "visited_at", "回访时间", errors),
        "contact": post.get("contact", ""),
        "findings": post.get("findings", ""),
        "level": post.get("level", ""),
        "comment": post.get("comment", ""),
        "reason": post.get("reason", ""),
    }
    _raise(errors)
    return data


def visit_schedule_data(post) -> dict[str, Any]:
    errors: dict[str, str] = {}
    data = {"due_date": parse_date(post.get("due_date", ""), "due_date", "回访期限", errors)}
    _raise(errors)
    return data
