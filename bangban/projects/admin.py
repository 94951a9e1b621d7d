from django.contrib import admin

from bangban.common.admin import ScopedAdminMixin, ScopedInlineMixin
from bangban.common.scoping import is_platform_operator
from bangban.projects import lifecycle
from bangban.projects.models import (
    AgentAssignment,
    Commission,
    CommissionTransition,
    Consultation,
    Enterprise,
    Project,
    ReturnedOriginal,
)


class ProjectInline(ScopedInlineMixin, admin.TabularInline):
    model = Project
    fields = ("name", "project_code", "investment_type", "region", "is_key_project")
    readonly_fields = fields
    show_change_link = True
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Enterprise)
class EnterpriseAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "credit_code",
        "legal_representative",
        "contact_name",
        "contact_mobile",
        "region",
    )
    list_filter = ("region",)
    search_fields = ("name", "credit_code", "legal_representative", "contact_name")
    list_select_related = ("region",)
    autocomplete_fields = ("region",)
    readonly_fields = ("created_at", "updated_at")
    inlines = [ProjectInline]


@admin.register(Project)
class ProjectAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "enterprise",
        "project_code",
        "investment_type",
        "industry_code",
        "total_investment_wan",
        "is_key_project",
        "region",
        "updated_at",
    )
    list_filter = ("investment_type", "is_key_project", "land_source", "eia_category", "region")
    search_fields = ("name", "project_code", "enterprise__name", "enterprise__credit_code")
    list_select_related = ("enterprise", "region")
    autocomplete_fields = ("enterprise", "region", "sponsor", "sponsor_department")
    readonly_fields = ("version", "created_at", "updated_at")
    date_hierarchy = "created_at"
    fieldsets = (
        (
            "基本信息",
            {
                "fields": (
                    "name",
                    "enterprise",
                    ("sponsor", "sponsor_department"),
                    "region",
                    "project_code",
                    "investment_type",
                    "industry_code",
                    "total_investment_wan",
                    ("is_key_project", "energy_project", "facility_agriculture"),
                    "unit_registered",
                    "description",
                )
            },
        ),
        (
            "用地",
            {
                "fields": (
                    ("land_source", "land_area_ha"),
                    ("new_construction_land", "land_use_change"),
                    ("forest_land_ha", "forest_land_temporary", "forest_type"),
                    ("grassland_ha", "basic_grassland"),
                )
            },
        ),
        (
            "能耗与环评",
            {
                "fields": (
                    ("energy_tce", "electricity_wan_kwh"),
                    "eia_category",
                    ("water_intake_self", "sewer_discharge"),
                )
            },
        ),
        (
            "建设内容",
            {
                "fields": (
                    ("building_area_m2", "earthwork_m3"),
                    ("special_construction", "public_gathering", "lightning_protection"),
                    "simple_low_risk",
                )
            },
        ),
        (
            "特殊情形",
            {
                "fields": (
                    ("hazardous_waste_business", "gas_business"),
                    ("highway_project", "road_works", "city_road_dig"),
                    ("pipeline_zone", "relic_control_zone"),
                    ("flood_zone", "water_project"),
                    ("municipal_facility_change", "green_land_use"),
                )
            },
        ),
        ("记录", {"fields": ("version", "created_at", "updated_at"), "classes": ("collapse",)}),
    )

    def get_autocomplete_fields(self, request):
        # The users' admin is the platform operators' (a centre admin may not search every
        # user): others pick the sponsor from the users of their region subtree.
        fields = super().get_autocomplete_fields(request)
        if is_platform_operator(request.user):
            return fields
        return tuple(name for name in fields if name != "sponsor")

    def save_model(self, request, obj, form, change) -> None:
        # Admin edits take part in the optimistic lock of the services: each save is a new version.
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


# --- intake: read-only in the admin (states change only through the services) ----------------


class ActionFilter(admin.SimpleListFilter):
    title = "操作"
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return list(lifecycle.ACTION_LABELS.items())

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


class ToStateFilter(admin.SimpleListFilter):
    title = "新状态"
    parameter_name = "to_state"

    def lookups(self, request, model_admin):
        return list(lifecycle.STATE_LABELS.items())

    def queryset(self, request, queryset):
        return queryset.filter(to_state=self.value()) if self.value() else queryset


class ReadOnlyAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Commissions, their history and consultations are written by the services (lifecycle
    table, optimistic lock, notifications); the admin shows them and never edits them."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class HistoryInWords:
    """A history row's action and states as the lifecycle names them (「指派代办员」,
    「已申请 → 已核实」), never their slugs."""

    @admin.display(description="操作", ordering="action")
    def action_in_words(self, row: CommissionTransition) -> str:
        return row.action_label

    @admin.display(description="原状态", ordering="from_state")
    def from_state_in_words(self, row: CommissionTransition) -> str:
        return row.from_state_label if row.from_state else "—（新建）"

    @admin.display(description="新状态", ordering="to_state")
    def to_state_in_words(self, row: CommissionTransition) -> str:
        return row.to_state_label


class ReadOnlyInline(admin.TabularInline):
    """History shown, never added to, changed or deleted."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class CommissionTransitionInline(HistoryInWords, ReadOnlyInline):
    model = CommissionTransition
    fields = (
        "occurred_at",
        "at",
        "backfilled",
        "action_in_words",
        "from_state_in_words",
        "to_state_in_words",
        "actor",
        "reason",
    )
    readonly_fields = fields


@admin.register(CommissionTransition)
class CommissionTransitionAdmin(HistoryInWords, ReadOnlyAdmin):
    """The history of every commission, read-only: it is written by the services only."""

    list_display = (
        "at",
        "occurred_at",
        "backfilled",
        "commission",
        "action_in_words",
        "from_state_in_words",
        "to_state_in_words",
        "actor",
    )
    list_filter = (ActionFilter, ToStateFilter, "backfilled")
    search_fields = ("commission__project__name", "reason", "actor__username")
    list_select_related = ("commission__project", "actor")
    date_hierarchy = "at"
    fields = (
        "commission",
        "action_in_words",
        "from_state_in_words",
        "to_state_in_words",
        "actor",
        "reason",
        "occurred_at",
        "at",
        "backfilled",
    )
    readonly_fields = fields


class AgentAssignmentInline(ReadOnlyInline):
    model = AgentAssignment
    fields = ("agent", "assigned_by", "is_override", "reason", "at", "ended_at")
    readonly_fields = fields


class ReturnedOriginalInline(ReadOnlyInline):
    model = ReturnedOriginal
    fields = ("name", "copies", "returned_on", "received_by", "recorded_by", "recorded_at")
    readonly_fields = fields


@admin.register(Commission)
class CommissionAdmin(ReadOnlyAdmin):
    list_display = (
        "number",
        "project",
        "state",
        "channel",
        "lead_department",
        "agent",
        "applied_at",
    )
    list_filter = ("state", "channel", "scope", "is_priority", "awaiting_decision")
    search_fields = (
        "project__name",
        "project__enterprise__name",
        "project__enterprise__credit_code",
    )
    list_select_related = ("project", "lead_department", "agent")
    date_hierarchy = "applied_at"
    inlines = [AgentAssignmentInline, ReturnedOriginalInline, CommissionTransitionInline]


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyAdmin):
    list_display = ("recorded_at", "channel", "topic", "enterprise_name", "region", "recorded_by")
    list_filter = ("channel",)
    search_fields = ("topic", "question", "enterprise_name", "contact")
    list_select_related = ("region", "recorded_by")
    date_hierarchy = "recorded_at"
