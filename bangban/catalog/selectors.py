"""Reads of the catalog. The public sees only the published version."""

from django.db.models import Count, Prefetch, QuerySet

from .models import CatalogVersion, Item, ItemTier, Material, Prerequisite, ServiceMode


def catalog_version_published() -> CatalogVersion | None:
    return CatalogVersion.objects.filter(status=CatalogVersion.Status.PUBLISHED).first()


def catalog_summary_published() -> dict:
    """The published catalog in figures (the list page's summary): items, the departments
    handling them, items per service mode (label, count). Two queries."""
    published = Item.objects.filter(version__status=CatalogVersion.Status.PUBLISHED).order_by()
    counts = dict(published.values_list("service_mode").annotate(n=Count("id")))
    return {
        "items": sum(counts.values()),
        "departments": published.values("department").distinct().count(),
        "modes": [(label, counts.get(mode, 0)) for mode, label in ServiceMode.choices],
    }


def item_list_published() -> QuerySet[Item]:
    """Published items with everything a list or a guide shows, in a constant number of queries."""
    return (
        Item.objects.filter(version__status=CatalogVersion.Status.PUBLISHED)
        .select_related("department", "version")
        .prefetch_related(
            Prefetch("materials", queryset=Material.objects.order_by("sort_order", "id")),
            Prefetch(
                "prerequisite_links",
                queryset=Prerequisite.objects.select_related("required").order_by(
                    "required__sort_order"
                ),
            ),
        )
        .order_by("sort_order", "code")
    )


def item_get_published(*, code: str) -> Item | None:
    """One published item for its service guide, with its tiers (分级情形)."""
    tiers = ItemTier.objects.select_related("department").order_by("sort_order", "id")
    return (
        item_list_published()
        .prefetch_related(Prefetch("tiers", queryset=tiers))
        .filter(code=code)
        .first()
    )


def item_dependents(item: Item) -> QuerySet[Item]:
    """Items of the same version that wait for `item`."""
    return Item.objects.filter(
        version_id=item.version_id, prerequisite_links__required=item
    ).order_by("sort_order")
