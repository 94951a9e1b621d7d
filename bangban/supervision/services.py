"""Writes of supervision's reports: the monthly report prepared (a snapshot of its figures)
and reviewed, and the evaluation schemes loaded from their data file.

The monthly report's workflow is one small table, :data:`REPORT_ACTIONS`: who may take each
action in which state. It feeds the page's buttons, the page's POST handler, the API's
action endpoints and :func:`report_may` — one answer everywhere. The services check it again
inside their transaction, lock the row and refuse a stale ``version`` (409).

| action | who | when |
|---|---|---|
| prepare (生成报表 / 重新生成) | centre admin, supervisor of the region or above | the month is over; no report yet, or a report not yet reviewed |
| review (审核) | supervisor of the region or above | the report is 待审核 |
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from bangban.accounts.models import Role, User
from bangban.common.exceptions import ActionForbidden, StaleVersionError
from bangban.notifications.services import notify
from bangban.organization.models import Region

from .metrics import Period
from .models import EVALUATION_COMPONENTS, EvaluationScheme, MonthlyReport
from .reports import SYSTEM, due_date_of, month_label, monthly_figures, previous_month

PREPARE, REVIEW = "prepare", "review"
NO_REPORT = None  # the "state" of a month without a stored report
REVIEW_NOTE_LIMIT = 500

MESSAGES = {
    "prepare_forbidden": "只有中心管理员和督查人员可以生成月报。",
    "review_forbidden": "只有督查人员可以审核月报。",
    "region_forbidden": "不能为本辖区以外的区划生成或审核月报。",
    "month_running": "{month}尚未结束，结束后才能生成月报（可先查看实时数据）。",
    "already_reviewed": "{month}的月报已审核，不能重新生成。",
    "not_prepared": "{month}的月报尚未生成，不能审核。",
    "not_pending": "该月报已审核。",
    "stale": "该月报已被他人修改（重新生成或审核），请刷新后重试。",
    "note_too_long": f"审核意见不能超过 {REVIEW_NOTE_LIMIT} 字。",
}


@dataclass(frozen=True)
class ReportAction:
    slug: str
    label: str
    roles: frozenset[str]
    states: tuple[str | None, ...]  # report states it applies in (None: no report yet)
    forbidden: str
    done: str


REPORT_ACTIONS: dict[str, ReportAction] = {
    PREPARE: ReportAction(
        PREPARE,
        "生成月报",
        frozenset({Role.CENTRE_ADMIN, Role.SUPERVISOR}),
        (NO_REPORT, MonthlyReport.State.PREPARED),
        MESSAGES["prepare_forbidden"],
        "已生成{month}月报（待审核），报送期限 {due:%Y年%-m月%-d日}。",
    ),
    REVIEW: ReportAction(
        REVIEW,
        "审核",
        frozenset({Role.SUPERVISOR}),
        (MonthlyReport.State.PREPARED,),
        MESSAGES["review_forbidden"],
        "已审核{month}月报。",
    ),
}


def _in_subtree(user, region: Region) -> bool:
    return bool(user.region_id and region.path.startswith(user.region.path))


def _party(user, action: ReportAction, region: Region) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.role in action.roles
        and _in_subtree(user, region)
    )


def report_may(
    user,
    slug: str,
    *,
    region: Region,
    period: Period,
    report: MonthlyReport | None,
    today: dt.date | None = None,
) -> bool:
    """May ``user`` take ``slug`` on the report of ``region`` for ``period`` now?"""
    action = REPORT_ACTIONS.get(slug)
    if action is None or region is None or not _party(user, action, region):
        return False
    if not period.is_over(today):
        return False
    state = report.state if report is not None else NO_REPORT
    return state in action.states


def report_allowed_actions(user, *, region, period, report, today=None) -> list[ReportAction]:
    return [
        action
        for slug, action in REPORT_ACTIONS.items()
        if report_may(user, slug, region=region, period=period, report=report, today=today)
    ]


def _stale(expected_version, fresh: MonthlyReport) -> None:
    if expected_version is not None and int(expected_version) != fresh.version:
        raise StaleVersionError(MESSAGES["stale"])


def monthly_report_prepare(
    *,
    region: Region,
    period: Period,
    actor=None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> MonthlyReport:
    """Prepare (or prepare again) the report of ``region`` for the month ``period``: its
    figures computed now for the region's subtree and stored as the snapshot, state 待审核,
    due the 15th of the next month. ``actor`` None is the background job. A reviewed report is
    never overwritten; a report changed since the caller read it (``expected_version``) is a
    409."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    action = REPORT_ACTIONS[PREPARE]
    month = month_label(period)
    if actor is not None:
        if not (actor.is_authenticated and actor.role in action.roles):
            raise ActionForbidden(action.forbidden)
        if not _in_subtree(actor, region):
            raise ActionForbidden(MESSAGES["region_forbidden"])
    if period.kind != "month":
        raise ValidationError({"month": "月报按自然月生成。"})
    if not period.is_over(today):
        raise ValidationError({"month": MESSAGES["month_running"].format(month=month)})
    # The region's own supervisors' view (the job reads as the system, narrowed to the region).
    figures = monthly_figures(SYSTEM, period, region=region, now=now)
    try:
        with transaction.atomic():
            fresh = (
                MonthlyReport.objects.select_for_update(of=("self",))
                .filter(region=region, month=period.start)
                .first()
            )
            if fresh is None:
                if expected_version is not None:
                    raise StaleVersionError(MESSAGES["stale"])
                report = MonthlyReport(
                    region=region,
                    month=period.start,
                    due_date=due_date_of(period.start),
                    figures=figures,
                    prepared_at=now,
                    prepared_by=actor,
                )
                # the one-report-per-month constraint is the database's: a report another
                # request committed meanwhile is an IntegrityError below (409), not a 400 from
                # full_clean's own look-up racing it
                report.full_clean(validate_constraints=False)
                report.save()
                return report
            if expected_version is None and actor is not None:
                # the caller saw no report: another prepared it meanwhile
                raise StaleVersionError(MESSAGES["stale"])
            _stale(expected_version, fresh)
            if fresh.state == MonthlyReport.State.REVIEWED:
                raise ValidationError({"month": MESSAGES["already_reviewed"].format(month=month)})
            fresh.figures = figures
            fresh.prepared_at, fresh.prepared_by = now, actor
            fresh.version += 1
            fresh.save()
            return fresh
    except IntegrityError:  # another prepared the same month at the same time
        raise StaleVersionError(MESSAGES["stale"]) from None


