"""Users and login locks in the admin, scoped like every admin (docs/security.md).

A platform operator (a superuser without a region) keeps every user, their groups and
permissions. A centre admin (the group 中心管理员) keeps the staff of its centre (SPEC §1):
the users of its region subtree, never a superuser; its form has no superuser, group or
permission fields, and the region, department and enterprise it may choose are those of its
subtree, so it can raise no one above its own reach. Its unlock and TOTP reset actions, and
the login locks it sees, are those of the users it keeps."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from bangban.common import scoping
from bangban.common.admin import ScopedAdminMixin

from . import services
from .forms import AdminLoginForm
from .models import LoginLock, User
from .selectors import user_admin_scope

#: The user form's section of permissions: all of it for a platform operator; for a centre
#: admin, only whether the account is active or may open the admin.
OPERATOR_PERMISSIONS = ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")
CENTRE_PERMISSIONS = ("is_active", "is_staff")

# The admin's own login page counts failures and says when a locked account may retry.
admin.site.login_form = AdminLoginForm


@admin.register(User)
class UserAdmin(ScopedAdminMixin, BaseUserAdmin):
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
        ("权限", {"fields": OPERATOR_PERMISSIONS}),
        ("时间", {"fields": ("last_login", "date_joined", "password_changed_at")}),
    )
    readonly_fields = ("password_changed_at",)
    actions = ["unlock_login", "reset_second_factor"]

    def scope_q(self, user):
        """Not only the users of the region subtree: never a superuser (for a non-operator)."""
        return user_admin_scope(user)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if scoping.is_platform_operator(request.user):
            return fieldsets
        return tuple(
            (name, {**options, "fields": CENTRE_PERMISSIONS}) if name == "权限" else (name, options)
            for name, options in fieldsets
        )

    def save_model(self, request, obj, form, change):
        if not scoping.is_platform_operator(request.user):
            # the form has no such field; a forged value cannot reach here, but the rule is
            # the admin's, not the form's
            obj.is_superuser = False
        super().save_model(request, obj, form, change)

    @admin.action(description="解除所选用户的登录锁定", permissions=["change"])
    def unlock_login(self, request, queryset):
        removed = sum(services.login_lock_clear(username=u.username) for u in queryset)
        self.message_user(request, f"已解除 {removed} 个登录锁定。", messages.SUCCESS)

    @admin.action(
        description="重置所选用户的动态验证码（下次登录重新绑定）", permissions=["change"]
    )
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
class LoginLockAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """A centre admin sees the locks of the accounts it keeps; a lock of a client address
    (or of a name that is no user of its region) only a platform operator
    (``accounts.selectors.login_lock_scope``)."""

    list_display = ("kind", "key", "failures", "last_failure_at", "locked_until")
    list_filter = ("kind",)
    search_fields = ("key",)
    readonly_fields = ("kind", "key", "failures", "last_failure_at", "locked_until")
    actions = ["unlock"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="解除所选锁定", permissions=["delete"])
    def unlock(self, request, queryset):
        removed = 0
        for lock in queryset:
            if lock.kind == LoginLock.Kind.ACCOUNT:
                removed += services.login_lock_clear(username=lock.key)
            else:
                removed += services.login_lock_clear(address=lock.key)
        self.message_user(request, f"已解除 {removed} 个登录锁定。", messages.SUCCESS)
