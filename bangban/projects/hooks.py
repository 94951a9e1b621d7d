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
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class PagePart:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


_agreed: list[Callable[..., Any]] = []
_detail_parts: dict[str, Callable[[Any, Any], Any]] = {}
_page_parts: list[Callable[[Any, Any], PagePart | None]] = []


def _add_once(registry: list, func) -> None:
    if func not in registry:  # ready() may run twice in tests
        registry.append(func)


def on_agreed(func: Callable[..., Any]) -> Callable[..., Any]:
    _add_once(_agreed, func)
    return func


def detail_part(name: str, func: Callable[[Any, Any], Any]) -> None:
    _detail_parts[name] = func


def page_part(func: Callable[[Any, Any], PagePart | None]) -> None:
    _add_once(_page_parts, func)


# --- called by projects ----------------------------------------------------------------------


def run_agreed(commission) -> None:
    for func in _agreed:
        func(commission=commission)


def detail_value(name: str, request, commission) -> Any:
    func = _detail_parts.get(name)
    return func(request, commission) if func is not None else None


def page_parts(commission, user) -> list[PagePart]:
    return [part for func in _page_parts if (part := func(commission, user)) is not None]
