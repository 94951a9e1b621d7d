"""Type check of a condition against the SPEC §4 attribute schema (pure core).

:func:`check` walks the AST of :mod:`.syntax` and raises :class:`ConditionError` at the
offending token; nothing is evaluated here.
"""

from __future__ import annotations

from collections.abc import Mapping

from bangban.rules.attributes import ATTRIBUTES, AttributeSpec

from .syntax import (
    LIST_OPS,
    ORDERING_OPS,
    And,
    Compare,
    ConditionError,
    Const,
    Expr,
    ListConst,
    Name,
    Not,
    Or,
    const_text,
    operand_text,
    parse,
)

__all__ = ["check"]

_TYPE_WORDS = {"bool": "布尔值", "number": "数字", "string": "字符串", "enum": "枚举值"}
_ATTRIBUTE_WORDS = {"bool": "布尔", "number": "数字", "string": "字符串", "enum": "枚举"}


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
        return f"{const_text(node)} 是{_TYPE_WORDS[type_]}"  # type: ignore[arg-type]

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
                raise ConditionError(node.pos, f"{const_text(node)} 不能单独作为条件")
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
                    f"{const_text(value)} 比较",
                )
            if value.value not in spec.choices:
                allowed = "、".join(f"'{choice}'" for choice in spec.choices)
                raise ConditionError(
                    value.pos,
                    f"{spec.label}没有取值 {const_text(value)}（可选：{allowed}）",
                )
            return
        if value.kind != type_:
            raise ConditionError(
                value.pos,
                f"{self.what(left, type_, spec)}，不能与{_TYPE_WORDS[value.kind]} "
                f"{const_text(value)} 比较",
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
                        item.pos, f"startswith 之后应为字符串，{operand_text(item)} 不是字符串"
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
