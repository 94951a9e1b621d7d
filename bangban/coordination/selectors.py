"""Reads of coordination, scoped in ONE function per workflow (SPEC §8).

| role | meetings it sees (:func:`meeting_scope`) | task orders it sees (:func:`task_order_scope`) |
|---|---|---|
| centre admin, supervisor, leader | those of its region subtree | those of projects in its region subtree |
| agent | those it proposed, those about its commissions, those its department hosts or joins | those of the commissions it sees |
| department officer / helper | those its department hosts or joins, or owns a decision of | none |
| sponsor | none | investment-promotion bureau: its region subtree's; else those of the commissions it sees |
| errand company staff | none | its company's only |
| enterprise, anyone else | none | none |

Another party's object is simply not in the queryset, so views answer 404. Lists carry the
decisions' counts (open, overdue) as annotations, select and prefetch their relations and
run a constant number of queries whatever their length.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models import Case as When_
from django.utils import timezone

from bangban.accounts.models import Role
from bangban.cases import lifecycle as case_lifecycle
from bangban.cases.models import Case
from bangban.cases.services import WORKING_STATES
from bangban.catalog.models import ServiceMode
from bangban.common import scoping
from bangban.common.ids import as_id
from bangban.organization.models import Department, Region
from bangban.organization.selectors import region_ancestors
from bangban.projects import lifecycle as commission_lifecycle
from bangban.projects.models import Commission
from bangban.projects.selectors import NOTHING, commission_list_for, commission_scope

from . import lifecycle
from .models import ActionItem, Meeting, MeetingEvent, TaskOrder, TaskOrderEvent
from .parties import may_issue

REGION_READERS = (Role.CENTRE_ADMIN, Role.SUPERVISOR, Role.LEADER)


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _region_q(user, field: str) -> Q:
    return Q(**{f"{field}__path__startswith": user.region.path}) if user.region_id else NOTHING


# --- meetings --------------------------------------------------------------------------------


def _department_meetings(department_id: int) -> Q:
    joined = Meeting.participants.through.objects.filter(department_id=department_id)
    return Q(host_department_id=department_id) | Q(pk__in=joined.values("meeting_id"))


def meeting_scope(user) -> Q:
    """The filter of the meetings ``user`` may see (the one answer)."""
    if not _active(user):
        return NOTHING
    if user.is_superuser and not user.region_id:
        return Q()
    role, department = user.role, user.department_id
    if role in REGION_READERS:
        return _region_q(user, "region")
    if role == Role.AGENT:
        about_mine = Meeting.commissions.through.objects.filter(commission__agent=user)
        scope = Q(proposed_by=user) | Q(pk__in=about_mine.values("meeting_id"))
        return scope | _department_meetings(department) if department else scope
    if role in (Role.DEPT_OFFICER, Role.DEPT_HELPER) and department:
        owned = ActionItem.objects.filter(owner_department_id=department)
        return _department_meetings(department) | Q(pk__in=owned.values("meeting_id"))
    return NOTHING


def overdue_annotation(today: dt.date):
    """True for an open decision whose due date has passed (red like an overdue case)."""
    return When_(
        When(status=lifecycle.OPEN, due_date__lt=today, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def meeting_list_for(user, *, today: dt.date | None = None) -> QuerySet[Meeting]:
    today = today or timezone.localdate()
    open_items = Q(action_items__status=lifecycle.OPEN)
    return (
        Meeting.objects.filter(meeting_scope(user))
        .select_related("host_department", "region", "proposed_by")
        .prefetch_related(
            "participants",
            Prefetch("commissions", queryset=Commission.objects.select_related("project")),
        )
        .annotate(
            open_items=Count("action_items", filter=open_items),
            overdue_items=Count(
                "action_items", filter=open_items & Q(action_items__due_date__lt=today)
            ),
        )
        .order_by(F("starts_at").desc(nulls_first=True), "-id")
    )


def meeting_filter(queryset: QuerySet[Meeting], params) -> QuerySet[Meeting]:
    """The list's filters: kind, state, commission, overdue (has overdue decisions). Unknown
    values are ignored (the form shows the choices)."""
    kind = params.get("kind") or ""
    if kind in Meeting.Kind.values:
        queryset = queryset.filter(kind=kind)
    state = params.get("state") or ""
    if state in Meeting.State.values:
        queryset = queryset.filter(state=state)
    commission = as_id(params.get("commission"))
    if commission:
        about = Meeting.commissions.through.objects.filter(commission_id=commission)
        queryset = queryset.filter(pk__in=about.values("meeting_id"))
    if params.get("overdue") in ("1", "true"):
        queryset = queryset.filter(overdue_items__gt=0)
    return queryset


def meeting_get_for(user, pk, *, today: dt.date | None = None) -> Meeting | None:
    """One meeting with everything its page and its API detail show, or None."""
    pk = as_id(pk)
    if pk is None:
        return None
    today = today or timezone.localdate()
    return (
        meeting_list_for(user, today=today)
        .select_related("previous", "next_meeting", "created_by")
        .prefetch_related(
            "problems",
            Prefetch(
                "action_items",
                queryset=ActionItem.objects.select_related("owner_department", "done_by").annotate(
                    overdue=overdue_annotation(today)
                ),
            ),
            Prefetch(
                "cases",
                queryset=Case.objects.select_related("item", "department", "commission").order_by(
                    "commission_id", "baseline_start", "code"
                ),
            ),
            Prefetch("events", queryset=MeetingEvent.objects.select_related("actor")),
        )
        .filter(pk=pk)
        .first()
    )


def action_item_list_for(user, *, today: dt.date | None = None) -> QuerySet[ActionItem]:
    """The decisions of the meetings ``user`` sees, open first, by due date."""
    today = today or timezone.localdate()
    meetings = Meeting.objects.filter(meeting_scope(user)).values("pk")
    return (
        ActionItem.objects.filter(meeting__in=meetings)
        .select_related("meeting", "meeting__region", "owner_department", "done_by")
        .annotate(overdue=overdue_annotation(today))
        .order_by("-status", "due_date", "id")  # "open" sorts after "done": descending
    )


def action_item_filter(queryset: QuerySet[ActionItem], params, user) -> QuerySet[ActionItem]:
    """status (open, done), overdue, mine (owned by the user's department)."""
    status = params.get("status") or ""
    if status in ActionItem.Status.values:
        queryset = queryset.filter(status=status)
    if params.get("overdue") in ("1", "true"):
        queryset = queryset.filter(overdue=True)
    if params.get("mine") in ("1", "true"):
        queryset = queryset.filter(owner_department_id=user.department_id)
    return queryset


def action_item_get_for(user, pk) -> ActionItem | None:
    pk = as_id(pk)
    if pk is None:
        return None
    return action_item_list_for(user).filter(pk=pk).first()


# --- what a meeting form offers ---------------------------------------------------------------


def meeting_department_choices(user) -> QuerySet[Department]:
    """Active departments of the user's region subtree and of the regions above it."""
    if not user.region_id:
        return Department.objects.none()
    above = [region.pk for region in region_ancestors(user.region)]
    return (
        Department.objects.filter(is_active=True)
        .filter(Q(region__path__startswith=user.region.path) | Q(region_id__in=above))
        .select_related("region")
        .order_by("region__path", "name")
    )


def meeting_commission_choices(user) -> QuerySet[Commission]:
    """The commissions still being worked on that the user may put on a meeting's agenda: an
    agent its own, an admin those it sees."""
    queryset = commission_list_for(user).filter(state__in=commission_lifecycle.OPEN_STATES)
    if user.role == Role.AGENT:
        queryset = queryset.filter(agent=user)
    return queryset


def meeting_case_choices(commission_ids) -> QuerySet[Case]:
    """The cases of the chosen commissions (already scoped by the caller)."""
    return (
        Case.objects.filter(commission_id__in=list(commission_ids))
        .select_related("item", "commission", "commission__project")
        .order_by("commission_id", "baseline_start", "code")
    )


# --- task orders -----------------------------------------------------------------------------


def task_order_scope(user) -> Q:
    """The filter of the task orders ``user`` may see (the one answer)."""
    if not _active(user):
        return NOTHING
    if user.is_superuser and not user.region_id:
        return Q()
    role = user.role
    if role == Role.ERRAND:
        return Q(company_id=user.department_id) if user.department_id else NOTHING
    if role in REGION_READERS or (role == Role.SPONSOR and may_issue(user)):
        return _region_q(user, "commission__project__region")
    if role in (Role.AGENT, Role.SPONSOR):
        return Q(commission__in=Commission.objects.filter(commission_scope(user)).values("pk"))
    return NOTHING


def task_order_list_for(user) -> QuerySet[TaskOrder]:
    return (
        TaskOrder.objects.filter(task_order_scope(user))
        .select_related(
            "commission",
            "commission__project",
            "commission__project__enterprise",
            "commission__project__region",
            "company",
            "issuer_department",
            "issued_by",
        )
        .prefetch_related(
            Prefetch(
                "cases",
                queryset=Case.objects.select_related("item", "department").order_by(
                    "baseline_start", "code"
                ),
            )
        )
        .order_by("-issued_at", "-id")
    )


def task_order_filter(queryset: QuerySet[TaskOrder], params) -> QuerySet[TaskOrder]:
    state = params.get("state") or ""
    if state in TaskOrder.State.values:
        queryset = queryset.filter(state=state)
    commission = as_id(params.get("commission"))
    if commission:
        queryset = queryset.filter(commission_id=commission)
    return queryset


def task_order_get_for(user, pk) -> TaskOrder | None:
    pk = as_id(pk)
    if pk is None:
        return None
    return (
        task_order_list_for(user)
        .select_related(
            "accepted_by",
            "commission__agent",
            "commission__lead_department",
            "issued_by__department",
        )
        .prefetch_related(
            Prefetch("events", queryset=TaskOrderEvent.objects.select_related("actor"))
        )
        .filter(pk=pk)
        .first()
    )


# --- what the issue form offers ----------------------------------------------------------------


def _errand_cases() -> Q:
    """Open cases served 专业跑腿 for their project: the case's own mode (as its plan showed it
    for the region), not its item's catalog mode."""
    return Q(service_mode=ServiceMode.ERRAND, state__in=case_lifecycle.OPEN_STATES)


def issuable_commissions_for(user) -> QuerySet[Commission]:
    """Commissions of the issuer's region still being worked on with open errand-mode cases."""
    if not may_issue(user) or not user.region_id:
        return Commission.objects.none()
    errand = Case.objects.filter(_errand_cases(), commission_id=OuterRef("pk"))
    return (
        Commission.objects.filter(
            state__in=WORKING_STATES,
            project__region__path__startswith=user.region.path,
        )
        .filter(Exists(errand))
        .select_related("project", "project__enterprise", "project__region", "agent")
        .order_by("-applied_at", "-id")
    )


def issuable_commission_get_for(user, pk) -> Commission | None:
    pk = as_id(pk)
    if pk is None:
        return None
    return issuable_commissions_for(user).filter(pk=pk).first()


def live_order_of_case():
    """Is the case already named by a live task order (issued, accepted or declined)?"""
    return Exists(
        TaskOrder.cases.through.objects.filter(
            case_id=OuterRef("pk"), taskorder__state__in=lifecycle.LIVE_TASK_ORDER_STATES
        )
    )


def errand_case_choices(commission: Commission) -> QuerySet[Case]:
    """The commission's open errand-mode cases, each marked ``busy`` when a live task order
    already names it."""
    return (
        Case.objects.filter(_errand_cases(), commission=commission)
        .select_related("item", "department", "errand_company")
        .annotate(busy=live_order_of_case())
        .order_by("baseline_start", "code")
    )


def errand_companies_for(region: Region) -> list[Department]:
    """The active errand companies (部门类型「专业跑腿服务公司」) serving ``region``: those of the
    region or of a region above it."""
    above = [node.pk for node in region_ancestors(region)]
    return list(
        Department.objects.filter(
            kind=Department.Kind.ERRAND, is_active=True, region_id__in=above
        ).order_by("name")
    )


def register_scopes() -> None:
    """Tell ``bangban.common.scoping`` (read by the admin) the scoping of coordination."""
    scoping.register(Meeting, meeting_scope)
    scoping.register(ActionItem, scoping.through("meeting", Meeting))
    scoping.register(TaskOrder, task_order_scope)
