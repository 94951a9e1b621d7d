"""通报批评: the notice of criticism of an agent or a department (Ordos: 予以通报批评)."""

from __future__ import annotations

from bangban.documents import wording as w
from bangban.documents.data import CriticismNotice
from bangban.documents.formatting import format_date
from bangban.documents.layout import FANGSONG, SIZE_LETTER
from bangban.documents.renderers.shared import Checker, new_document

__all__ = ["render_criticism_notice"]

#: The forbidden behaviours by their names (``推诿拖延`` → the rule's wording).
RULES = dict(w.FORBIDDEN_BEHAVIOURS)
#: A behaviour that names no rule of the six.
OTHER = "其他"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith(("。", "！", "？", "”")) else text.rstrip("；;，,") + "。"


def render_criticism_notice(data: CriticismNotice) -> bytes:
    """通报批评: the title naming who is criticised, the number (文号), the addressees, the
    facts (and the complaint they were found on), the rule they broke (one of the six
    forbidden behaviours of the Ordos plan, when named), the decision, a closing warning,
    the issuing unit with its seal and the date.

    Required: centre name, number, issuing unit, who is criticised, the facts, the
    decision, the date; a behaviour, when given, is one of the six (or 其他).
    """
    check = Checker("通报批评")
    check.centre(data.centre)
    check.require("文号", data.number)
    check.require("通报单位", data.issuer)
    check.require("被通报对象", data.subject)
    check.require("违规事实", data.facts)
    check.require("处理决定", data.decision)
    check.require("通报日期", data.issued_on)
    if data.behaviour and data.behaviour not in RULES and data.behaviour != OTHER:
        check.problem(f"违规行为“{data.behaviour}”无效")
    check.done(data)

    title = w.CRITICISM_TITLE.format(subject=data.subject.strip())
    document = new_document(data.centre, title, body_size=SIZE_LETTER)
    document.para(data.number, font=FANGSONG, align="center", indent=False, space_after=8)
    document.para(
        f"{data.addressees.strip() or w.CRITICISM_ADDRESSEES}：", align="left", indent=False
    )
    lead = ""
    if data.complaint:
        lead += w.CRITICISM_COMPLAINT.format(complaint=data.complaint.strip())
    document.para(lead + _sentence(data.facts))
    basis = data.basis.strip() or w.CRITICISM_DEFAULT_BASIS
    rule = RULES.get(data.behaviour)
    if rule:
        document.para(w.CRITICISM_VIOLATES.format(basis=basis, rule=rule))
    else:
        document.para(w.CRITICISM_VIOLATES_OTHER.format(basis=basis))
    document.para(w.CRITICISM_DECISION.format(decision=_sentence(data.decision)))
    document.para(w.CRITICISM_CLOSING, keep_with_next=True)
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
    return document.to_bytes()
