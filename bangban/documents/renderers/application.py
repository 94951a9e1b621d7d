"""服务申请表: the enterprise's application for the service."""

from __future__ import annotations

from bangban.documents import wording as w
from bangban.documents.data import Scope, ServiceApplication
from bangban.documents.formatting import checkboxes, format_date, format_number, or_blank
from bangban.documents.layout import HEI, SIZE_SMALL, C, Seg
from bangban.documents.renderers.shared import (
    Checker,
    centre_unit,
    form_title,
    new_document,
    scope_items_table,
)

__all__ = ["render_service_application"]


def _scope_mode(scope: Scope) -> str:
    return checkboxes(
        (w.FULL_SCOPE, w.PARTIAL_SCOPE), (w.FULL_SCOPE if scope.full else w.PARTIAL_SCOPE,)
    )


def render_service_application(data: ServiceApplication) -> bytes:
    """代办帮办服务申请表: applicant, project, requested scope, channel, sponsor, acceptance.

    Required: centre name, enterprise name / credit code / legal representative / contact
    / mobile, project name, the scope (a partial one with stages or items), the channel and
    the application date.
    """
    title = form_title(data.centre, "服务申请表")
    check = Checker(title)
    check.centre(data.centre, "受理服务中心名称")
    check.enterprise(data.enterprise, "申请单位")
    if data.enterprise is not None:
        check.require("申请单位联系人", data.enterprise.contact_name)
        check.require("联系人手机号码", data.enterprise.contact_mobile)
    check.project(data.project)
    check.scope(data.scope)
    check.choice("申请渠道", data.channel, w.CHANNEL_LABELS)
    check.require("申请日期", data.application_date)
    check.done(data)

    enterprise, project, scope = data.enterprise, data.project, data.scope
    document = new_document(data.centre, title)
    document.number_line("申请编号：", data.number)

    table = document.form_table((12, 28, 50, 26, 40))
    first = table.add(C(), C("单位名称", label=True), C(enterprise.name, span=3))
    table.add(
        C(),
        C("统一社会信用代码", label=True),
        C(enterprise.credit_code, size=SIZE_SMALL),
        C("法定代表人", label=True),
        C(enterprise.legal_representative),
    )
    table.add(
        C(),
        C("联系人", label=True),
        C(enterprise.contact_name),
        C("手机号码", label=True),
        C(enterprise.contact_mobile),
    )
    last = table.add(C(), C("单位地址", label=True), C(enterprise.address, span=3))
    table.group(0, first, last, "申请单位")

    first = table.add(C(), C("项目名称", label=True), C(project.name, span=3))
    table.add(
        C(),
        C("项目代码", label=True),
        C(project.code, size=SIZE_SMALL),
        C("所属区域", label=True),
        C(project.region),
    )
    table.add(C(), C("建设地点", label=True), C(project.location, span=3))
    table.add(
        C(),
        C("投资类型", label=True),
        C(project.investment_type),
        C("所属行业", label=True),
        C(project.industry),
    )
    table.add(
        C(),
        C("总投资（万元）", label=True),
        C(format_number(project.total_investment_wan)),
        C("重点项目", label=True),
        C(checkboxes(("是", "否"), ("是" if project.is_key_project else "否",))),
    )
    table.add(
        C(),
        C("用地方式", label=True),
        C(project.land_source),
        C("用地面积（公顷）", label=True),
        C(format_number(project.land_area_ha)),
    )
    table.add(
        C(),
        C("总建筑面积（m²）", label=True),
        C(format_number(project.building_area_m2), span=3),
    )
    last = table.add(
        C(),
        C("建设规模及主要内容", label=True),
        C(project.description, span=3),
        min_height_mm=24,
    )
    table.group(0, first, last, "项目情况")

    first = table.add(C(), C("服务方式", label=True), C(_scope_mode(scope), span=3))
    table.add(C(), C("代办阶段", label=True), C("、".join(scope.stages) or "—", span=3))
    items_text = f"共{len(scope.items)}项，详见下表" if scope.items else "—"
    if scope.full and not scope.items:
        items_text = w.FULL_SCOPE_TEXT
    table.add(C(), C("代办事项", label=True), C(items_text, span=3))
    last = table.add(
        C(), C("其他服务需求", label=True), C(data.other_needs, span=3), min_height_mm=14
    )
    table.group(0, first, last, "服务需求")

    first = table.add(
        C(),
        C("申请渠道", label=True),
        C(checkboxes(w.CHANNEL_LABELS.values(), (w.CHANNEL_LABELS[data.channel],)), span=3),
    )
    last = table.add(
        C(),
        C("招引单位", label=True),
        C(data.sponsor or "—"),
        C("联系人及电话", label=True),
        C(data.sponsor_contact or "—"),
    )
    table.group(0, first, last, "申请渠道")

    if scope.items:
        document.spacer(8)
        document.para(
            Seg("申请代办事项", font=HEI),
            align="center",
            indent=False,
            space_after=4,
            keep_with_next=True,
        )
        scope_items_table(document, scope)

    document.spacer(8)
    closing = document.form_table((42, 114))
    closing.add(
        C("申请单位意见", label=True),
        C(
            f"{w.APPLICATION_DECLARATION}\n\n"
            "申请单位（盖章）：　　　　　　　　　　\n"
            "法定代表人或委托代理人（签字）：　　　　　　　　　　\n"
            f"{format_date(data.application_date)}",
            align="right",
        ),
        min_height_mm=36,
    )
    closing.add(
        C("受理意见", label=True),
        C(
            f"受理单位：{centre_unit(data.centre)}\n"
            f"受理人（签字）：{or_blank(data.received_by, 6)}　　（盖章）\n"
            f"{format_date(data.received_on)}",
            align="right",
        ),
        min_height_mm=30,
    )
    closing.keep_together()
    if data.centre.phone:
        document.para(
            f"咨询电话：{data.centre.phone}",
            size=SIZE_SMALL,
            indent=False,
            space_before=4,
        )
    return document.to_bytes()
