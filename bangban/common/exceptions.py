"""Errors a service raises that pages and the API turn into answers: a stale version is a
409 "refresh", a forbidden action a 403 with its message. Every workflow uses these two."""

from django.core.exceptions import PermissionDenied

STALE_MESSAGE = "已被他人修改，请刷新后重试。"
#: What supervisors and leaders are told when they try to act (they only read).
READ_ONLY_MESSAGE = "您的角色只能查看，不能办理。"


class StaleVersionError(Exception):
    """The object changed since the caller read it (optimistic lock): HTTP 409."""

    def __init__(self, message: str = STALE_MESSAGE):
        super().__init__(message)
        self.message = message


class ActionForbidden(PermissionDenied):
    """The user's role (or party) may not take this action on an object it can see: HTTP 403."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def version_from(value) -> int | None:
    """A posted optimistic-lock version as an int (None when missing or not a number)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
