import django_filters
from django.db.models import Q

from bangban.organization.models import Department, Domain

from .models import Item, ItemKind, ServiceMode, Stage


class ItemFilter(django_filters.FilterSet):
    """Shared by the public catalog page and the API."""

    stage = django_filters.ChoiceFilter(label="阶段", choices=Stage.choices, empty_label="全部阶段")
    department = django_filters.ModelChoiceFilter(
        label="办理部门",
        queryset=Department.objects.filter(catalog_items__version__status="published")
        .distinct()
        .order_by("name"),
        to_field_name="key",
        empty_label="全部部门",
    )
    service_mode = django_filters.ChoiceFilter(
        label="服务方式", choices=ServiceMode.choices, empty_label="全部方式"
    )
    kind = django_filters.ChoiceFilter(
        label="办件类型", choices=ItemKind.choices, empty_label="全部类型"
    )
    domain = django_filters.ChoiceFilter(
        label="领域", choices=Domain.choices, empty_label="全部领域"
    )
    q = django_filters.CharFilter(label="搜索", method="search")

    class Meta:
        model = Item
        fields = ["stage", "department", "service_mode", "kind", "domain", "q"]

    def search(self, queryset, name, value):
        value = value.strip()[:50]
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(code__iexact=value) | Q(department__name__icontains=value)
        )
