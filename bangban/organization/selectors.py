from django.db.models import QuerySet

from .models import Department, Region, RoutingRule


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
