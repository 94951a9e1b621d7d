"""The password backend every password login goes through (the login form, the admin's login,
and any DRF authentication that checks a password): it refuses a locked account or address
before it looks at the password, counts each failure in the database, and resets the
account's count on success (docs/login.md)."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from .models import User
from .policy import client_address
from .selectors import login_lock_active
from .services import login_failure_record, login_success_record


class LoginLocked(PermissionDenied):
    """Raised to django.contrib.auth.authenticate(), which then stops, answers None and sends
    ``user_login_failed``; the login form reads the lock to say when to retry."""


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        address = client_address(request)
        if login_lock_active(username=username, address=address) is not None:
            raise LoginLocked(username)  # even the right password is refused while locked
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            login_failure_record(username=username, address=address)
        else:
            login_success_record(username=username)
        return user
