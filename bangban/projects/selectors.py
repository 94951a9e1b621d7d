"""Reads of enterprises, projects, commissions and consultations — scoped in ONE place.

Every page and every API endpoint fetches through these functions, so what a user may see
is decided here (SPEC §8: role × region subtree × department × assignment):

| role | commissions it sees |
|---|---|
| enterprise user | its enterprise's |
| agent | those of its centre: its department leads them, or their agent belongs to its department (colleagues cover for each other: they read, only the assigned agent acts — `actions.commission_may`); those assigned to it; and the unassigned ones of its pool whose lead department has no agent and whose project lies in its department's region subtree |
| department officer / helper | those its department leads, and those holding its department's cases (the ledger shows it only its own) |
| sponsor | those of the projects it (or its unit) brought in |
| centre admin, supervisor, leader | those of projects in its region subtree (supervisor and leader read only) |
| errand company, anyone else | none |

Another party's object is simply not in the queryset, so views answer 404. Lists use
`select_related`/`prefetch_related` and run a constant number of queries.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from bangban.accounts.models import Role, User
from bangban.common import scoping
from bangban.common.ids import as_id
from bangban.eligibility.services import is_development_officer
from bangban.organization.models import Department, Region, RoutingRule
from bangban.organization.selectors import lead_department_for, region_ancestors
from bangban.rules.codes import normalize_uscc

from . import lifecycle
from .models import (
    AgentAssignment,
    Commission,
    CommissionTransition,
    Consultation,
    Enterprise,
    Project,
    ReturnedOriginal,
)
from .models.project import credit_code_warnings

NOTHING = Q(pk__in=[])

#: Roles that read everything of their region subtree.
REGION_READERS = frozenset({Role.CENTRE_ADMIN, Role.SUPERVISOR, Role.LEADER})


def _region_path(user) -> str | None:
    return user.region.path if user.region_id else None


def _active_agents() -> QuerySet[User]:
    return User.objects.filter(role=Role.AGENT, is_active=True)


def commission_scope(user) -> Q:
    """The filter of the commissions `user` may see."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser and not user.region_id:
        return Q()
    role = user.role
    if role == Role.ENTERPRISE:
        return Q(project__enterprise_id=user.enterprise_id) if user.enterprise_id else NOTHING
    if role == Role.AGENT:
        mine = Q(agent=user)
        if user.department_id is None:
            return mine
        # the centre: what its department leads and what its colleagues hold (read; acting
        # stays with the assigned agent)
        centre = Q(lead_department_id=user.department_id) | Q(
            agent__department_id=user.department_id
        )
        lead_has_agents = Exists(
            _active_agents().filter(department_id=OuterRef("lead_department_id"))
        )
        orphaned = (
            Q(agent__isnull=True)
            & ~Q(lead_has_agents)
            & Q(project__region__path__startswith=user.department.region.path)
        )
        return mine | centre | orphaned
    if role in (Role.DEPT_OFFICER, Role.DEPT_HELPER):
        if not user.department_id:
            return NOTHING
        # The ledger's cases name their department (``cases.Case.department``, related name
        # "cases"): a department sees the commissions holding its cases, their page scoped to
        # those cases by the ledger's own part.
        holding = Commission.objects.filter(cases__department_id=user.department_id)
        scope = Q(lead_department_id=user.department_id) | Q(pk__in=holding.values("pk"))
        if user.region_id is not None and is_development_officer(user):
            # 待发改决定: the development & reform department's officers see what awaits
            # their decision in their region (and decide it on the commission's page).
            scope |= Q(awaiting_decision=True, project__region__path__startswith=user.region.path)
        return scope
    if role == Role.SPONSOR:
        scope = Q(project__sponsor=user)
        if user.department_id:
            scope |= Q(project__sponsor_department_id=user.department_id)
        return scope
    if role in REGION_READERS:
        path = _region_path(user)
        return Q(project__region__path__startswith=path) if path else NOTHING
    return NOTHING


def commission_list_for(user) -> QuerySet[Commission]:
    return (
        Commission.objects.filter(commission_scope(user))
        .select_related(
            "project",
            "project__enterprise",
            "project__region",
            "project__sponsor_department",
            "lead_department",
            "agent",
        )
        .order_by("-applied_at", "-id")
    )


def commission_get_for(user, pk) -> Commission | None:
    """One commission with everything its detail shows, or None when the user may not see it."""
    pk = as_id(pk)
    if pk is None:
        return None
    return (
        commission_list_for(user)
        .select_related(
            "created_by",
            "authorization_confirmed_by",
            "commitment_confirmed_by",
            "completion_confirmed_by",
            "project__sponsor",
            "agent__department",
            "eligibility_check",
            "eligibility_check__decided_by__department",
            "eligibility_check__confirmed_by",
        )
        .prefetch_related(
            Prefetch(
                "transitions",
                queryset=CommissionTransition.objects.select_related("actor").order_by("at", "id"),
            ),
            Prefetch(
                "assignments",
                queryset=AgentAssignment.objects.select_related("agent", "assigned_by").order_by(
                    "at", "id"
                ),
            ),
            Prefetch(
                "returned_originals",
                queryset=ReturnedOriginal.objects.select_related("recorded_by"),
            ),
        )
        .filter(pk=pk)
        .first()
    )


