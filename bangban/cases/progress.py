"""Each case's progress in plain Chinese, for the enterprise (SPEC §2 step 5, 办理进展反馈).

:func:`progress_line` reads only the case row and its prefetched materials, so a list of
cases costs no query per case.
"""

from __future__ import annotations

from . import lifecycle
from .models import Case, CaseMaterial


def _d(day) -> str:
    return f"{day:%Y-%m-%d}" if day else ""


def missing_materials(case: Case) -> list[CaseMaterial]:
    return [m for m in case.materials.all() if m.status == CaseMaterial.Status.MISSING]


def progress_line(case: Case) -> str:
    state = case.state
    department = case.department.name if case.department_id else "审批部门"
    if state == lifecycle.PLANNED:
        return f"尚未开始，计划 {_d(case.planned_start)} 开始准备材料。"
    if state == lifecycle.PREPARING:
        return f"正在准备申报材料，计划 {_d(case.planned_acceptance)} 前申报。"
    if state == lifecycle.SUBMITTED:
        return f"已于 {_d(case.submitted_on)} 向{department}申报，等待受理。"
    if state in (lifecycle.ACCEPTED, lifecycle.ACCEPTED_GAPS):
        text = f"{department}已于 {_d(case.accepted_on)} 受理，承诺 {_d(case.due_date)} 前办结。"
        missing = missing_materials(case)
        if missing:
            names = "、".join(m.name for m in missing)
            text += f"请在 {_d(case.supplement_due)} 前补交：{names}。"
        return text
    if state == lifecycle.SUSPENDED:
        return f"自 {_d(case.suspended_since)} 起中止计时（期间不计入办理时限），恢复后期限顺延。"
    if state == lifecycle.COMPLETED:
        outcome = "准予" if case.outcome == Case.Outcome.APPROVED else "不予"
        text = f"已于 {_d(case.actual_finish)} 办结（{outcome}），文号 {case.result_number}。"
        if case.handed_over_at:
            text += f"结果已移交（签收人 {case.handed_over_to}）。"
        return text
    if state == lifecycle.NOT_NEEDED:
        return "经核实不需办理。"
    if state == lifecycle.WITHDRAWN:
        return "已撤回。"
    return case.get_state_display()
