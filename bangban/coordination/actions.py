"""The actions of coordination, one table per workflow: the meeting, its decisions (议定事项)
and the errand task order.

A row names the action's slug (the lifecycle action: the last segment of the page's POST
``…/action/<slug>/`` and of the API's ``…/{id}/<slug>/``), what the API documentation says,
the inputs its form asks for (``fields``, besides ``version``), when it is offered at all
(``ready``), the one service it calls (``run``) and what the user is told afterwards. The
lifecycle table decides in which states and for which sides it may be taken; the parties
(:mod:`bangban.coordination.parties`) who those sides are.

Readers: the pages' buttons and POST handlers (``views.py``), the API's action endpoints
and ``allowed_actions`` (``api.py``). :meth:`Workflow.may` is the one answer to "may this
user take this action on this object now"; the services check it all again when they write
and refuse with ValidationError (400), ActionForbidden (403) or StaleVersionError (409).

Inputs arrive as a plain mapping of cleaned values with the same keys from the page's forms
and the API's serializers: ``version`` and the row's ``fields``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bangban.common.workflow import Action, Workflow

from . import lifecycle, services
from .models import ActionItem, Meeting, TaskOrder
from .parties import is_party, may_organise, may_propose

# --- meetings ---------------------------------------------------------------------------------


def _has_next(meeting: Meeting) -> bool:
    try:
        return meeting.next_meeting is not None
    except Meeting.next_meeting.RelatedObjectDoesNotExist:
        return False


def _meeting_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    return {name: data.get(name) for name in services.MEETING_FIELDS if name in data}


MEETINGS = Workflow(
    lifecycle.MEETING,
    is_party,
    (
        Action(
            lifecycle.SCHEDULE,
            "安排代办帮办员提议的会议：会议时间 starts_at、地点 place，可增加参会部门 participants",
            lambda m, u, v, d: services.meeting_schedule(
                meeting=m,
                actor=u,
                starts_at=d.get("starts_at"),
                place=d.get("place", ""),
                participants=d.get("participants") or (),
                expected_version=v,
            ),
            lambda m: "会议已安排，已通知参会部门。",
            ("starts_at", "place", "participants"),
        ),
        Action(
            lifecycle.EDIT,
            "修改会议信息（与新建会议的字段相同）",
            lambda m, u, v, d: services.meeting_update(
                meeting=m, actor=u, expected_version=v, **_meeting_fields(d)
            ),
            lambda m: "会议信息已修改。",
            services.MEETING_FIELDS,
            page="coordination:meeting_edit",
        ),
        Action(
            lifecycle.MINUTES,
            "记录会议纪要 minutes（必填）、堵点卡点 problems（每行一条）和议定事项 decisions"
            "（text、owner_department、due_date；时限不填按会议日期后 5 个工作日）",
            lambda m, u, v, d: services.meeting_record_minutes(
                meeting=m,
                actor=u,
                minutes=d.get("minutes", ""),
                problems=d.get("problems"),
                decisions=d.get("decisions") or (),
                expected_version=v,
            ),
            lambda m: "会议纪要已记录。",
            ("minutes", "problems", "decisions"),
        ),
        Action(
            lifecycle.CANCEL,
            "取消会议（须说明原因）；提议人可撤回自己的提议",
            lambda m, u, v, d: services.meeting_cancel(
                meeting=m, actor=u, reason=d.get("reason", ""), expected_version=v
            ),
            lambda m: "会议已取消。",
            ("reason",),
            danger=True,
        ),
        Action(
            lifecycle.NEXT,
            "按召开周期安排下一次会议（starts_at 不填则按周期推算，遇节假日顺延到下一个工作日）",
            lambda m, u, v, d: services.meeting_create_next(
                meeting=m, actor=u, starts_at=d.get("starts_at"), expected_version=v
            ),
            lambda following: f"已安排下一次会议：{_local(following.starts_at)}。",
            ("starts_at",),
            ready=lambda m: bool(m.recurrence) and not _has_next(m),
        ),
    ),
)


def _local(value) -> str:
    from django.utils import timezone

    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"


def meeting_mode(user) -> str:
    """How ``user`` starts a meeting: ``create`` (a centre admin arranges it), ``propose``
    (an agent proposes one for its commission) or ``""`` (it does not)."""
    if may_organise(user):
        return "create"
    if may_propose(user):
        return "propose"
    return ""


def meeting_new(user, data: Mapping[str, Any]) -> Meeting:
    """Create (admin) or propose (agent) a meeting from cleaned ``data``."""
    fields = _meeting_fields(data)
    if meeting_mode(user) == "propose":
        return services.meeting_propose(actor=user, **fields)
    return services.meeting_create(actor=user, **fields)  # refuses anyone but an admin


# --- decisions (议定事项) ------------------------------------------------------------------------

ACTION_ITEMS = Workflow(
    lifecycle.ACTION_ITEM,
    is_party,
    (
        Action(
            lifecycle.COMPLETE_ITEM,
            "责任部门标记议定事项已完成（note：完成情况，必填）",
            lambda i, u, v, d: services.action_item_complete(
                item=i, actor=u, note=d.get("note", ""), expected_version=v
            ),
            lambda i: "议定事项已标记完成。",
            ("note",),
        ),
        Action(
            lifecycle.REOPEN,
            "重新打开已完成的议定事项（reason：原因，必填）",
            lambda i, u, v, d: services.action_item_reopen(
                item=i, actor=u, reason=d.get("reason", ""), expected_version=v
            ),
            lambda i: "议定事项已重新打开。",
            ("reason",),
            danger=True,
        ),
    ),
    state="status",
)

# --- errand task orders -------------------------------------------------------------------------

TASK_ORDERS = Workflow(
    lifecycle.TASK_ORDER,
    is_party,
    (
        Action(
            lifecycle.ACCEPT,
            "跑腿公司接单：公司人员成为所列办件的代办方",
            lambda o, u, v, d: services.task_order_accept(order=o, actor=u, expected_version=v),
            lambda o: "已接单，可以开始办理所列事项。",
        ),
        Action(
            lifecycle.DECLINE,
            "跑腿公司退回任务单（reason：原因，必填）",
            lambda o, u, v, d: services.task_order_decline(
                order=o, actor=u, reason=d.get("reason", ""), expected_version=v
            ),
            lambda o: "任务单已退回派单单位。",
            ("reason",),
            danger=True,
        ),
        Action(
            lifecycle.REISSUE,
            "派单单位重新下发退回的任务单（可更换跑腿公司 company、完成时限 due_date、办理要求 requirements）",
            lambda o, u, v, d: services.task_order_reissue(
                order=o,
                actor=u,
                company=d.get("company"),
                due_date=d.get("due_date"),
                requirements=d.get("requirements"),
                expected_version=v,
            ),
            lambda o: f"任务单已重新下发给{o.company.name}。",
            ("company", "due_date", "requirements"),
        ),
        Action(
            lifecycle.COMPLETE,
            "跑腿公司办结任务单（note：办理结果；仍有事项未办结时必须说明原因）",
            lambda o, u, v, d: services.task_order_complete(
                order=o, actor=u, note=d.get("note", ""), expected_version=v
            ),
            lambda o: "任务单已办结。",
            ("note",),
        ),
        Action(
            lifecycle.REVOKE,
            "派单单位撤销任务单（reason：原因，必填）；跑腿公司不再办理所列事项",
            lambda o, u, v, d: services.task_order_cancel(
                order=o, actor=u, reason=d.get("reason", ""), expected_version=v
            ),
            lambda o: "任务单已撤销。",
            ("reason",),
            danger=True,
        ),
    ),
)

__all__ = [
    "ACTION_ITEMS",
    "MEETINGS",
    "TASK_ORDERS",
    "Action",
    "ActionItem",
    "TaskOrder",
    "Workflow",
    "meeting_mode",
    "meeting_new",
]
