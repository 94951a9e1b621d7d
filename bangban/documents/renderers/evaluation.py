"""服务评价表: the enterprise rates the service on the five national levels."""

from __future__ import annotations

from bangban.documents import wording as w
from bangban.documents.data import EvaluationForm
from bangban.documents.formatting import CHECKED, UNCHECKED, format_date
from bangban.documents.layout import SIZE_SMALL, SIZE_TABLE, TEXT_WIDTH_MM, C
from bangban.documents.renderers.shared import (
    FOUR_COLUMNS,
    Checker,
    enterprise_rows,
    form_title,
    new_document,
    numbered_lines,
    project_rows,
)

__all__ = ["render_evaluation_form"]


def render_evaluation_form(data: EvaluationForm) -> bytes:
    """服务评价表 with the five national levels, per aspect and overall; blank boxes where no
    level is given, so the form can also be printed and ticked by hand.

    Required: centre name, enterprise name / credit code / legal representative, project
    name.
    """
    title = form_title(data.centre, "服务评价表")
    check = Checker(title)
    check.centre(data.centre)
    check.enterprise(data.enterprise)
    check.project(data.project)
    for index, rating in enumerate(data.aspects, start=1):
        check.require(f"第{index}项评价内容", rating.aspect)
    check.done(data)

    enterprise, project = data.enterprise, data.project
    document = new_document(data.centre, title)
    document.number_line("编号：", data.number)

    table = document.form_table(FOUR_COLUMNS)
    enterprise_rows(table, enterprise)
    project_rows(table, project)
    table.add(
        C("代办帮办员", label=True),
        C(data.agent.name if data.agent else ""),
        C("所在部门", label=True),
        C(data.agent.department if data.agent else ""),
    )
    period = ""
    if data.service_from or data.service_to:
        period = f"{format_date(data.service_from)} 至 {format_date(data.service_to)}"
    table.add(C("服务期间", label=True), C(period, span=3))
    if data.scope is not None:
        names = [item.name for item in data.scope.items]
        mode = w.FULL_SCOPE if data.scope.full else w.PARTIAL_SCOPE
        table.add(C("代办事项", label=True), C(f"{mode}\n" + numbered_lines(names, "—"), span=3))

    document.para(w.EVALUATION_INSTRUCTION, size=SIZE_TABLE, indent=False, space_before=8)
    levels = list(w.SATISFACTION_LABELS)
    width = (TEXT_WIDTH_MM - 36) / len(levels)
    ratings = document.form_table([36] + [width] * len(levels), size=SIZE_TABLE, header_rows=1)
    ratings.add(
        C("评价内容", label=True, bold=True),
        *(
            C(w.SATISFACTION_LABELS[level], label=True, bold=True, size=SIZE_SMALL)
            for level in levels
        ),
    )
    aspects = list(data.aspects) or [None] * len(w.DEFAULT_ASPECTS)
    for index, rating in enumerate(aspects):
        aspect = rating.aspect if rating else w.DEFAULT_ASPECTS[index]
        chosen = rating.level if rating else None
        ratings.add(
            C(aspect, label=True),
            *(C(CHECKED if level == chosen else UNCHECKED, label=True) for level in levels),
        )
    ratings.add(
        C("总体评价", label=True, bold=True),
        *(C(CHECKED if level == data.overall else UNCHECKED, label=True) for level in levels),
    )

    document.spacer(8)
    remarks = document.form_table((36, TEXT_WIDTH_MM - 36))
    remarks.add(C("意见", label=True), C(data.comment), min_height_mm=18)
    remarks.add(C("建议", label=True), C(data.suggestion), min_height_mm=18)
    notes = w.EVALUATION_BAD_RATING
    if data.centre.complaint_phone:
        notes += f"监督投诉电话：{data.centre.complaint_phone}。"
    document.para(notes, size=SIZE_SMALL, space_before=4)

    document.signatures(
        [
            [f"评价人（签字）：{data.evaluator}", f"日期：{format_date(data.evaluated_on)}"],
            ["项目单位（盖章）：", ""],
        ],
        space_before=6,
    )
    return document.to_bytes()
