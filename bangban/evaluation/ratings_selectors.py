"""Reads of after service — ratings (好差评), rectifications (差评整改) and follow-up visits
(回访) — scoped in ONE function per model (SPEC §8), re-exported by ``evaluation.selectors``.

| role | ratings | rectifications | visits |
|---|---|---|---|
| enterprise | of its own commissions | none (its rating shows the answer) | none |
| agent | of the commissions it sees (``commission_scope``: its own and its centre's) | those of those commissions, and those it answers for | of those commissions |
| department officer / helper | those about its department | those its department answers for | the return visits of ratings about its department |
| centre admin, supervisor, leader | of projects in its region subtree | the same | the same |
| sponsor, errand company | none | none | none |

Another party's object is simply not in the queryset, so views answer 404. Lists select
their relations and run a constant number of queries whatever their length.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import BooleanField, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models import Case as When_
from django.utils import timezone

from bangban.accounts.models import Role
from bangban.common.ids import as_id
from bangban.projects.models import Commission
from bangban.projects.selectors import NOTHING, commission_scope

from . import lifecycle
from .models import (
    ONCE_SOURCES,
    AfterServicePolicy,
    FollowUpVisit,
    Level,
    Rating,
    Rectification,
    RectificationEvent,
)

REGION_READERS = (Role.CENTRE_ADMIN, Role.SUPERVISOR, Role.LEADER)
DEPARTMENT_ROLES = (Role.DEPT_OFFICER, Role.DEPT_HELPER)


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _region_q(user, field: str = "commission__project__region") -> Q:
    return Q(**{f"{field}__path__startswith": user.region.path}) if user.region_id else NOTHING


def _seen_commissions(user) -> Q:
    return Q(commission__in=Commission.objects.filter(commission_scope(user)).values("pk"))


# --- the scopes (the one answer per model) ---------------------------------------------------


def rating_scope(user) -> Q:
    if not _active(user):
        return NOTHING
    if user.is_superuser and not user.region_id:
        return Q()
    role = user.role
    if role == Role.ENTERPRISE:
        if not user.enterprise_id:
            return NOTHING
        return Q(commission__project__enterprise_id=user.enterprise_id)
    if role == Role.AGENT:
        return _seen_commissions(user)
    if role in DEPARTMENT_ROLES:
        return Q(department_id=user.department_id) if user.department_id else NOTHING
    if role in REGION_READERS:
        return _region_q(user)
    return NOTHING


def rectification_scope(user) -> Q:
    if not _active(user):
        return NOTHING
    if user.is_superuser and not user.region_id:
        return Q()
    role = user.role
    if role == Role.AGENT:
        return _seen_commissions(user) | Q(agent=user)
    if role in DEPARTMENT_ROLES:
        return Q(department_id=user.department_id) if user.department_id else NOTHING
    if role in REGION_READERS:
        return _region_q(user)
    return NOTHING


def visit_scope(user) -> Q:
    if not _active(user):
        return NOTHING
    if user.is_superuser and not user.region_id:
        return Q()
    role = user.role
    if role == Role.AGENT:
        return _seen_commissions(user)
    if role in DEPARTMENT_ROLES:
        return Q(rating__department_id=user.department_id) if user.department_id else NOTHING
    if role in REGION_READERS:
        return _region_q(user)
    return NOTHING


# --- ratings -----------------------------------------------------------------------------------


def commissions_rated(user, commission_ids) -> set[int]:
    """Which of these commissions already have their (once-only) rating of the whole service,
    among the ratings ``user`` may see."""
    return set(
        Rating.objects.filter(rating_scope(user))
        .filter(commission__in=list(commission_ids), case__isnull=True, source__in=ONCE_SOURCES)
        .values_list("commission_id", flat=True)
    )


def rating_list_for(user) -> QuerySet[Rating]:
    return (
        Rating.objects.filter(rating_scope(user))
        .select_related(
            "commission",
            "commission__project",
            "commission__project__enterprise",
            "case",
            "case__item",
            "department",
            "rated_by",
            "visit",
            "rectification",
        )
        .order_by("-rated_at", "-id")
    )


def month_bounds(text: str) -> tuple[dt.datetime, dt.datetime] | None:
    """The local start of month ``YYYY-MM`` and of the next one, or None."""
    try:
        year, month = (int(part) for part in str(text).split("-"))
        first = dt.date(year, month, 1)
    except (TypeError, ValueError):
        return None
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(following, dt.time.min))
    return start, end


def rating_filter(queryset: QuerySet[Rating], params) -> QuerySet[Rating]:
    """The list's filters (the supervisor's dashboard drills down with the same names):
    ``level`` (a level's value, or ``good`` / ``bad``), ``department`` (id), ``month``
    (YYYY-MM, by the time rated), ``source``, ``commission`` (id). Unknown values are
    ignored."""
    level = params.get("level") or ""
    if level in Level.values:
        queryset = queryset.filter(level=level)
    elif level == "good":
        queryset = queryset.filter(
            level__in=[str(v) for v in (Level.VERY_SATISFIED, Level.SATISFIED)]
        )
    elif level == "bad":
        queryset = queryset.filter(
            level__in=[str(v) for v in (Level.DISSATISFIED, Level.VERY_DISSATISFIED)]
        )
    department = as_id(params.get("department"))
    if department:
        queryset = queryset.filter(department_id=department)
    bounds = month_bounds(params.get("month") or "") if params.get("month") else None
    if bounds is not None:
        queryset = queryset.filter(rated_at__gte=bounds[0], rated_at__lt=bounds[1])
    source = params.get("source") or ""
    if source in Rating.Source.values:
        queryset = queryset.filter(source=source)
    commission = as_id(params.get("commission"))
    if commission:
        queryset = queryset.filter(commission_id=commission)
    return queryset


def rating_get_for(user, pk) -> Rating | None:
    pk = as_id(pk)
    if pk is None:
        return None
    return rating_list_for(user).filter(pk=pk).first()


def commission_ratings_for(user, commission: Commission) -> list[Rating]:
    """The ratings of one commission the user may see (its page), the commission's first."""
    return list(
        Rating.objects.filter(rating_scope(user), commission=commission)
        .select_related("case", "case__item", "rated_by", "rectification", "visit")
        .order_by("case_id", "rated_at", "id")
    )


# --- rectifications -----------------------------------------------------------------------------


def overdue_annotation(today: dt.date):
    """True for a rectification still owed (verifying, rectifying) past its due date."""
    return When_(
        When(state__in=lifecycle.OPEN_RECTIFICATION_STATES, due_date__lt=today, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def _mine(user) -> Q:
    mine = Q(agent_id=user.pk)
    if user.role in DEPARTMENT_ROLES and user.department_id:
        mine |= Q(department_id=user.department_id)
    return mine


def rectification_list_for(user, *, today: dt.date | None = None) -> QuerySet[Rectification]:
    """The rectifications the user sees: its own first (it answers for them), then the open
    ones, by due date."""
    today = today or timezone.localdate()
    return (
        Rectification.objects.filter(rectification_scope(user))
        .select_related(
            "rating",
            "rating__case",
            "rating__case__item",
            "commission",
            "commission__project",
            "commission__project__region",
            "department",
            "agent",
        )
        .annotate(
            overdue=overdue_annotation(today),
            mine=When_(
                When(_mine(user), then=Value(1)), default=Value(0), output_field=IntegerField()
            ),
            open_first=When_(
                When(state__in=lifecycle.OPEN_RECTIFICATION_STATES, then=Value(0)),
                When(state=lifecycle.ANSWERED, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
        )
        .order_by("-mine", "open_first", "due_date", "id")
    )


def rectification_filter(queryset: QuerySet[Rectification], params) -> QuerySet[Rectification]:
    """``state``, ``overdue`` (1), ``mine`` (1), ``department`` (id), ``commission`` (id)."""
    state = params.get("state") or ""
    if state in Rectification.State.values:
        queryset = queryset.filter(state=state)
    if params.get("overdue") in ("1", "true"):
        queryset = queryset.filter(overdue=True)
    if params.get("mine") in ("1", "true"):
        queryset = queryset.filter(mine=1)
    department = as_id(params.get("department"))
    if department:
        queryset = queryset.filter(department_id=department)
    commission = as_id(params.get("commission"))
    if commission:
        queryset = queryset.filter(commission_id=commission)
    return queryset


def rectification_get_for(user, pk) -> Rectification | None:
    pk = as_id(pk)
    if pk is None:
        return None
    return (
        rectification_list_for(user)
        .select_related("rating__rated_by", "commission__agent", "commission__lead_department")
        .prefetch_related(
            Prefetch("events", queryset=RectificationEvent.objects.select_related("actor")),
            Prefetch(
                "rating__return_visits", queryset=FollowUpVisit.objects.select_related("visitor")
            ),
        )
        .filter(pk=pk)
        .first()
    )


# --- follow-up visits ----------------------------------------------------------------------------


def visit_overdue_annotation(today: dt.date):
    return When_(
        When(state=lifecycle.SCHEDULED, due_date__lt=today, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def visit_list_for(user, *, today: dt.date | None = None) -> QuerySet[FollowUpVisit]:
    """The visits the user sees: those still to be made first (overdue marked), by due date."""
    today = today or timezone.localdate()
    return (
        FollowUpVisit.objects.filter(visit_scope(user))
        .select_related(
            "commission",
            "commission__project",
            "commission__project__enterprise",
            "commission__project__region",
            "commission__agent",
            "rating",
            "visitor",
        )
        .prefetch_related(Prefetch("ratings", queryset=Rating.objects.order_by("id")))
        .annotate(
            overdue=visit_overdue_annotation(today),
            open_first=When_(
                When(state=lifecycle.SCHEDULED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
        .order_by("open_first", "due_date", "id")
    )


def visit_filter(queryset: QuerySet[FollowUpVisit], params) -> QuerySet[FollowUpVisit]:
    """``state``, ``reason``, ``overdue`` (1), ``commission`` (id)."""
    state = params.get("state") or ""
    if state in FollowUpVisit.State.values:
        queryset = queryset.filter(state=state)
    reason = params.get("reason") or ""
    if reason in FollowUpVisit.Reason.values:
        queryset = queryset.filter(reason=reason)
    if params.get("overdue") in ("1", "true"):
        queryset = queryset.filter(overdue=True)
    commission = as_id(params.get("commission"))
    if commission:
        queryset = queryset.filter(commission_id=commission)
    return queryset


def visit_get_for(user, pk) -> FollowUpVisit | None:
    pk = as_id(pk)
    if pk is None:
        return None
    return (
        visit_list_for(user)
        .select_related("commission__lead_department", "rating__rectification")
        .filter(pk=pk)
        .first()
    )


def commission_visits_for(user, commission: Commission) -> list[FollowUpVisit]:
    return list(visit_list_for(user).filter(commission=commission))


def visit_commission_choices(user) -> QuerySet[Commission]:
    """Completed commissions a centre admin or supervisor may schedule a visit of."""
    if user.role not in (Role.CENTRE_ADMIN, Role.SUPERVISOR) or not user.region_id:
        return Commission.objects.none()
    return (
        Commission.objects.filter(
            state__in=("completed", "archived"),
            project__region__path__startswith=user.region.path,
        )
        .select_related("project", "project__region")
        .order_by("-completed_at", "-id")
    )


def policy_scope(user) -> Q:
    """The after-service settings a centre admin may read and edit in the admin: those of its
    region subtree (the platform default belongs to the platform operators)."""
    if not _active(user):
        return NOTHING
    if user.is_superuser and not user.region_id:
        return Q()
    if user.role == Role.CENTRE_ADMIN:
        return _region_q(user, "region")
    return NOTHING


def register_rating_scopes(scoping) -> None:
    """Tell ``bangban.common.scoping`` (read by the admin) the scoping of after service."""
    scoping.register(Rating, rating_scope)
    scoping.register(Rectification, rectification_scope)
    scoping.register(RectificationEvent, scoping.through("rectification", Rectification))
    scoping.register(FollowUpVisit, visit_scope)
    scoping.register(AfterServicePolicy, policy_scope)
