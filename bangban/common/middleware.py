"""The last line of defence against a race lost at the database.

The services lock the row and check its version, so the second of two edits is told "已被他人
修改" (409). Should the database itself refuse a statement (SQLite busy or locked after its
timeout, a PostgreSQL deadlock or serialization failure), the request still answers 409 with
:data:`~bangban.common.exceptions.BUSY_MESSAGE`, never 500: as JSON under ``/api/`` (the API's
own views answer through ``bangban.common.api.exception_handler`` first), as text to an htmx
request, as a small page otherwise (rendered without the database, which is busy).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme

from .exceptions import BUSY_MESSAGE, is_lost_race

logger = logging.getLogger(__name__)


class LostRaceMiddleware:
    """A view whose database statement lost a race answers 409 "refresh and retry"."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_lost_race(exception):
            return None
        logger.warning(
            "lost race answered 409 at %s %s: %s", request.method, request.path, exception
        )
        return lost_race_response(request)


def lost_race_response(request) -> HttpResponse:
    """The 409 for ``request``: JSON for the API, text for htmx, a page for a browser."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": BUSY_MESSAGE}, status=409)
    if request.headers.get("HX-Request") == "true":
        return HttpResponse(BUSY_MESSAGE, status=409, content_type="text/plain; charset=utf-8")
    back = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = request.path if request.method == "GET" else "/"
    page = render_to_string("common/conflict.html", {"message": BUSY_MESSAGE, "back": back})
    return HttpResponse(page, status=409)


#: Browser features no page of ours uses (SPEC §8: deny what is not needed).
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "serial=(), bluetooth=(), interest-cohort=()"
)


class PrivateResponseMiddleware:
    """What a logged-in user sees is theirs alone: their answers carry ``Cache-Control:
    private, no-store`` (no proxy or shared computer keeps an enterprise's documents), and
    every answer denies the browser features nothing here uses (``Permissions-Policy``).

    Runs after authentication, so it also sees the user the API authenticated (DRF sets it
    on the request); static files (WhiteNoise, above) keep their long caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True, no_store=True)
        return response


def content_security_policy(directives: dict[str, list[str]]) -> str:
    """The header value of ``{directive: [sources]}``: ``"default-src 'self'; img-src …"``."""
    return "; ".join(" ".join([directive, *sources]) for directive, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    """Every answer carries the ``Content-Security-Policy`` of ``settings.SECURE_CSP`` (the
    shape Django 6.0's own setting has: directive → list of sources), so a script that slips
    into a page (an unescaped name, a polyglot upload) does not run: no page of ours has an
    inline script, ``eval`` or an ``on…=`` attribute (docs/security.md). A view that sets its
    own policy keeps it; an empty setting sends none. Sits below WhiteNoise: static files
    need none."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        header = content_security_policy(settings.SECURE_CSP)
        if header:
            response.headers.setdefault("Content-Security-Policy", header)
        return response
