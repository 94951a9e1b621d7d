"""The audit trail in the admin: read-only for everyone (no add, change or delete, not even a
superuser), listed for platform operators only (no registered scope, see bangban.common.scoping)."""

from django.contrib import admin

from bangban.common.admin import ScopedAdminMixin

from .models import AuditRecord


@admin.register(AuditRecord)
class AuditRecordAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("sequence", "at", "actor_username", "remote_addr", "action", "summary")
    list_filter = ("action", "object_type")
    search_fields = ("actor_username", "action", "object_type", "object_id", "summary")
    date_hierarchy = "at"
    list_select_related = False
    show_full_result_count = False
    readonly_fields = [f.name for f in AuditRecord._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
