from django.contrib import admin
from django.db.models import Count, Q

from bangban.common.admin import ScopedAdminMixin

from .forms import CalendarYearNoticeForm, DayOverrideForm
from .models import CalendarYear, DayOverride
from .services import calendar_year_enter_notice, day_override_delete, day_override_set


def _adopt(obj, saved) -> None:
    """Make the admin's unsaved instance the row the service wrote (for logging/redirect)."""
    obj.pk = saved.pk
    obj._state.adding = False
    obj.refresh_from_db()


class DayOverrideInline(admin.TabularInline):
    model = DayOverride
    fields = ["date", "is_working_day", "name", "note", "source"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name = "日期调整"
    verbose_name_plural = "本年度的日期调整（由通知生成；单日调整请在“日期调整”中维护）"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CalendarYear)
class CalendarYearAdmin(ScopedAdminMixin, admin.ModelAdmin):
    platform_wide = True  # the State Council's calendar: platform operators enter it
    form = CalendarYearNoticeForm
    inlines = [DayOverrideInline]
    list_display = [
        "year",
        "confirmed",
        "notice_title",
        "days_off",
        "working_days",
        "entered_by",
        "entered_at",
    ]
    list_filter = ["confirmed"]
    readonly_fields = ["confirmed", "entered_by", "entered_at"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return ["year", *fields] if obj is not None else fields

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # nothing to list before saving

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("entered_by")
            .annotate(
                n_off=Count("overrides", filter=Q(overrides__is_working_day=False)),
                n_working=Count("overrides", filter=Q(overrides__is_working_day=True)),
            )
        )

    @admin.display(description="休息日数", ordering="n_off")
    def days_off(self, obj):
        return obj.n_off

    @admin.display(description="上班日数", ordering="n_working")
    def working_days(self, obj):
        return obj.n_working

    def save_model(self, request, obj, form, change):
        saved = calendar_year_enter_notice(
            year=obj.year,
            text=form.cleaned_data["notice_text"],
            title=form.cleaned_data.get("notice_title", ""),
            user=request.user,
        )
        _adopt(obj, saved)


@admin.register(DayOverride)
class DayOverrideAdmin(ScopedAdminMixin, admin.ModelAdmin):
    platform_wide = True
    form = DayOverrideForm
    list_display = ["date", "weekday", "is_working_day", "name", "source", "calendar_year"]
    list_filter = ["is_working_day", "source", "calendar_year"]
    search_fields = ["name", "note"]
    date_hierarchy = "date"
    readonly_fields = ["source", "calendar_year"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return ["date", *fields] if obj is not None else fields

    @admin.display(description="星期")
    def weekday(self, obj):
        return "周" + "一二三四五六日"[obj.date.weekday()]

    def save_model(self, request, obj, form, change):
        saved = day_override_set(
            date=obj.date,
            is_working_day=obj.is_working_day,
            name=obj.name,
            note=obj.note,
            user=request.user,
        )
        _adopt(obj, saved)

    def delete_model(self, request, obj):
        day_override_delete(override=obj)
