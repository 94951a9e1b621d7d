"""Compiled evaluation of a checked condition (pure core).

A :class:`Condition` is a condition parsed (:mod:`.syntax`), type-checked (:mod:`.typecheck`)
and compiled into a tree of closures: ``evaluate(attrs)`` costs a few function calls, no AST
walk. Each node's closure is kept so :mod:`.explain` can say which comparisons decided.
:func:`compile_condition` caches by text for the default schema.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Mapping
from typing import Any

from bangban.rules.attributes import ATTRIBUTES, AttributeSpec

from .explain import Explained
from .syntax import LIST_OPS, And, Compare, Const, Expr, ListConst, Name, Not, Or, to_text
from .typecheck import check

__all__ = ["Condition", "Evaluator", "compile_condition", "compile_expr"]

Evaluator = Callable[[Mapping[str, Any]], bool]
_Getter = Callable[[Mapping[str, Any]], Any]

_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def _getter(name: str, neutral: Any) -> _Getter:
    def get(attrs: Mapping[str, Any]) -> Any:
        value = attrs.get(name)
        return neutral if value is None else value

    return get


def _constant(value: Any) -> _Getter:
    return lambda attrs: value


class _Compiler:
    """Turns a checked AST into nested closures; remembers each node's closure for explain."""

    def __init__(self, schema: Mapping[str, AttributeSpec]):
        self.schema = schema
        self.functions: dict[int, Evaluator] = {}
        self.getters: dict[int, _Getter] = {}

    def getter(self, node: Name | Const) -> _Getter:
        if isinstance(node, Name):
            get = _getter(node.name, self.schema[node.name].neutral)
        else:
            get = _constant(node.value)
        self.getters[id(node)] = get
        return get

    def compile(self, node: Expr) -> Evaluator:
        function = self._compile(node)
        self.functions[id(node)] = function
        return function

    def _compile(self, node: Expr) -> Evaluator:
        if isinstance(node, Name):
            name, neutral = node.name, self.schema[node.name].neutral
            self.getter(node)

            def bare(attrs: Mapping[str, Any]) -> bool:
                value = attrs.get(name)
                return bool(neutral if value is None else value)

            return bare
        if isinstance(node, Const):
            self.getter(node)
            result = bool(node.value)
            return lambda attrs: result
        if isinstance(node, Not):
            inner = self.compile(node.operand)
            return lambda attrs: not inner(attrs)
        if isinstance(node, And):
            parts = tuple(self.compile(operand) for operand in node.operands)
            if len(parts) == 2:
                first, second = parts
                return lambda attrs: first(attrs) and second(attrs)

            def all_of(attrs: Mapping[str, Any]) -> bool:
                for part in parts:  # noqa: SIM110 (a loop is faster than all(generator))
                    if not part(attrs):
                        return False
                return True

            return all_of
        if isinstance(node, Or):
            parts = tuple(self.compile(operand) for operand in node.operands)
            if len(parts) == 2:
                first, second = parts
                return lambda attrs: first(attrs) or second(attrs)

            def any_of(attrs: Mapping[str, Any]) -> bool:
                for part in parts:  # noqa: SIM110 (a loop is faster than any(generator))
                    if part(attrs):
                        return True
                return False

            return any_of
        if isinstance(node, Compare):
            return self.compare(node)
        raise TypeError(f"not a condition node: {node!r}")

    def compare(self, node: Compare) -> Evaluator:
        op = node.op
        left, right = node.left, node.right
        get = self.getter(left)
        if op in LIST_OPS or op == "startswith":
            values = (
                tuple(item.value for item in right.items)
                if isinstance(right, ListConst)
                else (right.value,)  # type: ignore[union-attr]
            )
            if op == "startswith":
                prefixes: tuple[str, ...] = values  # type: ignore[assignment]
                return lambda attrs: get(attrs).startswith(prefixes)
            members = frozenset(values)
            if op == "in":
                return lambda attrs: get(attrs) in members
            return lambda attrs: get(attrs) not in members
        compare = _OPERATORS[op]
        assert isinstance(right, Name | Const)
        if isinstance(left, Name) and isinstance(right, Const):
            # The common case, ``attribute op literal``, in one closure.
            name, neutral, constant = left.name, self.schema[left.name].neutral, right.value
            self.getter(right)

            def attribute_vs_literal(attrs: Mapping[str, Any]) -> bool:
                value = attrs.get(name)
                return compare(neutral if value is None else value, constant)

            return attribute_vs_literal
        get_right = self.getter(right)
        return lambda attrs: compare(get(attrs), get_right(attrs))


class Condition(Explained):
    """A parsed, checked and compiled condition.

    ``evaluate(attrs) -> bool`` is a plain function (a tree of closures); attributes missing
    from ``attrs`` (or None) take the schema's neutral value. ``attrs`` are assumed valid
    (see ``validate_attributes``). ``text`` is the canonical form ("" for an empty condition).
    ``explain(attrs)`` says which comparisons decided (:class:`.explain.Explained`).
    """

    __slots__ = ("text", "expr", "evaluate", "_functions", "_getters")

    text: str
    expr: Expr
    evaluate: Evaluator

    def __init__(self, expr: Expr, schema: Mapping[str, AttributeSpec], text: str | None = None):
        compiler = _Compiler(schema)
        self.expr = expr
        self.text = to_text(expr) if text is None else text
        self.evaluate = compiler.compile(expr)
        self._functions = compiler.functions  # id(node) -> its closure, for explain
        self._getters = compiler.getters  # id(operand) -> its value getter, for explain

    def __repr__(self) -> str:
        return f"Condition({self.text!r})"

    @property
    def is_empty(self) -> bool:
        """True for the empty condition (the item always applies)."""
        return self.text == ""


def compile_expr(expr: Expr, schema: Mapping[str, AttributeSpec] = ATTRIBUTES) -> Condition:
    """Check and compile an AST (not cached)."""
    check(expr, schema)
    return Condition(expr, schema)


def _compile_text(text: str, schema: Mapping[str, AttributeSpec]) -> Condition:
    expr = check(text, schema)
    return Condition(expr, schema, "" if not text.strip(" \t\r\n\u3000") else None)


@functools.lru_cache(maxsize=4096)
def _compile_cached(text: str) -> Condition:
    return _compile_text(text, ATTRIBUTES)


def compile_condition(text: str, schema: Mapping[str, AttributeSpec] = ATTRIBUTES) -> Condition:
    """Parse, check and compile a condition; cached by text for the default schema (another
    schema compiles afresh every time).

    Raises :class:`ConditionError` (syntax or type error, with the position).
    """
    if schema is ATTRIBUTES:
        return _compile_cached(text)
    return _compile_text(text, schema)
