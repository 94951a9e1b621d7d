"""Hooks for the apps above the ledger (``planning`` registers in its ``AppConfig.ready()``).

``on_dates_changed`` runs inside the transaction of a case transition that changed what the
plan reads (an actual start or finish, a case no longer needed or withdrawn), with the
locked commission and the fresh case, so the plan is rescheduled atomically with the change.
A handler returns a line for the enterprise ("预计完成日期由 … 调整为 …") or "".
"""

from __future__ import annotations

from collections.abc import Callable

DatesChanged = Callable[..., None]

_dates_changed: list[DatesChanged] = []


def on_dates_changed(handler: DatesChanged) -> DatesChanged:
    if handler not in _dates_changed:
        _dates_changed.append(handler)
    return handler


def dates_changed(*, commission, case, actor) -> list[str]:
    lines = [handler(commission=commission, case=case, actor=actor) for handler in _dates_changed]
    return [line for line in lines if line]
