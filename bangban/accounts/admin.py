from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from . import services
from .forms import AdminLoginForm
from .models import LoginLock, User

# The admin's own login page counts failures and says when a locked account may retry.
admin.site.login_form = AdminLoginForm


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
        ("时间", {"fields": ("last_login", "date_joined", "password_changed_at")}),
    )
    readonly_fields = ("password_changed_at",)
    actions = ["unlock_login", "reset_second_factor"]

    @admin.action(description="解除所选用户的登录锁定")
    def unlock_login(self, request, queryset):
        removed = sum(services.login_lock_clear(username=u.username) for u in queryset)
        self.message_user(request, f"已解除 {removed} 个登录锁定。", messages.SUCCESS)

    @admin.action(description="重置所选用户的动态验证码（下次登录重新绑定）")
    def reset_second_factor(self, request, queryset):
        reset = sum(services.totp_reset(user=u) for u in queryset)
        self.message_user(request, f"已重置 {reset} 个用户的动态验证码。", messages.SUCCESS)

    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        (
            "身份",
            {"fields": ("display_name", "role", "region", "department", "enterprise", "mobile")},
        ),
    )


@admin.register(LoginLock)
class LoginLockAdmin(admin.ModelAdmin):
    list_display = ("kind", "key", "failures", "last_failure_at", "locked_until")
    list_filter = ("kind",)
    search_fields = ("key",)
    readonly_fields = ("kind", "key", "failures", "last_failure_at", "locked_until")
    actions = ["unlock"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="解除所选锁定")
    def unlock(self, request, queryset):
        removed = 0
        for lock in queryset:
            if lock.kind == LoginLock.Kind.ACCOUNT:
                removed += services.login_lock_clear(username=lock.key)
            else:
                removed += services.login_lock_clear(address=lock.key)
        self.message_user(request, f"已解除 {removed} 个登录锁定。", messages.SUCCESS)
