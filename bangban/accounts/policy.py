"""The login policy, read from settings (BANGBAN_PASSWORD_POLICY, BANGBAN_LOGIN) at call time
so a test's ``settings`` override takes effect. docs/login.md describes each value."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

#: The session key set once the second factor is done (its value: the user's pk).
SECOND_FACTOR_SESSION_KEY = "bangban_second_factor"


@dataclass(frozen=True)
class LoginPolicy:
    lockout_failures: int
    lockout_address_failures: int
    lockout_minutes: int
    client_address_header: str
    second_factor_roles: frozenset[str]
    totp_issuer: str
    api_token_days: int
    password_max_age_days: int

    @property
    def lockout_window(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.lockout_minutes)

    @property
    def api_token_ttl(self) -> dt.timedelta:
        return dt.timedelta(days=self.api_token_days)


def login_policy() -> LoginPolicy:
    login = settings.BANGBAN_LOGIN
    return LoginPolicy(
        lockout_failures=login["lockout_failures"],
        lockout_address_failures=login["lockout_address_failures"],
        lockout_minutes=login["lockout_minutes"],
        client_address_header=login["client_address_header"],
        second_factor_roles=frozenset(login["second_factor_roles"]),
        totp_issuer=login["totp_issuer"],
        api_token_days=login["api_token_days"],
        password_max_age_days=settings.BANGBAN_PASSWORD_POLICY["max_age_days"],
    )


def client_address(request) -> str:
    """The client's address as the policy says where to find it ("unknown" without one)."""
    if request is None:
        return "unknown"
    value = request.META.get(login_policy().client_address_header, "") or ""
    # In an X-Forwarded-For list the last entry is the one our own proxy added; the ones
    # before it are whatever the client claimed.
    return value.split(",")[-1].strip()[:150] or "unknown"


def second_factor_required(user) -> bool:
    """Superusers and the roles of the policy log in with a TOTP code after the password."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or user.role in login_policy().second_factor_roles


def second_factor_done(request) -> bool:
    return request.session.get(SECOND_FACTOR_SESSION_KEY) == request.user.pk
