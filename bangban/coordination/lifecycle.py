"""The three workflows of coordination as data — no Django import (SPEC §7).

**Joint meeting** (联席会议 and the other kinds)::

    proposed 待安排 (an agent proposed it) → scheduled 已安排 (a centre admin set time and
    place, or created it so) → held 已召开 (minutes recorded; recording again corrects them and
    adds decisions); proposed / scheduled → cancelled 已取消.

**Action item** (议定事项, one decision of a meeting)::

    open 未完成 → done 已完成 (its owner department marks it, with a note) → open (reopened).

**Errand task order** (专业跑腿任务单)::

    issued 已下发 → accepted 已接单 → completed 已完成
            ↘ declined 已退回 → issued (reissued)
    issued / accepted / declined → cancelled 已撤销 (by the issuer)

Each table is a tuple of :class:`Transition` rows (action, source, target, sides). A side
names who among the users that may see the object is its party for that row (decided in
:mod:`bangban.coordination.parties`). ``SAME`` marks an event that keeps the state.
"""

from __future__ import annotations

from bangban.rules.workflow import SAME, Table
from bangban.rules.workflow import rows as _rows

# --- sides --------------------------------------------------------------------------------

ORGANISER = "organiser"  # a centre admin whose region covers the meeting
PROPOSER = "proposer"  # the agent who proposed the meeting
OWNER = "owner"  # an officer or helper of the action item's owner department
COMPANY = "company"  # the errand company's staff (role errand of that department)
ISSUER = "issuer"  # who issued the task order, its bureau's issuers, a centre admin of its region


# --- joint meetings -------------------------------------------------------------------------

PROPOSED = "proposed"
SCHEDULED = "scheduled"
HELD = "held"
CANCELLED = "cancelled"

SCHEDULE = "schedule"
EDIT = "edit"
MINUTES = "minutes"
CANCEL = "cancel"
NEXT = "next"

MEETING = Table(
    "会议",
    {PROPOSED: "待安排", SCHEDULED: "已安排", HELD: "已召开", CANCELLED: "已取消"},
    {
        SCHEDULE: "安排会议",
        EDIT: "修改会议信息",
        MINUTES: "记录纪要和议定事项",
        CANCEL: "取消会议",
        NEXT: "安排下一次会议",
    },
    [
        *_rows(SCHEDULE, [PROPOSED], SCHEDULED, ORGANISER),
        *_rows(EDIT, [PROPOSED, SCHEDULED], SAME, ORGANISER),
        *_rows(MINUTES, [SCHEDULED, HELD], HELD, ORGANISER),
        *_rows(CANCEL, [PROPOSED], CANCELLED, ORGANISER, PROPOSER),
        *_rows(CANCEL, [SCHEDULED], CANCELLED, ORGANISER),
        *_rows(NEXT, [SCHEDULED, HELD], SAME, ORGANISER),
    ],
)

# --- action items (议定事项) -----------------------------------------------------------------

OPEN = "open"
DONE = "done"

COMPLETE_ITEM = "done"
REOPEN = "reopen"

ACTION_ITEM = Table(
    "议定事项",
    {OPEN: "未完成", DONE: "已完成"},
    {COMPLETE_ITEM: "标记完成", REOPEN: "重新打开"},
    [
        *_rows(COMPLETE_ITEM, [OPEN], DONE, OWNER, ORGANISER),
        *_rows(REOPEN, [DONE], OPEN, ORGANISER),
    ],
)

# --- errand task orders (专业跑腿任务单) ------------------------------------------------------

ISSUED = "issued"
ACCEPTED = "accepted"
DECLINED = "declined"
COMPLETED = "completed"
REVOKED = "cancelled"

ISSUE = "issue"
ACCEPT = "accept"
DECLINE = "decline"
REISSUE = "reissue"
COMPLETE = "complete"
REVOKE = "cancel"

TASK_ORDER = Table(
    "任务单",
    {
        ISSUED: "已下发",
        ACCEPTED: "已接单",
        DECLINED: "已退回",
        COMPLETED: "已完成",
        REVOKED: "已撤销",
    },
    {
        ACCEPT: "接单",
        DECLINE: "退回",
        REISSUE: "重新下发",
        COMPLETE: "办结",
        REVOKE: "撤销任务单",
    },
    [
        *_rows(ACCEPT, [ISSUED], ACCEPTED, COMPANY),
        *_rows(DECLINE, [ISSUED], DECLINED, COMPANY),
        *_rows(REISSUE, [DECLINED], ISSUED, ISSUER),
        *_rows(COMPLETE, [ACCEPTED], COMPLETED, COMPANY),
        *_rows(REVOKE, [ISSUED, ACCEPTED, DECLINED], REVOKED, ISSUER),
    ],
)
#: Orders that still hold their cases (a case is named by at most one of them).
LIVE_TASK_ORDER_STATES = (ISSUED, ACCEPTED, DECLINED)
#: What the history shows for the first row (issuing is a creation, not a transition).
TASK_ORDER_EVENT_LABELS = {ISSUE: "下发任务单", **TASK_ORDER.actions}
MEETING_EVENT_LABELS = {
    "create": "安排会议",
    "propose": "提议召开会议",
    "created_next": "由上一次会议安排",
    **MEETING.actions,
    **{f"item_{slug}": f"议定事项{label}" for slug, label in ACTION_ITEM.actions.items()},
}
