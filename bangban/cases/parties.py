"""Who is the party of a side of the case table (SPEC §1, §8): the one answer, read by the
action table, the services and the selectors' scoping.

* agent side: the commission's agent; the centre admin of the project's region; the errand
  company's staff when the case runs on their accepted task order (``errand_company``), for
  the legwork only (``lifecycle.ERRAND_ACTIONS``: not 不需办理 or 撤回).
* department side: the officer of the case's department.
* helper side: the officer or the department helper (部门帮办员) of the case's department.
"""

from __future__ import annotations

from bangban.accounts.models import Role

from . import lifecycle


def _in_region(user, commission) -> bool:
    region = commission.project.region
    return bool(user.region_id) and region.path.startswith(user.region.path)


def is_agent_side(user, case, commission, action: str | None = None) -> bool:
    if user.role == Role.AGENT:
        return commission.agent_id is not None and commission.agent_id == user.pk
    if user.role == Role.CENTRE_ADMIN:
        return _in_region(user, commission)
    if user.role == Role.ERRAND:
        return (
            case.errand_company_id is not None
            and case.errand_company_id == user.department_id
            and (action is None or action in lifecycle.ERRAND_ACTIONS)
        )
    return False


def is_department_side(user, case) -> bool:
    return (
        user.role == Role.DEPT_OFFICER
        and case.department_id is not None
        and case.department_id == user.department_id
    )


def is_helper_side(user, case) -> bool:
    return (
        user.role in (Role.DEPT_OFFICER, Role.DEPT_HELPER)
        and case.department_id is not None
        and case.department_id == user.department_id
    )


def is_party(side: str, user, case, commission, action: str | None = None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if side == lifecycle.AGENT_SIDE:
        return is_agent_side(user, case, commission, action)
    if side == lifecycle.DEPARTMENT_SIDE:
        return is_department_side(user, case)
    if side == lifecycle.HELPER_SIDE:
        return is_helper_side(user, case)
    return False
