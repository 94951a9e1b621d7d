"""Complaints and accountability in the Django admin: complaints and records read-only (they
change only through their steps, on their pages and the API, so the history stays whole);
the time limits per region are reference data, edited here by the platform's operators."""

from django.contrib import admin

from bangban.common.admin import ScopedAdminMixin

from .models import AccountabilityRecord, Complaint, ComplaintEvent, ComplaintPolicy


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class _ReadOnlyAdmin(ScopedAdminMixin, admin.ModelAdmin):
    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ComplaintEventInline(_ReadOnlyInline):
    model = ComplaintEvent
    fields = ("at", "action", "from_state", "to_state", "actor", "note")
    readonly_fields = fields
    verbose_name_plural = "投诉办理记录"


@admin.register(Complaint)
class ComplaintAdmin(_ReadOnlyAdmin):
    list_display = (
        "received_at",
        "channel",
        "category",
        "subject_user",
        "subject_department",
        "state",
        "finding",
        "due_date",
        "backfilled",
    )
    list_filter = ("state", "channel", "category", "finding", "backfilled")
    search_fields = ("content", "complainant")
    list_select_related = ("subject_user", "subject_department")
    inlines = [ComplaintEventInline]


@admin.register(AccountabilityRecord)
class AccountabilityRecordAdmin(_ReadOnlyAdmin):
    list_display = (
        "issued_at",
        "kind",
        "number",
        "subject_user",
        "subject_department",
        "category",
        "source",
    )
    list_filter = ("kind", "source", "category")
    search_fields = ("number", "facts")
    list_select_related = ("subject_user", "subject_department")


@admin.register(ComplaintPolicy)
class ComplaintPolicyAdmin(ScopedAdminMixin, admin.ModelAdmin):
    platform_wide = True
    list_display = ("region", "working_days", "estimated", "source")
    list_select_related = ("region",)