def commission_can_act(user) -> bool:
    """Supervisors and leaders read; they never act on a commission."""
    return user.role not in (Role.SUPERVISOR, Role.LEADER)


def commission_held_by_colleague(user, commission: Commission) -> bool:
    """True when `user` is an agent and `commission` is assigned to another agent: a colleague
    of the centre reads it (to cover) but only the assigned agent acts on it."""
    return (
        user.role == Role.AGENT
        and commission.agent_id is not None
        and commission.agent_id != user.pk
    )


# --- projects and enterprises -------------------------------------------------------------


def project_scope(user) -> Q:
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser and not user.region_id:
        return Q()
    role = user.role
    if role == Role.ENTERPRISE:
        return Q(enterprise_id=user.enterprise_id) if user.enterprise_id else NOTHING
    if role == Role.SPONSOR:
        scope = Q(sponsor=user)
        if user.department_id:
            scope |= Q(sponsor_department_id=user.department_id)
        return scope
    if role in REGION_READERS:
        path = _region_path(user)
        return Q(region__path__startswith=path) if path else NOTHING
    if role in (Role.AGENT, Role.DEPT_OFFICER, Role.DEPT_HELPER):
        visible = Commission.objects.filter(commission_scope(user), project_id=OuterRef("pk"))
        return Q(Exists(visible))
    return NOTHING


def project_list_for(user) -> QuerySet[Project]:
    """Projects with their latest commissions (prefetched: one more query for the whole list)."""
    return (
        Project.objects.filter(project_scope(user))
        .select_related("enterprise", "region", "sponsor", "sponsor_department")
        .prefetch_related(
            Prefetch(
                "commissions",
                queryset=Commission.objects.select_related("agent", "lead_department").order_by(
                    "-applied_at", "-id"
                ),
            )
        )
        .order_by("-created_at", "-id")
    )


def project_get_for(user, pk) -> Project | None:
    pk = as_id(pk)
    return None if pk is None else project_list_for(user).filter(pk=pk).first()


def enterprise_scope(user) -> Q:
    """The filter of the enterprises `user` may see: an enterprise user its own; region
    readers those of their region subtree or with a project there; the others those of the
    projects they see, and window agents also the registered enterprises of their centre's
    region subtree (they look them up when they enter an application)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser and not user.region_id:
        return Q()
    if user.role == Role.ENTERPRISE:
        return Q(pk=user.enterprise_id) if user.enterprise_id else NOTHING
    if user.role in REGION_READERS:
        path = _region_path(user)
        if not path:
            return NOTHING
        there = Project.objects.filter(enterprise_id=OuterRef("pk"), region__path__startswith=path)
        return Q(region__path__startswith=path) | Q(Exists(there))
    projects = Project.objects.filter(project_scope(user), enterprise_id=OuterRef("pk"))
    scope = Q(Exists(projects))
    if user.role == Role.AGENT and user.department_id:
        scope |= Q(region__path__startswith=user.department.region.path)
    return scope


def enterprise_list_for(user) -> QuerySet[Enterprise]:
    return (
        Enterprise.objects.filter(enterprise_scope(user))
        .select_related("region")
        .annotate(project_count=Count("projects", distinct=True))
        .order_by("name", "id")
    )


def enterprise_get_for(user, pk) -> Enterprise | None:
    pk = as_id(pk)
    return None if pk is None else enterprise_list_for(user).filter(pk=pk).first()


# --- consultations --------------------------------------------------------------------------

CONSULTATION_READERS = frozenset({Role.AGENT, Role.CENTRE_ADMIN, Role.SUPERVISOR, Role.LEADER})


def consultation_scope(user) -> Q:
    """Window staff, admins, supervisors and leaders see the consultations of their region
    subtree."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser and not user.region_id:
        return Q()
    if user.role in CONSULTATION_READERS and user.region_id:
        return Q(region__path__startswith=user.region.path)
    return NOTHING


def consultation_list_for(user) -> QuerySet[Consultation]:
    return (
        Consultation.objects.filter(consultation_scope(user))
        .select_related("region", "recorded_by", "converted_commission")
        .order_by("-recorded_at", "-id")
    )


def consultation_get_for(user, pk) -> Consultation | None:
    pk = as_id(pk)
    return None if pk is None else consultation_list_for(user).filter(pk=pk).first()


# --- agent pool -------------------------------------------------------------------------------


