import datetime as dt

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils import timezone

from .models import LoginLock
from .policy import client_address, login_policy
from .selectors import login_failures_left, login_lock_active
from .services import user_password_set

#: Below this many tries left, a wrong password says how many remain.
WARN_WHEN_LEFT = 2


def retry_time(moment: dt.datetime) -> str:
    """The local time a lock ends, rounded up to the minute ("14:35", or "3月2日 14:35")."""
    local = timezone.localtime(moment)
    if local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    if local.date() != timezone.localdate():
        return f"{local.month}月{local.day}日 {local:%H:%M}"
    return f"{local:%H:%M}"


def lock_message(lock: LoginLock) -> str:
    minutes = login_policy().lockout_minutes
    when = retry_time(lock.locked_until)
    if lock.kind == LoginLock.Kind.ACCOUNT:
        return (
            f"登录失败次数过多，该账号已锁定 {minutes} 分钟，请于 {when} 后再试。"
            "如需提前解锁，请联系中心管理员。"
        )
    return f"本机所在网络登录失败次数过多，已暂停登录 {minutes} 分钟，请于 {when} 后再试。"


class LockoutMessagesMixin:
    """A refused login says why: locked (and until when), or wrong with the tries left."""

    def get_invalid_login_error(self):
        username = self.cleaned_data.get("username") or ""
        lock = login_lock_active(username=username, address=client_address(self.request))
        if lock is not None:
            return ValidationError(lock_message(lock), code="locked")
        message = self.error_messages["invalid_login"]
        left = login_failures_left(username=username)
        if left <= WARN_WHEN_LEFT:
            minutes = login_policy().lockout_minutes
            message = f"{message}再失败 {left} 次，账号将锁定 {minutes} 分钟。"
        return ValidationError(message, code="invalid_login")


class LoginForm(LockoutMessagesMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确。请注意区分大小写。",
        "inactive": "该账号已停用，请联系中心管理员。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"


class AdminLoginForm(LockoutMessagesMixin, AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": "用户名或密码不正确，或该账号不能进入系统管理。",
    }


class TotpCodeForm(forms.Form):
    code = forms.CharField(
        label="动态验证码",
        max_length=12,
        help_text="手机验证器应用上当前显示的 6 位数字。",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class PasswordChange(PasswordChangeForm):
    error_messages = {
        "password_incorrect": "原密码不正确，请重新输入。",
        "password_mismatch": "两次输入的新密码不一致。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "原密码"
        self.fields["new_password1"].label = "新密码"
        self.fields["new_password2"].label = "再次输入新密码"

    def save(self, commit=True):
        return user_password_set(user=self.user, password=self.cleaned_data["new_password1"])
