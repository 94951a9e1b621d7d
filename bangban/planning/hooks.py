"""What planning registers with the commission's hooks (``bangban.projects.hooks``) and the
ledger's (``bangban.cases.hooks``)."""

from __future__ import annotations

from bangban.cases import hooks as case_hooks
from bangban.projects import hooks as commission_hooks
from bangban.projects import lifecycle

from .api import commission_plan_payload
from .models import Plan
from .selectors import commission_plan_for
from .services import plan_create, plan_reschedule_for_case


def _draft_at_agreement(*, commission) -> None:
    plan_create(commission=commission)


def _plan_detail(request, commission) -> dict | None:
    found = commission_plan_for(commission)
    return commission_plan_payload(request, found) if found.plan is not None else None


def _plan_card(commission, user) -> commission_hooks.PagePart | None:
    plan = Plan.objects.filter(commission=commission).first()
    if plan is None and commission.state != lifecycle.AGREED:
        return None
    return commission_hooks.PagePart("planning/_commission_plan_card.html", {"plan": plan})


def register() -> None:
    commission_hooks.on_agreed(_draft_at_agreement)
    commission_hooks.detail_part("plan", _plan_detail)
    commission_hooks.page_part(_plan_card)
    case_hooks.on_dates_changed(plan_reschedule_for_case)
