"""REST API of intake and agreement under /api/v1/: enterprises, projects, commissions (with
their transition actions and documents) and consultations.

Who may call what, in one place:

| endpoint | GET | POST |
|---|---|---|
| /enterprises/ | everyone, scoped (selectors) | agent, centre admin |
| /projects/ | everyone, scoped | — (projects come with an application) |
| /commissions/ | everyone, scoped | enterprise user (its own enterprise), agent, centre admin, sponsor |
| /commissions/{id}/verify, assign, signed-scan | — | agent, centre admin |
| /commissions/{id}/decide | — | centre admin, department officer (发改) |
| /commissions/{id}/confirm-authorization, confirm-commitment | — | the commission's enterprise user |
| /commissions/{id}/agree, terminate | — | agent, centre admin (terminate also the enterprise: 投资者要求) |
| /commissions/{id}/completion-scan (multipart) | — | agent, centre admin (the enterprise signed the completion slip on paper) |
| /commissions/{id}/completion-scan/file/, signed-scan/file/ | everyone who sees the commission (each download is a recorded read) | — |
| /commissions/{id}/file-accesses/ | everyone who sees the commission | — |
| /consultations/ | agent, centre admin, supervisor, leader (region subtree) | agent, centre admin |

An object the caller may not see answers 404; an action its role may not take 403; a stale
`version` 409; invalid input 400 with Chinese messages keyed by field (``enterprise.credit_code``,
``project.land_area_ha``, ``scope`` …). Every list runs a constant number of queries.
"""

from .commissions import (
    ACTION_VIEWS,
    CommissionCompletionScanApi,
    CommissionDetailApi,
    CommissionDocumentApi,
    CommissionFileAccessApi,
    CommissionListApi,
    CommissionSignedScanApi,
)
from .consultations import ConsultationDetailApi, ConsultationListApi
from .enterprises import (
    EnterpriseDetailApi,
    EnterpriseListApi,
    ProjectDetailApi,
    ProjectListApi,
)

__all__ = [
    "ACTION_VIEWS",
    "CommissionCompletionScanApi",
    "CommissionDetailApi",
    "CommissionDocumentApi",
    "CommissionFileAccessApi",
    "CommissionListApi",
    "CommissionSignedScanApi",
    "ConsultationDetailApi",
    "ConsultationListApi",
    "EnterpriseDetailApi",
    "EnterpriseListApi",
    "ProjectDetailApi",
    "ProjectListApi",
]
