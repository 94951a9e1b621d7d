"""Writes of intake and agreement (SPEC §2 steps 1–3) and of the end (SPEC §7): applications,
eligibility, assignment, the two letters, agreement, termination, completion, the enterprise's
confirmation, returned originals and archive, consultations and sponsor pushes.

Every service validates before it writes, runs in one transaction, changes a commission's
state only through `commission_transition` (which asks the table in `lifecycle.py`, locks
the row and checks its version) and starts notifications with `transaction.on_commit`. The
Chinese they show is in `bangban.projects.messages`.

| module | holds |
|---|---|
| `transition.py` | `commission_transition`, `commission_lock`, `commission_check_allowed`, said and back-filled times |
| `intake.py` | `commission_apply`, `sponsor_push`, `consultation_record`, `consultation_convert`, `enterprise_create` |
| `verification.py` | `commission_verify`, `commission_decide`, `commission_resume_after_decision` |
| `agreement.py` | `commission_assign`, the two letters, `commission_record_signed_scan`, `commission_agree`, `commission_terminate` |
| `completion.py` | `commission_complete`, `commission_confirm_completion`, `commission_record_completion_scan`, `commission_record_originals`, `commission_archive` |

Import from the package (``from bangban.projects import services``); the modules are its layout.
"""

from .agreement import (
    commission_agree,
    commission_assign,
    commission_confirm_authorization,
    commission_confirm_commitment,
    commission_record_signed_scan,
    commission_terminate,
)
from .completion import (
    commission_archive,
    commission_complete,
    commission_confirm_completion,
    commission_record_completion_scan,
    commission_record_originals,
)
from .intake import (
    CHANNELS_BY_ROLE,
    CONSULTATION_ROLES,
    ENTERPRISE_CONTACT_FIELDS,
    ENTERPRISE_FIELDS,
    ENTERPRISE_IDENTITY_FIELDS,
    FIRST_STEP_DOMAIN,
    PROJECT_FIELDS,
    application_lead_department,
    commission_apply,
    consultation_convert,
    consultation_record,
    enterprise_create,
    sponsor_push,
)
from .transition import (
    BACKFILL_AFTER,
    CLOCK_SKEW,
    STATE_TIMESTAMPS,
    commission_check_allowed,
    commission_lock,
    commission_transition,
    said_time,
)
from .verification import (
    commission_awaiting_confirmation,
    commission_confirm_eligibility,
    commission_decide,
    commission_eligibility_check,
    commission_resume_after_decision,
    commission_verify,
)

__all__ = [
    "BACKFILL_AFTER",
    "CHANNELS_BY_ROLE",
    "CLOCK_SKEW",
    "CONSULTATION_ROLES",
    "ENTERPRISE_CONTACT_FIELDS",
    "ENTERPRISE_FIELDS",
    "ENTERPRISE_IDENTITY_FIELDS",
    "FIRST_STEP_DOMAIN",
    "PROJECT_FIELDS",
    "STATE_TIMESTAMPS",
    "application_lead_department",
    "commission_agree",
    "commission_archive",
    "commission_complete",
    "commission_confirm_completion",
    "commission_record_originals",
    "commission_apply",
    "commission_assign",
    "commission_check_allowed",
    "commission_confirm_authorization",
    "commission_confirm_commitment",
    "commission_awaiting_confirmation",
    "commission_confirm_eligibility",
    "commission_decide",
    "commission_eligibility_check",
    "commission_lock",
    "commission_record_completion_scan",
    "commission_record_signed_scan",
    "commission_resume_after_decision",
    "commission_terminate",
    "commission_transition",
    "said_time",
    "commission_verify",
    "consultation_convert",
    "consultation_record",
    "enterprise_create",
    "sponsor_push",
]
