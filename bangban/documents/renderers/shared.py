"""What the form renderers share: the check of required fields, the document's opening
(the centre's header and the form's title) and the table rows several forms print alike.

A form whose required fields are empty is refused with :class:`FormDataError` (a
``ValueError``) whose Chinese message names every missing field; :class:`Checker` collects
them all before raising. A form whose data still carries a working mark of unverified
content (「待核实」) is refused the same way: what is unverified is checked before a document
is issued, never printed on it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from bangban.documents import wording as w
from bangban.documents.data import Agent, Enterprise, Project, Scope, ServiceCentre
from bangban.documents.layout import SIZE_BODY, SIZE_SMALL, C, FormDocument, FormTable

__all__ = [
    "FOUR_COLUMNS",
    "PLACEHOLDER_MARKS",
    "Checker",
    "FormDataError",
    "centre_unit",
    "enterprise_rows",
    "form_title",
    "new_document",
    "numbered_lines",
    "project_rows",
    "scope_items_table",
]


# --- validation -----------------------------------------------------------------------------


class FormDataError(ValueError):
    """A form cannot be generated: `missing` names the empty required fields, `problems`
    any other fault; the message says both in Chinese."""

    def __init__(self, form: str, missing: Sequence[str], problems: Sequence[str] = ()):
        self.form = form
        self.missing = tuple(missing)
        self.problems = tuple(problems)
        parts = []
        if self.missing:
            parts.append("缺少必填项：" + "、".join(self.missing))
        parts.extend(self.problems)
        super().__init__(f"无法生成《{form}》，" + "；".join(parts) + "。")


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple)):
        return len(value) == 0
    return False


#: Working marks of unverified content: never printed on an official document.
PLACEHOLDER_MARKS = ("待核实",)


def _texts(value: Any) -> Iterator[str]:
    """Every string inside a form's data (dataclasses, mappings, sequences)."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            yield from _texts(getattr(value, item.name))
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, Sequence | set | frozenset):
        for item in value:
            yield from _texts(item)


class Checker:
    """Collects every missing field and fault of a form, then raises them all at once."""

    def __init__(self, form: str):
        self.form = form
        self.missing: list[str] = []
        self.problems: list[str] = []

    def require(self, label: str, value: Any) -> None:
        if _blank(value):
            self.missing.append(label)

    def problem(self, text: str) -> None:
        self.problems.append(text)

    def choice(self, label: str, value: Any, allowed: Iterable[Any]) -> None:
        """Required, and one of `allowed` (the enumeration's members or their values)."""
        if _blank(value):
            self.missing.append(label)
        elif value not in set(allowed):
            self.problems.append(f"{label}“{value}”无效")

    def centre(self, centre: ServiceCentre | None, label: str = "服务中心名称") -> None:
        self.require(label, centre.name if centre is not None else None)

    def enterprise(self, enterprise: Enterprise | None, role: str = "项目单位") -> None:
        if enterprise is None:
            self.missing.append(f"{role}信息")
            return
        self.require(f"{role}名称", enterprise.name)
        self.require(f"{role}统一社会信用代码", enterprise.credit_code)
        self.require(f"{role}法定代表人", enterprise.legal_representative)

    def project(self, project: Project | None) -> None:
        if project is None:
            self.missing.append("项目信息")
            return
        self.require("项目名称", project.name)

    def agent(self, agent: Agent | None, role: str = "代办帮办员") -> None:
        if agent is None:
            self.missing.append(role)
            return
        self.require(f"{role}姓名", agent.name)

    def scope(self, scope: Scope | None) -> None:
        if scope is None:
            self.missing.append("代办范围")
            return
        if not scope.full and not scope.stages and not scope.items:
            self.missing.append("代办范围（部分代办须列明代办阶段或事项）")
        for index, item in enumerate(scope.items, start=1):
            self.require(f"第{index}项代办事项名称", item.name)

    def no_placeholders(self, data: Any) -> None:
        """A problem for every text of `data` that carries a mark of unverified content."""
        for text in _texts(data):
            if any(mark in text for mark in PLACEHOLDER_MARKS):
                shown = text if len(text) <= 40 else text[:40] + "…"
                self.problems.append(
                    f"内容“{shown}”含有“待核实”字样（未核实的内容须先核对，不得写入正式文书）"
                )

    def done(self, data: Any = None) -> None:
        """Raise every missing field and fault at once; with `data`, also refuse a text that
        carries a mark of unverified content (`no_placeholders`)."""
        if data is not None:
            self.no_placeholders(data)
        if self.missing or self.problems:
            raise FormDataError(self.form, self.missing, self.problems)


# --- shared pieces --------------------------------------------------------------------------


def form_title(centre: ServiceCentre | None, name: str) -> str:
    prefix = centre.title_prefix if centre is not None else ""
    return f"{prefix or w.DEFAULT_TITLE_PREFIX}{name}"


def new_document(centre: ServiceCentre, title: str, body_size: float = SIZE_BODY) -> FormDocument:
    document = FormDocument(
        header=centre.name, title=title, author=centre.name, body_size=body_size
    )
    document.title(title)
    return document


def centre_unit(centre: ServiceCentre) -> str:
    return f"{centre.name}{centre.department}" if centre.department else centre.name


def numbered_lines(items: Iterable[str], empty: str = "无") -> str:
    numbered = [f"{index}. {text}" for index, text in enumerate(items, start=1)]
    return "\n".join(numbered) if numbered else empty


def scope_items_table(document: FormDocument, scope: Scope) -> None:
    document.item_table(
        ("序号", "事项名称", "办理部门", "阶段"),
        (
            (str(index), item.name, item.department, item.stage)
            for index, item in enumerate(scope.items, start=1)
        ),
        (12, 70, 38, 36),
    )


def enterprise_rows(table: FormTable, enterprise: Enterprise, role: str = "项目单位") -> None:
    """Two rows of a [label, value, label, value] table: name, credit code, representative."""
    table.add(C(f"{role}名称", label=True), C(enterprise.name, span=3))
    table.add(
        C("统一社会信用代码", label=True),
        C(enterprise.credit_code, size=SIZE_SMALL),
        C("法定代表人", label=True),
        C(enterprise.legal_representative),
    )


def project_rows(table: FormTable, project: Project) -> None:
    """Two rows of a [label, value, label, value] table: name, code, location."""
    table.add(C("项目名称", label=True), C(project.name, span=3))
    table.add(
        C("项目代码", label=True),
        C(project.code, size=SIZE_SMALL),
        C("建设地点", label=True),
        C(project.location or project.region),
    )


#: Column widths (mm) of the [label, value, label, value] tables.
FOUR_COLUMNS = (30, 50, 28, 48)
