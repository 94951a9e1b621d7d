"""The applicability-condition language of catalog items (SPEC §5).

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

API: :func:`parse` → immutable AST; :func:`check` type-checks it against the attribute
schema; :func:`compile_condition` does both and returns a :class:`Condition` whose
``evaluate`` is a tree of closures; :func:`to_text` prints the canonical form. Every error is
a :class:`ConditionError` with the 0-based character position and a Chinese message.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Union

from bangban.rules.attributes import ATTRIBUTES, AttributeSpec

__all__ = [
    "MAX_LENGTH",
    "MAX_NESTING",
    "And",
    "Compare",
    "Condition",
    "ConditionError",
    "Const",
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

MAX_LENGTH = 2000
MAX_NESTING = 50

KEYWORDS = frozenset({"and", "or", "not", "in", "startswith", "true", "false"})
COMPARISON_OPS = ("==", "!=", "<", "<=", ">", ">=")
ORDERING_OPS = frozenset({"<", "<=", ">", ">="})
LIST_OPS = frozenset({"in", "not in"})
ALL_OPS = frozenset({*COMPARISON_OPS, "in", "not in", "startswith"})
_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_TYPE_WORDS = {"bool": "布尔值", "number": "数字", "string": "字符串", "enum": "枚举值"}
_ATTRIBUTE_WORDS = {"bool": "布尔", "number": "数字", "string": "字符串", "enum": "枚举"}


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
# Printer


def _number_text(value: int | float) -> str:
    if isinstance(value, int):
        return str(value)
    text = repr(value)
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    if "." not in text:
        text += ".0"
    return text


def _string_text(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _const_text(const: Const) -> str:
    if const.kind == "bool":
        return "true" if const.value else "false"
    if const.kind == "number":
        return _number_text(const.value)  # type: ignore[arg-type]
    return _string_text(const.value)  # type: ignore[arg-type]


def _operand_text(node: Name | Const | ListConst) -> str:
    if isinstance(node, Name):
        return node.name
    if isinstance(node, Const):
        return _const_text(node)
    return "[" + ", ".join(_const_text(item) for item in node.items) + "]"


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
        return _operand_text(expr)
    if isinstance(expr, Compare):
        return f"{_operand_text(expr.left)} {expr.op} {_operand_text(expr.right)}"
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


# --------------------------------------------------------------------------------------
# Type checking


def _label(spec: AttributeSpec) -> str:
    return f"{spec.label} {spec.name}"


class _Checker:
    def __init__(self, schema: Mapping[str, AttributeSpec]):
        self.schema = schema

    def spec(self, name: Name) -> AttributeSpec:
        spec = self.schema.get(name.name)
        if spec is None:
            raise ConditionError(name.pos, f"未知的项目属性：{name.name}")
        return spec

    def operand(self, node: Name | Const) -> tuple[str, AttributeSpec | None]:
        """(type, spec or None) of an operand."""
        if isinstance(node, Name):
            spec = self.spec(node)
            return spec.type, spec
        return node.kind, None

    @staticmethod
    def what(node: Name | Const, type_: str, spec: AttributeSpec | None) -> str:
        if spec is not None:
            return f"{_label(spec)} 是{_ATTRIBUTE_WORDS[type_]}属性"
        return f"{_const_text(node)} 是{_TYPE_WORDS[type_]}"  # type: ignore[arg-type]

    def condition(self, node: Expr) -> None:
        if isinstance(node, And | Or):
            for operand in node.operands:
                self.condition(operand)
        elif isinstance(node, Not):
            self.condition(node.operand)
        elif isinstance(node, Compare):
            self.compare(node)
        elif isinstance(node, Name):
            spec = self.spec(node)
            if spec.type != "bool":
                example = "'...'" if spec.type in ("string", "enum") else "0"
                raise ConditionError(
                    node.pos,
                    f"{_label(spec)} 不是布尔属性，不能单独作为条件"
                    f"（请写出比较，例如 {spec.name} != {example}）",
                )
        elif isinstance(node, Const):
            if node.kind != "bool":
                raise ConditionError(node.pos, f"{_const_text(node)} 不能单独作为条件")
        else:
            raise TypeError(f"not a condition node: {node!r}")

    def value_matches(
        self, type_: str, spec: AttributeSpec | None, left: Name | Const, value: Const
    ) -> None:
        """Raise at ``value`` unless the literal fits an operand of ``type_``."""
        if type_ == "enum":
            assert spec is not None
            if value.kind != "string":
                raise ConditionError(
                    value.pos,
                    f"{_label(spec)} 是枚举属性，不能与{_TYPE_WORDS[value.kind]} "
                    f"{_const_text(value)} 比较",
                )
            if value.value not in spec.choices:
                allowed = "、".join(f"'{choice}'" for choice in spec.choices)
                raise ConditionError(
                    value.pos,
                    f"{spec.label}没有取值 {_const_text(value)}（可选：{allowed}）",
                )
            return
        if value.kind != type_:
            raise ConditionError(
                value.pos,
                f"{self.what(left, type_, spec)}，不能与{_TYPE_WORDS[value.kind]} "
                f"{_const_text(value)} 比较",
            )

    def compare(self, node: Compare) -> None:
        left_type, left_spec = self.operand(node.left)
        op = node.op
        if op in LIST_OPS:
            for item in node.right.items:  # type: ignore[union-attr]
                self.value_matches(left_type, left_spec, node.left, item)
            return
        if op == "startswith":
            if left_type != "string":
                raise ConditionError(
                    node.left.pos,
                    f"startswith 只能用于字符串，{self.what(node.left, left_type, left_spec)}",
                )
            items = node.right.items if isinstance(node.right, ListConst) else (node.right,)
            for item in items:
                if not isinstance(item, Const) or item.kind != "string":
                    raise ConditionError(
                        item.pos, f"startswith 之后应为字符串，{_operand_text(item)} 不是字符串"
                    )
            return
        right = node.right
        assert isinstance(right, Name | Const)
        right_type, right_spec = self.operand(right)
        if op in ORDERING_OPS:
            for side, type_, spec in (
                (node.left, left_type, left_spec),
                (right, right_type, right_spec),
            ):
                if type_ in ("bool", "enum"):
                    raise ConditionError(
                        node.pos,
                        f"{self.what(side, type_, spec)}，不能用 '{op}' 比较大小",
                    )
        if isinstance(right, Const):
            self.value_matches(left_type, left_spec, node.left, right)
        elif isinstance(node.left, Const):
            self.value_matches(right_type, right_spec, right, node.left)
        elif left_type == "enum" and right_type == "enum":
            assert left_spec is not None and right_spec is not None
            if set(left_spec.choices) != set(right_spec.choices):
                raise ConditionError(
                    right.pos, f"{_label(left_spec)} 与 {_label(right_spec)} 的取值不同，不能比较"
                )
        elif left_type != right_type:
            raise ConditionError(
                right.pos,
                f"{self.what(node.left, left_type, left_spec)}，"
                f"{self.what(right, right_type, right_spec)}，不能比较",
            )


def check(expr_or_text: Expr | str, schema: Mapping[str, AttributeSpec] = ATTRIBUTES) -> Expr:
    """Type-check a condition against the attribute schema and return its AST.

    Raises :class:`ConditionError` at the offending token: unknown attribute, a number
    compared with a string or bool, ``<``/``>`` on a bool or enum, an enum value that is not
    among its choices, ``startswith`` on a non-string, a bare non-bool name used as a
    condition, list elements of the wrong type.
    """
    expr = parse(expr_or_text) if isinstance(expr_or_text, str) else expr_or_text
    _Checker(schema).condition(expr)
    return expr


# --------------------------------------------------------------------------------------
# Compilation to closures

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


# --------------------------------------------------------------------------------------
# Explanations

_SYMBOLS = {"==": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥"}
_NEGATED = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    if isinstance(value, int | float):
        return _number_text(value)
    if isinstance(value, str):
        return _string_text(value)
    return repr(value)


class Condition:
    """A parsed, checked and compiled condition.

    ``evaluate(attrs) -> bool`` is a plain function (a tree of closures); attributes missing
    from ``attrs`` (or None) take the schema's neutral value. ``attrs`` are assumed valid
    (see ``validate_attributes``). ``text`` is the canonical form ("" for an empty condition).
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
        self._functions = compiler.functions
        self._getters = compiler.getters

    def __repr__(self) -> str:
        return f"Condition({self.text!r})"

    @property
    def is_empty(self) -> bool:
        """True for the empty condition (the item always applies)."""
        return self.text == ""

    def explain(self, attrs: Mapping[str, Any]) -> list[str]:
        """The atomic comparisons that decided the result, with the actual values.

        An ``or`` that holds is explained by its first true operand, an ``and`` that fails by
        its first false one; otherwise every operand counts. Each line is a true statement
        about the project, e.g. ``energy_tce = 1200 ≥ 1000`` or ``energy_tce = 800 < 1000``.
        The empty condition explains nothing (``[]``).
        """
        if self.is_empty:
            return []
        lines: list[str] = []
        self._explain(self.expr, attrs, lines)
        return lines

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
            return _const_text(node) if node.kind != "bool" else _value_text(value)
        return (
            f"{node.name} = {_value_text(value)}"
            if first
            else f"{node.name}（{_value_text(value)}）"
        )

    def _explain_compare(self, node: Compare, attrs: Mapping[str, Any]) -> str:
        holds = self._functions[id(node)](attrs)
        left = self._side(node.left, attrs, first=True)
        if node.op in LIST_OPS:
            right = _operand_text(node.right)
            member = holds == (node.op == "in")
            return f"{left} {'∈' if member else '∉'} {right}"
        if node.op == "startswith":
            value = self._getters[id(node.left)](attrs)
            items = node.right.items if isinstance(node.right, ListConst) else (node.right,)
            if holds:
                prefix = next(item for item in items if value.startswith(item.value))
                return f"{left} 以 {_const_text(prefix)} 开头"
            return f"{left} 不以 {'、'.join(_const_text(item) for item in items)} 开头"
        actual = node.op if holds else _NEGATED[node.op]
        right_node = node.right
        assert isinstance(right_node, Name | Const)
        if actual == "==" and isinstance(node.left, Name) != isinstance(right_node, Name):
            name_side = node.left if isinstance(node.left, Name) else right_node
            return self._side(name_side, attrs, first=True)  # e.g. "land_source = 'transfer'"
        right = self._side(right_node, attrs, first=isinstance(node.left, Const))
        return f"{left} {_SYMBOLS[actual]} {right}"


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
    """Parse, check and compile a condition; cached by text for the default schema.

    Raises :class:`ConditionError` (syntax or type error, with the position).
    """
    if schema is ATTRIBUTES:
        return _compile_cached(text)
    return _compile_text(text, schema)