def monthly_report_review(
    *,
    report: MonthlyReport,
    actor,
    expected_version: int | None,
    note: str = "",
    now: dt.datetime | None = None,
) -> MonthlyReport:
    """A supervisor of the report's region (or above) reviews a 待审核 report: 已审核, with
    who, when and an optional note. The figures stay as they were prepared."""
    action = REPORT_ACTIONS[REVIEW]
    now = now or timezone.now()
    note = (note or "").strip()
    with transaction.atomic():
        fresh = (
            MonthlyReport.objects.select_for_update(of=("self",))
            .select_related("region")
            .get(pk=report.pk)
        )
        _stale(expected_version, fresh)
        if not (actor is not None and actor.is_authenticated and actor.role in action.roles):
            raise ActionForbidden(action.forbidden)
        if not _in_subtree(actor, fresh.region):
            raise ActionForbidden(MESSAGES["region_forbidden"])
        if fresh.state != MonthlyReport.State.PREPARED:
            raise ValidationError({"state": MESSAGES["not_pending"]})
        if len(note) > REVIEW_NOTE_LIMIT:
            raise ValidationError({"note": MESSAGES["note_too_long"]})
        fresh.state = MonthlyReport.State.REVIEWED
        fresh.reviewed_at, fresh.reviewed_by, fresh.review_note = now, actor, note
        fresh.version += 1
        fresh.save()
    for name in ("state", "reviewed_at", "reviewed_by_id", "review_note", "version"):
        setattr(report, name, getattr(fresh, name))
    return fresh


def report_action_run(
    slug: str,
    *,
    user,
    region: Region,
    period: Period,
    report: MonthlyReport | None,
    expected_version: int | None,
    note: str = "",
) -> tuple[MonthlyReport, str]:
    """Run ``slug`` for the page's POST handler and the API; (report, what the user is told).
    A slug the table does not know is a ``KeyError`` (the callers answer 404)."""
    action = REPORT_ACTIONS[slug]
    month = month_label(period)
    if slug == PREPARE:
        done = monthly_report_prepare(
            region=region, period=period, actor=user, expected_version=expected_version
        )
    else:
        if report is None:
            raise ValidationError({"month": MESSAGES["not_prepared"].format(month=month)})
        done = monthly_report_review(
            report=report, actor=user, expected_version=expected_version, note=note
        )
    return done, action.done.format(month=month, due=done.due_date)


