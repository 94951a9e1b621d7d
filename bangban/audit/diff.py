"""Old and new field values without an extra read: an instance's values are kept when it is
created or loaded (``post_init``, see ``capture``) and compared when it is written."""

from __future__ import annotations

import copy
from functools import cache

from .chain import jsonable

SNAPSHOT = "_audit_snapshot"
MASK = "******"

#: Fields whose change alone is no record (Django rewrites ``last_login`` at every login,
#: which is recorded as ``login.succeeded``).
IGNORED_FIELDS = frozenset({"last_login"})


def is_masked(name: str) -> bool:
    """Is the field a secret whose value never goes into the audit trail?"""
    return name == "password" or "secret" in name or "token" in name or name.endswith("_key")


@cache
def model_fields(model) -> tuple:
    """(name, attname, verbose name, masked) of the model's concrete fields but the key."""
    return tuple(
        (f.name, f.attname, str(f.verbose_name), is_masked(f.name))
        for f in model._meta.concrete_fields
        if not f.primary_key
    )


@cache
def _attnames(model) -> tuple:
    return tuple(f.attname for f in model._meta.concrete_fields)


def _copy(value):
    return copy.deepcopy(value) if isinstance(value, (dict, list)) else value


def take_snapshot(instance) -> None:
    """Keep the instance's current field values (the "old" values of its next write)."""
    values = instance.__dict__
    values[SNAPSHOT] = {a: _copy(values[a]) for a in _attnames(type(instance)) if a in values}


def forget_snapshot(instance) -> None:
    instance.__dict__.pop(SNAPSHOT, None)


def changes_of(instance, *, created: bool, fields=None) -> tuple[dict, list[str]]:
    """The changes a write of ``instance`` made, as ``{name: {"old": …, "new": …}}`` (only
    "new" for a created row or when the old value is unknown), and the changed fields'
    verbose names. ``fields``: the names written (None: all). Then the snapshot is renewed."""
    values = instance.__dict__
    snapshot = values.get(SNAPSHOT)
    changes: dict = {}
    labels: list[str] = []
    for name, attname, label, masked in model_fields(type(instance)):
        if attname not in values or (
            fields is not None and name not in fields and attname not in fields
        ):
            continue  # deferred and not saved, or not among the fields saved
        if name in IGNORED_FIELDS and not created:
            continue
        new = jsonable(values[attname])
        if created or snapshot is None or attname not in snapshot:
            entry = {"new": MASK if masked else new}
        else:
            old = jsonable(snapshot[attname])
            if old == new:
                continue
            entry = {"old": MASK, "new": MASK} if masked else {"old": old, "new": new}
        changes[name] = entry
        labels.append(label)
    take_snapshot(instance)
    return changes, labels


def old_values_of(instance) -> dict:
    """The instance's values as last read or written, for the record of its deletion."""
    values = instance.__dict__.get(SNAPSHOT) or instance.__dict__
    return {
        name: {"old": MASK if masked else jsonable(values[attname])}
        for name, attname, _label, masked in model_fields(type(instance))
        if attname in values
    }
