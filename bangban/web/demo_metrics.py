"""Demo records for the metrics pages (docs/supervision.md, 「Metrics」).

The metrics need no records of their own: they are computed from the demo ledger (cases
finished on time and late, overdue, suspended, their steps back-filled), the ratings and
visits of the after-service demo and the demo consultation. What the planner's accuracy
needs is an agent's correction of an automatic draft: the warehouse commission's agent adds
防雷装置设计审核 (the conditions do not select it: a solvent store on site) before the plan is
fixed, so 方案准确度 shows that rule as one to check.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from bangban.common.exceptions import ActionForbidden
from bangban.planning import services as plan_services
from bangban.planning.compute import plan_outcome_for
from bangban.planning.models import Plan

#: Items an agent may add to a draft that lacks them, in order of preference, with the reason.
ADDITIONS = (
    ("DS53", "厂区设易燃溶剂仓库，须做防雷装置设计审核（演示）"),
    ("DS14", "项目现场核实需办理此项（演示）"),
)


def demo_planner_adjustments(commission, agent) -> str:
    """Add the first item of :data:`ADDITIONS` the draft lacks; returns what was done ("" when
    nothing could be: the plan is not a draft, or holds them all)."""
    plan = Plan.objects.filter(commission=commission).first()
    if plan is None or not plan.is_draft:
        return ""
    codes = plan_outcome_for(plan).codes
    for code, reason in ADDITIONS:
        if code in codes:
            continue
        try:
            plan_services.plan_adjust(
                commission=commission, actor=agent, kind="add", code=code, reason=reason
            )
        except (ValidationError, ActionForbidden):
            continue
        commission.refresh_from_db()
        return f"演示方案调整：添加 {code}。"
    return ""
