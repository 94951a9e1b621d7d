"""The commission's actions, in one table.

Each row names an action a user takes on a commission's page or through the API: its slug
(the last segment of ``/commissions/{id}/action/<slug>/`` and of ``/api/v1/commissions/{id}/
<slug>/``), the row of ``lifecycle.TRANSITIONS`` that decides which roles may take it in which
state, who among those roles is the party that may (``party``), when it is offered at all
(``ready``), the one service it calls and what the user is told afterwards.

Readers: the page's buttons and POST handler (``views.py``), the API's action endpoints and
``allowed_actions`` (``api/commissions.py``). :func:`commission_may` is the one answer to
"may this user take this action on this commission now"; the services check the table again
(role and state) and their own invariants, and raise the precise message when they refuse.

Agents of a centre read all its commissions to cover for each other (``selectors``), but an
agent acts only on its own commission or on an unassigned one (claiming it): a colleague's
page shows no buttons and :func:`commission_read_only_reason` says why; the API answers 403
with that message and ``commission_check_allowed`` refuses the same in every service.

Inputs arrive as a plain dict of cleaned values with the same keys from the page's forms and
from the API's serializers (see each ``_run_*``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bangban.accounts.models import Role
from bangban.common.exceptions import READ_ONLY_MESSAGE

from . import hooks, lifecycle, services
from .models import Commission
from .selectors import commission_can_act, commission_held_by_colleague
from .services.transition import held_by_colleague_message

Runner = Callable[[Commission, Any, int | None, Mapping[str, Any]], None]


def _anyone(commission: Commission, user) -> bool:
    return True


def _nothing_missing(commission: Commission, user) -> str:
    return ""


@dataclass(frozen=True)
class CommissionAction:
    slug: str
    lifecycle: str  # the lifecycle action (the table decides roles and states)
    summary: str  # what the API documentation says
    run: Runner  # calls the one service
    done: Callable[[Commission], str]  # what the user is told afterwards
    party: Callable[[Commission, Any], bool] = _anyone  # who among the allowed roles
    ready: Callable[[Commission, Any], bool] = _anyone  # when it is offered at all
    #: why it is not possible yet although offered (the page shows the button disabled with
    #: this reason, the API lists it under ``blocked_actions``); "" when nothing is missing
    blocked: Callable[[Commission, Any], str] = _nothing_missing


# --- who is the party ---------------------------------------------------------------------


def _assigner(commission: Commission, user) -> bool:
    """Admins assign and reassign; an agent only claims an unassigned application."""
    return user.role == Role.CENTRE_ADMIN or (
        user.role == Role.AGENT and commission.agent_id is None
    )


def _decider(commission: Commission, user) -> bool:
    """The development & reform department (its officer) or the centre admin decides."""
    return user.role in (Role.CENTRE_ADMIN, Role.DEPT_OFFICER)


def _own_enterprise(commission: Commission, user) -> bool:
    return user.role == Role.ENTERPRISE and commission.project.enterprise_id == user.enterprise_id


def _agent_named(commission: Commission, user) -> bool:
    return commission.agent_id is not None


# --- the service calls --------------------------------------------------------------------


def _run_assign(commission, actor, version, data):
    agent = data.get("agent")
    if agent is None and actor.role == Role.AGENT:
        agent = actor  # an agent claims the application for itself
    services.commission_assign(
        commission=commission,
        assigned_by=actor,
        agent=agent,
        reason=data.get("reason", ""),
        expected_version=version,
    )


def _run_verify(commission, actor, version, data):
    services.commission_verify(
        commission=commission,
        actor=actor,
        is_new_capacity=data["is_new_capacity"],
        below_energy_benchmark=data.get("below_energy_benchmark", False),
        in_industrial_park=data.get("in_industrial_park", True),
        entries_checked=data.get("entries_checked", False),
        expected_version=version,
    )


def _run_decide(commission, actor, version, data):
    services.commission_decide(
        commission=commission,
        actor=actor,
        approve=data["approve"],
        reason=data.get("reason", ""),
        conditions=data.get("conditions", ""),
        expected_version=version,
    )


def _run_confirm_eligibility(commission, actor, version, data):
    services.commission_confirm_eligibility(
        commission=commission, actor=actor, note=data.get("note", ""), expected_version=version
    )


def _run_confirm_authorization(commission, actor, version, data):
    services.commission_confirm_authorization(
        commission=commission, user=actor, expected_version=version
    )


def _run_confirm_commitment(commission, actor, version, data):
    services.commission_confirm_commitment(
        commission=commission, user=actor, expected_version=version
    )


def _run_signed_scan(commission, actor, version, data):
    services.commission_record_signed_scan(
        commission=commission, actor=actor, upload=data["signed_scan"], expected_version=version
    )


def _run_agree(commission, actor, version, data):
    services.commission_agree(commission=commission, actor=actor, expected_version=version)


def _run_terminate(commission, actor, version, data):
    services.commission_terminate(
        commission=commission,
        actor=actor,
        reason_category=data["reason_category"],
        note=data.get("note", ""),
        expected_version=version,
    )


def _run_complete(commission, actor, version, data):
    services.commission_complete(commission=commission, actor=actor, expected_version=version)


def _run_confirm_completion(commission, actor, version, data):
    services.commission_confirm_completion(
        commission=commission,
        user=actor,
        comment=data.get("comment", ""),
        expected_version=version,
    )


def _run_completion_scan(commission, actor, version, data):
    services.commission_record_completion_scan(
        commission=commission,
        actor=actor,
        upload=data.get("scan"),
        signed_on=data.get("signed_on"),
        signed_by=data.get("signed_by", ""),
        expected_version=version,
    )


def _original_values(data: Mapping[str, Any]) -> dict[str, Any]:
    return {key: data.get(key) for key in ("name", "copies", "returned_on", "received_by")}


def _run_record_original(commission, actor, version, data):
    services.commission_record_originals(
        commission=commission,
        actor=actor,
        originals=[_original_values(data)],
        expected_version=version,
    )


def _run_archive(commission, actor, version, data):
    services.commission_archive(
        commission=commission,
        actor=actor,
        originals=data.get("originals") or (),
        expected_version=version,
    )


# --- when it is not possible yet ------------------------------------------------------------


def _completion_blocked(commission: Commission, user) -> str:
    """「尚有 2 个事项未办结：…」 — the ledger's answer (``hooks.completion_blockers``)."""
    return " ".join(hooks.completion_blockers(commission))


