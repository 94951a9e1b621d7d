"""Public pages: the published catalog and each item's service guide (办事指南)."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from .filters import ItemFilter
from .models import STAGE_ORDER, Stage
from .selectors import (
    catalog_summary_published,
    catalog_version_published,
    item_dependents,
    item_get_published,
    item_list_published,
)


def item_list(request):
    filterset = ItemFilter(request.GET, queryset=item_list_published())
    queryset = filterset.qs if filterset.is_valid() else item_list_published().none()
    page = Paginator(queryset, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filterset": filterset,
        "page": page,
        "query": query.urlencode(),
        "version": catalog_version_published(),
        "stages": Stage.choices,
    }
    if request.htmx:
        return render(request, "catalog/_item_table.html", context)
    context["summary"] = catalog_summary_published()
    return render(request, "catalog/item_list.html", context)


def item_detail(request, code: str):
    item = item_get_published(code=code)
    if item is None:
        raise Http404("未找到该事项。")
    context = {
        "item": item,
        "materials": list(item.materials.all()),
        "prerequisites": [link.required for link in item.prerequisite_links.all()],
        "dependents": list(item_dependents(item)),
        "stage_index": STAGE_ORDER[item.stage] + 1,
    }
    return render(request, "catalog/item_detail.html", context)
