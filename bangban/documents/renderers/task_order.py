"""专业跑腿任务单: the order issued to the errand company for out-of-zone items."""

from __future__ import annotations

from bangban.documents import wording as w
from bangban.documents.data import TaskOrder
from bangban.documents.formatting import FULL_SPACE, format_date
from bangban.documents.layout import C
from bangban.documents.renderers.shared import (
    FOUR_COLUMNS,
    Checker,
    enterprise_rows,
    new_document,
    project_rows,
)

__all__ = ["render_task_order"]


def _contact(name: str, mobile: str) -> str:
    return "　".join(part for part in (name, mobile) if part)


def render_task_order(data: TaskOrder) -> bytes:
    """专业跑腿任务单 issued to the errand company for out-of-zone items: issuer, company,
    project, items, deadline, rules, signatures and a part for the result.

    Required: centre name, number, issuer, errand company name, enterprise name / credit
    code / legal representative, project name, at least one item (each with a name),
    issue date and deadline (deadline not before the issue date).
    """
    title = "专业跑腿任务单"
    check = Checker(title)
    check.centre(data.centre)
    check.require("任务单编号", data.number)
    check.require("派单单位", data.issuer)
    check.require(
        "承接单位名称", data.errand_company.name if data.errand_company is not None else None
    )
    check.enterprise(data.enterprise)
    check.project(data.project)
    check.require("任务事项", list(data.items))
    for index, item in enumerate(data.items, start=1):
        check.require(f"第{index}项任务事项名称", item.name)
    check.require("派单日期", data.issued_on)
    check.require("完成时限", data.deadline)
    if data.issued_on and data.deadline and data.deadline < data.issued_on:
        check.problem("完成时限早于派单日期")
    check.done(data)

    enterprise, project, company = data.enterprise, data.project, data.errand_company
    document = new_document(data.centre, title)
    document.number_line("编号：", data.number)

    table = document.form_table(FOUR_COLUMNS)
    contact = data.issuer_contact
    table.add(
        C("派单单位", label=True),
        C(data.issuer),
        C("经办人及电话", label=True),
        C(_contact(contact.name, contact.mobile) if contact else ""),
    )
    table.add(
        C("承接单位", label=True),
        C(company.name),
        C("联系人及电话", label=True),
        C(_contact(company.contact_name, company.contact_mobile)),
    )
    enterprise_rows(table, enterprise)
    table.add(
        C("联系人", label=True),
        C(enterprise.contact_name),
        C("联系电话", label=True),
        C(enterprise.contact_mobile),
    )
    project_rows(table, project)
    table.add(
        C("派单日期", label=True),
        C(format_date(data.issued_on)),
        C("完成时限", label=True),
        C(f"{format_date(data.deadline)}前", bold=True),
    )

    document.heading("一、任务事项")
    document.item_table(
        ("序号", "事项名称", "办理机关", "办理地点", "交付材料", "办理要求"),
        (
            (
                str(index),
                item.name,
                item.authority,
                item.place,
                item.materials,
                item.requirement,
            )
            for index, item in enumerate(data.items, start=1)
        ),
        (10, 36, 28, 24, 32, 26),
    )
    document.heading("二、工作要求")
    rules = list(w.TASK_ORDER_RULES)
    if data.requirements:
        rules.append(data.requirements)
    document.numbered(rules)

    document.signatures(
        [
            ["派单单位（盖章）：", "经办人（签字）：", f"日期：{format_date(data.issued_on)}"],
            ["承接单位（盖章）：", "接单人（签字）：", f"接单时间：{format_date(None)}"],
        ],
        space_before=6,
    )
    document.heading("三、办理结果反馈（承接单位填写）")
    result = document.form_table(FOUR_COLUMNS)
    result.add(C("办理结果", label=True), C("", span=3), min_height_mm=22)
    result.add(
        C("完成时间", label=True),
        C(format_date(None)),
        C("经办人签字", label=True),
        C(FULL_SPACE),
    )
    result.keep_together()
    return document.to_bytes()
