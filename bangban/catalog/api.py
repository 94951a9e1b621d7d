"""Public catalog API: `/api/v1/catalog/items/` and `/api/v1/catalog/items/{code}/`."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from .filters import ItemFilter
from .selectors import item_list_published


class MaterialOutput(serializers.Serializer):
    name = serializers.CharField()
    form = serializers.CharField()
    form_label = serializers.CharField(source="get_form_display")
    copies = serializers.IntegerField()
    is_core = serializers.BooleanField()
    note = serializers.CharField()


class DepartmentRef(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()


class ItemListOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    stage = serializers.CharField()
    stage_label = serializers.CharField(source="get_stage_display")
    domain = serializers.CharField()
    domain_label = serializers.CharField(source="get_domain_display")
    department = DepartmentRef()
    handling_level = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    legal_limit_days = serializers.IntegerField(allow_null=True)
    legal_limit_unit = serializers.CharField()
    promised_limit_days = serializers.IntegerField(help_text="承诺时限，工作日")
    preparation_days = serializers.IntegerField()
    service_mode = serializers.CharField()
    service_mode_label = serializers.CharField(source="get_service_mode_display")
    accept_with_gaps = serializers.BooleanField()
    notify_commit = serializers.BooleanField()
    fees = serializers.CharField()
    condition = serializers.CharField()
    estimated_fields = serializers.ListField(child=serializers.CharField())
    prerequisites = serializers.SerializerMethodField()
    materials = MaterialOutput(many=True)
    version = serializers.IntegerField(source="version.number")

    def get_prerequisites(self, item) -> list[str]:
        return [link.required.code for link in item.prerequisite_links.all()]


class ItemDetailOutput(ItemListOutput):
    aliases = serializers.ListField(child=serializers.CharField())
    legal_basis = serializers.CharField()
    condition_basis = serializers.CharField()
    gap_supplement_days = serializers.IntegerField()
    notes = serializers.CharField()
    seed_ref = serializers.CharField()
    value_sources = serializers.CharField()


@extend_schema(tags=["catalog"], summary="已发布的事项清单", auth=[])
class ItemListApi(generics.ListAPIView):
    """Published catalog items, filterable by stage, department (key), service mode, kind,
    domain, and searchable by `q`. `page_size` up to 200. No login needed."""

    permission_classes = [AllowAny]
    serializer_class = ItemListOutput
    filterset_class = ItemFilter

    def get_queryset(self):
        return item_list_published()


@extend_schema(tags=["catalog"], summary="事项办事指南", auth=[])
class ItemDetailApi(generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = ItemDetailOutput
    lookup_field = "code"

    def get_object(self):
        return get_object_or_404(item_list_published(), code=self.kwargs["code"])
