"""Who is the party of a side of the coordination tables (the one answer, read by the action
tables and the services).

* organiser: a centre admin whose region covers the meeting's region.
* proposer: the agent who proposed the meeting.
* owner: an officer or helper of the action item's owner department.
* company: a user with the errand role working for the task order's company.
* issuer: who issued the task order; an issuer (:func:`may_issue`) of the same bureau; a
  centre admin whose region covers the project.
"""

from __future__ import annotations

from bangban.accounts.models import Role
from bangban.organization.models import Department

from . import lifecycle


def _active(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def covers(user, region) -> bool:
    """Does ``user``'s region contain ``region`` (itself included)?"""
    return bool(user.region_id) and region.path.startswith(user.region.path)


def is_organiser(user, meeting) -> bool:
    return user.role == Role.CENTRE_ADMIN and covers(user, meeting.region)


def may_issue(user) -> bool:
    """A centre admin, or a sponsor of an investment-promotion bureau (投资促进), issues task
    orders (seed 003: 经济发展招商服务局 issues them to the errand company)."""
    if not _active(user):
        return False
    if user.role == Role.CENTRE_ADMIN:
        return True
    return (
        user.role == Role.SPONSOR
        and user.department_id is not None
        and user.department.function == Department.Function.INVESTMENT_PROMOTION
    )


def may_organise(user) -> bool:
    return _active(user) and user.role == Role.CENTRE_ADMIN


def may_propose(user) -> bool:
    return _active(user) and user.role == Role.AGENT


def is_issuer(user, order) -> bool:
    if order.issued_by_id == user.pk:
        return True
    if not may_issue(user) or not covers(user, order.commission.project.region):
        return False
    return user.role == Role.CENTRE_ADMIN or user.department_id == order.issuer_department_id


def is_party(side: str, user, obj) -> bool:
    """Is ``user`` the party of ``side`` for ``obj`` (a meeting, an action item with its
    meeting loaded, or a task order with its commission's project and region loaded)?"""
    if not _active(user):
        return False
    if side == lifecycle.ORGANISER:
        meeting = getattr(obj, "meeting", obj)
        return is_organiser(user, meeting)
    if side == lifecycle.PROPOSER:
        return obj.proposed_by_id is not None and obj.proposed_by_id == user.pk
    if side == lifecycle.OWNER:
        return (
            user.role in (Role.DEPT_OFFICER, Role.DEPT_HELPER)
            and user.department_id is not None
            and user.department_id == obj.owner_department_id
        )
    if side == lifecycle.COMPANY:
        return user.role == Role.ERRAND and user.department_id == obj.company_id
    if side == lifecycle.ISSUER:
        return is_issuer(user, obj)
    return False
