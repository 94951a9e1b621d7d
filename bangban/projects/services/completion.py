"""Completion and archive (SPEC §7): the completion slip (办结单) and the enterprise's
confirmation (online, or signed on paper and recorded by staff with its scan), the originals returned (返还原件) and the archive (归档).

Ordos: 「委托代办事项经投资者确认后办结……终止及办结的代办项目，代办服务机构应及时归档，并将
涉及项目的有关资料及时交还投资者」; Baotou: 「及时反馈办理结果、归档返还材料」.

Whether every item is done is the ledger's to say (``hooks.completion_blockers``, registered
by ``cases``): completing asks it inside the transaction, with the commission locked, and
refuses with its reasons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bangban.accounts.models import Role
from bangban.audit.services import audit_rows
from bangban.documents.attachments import attachment_store
from bangban.rules import uploads

from .. import hooks, lifecycle
from ..exceptions import ActionForbidden
from ..messages import COMPLETION_SCAN_PURPOSE, ERRORS, HISTORY
from ..models import Commission, ReturnedOriginal
from .transition import commission_check_allowed, commission_lock, commission_transition, copy_into

COMMENT_LIMIT = 500
#: The longest name of the enterprise's signer of a paper slip.
SIGNER_LIMIT = 40


def commission_complete(
    *, commission: Commission, actor, expected_version: int | None = None
) -> Commission:
    """办结: every in-scope item closed and every approved result handed over → completed
    (the completion slip can be printed; the enterprise is asked to confirm it)."""
    with transaction.atomic():
        fresh = commission_lock(commission, expected_version)
        commission_check_allowed(lifecycle.COMPLETE, fresh, actor)
        if fresh.agent_id is None:
            raise ValidationError(ERRORS["complete_without_agent"])
        blockers = hooks.completion_blockers(fresh)
        if blockers:
            raise ValidationError(blockers, code="not_ready")
        result = commission_transition(
            commission=fresh,
            action=lifecycle.COMPLETE,
            actor=actor,
            reason=HISTORY["completed"],
            expected_version=fresh.version,
        )
        hooks.run_completed(result, actor=actor)  # after service schedules its visit
    copy_into(commission, result)
    return commission


def commission_confirm_completion(
    *, commission: Commission, user, comment: str = "", expected_version: int | None = None
) -> Commission:
    """The enterprise confirms the completion slip online (确认办结), with an optional comment."""
    comment = (comment or "").strip()
    if len(comment) > COMMENT_LIMIT:
        raise ValidationError({"comment": ERRORS["comment_too_long"].format(limit=COMMENT_LIMIT)})
    with transaction.atomic():
        fresh = commission_lock(commission, expected_version)
        commission_check_allowed(lifecycle.CONFIRM_COMPLETION, fresh, user)
        if user.role != Role.ENTERPRISE or fresh.project.enterprise_id != user.enterprise_id:
            raise ActionForbidden(ERRORS["not_own_completion"])
        if fresh.completion_confirmed_at is not None:
            raise ValidationError(ERRORS["completion_already_confirmed"])
        reason = HISTORY["completion_confirmed"] + (
            HISTORY["completion_comment"].format(comment=comment) if comment else ""
        )
        result = commission_transition(
            commission=fresh,
            action=lifecycle.CONFIRM_COMPLETION,
            actor=user,
            reason=reason,
            expected_version=fresh.version,
            changes={
                "completion_confirmed_at": timezone.now(),
                "completion_confirmed_by": user,
                "completion_comment": comment,
            },
        )
    copy_into(commission, result)
    return commission


def _paper_errors(fresh: Commission, *, upload, signed_on, signed_by: str) -> dict[str, str]:
    """The field errors of a paper confirmation (file, signed date, signer), all at once."""
    errors = {}
    if upload is None:
        errors["scan"] = ERRORS["completion_scan_missing"]
    else:
        problem = uploads.check_upload(upload, kinds=uploads.SCAN_KINDS)
        if problem:
            errors["scan"] = problem
    completed_on = timezone.localdate(fresh.completed_at) if fresh.completed_at else None
    if not isinstance(signed_on, dt.date) or isinstance(signed_on, dt.datetime):
        errors["signed_on"] = ERRORS["completion_signed_on_missing"]
    elif signed_on > timezone.localdate():
        errors["signed_on"] = ERRORS["completion_signed_on_future"]
    elif completed_on is not None and signed_on < completed_on:
        errors["signed_on"] = ERRORS["completion_signed_on_before_completion"].format(
            completed_on=f"{completed_on:%Y-%m-%d}"
        )
    if not signed_by:
        errors["signed_by"] = ERRORS["completion_signed_by_missing"]
    elif len(signed_by) > SIGNER_LIMIT:
        errors["signed_by"] = ERRORS["completion_signed_by_too_long"].format(limit=SIGNER_LIMIT)
    return errors


def _signed_at(fresh: Commission, signed_on: dt.date) -> dt.datetime | None:
    """The said time of a paper confirmation: now when signed today (not back-filled), else
    noon of the day signed (never before the completion), which the history marks 补录."""
    if signed_on == timezone.localdate():
        return None
    said = timezone.make_aware(dt.datetime.combine(signed_on, dt.time(12, 0)))
    return max(said, fresh.completed_at) if fresh.completed_at else said


def commission_record_completion_scan(
    *,
    commission: Commission,
    actor,
    upload,
    signed_on: dt.date | None,
    signed_by: str,
    expected_version: int | None = None,
) -> Commission:
    """The enterprise signed the completion slip on paper (at the window): staff record the
    scan (PDF/JPEG/PNG by content, ≤ 10 MB, through the attachment service), the day it was
    signed and who signed; the confirmation counts as the online one does (archive allowed,
    online confirmation no longer offered). The enterprise is told."""
    signed_by = " ".join(str(signed_by or "").split())
    with transaction.atomic():
        fresh = commission_lock(commission, expected_version)
        commission_check_allowed(lifecycle.RECORD_COMPLETION_SCAN, fresh, actor)
        if fresh.completion_confirmed_at is not None:
            raise ValidationError(ERRORS["completion_already_confirmed"])
        errors = _paper_errors(fresh, upload=upload, signed_on=signed_on, signed_by=signed_by)
        if errors:
            raise ValidationError(errors)
        scan = attachment_store(
            upload=upload,
            uploaded_by=actor,
            purpose=COMPLETION_SCAN_PURPOSE,
            field="scan",
            kinds=uploads.SCAN_KINDS,
        )
        result = commission_transition(
            commission=fresh,
            action=lifecycle.RECORD_COMPLETION_SCAN,
            actor=actor,
            reason=HISTORY["completion_paper"].format(
                signer=signed_by, signed_on=signed_on, filename=scan.name
            ),
            expected_version=fresh.version,
            occurred_at=_signed_at(fresh, signed_on),
            changes={
                "completion_confirmed_at": timezone.now(),
                "completion_confirmed_by": actor,
                "completion_comment": "",
                "completion_signed_by": signed_by,
                "completion_signed_on": signed_on,
                "completion_scan": scan,
            },
        )
    copy_into(commission, result)
    return commission


def _original(raw: Mapping[str, Any], *, commission: Commission, actor) -> ReturnedOriginal:
    """One returned original from its cleaned values, validated (not saved)."""
    name = str(raw.get("name") or "").strip()
    received_by = str(raw.get("received_by") or "").strip()
    returned_on = raw.get("returned_on")
    copies = raw.get("copies") or 1
    errors = {}
    if not name:
        errors["name"] = ERRORS["original_name_missing"]
    if not received_by:
        errors["received_by"] = ERRORS["original_receiver_missing"]
    if not isinstance(returned_on, dt.date):
        errors["returned_on"] = ERRORS["original_date_missing"]
    elif returned_on > timezone.localdate():
        errors["returned_on"] = ERRORS["original_date_future"]
    elif returned_on < timezone.localdate(commission.applied_at):
        errors["returned_on"] = ERRORS["original_date_before_application"]
    if errors:
        raise ValidationError(errors)
    row = ReturnedOriginal(
        commission=commission,
        name=name[:200],
        copies=int(copies),
        returned_on=returned_on,
        received_by=received_by[:40],
        recorded_by=actor,
    )
    row.full_clean()
    return row


def _record_originals(fresh: Commission, actor, originals: Iterable[Mapping[str, Any]]) -> None:
    rows = [_original(raw, commission=fresh, actor=actor) for raw in originals]
    if not rows:
        return
    ReturnedOriginal.objects.bulk_create(rows)
    audit_rows(rows, action="commission.originals", created=True)
    commission_transition(
        commission=fresh,
        action=lifecycle.RECORD_ORIGINALS,
        actor=actor,
        reason=HISTORY["originals_returned"].format(lines="；".join(row.line for row in rows)),
        expected_version=fresh.version,
    )


def commission_record_originals(
    *,
    commission: Commission,
    actor,
    originals: Iterable[Mapping[str, Any]],
    expected_version: int | None = None,
) -> Commission:
    """Record originals returned to the enterprise (name, copies, returned on, received by);
    staff, until the commission is archived."""
    originals = list(originals)
    with transaction.atomic():
        fresh = commission_lock(commission, expected_version)
        commission_check_allowed(lifecycle.RECORD_ORIGINALS, fresh, actor)
        if not originals:
            raise ValidationError({"name": ERRORS["original_name_missing"]})
        _record_originals(fresh, actor, originals)
    copy_into(commission, fresh)
    return commission


def commission_archive(
    *,
    commission: Commission,
    actor,
    originals: Iterable[Mapping[str, Any]] = (),
    expected_version: int | None = None,
) -> Commission:
    """归档: a completed (and confirmed by the enterprise), terminated or refused commission is
    archived; originals returned at the same time are recorded first."""
    originals = list(originals)
    with transaction.atomic():
        fresh = commission_lock(commission, expected_version)
        commission_check_allowed(lifecycle.ARCHIVE, fresh, actor)
        if fresh.state == lifecycle.COMPLETED and fresh.completion_confirmed_at is None:
            raise ValidationError(ERRORS["archive_unconfirmed"])
        _record_originals(fresh, actor, originals)
        count = fresh.returned_originals.count()
        result = commission_transition(
            commission=fresh,
            action=lifecycle.ARCHIVE,
            actor=actor,
            reason=HISTORY["archived"].format(count=count)
            if count
            else HISTORY["archived_no_originals"],
            expected_version=fresh.version,
        )
    copy_into(commission, result)
    return commission
