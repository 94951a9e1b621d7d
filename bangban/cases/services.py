"""Writes of the ledger: the one case transition service, case creation, materials.

:func:`case_transition` is the only code that changes a case: it locks the commission then
the case (always in that order, so two writers never deadlock), checks the version, asks
the table in :mod:`bangban.cases.lifecycle` and the parties in :mod:`bangban.cases.parties`,
applies the action's own rules (a handler per action below), recomputes the clock, writes the
history row with both times and queues the notifications for after the commit. A change the
plan reads (actual start or finish, a case dropped) runs the ``on_dates_changed`` hooks in the
same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bangban.audit.services import audit_rows, audit_update
from bangban.catalog.models import Item, Material
from bangban.common.exceptions import ActionForbidden, StaleVersionError
from bangban.documents.attachments import attachment_store
from bangban.projects import lifecycle as commission_lifecycle
from bangban.projects.services import commission_lock, commission_transition, said_time
from bangban.rules.workdays import add_working_days
from bangban.workdays.selectors import get_calendar

from . import hooks, lifecycle
from .deadlines import promised_days, store_clock
from .messages import HISTORY, MESSAGES
from .models import Case, CaseEvent, CaseMaterial, Suspension
from .notify import case_event_notify
from .parties import is_party

REASON_LIMIT = 1000
#: Commission states in which its cases may move.
WORKING_STATES = (commission_lifecycle.PLANNED, commission_lifecycle.IN_PROGRESS)
#: Actions after which the plan is rescheduled.
DATE_ACTIONS = frozenset(
    {
        lifecycle.START,
        lifecycle.APPROVE,
        lifecycle.REFUSE,
        lifecycle.NOT_NEEDED_ACTION,
        lifecycle.WITHDRAW,
    }
)


def _as_date(value, field_name: str, label: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({field_name: MESSAGES["date_format"].format(label=label)}) from None


def _said(occurred, commission) -> tuple[dt.datetime, bool]:
    """(said time, back-filled) for a date or datetime the user gave (None: now)."""
    if occurred in (None, ""):
        return said_time(None, not_before=None)
    if not isinstance(occurred, dt.datetime):
        day = _as_date(occurred, "occurred_at", "发生日期")
        if day == timezone.localdate():
            return said_time(None, not_before=None)
        occurred = timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))
    return said_time(occurred, not_before=commission.agreed_at or commission.applied_at)


@dataclass
class Step:
    """What a handler works on: the locked rows, the said time and the user's input."""

    case: Case
    commission: Any
    actor: Any
    day: dt.date
    data: Mapping[str, Any]
    reason: str
    details: dict[str, Any] = field(default_factory=dict)
    target: str | None = None  # a handler may decide the state (supplement, resume)
    history: str = ""  # the history line when the user gave no reason


def _materials(step: Step) -> list[CaseMaterial]:
    return list(step.case.materials.select_for_update().order_by("sort_order", "id"))


def _names(rows: Iterable[CaseMaterial]) -> str:
    return "、".join(row.name for row in rows)


def _pick(step: Step, key: str) -> tuple[list[CaseMaterial], list[CaseMaterial]]:
    """(the materials whose ids are in data[key], all materials); unknown ids refused."""
    rows = _materials(step)
    by_id = {row.pk: row for row in rows}
    try:
        wanted = [int(value) for value in step.data.get(key) or ()]
    except (TypeError, ValueError):
        raise ValidationError({key: MESSAGES["missing_unknown"]}) from None
    if any(pk not in by_id for pk in wanted):
        raise ValidationError({key: MESSAGES["missing_unknown"]})
    return [by_id[pk] for pk in dict.fromkeys(wanted)], rows


def _open_clock(step: Step) -> None:
    step.case.accepted_on = step.day
    step.case.limit_days = promised_days(step.case)


# --- handlers, one per action ------------------------------------------------------------


def _start(step: Step) -> None:
    step.case.actual_start = step.day


