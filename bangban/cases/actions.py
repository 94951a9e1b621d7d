"""The case's actions, in one table (the ledger's buttons, POST handler and API).

Each row is one action of :mod:`bangban.cases.lifecycle` with what its form asks for
(``fields``), what the API documentation says, when it is offered at all (``ready``) and
what the user is told afterwards. :func:`case_may` is the one answer to "may this user take
this action on this case now" (the table's row from the case's state, the commission still
being worked on, the user the party of the row's side, the row ready); the page's buttons,
the page's POST handler, the API's action endpoints and ``allowed_actions`` all read it, and
:func:`case_action_run` calls the one service (which checks it all again when it writes).

Inputs arrive as a plain mapping with the same keys from the page's forms and the API's
serializers: ``version`` (the case's), ``reason``, ``occurred_at`` (date) and the fields
named in each row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bangban.common.exceptions import version_from

from . import lifecycle, services
from .models import Case
from .parties import is_party


def _always(case: Case) -> bool:
    return True


@dataclass(frozen=True)
class CaseAction:
    slug: str  # the lifecycle action
    summary: str  # what the API documentation says
    fields: tuple[str, ...] = ()  # inputs besides version, reason and occurred_at
    done: str = ""  # what the user is told afterwards
    ready: Callable[[Case], bool] = _always
    danger: bool = False  # shown as a warning button

    @property
    def label(self) -> str:
        return lifecycle.ACTION_LABELS[self.slug]

    @property
    def reason_required(self) -> bool:
        return self.slug in lifecycle.REASON_REQUIRED


ACTIONS: tuple[CaseAction, ...] = (
    CaseAction(lifecycle.START, "开始准备申报材料（记录实际开始日期）", done="已开始准备材料。"),
    CaseAction(
        lifecycle.MATERIALS,
        "登记已收取的材料（statuses: {材料id: pending|received}）",
        ("statuses",),
        done="已登记材料。",
    ),
    CaseAction(lifecycle.SUBMIT, "向审批部门申报", done="已申报，等待部门受理。"),
    CaseAction(
        lifecycle.PREREVIEW,
        "部门帮办员预审材料（notes: {材料id: 意见}，或在 reason 中写总体意见）",
        ("notes",),
        done="已记录预审意见。",
    ),
    CaseAction(lifecycle.ACCEPT, "受理（材料齐全），开始计时", done="已受理，开始计时。"),
    CaseAction(
        lifecycle.ACCEPT_GAPS,
        "容缺受理：列出所缺的非核心材料（missing: [材料id]），补正期限默认按事项设定",
        ("missing", "supplement_due"),
        done="已容缺受理，开始计时。",
        ready=lambda case: case.item.accept_with_gaps,
    ),
    CaseAction(
        lifecycle.RETURN, "退回申报（须说明原因），回到材料准备", done="已退回。", danger=True
    ),
    CaseAction(
        lifecycle.SUPPLEMENT,
        "记录容缺材料已补齐（materials: [材料id]，默认全部）",
        ("materials", "file"),
        done="已记录补齐材料。",
    ),
    CaseAction(
        lifecycle.SUSPEND,
        "中止计时（补正、专家评审、听证、公示等；须说明原因）",
        ("kind",),
        done="已中止计时。",
    ),
    CaseAction(lifecycle.RESUME, "恢复计时，期限顺延中止的工作日", done="已恢复计时。"),
    CaseAction(
        lifecycle.APPROVE,
        "办结（准予）：填写批文/证照文号，可上传结果文书",
        ("result_number", "result_document"),
        done="已办结（准予）。",
    ),
    CaseAction(
        lifecycle.REFUSE,
        "办结（不予）：填写决定书文号和理由",
        ("result_number", "result_document"),
        done="已办结（不予）。",
        danger=True,
    ),
    CaseAction(
        lifecycle.NOT_NEEDED_ACTION,
        "不需办理（须说明原因），方案重新排期",
        done="已标记为不需办理。",
        danger=True,
    ),
    CaseAction(lifecycle.WITHDRAW, "撤回（须说明原因）", done="已撤回。", danger=True),
    CaseAction(
        lifecycle.HAND_OVER,
        "结果移交企业（记录签收人）",
        ("handed_over_to",),
        done="已记录结果移交。",
        ready=lambda case: case.outcome == Case.Outcome.APPROVED and case.handed_over_at is None,
    ),
)

BY_SLUG: dict[str, CaseAction] = {action.slug: action for action in ACTIONS}
assert set(BY_SLUG) == set(lifecycle.ACTION_LABELS), "a row per lifecycle action"


def case_may(user, case: Case, slug: str) -> bool:
    """May ``user`` take ``slug`` on ``case`` now? ``case.commission`` (with its project and
    region) should be loaded."""
    action = BY_SLUG.get(slug)
    if action is None:
        return False
    row = lifecycle.find(slug, case.state)
    commission = case.commission
    return (
        row is not None
        and commission.state in services.WORKING_STATES
        and is_party(row.side, user, case, commission, slug)
        and action.ready(case)
    )


def case_allowed_actions(user, case: Case) -> list[str]:
    """The slugs ``user`` may take now, in table order."""
    return [action.slug for action in ACTIONS if case_may(user, case, action.slug)]


def case_action_run(slug: str, *, case: Case, user, data: Mapping[str, Any]) -> str:
    """Take ``slug`` with the form's or the API's ``data``; returns what to tell the user."""
    action = BY_SLUG[slug]
    services.case_transition(
        case=case,
        action=slug,
        actor=user,
        expected_version=version_from(data.get("version")),
        reason=data.get("reason") or "",
        occurred_at=data.get("occurred_at") or None,
        data=data,
    )
    return action.done