def _archive_blocked(commission: Commission, user) -> str:
    if commission.state == lifecycle.COMPLETED and commission.completion_confirmed_at is None:
        return "项目单位尚未确认办结，暂不能归档。"
    return ""


# --- what the user is told ------------------------------------------------------------------


def _verified(commission: Commission) -> str:
    if commission.state == lifecycle.REFUSED:
        return "核实结论：不予办理。已向项目单位书面说明理由。"
    if commission.awaiting_decision:
        return "该项目须由发展改革部门决定后继续办理，已提请决定。"
    if services.commission_awaiting_confirmation(commission):
        return (
            "未命中已导入的产业政策条目；目录尚未完整导入，"
            "请对照完整目录核对后确认，确认后继续办理。"
        )
    return "核实通过" + ("（鼓励类，优先办理）" if commission.is_priority else "") + "。"


def _letter(label: str) -> Callable[[Commission], str]:
    def done(commission: Commission) -> str:
        agreed = "双方已签约。" if commission.state == lifecycle.AGREED else ""
        return f"{label}已在线确认。{agreed}"

    return done


def _terminated(commission: Commission) -> str:
    withdrawn = [item for item in hooks.outcomes_of(commission) if item.state == item.WITHDRAWN]
    return "委托已终止。" + (f"{len(withdrawn)} 个未办结的事项已撤回。" if withdrawn else "")


