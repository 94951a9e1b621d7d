"""Writes of complaints (投诉, SPEC §7, issue #13 item 3).

* :func:`complaint_register` — a centre admin or a supervisor (any channel), an agent at the
  window: channel, category (the six forbidden behaviours of the Ordos seed, or other), the
  person and/or department complained about, optionally the commission, the complainant,
  the content and when it was received. A time received more than
  ``projects.services.transition.BACKFILL_AFTER`` ago is recorded as said and marked 补录,
  like a case's step. The due date counts the region's time limit in working days
  (:class:`~bangban.evaluation.models.ComplaintPolicy`, ``data/evaluation/complaints.yaml``).
* :func:`complaint_assign`, :func:`complaint_record`, :func:`complaint_conclude` — the steps
  of ``complaints_lifecycle.COMPLAINT``: hand over for verification (核查), record what the
  verification found, conclude with the finding and the answer to the complainant. A
  conclusion 属实 or 部分属实 creates the violation record in the same transaction.

Every step is one transaction: it locks the row (``select_for_update``), refuses a stale
``version`` (409), asks the lifecycle table (an illegal step is a ``ValidationError``) and the
parties (``ActionForbidden``), validates the input (every error at once, keyed by field,
nothing written), writes the history row and queues the notifications after the commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bangban.accounts.models import User
from bangban.common.checks import raise_errors
from bangban.common.exceptions import ActionForbidden
from bangban.common.workflow import checked_row, copy_saved, refuse_stale
from bangban.notifications.services import notify
from bangban.organization.models import Region
from bangban.projects.services.transition import BACKFILL_AFTER, CLOCK_SKEW
from bangban.rules.workdays import add_working_days
from bangban.rules.workflow import Transition
from bangban.workdays.selectors import get_calendar

from . import complaints_lifecycle as lifecycle
from .accountability_services import accountability_from_complaint
from .complaints_checks import an_id, subject_of, text
from .complaints_parties import COORDINATOR_ROLES, covers, is_party, may_register
from .complaints_selectors import complaint_commission_choices, complaint_policy_for
from .messages import COMPLAINT_HISTORY as HISTORY
from .messages import COMPLAINT_MESSAGES as MESSAGES
from .models import Complaint, ComplaintEvent, ComplaintPolicy

TEXT_LIMIT = 4000
COMPLAINANT_LIMIT = 60
CONTACT_LIMIT = 40

#: The fields of the register form and the API's create body.
REGISTER_FIELDS = (
    "channel",
    "category",
    "subject_user",
    "subject_department",
    "commission",
    "complainant",
    "complainant_contact",
    "content",
    "received_at",
)


# --- shared ---------------------------------------------------------------------------------


def _check(action: str, state: str, actor, complaint) -> Transition:
    return checked_row(lifecycle.COMPLAINT, action, state, actor, complaint, is_party)


def _lock(complaint: Complaint, expected_version) -> Complaint:
    fresh = (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("region", "subject_user", "subject_department", "handler")
        .get(pk=complaint.pk)
    )
    refuse_stale(expected_version, fresh.version, MESSAGES["stale"])
    return fresh


_copy = copy_saved


def _event(complaint: Complaint, action: str, actor, *, before: str = "", note: str = ""):
    return ComplaintEvent.objects.create(
        complaint=complaint,
        action=action,
        from_state=before,
        to_state=complaint.state,
        actor=actor,
        note=note[:TEXT_LIMIT],
    )


def _received(value, errors: dict) -> tuple[dt.datetime, bool]:
    """(said time, back-filled) for the time a complaint was received (None: now)."""
    now = timezone.now()
    if value in (None, ""):
        return now, False
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        if value == timezone.localdate():
            return now, False
        value = dt.datetime.combine(value, dt.time(12, 0))
    if not isinstance(value, dt.datetime):
        errors["received_at"] = "收到时间格式应为 YYYY-MM-DD HH:MM。"
        return now, False
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > now + CLOCK_SKEW:
        errors["received_at"] = MESSAGES["received_future"]
        return now, False
    return value, now - value > BACKFILL_AFTER


def complaint_due(region: Region, received_on: dt.date) -> tuple[dt.date | None, bool, int]:
    """(due date, provisional, working days) of a complaint received on ``received_on`` in
    ``region``: day 1 is the working day after receipt. (None, False, 0) when neither the
    region nor a region above it has a time limit."""
    policy = complaint_policy_for(region)
    if policy is None:
        return None, False, 0
    due = add_working_days(get_calendar(), received_on, policy.working_days)
    return due.date, due.provisional, policy.working_days


def _notify_handler(complaint_id: int, handler_id: int) -> None:
    complaint = Complaint.objects.select_related("region").get(pk=complaint_id)
    handler = User.objects.get(pk=handler_id)
    due = f"，办理期限 {complaint.due_date:%Y-%m-%d}" if complaint.due_date else ""
    notify(
        event_key=f"complaint:{complaint.pk}:assigned:{handler.pk}:{complaint.version}",
        subject=f"投诉交办核查：{complaint.get_category_display()}",
        body=f"一件经{complaint.get_channel_display()}收到的投诉已交由您核查{due}，请及时办理。",
        users=[handler],
    )


# --- register -------------------------------------------------------------------------------


def _commission(actor, value, errors: dict):
    pk = an_id(value, "commission", errors)
    if pk is None:
        return None
    commission = (
        complaint_commission_choices(actor).select_related("project__region").filter(pk=pk).first()
    )
    if commission is None:
        errors["commission"] = MESSAGES["commission_unknown"]
    return commission


def complaint_register(*, actor, **fields: Any) -> Complaint:
    """Register a complaint (state 已登记). ``fields`` are :data:`REGISTER_FIELDS`."""
    channel = fields.get("channel") or ""
    if not may_register(actor):
        raise ActionForbidden(MESSAGES["register_only"])
    errors: dict[str, str] = {}
    if channel not in Complaint.Channel.values:
        errors["channel"] = MESSAGES["channel_invalid"]
    elif not may_register(actor, channel):
        errors["channel"] = MESSAGES["window_only"]
    category = fields.get("category") or ""
    if category not in Complaint.Category.values:
        errors["category"] = MESSAGES["category_invalid"]
    subject_user, subject_department = subject_of(
        actor,
        fields.get("subject_user"),
        fields.get("subject_department"),
        errors,
        user_field="subject_user",
        department_field="subject_department",
    )
    if subject_user is not None and subject_user.pk == actor.pk:
        errors["subject_user"] = MESSAGES["subject_self"]
    commission = _commission(actor, fields.get("commission"), errors)
    complainant = text(
        fields.get("complainant"), "complainant", "投诉人", COMPLAINANT_LIMIT, errors
    )
    contact = text(
        fields.get("complainant_contact"),
        "complainant_contact",
        "投诉人联系方式",
        CONTACT_LIMIT,
        errors,
    )
    content = text(
        fields.get("content"),
        "content",
        "投诉内容",
        TEXT_LIMIT,
        errors,
        required="content_required",
    )
    received_at, backfilled = _received(fields.get("received_at"), errors)
    raise_errors(errors)

    if commission is not None:
        region = commission.project.region
    elif subject_user is not None:
        region = subject_user.region
    else:
        region = subject_department.region
    if not covers(actor, region):  # a commission of a region above the actor's (never shown)
        raise ValidationError({"commission": MESSAGES["commission_unknown"]})
    due, provisional, days = complaint_due(region, timezone.localdate(received_at))
    now = timezone.now()
    with transaction.atomic():
        complaint = Complaint(
            region=region,
            channel=channel,
            category=category,
            commission=commission,
            subject_user=subject_user,
            subject_department=subject_department,
            complainant=complainant,
            complainant_contact=contact,
            content=content,
            received_at=received_at,
            recorded_at=now,
            backfilled=backfilled,
            recorded_by=actor,
            state=lifecycle.RECEIVED,
            due_date=due,
            due_provisional=provisional,
        )
        complaint.full_clean()
        complaint.save()
        notes = [
            HISTORY["registered"].format(
                channel=complaint.get_channel_display(), category=complaint.get_category_display()
            ),
            HISTORY["due"].format(due=due, days=days) if due else HISTORY["no_policy"],
        ]
        if backfilled:
            notes.append(
                HISTORY["backfilled"].format(
                    at=timezone.localtime(received_at), recorded=timezone.localtime(now)
                )
            )
        _event(complaint, lifecycle.REGISTER, actor, note="".join(notes))
    return complaint


# --- the steps ------------------------------------------------------------------------------


def complaint_assign(
    *, complaint: Complaint, actor, handler, note: str = "", expected_version: int | None
) -> Complaint:
    """A coordinator hands the complaint to a centre admin or supervisor covering its region
    for verification (核查); handing it on to someone else keeps it in 核查处理中."""
    with transaction.atomic():
        fresh = _lock(complaint, expected_version)
        before = fresh.state
        _check(lifecycle.ASSIGN, before, actor, fresh)
        errors: dict[str, str] = {}
        handler_id = an_id(handler, "handler", errors)
        chosen = None
        if handler_id is None:
            errors.setdefault("handler", MESSAGES["handler_required"])
        else:
            chosen = User.objects.select_related("region").filter(pk=handler_id).first()
            if (
                chosen is None
                or not chosen.is_active
                or chosen.role not in COORDINATOR_ROLES
                or not chosen.region_id
                or not covers(chosen, fresh.region)
            ):
                errors["handler"] = MESSAGES["handler_invalid"]
            elif chosen.pk == fresh.subject_user_id:
                errors["handler"] = MESSAGES["handler_subject"]
            elif chosen.pk == fresh.handler_id:
                errors["handler"] = MESSAGES["handler_same"].format(handler=chosen)
        note = text(note, "note", "交办说明", TEXT_LIMIT, errors)
        raise_errors(errors)
        fresh.handler = chosen
        fresh.state = lifecycle.HANDLING
        fresh.version += 1
        fresh.save()
        line = HISTORY["assigned"].format(handler=chosen) + note
        _event(fresh, lifecycle.ASSIGN, actor, before=before, note=line)
        complaint_id, handler_pk = fresh.pk, chosen.pk
        transaction.on_commit(lambda: _notify_handler(complaint_id, handler_pk))
    _copy(fresh, complaint)
    return fresh


def complaint_record(
    *, complaint: Complaint, actor, handling: str, expected_version: int | None
) -> Complaint:
    """The handler (or a coordinator) records what the verification found so far (replaces
    the earlier text; the history keeps every version)."""
    with transaction.atomic():
        fresh = _lock(complaint, expected_version)
        before = fresh.state
        _check(lifecycle.RECORD, before, actor, fresh)
        errors: dict[str, str] = {}
        handling = text(
            handling, "handling", "核查情况", TEXT_LIMIT, errors, required="handling_required"
        )
        raise_errors(errors)
        fresh.handling = handling
        fresh.version += 1
        fresh.save()
        _event(fresh, lifecycle.RECORD, actor, before=before, note=handling)
    _copy(fresh, complaint)
    return fresh


def complaint_conclude(
    *,
    complaint: Complaint,
    actor,
    finding: str,
    result: str,
    handling: str | None = None,
    expected_version: int | None,
) -> Complaint:
    """Conclude (办结) with the finding (属实 / 部分属实 / 不属实), the result and answer to the
    complainant and, unless recorded before, what the verification found. 属实 and 部分属实
    create the violation record (accountability) in this transaction, exactly once."""
    with transaction.atomic():
        fresh = _lock(complaint, expected_version)
        before = fresh.state
        _check(lifecycle.CONCLUDE, before, actor, fresh)
        errors: dict[str, str] = {}
        if finding not in Complaint.Finding.values:
            errors["finding"] = MESSAGES["finding_invalid"]
        result = text(
            result, "result", "处理结果及答复", TEXT_LIMIT, errors, required="result_required"
        )
        given = text(handling, "handling", "核查情况", TEXT_LIMIT, errors)
        if not (given or fresh.handling) and "handling" not in errors:
            errors["handling"] = MESSAGES["handling_required"]
        raise_errors(errors)
        if given:
            fresh.handling = given
        fresh.finding = finding
        fresh.result = result
        fresh.state = lifecycle.CLOSED
        fresh.closed_at = timezone.now()
        fresh.version += 1
        fresh.save()
        note = HISTORY["concluded"].format(finding=fresh.get_finding_display())
        record = accountability_from_complaint(complaint=fresh, actor=actor)
        if record is not None:
            note += HISTORY["record_created"]
        _event(fresh, lifecycle.CONCLUDE, actor, before=before, note=note)
    _copy(fresh, complaint)
    return fresh


# --- the time limits (reference data) -------------------------------------------------------


def complaint_policies_load(
    rows: Sequence[Mapping[str, Any]], *, overwrite: bool = False
) -> tuple[int, int]:
    """Write the time limits of ``data/evaluation/complaints.yaml`` (one transaction): a
    region without one gets it; an existing row is kept (an administrator may have edited
    it) unless ``overwrite``. Returns (created, updated); a bad row refuses the whole file."""
    problems: list[str] = []
    cleaned = []
    regions = {
        r.key: r for r in Region.objects.filter(key__in=[str(r.get("region")) for r in rows])
    }
    for index, row in enumerate(rows, start=1):
        region = regions.get(str(row.get("region")))
        days = row.get("working_days")
        source = str(row.get("source") or "").strip()
        if region is None:
            problems.append(f"第 {index} 条：区划「{row.get('region')}」不存在")
        elif not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 365:
            problems.append(f"第 {index} 条：办理时限应为 1 到 365 的整数（工作日）")
        elif not source or len(source) > 300:
            problems.append(f"第 {index} 条：请写明出处（不超过 300 字）")
        else:
            cleaned.append(
                (
                    region,
                    {
                        "working_days": days,
                        "estimated": bool(row.get("estimated", False)),
                        "source": source,
                        "note": str(row.get("note") or "").strip()[:300],
                    },
                )
            )
    if problems:
        raise ValidationError(problems)
    created = updated = 0
    with transaction.atomic():
        for region, values in cleaned:
            existing = ComplaintPolicy.objects.filter(region=region).first()
            if existing is None:
                ComplaintPolicy.objects.create(region=region, **values)
                created += 1
            elif overwrite:
                for name, value in values.items():
                    setattr(existing, name, value)
                existing.save()
                updated += 1
    return created, updated


__all__ = [
    "REGISTER_FIELDS",
    "complaint_assign",
    "complaint_conclude",
    "complaint_due",
    "complaint_policies_load",
    "complaint_record",
    "complaint_register",
]
