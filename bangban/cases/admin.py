"""The ledger in the Django admin: read-only (a case changes only through its steps, on the
case page and the API, so the history stays whole); the history in words."""

from django.contrib import admin

from bangban.common.admin import ScopedAdminMixin

from .models import Case, CaseEvent, CaseMaterial, Escalation, Suspension


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class CaseEventInline(ReadOnlyInline):
    model = CaseEvent
    fields = (
        "occurred_at",
        "recorded_at",
        "backfilled",
        "action_label",
        "state_label",
        "actor",
        "reason",
    )
    readonly_fields = fields
    verbose_name_plural = "办理记录"

    @admin.display(description="操作")
    def action_label(self, event: CaseEvent) -> str:
        return event.get_action_display()

    @admin.display(description="状态")
    def state_label(self, event: CaseEvent) -> str:
        before = event.get_from_state_display() if event.from_state else "—"
        return f"{before} → {event.get_to_state_display()}"


class CaseMaterialInline(ReadOnlyInline):
    model = CaseMaterial
    fields = ("name", "is_core", "status", "supplement_due", "supplemented_on", "note")
    readonly_fields = fields


class SuspensionInline(ReadOnlyInline):
    model = Suspension
    fields = ("kind", "reason", "start", "end")
    readonly_fields = fields


@admin.register(Case)
class CaseAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "code",
        "item",
        "commission",
        "department",
        "state",
        "due_date",
        "actual_finish",
    )
    list_filter = ("state", "department")
    search_fields = ("code", "item__name", "commission__number", "commission__project__name")
    list_select_related = ("item", "commission", "department")
    inlines = [CaseMaterialInline, SuspensionInline, CaseEventInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Case._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Escalation)
class EscalationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "problem",
        "kind",
        "state",
        "commission",
        "leader",
        "raised_at",
        "instruction_due",
    )
    list_filter = ("state", "kind")
    list_select_related = ("commission", "leader")

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Escalation._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
