"""The syntax of the applicability-condition language (SPEC §5): AST, tokenizer, parser,
printer.

Pure core (no Django import). A condition is a small, safe expression over the project
attributes of SPEC §4, for example ``energy_tce >= 1000 or electricity_wan_kwh >= 500``.
It is read by a hand-written tokenizer and recursive-descent parser — never Python ``eval``.

Grammar (``not`` binds tighter than ``and``, ``and`` tighter than ``or``)::

    condition  := <empty> | or
    or         := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | "(" or ")" | comparison
    comparison := operand [ ("==" | "!=" | "<" | "<=" | ">" | ">=") operand
                          | ("in" | "not" "in") list
                          | "startswith" (string | list) ]
    operand    := name | number | string | "true" | "false"
    list       := "[" [literal ("," literal)*] "]"

Numbers are integers or decimals (``1000``, ``0.5``, optionally with a leading ``-``);
strings use single or double quotes, with ``\\'``, ``\\"`` and ``\\\\`` as escapes; ``≥ ≤ ≠``
are accepted for ``>= <= !=``. A bare name of a bool attribute is a condition; empty text is
always true.

:func:`parse` gives the immutable AST; :func:`to_text` prints its canonical form. Every
error is a :class:`ConditionError` with the 0-based character position and a Chinese message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Union

__all__ = [
    "ALL_OPS",
    "COMPARISON_OPS",
    "KEYWORDS",
    "LIST_OPS",
    "MAX_LENGTH",
    "MAX_NESTING",
    "ORDERING_OPS",
    "TRUE",
    "And",
    "Compare",
    "ConditionError",
    "Const",
    "Expr",
    "ListConst",
    "Name",
    "Not",
    "Or",
    "const_text",
    "number_text",
    "operand_text",
    "parse",
    "string_text",
    "to_text",
]

MAX_LENGTH = 2000
MAX_NESTING = 50

KEYWORDS = frozenset({"and", "or", "not", "in", "startswith", "true", "false"})
COMPARISON_OPS = ("==", "!=", "<", "<=", ">", ">=")
ORDERING_OPS = frozenset({"<", "<=", ">", ">="})
LIST_OPS = frozenset({"in", "not in"})
ALL_OPS = frozenset({*COMPARISON_OPS, "in", "not in", "startswith"})
_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class ConditionError(Exception):
    """A syntax or type error in a condition, at a 0-based character ``position``."""

    def __init__(self, position: int, message: str):
        self.position = position
        self.message = message
        super().__init__(position, message)

    def __str__(self) -> str:
        return f"第 {self.position + 1} 个字符处：{self.message}"


# --------------------------------------------------------------------------------------
# AST. Positions are kept for error messages but do not take part in equality.


def _pos() -> Any:
    return field(default=-1, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Name:
    """An attribute name."""

    name: str
    pos: int = _pos()

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not _NAME_RE.match(self.name):
            raise ValueError(f"invalid attribute name {self.name!r}")
        if self.name in KEYWORDS:
            raise ValueError(f"{self.name!r} is a keyword")


@dataclass(frozen=True, slots=True)
class Const:
    """A literal: bool, int, finite float or str. ``kind`` keeps ``true`` apart from ``1``."""

    value: bool | int | float | str
    pos: int = _pos()
    kind: str = field(init=False, default="")

    def __post_init__(self) -> None:
        value = self.value
        if isinstance(value, bool):
            kind = "bool"
        elif isinstance(value, int):
            kind = "number"
        elif isinstance(value, float):
            if value != value or value in (float("inf"), float("-inf")):
                raise ValueError("numbers must be finite")
            kind = "number"
        elif isinstance(value, str):
            kind = "string"
        else:
            raise TypeError(f"unsupported literal {value!r}")
        object.__setattr__(self, "kind", kind)


@dataclass(frozen=True, slots=True)
class ListConst:
    """A list of literals (the right side of ``in``, ``not in`` and ``startswith``)."""

    items: tuple[Const, ...]
    pos: int = _pos()

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", tuple(self.items))
        if not all(isinstance(item, Const) for item in self.items):
            raise TypeError("list items must be Const")


Operand = Union[Name, Const]  # noqa: UP007 (used at runtime in isinstance)


@dataclass(frozen=True, slots=True)
class Compare:
    """``left op right``; ``pos`` is the operator's position."""

    op: str
    left: Name | Const
    right: Name | Const | ListConst
    pos: int = _pos()

    def __post_init__(self) -> None:
        if self.op not in ALL_OPS:
            raise ValueError(f"unknown operator {self.op!r}")
        if not isinstance(self.left, Name | Const):
            raise TypeError("the left side of a comparison must be a name or a literal")
        if self.op in LIST_OPS:
            if not isinstance(self.right, ListConst):
                raise TypeError(f"{self.op!r} needs a list")
        elif self.op == "startswith":
            if not isinstance(self.right, Const | ListConst):
                raise TypeError("startswith needs a literal or a list")
        elif not isinstance(self.right, Name | Const):
            raise TypeError("the right side of a comparison must be a name or a literal")