def agent_pool_for(commission: Commission) -> tuple[QuerySet[User], Region | None]:
    """The agents who may take `commission`, and the region whose subtree an admin may pick from.

    The lead department's active agents; when it has none, the agents of the government-service
    unit (routing domain 政务服务) of the project's region or of the nearest ancestor that has
    agents.
    """
    lead = commission.lead_department
    agents = _active_agents().filter(department=lead)
    if agents.exists():
        return agents, lead.region
    for node in region_ancestors(commission.project.region):
        service = lead_department_for(region=node, domain="government_service")
        if service is not None:
            agents = _active_agents().filter(department=service)
            if agents.exists():
                return agents, service.region
        agents = _active_agents().filter(department__region=node)
        if agents.exists():
            return agents, node
    return _active_agents().none(), None


def agent_load(agents: QuerySet[User]) -> QuerySet[User]:
    """The agents annotated with `open_count`, their commissions still open, least first."""
    return agents.annotate(
        open_count=Count(
            "agent_commissions",
            filter=Q(agent_commissions__state__in=lifecycle.OPEN_STATES),
            distinct=True,
        )
    ).order_by("open_count", "username")


def agent_propose(commission: Commission) -> User | None:
    """The pool's agent with the fewest open commissions (ties: username)."""
    agents, _ = agent_pool_for(commission)
    return agent_load(agents).first()


def agent_choices_for(commission: Commission, user) -> list[User]:
    """Whom `user` may assign: an admin any agent of the pool's region subtree, an agent itself."""
    agents, region = agent_pool_for(commission)
    if user.role == Role.CENTRE_ADMIN and region is not None:
        agents = _active_agents().filter(
            Q(pk__in=agents.values("pk")) | Q(department__region__path__startswith=region.path)
        )
    elif user.role == Role.AGENT:
        agents = agents.filter(pk=user.pk)
    else:
        return []
    return list(agent_load(agents.select_related("department")))


# --- where 代办帮办 is offered -----------------------------------------------------------------


def region_lead_rules(domain: str) -> dict[str, bool]:
    """{region path: whether its routing rule for `domain` names an active department} — one
    query; with :func:`region_has_lead` it answers for every region of a list what
    ``lead_department_for`` answers for one (the nearest rule up the tree decides)."""
    return {
        path: active
        for path, active in RoutingRule.objects.filter(domain=domain).values_list(
            "region__path", "department__is_active"
        )
    }


def region_has_lead(region: Region, rules: dict[str, bool]) -> bool:
    keys = [k for k in region.path.strip("/").split("/") if k]
    for depth in range(len(keys), 0, -1):
        path = "/" + "/".join(keys[:depth]) + "/"
        if path in rules:
            return rules[path]
    return False


# --- sponsor push recipients ----------------------------------------------------------------

ZONE_LEVELS = (Region.Level.ZONE, Region.Level.COUNTY)


def zone_of(region: Region) -> Region | None:
    """The zone (or county) the region belongs to: itself or its nearest such ancestor."""
    for node in region_ancestors(region):
        if node.level in ZONE_LEVELS:
            return node
    return None


def deciding_departments(region: Region) -> list[Department]:
    """The development & reform departments (by function) nearest above ``region``: those of
    its zone, else of the nearest ancestor that has one. They decide 待发改决定 cases."""
    ancestors = list(region_ancestors(region))
    found: dict[int, list[Department]] = {}
    for department in Department.objects.filter(
        region__in=ancestors,
        is_active=True,
        function=Department.Function.DEVELOPMENT_REFORM,
    ).order_by("name"):
        found.setdefault(department.region_id, []).append(department)
    for node in ancestors:
        if node.pk in found:
            return found[node.pk]
    return []


def zone_departments_with(region: Region, function: str) -> list[Department]:
    """Active departments of the region's zone whose `function` (organization data, editable
    in the admin) is `function` — never guessed from their names."""
    zone = zone_of(region)
    if zone is None:
        return []
    return list(
        Department.objects.filter(region=zone, is_active=True, function=function).order_by("name")
    )


def credit_code_warnings_to_confirm(code: str, *, current: str = "") -> tuple[str, ...]:
    """What the person entering a credit code confirms before it is kept (issue 11 item 6):
    a region code (positions 3–8) unknown to the region list held. Only a code new to the
    platform asks: the enterprise's own ``current`` code and an already registered one (the
    registered enterprise is then used) need nothing, nor does a malformed code (its error
    comes first). Read by the enterprise form (a checkbox) and the API (a flag)."""
    code = normalize_uscc(code or "")
    if not code or code == current or Enterprise.objects.filter(credit_code=code).exists():
        return ()
    return credit_code_warnings(code)


# --- scoping registered for the admin (bangban.common.scoping, ProjectsConfig.ready) ----------


def register_scopes() -> None:
    """Tell ``bangban.common.scoping`` (read by the admin) the scoping of this app's models,
    and of the eligibility checks, which belong to a project (users are scoped by
    ``accounts.selectors.user_scope``)."""
    scoping.register(Enterprise, enterprise_scope)
    scoping.register(Project, project_scope)
    scoping.register(Commission, commission_scope)
    scoping.register(Consultation, consultation_scope)
    for model in (CommissionTransition, AgentAssignment, ReturnedOriginal):
        scoping.register(model, scoping.through("commission", Commission))
    scoping.register("eligibility.EligibilityCheck", scoping.through("project", Project))
