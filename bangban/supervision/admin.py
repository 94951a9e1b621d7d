"""Supervision in the Django admin, scoped like the pages (``bangban.common.admin``)."""

from django import forms
from django.contrib import admin

from bangban.common import scoping
from bangban.common.admin import ScopedAdminMixin

from .models import EvaluationScheme, MonthlyReport, StaffingMinimum


class StaffingMinimumForm(forms.ModelForm):
    #: Set by the admin for a user who is not a platform operator: the row needs a region.
    region_required = False

    class Meta:
        model = StaffingMinimum
        fields = ("region", "unit_kind", "role", "minimum", "source")

    def clean_region(self):
        region = self.cleaned_data.get("region")
        if region is None and self.region_required:
            raise forms.ValidationError("请选择适用区划（全平台默认标准由平台运维人员维护）。")
        return region


@admin.register(StaffingMinimum)
class StaffingMinimumAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The staffing minimums (data/supervision/staffing.yaml; editable here). A centre admin
    sets the rows of its region subtree, which override the platform-wide defaults there; the
    defaults (no region) are the platform operators'."""

    form = StaffingMinimumForm
    list_display = ("unit_kind", "role", "minimum", "region", "source")
    list_filter = ("unit_kind", "region")
    list_select_related = ("region",)
    autocomplete_fields = ("region",)
    search_fields = ("region__name", "source")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.region_required = not scoping.is_platform_operator(request.user)
        return form


# --- monthly report and annual evaluation ---


@admin.register(EvaluationScheme)
class EvaluationSchemeAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The annual evaluation's weights per year and track (data/supervision/
    evaluation_schemes.yaml; editable here by the platform's operators: the same scheme for
    every region)."""

    platform_wide = True
    list_display = ("year", "track", "weights", "pass_mark", "complaint_deduction", "note")
    list_filter = ("track",)
    ordering = ("-year", "track")


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The prepared monthly reports (read only: they are prepared and reviewed on their
    pages, where the figures snapshot is printed)."""

    list_display = ("month", "region", "state", "due_date", "prepared_at", "reviewed_at")
    list_filter = ("state",)
    list_select_related = ("region",)
    readonly_fields = [
        "region",
        "month",
        "state",
        "due_date",
        "figures",
        "prepared_at",
        "prepared_by",
        "reviewed_at",
        "reviewed_by",
        "review_note",
        "version",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- end monthly report and annual evaluation ---
