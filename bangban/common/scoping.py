"""Who may see which rows — the registry that makes the scoping ONE answer for pages, API
and admin (SPEC §8: role × region subtree × department × assignment).

Each app writes its scoping once, as a function ``scope(user) -> Q`` over its model, in its
``selectors.py`` (``projects.selectors.commission_scope``, ``cases.selectors.case_scope``,
``coordination.selectors.meeting_scope`` …). Its pages and API filter through that function;
the app also registers it here from its ``AppConfig.ready()``::

    scoping.register("projects.Commission", commission_scope)
    scoping.register("projects.CommissionTransition", scoping.through("commission", "projects.Commission"))

and the admin (:class:`bangban.common.admin.ScopedAdminMixin`) asks the registry for the same
function: its change lists, its change pages, its per-object permissions and the choices of
its foreign keys. A lower app's model may be scoped by a higher app's rule (an eligibility
check is seen by whoever sees its project): the higher app registers it, the lower app never
imports upward.

A *platform operator* (a superuser without a region) sees everything; a superuser with a
region is scoped like its role. Nobody else is: an unregistered model gives nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db.models import Model, Q

Scope = Callable[[Any], Q]

#: A filter that matches no row.
NOTHING = Q(pk__in=[])

_SCOPES: dict[str, Scope] = {}


def _label(model: type[Model] | str) -> str:
    if isinstance(model, str):
        app_label, _, name = model.partition(".")
        return f"{app_label}.{name.lower()}"
    return model._meta.label_lower


def register(model: type[Model] | str, scope: Scope) -> None:
    """Register the scoping function of ``model`` ("app_label.Model" or the class)."""
    _SCOPES[_label(model)] = scope


def is_registered(model: type[Model] | str) -> bool:
    return _label(model) in _SCOPES


def is_platform_operator(user) -> bool:
    """A superuser without a region: the platform's operators (never a centre admin)."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.is_superuser
        and not user.region_id
    )


def scope_for(model: type[Model] | str, user) -> Q:
    """The filter of the rows of ``model`` that ``user`` may see (NOTHING when the model has
    no registered scope and the user is not a platform operator)."""
    if is_platform_operator(user):
        return Q()
    scope = _SCOPES.get(_label(model))
    if scope is None or user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    return scope(user)


def through(relation: str, model: type[Model] | str) -> Scope:
    """A scope that follows ``relation`` (a foreign key) to ``model``'s scope: a row is seen by
    whoever sees the row it belongs to."""

    def scope(user) -> Q:
        target = apps.get_model(_label(model))
        visible = target._default_manager.filter(scope_for(target, user)).values("pk")
        return Q(**{f"{relation}__in": visible})

    scope.__doc__ = f"Rows whose {relation} the user may see ({_label(model)})."
    return scope


def registered() -> dict[str, Scope]:
    """The registry (model label → scope), for the tests that walk it."""
    return dict(_SCOPES)
