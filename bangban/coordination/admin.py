"""Coordination in the Django admin: read-only (a meeting, a decision or a task order changes
only through its steps, on its page and the API, so the history stays whole); the history
in words."""

from django.contrib import admin

from bangban.common.admin import ScopedAdminMixin

from .models import ActionItem, Meeting, MeetingEvent, MeetingProblem, TaskOrder, TaskOrderEvent


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(ScopedAdminMixin, admin.ModelAdmin):
    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class MeetingProblemInline(ReadOnlyInline):
    model = MeetingProblem
    fields = ("text",)
    readonly_fields = fields


class ActionItemInline(ReadOnlyInline):
    model = ActionItem
    fields = ("text", "owner_department", "due_date", "status", "done_note", "done_at")
    readonly_fields = fields


class MeetingEventInline(ReadOnlyInline):
    model = MeetingEvent
    fields = ("at", "action_label", "state_label", "actor", "note")
    readonly_fields = fields
    verbose_name_plural = "会议记录"

    @admin.display(description="操作")
    def action_label(self, event: MeetingEvent) -> str:
        return event.get_action_display()

    @admin.display(description="状态")
    def state_label(self, event: MeetingEvent) -> str:
        return f"{event.from_state or '—'} → {event.to_state}"


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "state", "starts_at", "host_department", "recurrence")
    list_filter = ("kind", "state")
    search_fields = ("title", "place")
    list_select_related = ("host_department",)
    inlines = [MeetingProblemInline, ActionItemInline, MeetingEventInline]


@admin.register(ActionItem)
class ActionItemAdmin(ReadOnlyAdmin):
    list_display = ("text", "meeting", "owner_department", "due_date", "status")
    list_filter = ("status",)
    search_fields = ("text", "meeting__title")
    list_select_related = ("meeting", "owner_department")


class TaskOrderEventInline(ReadOnlyInline):
    model = TaskOrderEvent
    fields = ("at", "action_label", "state_label", "actor", "note")
    readonly_fields = fields
    verbose_name_plural = "任务单记录"

    @admin.display(description="操作")
    def action_label(self, event: TaskOrderEvent) -> str:
        return event.get_action_display()

    @admin.display(description="状态")
    def state_label(self, event: TaskOrderEvent) -> str:
        labels = dict(TaskOrder.State.choices)
        before = labels.get(event.from_state, "—") if event.from_state else "—"
        return f"{before} → {event.get_to_state_display()}"


@admin.register(TaskOrder)
class TaskOrderAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "commission", "company", "state", "due_date", "issued_at")
    list_filter = ("state", "company")
    search_fields = ("commission__number", "commission__project__name")
    list_select_related = ("commission", "company")
    inlines = [TaskOrderEventInline]
