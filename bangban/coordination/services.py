"""Writes of coordination: meetings and their decisions, errand task orders.

Every service is one transaction: it locks the row (``select_for_update``), refuses a stale
``version`` (:class:`StaleVersionError`, 409), asks the workflow's table in
:mod:`bangban.coordination.lifecycle` (an illegal step is a ``ValidationError``) and the
parties in :mod:`bangban.coordination.parties` (``ActionForbidden``), validates the input
(``ValidationError`` keyed by field, Chinese, nothing written), writes the event row and
queues the notifications for after the commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bangban.audit.services import audit_rows
from bangban.cases import lifecycle as case_lifecycle
from bangban.cases.models import Case
from bangban.cases.services import WORKING_STATES, case_set_errand_company
from bangban.catalog.models import ServiceMode
from bangban.common.checks import checked_text, raise_errors
from bangban.common.exceptions import ActionForbidden
from bangban.common.workflow import checked_row, copy_saved, refuse_stale
from bangban.organization.models import Department
from bangban.projects import lifecycle as commission_lifecycle
from bangban.projects.models import Commission
from bangban.projects.services import commission_lock
from bangban.rules.workdays import add_working_days
from bangban.rules.workflow import Table, Transition
from bangban.workdays.selectors import get_calendar

from . import lifecycle, notify
from .messages import HISTORY, MESSAGES
from .models import ActionItem, Meeting, MeetingEvent, MeetingProblem, TaskOrder, TaskOrderEvent
from .parties import covers, is_party, may_issue, may_organise, may_propose
from .recurrence import nth_date
from .selectors import errand_companies_for, live_order_of_case, meeting_commission_choices

#: A decision without a due date is due this many working days after the meeting.
DECISION_DEFAULT_DAYS = 5
TITLE_LIMIT = 120
PLACE_LIMIT = 120
TEXT_LIMIT = 500
LONG_LIMIT = 10000


# --- shared --------------------------------------------------------------------------------


def _pk(value) -> Any:
    return getattr(value, "pk", value)


def _pks(values: Iterable | None, field: str) -> list[int]:
    """Ids from objects or ids, each once; a value that is not a number is refused."""
    out = []
    for value in values or ():
        try:
            out.append(int(_pk(value)))
        except (TypeError, ValueError):
            raise ValidationError({field: MESSAGES["id_invalid"]}) from None
    return list(dict.fromkeys(out))


def _text(value, field: str, label: str, limit: int, errors: dict, *, required: str = "") -> str:
    """The stripped text; too long, or empty when ``required`` names the message to give,
    is an error under ``field``."""
    message = MESSAGES[required] if required else ""
    return checked_text(value, field, label, limit, errors, required_message=message)


_raise = raise_errors


def _names(cases: Iterable[Case]) -> str:
    return "、".join(case.item.name for case in cases)


def _check(table: Table, action: str, state: str, actor, obj) -> Transition:
    return checked_row(table, action, state, actor, obj, is_party)


def _stale(expected_version, fresh, key: str) -> None:
    refuse_stale(expected_version, fresh.version, MESSAGES[key])


_copy = copy_saved


def _day(value: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(value) if value else None


# --- meetings: validation ----------------------------------------------------------------------


def _related(region_a, region_b) -> bool:
    return region_a.path.startswith(region_b.path) or region_b.path.startswith(region_a.path)


def _departments(ids: list[int], host: Department | None, errors: dict) -> list[Department]:
    found = {d.pk: d for d in Department.objects.filter(pk__in=ids).select_related("region")}
    chosen = [found[pk] for pk in ids if pk in found]
    if len(chosen) != len(ids):
        errors["participants"] = MESSAGES["participants_required"]
        return chosen
    for department in chosen:
        if not department.is_active:
            errors["participants"] = MESSAGES["department_inactive"].format(name=department.name)
        elif host is not None and not _related(department.region, host.region):
            errors["participants"] = MESSAGES["department_outside"].format(name=department.name)
    return chosen


#: The fields of a meeting's form (create, propose, edit).
MEETING_FIELDS = (
    "kind",
    "title",
    "host_department",
    "starts_at",
    "place",
    "participants",
    "commissions",
    "cases",
    "agenda",
    "recurrence",
    "problems",
)


def _clean_meeting(
    actor, data: Mapping[str, Any], *, proposal: bool, arranged: bool
) -> dict[str, Any]:
    """The meeting's fields, checked; every error at once (keyed by field). A ``proposal``
    (an agent's) is about the agent's own commissions and hosted by their lead department;
    an ``arranged`` meeting has its time, place and participants."""
    errors: dict[str, str] = {}
    kind = data.get("kind") or ""
    if kind not in Meeting.Kind.values:
        errors["kind"] = MESSAGES["kind_invalid"]
    title = _text(
        data.get("title"), "title", "会议主题", TITLE_LIMIT, errors, required="title_required"
    )
    place = _text(data.get("place"), "place", "会议地点", PLACE_LIMIT, errors)
    agenda = _text(data.get("agenda"), "agenda", "会议议题", LONG_LIMIT, errors)
    starts_at = data.get("starts_at") or None
    if starts_at is not None and not isinstance(starts_at, dt.datetime):
        errors["starts_at"] = MESSAGES["starts_at_required"]
        starts_at = None
    if starts_at is not None and timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    recurrence = data.get("recurrence") or ""
    if recurrence and recurrence not in Meeting.Recurrence.values:
        errors["recurrence"] = MESSAGES["recurrence_required"]
    elif recurrence and kind != Meeting.Kind.JOINT_CONFERENCE:
        errors["recurrence"] = MESSAGES["recurrence_only_joint"]
    elif not recurrence and kind == Meeting.Kind.JOINT_CONFERENCE and arranged:
        errors["recurrence"] = MESSAGES["recurrence_required"]

    commission_ids = _pks(data.get("commissions"), "commissions")
    visible = {c.pk: c for c in meeting_commission_choices(actor).filter(pk__in=commission_ids)}
    if len(visible) != len(commission_ids):
        errors["commissions"] = (
            MESSAGES["commission_not_yours"].format(numbers="、".join(map(str, commission_ids)))
            if proposal
            else MESSAGES["commission_unknown"]
        )
    commissions = [visible[pk] for pk in commission_ids if pk in visible]
    if proposal and not commission_ids:
        errors["commissions"] = MESSAGES["commission_required"]
    case_ids = _pks(data.get("cases"), "cases")
    cases = list(
        Case.objects.filter(pk__in=case_ids, commission_id__in=[c.pk for c in commissions])
    )
    if len(cases) != len(case_ids):
        errors["cases"] = MESSAGES["case_not_in_commissions"].format(
            names=f"{len(case_ids) - len(cases)} 项"
        )

    if proposal:
        host = commissions[0].lead_department if commissions else None
    else:
        host = None
        if data.get("host_department"):
            host_id = _pks([data["host_department"]], "host_department")[0]
            host = Department.objects.select_related("region").filter(pk=host_id).first()
        if host is None:
            errors["host_department"] = MESSAGES["host_required"]
        elif not host.is_active:
            errors["host_department"] = MESSAGES["department_inactive"].format(name=host.name)
        elif not covers(actor, host.region):
            errors["host_department"] = MESSAGES["host_outside"].format(name=host.name)
    participants = _departments(_pks(data.get("participants"), "participants"), host, errors)
    problems = _problems(data.get("problems"), errors)
    if arranged:
        if starts_at is None:
            errors.setdefault("starts_at", MESSAGES["starts_at_required"])
        if not place:
            errors.setdefault("place", MESSAGES["place_required"])
        if not participants:
            errors.setdefault("participants", MESSAGES["participants_required"])
    _raise(errors)
    return {
        "kind": kind,
        "title": title,
        "place": place,
        "agenda": agenda,
        "starts_at": starts_at,
        "recurrence": recurrence,
        "host_department": host,
        "participants": participants,
        "commissions": commissions,
        "cases": cases,
        "problems": problems,
    }


def _problems(values, errors: dict) -> list[str]:
    rows = []
    for value in values or ():
        text = str(value or "").strip()
        if len(text) > TEXT_LIMIT:
            errors["problems"] = MESSAGES["text_too_long"].format(
                label="堵点卡点", limit=TEXT_LIMIT
            )
        elif text:
            rows.append(text)
    return rows


def _series(meeting: Meeting, *, restart: bool) -> None:
    if not meeting.recurrence:
        meeting.series_start, meeting.series_index = None, 0
    elif restart or meeting.series_start is None or meeting.series_index == 0:
        meeting.series_start, meeting.series_index = _day(meeting.starts_at), 0


def _event(meeting: Meeting, action: str, actor, *, before: str = "", note: str = "", item=None):
    event = MeetingEvent.objects.create(
        meeting=meeting,
        action_item=item,
        action=action,
        from_state=before,
        to_state=item.status if item is not None else meeting.state,
        actor=actor,
        note=note,
    )
    event_id = event.pk
    transaction.on_commit(lambda: notify.meeting_event_notify(event_id=event_id))
    return event


def _store(meeting: Meeting, fields: dict[str, Any]) -> None:
    for name in ("kind", "title", "place", "agenda", "starts_at", "recurrence"):
        setattr(meeting, name, fields[name])
    meeting.host_department = fields["host_department"]
    meeting.region_id = fields["host_department"].region_id


def _store_relations(meeting: Meeting, fields: dict[str, Any]) -> None:
    meeting.participants.set(fields["participants"])
    meeting.commissions.set(fields["commissions"])
    meeting.cases.set(fields["cases"])
    _store_problems(meeting, fields["problems"])


def _store_problems(meeting: Meeting, problems: list[str]) -> None:
    meeting.problems.all().delete()
    rows = MeetingProblem.objects.bulk_create(
        MeetingProblem(meeting=meeting, text=text, sort_order=index)
        for index, text in enumerate(problems)
    )
    audit_rows(rows, action="meeting.problems", created=True)


# --- meetings: services ------------------------------------------------------------------------


def meeting_create(*, actor, **fields: Any) -> Meeting:
    """A centre admin arranges a meeting (state scheduled). ``fields`` are
    :data:`MEETING_FIELDS`: kind, title, host department, time, place, participant
    departments, commissions and cases discussed, agenda, problems (text rows) and, for a
    联席会议, the recurrence."""
    if not may_organise(actor):
        raise ActionForbidden(MESSAGES["organise_only"])
    cleaned = _clean_meeting(actor, fields, proposal=False, arranged=True)
    with transaction.atomic():
        meeting = Meeting(state=lifecycle.SCHEDULED, created_by=actor)
        _store(meeting, cleaned)
        _series(meeting, restart=True)
        meeting.save()
        _store_relations(meeting, cleaned)
        _event(meeting, "create", actor)
    return meeting


def meeting_propose(*, actor, **fields: Any) -> Meeting:
    """An agent proposes a meeting for its commission(s) (state proposed); the host is the
    first commission's lead department, whose admin arranges it. Time, place and
    participants are optional (suggestions)."""
    if not may_propose(actor):
        raise ActionForbidden(MESSAGES["propose_only"])
    cleaned = _clean_meeting(actor, fields, proposal=True, arranged=False)
    with transaction.atomic():
        meeting = Meeting(state=lifecycle.PROPOSED, created_by=actor, proposed_by=actor)
        _store(meeting, cleaned)
        meeting.save()
        _store_relations(meeting, cleaned)
        _event(meeting, "propose", actor)
    return meeting


def _meeting_lock(meeting: Meeting, expected_version) -> Meeting:
    fresh = (
        Meeting.objects.select_for_update()
        .select_related("region", "host_department__region")
        .get(pk=meeting.pk)
    )
    _stale(expected_version, fresh, "stale_meeting")
    return fresh


def meeting_update(
    *, meeting: Meeting, actor, expected_version: int | None, **fields: Any
) -> Meeting:
    """The organiser corrects a proposed or scheduled meeting (every field of
    :data:`MEETING_FIELDS`; a scheduled one keeps a time, a place and participants)."""
    with transaction.atomic():
        fresh = _meeting_lock(meeting, expected_version)
        _check(lifecycle.MEETING, lifecycle.EDIT, fresh.state, actor, fresh)
        arranged = fresh.state == lifecycle.SCHEDULED
        cleaned = _clean_meeting(actor, fields, proposal=False, arranged=arranged)
        restart = cleaned["recurrence"] != fresh.recurrence
        _store(fresh, cleaned)
        _series(fresh, restart=restart)
        fresh.version += 1
        fresh.save()
        _store_relations(fresh, cleaned)
        _event(fresh, lifecycle.EDIT, actor, before=fresh.state)
    _copy(fresh, meeting)
    return fresh


def meeting_schedule(
    *,
    meeting: Meeting,
    actor,
    starts_at,
    place: str,
    participants: Iterable = (),
    expected_version: int | None,
) -> Meeting:
    """The organiser arranges a proposed meeting: time, place and (added to the proposed
    ones) participant departments."""
    with transaction.atomic():
        fresh = _meeting_lock(meeting, expected_version)
        _check(lifecycle.MEETING, lifecycle.SCHEDULE, fresh.state, actor, fresh)
        errors: dict[str, str] = {}
        if not isinstance(starts_at, dt.datetime):
            errors["starts_at"] = MESSAGES["starts_at_required"]
        place = _text(place, "place", "会议地点", PLACE_LIMIT, errors, required="place_required")
        ids = list(dict.fromkeys([*fresh.participants.values_list("pk", flat=True)]))
        added = _departments(_pks(participants, "participants"), fresh.host_department, errors)
        ids += [d.pk for d in added if d.pk not in ids]
        if not ids:
            errors.setdefault("participants", MESSAGES["participants_required"])
        _raise(errors)
        fresh.starts_at = (
            starts_at if timezone.is_aware(starts_at) else timezone.make_aware(starts_at)
        )
        fresh.place = place
        fresh.state = lifecycle.SCHEDULED
        _series(fresh, restart=True)
        fresh.version += 1
        fresh.save()
        fresh.participants.set(ids)
        _event(fresh, lifecycle.SCHEDULE, actor, before=lifecycle.PROPOSED)
    _copy(fresh, meeting)
    return fresh


def _decisions(fresh: Meeting, rows, meeting_day: dt.date, errors: dict) -> list[ActionItem]:
    allowed = {fresh.host_department_id, *fresh.participants.values_list("pk", flat=True)}
    owners = [row["owner_department"] for row in rows if row.get("owner_department")]
    departments = Department.objects.in_bulk(_pks(owners, "decisions"))
    calendar = None
    start = fresh.action_items.count()
    items: list[ActionItem] = []
    for index, row in enumerate(rows, start=1):
        text = str(row.get("text") or "").strip()
        if not text:
            errors["decisions"] = MESSAGES["decision_text_required"].format(index=index)
            continue
        if len(text) > TEXT_LIMIT:
            errors["decisions"] = MESSAGES["text_too_long"].format(
                label="议定事项", limit=TEXT_LIMIT
            )
            continue
        owner = (
            departments.get(int(_pk(row["owner_department"])))
            if row.get("owner_department")
            else None
        )
        if owner is None:
            errors["decisions"] = MESSAGES["decision_owner_required"].format(index=index)
            continue
        if owner.pk not in allowed:
            errors["decisions"] = MESSAGES["decision_owner_outside"].format(
                index=index, name=owner.name
            )
            continue
        due, provisional = row.get("due_date") or None, False
        if due is None:
            calendar = calendar or get_calendar()
            computed = add_working_days(calendar, meeting_day, DECISION_DEFAULT_DAYS)
            due, provisional = computed.date, computed.provisional
        elif not isinstance(due, dt.date) or due < meeting_day:
            errors["decisions"] = MESSAGES["decision_due_past"].format(index=index, day=meeting_day)
            continue
        items.append(
            ActionItem(
                meeting=fresh,
                text=text,
                owner_department=owner,
                due_date=due,
                due_provisional=provisional,
                sort_order=start + len(items),
            )
        )
    return items


def meeting_record_minutes(
    *,
    meeting: Meeting,
    actor,
    minutes: str,
    problems: Iterable[str] | None = None,
    decisions: Iterable[Mapping[str, Any]] = (),
    expected_version: int | None,
) -> Meeting:
    """The organiser records the minutes after the meeting: the minutes (required), the
    problems (replacing the listed ones when given) and new decisions (议定事项: text, owner
    department among the host and participants, due date — default
    :data:`DECISION_DEFAULT_DAYS` working days after the meeting). Recording again corrects
    the minutes and adds decisions."""
    decisions = list(decisions or ())
    with transaction.atomic():
        fresh = _meeting_lock(meeting, expected_version)
        before = fresh.state
        _check(lifecycle.MEETING, lifecycle.MINUTES, before, actor, fresh)
        errors: dict[str, str] = {}
        text = _text(
            minutes, "minutes", "会议纪要", LONG_LIMIT, errors, required="minutes_required"
        )
        meeting_day = _day(fresh.starts_at) or timezone.localdate()
        if meeting_day > timezone.localdate():
            errors["minutes"] = MESSAGES["minutes_before_meeting"].format(day=meeting_day)
        rows = _problems(problems, errors) if problems is not None else None
        items = _decisions(fresh, decisions, meeting_day, errors)
        _raise(errors)
        fresh.minutes = text
        fresh.minutes_recorded_at = timezone.now()
        fresh.state = lifecycle.HELD
        fresh.version += 1
        fresh.save()
        if rows is not None:
            _store_problems(fresh, rows)
        ActionItem.objects.bulk_create(items)
        audit_rows(items, action="meeting.minutes", created=True)
        note = HISTORY["decisions"].format(count=len(items)) if items else ""
        _event(fresh, lifecycle.MINUTES, actor, before=before, note=note)
    _copy(fresh, meeting)
    return fresh


def meeting_cancel(
    *, meeting: Meeting, actor, reason: str, expected_version: int | None
) -> Meeting:
    """The organiser cancels a proposed or scheduled meeting; the proposer withdraws its
    proposal."""
    with transaction.atomic():
        fresh = _meeting_lock(meeting, expected_version)
        before = fresh.state
        _check(lifecycle.MEETING, lifecycle.CANCEL, before, actor, fresh)
        errors: dict[str, str] = {}
        reason = _text(reason, "reason", "取消原因", 300, errors, required="cancel_reason_required")
        _raise(errors)
        fresh.state = lifecycle.CANCELLED
        fresh.cancel_reason = reason
        fresh.version += 1
        fresh.save()
        _event(fresh, lifecycle.CANCEL, actor, before=before, note=reason)
    _copy(fresh, meeting)
    return fresh


def meeting_next_start(meeting: Meeting, calendar=None) -> dt.datetime:
    """When the next meeting of the series falls: one period after this one in the series
    (counted from its first meeting), moved to the next working day, at the same time."""
    start = meeting.series_start or _day(meeting.starts_at)
    day = nth_date(start, meeting.recurrence, meeting.series_index + 1)
    day = add_working_days(calendar or get_calendar(), day, 0).date
    local = timezone.localtime(meeting.starts_at)
    return timezone.make_aware(dt.datetime.combine(day, local.time()))


def meeting_create_next(
    *, meeting: Meeting, actor, starts_at=None, expected_version: int | None
) -> Meeting:
    """Arrange the next meeting of a periodic series (联席会议): the same kind, title, host,
    place, agenda and participants, at ``starts_at`` or one period later (a non-working
    day moved to the next working day). Returns the new meeting."""
    with transaction.atomic():
        fresh = _meeting_lock(meeting, expected_version)
        _check(lifecycle.MEETING, lifecycle.NEXT, fresh.state, actor, fresh)
        if not fresh.recurrence:
            raise ValidationError(MESSAGES["not_periodic"])
        existing = Meeting.objects.filter(previous=fresh).first()
        if existing is not None:
            raise ValidationError(MESSAGES["next_exists"].format(title=existing.title))
        if starts_at in (None, ""):
            starts_at = meeting_next_start(fresh)
        elif not isinstance(starts_at, dt.datetime):
            raise ValidationError({"starts_at": MESSAGES["starts_at_required"]})
        elif timezone.is_naive(starts_at):
            starts_at = timezone.make_aware(starts_at)
        if starts_at <= fresh.starts_at:
            raise ValidationError({"starts_at": MESSAGES["next_before"]})
        following = Meeting.objects.create(
            kind=fresh.kind,
            title=fresh.title,
            state=lifecycle.SCHEDULED,
            region_id=fresh.region_id,
            host_department_id=fresh.host_department_id,
            starts_at=starts_at,
            place=fresh.place,
            agenda=fresh.agenda,
            recurrence=fresh.recurrence,
            series_start=fresh.series_start or _day(fresh.starts_at),
            series_index=fresh.series_index + 1,
            previous=fresh,
            created_by=actor,
        )
        following.participants.set(fresh.participants.all())
        fresh.version += 1
        fresh.save(update_fields=["version"])
        day = timezone.localdate(starts_at)
        _event(
            fresh, lifecycle.NEXT, actor, before=fresh.state, note=HISTORY["next"].format(day=day)
        )
        _event(
            following,
            "created_next",
            actor,
            note=HISTORY["created_next"].format(
                title=fresh.title, recurrence=fresh.get_recurrence_display()
            ),
        )
    _copy(fresh, meeting)
    return following


# --- action items (议定事项) ---------------------------------------------------------------------


def _item_lock(item: ActionItem, expected_version) -> ActionItem:
    fresh = (
        ActionItem.objects.select_for_update()
        .select_related("meeting__region", "owner_department")
        .get(pk=item.pk)
    )
    _stale(expected_version, fresh, "stale_item")
    return fresh


def action_item_complete(
    *, item: ActionItem, actor, note: str, expected_version: int | None
) -> ActionItem:
    """The owner department (or the organiser) marks a decision done, saying how."""
    with transaction.atomic():
        fresh = _item_lock(item, expected_version)
        _check(lifecycle.ACTION_ITEM, lifecycle.COMPLETE_ITEM, fresh.status, actor, fresh)
        errors: dict[str, str] = {}
        note = _text(note, "note", "完成情况", TEXT_LIMIT, errors, required="note_required")
        _raise(errors)
        fresh.status = lifecycle.DONE
        fresh.done_note, fresh.done_at, fresh.done_by = note, timezone.now(), actor
        fresh.version += 1
        fresh.save()
        _event(fresh.meeting, "item_done", actor, before=lifecycle.OPEN, note=note, item=fresh)
    _copy(fresh, item)
    return fresh


def action_item_reopen(
    *, item: ActionItem, actor, reason: str, expected_version: int | None
) -> ActionItem:
    """The organiser reopens a decision marked done too early, saying why."""
    with transaction.atomic():
        fresh = _item_lock(item, expected_version)
        _check(lifecycle.ACTION_ITEM, lifecycle.REOPEN, fresh.status, actor, fresh)
        errors: dict[str, str] = {}
        reason = _text(
            reason, "reason", "原因", TEXT_LIMIT, errors, required="reopen_reason_required"
        )
        _raise(errors)
        fresh.status = lifecycle.OPEN
        fresh.done_note, fresh.done_at, fresh.done_by = "", None, None
        fresh.version += 1
        fresh.save()
        _event(fresh.meeting, "item_reopen", actor, before=lifecycle.DONE, note=reason, item=fresh)
    _copy(fresh, item)
    return fresh


# --- errand task orders (专业跑腿任务单) --------------------------------------------------------


def _order_event(order: TaskOrder, action: str, actor, *, before: str = "", note: str = ""):
    event = TaskOrderEvent.objects.create(
        order=order, action=action, from_state=before, to_state=order.state, actor=actor, note=note
    )
    event_id = event.pk
    transaction.on_commit(lambda: notify.task_order_event_notify(event_id=event_id))
    return event


def _company(value, commission: Commission, errors: dict) -> Department | None:
    if value in (None, ""):
        errors["company"] = MESSAGES["company_required"]
        return None
    company = Department.objects.filter(pk=_pk(value)).first()
    if company is None:
        errors["company"] = MESSAGES["company_required"]
    elif company.kind != Department.Kind.ERRAND:
        errors["company"] = MESSAGES["company_not_errand"].format(name=company.name)
    elif company not in errand_companies_for(commission.project.region):
        errors["company"] = MESSAGES["company_outside"].format(name=company.name)
    return company


def _due(value, errors: dict) -> dt.date | None:
    if value in (None, ""):
        errors["due_date"] = MESSAGES["due_required"]
        return None
    if not isinstance(value, dt.date) or value < timezone.localdate():
        errors["due_date"] = MESSAGES["due_past"]
        return None
    return value


def _order_cases(commission: Commission, ids: list[int], errors: dict) -> list[Case]:
    if not ids:
        errors["cases"] = MESSAGES["cases_required"]
        return []
    cases = list(
        Case.objects.filter(pk__in=ids)
        .select_related("item")
        .annotate(busy=live_order_of_case())
        .order_by("baseline_start", "code")
    )
    if len(cases) != len(ids) or any(case.commission_id != commission.pk for case in cases):
        errors["cases"] = MESSAGES["case_other_commission"]
        return cases
    problems = [
        # the case's mode for its region (a 东胜区 bureau is 专业跑腿 for a 新区 project)
        ("case_not_errand", [c for c in cases if c.service_mode != ServiceMode.ERRAND]),
        ("case_closed", [c for c in cases if c.state not in case_lifecycle.OPEN_STATES]),
    ]
    for key, wrong in problems:
        if wrong:
            errors["cases"] = MESSAGES[key].format(names=_names(wrong))
            return cases
    taken = [case for case in cases if case.busy]
    if taken:
        other = (
            TaskOrder.objects.filter(cases__in=taken, state__in=lifecycle.LIVE_TASK_ORDER_STATES)
            .order_by("pk")
            .first()
        )
        errors["cases"] = MESSAGES["case_on_other_order"].format(
            number=other.number if other else "", names=_names(taken)
        )
    return cases


def task_order_issue(
    *,
    actor,
    commission: Commission,
    cases: Iterable,
    company,
    due_date,
    requirements: str = "",
) -> TaskOrder:
    """The investment-promotion bureau (or a centre admin) issues a task order to an errand
    company: open errand-mode cases of one commission, not named by another live order, a
    due date from today on and the requirements."""
    if not may_issue(actor):
        raise ActionForbidden(MESSAGES["issue_only"])
    with transaction.atomic():
        commission = commission_lock(commission, None)
        if not covers(actor, commission.project.region):
            raise ActionForbidden(MESSAGES["commission_outside"])
        if commission.state not in WORKING_STATES:
            raise ValidationError(
                MESSAGES["commission_closed"].format(
                    state=commission_lifecycle.STATE_LABELS.get(commission.state, commission.state)
                )
            )
        errors: dict[str, str] = {}
        chosen = _order_cases(commission, _pks(cases, "cases"), errors)
        found = _company(company, commission, errors)
        due = _due(due_date, errors)
        text = _text(requirements, "requirements", "办理要求", LONG_LIMIT, errors)
        _raise(errors)
        order = TaskOrder.objects.create(
            commission=commission,
            company=found,
            issuer_department_id=actor.department_id or commission.lead_department_id,
            issued_by=actor,
            requirements=text,
            due_date=due,
        )
        order.cases.set(chosen)
        _order_event(
            order,
            lifecycle.ISSUE,
            actor,
            note=HISTORY["issued"].format(company=found.name, due=due),
        )
    return order


def _order_lock(order: TaskOrder, expected_version) -> TaskOrder:
    fresh = (
        TaskOrder.objects.select_for_update()
        .select_related("commission__project__region", "company")
        .get(pk=order.pk)
    )
    _stale(expected_version, fresh, "stale_order")
    return fresh


def _named_cases(order: TaskOrder) -> list[Case]:
    return list(order.cases.select_related("item").order_by("baseline_start", "code"))


def _release(order: TaskOrder, cases: Iterable[Case]) -> None:
    """The company no longer runs these cases (only where it is the one running them)."""
    for case in cases:
        if case.errand_company_id == order.company_id:
            case_set_errand_company(case=case, company=None)


def task_order_accept(*, order: TaskOrder, actor, expected_version: int | None) -> TaskOrder:
    """The company's staff accept: the company becomes the agent side of every named case."""
    with transaction.atomic():
        fresh = _order_lock(order, expected_version)
        _check(lifecycle.TASK_ORDER, lifecycle.ACCEPT, fresh.state, actor, fresh)
        cases = _named_cases(fresh)
        taken = [c for c in cases if c.errand_company_id not in (None, fresh.company_id)]
        if taken:
            raise ValidationError(MESSAGES["case_other_company"].format(names=_names(taken)))
        for case in cases:
            case_set_errand_company(case=case, company=fresh.company)
        fresh.state = lifecycle.ACCEPTED
        fresh.accepted_by, fresh.accepted_at = actor, timezone.now()
        fresh.version += 1
        fresh.save()
        note = HISTORY["accepted"].format(names=_names(cases))
        _order_event(fresh, lifecycle.ACCEPT, actor, before=lifecycle.ISSUED, note=note)
    _copy(fresh, order)
    return fresh


def task_order_decline(
    *, order: TaskOrder, actor, reason: str, expected_version: int | None
) -> TaskOrder:
    """The company's staff decline, saying why; the issuer may reissue it."""
    with transaction.atomic():
        fresh = _order_lock(order, expected_version)
        _check(lifecycle.TASK_ORDER, lifecycle.DECLINE, fresh.state, actor, fresh)
        errors: dict[str, str] = {}
        reason = _text(
            reason, "reason", "退回原因", TEXT_LIMIT, errors, required="decline_reason_required"
        )
        _raise(errors)
        fresh.state = lifecycle.DECLINED
        fresh.decline_reason = reason
        fresh.version += 1
        fresh.save()
        _order_event(fresh, lifecycle.DECLINE, actor, before=lifecycle.ISSUED, note=reason)
    _copy(fresh, order)
    return fresh


def task_order_reissue(
    *,
    order: TaskOrder,
    actor,
    company=None,
    due_date=None,
    requirements: str | None = None,
    expected_version: int | None,
) -> TaskOrder:
    """The issuer issues a declined order again: to another company, with a new due date or
    requirements (each kept when not given; the due date must not have passed)."""
    with transaction.atomic():
        fresh = _order_lock(order, expected_version)
        _check(lifecycle.TASK_ORDER, lifecycle.REISSUE, fresh.state, actor, fresh)
        errors: dict[str, str] = {}
        commission = fresh.commission
        found = fresh.company if company in (None, "") else _company(company, commission, errors)
        due = _due(due_date if due_date not in (None, "") else fresh.due_date, errors)
        text = fresh.requirements
        if requirements is not None:
            text = _text(requirements, "requirements", "办理要求", LONG_LIMIT, errors)
        cases = _named_cases(fresh)
        closed = [c for c in cases if c.state not in case_lifecycle.OPEN_STATES]
        if closed:
            errors["cases"] = MESSAGES["case_closed"].format(names=_names(closed))
        _raise(errors)
        fresh.company, fresh.due_date, fresh.requirements = found, due, text
        fresh.state = lifecycle.ISSUED
        fresh.decline_reason = ""
        fresh.version += 1
        fresh.save()
        note = HISTORY["reissued"].format(company=found.name, due=due)
        _order_event(fresh, lifecycle.REISSUE, actor, before=lifecycle.DECLINED, note=note)
    _copy(fresh, order)
    return fresh


def task_order_complete(
    *, order: TaskOrder, actor, note: str = "", expected_version: int | None
) -> TaskOrder:
    """The company's staff complete the order. While a named case is still open they must
    say why (the order ends early); the company then stops running the open cases."""
    with transaction.atomic():
        fresh = _order_lock(order, expected_version)
        _check(lifecycle.TASK_ORDER, lifecycle.COMPLETE, fresh.state, actor, fresh)
        errors: dict[str, str] = {}
        note = _text(note, "note", "办理结果", LONG_LIMIT, errors)
        cases = _named_cases(fresh)
        still_open = [c for c in cases if c.state in case_lifecycle.OPEN_STATES]
        if still_open and not note:
            errors["note"] = MESSAGES["complete_open_cases"].format(names=_names(still_open))
        _raise(errors)
        _release(fresh, still_open)
        fresh.state = lifecycle.COMPLETED
        fresh.completion_note, fresh.completed_at = note, timezone.now()
        fresh.version += 1
        fresh.save()
        history = note
        if still_open:
            history = HISTORY["completed_open"].format(names=_names(still_open)) + " " + note
        _order_event(fresh, lifecycle.COMPLETE, actor, before=lifecycle.ACCEPTED, note=history)
    _copy(fresh, order)
    return fresh


def task_order_cancel(
    *, order: TaskOrder, actor, reason: str, expected_version: int | None
) -> TaskOrder:
    """The issuer cancels the order; the company no longer runs its cases."""
    with transaction.atomic():
        fresh = _order_lock(order, expected_version)
        before = fresh.state
        _check(lifecycle.TASK_ORDER, lifecycle.REVOKE, before, actor, fresh)
        errors: dict[str, str] = {}
        reason = _text(
            reason,
            "reason",
            "撤销原因",
            TEXT_LIMIT,
            errors,
            required="cancel_order_reason_required",
        )
        _raise(errors)
        _release(fresh, _named_cases(fresh))
        fresh.state = lifecycle.REVOKED
        fresh.cancel_reason = reason
        fresh.version += 1
        fresh.save()
        _order_event(fresh, lifecycle.REVOKE, actor, before=before, note=reason)
    _copy(fresh, order)
    return fresh
