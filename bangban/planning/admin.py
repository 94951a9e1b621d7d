from django.contrib import admin

from bangban.common.admin import ScopedAdminMixin

from .models import TimePromise


@admin.register(TimePromise)
class TimePromiseAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The published promises of government handling time: reference data, the same for
    every user (data/planning/time_promises.yaml; editable here)."""

    platform_wide = True
    list_display = ("region", "project_type", "milestone", "working_days", "condition", "source")
    list_filter = ("project_type", "milestone")
    list_select_related = ("region",)
    autocomplete_fields = ("region",)
    search_fields = ("region__name", "source")
