"""A workflow as data (no Django): the rows of who may take which action in which state.

Coordination's meetings, decisions and task orders and evaluation's rectifications, visits
and complaints each declare one :class:`Table` of :class:`Transition` rows (action, source
state, target state, sides). A side names who among the users that may see the object is its
party for that row; each app decides that in its ``parties`` module. ``SAME`` marks an action
that keeps the state.
"""

from __future__ import annotations

from dataclasses import dataclass

SAME = "="


@dataclass(frozen=True)
class Transition:
    action: str
    source: str
    target: str
    sides: tuple[str, ...]


def rows(action: str, sources, target: str, *sides: str) -> list[Transition]:
    """One row per source state: the action leads from each of them to ``target``."""
    return [Transition(action, source, target, tuple(sides)) for source in sources]


class Table:
    """One workflow's rows with their labels, and the questions asked of them."""

    def __init__(
        self,
        noun: str,
        states: dict[str, str],
        actions: dict[str, str],
        rows: list[Transition],
    ):
        self.noun = noun
        self.states = states
        self.actions = actions
        self.rows = tuple(rows)
        self._by_key = {(row.action, row.source): row for row in self.rows}
        assert len(self._by_key) == len(self.rows), "one row per (action, source)"
        assert {row.action for row in self.rows} == set(actions), "a label per action"

    def find(self, action: str, source: str) -> Transition | None:
        return self._by_key.get((action, source))

    def target(self, row: Transition) -> str:
        return row.source if row.target == SAME else row.target

    def illegal_message(self, action: str, state: str) -> str:
        return (
            f"{self.noun}当前状态「{self.states.get(state, state)}」不能执行"
            f"「{self.actions.get(action, action)}」。"
        )

    def forbidden_message(self, action: str) -> str:
        return f"您不能对该{self.noun}执行「{self.actions.get(action, action)}」。"
