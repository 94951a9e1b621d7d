"""The actions on a commission's plan, in one table.

Each row names an action the plan page posts to (``/commissions/{id}/plan/<slug>/``) and the
API offers (``POST /api/v1/commissions/{id}/plan/<slug>/``): its slug, the row of
``projects/lifecycle.py`` it performs (which roles, from which commission states), what the
API documentation says, when it is offered at all (``ready``: the plan's own state), the one
service it calls and what the user is told afterwards.

Readers: the plan page's buttons and its POST handler (``views.py``), the API's action
endpoints and its ``allowed_actions`` (``api.py``). :func:`plan_may` is the one answer to
"may this user take this action on this plan now": a role that only reads never acts
(``commission_can_act``), the lifecycle table allows the action in the commission's state for
the user's role, the user is the plan's owner (``services.plan_owner``: the commission's own
agent or a centre admin) and the plan is ready for it. The services check the table and the
owner again when they write, with their own invariants, and raise the precise message
(``ValidationError`` 400, ``ActionForbidden`` 403, ``StaleVersionError`` 409).

Inputs arrive as a plain mapping with the same keys from the page's forms and from the API's
serializers: ``version`` (the commission's), ``kind``, ``code`` and ``reason`` for
``adjust``, ``code`` and ``reason`` for ``not_needed`` and ``add_case`` (after fixing: an
item's case closed as not needed, a new item added as a case; both re-plan as of today). A case's own steps (start, submit, accept, …) are the ledger's actions
(``bangban.cases.actions``), on the case page and ``/api/v1/cases/{id}/``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bangban.common.exceptions import version_from
from bangban.projects import lifecycle
from bangban.projects.selectors import commission_can_act

from . import services
from .models import PlanAdjustment
from .selectors import CommissionPlan

Runner = Callable[[CommissionPlan, Any, int | None, Mapping[str, Any]], Any]


@dataclass(frozen=True)
class PlanAction:
    slug: str
    lifecycle: str  # the lifecycle action (the table decides roles and commission states)
    summary: str  # what the API documentation says
    run: Runner  # calls the one service; returns what it changed (the plan, or the case)
    done: Callable[[Any, Mapping[str, Any]], str]  # what the user is told afterwards
    ready: Callable[[CommissionPlan], bool]  # the plan's own precondition
    needs_plan: bool = True  # False: the action makes the plan (the API answers 404 otherwise)
    commission_version: bool = True  # False: ``version`` is the case's, and optional
    anchor: str = ""  # where on the plan page the user is taken back to


# --- the plan's preconditions ------------------------------------------------------------------


def _no_plan(found: CommissionPlan) -> bool:
    return found.plan is None


def _draft(found: CommissionPlan) -> bool:
    return found.plan is not None and found.plan.is_draft


def _fixed(found: CommissionPlan) -> bool:
    return found.is_fixed


# --- the service calls ---------------------------------------------------------------------


def _run_generate(found, user, version, data):
    return services.plan_generate(commission=found.commission, actor=user, expected_version=version)


def _run_adjust(found, user, version, data):
    return services.plan_adjust(
        commission=found.commission,
        actor=user,
        kind=data.get("kind", ""),
        code=data.get("code", ""),
        reason=data.get("reason", ""),
        expected_version=version,
    )


def _run_fix(found, user, version, data):
    return services.plan_fix(commission=found.commission, actor=user, expected_version=version)


def _run_replan(found, user, version, data):
    return services.plan_replan(commission=found.commission, actor=user, expected_version=version)


def _run_not_needed(found, user, version, data):
    return services.plan_case_not_needed(
        commission=found.commission,
        actor=user,
        code=data.get("code", ""),
        reason=data.get("reason", ""),
        expected_version=version,
    )


def _run_add_case(found, user, version, data):
    return services.plan_case_add(
        commission=found.commission,
        actor=user,
        code=data.get("code", ""),
        reason=data.get("reason", ""),
        expected_version=version,
    )


# --- what the user is told ---------------------------------------------------------------------


def _adjusted(plan, data: Mapping[str, Any]) -> str:
    if data.get("kind", "") == PlanAdjustment.Kind.ADD:
        return "已添加事项，方案已重新计算。"
    return "已移除事项，方案已重新计算。"


ACTIONS: tuple[PlanAction, ...] = (
    PlanAction(
        "generate",
        lifecycle.ADJUST_PLAN,
        "生成方案草案（签约时未能生成的）",
        _run_generate,
        lambda plan, data: "已生成代办帮办方案草案。",
        _no_plan,
        needs_plan=False,
    ),
    PlanAction(
        "adjust",
        lifecycle.ADJUST_PLAN,
        "调整方案：添加或移除事项（须说明理由），方案重新计算",
        _run_adjust,
        _adjusted,
        _draft,
    ),
    PlanAction(
        "fix",
        lifecycle.PLAN,
        "确定方案：每个事项生成一条办件，计划日期作为基准",
        _run_fix,
        lambda plan, data: "方案已确定，已按事项生成办件台账。",
        _draft,
    ),
    PlanAction(
        "replan",
        lifecycle.REPLAN,
        "按实际办理日期重新排期",
        _run_replan,
        lambda plan, data: "已按实际办理日期重新排期。",
        _fixed,
    ),
    PlanAction(
        "not_needed",
        lifecycle.REPLAN,
        "方案确定后将一个尚未申报的事项标为不需办理（须说明理由），方案按今日重新排期",
        _run_not_needed,
        lambda case, data: f"已将“{case.item.name}”标为不需办理，方案已按今日重新排期。",
        _fixed,
        anchor="#plan-items",
    ),
    PlanAction(
        "add_case",
        lifecycle.REPLAN,
        "方案确定后增加事项（事项清单中方案尚未包含的事项，须说明理由）：生成办件，方案按今日重新排期",
        _run_add_case,
        lambda case, data: f"已增加事项“{case.item.name}”并生成办件，方案已按今日重新排期。",
        _fixed,
        anchor="#plan-items",
    ),
)

BY_SLUG: dict[str, PlanAction] = {action.slug: action for action in ACTIONS}


def plan_may(user, found: CommissionPlan, slug: str) -> bool:
    """May ``user`` take the action ``slug`` on the plan of ``found`` now? (The one answer.)"""
    action = BY_SLUG.get(slug)
    commission = found.commission
    return (
        action is not None
        and commission_can_act(user)
        and lifecycle.is_allowed(action.lifecycle, commission.state, user.role)
        and services.plan_owner(commission, user)
        and action.ready(found)
    )


def plan_allowed_actions(user, found: CommissionPlan) -> list[str]:
    """The slugs ``user`` may take now, in table order (the API's ``allowed_actions``)."""
    return [action.slug for action in ACTIONS if plan_may(user, found, action.slug)]


def plan_action_run(slug: str, *, found: CommissionPlan, user, data: Mapping[str, Any]) -> str:
    """Take the action ``slug`` (a key of :data:`BY_SLUG`) with form or JSON ``data``; returns
    what to tell the user. Shared by the page and the API (both parse, this calls the one
    service, which refuses with ValidationError, ActionForbidden or StaleVersionError and
    writes nothing then)."""
    action = BY_SLUG[slug]
    changed = action.run(found, user, version_from(data.get("version")), data)
    return action.done(changed, data)
