"""The projects app's tables, in three modules:

| module | holds |
|---|---|
| `project.py` | `Enterprise`, `Project` (SPEC §4) and the field validators the migrations name |
| `intake.py` | `Consultation`, `Commission`, `CommissionTransition`, `AgentAssignment` (SPEC §2 steps 1–3) |
| `completion.py` | `ReturnedOriginal`: originals returned to the enterprise (SPEC §7) |

Import from the package (``from bangban.projects.models import Commission``): Django and the
migrations (``bangban.projects.models.signed_scan_path`` …) look here.
"""

from .completion import ReturnedOriginal
from .intake import (
    AgentAssignment,
    Commission,
    CommissionTransition,
    Consultation,
    signed_scan_path,
    validate_signed_scan,
)
from .project import (
    Enterprise,
    Project,
    known_region_segments,
    validate_credit_code_field,
    validate_industry_code_field,
    validate_mobile_field,
)

__all__ = [
    "AgentAssignment",
    "Commission",
    "CommissionTransition",
    "Consultation",
    "Enterprise",
    "Project",
    "ReturnedOriginal",
    "known_region_segments",
    "signed_scan_path",
    "validate_credit_code_field",
    "validate_industry_code_field",
    "validate_mobile_field",
    "validate_signed_scan",
]
