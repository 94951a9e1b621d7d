"""服务授权委托书: the enterprise authorizes the centre to act for it."""

from __future__ import annotations

from bangban.documents import wording as w
from bangban.documents.data import AuthorizationLetter
from bangban.documents.formatting import format_date, format_datetime
from bangban.documents.layout import C, Seg
from bangban.documents.renderers.shared import (
    FOUR_COLUMNS,
    Checker,
    centre_unit,
    enterprise_rows,
    form_title,
    new_document,
    project_rows,
    scope_items_table,
)

__all__ = ["render_authorization_letter"]


def render_authorization_letter(data: AuthorizationLetter) -> bytes:
    """服务授权委托书: parties, project, scope (with its items in a table), term, powers and
    their limits, signatures; a note when the enterprise confirmed it online.

    Required: centre name, enterprise name / credit code / legal representative, agent
    name and mobile, project name, scope, both dates of the term (from ≤ to).
    """
    title = form_title(data.centre, "服务授权委托书")
    check = Checker(title)
    check.centre(data.centre, "受托方（服务中心）名称")
    check.enterprise(data.enterprise, "委托方")
    check.agent(data.agent)
    if data.agent is not None:
        check.require("代办帮办员联系电话", data.agent.mobile)
    check.project(data.project)
    check.scope(data.scope)
    check.require("委托期限起始日期", data.valid_from)
    check.require("委托期限截止日期", data.valid_to)
    if data.valid_from and data.valid_to and data.valid_to < data.valid_from:
        check.problem("委托期限截止日期早于起始日期")
    if data.online_confirmation is not None:
        check.require("在线确认人", data.online_confirmation.confirmed_by)
        check.require("在线确认时间", data.online_confirmation.confirmed_at)
    check.done(data)

    enterprise, project, scope, agent = data.enterprise, data.project, data.scope, data.agent
    document = new_document(data.centre, title)
    document.number_line("编号：", data.number)

    table = document.form_table(FOUR_COLUMNS)
    enterprise_rows(table, enterprise, "委托方")
    table.add(
        C("联系人", label=True),
        C(enterprise.contact_name),
        C("联系电话", label=True),
        C(enterprise.contact_mobile),
    )
    table.add(C("受托方", label=True), C(centre_unit(data.centre), span=3))
    table.add(
        C("代办帮办员", label=True),
        C(agent.name),
        C("联系电话", label=True),
        C(agent.mobile),
    )
    table.add(C("所在部门", label=True), C(agent.department, span=3))
    project_rows(table, project)

    mode = w.FULL_SCOPE if scope.full else w.PARTIAL_SCOPE
    document.para(
        "委托方自愿委托受托方为上述项目提供",
        Seg(mode, bold=True),
        "服务，双方约定如下：",
        space_before=8,
    )

    document.heading("一、委托范围")
    if scope.full:
        document.para(f"{w.FULL_SCOPE}：{w.FULL_SCOPE_TEXT}。")
        if scope.items:
            document.para("已确定的代办事项如下：")
    else:
        if scope.stages:
            document.para(f"{w.PARTIAL_SCOPE}，委托阶段：{'、'.join(scope.stages)}。")
        if scope.items:
            document.para(f"{w.PARTIAL_SCOPE}，委托事项如下：")
    if scope.items:
        scope_items_table(document, scope)

    document.heading("二、委托期限")
    document.para(
        f"自{format_date(data.valid_from)}起至{format_date(data.valid_to)}止。"
        "期限届满时委托事项尚未办结的，经双方协商一致可以延长。"
    )
    document.heading("三、委托权限")
    document.para("受托方在委托范围内可以：")
    document.numbered(w.AUTHORIZATION_POWERS)
    document.heading("四、权限限制")
    document.numbered(w.AUTHORIZATION_LIMITS)
    document.heading("五、变更与终止")
    document.para(w.AUTHORIZATION_CHANGE)
    document.heading("六、其他")
    document.para(w.AUTHORIZATION_COPIES)
    confirmation = data.online_confirmation
    if confirmation is not None:
        reference = f"（确认记录编号：{confirmation.reference}）" if confirmation.reference else ""
        document.para(
            f"本委托书已由委托方{confirmation.confirmed_by}于"
            f"{format_datetime(confirmation.confirmed_at)}通过"
            f"{confirmation.channel or w.ONLINE_CHANNEL_DEFAULT}在线确认{reference}，"
            "在线确认记录由平台留存备查。"
        )

    document.signatures(
        [
            [
                "委托方（盖章）：",
                "法定代表人或授权代表（签字）：",
                "",
                f"日期：{format_date(data.signed_on)}",
            ],
            [
                "受托方（盖章）：",
                "代办帮办员（签字）：",
                "",
                f"日期：{format_date(data.signed_on)}",
            ],
        ]
    )
    return document.to_bytes()
