"""The life of a commission (代办委托) as data — no Django import.

States follow the seeds' process (Baotou: 申请 → 核实 → 签订授权委托书和承诺书 → 制定方案 → 办理 →
办结/终止 → 归档; Dongsheng: 控制事项明确答复制 → 不予办理):

    applied 已申请 → verified 已核实 → agreed 已签约 → planned 已制定方案 → in_progress 办理中
    → completed 已办结 / terminated 已终止 → archived 已归档;  applied → refused 不予办理.

Ordos: 「委托代办事项经投资者确认后办结」 — a completed commission waits for the enterprise to
confirm the completion slip (an event that keeps the state: online, or signed on paper and
recorded by staff with its scan) before it is archived; the
originals returned to the enterprise are recorded until then (「及时归档，并将涉及项目的有关
资料及时交还投资者」).

`TRANSITIONS` is the one table of what may happen: (action, from, to, roles). A row whose
`source` equals its `target` is an event that keeps the state (assigning an agent, the
enterprise confirming a letter) but is still locked, versioned and written to the history.
`bangban.projects.services.commission_transition` is the only code that changes a state,
and it asks this table first.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- states ------------------------------------------------------------------------------

APPLIED = "applied"
VERIFIED = "verified"
AGREED = "agreed"
PLANNED = "planned"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"
TERMINATED = "terminated"
ARCHIVED = "archived"
REFUSED = "refused"

STATE_LABELS: dict[str, str] = {
    APPLIED: "已申请",
    VERIFIED: "已核实",
    AGREED: "已签约",
    PLANNED: "已制定方案",
    IN_PROGRESS: "办理中",
    COMPLETED: "已办结",
    TERMINATED: "已终止",
    ARCHIVED: "已归档",
    REFUSED: "不予办理",
}

#: States in which a commission is still being worked on (an agent's load counts these).
OPEN_STATES: tuple[str, ...] = (APPLIED, VERIFIED, AGREED, PLANNED, IN_PROGRESS)
#: States a commission can be terminated from.
TERMINABLE_STATES = OPEN_STATES
FINAL_STATES: tuple[str, ...] = (COMPLETED, TERMINATED, REFUSED, ARCHIVED)
#: States a commission is archived from.
ARCHIVABLE_STATES: tuple[str, ...] = (COMPLETED, TERMINATED, REFUSED)
#: States in which originals returned to the enterprise are recorded (until archived).
ORIGINALS_STATES: tuple[str, ...] = (*OPEN_STATES, *ARCHIVABLE_STATES)

# --- roles (the values of bangban.accounts.models.Role) ------------------------------------

ENTERPRISE = "enterprise"
SPONSOR = "sponsor"
AGENT = "agent"
DEPT_OFFICER = "dept_officer"
CENTRE_ADMIN = "centre_admin"
ERRAND = "errand"

STAFF = frozenset({AGENT, CENTRE_ADMIN})

# --- actions -----------------------------------------------------------------------------

APPLY = "apply"
SCREEN = "screen"  # eligibility needs a decision first: stays applied
VERIFY = "verify"
REFUSE = "refuse"
RESUME_VERIFIED = "resume_verified"  # 发改 decided: go on
RESUME_REFUSED = "resume_refused"  # 发改 decided: refused
#: eligible, but against an incomplete catalog: an industrial project stays applied until the
#: agent confirms against the full official text (CONFIRM_ELIGIBLE)
AWAIT_CONFIRMATION = "await_confirmation"
CONFIRM_ELIGIBLE = "confirm_eligible"
ASSIGN = "assign"
CONFIRM_AUTHORIZATION = "confirm_authorization"
CONFIRM_COMMITMENT = "confirm_commitment"
RECORD_SIGNED_SCAN = "record_signed_scan"
AGREE = "agree"
ADJUST_PLAN = "adjust_plan"  # the draft plan: generated, an item added or removed (stays agreed)
PLAN = "plan"  # the plan is fixed as one case per item
REPLAN = "replan"  # the remaining items rescheduled from the actual dates (state kept)
START = "start"
COMPLETE = "complete"
CONFIRM_COMPLETION = "confirm_completion"  # the enterprise confirms the completion slip
#: staff record the enterprise's confirmation signed on the paper slip (its scan)
RECORD_COMPLETION_SCAN = "record_completion_scan"
RECORD_ORIGINALS = "record_originals"  # originals returned to the enterprise (state kept)
TERMINATE = "terminate"
ARCHIVE = "archive"

ACTION_LABELS: dict[str, str] = {
    APPLY: "申请",
    SCREEN: "核实（待发展改革部门决定）",
    VERIFY: "核实",
    REFUSE: "不予办理",
    RESUME_VERIFIED: "决定后核实通过",
    RESUME_REFUSED: "决定后不予办理",
    AWAIT_CONFIRMATION: "核实（允许类，待代办员确认）",
    CONFIRM_ELIGIBLE: "代办员确认允许类",
    ASSIGN: "指派代办员",
    CONFIRM_AUTHORIZATION: "确认授权委托书",
    CONFIRM_COMMITMENT: "确认承诺书",
    RECORD_SIGNED_SCAN: "上传签字扫描件",
    AGREE: "签约",
    ADJUST_PLAN: "调整方案",
    PLAN: "确定方案",
    REPLAN: "重新排期",
    START: "开始办理",
    COMPLETE: "办结",
    CONFIRM_COMPLETION: "确认办结",
    RECORD_COMPLETION_SCAN: "登记纸质确认办结",
    RECORD_ORIGINALS: "登记返还原件",
    TERMINATE: "终止",
    ARCHIVE: "归档",
}


@dataclass(frozen=True)
class Transition:
    action: str
    source: str | None  # None: the commission is being created
    target: str
    roles: frozenset[str]


def _rows(action: str, sources, target: str | None, roles) -> list[Transition]:
    """One row per source state; `target=None` means "stays where it is"."""
    return [
        Transition(action, source, source if target is None else target, frozenset(roles))
        for source in sources
    ]


DECIDERS = STAFF | {DEPT_OFFICER}

TRANSITIONS: tuple[Transition, ...] = tuple(
    [
        Transition(APPLY, None, APPLIED, frozenset(STAFF | {ENTERPRISE, SPONSOR})),
        *_rows(SCREEN, [APPLIED], None, STAFF),
        *_rows(VERIFY, [APPLIED], VERIFIED, STAFF),
        *_rows(REFUSE, [APPLIED], REFUSED, STAFF),
        *_rows(RESUME_VERIFIED, [APPLIED], VERIFIED, DECIDERS),
        *_rows(RESUME_REFUSED, [APPLIED], REFUSED, DECIDERS),
        *_rows(AWAIT_CONFIRMATION, [APPLIED], None, STAFF),
        *_rows(CONFIRM_ELIGIBLE, [APPLIED], VERIFIED, STAFF),
        *_rows(ASSIGN, OPEN_STATES, None, STAFF),
        *_rows(CONFIRM_AUTHORIZATION, [VERIFIED], None, {ENTERPRISE}),
        *_rows(CONFIRM_COMMITMENT, [VERIFIED], None, {ENTERPRISE}),
        *_rows(RECORD_SIGNED_SCAN, [VERIFIED], None, STAFF),
        *_rows(AGREE, [VERIFIED], AGREED, STAFF | {ENTERPRISE}),
        *_rows(ADJUST_PLAN, [AGREED], None, STAFF),
        *_rows(PLAN, [AGREED], PLANNED, STAFF),
        *_rows(REPLAN, [PLANNED, IN_PROGRESS], None, STAFF),
        # the first case started starts the commission (cases.services), also when the errand
        # company starts a case of its task order; no page or API offers START by itself
        *_rows(START, [PLANNED], IN_PROGRESS, STAFF | {ERRAND}),
        *_rows(COMPLETE, [IN_PROGRESS], COMPLETED, STAFF),
        *_rows(CONFIRM_COMPLETION, [COMPLETED], None, {ENTERPRISE}),
        *_rows(RECORD_COMPLETION_SCAN, [COMPLETED], None, STAFF),
        *_rows(RECORD_ORIGINALS, ORIGINALS_STATES, None, STAFF),
        *_rows(TERMINATE, TERMINABLE_STATES, TERMINATED, STAFF | {ENTERPRISE}),
        *_rows(ARCHIVE, ARCHIVABLE_STATES, ARCHIVED, STAFF),
    ]
)

_BY_KEY: dict[tuple[str, str | None], Transition] = {(t.action, t.source): t for t in TRANSITIONS}
assert len(_BY_KEY) == len(TRANSITIONS), "one row per (action, source)"


def find(action: str, source: str | None) -> Transition | None:
    """The row for `action` from `source`, or None when the table does not allow it."""
    return _BY_KEY.get((action, source))


def is_allowed(action: str, source: str | None, role: str) -> bool:
    row = find(action, source)
    return row is not None and role in row.roles


def actions_for(state: str, role: str) -> list[str]:
    """The actions `role` may take on a commission in `state`, in table order."""
    return [t.action for t in TRANSITIONS if t.source == state and role in t.roles]


def known_action(action: str) -> bool:
    return action in ACTION_LABELS


# --- messages (what a user sees when the table says no) -----------------------------------


def illegal_message(action: str, state: str | None) -> str:
    state_label = STATE_LABELS.get(state or "", state or "未创建")
    return f"当前状态「{state_label}」不能执行「{ACTION_LABELS.get(action, action)}」。"


def forbidden_message(action: str) -> str:
    return f"您的角色不能执行「{ACTION_LABELS.get(action, action)}」。"
