"""What a supervisor (and every other reader of the metrics) may count — scoped in ONE place.

Supervision reads the records of the apps below it through their own scoping, never a rule
of its own: a case as the ledger scopes it (``cases.selectors.case_scope``), a commission,
a consultation and a plan as ``projects.selectors`` scopes them. For the roles that read the
metrics (centre admin, supervisor, leader) that is their region subtree; a platform operator
sees everything.

| records | seen when |
|---|---|
| cases | ``case_scope(user)`` |
| commissions, plans, follow-up visits | the commission is in ``commission_scope(user)`` |
| ratings | a case's rating: its case is seen; a commission's rating (no case): its commission is seen |
| consultations | ``consultation_scope(user)`` |

Every function returns a plain queryset (no ordering, no joins): the metrics aggregate over
them, other pages add their own ``select_related``. ``region`` narrows any of them to a
region subtree (a :class:`~bangban.organization.models.Region`, never wider than the scope).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from bangban.accounts.models import Role
from bangban.cases.models import Case
from bangban.cases.selectors import case_scope
from bangban.common import scoping
from bangban.common.ids import as_id
from bangban.evaluation.models import FollowUpVisit, Rating
from bangban.organization.models import Region
from bangban.planning.models import Plan
from bangban.projects.models import Commission, Consultation
from bangban.projects.selectors import commission_scope, consultation_scope

#: Roles that read the metrics, the planner's accuracy (and supervision's pages): their region
#: subtree. A platform operator (superuser without a region) reads everything.
METRICS_READERS = frozenset({Role.CENTRE_ADMIN, Role.SUPERVISOR, Role.LEADER})


def may_read_metrics(user) -> bool:
    """Whether ``user`` may open the metrics and the planner's accuracy (page and API)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if scoping.is_platform_operator(user):
        return True
    return user.role in METRICS_READERS and user.region_id is not None


def _commissions(user) -> QuerySet[Commission]:
    return Commission.objects.filter(commission_scope(user)).values("pk")


def scoped_cases(user, *, region: Region | None = None) -> QuerySet[Case]:
    """The cases ``user`` may see (the ledger's scoping), optionally in ``region``'s subtree
    (the project's region)."""
    queryset = Case.objects.filter(case_scope(user))
    if region is not None:
        queryset = queryset.filter(commission__project__region__path__startswith=region.path)
    return queryset


def scoped_commissions(user, *, region: Region | None = None) -> QuerySet[Commission]:
    queryset = Commission.objects.filter(commission_scope(user))
    if region is not None:
        queryset = queryset.filter(project__region__path__startswith=region.path)
    return queryset


def scoped_consultations(user, *, region: Region | None = None) -> QuerySet[Consultation]:
    queryset = Consultation.objects.filter(consultation_scope(user))
    if region is not None:
        queryset = queryset.filter(region__path__startswith=region.path)
    return queryset


def rating_scope(user) -> Q:
    """A case's rating is seen by whoever sees the case; a rating of a whole commission by
    whoever sees the commission."""
    if scoping.is_platform_operator(user):
        return Q()
    cases = Case.objects.filter(case_scope(user)).values("pk")
    return Q(case__in=cases) | Q(case__isnull=True, commission__in=_commissions(user))


def scoped_ratings(user, *, region: Region | None = None) -> QuerySet[Rating]:
    queryset = Rating.objects.filter(rating_scope(user))
    if region is not None:
        queryset = queryset.filter(commission__project__region__path__startswith=region.path)
    return queryset


def scoped_visits(user, *, region: Region | None = None) -> QuerySet[FollowUpVisit]:
    queryset = FollowUpVisit.objects.filter(commission__in=_commissions(user))
    if region is not None:
        queryset = queryset.filter(commission__project__region__path__startswith=region.path)
    return queryset


def scoped_plans(user, *, region: Region | None = None) -> QuerySet[Plan]:
    queryset = Plan.objects.filter(commission__in=_commissions(user))
    if region is not None:
        queryset = queryset.filter(commission__project__region__path__startswith=region.path)
    return queryset


def metric_regions_for(user) -> QuerySet[Region]:
    """The regions ``user`` may narrow the metrics to: its own subtree (every region for a
    platform operator)."""
    if scoping.is_platform_operator(user):
        return Region.objects.all()
    if not may_read_metrics(user):
        return Region.objects.none()
    return Region.objects.filter(path__startswith=user.region.path)


def metric_region_get_for(user, pk) -> Region | None:
    """A region of ``user``'s subtree by id, or None."""
    pk = as_id(pk)
    return None if pk is None else metric_regions_for(user).filter(pk=pk).first()
