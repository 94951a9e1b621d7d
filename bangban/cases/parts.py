"""What the ledger adds to the commission's page and API detail (hooks of ``projects``,
registered in :class:`bangban.cases.apps.CasesConfig`)."""

from __future__ import annotations

from bangban.accounts.models import Role
from bangban.projects import hooks as commission_hooks

from . import lifecycle
from .api import case_row
from .progress import missing_materials, progress_line
from .selectors import commission_cases_for


def _scoped(user, commission) -> bool:
    """A department that does not lead the commission sees only its own cases."""
    return (
        user.role in (Role.DEPT_OFFICER, Role.DEPT_HELPER)
        and commission.lead_department_id != user.department_id
    )


def _visible_cases(user, commission):
    cases = commission_cases_for(user, commission)
    if _scoped(user, commission):
        cases = [case for case in cases if case.department_id == user.department_id]
    return cases


def cases_card(commission, user) -> commission_hooks.PagePart | None:
    cases = _visible_cases(user, commission)
    if not cases:
        return None
    for case in cases:
        case.progress = progress_line(case)
    closed = sum(case.state in lifecycle.CLOSED_STATES for case in cases)
    return commission_hooks.PagePart(
        "cases/_commission_cases_card.html",
        {"cases": cases, "closed": closed, "scoped": _scoped(user, commission)},
    )


def cases_detail(request, commission) -> list[dict] | None:
    cases = _visible_cases(request.user, commission)
    if not cases:
        return None
    rows = []
    for case in cases:
        row = case_row(case)
        row["progress"] = progress_line(case)
        row["missing"] = [m.name for m in missing_materials(case)]
        rows.append(row)
    return rows


def register() -> None:
    commission_hooks.page_part(cases_card)
    commission_hooks.detail_part("cases", cases_detail)
