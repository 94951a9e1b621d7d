"""The pages' input: a POST parsed into the cleaned mapping the action tables and the
services take (the same keys as the API's serializers). A value that cannot be read (a date
typed wrongly) is a ``ValidationError`` keyed by its field, in Chinese, before any service
runs; everything else is checked by the services.
"""

from __future__ import annotations

from typing import Any

from bangban.common.checks import parse_date, parse_datetime
from bangban.common.checks import raise_errors as _raise

#: How many blank decision rows the minutes form offers.
DECISION_ROWS = 5


def _ids(post, name: str) -> list[str]:
    return [value for value in post.getlist(name) if str(value).strip()]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def meeting_data(post) -> dict[str, Any]:
    """The meeting form (create, propose, edit)."""
    errors: dict[str, str] = {}
    data = {
        "kind": post.get("kind", ""),
        "title": post.get("title", ""),
        "host_department": post.get("host_department") or None,
        "starts_at": parse_datetime(post.get("starts_at", ""), "starts_at", "会议时间", errors),
        "place": post.get("place", ""),
        "participants": _ids(post, "participants"),
        "commissions": _ids(post, "commissions"),
        "cases": _ids(post, "cases"),
        "agenda": post.get("agenda", ""),
        "recurrence": post.get("recurrence", ""),
        "problems": _lines(post.get("problems", "")),
    }
    _raise(errors)
    return data


def meeting_action_data(post) -> dict[str, Any]:
    """The action forms of the meeting page (schedule, minutes, cancel, next)."""
    errors: dict[str, str] = {}
    data: dict[str, Any] = {
        "version": post.get("version"),
        "starts_at": parse_datetime(post.get("starts_at", ""), "starts_at", "会议时间", errors),
        "place": post.get("place", ""),
        "participants": _ids(post, "participants"),
        "minutes": post.get("minutes", ""),
        "reason": post.get("reason", ""),
    }
    if "problems" in post:
        data["problems"] = _lines(post.get("problems", ""))
    decisions = []
    for index in range(DECISION_ROWS):
        text = post.get(f"decision_text_{index}", "").strip()
        owner = post.get(f"decision_owner_{index}", "").strip()
        due = post.get(f"decision_due_{index}", "").strip()
        if not (text or owner or due):
            continue
        decisions.append(
            {
                "text": text,
                "owner_department": owner or None,
                "due_date": parse_date(
                    due, "decisions", f"第 {len(decisions) + 1} 条议定事项的完成时限", errors
                ),
            }
        )
    data["decisions"] = decisions
    _raise(errors)
    return data


def simple_action_data(post) -> dict[str, Any]:
    """The action forms of a decision and of a task order."""
    errors: dict[str, str] = {}
    data = {
        "version": post.get("version"),
        "note": post.get("note", ""),
        "reason": post.get("reason", ""),
        "company": post.get("company") or None,
        "due_date": parse_date(post.get("due_date", ""), "due_date", "完成时限", errors),
        "requirements": post.get("requirements") if "requirements" in post else None,
    }
    _raise(errors)
    return data


def task_order_data(post) -> dict[str, Any]:
    """The issue form of a task order."""
    errors: dict[str, str] = {}
    data = {
        "cases": _ids(post, "cases"),
        "company": post.get("company") or None,
        "due_date": parse_date(post.get("due_date", ""), "due_date", "完成时限", errors),
        "requirements": post.get("requirements", ""),
    }
    if not post.get("due_date", "").strip():
        data["due_date"] = None
    _raise(errors)
    return data
