"""What the ledger tells a commission about its end (hooks of ``projects``, registered in
:class:`bangban.cases.apps.CasesConfig`):

- may it be completed? Every in-scope case closed (办结 approved or refused, 不需办理 or
  撤回) and every approved result handed over to the enterprise with its receipt recorded
  (结果移交): :func:`completion_blockers` says what is still missing, naming the items;
- its items as the completion and termination slips print them (:func:`item_outcomes`);
- terminating it closes its open cases as withdrawn (:func:`withdraw_on_termination`).
"""

from __future__ import annotations

from django.utils import timezone

from bangban.projects import hooks as commission_hooks
from bangban.projects.hooks import ItemOutcome

from . import lifecycle
from .messages import COMPLETION
from .models import Case
from .services import case_withdraw_for_termination


def _in_scope(commission) -> list[Case]:
    return list(
        Case.objects.filter(commission=commission, in_scope=True)
        .select_related("item", "department")
        .order_by("baseline_start", "code")
    )


def _names(cases: list[Case]) -> str:
    return "、".join(f"{case.item.name}（{case.get_state_display()}）" for case in cases)


def completion_blockers(commission) -> list[str]:
    cases = _in_scope(commission)
    if not cases:
        return [COMPLETION["no_cases"]]
    reasons = []
    still_open = [case for case in cases if case.state not in lifecycle.CLOSED_STATES]
    if still_open:
        reasons.append(COMPLETION["open"].format(n=len(still_open), names=_names(still_open)))
    not_handed = [
        case
        for case in cases
        if case.state == lifecycle.COMPLETED
        and case.outcome == Case.Outcome.APPROVED
        and case.handed_over_at is None
    ]
    if not_handed:
        names = "、".join(case.item.name for case in not_handed)
        reasons.append(COMPLETION["not_handed_over"].format(n=len(not_handed), names=names))
    if not still_open and not any(case.state == lifecycle.COMPLETED for case in cases):
        reasons.append(COMPLETION["nothing_done"])
    return reasons


def _state(case: Case) -> str:
    if case.state == lifecycle.COMPLETED:
        return ItemOutcome.DONE if case.outcome == Case.Outcome.APPROVED else ItemOutcome.REFUSED
    if case.state == lifecycle.WITHDRAWN:
        return ItemOutcome.WITHDRAWN
    if case.state == lifecycle.NOT_NEEDED:
        return ItemOutcome.NOT_NEEDED
    return ItemOutcome.PENDING


def item_outcomes(commission) -> list[ItemOutcome]:
    return [
        ItemOutcome(
            name=case.item.name,
            department=case.department.name if case.department_id else "",
            state=_state(case),
            outcome_label=case.get_outcome_display() if case.outcome else "",
            result_number=case.result_number,
            finished_on=case.actual_finish,
            handed_over_on=timezone.localdate(case.handed_over_at) if case.handed_over_at else None,
            handed_over_to=case.handed_over_to,
        )
        for case in _in_scope(commission)
    ]


def withdraw_on_termination(*, commission, actor, reason: str) -> None:
    case_withdraw_for_termination(commission=commission, actor=actor, reason=reason)


def register() -> None:
    commission_hooks.completion_blocker(completion_blockers)
    commission_hooks.item_outcomes(item_outcomes)
    commission_hooks.on_terminated(withdraw_on_termination)
