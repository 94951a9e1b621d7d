from django.contrib import admin, messages

from bangban.common.admin import ScopedAdminMixin

from .messages import ADMIN
from .models import Notification
from .services import notification_retry


@admin.register(Notification)
class NotificationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "subject",
        "recipient_user",
        "recipient_department",
        "channel",
        "state",
        "attempts",
        "next_attempt_at",
        "last_error",
        "is_copy",
        "created_at",
        "sent_at",
        "read_at",
    )
    list_filter = ("state", "channel", "is_copy")
    search_fields = ("subject", "body", "dedupe_key")
    list_select_related = ("recipient_user", "recipient_department")
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["retry_now"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=ADMIN["retry_action"], permissions=["change"])
    def retry_now(self, request, queryset):
        count = notification_retry(ids=queryset.values_list("pk", flat=True))
        if count:
            self.message_user(request, ADMIN["retried"].format(count=count), messages.SUCCESS)
        else:
            self.message_user(request, ADMIN["none_to_retry"], messages.WARNING)
