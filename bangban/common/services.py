"""Helpers shared by the services of every app."""

from typing import Any

from django.db import models


def model_update(
    *, instance: models.Model, fields: list[str], data: dict[str, Any]
) -> tuple[models.Model, bool]:
    """Set only the allow-listed `fields` present in `data`, validate and save them.

    Returns (instance, changed). Protects against mass assignment and tells the caller
    whether anything changed (a cheap source for the audit entry).
    """
    changed: list[str] = []
    for field in fields:
        if field in data and getattr(instance, field) != data[field]:
            setattr(instance, field, data[field])
            changed.append(field)
    if changed:
        instance.full_clean()
        instance.save(update_fields=changed)
    return instance, bool(changed)
