"""What the complaint and accountability services check alike: texts with their limits, ids,
the person or department a complaint or a record is about (SPEC §7, issue #13 items 3, 9).

Each check adds a Chinese message keyed by its field to ``errors``; the services raise them
all at once (``ValidationError``), before anything is written.
"""

from __future__ import annotations

from typing import Any

from bangban.accounts.models import User
from bangban.common.checks import checked_text
from bangban.common.ids import as_id
from bangban.organization.models import Department

from .complaints_parties import SUBJECT_ROLES, covers
from .messages import COMPLAINT_MESSAGES


def pk_of(value) -> Any:
    return getattr(value, "pk", value)


def an_id(value, field: str, errors: dict) -> int | None:
    """The id of an object or of a number; None when empty; an error when not a number."""
    if value in (None, ""):
        return None
    number = as_id(pk_of(value))
    if number is None:
        errors[field] = COMPLAINT_MESSAGES["id_invalid"]
    return number


def text(
    value, field: str, label: str, limit: int, errors: dict, *, required: str = "", messages=None
) -> str:
    """The stripped text; too long, or empty when ``required`` names a message of
    ``messages`` (default the complaint messages), is an error under ``field``."""
    message = (messages or COMPLAINT_MESSAGES)[required] if required else ""
    return checked_text(value, field, label, limit, errors, required_message=message)


def subject_of(
    actor,
    user_value,
    department_value,
    errors: dict,
    *,
    user_field: str,
    department_field: str,
    required_message: str = COMPLAINT_MESSAGES["subject_required"],
) -> tuple[User | None, Department | None]:
    """The person and the department a complaint or a record is about: staff who serve
    enterprises and active departments, both inside ``actor``'s region subtree. The person's
    department is the default department; naming another one is refused. At least one."""
    user_id = an_id(user_value, user_field, errors)
    department_id = an_id(department_value, department_field, errors)
    subject_user = subject_department = None
    if user_id is not None:
        subject_user = (
            User.objects.select_related("region", "department__region").filter(pk=user_id).first()
        )
        if (
            subject_user is None
            or not subject_user.is_active
            or subject_user.region_id is None
            or not covers(actor, subject_user.region)
        ):
            errors[user_field] = COMPLAINT_MESSAGES["subject_user_unknown"]
            subject_user = None
        elif subject_user.role not in SUBJECT_ROLES:
            errors[user_field] = COMPLAINT_MESSAGES["subject_user_role"]
            subject_user = None
    if department_id is not None:
        subject_department = (
            Department.objects.select_related("region").filter(pk=department_id).first()
        )
        if (
            subject_department is None
            or not subject_department.is_active
            or not covers(actor, subject_department.region)
        ):
            errors[department_field] = COMPLAINT_MESSAGES["subject_department_unknown"]
            subject_department = None
    if subject_user is not None:
        if subject_department is None and department_id is None:
            subject_department = subject_user.department
        elif subject_department is not None and subject_user.department_id != subject_department.pk:
            errors[department_field] = COMPLAINT_MESSAGES["subject_department_mismatch"].format(
                user=subject_user, department=subject_department.name
            )
    if (
        user_id is None
        and department_id is None
        and user_field not in errors
        and department_field not in errors
    ):
        errors[user_field] = required_message
    return subject_user, subject_department
