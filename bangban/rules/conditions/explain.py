"""Explanation of a compiled condition (pure core): which comparisons decided, in true
statements about the project, e.g. ``energy_tce = 1200 ≥ 1000``.

:class:`Explained` is the base of :class:`.compiled.Condition` that gives it ``explain``: it
reads the closures the compiler kept per node, so explaining re-evaluates nothing but the
nodes it reports.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .syntax import (
    LIST_OPS,
    And,
    Compare,
    Const,
    Expr,
    ListConst,
    Name,
    Not,
    Or,
    const_text,
    number_text,
    operand_text,
    string_text,
)

__all__ = ["Explained"]

_SYMBOLS = {"==": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥"}
_NEGATED = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    if isinstance(value, int | float):
        return number_text(value)
    if isinstance(value, str):
        return string_text(value)
    return repr(value)


class Explained:
    """The explanation half of :class:`.compiled.Condition` (a base class with no state of its
    own): it reads the condition's ``text``, ``expr`` and the closures its compiler kept per
    node (``_functions``: node id → its evaluator, ``_getters``: operand id → its value)."""

    __slots__ = ()

    text: str
    expr: Expr
    _functions: Mapping[int, Callable[[Mapping[str, Any]], bool]]
    _getters: Mapping[int, Callable[[Mapping[str, Any]], Any]]

    def explain(self, attrs: Mapping[str, Any]) -> list[str]:
        """The atomic comparisons that decided the result, with the actual values.

        An ``or`` that holds is explained by its first true operand, an ``and`` that fails by
        its first false one; otherwise every operand counts. Each line is a true statement
        about the project, e.g. ``energy_tce = 1200 ≥ 1000`` or ``energy_tce = 800 < 1000``.
        The empty condition explains nothing (``[]``).
        """
        if self.text == "":  # the empty condition (``Condition.is_empty``)
            return []
        lines: list[str] = []
        self._explain(self.expr, attrs, lines)
        return lines

    def deciding(self, attrs: Mapping[str, Any]) -> list[tuple[Expr, bool]]:
        """The atomic nodes (comparisons, bare names, literals) that decided the result, each
        with whether it holds for `attrs` — the same choice as `explain` (for the words of
        :func:`.wording.reasons`). The empty condition gives ``[]``."""
        if self.text == "":
            return []
        found: list[tuple[Expr, bool]] = []
        self._deciding(self.expr, attrs, found)
        return found

    def _deciding(self, node: Expr, attrs: Mapping[str, Any], found: list) -> None:
        if isinstance(node, Not):
            self._deciding(node.operand, attrs, found)
        elif isinstance(node, And | Or):
            want = isinstance(node, Or)
            deciding = [op for op in node.operands if self._functions[id(op)](attrs) == want]
            for operand in deciding[:1] or node.operands:
                self._deciding(operand, attrs, found)
        else:
            found.append((node, bool(self._functions[id(node)](attrs))))

    def _explain(self, node: Expr, attrs: Mapping[str, Any], lines: list[str]) -> None:
        if isinstance(node, Not):
            self._explain(node.operand, attrs, lines)
        elif isinstance(node, And | Or):
            want = isinstance(node, Or)  # the operand value that decides: true for or
            deciding = [op for op in node.operands if self._functions[id(op)](attrs) == want]
            for operand in deciding[:1] or node.operands:
                self._explain(operand, attrs, lines)
        elif isinstance(node, Name):
            value = self._getters[id(node)](attrs)
            lines.append(f"{node.name} = {_value_text(value)}")
        elif isinstance(node, Const):
            lines.append("true" if node.value else "false")
        elif isinstance(node, Compare):
            lines.append(self._explain_compare(node, attrs))

    def _side(self, node: Name | Const, attrs: Mapping[str, Any], first: bool) -> str:
        value = self._getters[id(node)](attrs)
        if isinstance(node, Const):
            return const_text(node) if node.kind != "bool" else _value_text(value)
        return (
            f"{node.name} = {_value_text(value)}"
            if first
            else f"{node.name}（{_value_text(value)}）"
        )

    def _explain_compare(self, node: Compare, attrs: Mapping[str, Any]) -> str:
        holds = self._functions[id(node)](attrs)
        left = self._side(node.left, attrs, first=True)
        if node.op in LIST_OPS:
            right = operand_text(node.right)
            member = holds == (node.op == "in")
            return f"{left} {'∈' if member else '∉'} {right}"
        if node.op == "startswith":
            value = self._getters[id(node.left)](attrs)
            items = node.right.items if isinstance(node.right, ListConst) else (node.right,)
            if holds:
                prefix = next(item for item in items if value.startswith(item.value))
                return f"{left} 以 {const_text(prefix)} 开头"
            return f"{left} 不以 {'、'.join(const_text(item) for item in items)} 开头"
        actual = node.op if holds else _NEGATED[node.op]
        right_node = node.right
        assert isinstance(right_node, Name | Const)
        if actual == "==" and isinstance(node.left, Name) != isinstance(right_node, Name):
            name_side = node.left if isinstance(node.left, Name) else right_node
            return self._side(name_side, attrs, first=True)  # e.g. "land_source = 'transfer'"
        right = self._side(right_node, attrs, first=isinstance(node.left, Const))
        return f"{left} {_SYMBOLS[actual]} {right}"
