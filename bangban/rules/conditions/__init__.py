"""The applicability-condition language of catalog items (SPEC §5) — pure core, no Django.

A condition is a small, safe expression over the project attributes of SPEC §4, for example
``energy_tce >= 1000 or electricity_wan_kwh >= 500``; never Python ``eval``.

| module | holds |
|---|---|
| :mod:`.syntax` | the grammar, :class:`ConditionError`, the immutable AST, tokenizer and parser (:func:`parse`), printer (:func:`to_text`) |
| :mod:`.typecheck` | :func:`check` against the attribute schema |
| :mod:`.compiled` | :class:`Condition` (``evaluate`` is a tree of closures), :func:`compile_condition` (cached by text), :func:`compile_expr` |
| :mod:`.explain` | the words of ``Condition.explain``; ``Condition.deciding`` (the nodes that decided) |
| :mod:`.wording` | any condition as a Chinese sentence (:func:`.wording.describe`, :func:`.wording.condition_words`) and the reasons of a plan line (:func:`.wording.reasons`) |

Import the public names from here (``from bangban.rules.conditions import compile_condition``).
"""

from .compiled import Condition, Evaluator, compile_condition, compile_expr
from .syntax import (
    MAX_LENGTH,
    MAX_NESTING,
    And,
    Compare,
    ConditionError,
    Const,
    Expr,
    ListConst,
    Name,
    Not,
    Or,
    parse,
    to_text,
)
from .typecheck import check

__all__ = [
    "MAX_LENGTH",
    "MAX_NESTING",
    "And",
    "Compare",
    "Condition",
    "ConditionError",
    "Const",
    "Evaluator",
    "Expr",
    "ListConst",
    "Name",
    "Not",
    "Or",
    "check",
    "compile_condition",
    "compile_expr",
    "parse",
    "to_text",
]
