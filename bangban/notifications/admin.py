from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = (
        "subject",
        "recipient_user",
        "recipient_department",
        "channel",
        "is_copy",
        "created_at",
        "sent_at",
        "read_at",
    )
    list_filter = ("channel", "is_copy")
    search_fields = ("subject", "body", "dedupe_key")
    list_select_related = ("recipient_user", "recipient_department")
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