def _record_materials(step: Step) -> None:
    statuses = step.data.get("statuses") or {}
    notes = step.data.get("notes") or {}
    rows = {row.pk: row for row in _materials(step)}
    allowed = {CaseMaterial.Status.PENDING, CaseMaterial.Status.RECEIVED}
    changed = []
    for key, status in statuses.items():
        row = rows.get(int(key)) if str(key).isdigit() else None
        if row is None:
            raise ValidationError({"statuses": MESSAGES["missing_unknown"]})
        if status not in allowed:
            raise ValidationError({"statuses": MESSAGES["status_unknown"].format(status=status)})
        row.status = status
        changed.append(row)
    for key, note in notes.items():
        row = rows.get(int(key)) if str(key).isdigit() else None
        if row is None:
            raise ValidationError({"notes": MESSAGES["missing_unknown"]})
        row.note = str(note)[:300]
        changed.append(row)
    if not changed:
        raise ValidationError(MESSAGES["no_materials_change"])
    CaseMaterial.objects.bulk_update(changed, ["status", "note"])
    audit_rows(changed, action="case.materials", fields=["status", "note"])
    received = [row for row in rows.values() if row.status == CaseMaterial.Status.RECEIVED]
    step.details["received"] = [row.name for row in received]
    step.history = f"已收取材料 {len(received)}/{len(rows)} 项。"


def _submit(step: Step) -> None:
    step.case.submitted_on = step.day


def _prereview(step: Step) -> None:
    notes = step.data.get("notes") or {}
    if notes:
        rows = {row.pk: row for row in _materials(step)}
        changed = []
        for key, note in notes.items():
            row = rows.get(int(key)) if str(key).isdigit() else None
            if row is None:
                raise ValidationError({"notes": MESSAGES["missing_unknown"]})
            row.note = str(note)[:300]
            changed.append(row)
        CaseMaterial.objects.bulk_update(changed, ["note"])
        audit_rows(changed, action="case.materials", fields=["note"])
        step.details["notes"] = {row.name: row.note for row in changed}
    elif not step.reason:
        raise ValidationError({"reason": MESSAGES["reason_required"].format(action="材料预审")})


def _accept(step: Step) -> None:
    rows = _materials(step)
    missing = [row for row in rows if row.status == CaseMaterial.Status.MISSING]
    if missing:
        raise ValidationError(MESSAGES["accept_has_missing"].format(names=_names(missing)))
    audit_update(
        CaseMaterial.objects.filter(case=step.case, status=CaseMaterial.Status.PENDING),
        action="case.materials",
        status=CaseMaterial.Status.RECEIVED,
    )
    _open_clock(step)


def _accept_gaps(step: Step) -> None:
    item = step.case.item
    if not item.accept_with_gaps:
        raise ValidationError(MESSAGES["gaps_not_allowed"].format(item=item.name))
    missing, rows = _pick(step, "missing")
    if not missing:
        raise ValidationError({"missing": MESSAGES["missing_none"]})
    core = [row for row in missing if row.is_core]
    if core:
        raise ValidationError({"missing": MESSAGES["missing_core"].format(names=_names(core))})
    due = _as_date(step.data.get("supplement_due"), "supplement_due", "补正期限")
    if due is None:
        due = add_working_days(get_calendar(), step.day, item.gap_supplement_days).date
    elif due < step.day:
        raise ValidationError({"supplement_due": MESSAGES["supplement_due_past"]})
    missing_ids = {row.pk for row in missing}
    for row in rows:
        if row.pk in missing_ids:
            row.status, row.supplement_due = CaseMaterial.Status.MISSING, due
        elif row.status == CaseMaterial.Status.PENDING:
            row.status = CaseMaterial.Status.RECEIVED
    CaseMaterial.objects.bulk_update(rows, ["status", "supplement_due"])
    audit_rows(rows, action="case.materials", fields=["status", "supplement_due"])
    step.case.supplement_due = due
    step.details["missing"] = [row.name for row in missing]
    step.details["supplement_due"] = due.isoformat()
    step.history = HISTORY["missing_listed"].format(names=_names(missing), due=due)
    _open_clock(step)


def _return(step: Step) -> None:
    step.case.submitted_on = None


