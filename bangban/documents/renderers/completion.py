"""服务办结单: the items completed and the documents handed over."""

from __future__ import annotations

from bangban.documents import wording as w
from bangban.documents.data import CompletionSlip, HandedOverDocument
from bangban.documents.formatting import checkbox, format_date, format_datetime, or_blank
from bangban.documents.layout import SIZE_SMALL, TEXT_WIDTH_MM, C
from bangban.documents.renderers.shared import (
    FOUR_COLUMNS,
    Checker,
    centre_unit,
    enterprise_rows,
    form_title,
    new_document,
    project_rows,
)

__all__ = ["render_completion_slip"]


def _receipt(handed: HandedOverDocument) -> str:
    on = format_date(handed.handed_over_on) if handed.handed_over_on else ""
    return "\n".join(part for part in (handed.received_by, on) if part)


def _handed_over_table(document, data: CompletionSlip) -> None:
    """序号, 文书名称, 形式 (when any is known), 份数, 签收 (when any receipt is recorded)."""
    with_form = any(handed.form for handed in data.handed_over)
    with_receipt = any(handed.received_by or handed.handed_over_on for handed in data.handed_over)
    headers, widths = ["序号", "文书名称"], [12.0, 0.0]
    if with_form:
        headers.append("形式")
        widths.append(30)
    headers.append("份数")
    widths.append(20)
    if with_receipt:
        headers.append("签收")
        widths.append(40)
    widths[1] = TEXT_WIDTH_MM - sum(widths)
    rows = []
    for index, handed in enumerate(data.handed_over, start=1):
        row = [str(index), handed.name]
        if with_form:
            row.append(handed.form)
        row.append(str(handed.copies))
        if with_receipt:
            row.append(_receipt(handed))
        rows.append(row)
    document.item_table(headers, rows, widths)


def render_completion_slip(data: CompletionSlip) -> bytes:
    """服务办结单: the items completed with result numbers and dates, the documents handed
    over, the originals returned, and the enterprise's confirmation.

    Required: centre name, enterprise name / credit code / legal representative, project
    name, agent name, at least one completed item (each with a name) and the completion
    date.
    """
    title = form_title(data.centre, "服务办结单")
    check = Checker(title)
    check.centre(data.centre)
    check.enterprise(data.enterprise)
    check.project(data.project)
    check.agent(data.agent)
    check.require("办结事项", list(data.items))
    for index, item in enumerate(data.items, start=1):
        check.require(f"第{index}项办结事项名称", item.name)
    for index, handed in enumerate(data.handed_over, start=1):
        check.require(f"第{index}项移交材料名称", handed.name)
    check.require("办结日期", data.completed_on)
    if data.confirmation is not None:
        check.require("确认人", data.confirmation.confirmed_by)
        check.require("确认时间", data.confirmation.confirmed_at)
    check.done(data)

    enterprise, project, agent = data.enterprise, data.project, data.agent
    document = new_document(data.centre, title)
    document.number_line("编号：", data.number)

    table = document.form_table(FOUR_COLUMNS)
    enterprise_rows(table, enterprise)
    project_rows(table, project)
    table.add(
        C("代办帮办员", label=True),
        C(agent.name),
        C("联系电话", label=True),
        C(agent.mobile),
    )
    table.add(
        C("委托日期", label=True),
        C(format_date(data.accepted_on) if data.accepted_on else ""),
        C("办结日期", label=True),
        C(format_date(data.completed_on)),
    )
    document.para(w.COMPLETION_STATEMENT, space_before=8)

    document.heading("一、办结事项")
    document.item_table(
        ("序号", "事项名称", "办理部门", "结果名称及文号", "办结日期"),
        (
            (
                str(index),
                item.name,
                item.department,
                "\n".join(part for part in (item.result_name, item.result_number) if part),
                format_date(item.completed_on) if item.completed_on else "",
            )
            for index, item in enumerate(data.items, start=1)
        ),
        (12, 48, 30, 40, 26),
    )
    document.heading("二、移交结果文书")
    if data.handed_over:
        _handed_over_table(document, data)
    else:
        document.para("审批结果已随各事项一并移交，无其他文书。")
    document.heading("三、返还申请材料原件")
    document.para("、".join(data.originals_returned) + "。" if data.originals_returned else "无。")

    document.heading("四、确认签章")
    confirmation = data.confirmation
    opinion = checkbox(w.COMPLETION_CONFIRM, confirmation is not None)
    if confirmation is not None and confirmation.opinion:
        opinion += f"\n其他意见：{confirmation.opinion}"
    if confirmation is not None and confirmation.online:
        opinion += f"\n（由{confirmation.confirmed_by}于{format_datetime(confirmation.confirmed_at)}在线确认）"
    elif confirmation is not None:
        opinion += (
            f"\n（纸质签字确认：{confirmation.confirmed_by}，"
            f"{format_date(confirmation.confirmed_at.date())}）"
        )
    confirmed_on = confirmation.confirmed_at.date() if confirmation is not None else None
    confirm = document.form_table((32, TEXT_WIDTH_MM - 32))
    confirm.add(C("确认意见", label=True), C(opinion), min_height_mm=14)
    confirm.add(
        C("项目单位", label=True),
        C(
            "项目单位（盖章）：　　　　　　　　　　\n"
            "经办人（签字）：　　　　　　　　　　\n"
            f"{format_date(confirmed_on)}",
            align="right",
        ),
        min_height_mm=26,
    )
    confirm.add(
        C("服务中心", label=True),
        C(
            f"{centre_unit(data.centre)}（盖章）\n"
            f"代办帮办员（签字）：{or_blank('', 10)}\n"
            f"{format_date(data.completed_on)}",
            align="right",
        ),
        min_height_mm=26,
    )
    confirm.keep_together()
    document.para(w.COMPLETION_EVALUATE, size=SIZE_SMALL, space_before=10)
    return document.to_bytes()
