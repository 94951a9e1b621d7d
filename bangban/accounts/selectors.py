"""Reads on accounts: who may see which users and login locks (registered with
``bangban.common.scoping`` for the admin), locks, password age, TOTP enrolment, API tokens."""

from __future__ import annotations

import datetime as dt

import pyotp
import qrcode
import qrcode.image.svg
from django.db.models import Q
from django.utils import timezone
from rest_framework.authtoken.models import Token

from bangban.common import scoping
from bangban.common.scoping import NOTHING

from .crypto import decrypt_secret
from .models import LoginLock, TotpDevice, User
from .policy import login_policy


def login_lock_active(
    *, username: str, address: str, now: dt.datetime | None = None
) -> LoginLock | None:
    """The lock that refuses a login now (the account's first, then the address's)."""
    now = now or timezone.now()
    locks = LoginLock.objects.filter(
        Q(kind=LoginLock.Kind.ACCOUNT, key=(username or "")[:150])
        | Q(kind=LoginLock.Kind.ADDRESS, key=address),
        locked_until__gt=now,
    )
    return min(locks, key=lambda lock: lock.kind != LoginLock.Kind.ACCOUNT, default=None)


def login_failures_left(*, username: str, now: dt.datetime | None = None) -> int:
    """How many more wrong passwords the account takes before it is locked."""
    now = now or timezone.now()
    policy = login_policy()
    lock = LoginLock.objects.filter(kind=LoginLock.Kind.ACCOUNT, key=(username or "")[:150]).first()
    if lock is None or lock.locked_until or now - lock.last_failure_at > policy.lockout_window:
        return policy.lockout_failures
    return max(policy.lockout_failures - lock.failures, 0)


def password_age_days(user: User, now: dt.datetime | None = None) -> int:
    changed = user.password_changed_at or user.date_joined
    return ((now or timezone.now()) - changed).days


def password_change_due(user: User, now: dt.datetime | None = None) -> bool:
    """The password is older than the profile's reminder age (0: never reminded)."""
    max_age = login_policy().password_max_age_days
    return max_age > 0 and password_age_days(user, now) >= max_age


def totp_device_for(user: User) -> TotpDevice | None:
    return TotpDevice.objects.filter(user=user).first()


def totp_secret_for_enrolment(device: TotpDevice) -> str:
    """The secret, readable only while the enrolment is unconfirmed."""
    if device.is_confirmed:
        raise PermissionError("a confirmed device's secret is never shown again")
    return decrypt_secret(device.secret_encrypted)


def totp_provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(
        name=user.username, issuer_name=login_policy().totp_issuer
    )


def qr_code_svg(text: str) -> str:
    """``text`` as a QR code in inline SVG, drawn here (no image service, no CDN)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


def api_token_for(user: User) -> Token | None:
    return Token.objects.filter(user=user).first()


def api_token_expires_at(token: Token) -> dt.datetime:
    return token.created + login_policy().api_token_ttl


# --- scoping (SPEC §8; registered with bangban.common.scoping by AccountsConfig) --------------


def user_scope(user) -> Q:
    """The users ``user`` may see and name in a form (a project's sponsor): those of its
    region subtree. A platform operator sees everyone."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if scoping.is_platform_operator(user):
        return Q()
    if not user.region_id:
        return NOTHING
    return Q(region__path__startswith=user.region.path)


def user_admin_scope(user) -> Q:
    """The users ``user`` may keep in the admin (a centre admin keeps the staff of its centre,
    SPEC §1): those of its region subtree, never a superuser — superusers are the platform
    operators' to keep."""
    if scoping.is_platform_operator(user):
        return Q()
    return user_scope(user) & Q(is_superuser=False)


def login_lock_scope(user) -> Q:
    """The login locks ``user`` may see and lift: an account's lock when that account is a
    user it keeps (:func:`user_admin_scope`). A lock of a client address, or of a name that
    is no user of its region, concerns the whole platform: platform operators only."""
    if scoping.is_platform_operator(user):
        return Q()
    kept = User.objects.filter(user_admin_scope(user)).values("username")
    return Q(kind=LoginLock.Kind.ACCOUNT, key__in=kept)


def register_scopes() -> None:
    """Tell ``bangban.common.scoping`` (read by the admin) the scoping of this app's models."""
    scoping.register(User, user_scope)
    scoping.register(LoginLock, login_lock_scope)
