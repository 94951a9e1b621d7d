"""After service in the Django admin: ratings, rectifications and visits read-only (they
change only through their steps, on their pages and the API, so the history stays whole);
the after-service settings (sampling share, days, seed) are reference data — the platform
default and each region's — edited here (a centre admin edits those of its region subtree)."""

from django.contrib import admin

from bangban.common.admin import ScopedAdminMixin

from .models import AfterServicePolicy, FollowUpVisit, Rating, Rectification, RectificationEvent


class _ReadOnlyAdmin(ScopedAdminMixin, admin.ModelAdmin):
    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class RectificationEventInline(admin.TabularInline):
    model = RectificationEvent
    extra = 0
    can_delete = False
    fields = ("at", "label", "from_state", "to_state", "actor", "note")
    readonly_fields = fields
    verbose_name_plural = "整改记录"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="操作")
    def label(self, event: RectificationEvent) -> str:
        return event.label


@admin.register(Rating)
class RatingAdmin(_ReadOnlyAdmin):
    list_display = ("rated_at", "commission", "case", "level", "source", "department", "backfilled")
    list_filter = ("level", "source", "backfilled")
    search_fields = ("commission__number", "commission__project__name", "comment")
    list_select_related = ("commission", "case__item", "department")


@admin.register(Rectification)
class RectificationAdmin(_ReadOnlyAdmin):
    list_display = ("commission", "rating", "department", "agent", "due_date", "state")
    list_filter = ("state",)
    search_fields = ("commission__number", "commission__project__name")
    list_select_related = ("commission", "rating", "department", "agent")
    inlines = [RectificationEventInline]


@admin.register(FollowUpVisit)
class FollowUpVisitAdmin(_ReadOnlyAdmin):
    list_display = (
        "commission",
        "reason",
        "due_date",
        "state",
        "method",
        "visited_at",
        "backfilled",
    )
    list_filter = ("reason", "state", "method")
    search_fields = ("commission__number", "commission__project__name", "contact")
    list_select_related = ("commission",)


@admin.register(AfterServicePolicy)
class AfterServicePolicyAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The platform default (region empty) and each region's settings; a commission follows
    its project's region or the nearest region above it (data/evaluation/after_service.yaml,
    kept on reload unless --overwrite)."""

    list_display = (
        "__str__",
        "follow_up_share",
        "follow_up_after_days",
        "rectification_days",
        "bad_rating_visit_days",
        "estimated",
        "updated_at",
    )
    list_select_related = ("region",)
    autocomplete_fields = ("region",)
    search_fields = ("region__name", "source")
