"""The notice of criticism (通报批评) as a Word document
(``bangban.documents.renderers.render_criticism_notice``), filled from the accountability
record. The issuing unit is the government-service unit of the record's region (routing
domain 政务服务), else the issuer's department; a notice missing a required fact is refused
with the renderer's message naming it (never printed with a blank or a 「待核实」)."""

from __future__ import annotations

from django.utils import timezone

from bangban.documents import data as d
from bangban.documents import renderers as render
from bangban.organization.selectors import lead_department_for

from .messages import ACCOUNTABILITY_MESSAGES as MESSAGES
from .models import AccountabilityRecord

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class DocumentUnavailable(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def subject_phrase(record: AccountabilityRecord) -> str:
    """``东胜区帮办代办室代办帮办员张三``, or the department's name."""
    user = record.subject_user
    if user is not None:
        department = user.department.name if user.department_id else ""
        if record.subject_department_id and record.subject_department_id != user.department_id:
            department = record.subject_department.name
        return f"{department}{user.get_role_display()}{user}"
    return record.subject_department.name if record.subject_department_id else ""


def _unit(record: AccountabilityRecord):
    unit = lead_department_for(region=record.region, domain="government_service")
    if unit is None and record.issued_by.department_id:
        unit = record.issued_by.department
    return unit


def _complaint_phrase(record: AccountabilityRecord) -> str:
    complaint = record.complaint
    if complaint is None:
        return ""
    received = timezone.localdate(complaint.received_at)
    return (
        f"{received.year}年{received.month}月{received.day}日收到的"
        f"{complaint.get_channel_display()}投诉"
    )


def criticism_notice_data(record: AccountabilityRecord) -> d.CriticismNotice:
    unit = _unit(record)
    name = unit.name if unit is not None else ""
    return d.CriticismNotice(
        centre=d.ServiceCentre(name=name, phone=unit.phone if unit is not None else ""),
        number=record.number,
        issuer=name,
        subject=subject_phrase(record),
        facts=record.facts,
        decision=record.decision,
        issued_on=timezone.localdate(record.issued_at),
        behaviour=record.get_category_display() if record.category else "",
        complaint=_complaint_phrase(record),
    )


def criticism_notice_document(record: AccountabilityRecord) -> tuple[str, bytes]:
    """(file name, .docx bytes) of a notice of criticism (``record`` from
    ``accountability_get_for``)."""
    if record.kind != AccountabilityRecord.Kind.CRITICISM:
        raise DocumentUnavailable(MESSAGES["document_unavailable"])
    try:
        content = render.render_criticism_notice(criticism_notice_data(record))
    except render.FormDataError as exc:
        raise DocumentUnavailable(str(exc)) from None
    safe = "".join(ch for ch in record.number if ch not in '\\/:*?"<>|').strip() or str(record.pk)
    return f"{safe}-通报批评.docx", content