def _supplement(step: Step) -> None:
    chosen, rows = _pick(step, "materials")
    missing = [row for row in rows if row.status == CaseMaterial.Status.MISSING]
    if not chosen:
        chosen = missing
    chosen = [row for row in chosen if row.status == CaseMaterial.Status.MISSING]
    if not chosen:
        raise ValidationError({"materials": MESSAGES["supplement_none"]})
    upload = step.data.get("file")
    attachment = None
    if upload:
        attachment = attachment_store(upload=upload, uploaded_by=step.actor, purpose="补正材料")
    for row in chosen:
        row.status, row.supplemented_on = CaseMaterial.Status.SUPPLEMENTED, step.day
        if attachment is not None:
            row.attachment = attachment
    CaseMaterial.objects.bulk_update(chosen, ["status", "supplemented_on", "attachment"])
    audit_rows(chosen, action="case.materials", fields=["status", "supplemented_on", "attachment"])
    step.details["supplemented"] = [row.name for row in chosen]
    step.history = HISTORY["supplemented"].format(names=_names(chosen))
    if len(chosen) == len(missing):
        step.case.supplement_due = None
        step.target = lifecycle.ACCEPTED
        step.history += HISTORY["gaps_supplied"]


def _suspend(step: Step) -> None:
    kind = step.data.get("kind") or ""
    if kind not in Suspension.Kind.values:
        raise ValidationError({"kind": MESSAGES["suspension_kind"]})
    Suspension.objects.create(case=step.case, kind=kind, reason=step.reason[:300], start=step.day)
    step.case.resume_state = step.case.state
    step.case.suspended_since = step.day
    step.details["kind"] = kind


def _resume(step: Step) -> None:
    open_one = step.case.suspensions.select_for_update().filter(end__isnull=True).last()
    start = step.case.suspended_since
    if open_one is not None:  # its start is the previous step: the order check covers it
        open_one.end = step.day
        open_one.save(update_fields=["end"])
        start = open_one.start
    step.target = step.case.resume_state or lifecycle.ACCEPTED
    step.case.resume_state = ""
    step.case.suspended_since = None
    step.details["suspended_from"] = start.isoformat() if start else ""


def _finish(step: Step, outcome: str) -> None:
    case = step.case
    number = str(step.data.get("result_number") or "").strip()
    if not number:
        raise ValidationError({"result_number": MESSAGES["result_number_required"]})
    upload = step.data.get("result_document")
    if upload:
        case.result_document = attachment_store(
            upload=upload, uploaded_by=step.actor, purpose="结果文书", field="result_document"
        )
    case.result_number = number[:100]
    case.outcome = outcome
    case.actual_finish = step.day
    step.details["result_number"] = case.result_number


def _approve(step: Step) -> None:
    gaps = [row for row in _materials(step) if row.status == CaseMaterial.Status.MISSING]
    if gaps:
        raise ValidationError(MESSAGES["gaps_open"].format(names=_names(gaps)))
    _finish(step, Case.Outcome.APPROVED)
    step.history = HISTORY["approved"].format(number=step.case.result_number)


def _refuse(step: Step) -> None:
    _finish(step, Case.Outcome.REFUSED)
    step.history = HISTORY["refused"].format(number=step.case.result_number)


def _close_suspension(step: Step) -> None:
    audit_update(step.case.suspensions.filter(end__isnull=True), action="case.resume", end=step.day)
    step.case.suspended_since = None


def _hand_over(step: Step) -> None:
    case = step.case
    if case.outcome != Case.Outcome.APPROVED:
        raise ValidationError(MESSAGES["not_approved"])
    if case.handed_over_at is not None:
        raise ValidationError(
            MESSAGES["already_handed_over"].format(
                at=timezone.localtime(case.handed_over_at), to=case.handed_over_to
            )
        )
    to = str(step.data.get("handed_over_to") or "").strip()
    if not to:
        raise ValidationError({"handed_over_to": MESSAGES["handed_over_to"]})
    case.handed_over_to = to[:40]
    case.handed_over_at = timezone.now()
    step.history = HISTORY["handed_over"].format(to=case.handed_over_to)


def _nothing(step: Step) -> None:
    return None


HANDLERS: dict[str, Callable[[Step], None]] = {
    lifecycle.START: _start,
    lifecycle.MATERIALS: _record_materials,
    lifecycle.SUBMIT: _submit,
    lifecycle.PREREVIEW: _prereview,
    lifecycle.ACCEPT: _accept,
    lifecycle.ACCEPT_GAPS: _accept_gaps,
    lifecycle.RETURN: _return,
    lifecycle.SUPPLEMENT: _supplement,
    lifecycle.SUSPEND: _suspend,
    lifecycle.RESUME: _resume,
    lifecycle.APPROVE: _approve,
    lifecycle.REFUSE: _refuse,
    lifecycle.NOT_NEEDED_ACTION: _nothing,
    lifecycle.WITHDRAW: _close_suspension,
    lifecycle.HAND_OVER: _hand_over,
}
assert set(HANDLERS) == set(lifecycle.ACTION_LABELS), "a handler per action"


