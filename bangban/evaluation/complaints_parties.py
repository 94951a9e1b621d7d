"""Who may do what with complaints and accountability records (the one answer, read by the
action table, the services, the pages and the API).

* registers a complaint (:func:`may_register`): a centre admin or a supervisor (any channel),
  an agent at the window (channel 窗口 only: 首问负责, the Dongsheng seed's first-asked
  responsibility — whoever a complainant first speaks to takes the complaint in);
* coordinator (交办、核查、办结): a centre admin or a supervisor whose region covers the
  complaint's region;
* handler (核查、办结): the user the complaint was handed to — a centre admin or a supervisor
  covering the complaint's region, never the person complained about;
* creates an accountability record (:func:`may_create_record`): a supervisor (督查, SPEC §1:
  "metrics, reports, assessment, accountability"); a substantiated complaint creates its own
  record whoever concludes it;
* a leader reads only.
"""

from __future__ import annotations

from bangban.accounts.models import Role

from . import complaints_lifecycle as lifecycle

#: Roles that register, hand over and conclude complaints in their region.
COORDINATOR_ROLES = (Role.CENTRE_ADMIN, Role.SUPERVISOR)
#: Roles a complaint may be about (the people who serve enterprises; Ordos: 代办帮办员).
SUBJECT_ROLES = (Role.AGENT, Role.DEPT_HELPER, Role.DEPT_OFFICER, Role.ERRAND)


def _active(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def covers(user, region) -> bool:
    """Does ``user``'s region contain ``region`` (itself included)?"""
    return bool(user.region_id) and region.path.startswith(user.region.path)


def is_coordinator(user, complaint=None) -> bool:
    if not _active(user) or user.role not in COORDINATOR_ROLES or not user.region_id:
        return False
    return complaint is None or covers(user, complaint.region)


def may_register(user, channel: str | None = None) -> bool:
    """May ``user`` register a complaint (received through ``channel``, when given)?"""
    if not _active(user) or not user.region_id:
        return False
    if user.role in COORDINATOR_ROLES:
        return True
    if user.role == Role.AGENT:
        return channel is None or channel == "window"
    return False


def may_create_record(user) -> bool:
    return _active(user) and user.role == Role.SUPERVISOR and bool(user.region_id)


def is_party(side: str, user, complaint) -> bool:
    if not _active(user):
        return False
    if side == lifecycle.COORDINATOR:
        return is_coordinator(user, complaint)
    if side == lifecycle.HANDLER:
        return complaint.handler_id is not None and complaint.handler_id == user.pk
    return False
