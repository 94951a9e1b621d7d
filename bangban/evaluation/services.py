"""Writes of after service (SPEC §7): 好差评 ratings, the rectification a bad rating opens
(核实、整改、反馈) and follow-up visits (回访).

Every service is one transaction. The workflows' services lock the row
(``select_for_update``), refuse a stale ``version`` (:class:`StaleVersionError`, 409), ask the
table in :mod:`bangban.evaluation.lifecycle` (an illegal step is a ``ValidationError``) and
the parties in :mod:`bangban.evaluation.parties` (``ActionForbidden``), validate the input
(``ValidationError`` keyed by field, Chinese, nothing written), write the history row and
queue the notifications for after the commit. A rating locks its commission, so two
ratings of one commission are decided one after the other (the second is refused).

Due dates are counted on the working-day calendar (``workdays``): day 1 is the working day
after the event (completion, rating); the numbers of days come from the region's
:class:`~bangban.evaluation.models.AfterServicePolicy`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bangban.cases import lifecycle as case_lifecycle
from bangban.cases.models import Case
from bangban.common.checks import checked_text, raise_errors
from bangban.common.exceptions import ActionForbidden
from bangban.common.workflow import checked_row, copy_saved, refuse_stale
from bangban.projects import lifecycle as commission_lifecycle
from bangban.projects.models import Commission
from bangban.projects.services.transition import BACKFILL_AFTER, CLOCK_SKEW
from bangban.rules.workflow import Table, Transition
from bangban.workdays.selectors import due_date as working_due_date

from . import lifecycle, notify
from .models import (
    BAD_LEVELS,
    ONCE_SOURCES,
    FollowUpVisit,
    Level,
    Rating,
    Rectification,
    RectificationEvent,
    SampleDraw,
)
from .parties import is_enterprise_of, is_party, may_record_window_rating, may_schedule_visit
from .policy import policy_for, sample_draw
from .ratings_messages import HISTORY, MESSAGES

#: Commission states in which it may be rated and visited.
RATABLE_STATES = (commission_lifecycle.COMPLETED, commission_lifecycle.ARCHIVED)
COMMENT_LIMIT = 1000
LONG_LIMIT = 2000
CONTACT_LIMIT = 40
REASON_LIMIT = 300


# --- shared --------------------------------------------------------------------------------


def _pk(value) -> Any:
    return getattr(value, "pk", value)


def _text(value, field: str, label: str, limit: int, errors: dict, *, required: str = "") -> str:
    """The stripped text; too long, or empty when ``required`` names the message to give,
    is an error under ``field``."""
    message = MESSAGES[required] if required else ""
    return checked_text(value, field, label, limit, errors, required_message=message)


_raise = raise_errors


def _check(table: Table, action: str, state: str, actor, obj) -> Transition:
    return checked_row(table, action, state, actor, obj, is_party)


def _stale(expected_version, fresh, key: str) -> None:
    refuse_stale(expected_version, fresh.version, MESSAGES[key])


_copy = copy_saved


def _due(start: dt.date, days: int):
    """The due date ``days`` working days after ``start`` (with its provisional flag)."""
    return working_due_date(start, days)


def _said(
    value, field: str, errors: dict, *, not_before: dt.datetime | None, before_key: str
) -> tuple[dt.datetime, bool]:
    """(said time, back-filled) of a time the user gave (None or empty: now). A date counts
    as noon of that day (today: now). Refuses the future and times before ``not_before``."""
    now = timezone.now()
    if value in (None, ""):
        return now, False
    if isinstance(value, dt.datetime):
        said = value if timezone.is_aware(value) else timezone.make_aware(value)
    elif isinstance(value, dt.date):
        if value == timezone.localdate():
            return now, False
        said = timezone.make_aware(dt.datetime.combine(value, dt.time(12, 0)))
    else:
        errors[field] = MESSAGES["id_invalid"]
        return now, False
    if said > now + CLOCK_SKEW:
        errors[field] = MESSAGES[f"{field}_future"]
    elif not_before is not None and said < not_before - CLOCK_SKEW:
        errors[field] = MESSAGES[before_key].format(when=timezone.localtime(not_before))
    return said, now - said > BACKFILL_AFTER


# --- follow-up visits: scheduling ------------------------------------------------------------


def _visit_create(commission: Commission, *, reason: str, start: dt.date, days: int, **fields):
    due = _due(start, days)
    visit = FollowUpVisit.objects.create(
        commission=commission,
        reason=reason,
        due_date=due.date,
        due_provisional=due.provisional,
        **fields,
    )
    visit_id = visit.pk
    transaction.on_commit(lambda: notify.visit_scheduled_notify(visit_id=visit_id))
    return visit


def visit_schedule_on_completion(*, commission: Commission, actor=None) -> FollowUpVisit | None:
    """The hook ``projects.hooks.on_completed`` (inside the completion's transaction): draw
    whether the commission is sampled (:func:`~bangban.evaluation.policy.sample_draw`) and,
    when it is, schedule its visit ``follow_up_after_days`` working days after completion.
    Running it again for the same commission adds nothing."""
    policy = policy_for(commission.project.region)
    draw = sample_draw(
        seed=policy.sample_seed, share=policy.follow_up_share, commission_id=commission.pk
    )
    # every draw is kept, drawn or not (the first one: completing again draws nothing new)
    SampleDraw.objects.get_or_create(
        commission=commission,
        defaults={
            "seed": draw["seed"],
            "share": policy.follow_up_share,
            "value": draw["value"],
            "sampled": draw["sampled"],
        },
    )
    if not draw["sampled"]:
        return None
    reason = FollowUpVisit.Reason.SAMPLED
    if FollowUpVisit.objects.filter(commission=commission, reason=reason).exists():
        return None
    completed = commission.completed_at or timezone.now()
    return _visit_create(
        commission,
        reason=reason,
        start=timezone.localdate(completed),
        days=policy.follow_up_after_days,
        draw=draw,
    )


def visit_schedule(*, actor, commission: Commission, due_date) -> FollowUpVisit:
    """A centre admin or a supervisor schedules a visit of a completed commission by hand
    (reason manual), due on ``due_date`` (today or later); refused while the commission has
    a visit still to be made."""
    if not may_schedule_visit(actor, commission):
        raise ActionForbidden(MESSAGES["schedule_forbidden"])
    with transaction.atomic():
        fresh = (
            Commission.objects.select_for_update(of=("self",))
            .select_related("project__region")
            .get(pk=commission.pk)
        )
        errors: dict[str, str] = {}
        if fresh.state not in RATABLE_STATES:
            errors["commission"] = MESSAGES["schedule_not_completed"].format(
                state=commission_lifecycle.STATE_LABELS.get(fresh.state, fresh.state)
            )
        if not isinstance(due_date, dt.date) or isinstance(due_date, dt.datetime):
            errors["due_date"] = MESSAGES["due_required"]
        elif due_date < timezone.localdate():
            errors["due_date"] = MESSAGES["due_past"]
        _raise(errors)
        open_visit = (
            FollowUpVisit.objects.filter(commission=fresh, state=lifecycle.SCHEDULED)
            .order_by("due_date")
            .first()
        )
        if open_visit is not None:
            raise ValidationError(
                {"commission": MESSAGES["visit_open"].format(due=open_visit.due_date)}
            )
        visit = FollowUpVisit.objects.create(
            commission=fresh, reason=FollowUpVisit.Reason.MANUAL, due_date=due_date
        )
        visit_id = visit.pk
        transaction.on_commit(lambda: notify.visit_scheduled_notify(visit_id=visit_id))
    return visit


# --- ratings (好差评) ----------------------------------------------------------------------


def _level(value, errors: dict, *, required: bool = True) -> str:
    level = str(value or "")
    if level and level not in Level.values or required and not level:
        errors["level"] = MESSAGES["level_required"]
    return level


def _existing(commission: Commission, case: Case | None) -> Rating | None:
    return (
        Rating.objects.filter(
            commission=commission,
            case=case,
            source__in=ONCE_SOURCES,
        )
        .order_by("pk")
        .first()
    )


def _rated_message(existing: Rating, case: Case | None) -> str:
    day = timezone.localdate(existing.rated_at)
    level = existing.get_level_display()
    if case is not None:
        return MESSAGES["case_rated"].format(name=case.item.name, day=day, level=level)
    return MESSAGES["commission_rated"].format(day=day, level=level)


def _rating_case(commission: Commission, case, errors: dict) -> Case | None:
    if case in (None, ""):
        return None
    try:
        pk = int(_pk(case))
    except (TypeError, ValueError):
        errors["case"] = MESSAGES["case_unknown"]
        return None
    found = (
        Case.objects.select_related("item", "department")
        .filter(pk=pk, commission=commission)
        .first()
    )
    if found is None:
        errors["case"] = MESSAGES["case_unknown"]
    return found


def rating_create(
    *,
    actor,
    commission: Commission,
    level,
    comment: str = "",
    case=None,
    source: str | None = None,
    rated_at=None,
) -> Rating:
    """好差评 of a completed commission (``case`` empty) or of one of its completed cases.

    The enterprise's own users rate online (source ``portal``; ``rated_at`` is now); the
    commission's agent or a centre admin covering it records a rating given at the window or
    on the paper form (source ``window``, with the time it was given — earlier than now
    beyond ten minutes is marked 补录). The enterprise rates each commission and each case
    once, whichever the channel (a second attempt is refused, naming the first). A bad
    rating (不满意/非常不满意) opens a rectification and schedules its return visit, in the
    same transaction."""
    enterprise = is_enterprise_of(actor, commission)
    if not enterprise and not may_record_window_rating(actor, commission):
        key = "rate_forbidden" if getattr(actor, "role", "") == "enterprise" else "record_forbidden"
        raise ActionForbidden(MESSAGES[key])
    errors: dict[str, str] = {}
    if enterprise:
        source = Rating.Source.PORTAL
        rated_at = None
    elif source not in (None, "", Rating.Source.WINDOW):
        errors["source"] = MESSAGES["source_invalid"]
    level = _level(level, errors)
    comment = _text(comment, "comment", "评价意见", COMMENT_LIMIT, errors)
    _raise(errors)
    with transaction.atomic():
        fresh = (
            Commission.objects.select_for_update(of=("self",))
            .select_related("project__region", "lead_department", "agent")
            .get(pk=commission.pk)
        )
        found = _rating_case(fresh, case, errors)
        _raise(errors)
        if found is not None:
            if found.state != case_lifecycle.COMPLETED:
                raise ValidationError(
                    {
                        "case": MESSAGES["case_not_completed"].format(
                            name=found.item.name, state=found.get_state_display()
                        )
                    }
                )
            finished = found.actual_finish
            not_before = (
                timezone.make_aware(dt.datetime.combine(finished, dt.time.min))
                if finished
                else None
            )
        else:
            if fresh.state not in RATABLE_STATES:
                raise ValidationError(
                    MESSAGES["commission_not_completed"].format(
                        state=commission_lifecycle.STATE_LABELS.get(fresh.state, fresh.state)
                    ),
                    code="not_completed",
                )
            not_before = fresh.completed_at
        existing = _existing(fresh, found)
        if existing is not None:
            raise ValidationError(_rated_message(existing, found), code="rated")
        said, backfilled = _said(
            rated_at, "rated_at", errors, not_before=not_before, before_key="rated_at_before"
        )
        _raise(errors)
        rating = Rating(
            commission=fresh,
            case=found,
            department_id=found.department_id if found is not None else fresh.lead_department_id,
            level=level,
            comment=comment,
            source=source or Rating.Source.WINDOW,
            rated_by=actor,
            rated_at=said,
            recorded_at=timezone.now(),
            backfilled=backfilled,
        )
        rating.full_clean()
        rating.save()
        if rating.level in BAD_LEVELS:
            _rectification_open(rating, fresh, found, actor)
    return rating


# --- rectifications (差评整改) -------------------------------------------------------------


def _event(rect: Rectification, action: str, actor, *, before: str = "", note: str = ""):
    event = RectificationEvent.objects.create(
        rectification=rect,
        action=action,
        from_state=before,
        to_state=rect.state,
        actor=actor,
        note=note[:LONG_LIMIT],
    )
    event_id = event.pk
    transaction.on_commit(lambda: notify.rectification_event_notify(event_id=event_id))
    return event


def _rectification_open(rating: Rating, commission: Commission, case: Case | None, actor):
    """A bad rating: the rectification (responsible: the case's department, else the
    commission's lead department; the commission's agent), due ``rectification_days`` working
    days after today, and the return visit to the rater, due ``bad_rating_visit_days``
    working days after today."""
    policy = policy_for(commission.project.region)
    today = timezone.localdate()
    due = _due(today, policy.rectification_days)
    rect = Rectification.objects.create(
        rating=rating,
        commission=commission,
        department_id=rating.department_id,
        agent_id=commission.agent_id,
        due_date=due.date,
        due_provisional=due.provisional,
    )
    note = HISTORY["opened"].format(level=rating.get_level_display(), comment=rating.comment or "—")
    _event(rect, "open", actor, note=note)
    _visit_create(
        commission,
        reason=FollowUpVisit.Reason.BAD_RATING,
        start=today,
        days=policy.bad_rating_visit_days,
        rating=rating,
    )
    return rect


def _rect_lock(rect: Rectification, expected_version) -> Rectification:
    fresh = (
        Rectification.objects.select_for_update(of=("self",))
        .select_related("commission__project__region", "rating")
        .get(pk=rect.pk)
    )
    _stale(expected_version, fresh, "stale_rectification")
    return fresh


def _rect_step(rect, actor, action: str, expected_version, apply) -> Rectification:
    """Lock, check, let ``apply(fresh, errors)`` set the fields and return the history note."""
    with transaction.atomic():
        fresh = _rect_lock(rect, expected_version)
        before = fresh.state
        row = _check(lifecycle.RECTIFICATION, action, before, actor, fresh)
        errors: dict[str, str] = {}
        note = apply(fresh, errors)
        _raise(errors)
        fresh.state = row.target
        fresh.version += 1
        fresh.full_clean()
        fresh.save()
        _event(fresh, action, actor, before=before, note=note)
    _copy(fresh, rect)
    return fresh


def rectification_verify(
    *, rectification: Rectification, actor, verification: str, expected_version: int | None
) -> Rectification:
    """核实: the responsible party records what it found (required); the rectification moves
    on to 整改中."""

    def apply(fresh, errors):
        text = _text(
            verification,
            "verification",
            "核实情况",
            LONG_LIMIT,
            errors,
            required="verification_required",
        )
        fresh.verification, fresh.verified_at = text, timezone.now()
        return text

    return _rect_step(rectification, actor, lifecycle.VERIFY, expected_version, apply)


def rectification_answer(
    *,
    rectification: Rectification,
    actor,
    measures: str,
    answer: str,
    expected_version: int | None,
) -> Rectification:
    """整改、反馈: the measures taken and the answer given to the rater (both required); the
    enterprise is told the answer."""

    def apply(fresh, errors):
        fresh.measures = _text(
            measures, "measures", "整改措施", LONG_LIMIT, errors, required="measures_required"
        )
        fresh.answer = _text(
            answer, "answer", "反馈内容", LONG_LIMIT, errors, required="answer_required"
        )
        now = timezone.now()
        fresh.rectified_at = fresh.answered_at = now
        return fresh.answer

    return _rect_step(rectification, actor, lifecycle.ANSWER, expected_version, apply)


def rectification_close(
    *, rectification: Rectification, actor, note: str, expected_version: int | None
) -> Rectification:
    """办结 by a supervisor or a centre admin (e.g. the rater could not be reached for the
    return visit), saying why; a return visit recorded after the answer closes it by itself."""

    def apply(fresh, errors):
        text = _text(note, "note", "办结说明", LONG_LIMIT, errors, required="close_note_required")
        fresh.closed_at = timezone.now()
        return text

    return _rect_step(rectification, actor, lifecycle.CLOSE, expected_version, apply)


def rectification_reopen(
    *, rectification: Rectification, actor, reason: str, expected_version: int | None
) -> Rectification:
    """退回重新整改: the answer did not hold; back to 整改中 with the reason, and a new due
    date (``rectification_days`` working days from today)."""

    def apply(fresh, errors):
        text = _text(
            reason, "reason", "退回原因", LONG_LIMIT, errors, required="reopen_reason_required"
        )
        policy = policy_for(fresh.commission.project.region)
        due = _due(timezone.localdate(), policy.rectification_days)
        fresh.due_date, fresh.due_provisional = due.date, due.provisional
        fresh.answered_at = None
        return text

    return _rect_step(rectification, actor, lifecycle.REOPEN, expected_version, apply)


# --- follow-up visits: recording and cancelling ----------------------------------------------


def _visit_lock(visit: FollowUpVisit, expected_version) -> FollowUpVisit:
    fresh = (
        FollowUpVisit.objects.select_for_update(of=("self",))
        .select_related("commission__project__region", "commission__lead_department", "rating")
        .get(pk=visit.pk)
    )
    _stale(expected_version, fresh, "stale_visit")
    return fresh


def visit_record(
    *,
    visit: FollowUpVisit,
    actor,
    method: str,
    visited_at,
    contact: str,
    findings: str,
    level: str = "",
    comment: str = "",
    expected_version: int | None,
) -> FollowUpVisit:
    """记录回访: how (phone, on site, SMS), when (said; earlier than now beyond ten minutes is
    补录), whom, what was found, and — when the enterprise gave one — its satisfaction, kept as
    a rating of the commission (source visit; a bad one opens its own rectification). The
    return visit of a bad rating closes that rating's rectification once it was answered."""
    with transaction.atomic():
        fresh = _visit_lock(visit, expected_version)
        _check(lifecycle.VISIT, lifecycle.RECORD, fresh.state, actor, fresh)
        errors: dict[str, str] = {}
        if method not in FollowUpVisit.Method.values:
            errors["method"] = MESSAGES["method_required"]
        commission = fresh.commission
        if visited_at in (None, ""):
            errors["visited_at"] = MESSAGES["visited_at_required"]
            said, backfilled = timezone.now(), False
        else:
            said, backfilled = _said(
                visited_at,
                "visited_at",
                errors,
                not_before=commission.completed_at,
                before_key="visited_at_before",
            )
        contact = _text(
            contact, "contact", "受访人", CONTACT_LIMIT, errors, required="contact_required"
        )
        findings = _text(
            findings, "findings", "回访情况", LONG_LIMIT, errors, required="findings_required"
        )
        level = _level(level, errors, required=False)
        comment = _text(comment, "comment", "评价意见", COMMENT_LIMIT, errors)
        _raise(errors)
        now = timezone.now()
        fresh.state = lifecycle.DONE
        fresh.method, fresh.visitor, fresh.visited_at = method, actor, said
        fresh.recorded_at, fresh.backfilled = now, backfilled
        fresh.contact, fresh.findings = contact, findings
        fresh.version += 1
        fresh.full_clean()
        fresh.save()
        if level:
            rating = Rating(
                commission=commission,
                case=None,
                department_id=commission.lead_department_id,
                level=level,
                comment=comment,
                source=Rating.Source.VISIT,
                visit=fresh,
                rated_by=actor,
                rated_at=said,
                recorded_at=now,
                backfilled=backfilled,
            )
            rating.full_clean()
            rating.save()
            if rating.level in BAD_LEVELS:
                _rectification_open(rating, commission, None, actor)
        if fresh.rating_id is not None:
            _close_after_visit(fresh, actor)
    _copy(fresh, visit)
    return fresh


def _close_after_visit(visit: FollowUpVisit, actor) -> None:
    rect = (
        Rectification.objects.select_for_update(of=("self",))
        .filter(rating_id=visit.rating_id, state=lifecycle.ANSWERED)
        .first()
    )
    if rect is None:
        return
    rect.state = lifecycle.CLOSED
    rect.closed_at = timezone.now()
    rect.version += 1
    rect.save()
    note = HISTORY["visit_close"].format(
        method=visit.get_method_display(),
        when=timezone.localtime(visit.visited_at),
        findings=visit.findings,
    )
    _event(rect, "visit_close", actor, before=lifecycle.ANSWERED, note=note)


def visit_cancel(
    *, visit: FollowUpVisit, actor, reason: str, expected_version: int | None
) -> FollowUpVisit:
    """取消回访 (a centre admin or a supervisor), saying why."""
    with transaction.atomic():
        fresh = _visit_lock(visit, expected_version)
        _check(lifecycle.VISIT, lifecycle.CANCEL, fresh.state, actor, fresh)
        errors: dict[str, str] = {}
        reason = _text(
            reason, "reason", "取消原因", REASON_LIMIT, errors, required="cancel_reason_required"
        )
        _raise(errors)
        fresh.state = lifecycle.CANCELLED
        fresh.cancel_reason = reason
        fresh.version += 1
        fresh.save()
    _copy(fresh, visit)
    return fresh
