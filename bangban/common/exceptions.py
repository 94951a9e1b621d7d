"""Errors a service raises that pages and the API turn into answers: a stale version is a
409 "refresh", a forbidden action a 403 with its message. Every workflow uses these two.

A lost race for a database lock (:func:`is_lost_race`) is answered like a stale version: 409
with :data:`BUSY_MESSAGE`, by the API's exception handler and by ``LostRaceMiddleware``."""

from django.core.exceptions import PermissionDenied
from django.db import OperationalError

STALE_MESSAGE = "已被他人修改，请刷新后重试。"
#: What a user is told when the database refused the write for another's (a lock, a deadlock).
BUSY_MESSAGE = "系统繁忙或数据已被他人修改，请刷新后重试。"
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


#: PostgreSQL SQLSTATEs of a lost race: serialization_failure, deadlock_detected,
#: lock_not_available (also a lock_timeout).
_PG_RACE_STATES = frozenset({"40001", "40P01", "55P03"})
#: SQLite's primary result codes of a lost race: SQLITE_BUSY, SQLITE_LOCKED.
_SQLITE_RACE_CODES = frozenset({5, 6})
#: The same, by their messages (drivers without codes).
_RACE_WORDS = (
    "database is locked",
    "database table is locked",
    "database schema is locked",
    "database is busy",
    "could not serialize access",
    "deadlock detected",
    "could not obtain lock",
    "lock timeout",
)


def is_lost_race(exc: BaseException) -> bool:
    """Is ``exc`` the database refusing a statement because another transaction holds or took
    what it needed (SQLite busy or locked; PostgreSQL serialization failure, deadlock, lock
    not available)? Such a request may simply be retried after a refresh."""
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if state in _PG_RACE_STATES:
        return True
    code = getattr(cause, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF in _SQLITE_RACE_CODES:
        return True
    text = str(exc).lower()
    return any(words in text for words in _RACE_WORDS)
