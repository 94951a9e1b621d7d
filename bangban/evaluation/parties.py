"""Who is the party of a side of the after-service tables, and who may rate (the one answer,
read by the action tables, the pages and the services).

* responsible: the rectification's agent, or an officer or helper of its department.
* centre: a centre admin whose region covers the commission's project.
* supervisor: a supervisor whose region covers the commission's project.
* agent: the commission's agent, for a sampled or manual visit (the return visit of a bad
  rating goes to someone other than the agent rated).

Rating: the enterprise's own users rate online (source portal); the commission's agent or a
centre admin covering it records a rating given at the window or on the paper form (source
window); a rating given at a visit is recorded with the visit.
"""

from __future__ import annotations

from bangban.accounts.models import Role

from . import lifecycle
from .models import FollowUpVisit

DEPARTMENT_ROLES = (Role.DEPT_OFFICER, Role.DEPT_HELPER)


def active(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def covers(user, region) -> bool:
    """Does ``user``'s region contain ``region`` (itself included)?"""
    return bool(user.region_id) and region is not None and region.path.startswith(user.region.path)


def _region_of(obj):
    commission = getattr(obj, "commission", obj)
    return commission.project.region


def is_enterprise_of(user, commission) -> bool:
    return (
        active(user)
        and user.role == Role.ENTERPRISE
        and user.enterprise_id is not None
        and user.enterprise_id == commission.project.enterprise_id
    )


def may_record_window_rating(user, commission) -> bool:
    """Staff who record a rating given at the window or on paper: the commission's agent or a
    centre admin whose region covers it."""
    if not active(user):
        return False
    if user.role == Role.AGENT:
        return commission.agent_id == user.pk
    return user.role == Role.CENTRE_ADMIN and covers(user, commission.project.region)


def may_schedule_visit(user, commission) -> bool:
    """A centre admin or a supervisor covering the commission schedules a visit by hand."""
    return (
        active(user)
        and user.role in (Role.CENTRE_ADMIN, Role.SUPERVISOR)
        and covers(user, commission.project.region)
    )


def is_party(side: str, user, obj) -> bool:
    """Is ``user`` the party of ``side`` for ``obj`` (a rectification or a visit with its
    commission's project and region loaded)?"""
    if not active(user):
        return False
    if side == lifecycle.RESPONSIBLE:
        if obj.agent_id is not None and obj.agent_id == user.pk:
            return True
        return (
            user.role in DEPARTMENT_ROLES
            and obj.department_id is not None
            and user.department_id == obj.department_id
        )
    if side == lifecycle.CENTRE:
        return user.role == Role.CENTRE_ADMIN and covers(user, _region_of(obj))
    if side == lifecycle.SUPERVISOR:
        return user.role == Role.SUPERVISOR and covers(user, _region_of(obj))
    if side == lifecycle.AGENT:
        return (
            user.role == Role.AGENT
            and obj.commission.agent_id == user.pk
            and obj.reason != FollowUpVisit.Reason.BAD_RATING
        )
    return False
