"""Reads of complaints and accountability records, scoped in ONE function each (SPEC §8).

| role | complaints (:func:`complaint_scope`) | accountability records (:func:`accountability_scope`) |
|---|---|---|
| centre admin, supervisor, leader | of its region subtree | of its region subtree |
| agent | those it registered at the window, never one about itself | those about itself |
| department staff, errand staff | none | those about itself |
| enterprise, sponsor, anyone else | none | none |

Why an agent does not see the complaints about itself: while a complaint is verified, the
complainant is protected from the person complained about (no retaliation, no pressure on
the witness); the outcome reaches the agent as the accountability record, which it sees.
Enterprises complain through the channels of the Baotou seed (12345, the hotline, the
mailbox, the window, online platforms) and the centre registers what they say; a portal
form of their own is not part of this issue (docs/complaints.md).

Another party's object is simply not in the queryset: views answer 404. Lists select their
relations and annotate ``overdue``, so they run a constant number of queries.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import BooleanField, Count, Prefetch, Q, QuerySet, Value, When
from django.db.models import Case as When_
from django.utils import timezone

from bangban.accounts.models import Role, User
from bangban.common.ids import as_id
from bangban.organization.models import Department, Region
from bangban.organization.selectors import region_ancestors
from bangban.projects.models import Commission
from bangban.projects.selectors import NOTHING, commission_list_for

from . import complaints_lifecycle as lifecycle
from .complaints_parties import COORDINATOR_ROLES, SUBJECT_ROLES
from .models import (
    SUBSTANTIATED_FINDINGS,
    AccountabilityRecord,
    Complaint,
    ComplaintEvent,
    ComplaintPolicy,
)

REGION_READERS = (Role.CENTRE_ADMIN, Role.SUPERVISOR, Role.LEADER)


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _region_q(user, field: str = "region") -> Q:
    return Q(**{f"{field}__path__startswith": user.region.path}) if user.region_id else NOTHING


# --- complaints -----------------------------------------------------------------------------


def complaint_scope(user) -> Q:
    """The filter of the complaints ``user`` may see (the one answer)."""
    if not _active(user):
        return NOTHING
    if user.is_superuser and not user.region_id:
        return Q()
    if user.role in REGION_READERS:
        return _region_q(user)
    if user.role == Role.AGENT:
        return Q(recorded_by=user) & ~Q(subject_user=user)
    return NOTHING


def overdue_annotation(today: dt.date):
    """True for an open complaint whose due date has passed."""
    return When_(
        When(state__in=lifecycle.OPEN_STATES, due_date__lt=today, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def complaint_list_for(user, *, today: dt.date | None = None) -> QuerySet[Complaint]:
    today = today or timezone.localdate()
    return (
        Complaint.objects.filter(complaint_scope(user))
        .select_related(
            "region",
            "subject_user",
            "subject_department",
            "handler",
            "recorded_by",
            "commission",
            "commission__project",
        )
        .annotate(overdue=overdue_annotation(today))
        .order_by("-received_at", "-id")
    )


def complaint_filter(queryset: QuerySet[Complaint], params) -> QuerySet[Complaint]:
    """The list's filters: state, channel, category, department (the subject department),
    overdue. Unknown values are ignored (the form shows the choices)."""
    state = params.get("state") or ""
    if state in Complaint.State.values:
        queryset = queryset.filter(state=state)
    channel = params.get("channel") or ""
    if channel in Complaint.Channel.values:
        queryset = queryset.filter(channel=channel)
    category = params.get("category") or ""
    if category in Complaint.Category.values:
        queryset = queryset.filter(category=category)
    department = as_id(params.get("department"))
    if department:
        queryset = queryset.filter(subject_department_id=department)
    if params.get("overdue") in ("1", "true"):
        queryset = queryset.filter(overdue=True)
    return queryset


def complaint_get_for(user, pk, *, today: dt.date | None = None) -> Complaint | None:
    """One complaint with what its page and its API detail show, or None."""
    pk = as_id(pk)
    if pk is None:
        return None
    return (
        complaint_list_for(user, today=today)
        .select_related("subject_user__department", "commission__project__enterprise")
        .prefetch_related(
            Prefetch("events", queryset=ComplaintEvent.objects.select_related("actor")),
            Prefetch(
                "accountability_records",
                queryset=AccountabilityRecord.objects.filter(accountability_scope(user)),
                to_attr="visible_records",
            ),
        )
        .filter(pk=pk)
        .first()
    )


# --- what the forms offer -------------------------------------------------------------------


def complaint_subject_user_choices(user) -> QuerySet[User]:
    """Active staff of the user's region subtree a complaint may be about."""
    if not user.region_id:
        return User.objects.none()
    return (
        User.objects.filter(
            is_active=True,
            role__in=SUBJECT_ROLES,
            region__path__startswith=user.region.path,
        )
        .exclude(pk=user.pk)
        .select_related("department")
        .order_by("department__name", "display_name", "username")
    )


def complaint_department_choices(user) -> QuerySet[Department]:
    """Active departments of the user's region subtree."""
    if not user.region_id:
        return Department.objects.none()
    return (
        Department.objects.filter(is_active=True, region__path__startswith=user.region.path)
        .select_related("region")
        .order_by("region__path", "name")
    )


