"""Reads of the ledger, scoped in ONE place (SPEC §8).

| role | cases it sees |
|---|---|
| department officer / helper | its department's cases, and every case of the commissions its department leads |
| errand company | the cases its accepted task orders name (``errand_company``) |
| everyone else | the cases of the commissions it sees (``projects.selectors.commission_scope``) |

Another party's case is simply not in the queryset, so views answer 404. Lists carry the
warning colour as a database annotation (from the stored due and yellow-from dates), select
their relations and run a constant number of queries whatever their length.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case as When_
from django.db.models import CharField, Count, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from bangban.accounts.models import Role
from bangban.common import scoping
from bangban.common.ids import as_id
from bangban.organization.models import Department
from bangban.projects.models import Commission
from bangban.projects.selectors import NOTHING, commission_scope

from . import lifecycle
from .models import Case, CaseEvent, CaseMaterial, Escalation

#: States in which the clock runs (a suspended case is never yellow or red).
RUNNING = (lifecycle.ACCEPTED, lifecycle.ACCEPTED_GAPS)

COLOURS = {"green": "正常", "yellow": "黄色预警", "red": "红色预警（超期）"}


def case_scope(user) -> Q:
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser and not user.region_id:
        return Q()
    if user.role == Role.ERRAND:
        return Q(errand_company_id=user.department_id) if user.department_id else NOTHING
    if user.role in (Role.DEPT_OFFICER, Role.DEPT_HELPER):
        # A department sees its own cases and every case of the commissions it leads; the
        # other departments' cases of a commission it only takes part in stay out (their
        # materials are the enterprise's documents, shown to whom handles them).
        if not user.department_id:
            return NOTHING
        return Q(department_id=user.department_id) | Q(
            commission__lead_department_id=user.department_id
        )
    return Q(commission__in=Commission.objects.filter(commission_scope(user)).values("pk"))


def warning_annotation(today: dt.date):
    return When_(
        When(state__in=RUNNING, due_date__lt=today, then=Value("red")),
        When(state__in=RUNNING, warn_from__lte=today, then=Value("yellow")),
        default=Value("green"),
        output_field=CharField(),
    )


def case_list_for(user, *, today: dt.date | None = None) -> QuerySet[Case]:
    today = today or timezone.localdate()
    return (
        Case.objects.filter(case_scope(user))
        .select_related(
            "item",
            "department",
            "errand_company",
            "commission",
            "commission__project",
            "commission__project__enterprise",
            "commission__project__region",
            "commission__agent",
        )
        .annotate(warning=warning_annotation(today), closed=closed_annotation())
        .order_by("closed", F("due_date").asc(nulls_last=True), "planned_due", "id")
    )


def closed_annotation():
    """0 for an open case, 1 for a closed one: the ledger lists the open ones first, the most
    urgent (earliest due) on top, then those not yet accepted by planned finish."""
    return When_(
        When(state__in=lifecycle.CLOSED_STATES, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def month_range(value) -> tuple[dt.date, dt.date] | None:
    """The first and last day of the month "YYYY-MM" (None when it is not one)."""
    try:
        year, month = (int(part) for part in str(value or "").split("-"))
        first = dt.date(year, month, 1)
        following = dt.date(year + month // 12, month % 12 + 1, 1)
    except ValueError:  # not "YYYY-MM", or out of the calendar (9999-12)
        return None
    return first, following - dt.timedelta(days=1)


def case_filter(queryset: QuerySet[Case], params, *, today: dt.date | None = None):
    """The ledger's filters: state, warning, stage, department, commission, due today or this
    week, completed in a month (``finished=YYYY-MM``), accepted in a month
    (``accepted=YYYY-MM``), open only — the supervision dashboard's charts drill down into
    them. Unknown values are ignored (the form shows the choices)."""
    today = today or timezone.localdate()
    state = params.get("state") or ""
    if state == "open":
        queryset = queryset.filter(state__in=lifecycle.OPEN_STATES)
    elif state in lifecycle.STATE_LABELS:
        queryset = queryset.filter(state=state)
    warning = params.get("warning") or ""
    if warning in COLOURS:
        queryset = queryset.filter(warning=warning)
    stage = params.get("stage") or ""
    if stage:
        queryset = queryset.filter(item__stage=stage)
    department = as_id(params.get("department"))
    if department:
        queryset = queryset.filter(department_id=department)
    commission = as_id(params.get("commission"))
    if commission:
        queryset = queryset.filter(commission_id=commission)
    if params.get("due") == "week":
        monday = today - dt.timedelta(days=today.weekday())
        queryset = queryset.filter(
            state__in=RUNNING, due_date__gte=monday, due_date__lte=monday + dt.timedelta(days=6)
        )
    elif params.get("due") == "today":
        queryset = queryset.filter(state__in=RUNNING, due_date=today)
    finished = month_range(params.get("finished"))
    if finished:
        queryset = queryset.filter(state=lifecycle.COMPLETED, actual_finish__range=finished)
    accepted = month_range(params.get("accepted"))
    if accepted:
        queryset = queryset.filter(accepted_on__range=accepted)
    return queryset


def ledger_department_choices(user) -> list[tuple[int, str]]:
    """(pk, name) of the departments holding the cases ``user`` sees (the ledger's filter:
    never the departments of another party's cases)."""
    visible = Case.objects.filter(case_scope(user)).values("department_id")
    return list(
        Department.objects.filter(pk__in=visible).order_by("name").values_list("pk", "name")
    )


def case_get_for(user, pk) -> Case | None:
    """One case with everything its page and its API detail show, or None."""
    pk = as_id(pk)
    if pk is None:
        return None
    return (
        case_list_for(user)
        .select_related("result_document", "commission__lead_department", "item__department")
        .prefetch_related(
            "suspensions",
            Prefetch("materials", queryset=CaseMaterial.objects.select_related("attachment")),
            Prefetch(
                "events",
                queryset=CaseEvent.objects.select_related("actor").order_by("recorded_at", "id"),
            ),
        )
        .filter(pk=pk)
        .first()
    )


def case_material_get_for(user, pk, material_pk) -> CaseMaterial | None:
    """One material of a case ``user`` sees, with its file and its case's item (the material's
    download), or None: another party's case, or a material of another case (one query)."""
    pk, material_pk = as_id(pk), as_id(material_pk)
    if pk is None or material_pk is None:
        return None
    return (
        CaseMaterial.objects.filter(
            pk=material_pk, case_id=pk, case__in=Case.objects.filter(case_scope(user)).values("pk")
        )
        .select_related("attachment", "case__item")
        .first()
    )


def case_result_get_for(user, pk) -> Case | None:
    """A case ``user`` sees with its item and result document (the result's download), or
    None (one query)."""
    pk = as_id(pk)
    if pk is None:
        return None
    return (
        Case.objects.filter(case_scope(user))
        .select_related("item", "result_document")
        .filter(pk=pk)
        .first()
    )


#: The inbox's tabs: (key, label, states).
INBOX_TABS = (
    ("submitted", "待受理", (lifecycle.SUBMITTED,)),
    ("review", "审查中", (lifecycle.ACCEPTED, lifecycle.ACCEPTED_GAPS)),
    ("suspended", "中止计时", (lifecycle.SUSPENDED,)),
    ("preparing", "材料准备中", (lifecycle.PLANNED, lifecycle.PREPARING)),
    ("closed", "已办结", lifecycle.CLOSED_STATES),
)


def inbox_counts(queryset: QuerySet[Case]) -> dict[str, int]:
    """Cases by state (for the inbox's tabs), one query."""
    rows = queryset.order_by().values("state").annotate(n=Count("id"))
    return {row["state"]: row["n"] for row in rows}


def inbox_tabs_for(user) -> list[tuple[str, str, int]]:
    """(key, label, count) of the department inbox's tabs for ``user`` (one query)."""
    mine = case_list_for(user).filter(department_id=user.department_id)
    counts = inbox_counts(mine)
    return [
        (key, label, sum(counts.get(state, 0) for state in states))
        for key, label, states in INBOX_TABS
    ]


def warning_counts(queryset: QuerySet[Case]) -> dict[str, int]:
    """How many of the cases of ``queryset`` (from :func:`case_list_for`, which annotates the
    colour) are green, yellow and red while their clock runs (one query)."""
    rows = queryset.filter(state__in=RUNNING).order_by().values("warning").annotate(n=Count("id"))
    return {row["warning"]: row["n"] for row in rows}


def commission_cases_for(user, commission) -> list[Case]:
    """The cases of one commission the user may see (a department sees its own)."""
    return list(
        case_list_for(user)
        .filter(commission=commission)
        .prefetch_related("materials")
        .order_by("baseline_start", "code")
    )


def escalation_scope(user) -> Q:
    """Escalations: the leader's own and its region's, the agent's commissions', the region's
    for admins and supervisors."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.role == Role.LEADER:
        scope = Q(leader=user)
        if user.region_id:
            scope |= Q(commission__project__region__path__startswith=user.region.path)
        return scope
    if user.role == Role.AGENT:
        return Q(commission__agent=user) | Q(raised_by=user)
    if user.role in (Role.CENTRE_ADMIN, Role.SUPERVISOR) and user.region_id:
        return Q(commission__project__region__path__startswith=user.region.path)
    if user.is_superuser and not user.region_id:
        return Q()
    return NOTHING


def escalation_list_for(user) -> QuerySet[Escalation]:
    return (
        Escalation.objects.filter(escalation_scope(user))
        .select_related(
            "commission__project",
            "commission__agent",
            "case__item",
            "raised_by",
            "leader",
            "closed_by",
        )
        .order_by("state", "-raised_at", "-id")
    )


def register_scopes() -> None:
    """Tell ``bangban.common.scoping`` (read by the admin) the scoping of the ledger."""
    scoping.register(Case, case_scope)
    scoping.register(Escalation, escalation_scope)
