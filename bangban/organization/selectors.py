from django.db.models import Q, QuerySet

from bangban.common import scoping
from bangban.common.scoping import NOTHING
from bangban.rules.handling import FunctionHolding

from .models import Department, FunctionHolder, Region, RoutingRule


def region_subtree(region: Region) -> QuerySet[Region]:
    return Region.objects.filter(path__startswith=region.path)


def region_ancestors(region: Region) -> list[Region]:
    """The region and its ancestors, nearest first (one query)."""
    keys = [k for k in region.path.strip("/").split("/") if k]
    by_key = {r.key: r for r in Region.objects.filter(key__in=keys)}
    return [by_key[k] for k in reversed(keys) if k in by_key]


def lead_department_for(*, region: Region, domain: str) -> Department | None:
    """The department that leads `domain` for a project in `region`: the routing rule of the
    nearest region up the tree. None means "the project's industry office" (SPEC §3)."""
    chain = region_ancestors(region)
    rules = {
        rule.region_id: rule.department
        for rule in RoutingRule.objects.filter(region__in=chain, domain=domain).select_related(
            "department"
        )
    }
    for node in chain:
        if node.pk in rules:
            return rules[node.pk]
    return None


def function_holdings_for(region_path: str) -> tuple[FunctionHolding, ...]:
    """The function-holder rows of the region at ``region_path`` and of every region above it,
    as plain data for the planner (``bangban.rules.handling.holding_for`` picks the nearest).
    One query."""
    keys = [key for key in region_path.strip("/").split("/") if key]
    rows = (
        FunctionHolder.objects.filter(region__key__in=keys)
        .select_related("region", "department__region")
        .order_by("region__path", "key")
    )
    return tuple(
        FunctionHolding(
            region_path=row.region.path,
            domain=row.domain,
            codes=frozenset(row.codes),
            department_key=row.department.key,
            department_name=row.department.name,
            department_path=row.department.region.path,
            service_mode=row.service_mode,
            source=row.source,
        )
        for row in rows
    )


# --- scoping (SPEC §8; registered with bangban.common.scoping by OrganizationConfig) --------


def _subtree_q(user, field: str) -> Q:
    """The rows whose ``field`` (a region) lies in ``user``'s region subtree."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser and not user.region_id:
        return Q()
    if not user.region_id:
        return NOTHING
    prefix = f"{field}__path" if field else "path"
    return Q(**{f"{prefix}__startswith": user.region.path})


def region_scope(user) -> Q:
    """The regions of the user's region subtree (itself included)."""
    return _subtree_q(user, "")


def department_scope(user) -> Q:
    """The departments of the user's region subtree."""
    return _subtree_q(user, "region")


def routing_rule_scope(user) -> Q:
    """The routing rules of the user's region subtree (a rule's department lies in its region
    or below, so these name only departments of the subtree)."""
    return _subtree_q(user, "region")


def function_holder_scope(user) -> Q:
    """The function-holder rows of the user's region subtree."""
    return _subtree_q(user, "region")


def register_scopes() -> None:
    """Tell ``bangban.common.scoping`` (read by the admin) the scoping of this app's models."""
    scoping.register(Region, region_scope)
    scoping.register(Department, department_scope)
    scoping.register(RoutingRule, routing_rule_scope)
    scoping.register(FunctionHolder, function_holder_scope)