# --- the background job ----------------------------------------------------------------------


def regions_with_supervisors() -> list[Region]:
    ids = (
        User.objects.filter(role=Role.SUPERVISOR, is_active=True, region__isnull=False)
        .values_list("region_id", flat=True)
        .distinct()
    )
    return list(Region.objects.filter(pk__in=list(ids)).order_by("path"))


def monthly_reports_prepare_due(*, today: dt.date | None = None) -> dict[str, int]:
    """The job of the 1st: last month's report of each region that has supervisors, prepared
    for review (before the 15th). A region whose report exists already is left as it is."""
    today = today or timezone.localdate()
    period = previous_month(today)
    created = kept = 0
    for region in regions_with_supervisors():
        if MonthlyReport.objects.filter(region=region, month=period.start).exists():
            kept += 1
            continue
        try:
            report = monthly_report_prepare(region=region, period=period)
        except StaleVersionError:  # prepared by someone meanwhile
            kept += 1
            continue
        created += 1
        monthly_report_tell_reviewers(report)
    return {"created": created, "kept": kept}


def monthly_report_tell_reviewers(report: MonthlyReport) -> None:
    """The region's supervisors learn (in-app, once) that a report waits for their review."""
    month = f"{report.month.year}年{report.month.month}月"
    notify(
        event_key=f"monthly-report:{report.pk}:prepared",
        subject=f"{report.region.name}{month}月报已生成，请于 {report.due_date:%Y-%m-%d} 前审核",
        body=f"后台任务已生成{month}代办帮办工作月报（待审核），审核后即可报送。",
        users=User.objects.filter(role=Role.SUPERVISOR, is_active=True, region=report.region),
    )


# --- the evaluation schemes (data/supervision/evaluation_schemes.yaml) -------------------------


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def evaluation_schemes_load(
    rows: list[Mapping[str, Any]], *, overwrite: bool = False
) -> tuple[int, int]:
    """Write the schemes of the data file: (created, updated). A scheme already held (year,
    track) is kept as an administrator left it unless ``overwrite``. A bad row refuses the
    whole file (Chinese messages), nothing written."""
    errors: list[str] = []
    clean: list[dict[str, Any]] = []
    for number, raw in enumerate(rows, start=1):
        where = f"第 {number} 个考核方案"
        if not isinstance(raw, Mapping):
            errors.append(f"{where}：格式错误。")
            continue
        values = {
            "year": raw.get("year"),
            "track": str(raw.get("track") or ""),
            "weights": raw.get("weights") or {},
            "pass_mark": raw.get("pass_mark", 70),
            "complaint_deduction": _decimal(raw.get("complaint_deduction", "0.25")),
            "partial_complaint_deduction": _decimal(
                raw.get("partial_complaint_deduction", "0.125")
            ),
            "note": str(raw.get("note") or "")[:300],
        }
        if raw.get("estimate"):
            values["note"] = (values["note"] + "（分值为估计值）")[:300]
        scheme = EvaluationScheme(**values)
        try:
            scheme.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                label = {
                    "year": "年度",
                    "track": "考核类别",
                    "weights": "各项分值",
                    "pass_mark": "合格分数线",
                    "complaint_deduction": "属实投诉扣减比例",
                    "partial_complaint_deduction": "部分属实投诉扣减比例",
                }.get(field, field)
                errors.extend(f"{where}（{label}）：{text}" for text in messages)
            continue
        clean.append(values)
    if errors:
        raise ValidationError(errors)
    created = updated = 0
    with transaction.atomic():
        for values in clean:
            key = {"year": values.pop("year"), "track": values.pop("track")}
            values["weights"] = {
                k: values["weights"][k] for k in EVALUATION_COMPONENTS if k in values["weights"]
            }
            if overwrite:
                _, was_created = EvaluationScheme.objects.update_or_create(**key, defaults=values)
                updated += 0 if was_created else 1
            else:
                _, was_created = EvaluationScheme.objects.get_or_create(**key, defaults=values)
            created += 1 if was_created else 0
    return created, updated
