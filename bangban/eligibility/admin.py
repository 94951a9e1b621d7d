"""Admin: the policy catalog is edited here; eligibility checks are read-only history."""

from django.contrib import admin

from .models import EligibilityCheck, EligibilityMatch, PolicyEntry


@admin.register(PolicyEntry)
class PolicyEntryAdmin(admin.ModelAdmin):
    list_display = [
        "key",
        "layer",
        "policy_class",
        "section",
        "short_text",
        "industry_codes",
        "applies_to",
        "condition",
        "source_date",
        "is_active",
    ]
    list_filter = ["layer", "policy_class", "applies_to", "condition", "is_active"]
    search_fields = ["key", "text", "section", "keywords", "industry_codes", "source", "note"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["key", "layer", "policy_class", "section", "text", "is_active"]}),
        (
            "命中规则",
            {"fields": ["industry_codes", "keywords", "applies_to", "condition", "qualifier"]},
        ),
        ("来源", {"fields": ["source", "source_date", "note", "sort_order"]}),
        ("记录", {"fields": ["created_at", "updated_at"]}),
    ]

    @admin.display(description="条目内容")
    def short_text(self, obj):
        return obj.text if len(obj.text) <= 40 else obj.text[:40] + "…"

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return ["key", *fields] if obj is not None else fields


class EligibilityMatchInline(admin.TabularInline):
    model = EligibilityMatch
    fields = [
        "position",
        "layer",
        "policy_class",
        "text",
        "source",
        "matched_by",
        "effect",
        "not_applicable_reason",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(EligibilityCheck)
class EligibilityCheckAdmin(admin.ModelAdmin):
    list_display = [
        "project",
        "outcome",
        "industry_code",
        "is_new_capacity",
        "checked_at",
        "checked_by",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["outcome", "is_new_capacity", "in_industrial_park", "below_energy_benchmark"]
    search_fields = ["project__name", "project__enterprise__name", "industry_code"]
    list_select_related = ["project", "checked_by", "decided_by"]
    date_hierarchy = "checked_at"
    inlines = [EligibilityMatchInline]
    fields = [
        "project",
        "industry_code",
        "is_new_capacity",
        "below_energy_benchmark",
        "in_industrial_park",
        "outcome",
        "explanation",
        "checked_at",
        "checked_by",
        "decided_by",
        "decided_at",
        "decision_reason",
        "conditions",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
