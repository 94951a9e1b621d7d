"""The action table of complaints (one row per step of ``complaints_lifecycle.COMPLAINT``).

A row names the action's slug (the last segment of the page's POST
``/complaints/<id>/action/<slug>/`` and of the API's ``/api/v1/complaints/{id}/<slug>/``),
what the API documentation says, the inputs its form asks for (``fields``, besides
``version``), the one service it calls and what the user is told afterwards. The lifecycle
table decides in which states and for which sides it may be taken; the parties
(:mod:`bangban.evaluation.complaints_parties`) who those sides are.

Readers: the page's buttons and POST handler (``complaints_views``), the API's action
endpoints and ``allowed_actions`` (``complaints_api``). :meth:`Workflow.may` is the one
answer to "may this user take this step now"; the services check it all again.
"""

from __future__ import annotations

from bangban.common.workflow import Action, Workflow

from . import complaints_lifecycle as lifecycle
from . import complaints_services as services
from .complaints_parties import is_party
from .models import SUBSTANTIATED_FINDINGS


def _concluded(complaint) -> str:
    if complaint.finding in SUBSTANTIATED_FINDINGS:
        return f"投诉已办结（{complaint.get_finding_display()}），已生成问责记录。"
    return f"投诉已办结（{complaint.get_finding_display()}）。"


COMPLAINTS = Workflow(
    lifecycle.COMPLAINT,
    is_party,
    (
        Action(
            lifecycle.ASSIGN,
            "交由管辖该投诉的中心管理员或督查人员核查（handler：核查人 id，必填；note：交办说明）；"
            "核查中可改交他人",
            lambda c, u, v, d: services.complaint_assign(
                complaint=c,
                actor=u,
                handler=d.get("handler"),
                note=d.get("note", ""),
                expected_version=v,
            ),
            lambda c: f"已交由{c.handler}核查。",
            ("handler", "note"),
        ),
        Action(
            lifecycle.RECORD,
            "记录核查情况（handling：核查情况，必填；覆盖之前的记录，办理记录保留每一次）",
            lambda c, u, v, d: services.complaint_record(
                complaint=c, actor=u, handling=d.get("handling", ""), expected_version=v
            ),
            lambda c: "核查情况已记录。",
            ("handling",),
        ),
        Action(
            lifecycle.CONCLUDE,
            "办结：核查结论 finding（substantiated 属实 / partly 部分属实 / unsubstantiated 不属实）、"
            "处理结果及对投诉人的答复 result（必填）、核查情况 handling（之前未记录时必填）；"
            "属实、部分属实时同时生成问责记录（违规记录）",
            lambda c, u, v, d: services.complaint_conclude(
                complaint=c,
                actor=u,
                finding=d.get("finding", ""),
                result=d.get("result", ""),
                handling=d.get("handling"),
                expected_version=v,
            ),
            _concluded,
            ("finding", "result", "handling"),
        ),
    ),
)
