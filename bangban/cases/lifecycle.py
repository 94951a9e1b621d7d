"""The life of a case (办件) as data — no Django import (SPEC §6).

    planned 未启动 → preparing 材料准备 → submitted 已申报
      → accepted 已受理 / accepted_gaps 容缺受理 (both: under review, the clock runs)
      ⇄ suspended 中止计时 (补正, expert review, hearing, public notice: the clock stops)
      → completed 办结 (approved 准予 / refused 不予, with result number and document;
        approval only once every 容缺 material is supplied, which turns accepted_gaps into
        accepted);
    submitted → preparing (returned 退回, with reasons); planned/preparing → not_needed 不需办理;
    any open state after planning → withdrawn 撤回.

`TRANSITIONS` is the one table: (action, from, to, side). The side says whose step it is:
``agent`` (the commission's agent, the centre admin, or the errand company running the
case on a task order), ``department`` (the officer of the case's department). Rows whose
target equals their source are events that keep the state (a pre-review, a supplement) but
are still locked, versioned and written to the case history. `RESUME` goes back to the
state the case was suspended from (``SAME`` marks that).
"""

from __future__ import annotations

from dataclasses import dataclass

# --- states ------------------------------------------------------------------------------

PLANNED = "planned"
PREPARING = "preparing"
SUBMITTED = "submitted"
ACCEPTED = "accepted"
ACCEPTED_GAPS = "accepted_gaps"
SUSPENDED = "suspended"
COMPLETED = "completed"
NOT_NEEDED = "not_needed"
WITHDRAWN = "withdrawn"

STATE_LABELS: dict[str, str] = {
    PLANNED: "未启动",
    PREPARING: "材料准备",
    SUBMITTED: "已申报",
    ACCEPTED: "已受理",
    ACCEPTED_GAPS: "容缺受理",
    SUSPENDED: "中止计时",
    COMPLETED: "办结",
    NOT_NEEDED: "不需办理",
    WITHDRAWN: "撤回",
}

#: States in which the department's clock runs (or stands still, suspended).
UNDER_REVIEW: tuple[str, ...] = (ACCEPTED, ACCEPTED_GAPS, SUSPENDED)
#: States still to be worked on.
OPEN_STATES: tuple[str, ...] = (PLANNED, PREPARING, SUBMITTED, *UNDER_REVIEW)
#: States that end a case (a commission is complete when all its in-scope cases are here).
CLOSED_STATES: tuple[str, ...] = (COMPLETED, NOT_NEEDED, WITHDRAWN)

# --- sides -------------------------------------------------------------------------------

AGENT_SIDE = "agent"
DEPARTMENT_SIDE = "department"
HELPER_SIDE = "helper"  # the department's officer or its helper (帮办员)

# --- actions -----------------------------------------------------------------------------

START = "start"
MATERIALS = "materials"
SUBMIT = "submit"
PREREVIEW = "prereview"
ACCEPT = "accept"
ACCEPT_GAPS = "accept_gaps"
RETURN = "return"
SUPPLEMENT = "supplement"
SUSPEND = "suspend"
RESUME = "resume"
APPROVE = "approve"
REFUSE = "refuse"
NOT_NEEDED_ACTION = "not_needed"
WITHDRAW = "withdraw"
HAND_OVER = "hand_over"

ACTION_LABELS: dict[str, str] = {
    START: "开始准备材料",
    MATERIALS: "登记材料",
    SUBMIT: "申报",
    PREREVIEW: "材料预审",
    ACCEPT: "受理",
    ACCEPT_GAPS: "容缺受理",
    RETURN: "退回",
    SUPPLEMENT: "补齐材料",
    SUSPEND: "中止计时",
    RESUME: "恢复计时",
    APPROVE: "办结（准予）",
    REFUSE: "办结（不予）",
    NOT_NEEDED_ACTION: "不需办理",
    WITHDRAW: "撤回",
    HAND_OVER: "结果移交",
}

#: The agent-side steps the errand company's staff take on the cases of their accepted task
#: order (专业跑腿: the legwork). Dropping or withdrawing an item stays the agent's decision.
ERRAND_ACTIONS = frozenset({START, MATERIALS, SUBMIT, SUPPLEMENT, HAND_OVER})

#: Actions whose reason is required (SPEC §6: reasons on return, refusal, suspension,
#: withdrawal, 不需办理).
REASON_REQUIRED = frozenset({RETURN, SUSPEND, REFUSE, NOT_NEEDED_ACTION, WITHDRAW})

SAME = "="  # target of an event that keeps the state, and of RESUME (back to where it was)


@dataclass(frozen=True)
class Transition:
    action: str
    source: str
    target: str
    side: str


def _rows(action: str, sources, target: str, side: str) -> list[Transition]:
    return [Transition(action, source, target, side) for source in sources]


TRANSITIONS: tuple[Transition, ...] = tuple(
    [
        *_rows(START, [PLANNED], PREPARING, AGENT_SIDE),
        *_rows(MATERIALS, [PREPARING, SUBMITTED], SAME, AGENT_SIDE),
        *_rows(SUBMIT, [PREPARING], SUBMITTED, AGENT_SIDE),
        *_rows(PREREVIEW, [PREPARING, SUBMITTED], SAME, HELPER_SIDE),
        *_rows(ACCEPT, [SUBMITTED], ACCEPTED, DEPARTMENT_SIDE),
        *_rows(ACCEPT_GAPS, [SUBMITTED], ACCEPTED_GAPS, DEPARTMENT_SIDE),
        *_rows(RETURN, [SUBMITTED], PREPARING, DEPARTMENT_SIDE),
        *_rows(SUPPLEMENT, [ACCEPTED_GAPS], SAME, AGENT_SIDE),
        *_rows(SUSPEND, [ACCEPTED, ACCEPTED_GAPS], SUSPENDED, DEPARTMENT_SIDE),
        *_rows(RESUME, [SUSPENDED], SAME, DEPARTMENT_SIDE),
        *_rows(APPROVE, [ACCEPTED], COMPLETED, DEPARTMENT_SIDE),  # gaps first supplied
        *_rows(REFUSE, [ACCEPTED, ACCEPTED_GAPS], COMPLETED, DEPARTMENT_SIDE),
        *_rows(NOT_NEEDED_ACTION, [PLANNED, PREPARING], NOT_NEEDED, AGENT_SIDE),
        *_rows(
            WITHDRAW,
            [PREPARING, SUBMITTED, ACCEPTED, ACCEPTED_GAPS, SUSPENDED],
            WITHDRAWN,
            AGENT_SIDE,
        ),
        *_rows(HAND_OVER, [COMPLETED], SAME, AGENT_SIDE),
    ]
)

_BY_KEY: dict[tuple[str, str], Transition] = {(t.action, t.source): t for t in TRANSITIONS}
assert len(_BY_KEY) == len(TRANSITIONS), "one row per (action, source)"


def find(action: str, source: str) -> Transition | None:
    """The row for ``action`` from ``source``, or None when the table does not allow it."""
    return _BY_KEY.get((action, source))


def actions_from(state: str) -> list[Transition]:
    """The rows that leave ``state``, in table order."""
    return [t for t in TRANSITIONS if t.source == state]


def known_action(action: str) -> bool:
    return action in ACTION_LABELS


def illegal_message(action: str, state: str) -> str:
    return (
        f"办件当前状态「{STATE_LABELS.get(state, state)}」不能执行"
        f"「{ACTION_LABELS.get(action, action)}」。"
    )


def forbidden_message(action: str) -> str:
    return f"您不能对该办件执行「{ACTION_LABELS.get(action, action)}」。"
