"""Who is acting, for code that records without a request in hand.

``AuditContextMiddleware`` puts the current request into a context variable for the request's
duration; :func:`audit_context` does the same for a command or a task (an actor, an action
name). :func:`current` answers the actor, address and action tag for the record being
written. The user is read from the request only when a record is written, so the API's token
authentication (which sets the user inside the view) is seen too. The middleware lives in
``bangban.audit.middleware``."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from dataclasses import dataclass, replace

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class AuditContext:
    request: object | None = None
    actor: object | None = None
    action: str | None = None


#: Set by the middleware and by audit_context; read by current().
_context: contextvars.ContextVar[AuditContext | None] = contextvars.ContextVar(
    "bangban_audit_context", default=None
)


def get_context() -> AuditContext:
    return _context.get() or AuditContext()


@contextlib.contextmanager
def audit_context(*, request=None, actor=None, action: str | None = None) -> Iterator[None]:
    """Within the block, records name ``actor`` (else the request's user) and the writes the
    generic capture records are tagged ``action`` (e.g. "import.catalog")."""
    outer = get_context()
    inner = replace(
        outer,
        request=request if request is not None else outer.request,
        actor=actor if actor is not None else outer.actor,
        action=action if action is not None else outer.action,
    )
    token = _context.set(inner)
    try:
        yield
    finally:
        _context.reset(token)


def request_user(request):
    """The authenticated user of ``request``, or None."""
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return user
    return None


def request_address(request) -> str:
    """The client's address as the server saw it (REMOTE_ADDR; a proxy in front must pass it
    through, e.g. uWSGI/gunicorn behind nginx with the real-IP module)."""
    meta = getattr(request, "META", None) or {}
    return meta.get("REMOTE_ADDR", "") or ""


_admin_prefix: str | None = None


def admin_prefix() -> str:
    global _admin_prefix
    if _admin_prefix is None:
        try:
            _admin_prefix = reverse("admin:index")
        except NoReverseMatch:
            _admin_prefix = "/admin/"
    return _admin_prefix


def is_admin_request(request) -> bool:
    path = getattr(request, "path", "") or ""
    return path.startswith(admin_prefix())