def complaint_commission_choices(user) -> QuerySet[Commission]:
    """The commissions the user sees (a complaint may name the one it is about)."""
    return commission_list_for(user).select_related("project").order_by("-applied_at", "-id")


def complaint_handler_choices(complaint: Complaint) -> QuerySet[User]:
    """Centre admins and supervisors whose region covers the complaint's, never the person
    complained about."""
    ancestors = [region.pk for region in region_ancestors(complaint.region)]
    queryset = User.objects.filter(
        is_active=True, role__in=COORDINATOR_ROLES, region_id__in=ancestors
    ).order_by("role", "display_name", "username")
    if complaint.subject_user_id:
        queryset = queryset.exclude(pk=complaint.subject_user_id)
    return queryset


def complaint_policy_for(region: Region) -> ComplaintPolicy | None:
    """The time limit of ``region`` or of the nearest region above it that has one."""
    chain = region_ancestors(region)
    policies = {p.region_id: p for p in ComplaintPolicy.objects.filter(region__in=chain)}
    for node in chain:
        if node.pk in policies:
            return policies[node.pk]
    return None


def complaints_overdue(today: dt.date) -> QuerySet[Complaint]:
    """Every open complaint past its due date (the deadline scan; not scoped)."""
    return (
        Complaint.objects.filter(state__in=lifecycle.OPEN_STATES, due_date__lt=today)
        .select_related("region", "handler", "subject_department")
        .order_by("id")
    )


# --- accountability records -----------------------------------------------------------------


def accountability_scope(user) -> Q:
    """The filter of the accountability records ``user`` may see (the one answer)."""
    if not _active(user):
        return NOTHING
    if user.is_superuser and not user.region_id:
        return Q()
    if user.role in REGION_READERS:
        return _region_q(user)
    if user.role in SUBJECT_ROLES:
        return Q(subject_user=user)
    return NOTHING


def accountability_list_for(user) -> QuerySet[AccountabilityRecord]:
    return (
        AccountabilityRecord.objects.filter(accountability_scope(user))
        .select_related("region", "subject_user", "subject_department", "issued_by", "complaint")
        .order_by("-issued_at", "-id")
    )


def accountability_filter(queryset, params) -> QuerySet[AccountabilityRecord]:
    """department (responsible department), user (responsible person), year (of issue),
    kind, source. Unknown values are ignored."""
    department = as_id(params.get("department"))
    if department:
        queryset = queryset.filter(subject_department_id=department)
    user = as_id(params.get("user"))
    if user:
        queryset = queryset.filter(subject_user_id=user)
    year = str(params.get("year") or "").strip()
    if year.isdigit() and year.isascii() and 2000 <= int(year) <= 2100:
        queryset = queryset.filter(issued_at__year=int(year))
    kind = params.get("kind") or ""
    if kind in AccountabilityRecord.Kind.values:
        queryset = queryset.filter(kind=kind)
    source = params.get("source") or ""
    if source in AccountabilityRecord.Source.values:
        queryset = queryset.filter(source=source)
    return queryset


def _counts(queryset, *fields: str) -> list[dict]:
    violation = Q(kind=AccountabilityRecord.Kind.VIOLATION)
    criticism = Q(kind=AccountabilityRecord.Kind.CRITICISM)
    return list(
        queryset.order_by()
        .values(*fields)
        .annotate(
            total=Count("pk"),
            violations=Count("pk", filter=violation),
            criticisms=Count("pk", filter=criticism),
        )
        .order_by("-total", *fields)
    )


def accountability_summary(queryset) -> dict[str, list[dict]]:
    """Counts of the (filtered) records per responsible person and per department, each
    split into violations and notices of criticism: two aggregate queries."""
    people = _counts(
        queryset.filter(subject_user__isnull=False),
        "subject_user",
        "subject_user__display_name",
        "subject_user__username",
        "subject_user__department__name",
    )
    departments = _counts(
        queryset.filter(subject_department__isnull=False),
        "subject_department",
        "subject_department__name",
    )
    return {"people": people, "departments": departments}


def accountability_get_for(user, pk) -> AccountabilityRecord | None:
    pk = as_id(pk)
    if pk is None:
        return None
    return (
        accountability_list_for(user)
        .select_related(
            "subject_user__department", "subject_department__region", "issued_by__department"
        )
        .filter(pk=pk)
        .first()
    )


def accountability_complaint_choices(user) -> QuerySet[Complaint]:
    """Closed complaints found 属实 or 部分属实 that the user sees (a notice may cite one)."""
    return complaint_list_for(user).filter(
        state=Complaint.State.CLOSED, finding__in=SUBSTANTIATED_FINDINGS
    )


def register_complaint_scopes(scoping) -> None:
    """Tell ``bangban.common.scoping`` (read by the admin) how complaints are scoped."""
    scoping.register(Complaint, complaint_scope)
    scoping.register(ComplaintEvent, scoping.through("complaint", Complaint))
    scoping.register(AccountabilityRecord, accountability_scope)