# --- the one transition service -------------------------------------------------------------


def case_lock(case: Case, expected_version: int | None):
    """(commission, case), both locked in that order; a stale case version is refused."""
    commission = commission_lock(case.commission, None)
    fresh = (
        Case.objects.select_for_update(of=("self",))
        .select_related("item", "department")
        .get(pk=case.pk)
    )
    if expected_version is not None and int(expected_version) != fresh.version:
        raise StaleVersionError(MESSAGES["stale"])
    return commission, fresh


def case_check_allowed(action: str, case: Case, commission, actor) -> lifecycle.Transition:
    """The table's row (illegal → ValidationError) and the party (else ActionForbidden)."""
    if commission.state not in WORKING_STATES:
        raise ValidationError(
            MESSAGES["commission_closed"].format(
                state=commission_lifecycle.STATE_LABELS.get(commission.state, commission.state)
            ),
            code="illegal",
        )
    row = lifecycle.find(action, case.state)
    if row is None:
        raise ValidationError(lifecycle.illegal_message(action, case.state), code="illegal")
    if not is_party(row.side, actor, case, commission, action):
        raise ActionForbidden(lifecycle.forbidden_message(action))
    return row


def _check_order(case: Case, day: dt.date) -> None:
    """A step cannot be said to have happened before the case's previous step."""
    last = case.events.order_by("-occurred_at", "-id").first()
    if last is not None and day < timezone.localdate(last.occurred_at):
        raise ValidationError(
            {
                "occurred_at": MESSAGES["before_previous"].format(
                    action=last.get_action_display(), day=timezone.localdate(last.occurred_at)
                )
            }
        )


def case_transition(
    *,
    case: Case,
    action: str,
    actor,
    expected_version: int | None = None,
    reason: str = "",
    occurred_at=None,
    data: Mapping[str, Any] | None = None,
) -> Case:
    """Take ``action`` on ``case`` as ``actor``; returns the fresh case.

    ``occurred_at`` (a date or datetime; default now) is when it is said to have happened;
    a clearly earlier one is recorded as back-filled (补录). ``data`` holds the action's own
    input (materials, result number, suspension kind, files…; see the handlers).
    """
    reason = (reason or "").strip()
    if len(reason) > REASON_LIMIT:
        raise ValidationError({"reason": MESSAGES["reason_too_long"].format(limit=REASON_LIMIT)})
    if action in lifecycle.REASON_REQUIRED and not reason:
        raise ValidationError(
            {"reason": MESSAGES["reason_required"].format(action=lifecycle.ACTION_LABELS[action])}
        )
    with transaction.atomic():
        commission, fresh = case_lock(case, expected_version)
        row = case_check_allowed(action, fresh, commission, actor)
        said, backfilled = _said(occurred_at, commission)
        step = Step(fresh, commission, actor, timezone.localdate(said), data or {}, reason)
        _check_order(fresh, step.day)
        from_state = fresh.state
        HANDLERS[action](step)
        if step.target is not None:
            fresh.state = step.target
        elif row.target != lifecycle.SAME:
            fresh.state = row.target
        if fresh.accepted_on is not None:
            store_clock(fresh, get_calendar(), timezone.localdate())
        fresh.version += 1
        fresh.save()
        if action in DATE_ACTIONS:  # the plan reads the saved dates and state
            moved = hooks.dates_changed(commission=commission, case=fresh, actor=actor)
            if moved:
                step.details["plan"] = "；".join(moved)
        event = CaseEvent.objects.create(
            case=fresh,
            action=action,
            from_state=from_state,
            to_state=fresh.state,
            actor=actor,
            reason=" ".join(part for part in (step.history, reason) if part),
            details=step.details,
            occurred_at=said,
            backfilled=backfilled,
        )
        if action == lifecycle.START and commission.state == commission_lifecycle.PLANNED:
            commission_transition(
                commission=commission,
                action=commission_lifecycle.START,
                actor=actor,
                reason=f"{fresh.code} {fresh.item.name} 开始准备材料。",
                expected_version=commission.version,
            )
        event_id = event.pk
        transaction.on_commit(lambda: case_event_notify(event_id=event_id))
    fresh.refresh_from_db()  # the plan may have moved its planned dates
    for name in [f.attname for f in Case._meta.concrete_fields]:
        setattr(case, name, getattr(fresh, name))
    return fresh


