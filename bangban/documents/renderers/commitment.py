"""服务承诺书: what the enterprise and the centre each commit to."""

from __future__ import annotations

from bangban.documents import wording as w
from bangban.documents.data import CommitmentLetter
from bangban.documents.formatting import format_date
from bangban.documents.layout import Seg
from bangban.documents.renderers.shared import Checker, centre_unit, form_title, new_document

__all__ = ["render_commitment_letter"]


def render_commitment_letter(data: CommitmentLetter) -> bytes:
    """服务承诺书, two-sided: what the enterprise commits (true materials, 容缺 deadlines,
    cooperation) and what the centre commits (free, 一次性告知, 限时办结, feedback,
    confidentiality, none of the six forbidden behaviours); signatures and dates.

    Required: centre name, enterprise name / credit code / legal representative, project
    name; each 容缺 material needs its item, name and due date.
    """
    title = form_title(data.centre, "服务承诺书")
    check = Checker(title)
    check.centre(data.centre)
    check.enterprise(data.enterprise)
    check.project(data.project)
    if data.scope is not None:
        check.scope(data.scope)
    for index, material in enumerate(data.deferred_materials, start=1):
        check.require(f"第{index}项容缺材料名称", material.material)
        check.require(f"第{index}项容缺材料所属事项", material.item)
        check.require(f"第{index}项容缺材料补齐期限", material.due)
    check.done(data)

    enterprise, project, centre = data.enterprise, data.project, data.centre
    document = new_document(centre, title)
    document.number_line("编号：", data.number)
    document.para(
        "为保障",
        Seg(f"“{project.name}”", bold=True),
        f"代办帮办服务顺利开展，{enterprise.name}（统一社会信用代码：{enterprise.credit_code}，"
        f"以下简称项目单位）与{centre_unit(centre)}（以下简称服务中心）作出如下承诺。",
    )
    if data.agent is not None:
        contact = f"（联系电话：{data.agent.mobile}）" if data.agent.mobile else ""
        document.para(f"服务中心指定代办帮办员{data.agent.name}{contact}为项目单位提供服务。")
    if data.scope is not None:
        scope = data.scope
        parts = [w.FULL_SCOPE if scope.full else w.PARTIAL_SCOPE]
        if scope.stages:
            parts.append(f"代办阶段：{'、'.join(scope.stages)}")
        if scope.items:
            parts.append(f"代办事项：{'、'.join(item.name for item in scope.items)}")
        document.para("服务范围：" + "；".join(parts) + "。")

    document.heading("一、项目单位承诺")
    document.numbered(w.ENTERPRISE_COMMITMENTS[:2])
    if data.deferred_materials:
        document.para("本项目容缺受理的材料及补齐期限如下：")
        document.item_table(
            ("序号", "所属事项", "容缺材料", "补齐期限"),
            (
                (str(index), material.item, material.material, format_date(material.due))
                for index, material in enumerate(data.deferred_materials, start=1)
            ),
            (14, 54, 54, 34),
        )
    document.numbered(w.ENTERPRISE_COMMITMENTS[2:], start=3)

    document.heading("二、服务中心承诺")
    for index, (lead, text) in enumerate(w.CENTRE_COMMITMENTS, start=1):
        document.para(f"{index}. ", Seg(f"{lead}。", bold=True), text)
    number = len(w.CENTRE_COMMITMENTS) + 1
    document.para(f"{number}. ", Seg(f"{w.CENTRE_INTEGRITY}。", bold=True), w.CENTRE_INTEGRITY_TEXT)
    numerals = "一二三四五六"
    for numeral, (label, text) in zip(numerals, w.FORBIDDEN_BEHAVIOURS, strict=True):
        end = "。" if numeral == numerals[-1] else "；"
        document.para(f"（{numeral}）杜绝{label}：{text}{end}")
    supervision = (
        w.CENTRE_SUPERVISION_TEXT.format(phone=centre.complaint_phone)
        if centre.complaint_phone
        else w.CENTRE_SUPERVISION_NO_PHONE
    )
    document.para(f"{number + 1}. ", Seg(f"{w.CENTRE_SUPERVISION}。", bold=True), supervision)
    document.para(w.COMMITMENT_COPIES, space_before=4)

    document.signatures(
        [
            [
                "项目单位（盖章）：",
                "法定代表人（签字）：",
                "",
                f"日期：{format_date(data.signed_on)}",
            ],
            [
                "服务中心（盖章）：",
                "代办帮办员（签字）：",
                "",
                f"日期：{format_date(data.signed_on)}",
            ],
        ]
    )
    return document.to_bytes()
