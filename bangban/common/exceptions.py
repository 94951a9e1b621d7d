"""Errors a service raises that pages and the API turn into answers: a stale version is a
409 "refresh", a forbidden action a 403 with its message. Every workflow uses these two."""

from django.core.exceptions import PermissionDenied

STALE_MESSAGE = "已被他人修改，请刷新后重试。"


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
