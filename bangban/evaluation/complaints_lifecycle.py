"""The workflow of a complaint (投诉) as data — no Django import (SPEC §7, issue #13 item 3).

::

    received 已登记 ──assign 交办核查──▶ handling 核查处理中 ──conclude 办结──▶ closed 已办结
                                        ↺ record 记录核查情况

Registering (登记) creates the complaint in ``received``; it is not a transition. Concluding
with the finding 属实 or 部分属实 creates the accountability record (问责) in the same
transaction (``complaints_services.complaint_conclude``).

Sides (who among the users that may see the complaint is the party of a row, decided in
:mod:`bangban.evaluation.complaints_parties`):

* ``coordinator``: a centre admin or a supervisor whose region covers the complaint's;
* ``handler``: the user the complaint was handed to for verification (核查人).

The table is a :class:`~bangban.rules.workflow.Table` like every workflow's (rows, labels,
the Chinese refusals).
"""

from __future__ import annotations

from bangban.rules.workflow import SAME, Table, Transition

# --- sides ----------------------------------------------------------------------------------

COORDINATOR = "coordinator"
HANDLER = "handler"

# --- states and actions ---------------------------------------------------------------------

RECEIVED = "received"
HANDLING = "handling"
CLOSED = "closed"

OPEN_STATES = (RECEIVED, HANDLING)

REGISTER = "register"  # the first history row (a creation, not a transition)
ASSIGN = "assign"
RECORD = "record"
CONCLUDE = "conclude"

COMPLAINT = Table(
    "投诉",
    {RECEIVED: "已登记", HANDLING: "核查处理中", CLOSED: "已办结"},
    {ASSIGN: "交办核查", RECORD: "记录核查情况", CONCLUDE: "办结"},
    [
        Transition(ASSIGN, RECEIVED, HANDLING, (COORDINATOR,)),
        Transition(ASSIGN, HANDLING, SAME, (COORDINATOR,)),  # hand it to someone else
        Transition(RECORD, HANDLING, SAME, (HANDLER, COORDINATOR)),
        Transition(CONCLUDE, HANDLING, CLOSED, (HANDLER, COORDINATOR)),
    ],
)

#: What the history shows for each action.
EVENT_LABELS = {REGISTER: "登记投诉", **COMPLAINT.actions}
