"""The two workflows of after service as data — no Django import (SPEC §7).

**Rectification** (差评整改: 核实、整改、反馈), opened by a bad rating (不满意/非常不满意)::

    verifying 待核实 → rectifying 整改中 (the facts verified) → answered 已反馈 (measures taken,
    the rater answered) → closed 已办结 (after the return visit to the rater, or by a
    supervisor or centre admin); answered → rectifying (reopened: the answer did not hold).

**Follow-up visit** (回访)::

    scheduled 待回访 → done 已回访 (method, visitor, time, contact, findings; the satisfaction
    given may be recorded as a rating) / cancelled 已取消 (with the reason).

Each table is a tuple of :class:`Transition` rows (action, source, target, sides). A side
names who among the users that may see the object is its party for that row (decided in
:mod:`bangban.evaluation.parties`).
"""

from __future__ import annotations

from bangban.rules.workflow import Table
from bangban.rules.workflow import rows as _rows

# --- sides --------------------------------------------------------------------------------

#: the rectification's responsible agent, or an officer or helper of its responsible department
RESPONSIBLE = "responsible"
#: a centre admin whose region covers the commission's project
CENTRE = "centre"
#: a supervisor whose region covers the commission's project
SUPERVISOR = "supervisor"
#: the commission's agent — for a sampled or manual visit only (never the return visit of a
#: bad rating about its own service)
AGENT = "agent"


# --- rectifications (差评整改) ----------------------------------------------------------------

VERIFYING = "verifying"
RECTIFYING = "rectifying"
ANSWERED = "answered"
CLOSED = "closed"

#: States in which the responsible party still owes something (overdue after the due date).
OPEN_RECTIFICATION_STATES = (VERIFYING, RECTIFYING)

VERIFY = "verify"
ANSWER = "answer"
CLOSE = "close"
REOPEN = "reopen"

RECTIFICATION = Table(
    "差评整改",
    {VERIFYING: "待核实", RECTIFYING: "整改中", ANSWERED: "已反馈", CLOSED: "已办结"},
    {VERIFY: "核实", ANSWER: "整改反馈", CLOSE: "办结", REOPEN: "退回重新整改"},
    [
        *_rows(VERIFY, [VERIFYING], RECTIFYING, RESPONSIBLE, CENTRE),
        *_rows(ANSWER, [RECTIFYING], ANSWERED, RESPONSIBLE, CENTRE),
        *_rows(CLOSE, [ANSWERED], CLOSED, SUPERVISOR, CENTRE),
        *_rows(REOPEN, [ANSWERED], RECTIFYING, SUPERVISOR, CENTRE),
    ],
)
#: What the history shows for the rows the system writes.
RECTIFICATION_EVENT_LABELS = {
    "open": "收到差评，开始整改",
    "visit_close": "回访后办结",
    **RECTIFICATION.actions,
}

# --- follow-up visits (回访) ------------------------------------------------------------------

SCHEDULED = "scheduled"
DONE = "done"
CANCELLED = "cancelled"

RECORD = "record"
CANCEL = "cancel"

VISIT = Table(
    "回访",
    {SCHEDULED: "待回访", DONE: "已回访", CANCELLED: "已取消"},
    {RECORD: "记录回访", CANCEL: "取消回访"},
    [
        *_rows(RECORD, [SCHEDULED], DONE, AGENT, CENTRE, SUPERVISOR),
        *_rows(CANCEL, [SCHEDULED], CANCELLED, CENTRE, SUPERVISOR),
    ],
)
