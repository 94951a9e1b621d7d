"""The backup's JSON: Django's ``json`` serialization with times kept to the microsecond.

Django's ``DjangoJSONEncoder`` cuts datetimes and times to milliseconds. A restore would then
bring back every time a little earlier than it was — and the audit chain hashes each record's
time to the microsecond, so every restored record would fail ``verify_audit``. Loading needs
nothing special: Django's ``json`` deserializer reads the full ISO 8601 form (``loaddata``
picks it by the file's ``.json`` extension)."""

from __future__ import annotations

import datetime as dt

from django.core.serializers import json as django_json
from django.core.serializers.json import DjangoJSONEncoder

#: The name ``dumpdata --format`` knows it by (registered by ``backup.backup_write``).
FORMAT = "bangban-json"


class PreciseJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, dt.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, dt.time):
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self):
        self.options.setdefault("cls", PreciseJSONEncoder)
        super()._init_options()


Deserializer = django_json.Deserializer
