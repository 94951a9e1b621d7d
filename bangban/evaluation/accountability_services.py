"""Writes of accountability (问责, SPEC §7, issue #13 item 9): violation records (违规记录) and
notices of criticism (通报批评) of an agent or a department.

Two ways in:

* :func:`accountability_from_complaint` — a complaint concluded 属实 or 部分属实 creates its
  violation record inside the conclusion's transaction (called by
  ``complaints_services.complaint_conclude``, never on its own);
* :func:`accountability_record_create` — a supervisor records its own finding (source
  督查发现), or a notice of criticism, possibly about a substantiated complaint (source
  投诉查实). A notice carries its number (文号), unique among notices (a database
  constraint decides two notices given one number at once).

Records are never edited: what they say was decided and notified. Every refusal is a
``ValidationError`` keyed by field (Chinese) or ``ActionForbidden``, and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from bangban.common.checks import raise_errors
from bangban.common.exceptions import ActionForbidden

from .complaints_checks import an_id, subject_of, text
from .complaints_parties import may_create_record
from .complaints_selectors import complaint_list_for
from .messages import ACCOUNTABILITY_MESSAGES as MESSAGES
from .models import SUBSTANTIATED_FINDINGS, AccountabilityRecord, Complaint

TEXT_LIMIT = 4000
NUMBER_LIMIT = 60

#: The fields of the create form and the API's create body.
RECORD_FIELDS = (
    "kind",
    "source",
    "complaint",
    "category",
    "subject_user",
    "subject_department",
    "number",
    "facts",
    "decision",
    "occurred_on",
)


def _clip(value: str, limit: int = TEXT_LIMIT) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def accountability_from_complaint(*, complaint: Complaint, actor) -> AccountabilityRecord | None:
    """The violation record of a complaint just concluded 属实 / 部分属实 (inside the caller's
    transaction, the complaint row locked). At most one per complaint: a second call (there
    is none: a complaint is concluded once) returns None."""
    if complaint.finding not in SUBSTANTIATED_FINDINGS:
        return None
    if AccountabilityRecord.objects.filter(
        complaint=complaint,
        source=AccountabilityRecord.Source.COMPLAINT,
        kind=AccountabilityRecord.Kind.VIOLATION,
    ).exists():
        return None
    finding = complaint.get_finding_display()
    facts = _clip(
        f"经核查，{complaint.get_channel_display()}投诉反映的"
        f"「{complaint.get_category_display()}」问题{finding}。{complaint.handling}"
    )
    record = AccountabilityRecord(
        region=complaint.region,
        kind=AccountabilityRecord.Kind.VIOLATION,
        source=AccountabilityRecord.Source.COMPLAINT,
        complaint=complaint,
        category=complaint.category,
        subject_user=complaint.subject_user,
        subject_department=complaint.subject_department,
        facts=facts,
        decision=_clip(complaint.result),
        occurred_on=timezone.localdate(complaint.received_at),
        issued_by=actor,
    )
    record.full_clean()
    record.save()
    return record


def _complaint_for(actor, value, errors: dict) -> Complaint | None:
    pk = an_id(value, "complaint", errors)
    if pk is None:
        if "complaint" not in errors:
            errors["complaint"] = MESSAGES["complaint_required"]
        return None
    complaint = (
        complaint_list_for(actor)
        .select_related("subject_user", "subject_department")
        .filter(pk=pk)
        .first()
    )
    if complaint is None:
        errors["complaint"] = MESSAGES["complaint_unknown"]
    elif complaint.state != Complaint.State.CLOSED or complaint.finding not in (
        SUBSTANTIATED_FINDINGS
    ):
        errors["complaint"] = MESSAGES["complaint_not_substantiated"]
        complaint = None
    return complaint


def _occurred(value, errors: dict) -> dt.date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        errors["occurred_on"] = "发生日期格式应为 YYYY-MM-DD。"
        return None
    if value > timezone.localdate():
        errors["occurred_on"] = MESSAGES["occurred_future"]
        return None
    return value


def accountability_record_create(*, actor, **fields: Any) -> AccountabilityRecord:
    """A supervisor records a violation or issues a notice of criticism. ``fields`` are
    :data:`RECORD_FIELDS`: kind (violation / criticism), source (supervision / complaint —
    then the complaint, closed 属实 or 部分属实, whose category and subjects are the defaults),
    category (one of the six forbidden behaviours or other; optional), the person and/or the
    department held accountable, the number (文号, required for a notice), the facts, the
    decision and the day it happened."""
    if not may_create_record(actor):
        raise ActionForbidden(MESSAGES["create_only"])
    errors: dict[str, str] = {}
    kind = fields.get("kind") or ""
    if kind not in AccountabilityRecord.Kind.values:
        errors["kind"] = MESSAGES["kind_invalid"]
    source = fields.get("source") or ""
    if source not in AccountabilityRecord.Source.values:
        errors["source"] = MESSAGES["source_invalid"]
    complaint = None
    if source == AccountabilityRecord.Source.COMPLAINT:
        complaint = _complaint_for(actor, fields.get("complaint"), errors)
    elif fields.get("complaint") not in (None, ""):
        errors["complaint"] = MESSAGES["complaint_with_supervision"]
    category = fields.get("category") or ""
    if not category and complaint is not None:
        category = complaint.category
    if category and category not in Complaint.Category.values:
        errors["category"] = MESSAGES["category_invalid"]
    user_value = fields.get("subject_user")
    department_value = fields.get("subject_department")
    if complaint is not None and user_value in (None, "") and department_value in (None, ""):
        user_value, department_value = complaint.subject_user_id, complaint.subject_department_id
    subject_user, subject_department = subject_of(
        actor,
        user_value,
        department_value,
        errors,
        user_field="subject_user",
        department_field="subject_department",
        required_message=MESSAGES["subject_required"],
    )
    number = text(fields.get("number"), "number", "文号", NUMBER_LIMIT, errors)
    if kind == AccountabilityRecord.Kind.CRITICISM and not number:
        errors.setdefault("number", MESSAGES["number_required"])
    facts = text(
        fields.get("facts"),
        "facts",
        "违规事实",
        TEXT_LIMIT,
        errors,
        required="facts_required",
        messages=MESSAGES,
    )
    decision = text(
        fields.get("decision"),
        "decision",
        "处理决定",
        TEXT_LIMIT,
        errors,
        required="decision_required",
        messages=MESSAGES,
    )
    occurred_on = _occurred(fields.get("occurred_on"), errors)
    if (
        kind == AccountabilityRecord.Kind.CRITICISM
        and number
        and AccountabilityRecord.objects.filter(kind=kind, number=number).exists()
    ):
        errors["number"] = MESSAGES["number_taken"].format(number=number)
    raise_errors(errors)
    if complaint is not None:
        region = complaint.region
    elif subject_user is not None:
        region = subject_user.region
    else:
        region = subject_department.region
    record = AccountabilityRecord(
        region=region,
        kind=kind,
        source=source,
        complaint=complaint,
        category=category,
        subject_user=subject_user,
        subject_department=subject_department,
        number=number,
        facts=facts,
        decision=decision,
        occurred_on=occurred_on,
        issued_by=actor,
    )
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        # another notice took the number between the check and the insert
        if AccountabilityRecord.objects.filter(kind=kind, number=number).exists():
            raise ValidationError(
                {"number": MESSAGES["number_taken"].format(number=number)}
            ) from None
        raise
    return record
