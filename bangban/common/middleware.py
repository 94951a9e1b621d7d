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

from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
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
