"""What every workflow over a lifecycle table (bangban.rules.workflow) shares: the action
table (:class:`Action` rows in a :class:`Workflow`) and what the services do alike — find the
row of an action (an illegal step is a ValidationError, a user who is not its party an
ActionForbidden), refuse a stale version (409) and hand the saved values back to the caller's
object."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from bangban.common.exceptions import ActionForbidden, StaleVersionError, version_from
from bangban.rules.workflow import Table, Transition


def checked_row(
    table: Table,
    action: str,
    state: str,
    actor,
    obj,
    is_party: Callable[[str, object, object], bool],
) -> Transition:
    """The table's row (illegal → ValidationError) and the party (else ActionForbidden)."""
    row = table.find(action, state)
    if row is None:
        raise ValidationError(table.illegal_message(action, state), code="illegal")
    if not any(is_party(side, actor, obj) for side in row.sides):
        raise ActionForbidden(table.forbidden_message(action))
    return row


def refuse_stale(expected_version, version: int, message: str) -> None:
    """A version the caller read that is no longer the saved one: 409 with the message."""
    if expected_version is not None and int(expected_version) != version:
        raise StaleVersionError(message)


def copy_saved(fresh, obj) -> None:
    """Give the caller's object the saved values (it keeps its prefetched relations)."""
    for name in [f.attname for f in type(fresh)._meta.concrete_fields]:
        setattr(obj, name, getattr(fresh, name))


# --- action tables ---------------------------------------------------------------------------

Runner = Callable[[Any, Any, int | None, Mapping[str, Any]], Any]


def _always(obj) -> bool:
    return True


@dataclass(frozen=True)
class Action:
    """One row of an action table: the lifecycle action's slug (the last segment of the page's
    POST ``…/action/<slug>/`` and of the API's ``…/{id}/<slug>/``), what the API documentation
    says, the one service it calls, what the user is told afterwards, the inputs its form asks
    for besides ``version``, and when it is offered at all."""

    slug: str
    summary: str
    run: Runner  # (object, user, version, data) → what the service returned
    done: Callable[[Any], str]  # what the user is told, from what the service returned
    fields: tuple[str, ...] = ()
    ready: Callable[[Any], bool] = _always
    danger: bool = False
    page: str = ""  # the URL name of a page of its own (instead of a form on the detail page)


class Workflow:
    """One action table over one lifecycle table. Its readers: the pages' buttons and POST
    handlers, the API's action endpoints and ``allowed_actions``; :meth:`may` is the one answer
    to "may this user take this action on this object now" (the services check it all again
    when they write). ``is_party(side, user, obj)`` is the app's; ``state`` names the attribute
    holding the object's state."""

    def __init__(
        self,
        table: Table,
        is_party: Callable[[str, Any, Any], bool],
        actions: tuple[Action, ...],
        *,
        state: str = "state",
    ):
        self.table = table
        self.is_party = is_party
        self.state = state
        self.actions = actions
        self.by_slug = {action.slug: action for action in actions}
        assert set(self.by_slug) == set(table.actions), "a row per lifecycle action"

    def label(self, slug: str) -> str:
        return self.table.actions[slug]

    def may(self, user, obj, slug: str) -> bool:
        """May ``user`` take ``slug`` on ``obj`` now? (The one answer.)"""
        action = self.by_slug.get(slug)
        if action is None:
            return False
        row = self.table.find(slug, getattr(obj, self.state))
        return (
            row is not None
            and any(self.is_party(side, user, obj) for side in row.sides)
            and action.ready(obj)
        )

    def allowed(self, user, obj) -> list[str]:
        """The slugs ``user`` may take now, in table order."""
        return [action.slug for action in self.actions if self.may(user, obj, action.slug)]

    def offered(self, user, obj) -> list[Action]:
        allowed = set(self.allowed(user, obj))
        return [action for action in self.actions if action.slug in allowed]

    def run(self, slug: str, *, obj, user, data: Mapping[str, Any]) -> str:
        """Take ``slug`` with cleaned ``data``; returns what to tell the user."""
        action = self.by_slug[slug]
        result = action.run(obj, user, version_from(data.get("version")), data)
        return action.done(result)