@dataclass(frozen=True, slots=True)
class Not:
    operand: Expr
    pos: int = _pos()


@dataclass(frozen=True, slots=True)
class And:
    operands: tuple[Expr, ...]
    pos: int = _pos()

    def __post_init__(self) -> None:
        object.__setattr__(self, "operands", tuple(self.operands))
        if len(self.operands) < 2:
            raise ValueError("and needs at least two operands")


@dataclass(frozen=True, slots=True)
class Or:
    operands: tuple[Expr, ...]
    pos: int = _pos()

    def __post_init__(self) -> None:
        object.__setattr__(self, "operands", tuple(self.operands))
        if len(self.operands) < 2:
            raise ValueError("or needs at least two operands")


Expr = Union[Name, Const, Compare, Not, And, Or]  # noqa: UP007

TRUE = Const(True)

# --------------------------------------------------------------------------------------
# Tokenizer


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "num", "str", "name", "kw", "op", "(", ")", "[", "]", ",", "eof"
    value: Any
    pos: int
    text: str  # as written, for messages


_PUNCT = {"(", ")", "[", "]", ","}
_DIGITS = frozenset("0123456789")
_NAME_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_NAME_CHARS = _NAME_START | _DIGITS
_SPACE = frozenset(" \t\r\n\u3000")  # the ideographic space is common in Chinese input
_UNICODE_OPS = {"≥": ">=", "≤": "<=", "≠": "!="}


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in _SPACE:
            i += 1
        elif ch in _NAME_START:
            j = i + 1
            while j < n and text[j] in _NAME_CHARS:
                j += 1
            word = text[i:j]
            kind = "kw" if word in KEYWORDS else "name"
            tokens.append(_Token(kind, word, i, word))
            i = j
        elif ch in _DIGITS or (ch == "-" and i + 1 < n and text[i + 1] in _DIGITS):
            j = i + 1
            while j < n and text[j] in _DIGITS:
                j += 1
            is_decimal = j < n and text[j] == "."
            if is_decimal:
                j += 1
                if j >= n or text[j] not in _DIGITS:
                    raise ConditionError(j, "小数点后缺少数字")
                while j < n and text[j] in _DIGITS:
                    j += 1
            if j < n and text[j] in _NAME_START:
                raise ConditionError(j, f"数字后不能紧跟字母 '{text[j]}'")
            literal = text[i:j]
            if is_decimal:
                value: int | float = float(literal)
                if value in (float("inf"), float("-inf")):
                    raise ConditionError(i, "数字过大")
            else:
                value = int(literal)
            tokens.append(_Token("num", value, i, literal))
            i = j
        elif ch in "'\"":
            quote, j, chars = ch, i + 1, []
            while True:
                if j >= n:
                    raise ConditionError(i, "字符串缺少结束引号")
                c = text[j]
                if c == quote:
                    break
                if c == "\\":
                    if j + 1 >= n:
                        raise ConditionError(i, "字符串缺少结束引号")
                    escaped = text[j + 1]
                    if escaped not in "'\"\\":
                        raise ConditionError(
                            j, f"不支持的转义 '\\{escaped}'（只能转义引号和反斜杠）"
                        )
                    chars.append(escaped)
                    j += 2
                else:
                    chars.append(c)
                    j += 1
            tokens.append(_Token("str", "".join(chars), i, text[i : j + 1]))
            i = j + 1
        elif ch in _PUNCT:
            tokens.append(_Token(ch, ch, i, ch))
            i += 1
        elif ch in "=!<>":
            two = text[i : i + 2]
            if two in ("==", "!=", "<=", ">="):
                tokens.append(_Token("op", two, i, two))
                i += 2
            elif ch in "<>":
                tokens.append(_Token("op", ch, i, ch))
                i += 1
            elif ch == "=":
                raise ConditionError(i, "相等比较应写作 '=='")
            else:
                raise ConditionError(i, "不等比较应写作 '!='，取反请用 not")
        elif ch in _UNICODE_OPS:
            tokens.append(_Token("op", _UNICODE_OPS[ch], i, ch))
            i += 1
        else:
            raise ConditionError(i, f"无法识别的字符 '{ch}'")
    tokens.append(_Token("eof", None, n, ""))
    return tokens


