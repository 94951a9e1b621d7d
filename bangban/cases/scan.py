"""The deadline scan (SPEC §6 "Warnings", "容缺受理"): ``manage.py scan_deadlines`` and the
daily background job.

For every case whose clock runs and whose yellow date has come, it recomputes the clock and
raises the warning (yellow, red) to the agent and the case's department; a case overdue by
``escalate_after_days`` working days is escalated to a leader. For every 容缺 case it reminds
the enterprise and the agent ``supplement_reminder_days`` working days before the supplement
date and escalates once that date has passed. Each message and escalation carries a key made
of the case, the kind and the date it is about, so running the scan twice (or from two
workers) creates nothing twice; a new due date (after a suspension) is a new warning.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from bangban.accounts.models import User
from bangban.audit.services import audit_update
from bangban.notifications.services import notify
from bangban.rules.workdays import add_working_days, count_working_days
from bangban.workdays.selectors import get_calendar

from . import lifecycle
from .deadlines import case_clock, store_clock
from .escalations import escalation_raise_by_scan
from .models import Case, CaseMaterial, Escalation


@dataclass
class ScanReport:
    checked: int = 0
    yellow: int = 0
    red: int = 0
    escalated: int = 0
    reminded: int = 0
    supplement_escalated: int = 0
    notifications: int = 0
    keys: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"检查 {self.checked} 件：黄色预警 {self.yellow}，红色预警 {self.red}，"
            f"超期上报 {self.escalated}，容缺提醒 {self.reminded}，"
            f"容缺逾期上报 {self.supplement_escalated}；新消息 {self.notifications} 条。"
        )


def _title(case: Case) -> str:
    return f"{case.item.name}（{case.commission.project.name}）"


def _enterprise_users(case: Case) -> list[User]:
    return list(
        User.objects.filter(enterprise_id=case.commission.project.enterprise_id, is_active=True)
    )


def _send(report: ScanReport, key: str, subject: str, body: str, case: Case, users, departments):
    rows = notify(
        event_key=key,
        subject=subject,
        body=body,
        users=[user for user in users if user is not None],
        departments=[d for d in departments if d is not None],
        commission=case.commission,
    )
    report.notifications += len(rows)
    return rows


def _running(today: dt.date):
    return (
        Case.objects.filter(
            state__in=(lifecycle.ACCEPTED, lifecycle.ACCEPTED_GAPS), warn_from__lte=today
        )
        .select_related("item", "department", "commission__project__region", "commission__agent")
        .prefetch_related("suspensions")
        .order_by("id")
    )


def _warn(case: Case, cal, today: dt.date, report: ScanReport) -> None:
    clock = case_clock(case, cal, today)
    if clock is None or clock.colour == "green":
        return
    if clock.due != case.due_date:  # the calendar changed since the last step
        store_clock(case, cal, today)
        audit_update(
            Case.objects.filter(pk=case.pk),
            action="case.clock",
            due_date=case.due_date,
            warn_from=case.warn_from,
            clock_provisional=case.clock_provisional,
        )
    due = f"{clock.due:%Y-%m-%d}"
    yellow = clock.colour == "yellow"
    sent = _send(
        report,
        f"case:{case.pk}:warn:{clock.colour}:{due}",
        f"{'黄色预警' if yellow else '红色预警（超期）'}：{_title(case)}",
        f"承诺 {due} 前办结，"
        + (
            f"剩余 {clock.remaining} 个工作日。"
            if yellow
            else f"已超期 {clock.overdue_days} 个工作日。"
        ),
        case,
        [case.commission.agent],
        [case.department],
    )
    if yellow:
        report.yellow += bool(sent)
        return
    report.red += bool(sent)
    if clock.overdue_days >= int(settings.BANGBAN_LEDGER["escalate_after_days"]):
        escalation = escalation_raise_by_scan(
            case=case,
            kind=Escalation.Kind.OVERDUE,
            problem=(
                f"{_title(case)} 由{case.department or '审批部门'}办理，承诺 {due} 前办结，"
                f"已超期 {clock.overdue_days} 个工作日，请协调督办。"
            ),
            key=f"case:{case.pk}:overdue:{due}",
        )
        report.escalated += escalation is not None


def _supplements(cal, today: dt.date, report: ScanReport) -> None:
    ahead = int(settings.BANGBAN_LEDGER["supplement_reminder_days"])
    horizon = add_working_days(cal, today, ahead).date
    cases = (
        Case.objects.filter(
            state=lifecycle.ACCEPTED_GAPS,
            supplement_due__isnull=False,
            supplement_due__lte=horizon,
        )
        .select_related("item", "department", "commission__project__region", "commission__agent")
        .prefetch_related("materials")
        .order_by("id")
    )
    for case in cases:
        report.checked += 1
        due = case.supplement_due
        missing = [m.name for m in case.materials.all() if m.status == CaseMaterial.Status.MISSING]
        names = "、".join(missing)
        if due >= today:
            left = count_working_days(cal, today, due).days
            if _send(
                report,
                f"case:{case.pk}:supplement:remind:{due:%Y-%m-%d}",
                f"容缺材料补正提醒：{_title(case)}",
                f"请在 {due:%Y-%m-%d} 前补交：{names}（还有 {left} 个工作日）。",
                case,
                [case.commission.agent, *_enterprise_users(case)],
                [],
            ):
                report.reminded += 1
            continue
        escalation = escalation_raise_by_scan(
            case=case,
            kind=Escalation.Kind.SUPPLEMENT,
            problem=(
                f"{_title(case)} 容缺受理后应于 {due:%Y-%m-%d} 前补交 {names}，至今未补齐，请协调。"
            ),
            key=f"case:{case.pk}:supplement:{due:%Y-%m-%d}",
        )
        if escalation is not None:
            report.supplement_escalated += 1
            _send(
                report,
                f"case:{case.pk}:supplement:overdue:{due:%Y-%m-%d}",
                f"容缺材料逾期未补：{_title(case)}",
                f"应于 {due:%Y-%m-%d} 前补交：{names}，已上报领导协调。",
                case,
                [case.commission.agent],
                [case.department],
            )


#: Scans of the apps above the ledger, registered from their ``AppConfig.ready()`` (the ledger
#: does not import them): each is called with ``today`` and returns how many messages it
#: queued; like the ledger's own, each message carries a dedupe key, so a rerun sends nothing.
_extra_scans: list[Callable[..., int]] = []


def on_scan(handler: Callable[..., int]) -> Callable[..., int]:
    if handler not in _extra_scans:
        _extra_scans.append(handler)
    return handler


def scan_deadlines(*, today: dt.date | None = None) -> ScanReport:
    """Raise what is due; idempotent (see the module docstring)."""
    today = today or timezone.localdate()
    cal = get_calendar()
    report = ScanReport()
    for case in _running(today):  # each message and escalation is its own transaction
        report.checked += 1
        _warn(case, cal, today, report)
    _supplements(cal, today, report)
    for handler in _extra_scans:
        report.notifications += handler(today=today)
    return report