ACTIONS: tuple[CommissionAction, ...] = (
    CommissionAction(
        "verify",
        lifecycle.VERIFY,
        "核实（产业政策审查）",
        _run_verify,
        _verified,
        ready=lambda c, u: not c.awaiting_decision,
    ),
    CommissionAction(
        "confirm-eligibility",
        lifecycle.CONFIRM_ELIGIBLE,
        "代办员确认允许类（产业目录尚未完整导入时，工业项目对照完整目录核对后确认；note 写明核对依据）",
        _run_confirm_eligibility,
        lambda c: "已确认：不属于鼓励类、限制类、淘汰类，按允许类继续办理。",
        ready=lambda c, u: services.commission_awaiting_confirmation(c),
    ),
    CommissionAction(
        "assign",
        lifecycle.ASSIGN,
        "指派、更换或认领代办帮办员（代办帮办员不填 agent_id 即认领给自己）",
        _run_assign,
        lambda c: f"已指派代办帮办员：{c.agent}。",
        party=_assigner,
    ),
    CommissionAction(
        "decide",
        lifecycle.RESUME_VERIFIED,
        "发展改革部门决定（限制类现有产能改造升级）",
        _run_decide,
        lambda c: f"已作出决定，委托状态：{c.state_label}。",
        party=_decider,
        ready=lambda c, u: c.awaiting_decision,
    ),
    CommissionAction(
        "signed-scan",
        lifecycle.RECORD_SIGNED_SCAN,
        "上传两份文书的签字盖章扫描件（随即签约）",
        _run_signed_scan,
        lambda c: "扫描件已上传，双方已签约。",
        ready=_agent_named,
    ),
    CommissionAction(
        "confirm-authorization",
        lifecycle.CONFIRM_AUTHORIZATION,
        "企业在线确认授权委托书",
        _run_confirm_authorization,
        _letter("授权委托书"),
        party=_own_enterprise,
        ready=lambda c, u: _agent_named(c, u) and not c.authorization_confirmed_at,
    ),
    CommissionAction(
        "confirm-commitment",
        lifecycle.CONFIRM_COMMITMENT,
        "企业在线确认承诺书",
        _run_confirm_commitment,
        _letter("承诺书"),
        party=_own_enterprise,
        ready=lambda c, u: _agent_named(c, u) and not c.commitment_confirmed_at,
    ),
    CommissionAction(
        "agree",
        lifecycle.AGREE,
        "签约（两份文书均已签署）",
        _run_agree,
        lambda c: "已签约。",
        ready=lambda c, u: c.both_letters_confirmed,
    ),
    CommissionAction(
        "complete",
        lifecycle.COMPLETE,
        "办结（全部事项办结且审批结果已移交；生成服务办结单）",
        _run_complete,
        lambda c: "委托已办结，服务办结单已生成，等待项目单位确认。",
        ready=_agent_named,
        blocked=_completion_blocked,
    ),
    CommissionAction(
        "confirm-completion",
        lifecycle.CONFIRM_COMPLETION,
        "企业在线确认办结（服务办结单），可附意见",
        _run_confirm_completion,
        lambda c: "已确认办结，感谢您的配合。",
        party=_own_enterprise,
        ready=lambda c, u: c.completion_confirmed_at is None,
    ),
    CommissionAction(
        "completion-scan",
        lifecycle.RECORD_COMPLETION_SCAN,
        "登记项目单位在纸质服务办结单上的签字确认（扫描件 scan、签字日期 signed_on、"
        "签字人 signed_by），multipart 上传",
        _run_completion_scan,
        lambda c: "已登记项目单位的纸质签字确认，可以归档。",
        ready=lambda c, u: c.completion_confirmed_at is None,
    ),
    CommissionAction(
        "record-original",
        lifecycle.RECORD_ORIGINALS,
        "登记返还项目单位的原件（名称、份数、返还日期、签收人）",
        _run_record_original,
        lambda c: "已登记返还原件。",
    ),
    CommissionAction(
        "archive",
        lifecycle.ARCHIVE,
        "归档（可同时登记返还的原件）",
        _run_archive,
        lambda c: "委托已归档。",
        blocked=_archive_blocked,
    ),
    CommissionAction(
        "terminate",
        lifecycle.TERMINATE,
        "终止委托（终止单；未办结的事项一并撤回）",
        _run_terminate,
        _terminated,
    ),
)

BY_SLUG: dict[str, CommissionAction] = {action.slug: action for action in ACTIONS}

#: The order the page shows the buttons in (the table's order is the API's).
PAGE_ORDER = (
    "assign",
    "verify",
    "confirm-eligibility",
    "decide",
    "confirm-authorization",
    "confirm-commitment",
    "signed-scan",
    "agree",
    "complete",
    "confirm-completion",
    "completion-scan",
    "record-original",
    "archive",
    "terminate",
)


def commission_read_only_reason(user, commission: Commission) -> str:
    """Why ``user`` may read ``commission`` but take no action on it at all (empty when it
    may act): a supervisor or leader only reads; an agent of the centre reads a commission
    assigned to a colleague (to cover for it) but only the assigned agent acts on it."""
    if not commission_can_act(user):
        return READ_ONLY_MESSAGE
    if commission_held_by_colleague(user, commission):
        return held_by_colleague_message(commission)
    return ""


def _offered(user, commission: Commission, action: CommissionAction) -> bool:
    return (
        commission_can_act(user)
        and not commission_held_by_colleague(user, commission)
        and lifecycle.is_allowed(action.lifecycle, commission.state, user.role)
        and action.party(commission, user)
        and action.ready(commission, user)
    )


def commission_may(user, commission: Commission, slug: str) -> bool:
    """May ``user`` take the action ``slug`` on ``commission`` now? (The one answer.)"""
    action = BY_SLUG.get(slug)
    return (
        action is not None
        and _offered(user, commission, action)
        and not action.blocked(commission, user)
    )


def commission_blocked_actions(user, commission: Commission) -> dict[str, str]:
    """slug → why not yet, for the actions ``user`` would be offered now but that something
    still missing blocks (「尚有 2 个事项未办结：…」), in page order."""
    blocked = {}
    for slug in PAGE_ORDER:
        action = BY_SLUG[slug]
        if _offered(user, commission, action):
            reason = action.blocked(commission, user)
            if reason:
                blocked[slug] = reason
    return blocked


def commission_allowed_actions(user, commission: Commission) -> list[str]:
    """The slugs ``user`` may take now, in page order."""
    return [slug for slug in PAGE_ORDER if commission_may(user, commission, slug)]


def commission_action_run(
    slug: str, *, commission: Commission, user, version: int | None, data: Mapping[str, Any]
) -> str:
    """Take the action ``slug`` (a key of :data:`BY_SLUG`) with cleaned ``data``; returns what
    to tell the user. The service refuses with ValidationError (400), ActionForbidden (403)
    or StaleVersionError (409) and writes nothing then."""
    action = BY_SLUG[slug]
    action.run(commission, user, version, data)
    return action.done(commission)