def _describe(token: _Token) -> str:
    return "条件结尾" if token.kind == "eof" else f"'{token.text}'"


# --------------------------------------------------------------------------------------
# Parser


class _Parser:
    def __init__(self, text: str):
        self.tokens = _tokenize(text)
        self.i = 0
        self.depth = 0

    @property
    def tok(self) -> _Token:
        return self.tokens[self.i]

    def advance(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def at_kw(self, word: str) -> bool:
        token = self.tokens[self.i]
        return token.kind == "kw" and token.value == word

    def enter(self, token: _Token) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ConditionError(token.pos, f"嵌套层数过多（最多 {MAX_NESTING} 层）")

    def parse(self) -> Expr:
        if self.tok.kind == "eof":
            return TRUE
        expr = self.parse_or(None)
        token = self.tok
        if token.kind != "eof":
            if token.kind == ")":
                raise ConditionError(token.pos, "多余的右括号 ')'")
            if token.kind == "op":
                raise ConditionError(token.pos, "不支持连续比较，请用 and 连接两个比较")
            raise ConditionError(token.pos, f"多余的内容 {_describe(token)}，缺少 and 或 or？")
        return expr

    def parse_or(self, after: _Token | None) -> Expr:
        first = self.parse_and(after)
        if not self.at_kw("or"):
            return first
        operands = [first]
        pos = self.tok.pos
        while self.at_kw("or"):
            keyword = self.advance()
            operands.append(self.parse_and(keyword))
        return Or(tuple(operands), pos)

    def parse_and(self, after: _Token | None) -> Expr:
        first = self.parse_not(after)
        if not self.at_kw("and"):
            return first
        operands = [first]
        pos = self.tok.pos
        while self.at_kw("and"):
            keyword = self.advance()
            operands.append(self.parse_not(keyword))
        return And(tuple(operands), pos)

    def parse_not(self, after: _Token | None) -> Expr:
        token = self.tok
        if token.kind == "kw" and token.value == "not":
            self.advance()
            self.enter(token)
            operand = self.parse_not(token)
            self.depth -= 1
            return Not(operand, token.pos)
        if token.kind == "(":
            self.advance()
            self.enter(token)
            if self.tok.kind == ")":
                raise ConditionError(self.tok.pos, "括号内缺少条件")
            inner = self.parse_or(token)
            if self.tok.kind == "op":
                raise ConditionError(self.tok.pos, "不支持连续比较，请用 and 连接两个比较")
            if self.tok.kind != ")":
                raise ConditionError(
                    self.tok.pos,
                    f"缺少右括号 ')'（与第 {token.pos + 1} 个字符处的左括号配对），"
                    f"遇到{_describe(self.tok)}",
                )
            self.advance()
            self.depth -= 1
            if self.tok.kind == "op" or self.at_kw("in") or self.at_kw("startswith"):
                raise ConditionError(self.tok.pos, "括号中的条件不能再参与比较")
            return inner
        return self.parse_comparison(after)

    def parse_operand(self, after: _Token | None) -> Name | Const:
        token = self.tok
        if token.kind == "name":
            self.advance()
            return Name(token.value, token.pos)
        if token.kind in ("num", "str"):
            self.advance()
            return Const(token.value, token.pos)
        if token.kind == "kw" and token.value in ("true", "false"):
            self.advance()
            return Const(token.value == "true", token.pos)
        if token.kind == "[":
            raise ConditionError(token.pos, "列表只能写在 in、not in 或 startswith 之后")
        if after is None:
            raise ConditionError(token.pos, f"缺少条件，遇到{_describe(token)}")
        boolean = after.kind == "(" or (after.kind == "kw" and after.value in ("and", "or", "not"))
        missing = "条件" if boolean else "操作数"
        raise ConditionError(token.pos, f"'{after.text}' 之后缺少{missing}，遇到{_describe(token)}")

    def parse_comparison(self, after: _Token | None) -> Expr:
        left = self.parse_operand(after)
        token = self.tok
        if token.kind == "op":
            self.advance()
            if self.tok.kind == "[":
                raise ConditionError(self.tok.pos, "不能与列表比较，请使用 in")
            if self.tok.kind == "(":
                raise ConditionError(self.tok.pos, "比较的对象应为属性名或字面量，不能是括号表达式")
            right = self.parse_operand(token)
            return Compare(token.value, left, right, token.pos)
        if token.kind == "kw" and token.value == "in":
            self.advance()
            return Compare("in", left, self.parse_list(token), token.pos)
        if token.kind == "kw" and token.value == "not":
            nxt = self.tokens[self.i + 1]
            if nxt.kind == "kw" and nxt.value == "in":
                self.i += 2
                return Compare("not in", left, self.parse_list(nxt), token.pos)
            raise ConditionError(token.pos, "此处的 not 应写作 'not in'，或写在条件前面")
        if token.kind == "kw" and token.value == "startswith":
            self.advance()
            if self.tok.kind == "[":
                right: Const | ListConst = self.parse_list(token)
            elif self.tok.kind in ("str", "num") or (
                self.tok.kind == "kw" and self.tok.value in ("true", "false")
            ):
                right = self.parse_operand(token)  # type: ignore[assignment]
            else:
                raise ConditionError(
                    self.tok.pos,
                    f"startswith 之后应为字符串或字符串列表，遇到{_describe(self.tok)}",
                )
            return Compare("startswith", left, right, token.pos)
        return left

    def parse_list(self, after: _Token) -> ListConst:
        start = self.tok
        if start.kind != "[":
            raise ConditionError(
                start.pos, f"'{after.text}' 之后应为列表 [...]，遇到{_describe(start)}"
            )
        self.advance()
        items: list[Const] = []
        if self.tok.kind == "]":
            self.advance()
            return ListConst((), start.pos)
        while True:
            token = self.tok
            if token.kind in ("num", "str"):
                items.append(Const(token.value, token.pos))
            elif token.kind == "kw" and token.value in ("true", "false"):
                items.append(Const(token.value == "true", token.pos))
            elif token.kind == "eof":
                raise ConditionError(
                    token.pos, f"缺少右方括号 ']'（与第 {start.pos + 1} 个字符处的左方括号配对）"
                )
            elif token.kind in (",", "]"):
                raise ConditionError(token.pos, "列表中缺少元素")
            else:
                raise ConditionError(
                    token.pos, f"列表元素应为数字、字符串或 true/false，遇到{_describe(token)}"
                )
            self.advance()
            token = self.tok
            if token.kind == "]":
                self.advance()
                return ListConst(tuple(items), start.pos)
            if token.kind != ",":
                if token.kind == "eof":
                    raise ConditionError(
                        token.pos,
                        f"缺少右方括号 ']'（与第 {start.pos + 1} 个字符处的左方括号配对）",
                    )
                raise ConditionError(token.pos, f"列表元素之间应以逗号分隔，遇到{_describe(token)}")
            self.advance()


def parse(text: str) -> Expr:
    """Parse a condition into an immutable AST; empty or blank text gives ``Const(True)``."""
    if not isinstance(text, str):
        raise TypeError("a condition is a str")
    if len(text) > MAX_LENGTH:
        raise ConditionError(MAX_LENGTH, f"条件过长（最多 {MAX_LENGTH} 个字符）")
    return _Parser(text).parse()


# --------------------------------------------------------------------------------------
# Printer (the canonical text; also used by the type checker's and the explanation's words)


def number_text(value: int | float) -> str:
    if isinstance(value, int):
        return str(value)
    text = repr(value)
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    if "." not in text:
        text += ".0"
    return text


def string_text(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def const_text(const: Const) -> str:
    if const.kind == "bool":
        return "true" if const.value else "false"
    if const.kind == "number":
        return number_text(const.value)  # type: ignore[arg-type]
    return string_text(const.value)  # type: ignore[arg-type]


def operand_text(node: Name | Const | ListConst) -> str:
    if isinstance(node, Name):
        return node.name
    if isinstance(node, Const):
        return const_text(node)
    return "[" + ", ".join(const_text(item) for item in node.items) + "]"


def _precedence(node: Expr) -> int:
    if isinstance(node, Or):
        return 1
    if isinstance(node, And):
        return 2
    if isinstance(node, Not):
        return 3
    return 4


def to_text(expr: Expr) -> str:
    """The canonical text of ``expr``, with just the parentheses its structure needs.

    ``parse(to_text(e)) == e`` for every AST (an ``and`` nested directly in an ``and`` keeps
    its parentheses so that the structure survives the round trip).
    """
    if isinstance(expr, Name | Const):
        return operand_text(expr)
    if isinstance(expr, Compare):
        return f"{operand_text(expr.left)} {expr.op} {operand_text(expr.right)}"
    if isinstance(expr, Not):
        inner = to_text(expr.operand)
        return f"not ({inner})" if _precedence(expr.operand) < 3 else f"not {inner}"
    if isinstance(expr, And | Or):
        own = _precedence(expr)
        word = " and " if isinstance(expr, And) else " or "
        parts = []
        for operand in expr.operands:
            inner = to_text(operand)
            parts.append(f"({inner})" if _precedence(operand) <= own else inner)
        return word.join(parts)
    raise TypeError(f"not a condition node: {expr!r}")
