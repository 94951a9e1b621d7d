"""The actions of after service, one table per workflow: the rectification of a bad rating
(差评整改) and the follow-up visit (回访).

A row names the action's slug (the lifecycle action: the last segment of the page's POST
``…/action/<slug>/`` and of the API's ``…/{id}/<slug>/``), what the API documentation says,
the inputs its form asks for (``fields``, besides ``version``), the one service it calls
(``run``) and what the user is told afterwards. The lifecycle table
(:mod:`bangban.evaluation.lifecycle`) decides in which states and for which sides it may be
taken; the parties (:mod:`bangban.evaluation.parties`) who those sides are.

Readers: the pages' buttons and POST handlers (``views.py``), the API's action endpoints
and ``allowed_actions`` (``api.py``). :meth:`Workflow.may` is the one answer to "may this
user take this action on this object now"; the services check it all again when they write.
Inputs arrive as a plain mapping of cleaned values with the same keys from the page's forms
and the API's serializers: ``version`` and the row's ``fields``.
"""

from __future__ import annotations

from bangban.common.workflow import Action, Workflow

from . import lifecycle, services
from .parties import is_party

RECTIFICATIONS = Workflow(
    lifecycle.RECTIFICATION,
    is_party,
    (
        Action(
            lifecycle.VERIFY,
            "责任代办员或责任部门核实差评反映的情况（verification：核实情况，必填），转入整改",
            lambda r, u, v, d: services.rectification_verify(
                rectification=r,
                actor=u,
                verification=d.get("verification", ""),
                expected_version=v,
            ),
            lambda r: "已记录核实情况，请按期整改并反馈评价人。",
            ("verification",),
        ),
        Action(
            lifecycle.ANSWER,
            "记录整改措施（measures）和对评价人的反馈（answer），均必填；项目单位收到反馈",
            lambda r, u, v, d: services.rectification_answer(
                rectification=r,
                actor=u,
                measures=d.get("measures", ""),
                answer=d.get("answer", ""),
                expected_version=v,
            ),
            lambda r: "整改情况已反馈评价人，待回访后办结。",
            ("measures", "answer"),
        ),
        Action(
            lifecycle.CLOSE,
            "督查人员或中心管理员办结已反馈的整改（note：办结说明，必填）；回访评价人后自动办结",
            lambda r, u, v, d: services.rectification_close(
                rectification=r, actor=u, note=d.get("note", ""), expected_version=v
            ),
            lambda r: "整改已办结。",
            ("note",),
        ),
        Action(
            lifecycle.REOPEN,
            "督查人员或中心管理员退回重新整改（reason：原因，必填），整改期限重新计算",
            lambda r, u, v, d: services.rectification_reopen(
                rectification=r, actor=u, reason=d.get("reason", ""), expected_version=v
            ),
            lambda r: f"已退回重新整改，新的整改期限 {r.due_date:%Y-%m-%d}。",
            ("reason",),
            danger=True,
        ),
    ),
)

VISITS = Workflow(
    lifecycle.VISIT,
    is_party,
    (
        Action(
            lifecycle.RECORD,
            "记录回访：方式 method（phone 电话、on_site 实地、sms 短信）、回访时间 visited_at、"
            "受访人 contact、回访情况 findings（均必填）；满意度 level 和意见 comment 可选，"
            "填写时记为一条回访评价（差评同样整改）",
            lambda o, u, v, d: services.visit_record(
                visit=o,
                actor=u,
                method=d.get("method", ""),
                visited_at=d.get("visited_at"),
                contact=d.get("contact", ""),
                findings=d.get("findings", ""),
                level=d.get("level", ""),
                comment=d.get("comment", ""),
                expected_version=v,
            ),
            lambda o: "回访已记录。" + ("（补录）" if o.backfilled else ""),
            ("method", "visited_at", "contact", "findings", "level", "comment"),
        ),
        Action(
            lifecycle.CANCEL,
            "取消回访（reason：原因，必填），中心管理员或督查人员",
            lambda o, u, v, d: services.visit_cancel(
                visit=o, actor=u, reason=d.get("reason", ""), expected_version=v
            ),
            lambda o: "回访已取消。",
            ("reason",),
            danger=True,
        ),
    ),
)

__all__ = ["RECTIFICATIONS", "VISITS", "Action", "Workflow"]
