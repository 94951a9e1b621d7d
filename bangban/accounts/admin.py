from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = (
        "username",
        "display_name",
        "role",
        "region",
        "department",
        "is_active",
        "last_login",
    )
    list_filter = ("role", "is_active", "region", "department")
    search_fields = ("username", "display_name", "mobile")
    list_select_related = ("region", "department")
    autocomplete_fields = ("region", "department", "enterprise")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            "身份",
            {
                "fields": (
                    "display_name",
                    "role",
                    "region",
                    "department",
                    "enterprise",
                    "mobile",
                    "email",
                )
            },
        ),
        ("权限", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("时间", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        (
            "身份",
            {"fields": ("display_name", "role", "region", "department", "enterprise", "mobile")},
        ),
    )