# --- the commission is terminated ---------------------------------------------------------------


def case_withdraw_for_termination(*, commission, actor, reason: str) -> list[Case]:
    """The commission was terminated: every open case of it is closed as withdrawn (撤回),
    with the termination's reason in its history. Runs inside the termination's transaction
    (``projects.hooks.on_terminated``), the commission already locked; the commission's
    table decided who may terminate, so the cases' own WITHDRAW row (which a planned case or
    the enterprise could not take) is not asked. The departments that had a case in hand hear
    of it after the commit; the enterprise heard of the termination."""
    now = timezone.now()
    day = timezone.localdate(now)
    text = HISTORY["withdrawn_terminated"].format(reason=reason)
    cases = list(
        Case.objects.select_for_update()
        .filter(commission=commission, state__in=lifecycle.OPEN_STATES)
        .order_by("baseline_start", "code")
    )
    at_department = []
    for case in cases:
        from_state = case.state
        if from_state == lifecycle.SUSPENDED:
            audit_update(case.suspensions.filter(end__isnull=True), action="case.withdraw", end=day)
        case.state = lifecycle.WITHDRAWN
        case.resume_state = ""
        case.suspended_since = None
        case.version += 1
        case.save()
        event = CaseEvent.objects.create(
            case=case,
            action=lifecycle.WITHDRAW,
            from_state=from_state,
            to_state=lifecycle.WITHDRAWN,
            actor=actor,
            reason=text,
            details={"terminated": True},
            occurred_at=now,
        )
        if from_state in (lifecycle.SUBMITTED, *lifecycle.UNDER_REVIEW):
            at_department.append(event.pk)
    for event_id in at_department:
        transaction.on_commit(
            lambda event_id=event_id: case_event_notify(event_id=event_id, enterprise=False)
        )
    return cases


# --- creation (the planner fixes a plan; an item added after fixing) -------------------------


def case_materials_create(cases: Iterable[Case]) -> int:
    """One material row per catalog material of each case's item; returns how many."""
    cases = list(cases)
    by_item: dict[int, list[Material]] = {}
    for material in Material.objects.filter(item_id__in={c.item_id for c in cases}).order_by(
        "sort_order", "id"
    ):
        by_item.setdefault(material.item_id, []).append(material)
    rows = [
        CaseMaterial(
            case=case,
            material=material,
            name=material.name,
            is_core=material.is_core,
            sort_order=index,
        )
        for case in cases
        for index, material in enumerate(by_item.get(case.item_id, ()))
    ]
    CaseMaterial.objects.bulk_create(rows)
    audit_rows(rows, action="case.materials", created=True)
    return len(rows)


def case_create_many(cases: list[Case]) -> list[Case]:
    """Store new cases and their materials. A case given no department or service mode (the
    plan sets both, as the project's region has them) takes its item's."""
    items = {
        pk: (department, mode)
        for pk, department, mode in Item.objects.filter(
            pk__in={c.item_id for c in cases}
        ).values_list("pk", "department_id", "service_mode")
    }
    for case in cases:
        department, mode = items.get(case.item_id, (None, ""))
        if case.department_id is None:
            case.department_id = department
        if not case.service_mode:
            case.service_mode = mode
    created = Case.objects.bulk_create(cases)
    if created and created[0].pk is None:  # backends that return no ids
        created = list(
            Case.objects.filter(
                commission_id=created[0].commission_id, code__in=[c.code for c in cases]
            )
        )
    audit_rows(created, action="case.create", created=True)
    case_materials_create(created)
    return created


def case_set_errand_company(*, case: Case, company) -> Case:
    """The errand company runs this case (its task order was accepted), or no longer does."""
    audit_update(Case.objects.filter(pk=case.pk), action="case.errand", errand_company=company)
    case.errand_company = company
    return case
