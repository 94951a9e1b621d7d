"""System check: the file master keys are well formed (fail at start-up, not at the first upload)."""

from __future__ import annotations

from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register(checks.Tags.security)
def file_master_keys(app_configs, **kwargs):
    from .crypto import keyring

    try:
        keyring()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="documents.E001")]
    return []
