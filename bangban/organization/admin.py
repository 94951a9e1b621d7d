from django.contrib import admin

from bangban.common.admin import ScopedAdminMixin

from .models import Department, FunctionHolder, Region, RoutingRule


@admin.register(Region)
class RegionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code", "code_kind", "level", "parent")
    list_filter = ("level", "code_kind")
    search_fields = ("name", "code", "key")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    readonly_fields = ("path",)


@admin.register(Department)
class DepartmentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "region", "kind", "function", "phone", "is_active")
    list_filter = ("function", "kind", "is_active", "region")
    search_fields = ("name", "key")
    list_select_related = ("region",)
    autocomplete_fields = ("region",)


@admin.register(RoutingRule)
class RoutingRuleAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("region", "domain", "department", "note")
    list_filter = ("region", "domain")
    list_editable = ("department",)
    list_select_related = ("region", "department")
    autocomplete_fields = ("region", "department")


@admin.register(FunctionHolder)
class FunctionHolderAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("region", "domain", "items", "department", "service_mode", "source")
    list_filter = ("region", "domain", "service_mode")
    search_fields = ("key", "items", "department__name", "source")
    list_select_related = ("region", "department")
    autocomplete_fields = ("region", "department")
