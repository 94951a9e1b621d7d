"""Length limits on free text (SPEC §8: malformed input never yields a server error; issue #12:
no field takes 5,000,000 characters).

Django's ``TextField(max_length=…)`` hands the limit to forms only; :class:`LimitedTextField`
also checks it in ``full_clean()``, so a service that validates its model refuses an
over-long text whichever way it came (page, API, admin, import). Forms that are not generated
from the model take the same limit with :data:`FORM_MESSAGES`; API serializers take
``max_length`` and answer with DRF's Chinese message (“请确保这个字段不能超过 N 个字符。”).
"""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.db import models

#: Django's message for a too long value (models and forms): ``%(limit_value)d`` the limit,
#: ``%(show_value)d`` the length given.
TOO_LONG = "最多 %(limit_value)d 个字符（现有 %(show_value)d 个）。"
#: ``error_messages`` to pass to a ``forms.CharField(max_length=…)``.
FORM_MESSAGES = {"max_length": TOO_LONG}


class LimitedTextField(models.TextField):
    """A ``TextField`` whose ``max_length`` (required) is a validator too, like a CharField's;
    the column stays unbounded text."""

    def __init__(self, *args, max_length: int, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)
        self.validators.append(MaxLengthValidator(max_length, message=TOO_LONG))

    def formfield(self, **kwargs):
        return super().formfield(**{"error_messages": FORM_MESSAGES, **kwargs})
