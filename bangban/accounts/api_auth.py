"""The API's authentication and throttling (settings.REST_FRAMEWORK names these classes).

- Tokens (rest_framework.authtoken) expire ``BANGBAN_LOGIN["api_token_days"]`` after they
  are made and are revoked by deleting them; an expired or unknown token answers 401 in
  Chinese with ``WWW-Authenticate: Token``.
- The throttles read their rates from the settings at each request (DRF's own classes freeze
  them at import), and key anonymous calls by the client address the login policy trusts
  (DRF's default trusts any X-Forwarded-For a client sends)."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from .policy import client_address
from .selectors import api_token_expires_at

INVALID_TOKEN = "接口令牌无效或已撤销。"
EXPIRED_TOKEN = "接口令牌已过期，请重新生成。"
INACTIVE_USER = "该账号已停用。"


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        model = self.get_model()
        try:
            token = model.objects.select_related("user").get(key=key)
        except model.DoesNotExist as exc:
            raise exceptions.AuthenticationFailed(INVALID_TOKEN) from exc
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(INACTIVE_USER)
        if timezone.now() >= api_token_expires_at(token):
            raise exceptions.AuthenticationFailed(EXPIRED_TOKEN)
        return (token.user, token)


class _RatesFromSettings:
    def get_rate(self):
        try:
            return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        except KeyError as exc:
            raise ImproperlyConfigured(f"No throttle rate set for scope {self.scope!r}") from exc

    def get_ident(self, request):
        return client_address(request)


class AnonThrottle(_RatesFromSettings, AnonRateThrottle):
    pass


class UserThrottle(_RatesFromSettings, UserRateThrottle):
    pass
