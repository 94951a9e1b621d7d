"""不予办理告知书 / 不予受理告知书 (控制事项明确答复制), with its receipt."""

from __future__ import annotations

from bangban.documents import wording as w
from bangban.documents.data import RefusalDecision, RefusalNotice, RefusalReason
from bangban.documents.formatting import checkboxes, format_date, or_blank
from bangban.documents.layout import FANGSONG, SIZE_LETTER, SIZE_TABLE, C
from bangban.documents.renderers.shared import FOUR_COLUMNS, Checker, new_document

__all__ = ["render_refusal_notice"]


def _reason_text(reason: RefusalReason | str) -> str:
    """``项目为新建电石生产装置，属于《…》中的禁止新增产能条目“电石”。``"""
    if isinstance(reason, str):
        return reason.strip().rstrip("。；;，,") + "。"
    text = reason.text.strip().rstrip("。；;，,")
    where = f"{reason.source}中的" if reason.source else ""
    if reason.entry:
        text += f"，属于{where}{reason.category}条目“{reason.entry}”"
    elif reason.category:
        text += f"，属于{where}{reason.category}"
    elif reason.source:
        text += f"，不符合{reason.source}"
    return text + "。"


def render_refusal_notice(data: RefusalNotice) -> bytes:
    """不予办理告知书 (控制事项明确答复制): the decision, its reasons as numbered lines, the
    basis, the remedies, the issuing unit with its seal and a receipt.

    A refusal of the service (``RefusalDecision.SERVICE``) is not an administrative licence
    decision: its remedy is a review by `review_body`, and the notice says that the
    enterprise may still apply to the approval departments directly, with the statutory
    remedies against their decisions. A refused application (``ACCEPTANCE``) names the
    statutory channels: 行政复议 within sixty days, 行政诉讼 within six months.

    Required: centre name, number, issuer, enterprise name / credit code / legal
    representative, project name, decision, at least one reason and one basis, the date;
    for SERVICE the review body, for ACCEPTANCE the item, the reconsideration body and
    the court.
    """
    decision = data.decision
    title = "不予受理告知书" if decision == RefusalDecision.ACCEPTANCE else "不予办理告知书"
    check = Checker(title)
    check.centre(data.centre)
    check.require("告知书编号", data.number)
    check.require("告知单位", data.issuer)
    check.enterprise(data.enterprise)
    check.project(data.project)
    check.choice("处理决定", decision, w.DECISION_LABELS)
    check.require("不予办理的理由", list(data.reasons))
    for index, reason in enumerate(data.reasons, start=1):
        check.require(
            f"第{index}条理由", reason.text if isinstance(reason, RefusalReason) else reason
        )
    check.require("法律政策依据", list(data.basis))
    check.require("告知日期", data.issued_on)
    if decision == RefusalDecision.SERVICE:
        check.require("复核受理单位", data.review_body)
    elif decision == RefusalDecision.ACCEPTANCE:
        check.require("申请事项名称", data.item_name)
        check.require("行政复议机关", data.reconsideration_body)
        check.require("行政诉讼管辖法院", data.court)
    check.done(data)

    enterprise, project = data.enterprise, data.project
    document = new_document(data.centre, title, body_size=SIZE_LETTER)
    document.para(data.number, font=FANGSONG, align="center", indent=False, space_after=8)
    document.para(
        f"{enterprise.name}（统一社会信用代码：{enterprise.credit_code}）：",
        align="left",
        indent=False,
    )
    applied = f"于{format_date(data.applied_on)}" if data.applied_on else ""
    number = f"（申请编号：{data.application_number}）" if data.application_number else ""
    facts = "，".join(
        f"{label}：{value}"
        for label, value in (
            ("项目代码", project.code),
            ("建设地点", project.location or project.region),
            ("所属行业", project.industry),
        )
        if value
    )
    named = f"“{project.name}”（{facts}）" if facts else f"“{project.name}”"
    if decision == RefusalDecision.SERVICE:
        document.para(
            f"你单位{applied}提交的{named}代办帮办服务申请{number}收悉。"
            "经核实，该项目存在以下情形："
        )
    else:
        document.para(
            f"你单位{applied}就{named}提出的{data.item_name}申请{number}收悉。"
            "经审查，该申请存在以下情形："
        )
    document.numbered(_reason_text(reason) for reason in data.reasons)

    basis = "、".join(text.strip() for text in data.basis)
    if decision == RefusalDecision.SERVICE:
        document.para(w.REFUSAL_SERVICE_CONCLUSION.format(basis=basis))
        within = (
            w.REFUSAL_SERVICE_REVIEW_WITHIN.format(days=data.review_within_workdays)
            if data.review_within_workdays
            else ""
        )
        document.para(w.REFUSAL_SERVICE_REVIEW.format(within=within, review_body=data.review_body))
        document.para(w.REFUSAL_SERVICE_NOT_A_LICENCE)
    else:
        document.para(w.REFUSAL_ACCEPTANCE_CONCLUSION.format(basis=basis))
        document.para(
            w.REFUSAL_ACCEPTANCE_REMEDY.format(
                reconsideration_body=data.reconsideration_body, court=data.court
            )
        )
    document.para(w.REFUSAL_CLOSING, keep_with_next=True)
    document.spacer(14, keep_with_next=True)
    signature = (data.issuer, "（盖章）", format_date(data.issued_on))
    for index, line in enumerate(signature):
        document.para(
            line,
            align="right",
            indent=False,
            right_indent_chars=2,
            keep_with_next=index < len(signature) - 1,
        )
    if data.contact_name or data.contact_phone:
        document.para(
            f"（联系人：{or_blank(data.contact_name, 4)}，联系电话：{or_blank(data.contact_phone, 6)}）",
            size=SIZE_TABLE,
            space_before=14,
        )

    document.page_break()
    document.title("送达回证")
    receipt = document.form_table(FOUR_COLUMNS)
    receipt.add(
        C("送达文书名称及文号", label=True),
        C(f"{title}（{data.number}）", span=3),
        min_height_mm=14,
    )
    receipt.add(C("受送达人", label=True), C(enterprise.name, span=3), min_height_mm=14)
    receipt.add(C("送达地点", label=True), C(enterprise.address, span=3), min_height_mm=14)
    receipt.add(
        C("送达方式", label=True),
        C(checkboxes(("直接送达", "邮寄送达", "电子送达")), span=3),
        min_height_mm=14,
    )
    receipt.add(
        C("送达人（签字）", label=True),
        C(""),
        C("送达日期", label=True),
        C(format_date(None)),
        min_height_mm=18,
    )
    receipt.add(
        C("受送达人签收\n（签字或盖章）", label=True),
        C(""),
        C("签收日期", label=True),
        C(format_date(None)),
        min_height_mm=18,
    )
    receipt.add(C("备注", label=True), C("", span=3), min_height_mm=24)
    return document.to_bytes()
