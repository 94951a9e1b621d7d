"""A new login starts without the second factor: the flag is set only by the TOTP pages."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .policy import SECOND_FACTOR_SESSION_KEY


@receiver(user_logged_in, dispatch_uid="bangban.accounts.second_factor_reset")
def second_factor_reset(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session.pop(SECOND_FACTOR_SESSION_KEY, None)
