"""How the apps above ``projects`` join in on a commission without ``projects`` importing them.

``projects`` sits below ``cases`` and ``planning`` in the layers (pyproject.toml), so it never
imports them. Where a commission's workflow needs them — agreeing creates the draft plan; the
commission's page and API show its plan — the higher app registers a hook here from its
``AppConfig.ready()``, and ``projects`` calls whatever is registered.

- ``on_agreed(func)``: ``func(commission=...)`` runs inside the agreement's transaction, after
  the commission has moved to agreed (an exception rolls the agreement back).
- ``detail_part(name, func)``: ``func(request, commission)`` gives the value of key ``name``
  in the commission's API detail (``None`` when there is nothing to show).
- ``page_part(func)``: ``func(commission, user)`` gives a :class:`PagePart` (a template and
  its context) shown on the commission's page to ``user``, or ``None``.
- ``completion_blocker(func)``: ``func(commission)`` gives the reasons (Chinese sentences) the
  commission cannot be completed yet — 「尚有 2 个事项未办结：…」; none means it may be.
  Completing asks again inside its transaction, with the commission locked.
- ``on_completed(func)``: ``func(commission=..., actor=...)`` runs inside the completion's
  transaction, after the commission has moved to completed (after service schedules its
  follow-up visit; an exception rolls the completion back).
- ``on_terminated(func)``: ``func(commission=..., actor=..., reason=...)`` runs inside the
  termination's transaction, after the commission has moved to terminated (the ledger closes
  its open cases as withdrawn; an exception rolls the termination back).
- ``item_outcomes(func)``: ``func(commission)`` gives the commission's items as
  :class:`ItemOutcome` rows — what the completion and termination slips list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class PagePart:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ItemOutcome:
    """One item of a commission as the slips print it (plain data, filled by the ledger)."""

    name: str
    department: str = ""
    state: str = ""  # done | refused | pending | withdrawn | not_needed
    outcome_label: str = ""  # 准予 / 不予
    result_number: str = ""
    finished_on: dt.date | None = None
    handed_over_on: dt.date | None = None
    handed_over_to: str = ""

    DONE = "done"  # completed, approved
    REFUSED = "refused"  # completed, refused
    PENDING = "pending"  # still open
    WITHDRAWN = "withdrawn"
    NOT_NEEDED = "not_needed"

    @property
    def completed(self) -> bool:
        return self.state in (self.DONE, self.REFUSED)


_agreed: list[Callable[..., Any]] = []
_completed: list[Callable[..., Any]] = []
_terminated: list[Callable[..., Any]] = []
_completion_blockers: list[Callable[[Any], list[str]]] = []
_item_outcomes: list[Callable[[Any], list[ItemOutcome]]] = []
_detail_parts: dict[str, Callable[[Any, Any], Any]] = {}
_page_parts: list[Callable[[Any, Any], PagePart | None]] = []


def _add_once(registry: list, func) -> None:
    if func not in registry:  # ready() may run twice in tests
        registry.append(func)


def on_agreed(func: Callable[..., Any]) -> Callable[..., Any]:
    _add_once(_agreed, func)
    return func


def on_completed(func: Callable[..., Any]) -> Callable[..., Any]:
    _add_once(_completed, func)
    return func


def on_terminated(func: Callable[..., Any]) -> Callable[..., Any]:
    _add_once(_terminated, func)
    return func


def completion_blocker(func: Callable[[Any], list[str]]) -> Callable[[Any], list[str]]:
    _add_once(_completion_blockers, func)
    return func


def item_outcomes(func: Callable[[Any], list[ItemOutcome]]) -> Callable[[Any], list[ItemOutcome]]:
    _add_once(_item_outcomes, func)
    return func


def detail_part(name: str, func: Callable[[Any, Any], Any]) -> None:
    _detail_parts[name] = func


def page_part(func: Callable[[Any, Any], PagePart | None]) -> None:
    _add_once(_page_parts, func)


# --- called by projects ----------------------------------------------------------------------


def run_agreed(commission) -> None:
    for func in _agreed:
        func(commission=commission)


def run_completed(commission, *, actor) -> None:
    for func in _completed:
        func(commission=commission, actor=actor)


def run_terminated(commission, *, actor, reason: str) -> None:
    for func in _terminated:
        func(commission=commission, actor=actor, reason=reason)


def completion_blockers(commission) -> list[str]:
    """Why ``commission`` cannot be completed yet (empty: it can)."""
    return [reason for func in _completion_blockers for reason in func(commission)]


def outcomes_of(commission) -> list[ItemOutcome]:
    """The commission's items as the slips print them (empty before the plan is fixed)."""
    return [row for func in _item_outcomes for row in func(commission)]


def detail_value(name: str, request, commission) -> Any:
    func = _detail_parts.get(name)
    return func(request, commission) if func is not None else None


def page_parts(commission, user) -> list[PagePart]:
    return [part for func in _page_parts if (part := func(commission, user)) is not None]
