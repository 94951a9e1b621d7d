"""服务终止单: the service ends before completion, with the reason."""

from __future__ import annotations

from bangban.documents import wording as w
from bangban.documents.data import TerminationSlip
from bangban.documents.formatting import checkboxes, format_date
from bangban.documents.layout import C
from bangban.documents.renderers.shared import (
    FOUR_COLUMNS,
    Checker,
    enterprise_rows,
    form_title,
    new_document,
    numbered_lines,
    project_rows,
)

__all__ = ["render_termination_slip"]


def render_termination_slip(data: TerminationSlip) -> bytes:
    """服务终止单: the reason (与法律政策冲突 / 不再具备条件 / 投资者要求) and its details, what
    was done and what is left, materials returned, both parties' signatures.

    Required: centre name, enterprise name / credit code / legal representative, project
    name, reason, details, termination date.
    """
    title = form_title(data.centre, "服务终止单")
    check = Checker(title)
    check.centre(data.centre)
    check.enterprise(data.enterprise)
    check.project(data.project)
    check.choice("终止原因", data.reason, w.TERMINATION_LABELS)
    check.require("终止原因具体情况", data.details)
    check.require("终止日期", data.terminated_on)
    check.done(data)

    enterprise, project = data.enterprise, data.project
    document = new_document(data.centre, title)
    document.number_line("编号：", data.number)

    table = document.form_table(FOUR_COLUMNS)
    enterprise_rows(table, enterprise)
    project_rows(table, project)
    table.add(
        C("授权委托书编号", label=True),
        C(data.authorization_number),
        C("委托日期", label=True),
        C(format_date(data.authorized_on) if data.authorized_on else ""),
    )
    if data.agent is not None:
        table.add(
            C("代办帮办员", label=True),
            C(data.agent.name),
            C("联系电话", label=True),
            C(data.agent.mobile),
        )
    table.add(
        C("终止原因", label=True),
        C(checkboxes(w.TERMINATION_LABELS.values(), (w.TERMINATION_LABELS[data.reason],)), span=3),
    )
    table.add(C("具体情况", label=True), C(data.details, span=3), min_height_mm=28)
    table.add(C("已办结事项", label=True), C(numbered_lines(data.completed_items), span=3))
    table.add(C("未办结事项", label=True), C(numbered_lines(data.pending_items), span=3))
    table.add(C("返还材料", label=True), C(numbered_lines(data.materials_returned), span=3))
    table.add(C("终止日期", label=True), C(format_date(data.terminated_on), span=3))
    document.para(w.TERMINATION_EFFECT, space_before=8)

    document.signatures(
        [
            [
                "项目单位（盖章）：",
                "法定代表人或授权代表（签字）：",
                "",
                f"日期：{format_date(data.terminated_on)}",
            ],
            [
                "服务中心（盖章）：",
                "代办帮办员（签字）：",
                "",
                f"日期：{format_date(data.terminated_on)}",
            ],
        ]
    )
    return document.to_bytes()
