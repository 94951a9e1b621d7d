"""Writes on accounts: users, their passwords, login failures and locks, TOTP devices and API
tokens. docs/login.md tells the login story these services implement."""

from __future__ import annotations

import datetime as dt

import pyotp
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from rest_framework.authtoken.models import Token

from bangban.audit.services import audit_record

from .crypto import decrypt_secret, encrypt_secret
from .models import LoginLock, Role, TotpDevice, User
from .policy import login_policy
from .selectors import api_token_expires_at, login_lock_active


class AccountLocked(Exception):
    """Too many failures: the account or the address is locked until ``lock.locked_until``."""

    def __init__(self, lock: LoginLock):
        super().__init__(f"{lock.kind} {lock.key} locked until {lock.locked_until}")
        self.lock = lock


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    display_name: str = "",
    region=None,
    department=None,
    mobile: str = "",
    enterprise=None,
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    user = User(
        username=username,
        role=role,
        display_name=display_name,
        region=region,
        department=department,
        mobile=mobile,
        enterprise=enterprise,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def user_password_set(*, user: User, password: str) -> User:
    """A new password (already checked by the form, checked again here against the policy);
    stamps ``password_changed_at`` (User.save)."""
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


# --- lockout ---------------------------------------------------------------------------------


def _count_failure(kind: str, key: str, threshold: int, now: dt.datetime) -> LoginLock | None:
    if threshold <= 0:
        return None
    window = login_policy().lockout_window
    with transaction.atomic():
        lock, _ = LoginLock.objects.select_for_update().get_or_create(
            kind=kind, key=key, defaults={"last_failure_at": now}
        )
        if lock.is_locked(now):
            return lock  # a refused attempt does not prolong the lock
        if lock.locked_until is not None or now - lock.last_failure_at > window:
            lock.failures = 0  # the lock ran out, or the earlier failures are forgotten
            lock.locked_until = None
        lock.failures += 1
        lock.last_failure_at = now
        if lock.failures >= threshold:
            lock.locked_until = now + window
        lock.save()
        return lock


def login_failure_record(
    *, username: str, address: str, now: dt.datetime | None = None
) -> LoginLock | None:
    """Count a failed login against the account and the address; the lock it set, if any."""
    now = now or timezone.now()
    policy = login_policy()
    account = _count_failure(
        LoginLock.Kind.ACCOUNT, (username or "")[:150], policy.lockout_failures, now
    )
    by_address = _count_failure(
        LoginLock.Kind.ADDRESS, address, policy.lockout_address_failures, now
    )
    # Housekeeping: rows whose failures are forgotten and whose lock ran out.
    LoginLock.objects.filter(last_failure_at__lt=now - policy.lockout_window).filter(
        Q(locked_until__isnull=True) | Q(locked_until__lte=now)
    ).delete()
    for lock in (account, by_address):
        if lock is not None and lock.is_locked(now):
            return lock
    return None


def login_success_record(*, username: str) -> None:
    """A successful login resets the account's count (the address keeps its own)."""
    LoginLock.objects.filter(kind=LoginLock.Kind.ACCOUNT, key=username[:150]).delete()


@transaction.atomic
def login_lock_clear(*, username: str = "", address: str = "") -> int:
    """A centre admin unlocks an account and/or an address; the number of locks removed."""
    query = Q(pk__in=[])
    if username:
        query |= Q(kind=LoginLock.Kind.ACCOUNT, key=username[:150])
    if address:
        query |= Q(kind=LoginLock.Kind.ADDRESS, key=address[:150])
    deleted, _ = LoginLock.objects.filter(query).delete()
    if deleted:  # the counters are not recorded (audit EXCLUDED_MODELS); lifting a lock is
        audit_record(
            action="login.unlock",
            object_type="accounts.loginlock",
            summary="解除登录锁定：" + "、".join(filter(None, (username, address))),
            changes={"username": username, "address": address, "removed": deleted},
        )
    return deleted


# --- TOTP second factor ----------------------------------------------------------------------

WRONG_CODE = "动态验证码不正确或已使用，请输入验证器上当前显示的 6 位数字。"


@transaction.atomic
def totp_enrolment_start(*, user: User) -> TotpDevice:
    """The unconfirmed device of ``user`` with a fresh secret (kept while unconfirmed, so a
    reload shows the same QR code)."""
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    if device is not None and device.is_confirmed:
        raise ValidationError("已绑定动态验证码；如需更换，请联系中心管理员重置。")
    if device is None:
        device = TotpDevice.objects.create(
            user=user, secret_encrypted=encrypt_secret(pyotp.random_base32())
        )
    return device


def _accept_code(device: TotpDevice, code: str, now: dt.datetime) -> bool:
    code = "".join(code.split())
    if len(code) != 6 or not code.isdigit():
        return False
    totp = pyotp.TOTP(decrypt_secret(device.secret_encrypted))
    current = totp.timecode(now)
    # One step either side absorbs a clock off by up to 30 s; a step already used is refused.
    for step in (current - 1, current, current + 1):
        if step > device.last_used_step and pyotp.utils.strings_equal(
            totp.generate_otp(step), code
        ):
            device.last_used_step = step
            return True
    return False


def _check_code(
    *, user: User, code: str, address: str, confirming: bool, now: dt.datetime | None
) -> TotpDevice:
    now = now or timezone.now()
    lock = login_lock_active(username=user.username, address=address, now=now)
    if lock is not None:
        raise AccountLocked(lock)
    with transaction.atomic():
        device = TotpDevice.objects.select_for_update().filter(user=user).first()
        if device is None or (confirming and device.is_confirmed):
            raise ValidationError("没有待确认的动态验证码绑定，请重新开始绑定。")
        if not confirming and not device.is_confirmed:
            raise ValidationError("尚未绑定动态验证码，请先完成绑定。")
        accepted = _accept_code(device, code, now)
        if accepted:
            if confirming:
                device.confirmed_at = now
            device.save(update_fields=["last_used_step", "confirmed_at"])
            login_success_record(username=user.username)
            return device
    # Wrong codes count like wrong passwords (outside the transaction, so they stay counted).
    lock = login_failure_record(username=user.username, address=address, now=now)
    if lock is not None:
        raise AccountLocked(lock)
    raise ValidationError(WRONG_CODE)


def totp_enrolment_confirm(
    *, user: User, code: str, address: str, now: dt.datetime | None = None
) -> TotpDevice:
    """Confirm the enrolment with a code from the authenticator; the secret is never shown
    again."""
    return _check_code(user=user, code=code, address=address, confirming=True, now=now)


def totp_verify(
    *, user: User, code: str, address: str, now: dt.datetime | None = None
) -> TotpDevice:
    """Check the code of an enrolled user at login."""
    return _check_code(user=user, code=code, address=address, confirming=False, now=now)


@transaction.atomic
def totp_device_enrol(*, user: User, secret: str, now: dt.datetime | None = None) -> TotpDevice:
    """Enrol ``user`` with a known secret, confirmed (the demo users; an operator's script)."""
    TotpDevice.objects.filter(user=user).delete()
    return TotpDevice.objects.create(
        user=user, secret_encrypted=encrypt_secret(secret), confirmed_at=now or timezone.now()
    )


@transaction.atomic
def totp_reset(*, user: User) -> bool:
    """A centre admin removes a user's device (lost phone): the next login enrols anew."""
    deleted, _ = TotpDevice.objects.filter(user=user).delete()
    return bool(deleted)


# --- API tokens --------------------------------------------------------------------------------


def api_token_allowed(user: User) -> bool:
    """Integrations are run by staff: every role but the enterprise's."""
    return user.is_active and (user.is_superuser or user.role != Role.ENTERPRISE)


@transaction.atomic
def api_token_create(*, user: User) -> Token:
    """A new token for ``user`` (the old one, if any, stops working). Its key is shown once."""
    if not api_token_allowed(user):
        raise ValidationError("该账号不能生成接口令牌。")
    replaced, _ = Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    # the audit app records bangban's models by signals; DRF's token is recorded here, and
    # never its key
    audit_record(
        action="api_token.create",
        obj=user,
        summary=f"为用户 {user.get_username()} 生成接口令牌"
        + ("（原令牌作废）" if replaced else ""),
        changes={
            "expires_at": api_token_expires_at(token).isoformat(),
            "replaced": bool(replaced),
        },
    )
    return token


@transaction.atomic
def api_token_revoke(*, user: User) -> bool:
    """Revoke the token of ``user``; whether there was one."""
    deleted, _ = Token.objects.filter(user=user).delete()
    if deleted:
        audit_record(
            action="api_token.revoke",
            obj=user,
            summary=f"撤销用户 {user.get_username()} 的接口令牌",
        )
    return bool(deleted)
