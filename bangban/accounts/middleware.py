"""Until a user whose role needs it has entered a TOTP code in this session, every page but
logout, the TOTP pages and static files sends them to enrol or verify (the admin included);
the API answers 403. See docs/login.md."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.urls import reverse

from .policy import second_factor_done, second_factor_required
from .selectors import totp_device_for

NEEDS_SECOND_FACTOR = "请先在网页上完成动态验证码验证（双因素认证）。"


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._open: tuple[str, ...] | None = None

    def open_paths(self) -> tuple[str, ...]:
        if self._open is None:
            self._open = (
                reverse("accounts:logout"),
                reverse("accounts:login"),
                reverse("accounts:second_factor_enrol"),
                reverse("accounts:second_factor_verify"),
                settings.STATIC_URL,
                "/healthz",
            )
        return self._open

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            second_factor_required(user)
            and not second_factor_done(request)
            and not request.path.startswith(self.open_paths())
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": NEEDS_SECOND_FACTOR}, status=403)
            device = totp_device_for(user)
            page = (
                "accounts:second_factor_verify"
                if device is not None and device.is_confirmed
                else "accounts:second_factor_enrol"
            )
            return redirect_to_login(request.get_full_path(), reverse(page))
        return self.get_response(request)
