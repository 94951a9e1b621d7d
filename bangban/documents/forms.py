"""The Word forms of the service (Baotou attachments 3–8, the refusal notice, the task order).

Each ``render_*`` function takes one dataclass of :mod:`bangban.documents.data`, checks
its required fields and returns the ``.docx`` file as bytes; nothing here touches the
database. A form whose required fields are empty is refused with :class:`FormDataError`
(a ``ValueError``) whose Chinese message names every missing field. The fixed wording is in
:mod:`bangban.documents.wording`, the page, fonts and table helpers in
:mod:`bangban.documents.layout`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from bangban.documents import wording as w
from bangban.documents.data import (
    Agent,
    AuthorizationLetter,
    CommitmentLetter,
    CompletionSlip,
    Enterprise,
    EvaluationForm,
    Project,
    RefusalDecision,
    RefusalNotice,
    RefusalReason,
    Scope,
    ServiceApplication,
    ServiceCentre,
    TaskOrder,
    TerminationSlip,
)
from bangban.documents.layout import (
    CHECKED,
    FANGSONG,
    FULL_SPACE,
    HEI,
    SIZE_BODY,
    SIZE_LETTER,
    SIZE_SMALL,
    SIZE_TABLE,
    TEXT_WIDTH_MM,
    UNCHECKED,
    C,
    FormDocument,
    FormTable,
    Seg,
    checkbox,
    checkboxes,
    format_date,
    format_datetime,
    format_number,
    or_blank,
)

__all__ = [
    "FormDataError",
    "render_authorization_letter",
    "render_commitment_letter",
    "render_completion_slip",
    "render_evaluation_form",
    "render_refusal_notice",
    "render_service_application",
    "render_task_order",
    "render_termination_slip",
]


# --- validation -----------------------------------------------------------------------------


class FormDataError(ValueError):
    """A form cannot be generated: `missing` names the empty required fields, `problems`
    any other fault; the message says both in Chinese."""

    def __init__(self, form: str, missing: Sequence[str], problems: Sequence[str] = ()):
        self.form = form
        self.missing = tuple(missing)
        self.problems = tuple(problems)
        parts = []
        if self.missing:
            parts.append("缺少必填项：" + "、".join(self.missing))
        parts.extend(self.problems)
        super().__init__(f"无法生成《{form}》，" + "；".join(parts) + "。")


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple)):
        return len(value) == 0
    return False


class _Checker:
    """Collects every missing field and fault of a form, then raises them all at once."""

    def __init__(self, form: str):
        self.form = form
        self.missing: list[str] = []
        self.problems: list[str] = []

    def require(self, label: str, value: Any) -> None:
        if _blank(value):
            self.missing.append(label)

    def problem(self, text: str) -> None:
        self.problems.append(text)

    def choice(self, label: str, value: Any, allowed: Iterable[Any]) -> None:
        """Required, and one of `allowed` (the enumeration's members or their values)."""
        if _blank(value):
            self.missing.append(label)
        elif value not in set(allowed):
            self.problems.append(f"{label}“{value}”无效")

    def centre(self, centre: ServiceCentre | None, label: str = "服务中心名称") -> None:
        self.require(label, centre.name if centre is not None else None)

    def enterprise(self, enterprise: Enterprise | None, role: str = "项目单位") -> None:
        if enterprise is None:
            self.missing.append(f"{role}信息")
            return
        self.require(f"{role}名称", enterprise.name)
        self.require(f"{role}统一社会信用代码", enterprise.credit_code)
        self.require(f"{role}法定代表人", enterprise.legal_representative)

    def project(self, project: Project | None) -> None:
        if project is None:
            self.missing.append("项目信息")
            return
        self.require("项目名称", project.name)

    def agent(self, agent: Agent | None, role: str = "代办帮办员") -> None:
        if agent is None:
            self.missing.append(role)
            return
        self.require(f"{role}姓名", agent.name)

    def scope(self, scope: Scope | None) -> None:
        if scope is None:
            self.missing.append("代办范围")
            return
        if not scope.full and not scope.stages and not scope.items:
            self.missing.append("代办范围（部分代办须列明代办阶段或事项）")
        for index, item in enumerate(scope.items, start=1):
            self.require(f"第{index}项代办事项名称", item.name)

    def done(self) -> None:
        if self.missing or self.problems:
            raise FormDataError(self.form, self.missing, self.problems)


# --- shared pieces --------------------------------------------------------------------------


def _title(centre: ServiceCentre | None, name: str) -> str:
    prefix = centre.title_prefix if centre is not None else ""
    return f"{prefix or w.DEFAULT_TITLE_PREFIX}{name}"


def _new_document(centre: ServiceCentre, title: str, body_size: float = SIZE_BODY) -> FormDocument:
    document = FormDocument(
        header=centre.name, title=title, author=centre.name, body_size=body_size
    )
    document.title(title)
    return document


def _centre_unit(centre: ServiceCentre) -> str:
    return f"{centre.name}{centre.department}" if centre.department else centre.name


def _contact(name: str, mobile: str) -> str:
    return "　".join(part for part in (name, mobile) if part)


def _lines(items: Iterable[str], empty: str = "无") -> str:
    numbered = [f"{index}. {text}" for index, text in enumerate(items, start=1)]
    return "\n".join(numbered) if numbered else empty


def _scope_mode(scope: Scope) -> str:
    return checkboxes(
        (w.FULL_SCOPE, w.PARTIAL_SCOPE), (w.FULL_SCOPE if scope.full else w.PARTIAL_SCOPE,)
    )


def _scope_items_table(document: FormDocument, scope: Scope) -> None:
    document.item_table(
        ("序号", "事项名称", "办理部门", "阶段"),
        (
            (str(index), item.name, item.department, item.stage)
            for index, item in enumerate(scope.items, start=1)
        ),
        (12, 70, 38, 36),
    )


def _enterprise_rows(table: FormTable, enterprise: Enterprise, role: str = "项目单位") -> None:
    """Two rows of a [label, value, label, value] table: name, credit code, representative."""
    table.add(C(f"{role}名称", label=True), C(enterprise.name, span=3))
    table.add(
        C("统一社会信用代码", label=True),
        C(enterprise.credit_code, size=SIZE_SMALL),
        C("法定代表人", label=True),
        C(enterprise.legal_representative),
    )


def _project_rows(table: FormTable, project: Project) -> None:
    """Two rows of a [label, value, label, value] table: name, code, location."""
    table.add(C("项目名称", label=True), C(project.name, span=3))
    table.add(
        C("项目代码", label=True),
        C(project.code, size=SIZE_SMALL),
        C("建设地点", label=True),
        C(project.location or project.region),
    )


FOUR_COLUMNS = (30, 50, 28, 48)


# --- 服务申请表 ----------------------------------------------------------------------------


def render_service_application(data: ServiceApplication) -> bytes:
    """代办帮办服务申请表: applicant, project, requested scope, channel, sponsor, acceptance.

    Required: centre name, enterprise name / credit code / legal representative / contact
    / mobile, project name, the scope (a partial one with stages or items), the channel and
    the application date.
    """
    title = _title(data.centre, "服务申请表")
    check = _Checker(title)
    check.centre(data.centre, "受理服务中心名称")
    check.enterprise(data.enterprise, "申请单位")
    if data.enterprise is not None:
        check.require("申请单位联系人", data.enterprise.contact_name)
        check.require("联系人手机号码", data.enterprise.contact_mobile)
    check.project(data.project)
    check.scope(data.scope)
    check.choice("申请渠道", data.channel, w.CHANNEL_LABELS)
    check.require("申请日期", data.application_date)
    check.done()

    enterprise, project, scope = data.enterprise, data.project, data.scope
    document = _new_document(data.centre, title)
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
        _scope_items_table(document, scope)

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
            f"受理单位：{_centre_unit(data.centre)}\n"
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


# --- 授权委托书 ----------------------------------------------------------------------------


def render_authorization_letter(data: AuthorizationLetter) -> bytes:
    """服务授权委托书: parties, project, scope (with its items in a table), term, powers and
    their limits, signatures; a note when the enterprise confirmed it online.

    Required: centre name, enterprise name / credit code / legal representative, agent
    name and mobile, project name, scope, both dates of the term (from ≤ to).
    """
    title = _title(data.centre, "服务授权委托书")
    check = _Checker(title)
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
    check.done()

    enterprise, project, scope, agent = data.enterprise, data.project, data.scope, data.agent
    document = _new_document(data.centre, title)
    document.number_line("编号：", data.number)

    table = document.form_table(FOUR_COLUMNS)
    _enterprise_rows(table, enterprise, "委托方")
    table.add(
        C("联系人", label=True),
        C(enterprise.contact_name),
        C("联系电话", label=True),
        C(enterprise.contact_mobile),
    )
    table.add(C("受托方", label=True), C(_centre_unit(data.centre), span=3))
    table.add(
        C("代办帮办员", label=True),
        C(agent.name),
        C("联系电话", label=True),
        C(agent.mobile),
    )
    table.add(C("所在部门", label=True), C(agent.department, span=3))
    _project_rows(table, project)

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
        _scope_items_table(document, scope)

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


# --- 服务承诺书 ----------------------------------------------------------------------------


def render_commitment_letter(data: CommitmentLetter) -> bytes:
    """服务承诺书, two-sided: what the enterprise commits (true materials, 容缺 deadlines,
    cooperation) and what the centre commits (free, 一次性告知, 限时办结, feedback,
    confidentiality, none of the six forbidden behaviours); signatures and dates.

    Required: centre name, enterprise name / credit code / legal representative, project
    name; each 容缺 material needs its item, name and due date.
    """
    title = _title(data.centre, "服务承诺书")
    check = _Checker(title)
    check.centre(data.centre)
    check.enterprise(data.enterprise)
    check.project(data.project)
    if data.scope is not None:
        check.scope(data.scope)
    for index, material in enumerate(data.deferred_materials, start=1):
        check.require(f"第{index}项容缺材料名称", material.material)
        check.require(f"第{index}项容缺材料所属事项", material.item)
        check.require(f"第{index}项容缺材料补齐期限", material.due)
    check.done()

    enterprise, project, centre = data.enterprise, data.project, data.centre
    document = _new_document(centre, title)
    document.number_line("编号：", data.number)
    document.para(
        "为保障",
        Seg(f"“{project.name}”", bold=True),
        f"代办帮办服务顺利开展，{enterprise.name}（统一社会信用代码：{enterprise.credit_code}，"
        f"以下简称项目单位）与{_centre_unit(centre)}（以下简称服务中心）作出如下承诺。",
    )
    if data.agent is not None:
        contact = f"（联系电话：{data.agent.mobile}）" if data.agent.mobile else ""
        document.para(f"服务中心指定代办帮办员{data.agent.name}{contact}为项目单位提供服务。")
    if data.scope is not None:
        scope = data.scope
        parts = [w.FULL_SCOPE if scope.full else w.PARTIAL_SCOPE]
        if scope.stages:
            parts.append(f"代办阶段：{'、'.join(scope.stages)}")
        if scope.items:
            parts.append(f"代办事项：{'、'.join(item.name for item in scope.items)}")
        document.para("服务范围：" + "；".join(parts) + "。")

    document.heading("一、项目单位承诺")
    document.numbered(w.ENTERPRISE_COMMITMENTS[:2])
    if data.deferred_materials:
        document.para("本项目容缺受理的材料及补齐期限如下：")
        document.item_table(
            ("序号", "所属事项", "容缺材料", "补齐期限"),
            (
                (str(index), material.item, material.material, format_date(material.due))
                for index, material in enumerate(data.deferred_materials, start=1)
            ),
            (14, 54, 54, 34),
        )
    document.numbered(w.ENTERPRISE_COMMITMENTS[2:], start=3)

    document.heading("二、服务中心承诺")
    for index, (lead, text) in enumerate(w.CENTRE_COMMITMENTS, start=1):
        document.para(f"{index}. ", Seg(f"{lead}。", bold=True), text)
    number = len(w.CENTRE_COMMITMENTS) + 1
    document.para(f"{number}. ", Seg(f"{w.CENTRE_INTEGRITY}。", bold=True), w.CENTRE_INTEGRITY_TEXT)
    numerals = "一二三四五六"
    for numeral, (label, text) in zip(numerals, w.FORBIDDEN_BEHAVIOURS, strict=True):
        end = "。" if numeral == numerals[-1] else "；"
        document.para(f"（{numeral}）杜绝{label}：{text}{end}")
    supervision = (
        w.CENTRE_SUPERVISION_TEXT.format(phone=centre.complaint_phone)
        if centre.complaint_phone
        else w.CENTRE_SUPERVISION_NO_PHONE
    )
    document.para(f"{number + 1}. ", Seg(f"{w.CENTRE_SUPERVISION}。", bold=True), supervision)
    document.para(w.COMMITMENT_COPIES, space_before=4)

    document.signatures(
        [
            [
                "项目单位（盖章）：",
                "法定代表人（签字）：",
                "",
                f"日期：{format_date(data.signed_on)}",
            ],
            [
                "服务中心（盖章）：",
                "代办帮办员（签字）：",
                "",
                f"日期：{format_date(data.signed_on)}",
            ],
        ]
    )
    return document.to_bytes()


# --- 不予办理告知书 ------------------------------------------------------------------------


def _reason_text(reason: RefusalReason | str) -> str:
    """``项目为新建电石生产装置，属于《…》中的禁止新增产能条目“电石”。``"""
    if isinstance(reason, str):
        return reason.strip().rstrip("。；;，,") + "。"
    text = reason.text.strip().rstrip("。；;，,")
    where = f"{reason.source}中的" if reason.source else ""
    if reason.entry:
        text += f"，属于{where}{reason.category}条目“{reason.entry}”"
    elif reason.category:
        text += f"，属于{where}{reason.category}"
    elif reason.source:
        text += f"，不符合{reason.source}"
    return text + "。"


def render_refusal_notice(data: RefusalNotice) -> bytes:
    """不予办理告知书 (控制事项明确答复制): the decision, its reasons as numbered lines, the
    basis, the remedies, the issuing unit with its seal and a receipt.

    A refusal of the service (``RefusalDecision.SERVICE``) is not an administrative licence
    decision: its remedy is a review by `review_body`, and the notice says that the
    enterprise may still apply to the approval departments directly, with the statutory
    remedies against their decisions. A refused application (``ACCEPTANCE``) names the
    statutory channels: 行政复议 within sixty days, 行政诉讼 within six months.

    Required: centre name, number, issuer, enterprise name / credit code / legal
    representative, project name, decision, at least one reason and one basis, the date;
    for SERVICE the review body, for ACCEPTANCE the item, the reconsideration body and
    the court.
    """
    decision = data.decision
    title = "不予受理告知书" if decision == RefusalDecision.ACCEPTANCE else "不予办理告知书"
    check = _Checker(title)
    check.centre(data.centre)
    check.require("告知书编号", data.number)
    check.require("告知单位", data.issuer)
    check.enterprise(data.enterprise)
    check.project(data.project)
    check.choice("处理决定", decision, w.DECISION_LABELS)
    check.require("不予办理的理由", list(data.reasons))
    for index, reason in enumerate(data.reasons, start=1):
        check.require(
            f"第{index}条理由", reason.text if isinstance(reason, RefusalReason) else reason
        )
    check.require("法律政策依据", list(data.basis))
    check.require("告知日期", data.issued_on)
    if decision == RefusalDecision.SERVICE:
        check.require("复核受理单位", data.review_body)
    elif decision == RefusalDecision.ACCEPTANCE:
        check.require("申请事项名称", data.item_name)
        check.require("行政复议机关", data.reconsideration_body)
        check.require("行政诉讼管辖法院", data.court)
    check.done()

    enterprise, project = data.enterprise, data.project
    document = _new_document(data.centre, title, body_size=SIZE_LETTER)
    document.para(data.number, font=FANGSONG, align="center", indent=False, space_after=8)
    document.para(
        f"{enterprise.name}（统一社会信用代码：{enterprise.credit_code}）：",
        align="left",
        indent=False,
    )
    applied = f"于{format_date(data.applied_on)}" if data.applied_on else ""
    number = f"（申请编号：{data.application_number}）" if data.application_number else ""
    facts = "，".join(
        f"{label}：{value}"
        for label, value in (
            ("项目代码", project.code),
            ("建设地点", project.location or project.region),
            ("所属行业", project.industry),
        )
        if value
    )
    named = f"“{project.name}”（{facts}）" if facts else f"“{project.name}”"
    if decision == RefusalDecision.SERVICE:
        document.para(
            f"你单位{applied}提交的{named}代办帮办服务申请{number}收悉。"
            "经核实，该项目存在以下情形："
        )
    else:
        document.para(
            f"你单位{applied}就{named}提出的{data.item_name}申请{number}收悉。"
            "经审查，该申请存在以下情形："
        )
    document.numbered(_reason_text(reason) for reason in data.reasons)

    basis = "、".join(text.strip() for text in data.basis)
    if decision == RefusalDecision.SERVICE:
        document.para(w.REFUSAL_SERVICE_CONCLUSION.format(basis=basis))
        within = (
            w.REFUSAL_SERVICE_REVIEW_WITHIN.format(days=data.review_within_workdays)
            if data.review_within_workdays
            else ""
        )
        document.para(w.REFUSAL_SERVICE_REVIEW.format(within=within, review_body=data.review_body))
        document.para(w.REFUSAL_SERVICE_NOT_A_LICENCE)
    else:
        document.para(w.REFUSAL_ACCEPTANCE_CONCLUSION.format(basis=basis))
        document.para(
            w.REFUSAL_ACCEPTANCE_REMEDY.format(
                reconsideration_body=data.reconsideration_body, court=data.court
            )
        )
    document.para(w.REFUSAL_CLOSING, keep_with_next=True)
    document.spacer(14, keep_with_next=True)
    signature = (data.issuer, "（盖章）", format_date(data.issued_on))
    for index, line in enumerate(signature):
        document.para(
            line,
            align="right",
            indent=False,
            right_indent_chars=2,
            keep_with_next=index < len(signature) - 1,
        )
    if data.contact_name or data.contact_phone:
        document.para(
            f"（联系人：{or_blank(data.contact_name, 4)}，联系电话：{or_blank(data.contact_phone, 6)}）",
            size=SIZE_TABLE,
            space_before=14,
        )

    document.page_break()
    document.title("送达回证")
    receipt = document.form_table(FOUR_COLUMNS)
    receipt.add(
        C("送达文书名称及文号", label=True),
        C(f"{title}（{data.number}）", span=3),
        min_height_mm=14,
    )
    receipt.add(C("受送达人", label=True), C(enterprise.name, span=3), min_height_mm=14)
    receipt.add(C("送达地点", label=True), C(enterprise.address, span=3), min_height_mm=14)
    receipt.add(
        C("送达方式", label=True),
        C(checkboxes(("直接送达", "邮寄送达", "电子送达")), span=3),
        min_height_mm=14,
    )
    receipt.add(
        C("送达人（签字）", label=True),
        C(""),
        C("送达日期", label=True),
        C(format_date(None)),
        min_height_mm=18,
    )
    receipt.add(
        C("受送达人签收\n（签字或盖章）", label=True),
        C(""),
        C("签收日期", label=True),
        C(format_date(None)),
        min_height_mm=18,
    )
    receipt.add(C("备注", label=True), C("", span=3), min_height_mm=24)
    return document.to_bytes()


# --- 办结单 --------------------------------------------------------------------------------


def render_completion_slip(data: CompletionSlip) -> bytes:
    """服务办结单: the items completed with result numbers and dates, the documents handed
    over, the originals returned, and the enterprise's confirmation.

    Required: centre name, enterprise name / credit code / legal representative, project
    name, agent name, at least one completed item (each with a name) and the completion
    date.
    """
    title = _title(data.centre, "服务办结单")
    check = _Checker(title)
    check.centre(data.centre)
    check.enterprise(data.enterprise)
    check.project(data.project)
    check.agent(data.agent)
    check.require("办结事项", list(data.items))
    for index, item in enumerate(data.items, start=1):
        check.require(f"第{index}项办结事项名称", item.name)
    for index, handed in enumerate(data.handed_over, start=1):
        check.require(f"第{index}项移交材料名称", handed.name)
    check.require("办结日期", data.completed_on)
    if data.confirmation is not None:
        check.require("确认人", data.confirmation.confirmed_by)
        check.require("确认时间", data.confirmation.confirmed_at)
    check.done()

    enterprise, project, agent = data.enterprise, data.project, data.agent
    document = _new_document(data.centre, title)
    document.number_line("编号：", data.number)

    table = document.form_table(FOUR_COLUMNS)
    _enterprise_rows(table, enterprise)
    _project_rows(table, project)
    table.add(
        C("代办帮办员", label=True),
        C(agent.name),
        C("联系电话", label=True),
        C(agent.mobile),
    )
    table.add(
        C("委托日期", label=True),
        C(format_date(data.accepted_on) if data.accepted_on else ""),
        C("办结日期", label=True),
        C(format_date(data.completed_on)),
    )
    document.para(w.COMPLETION_STATEMENT, space_before=8)

    document.heading("一、办结事项")
    document.item_table(
        ("序号", "事项名称", "办理部门", "结果名称及文号", "办结日期"),
        (
            (
                str(index),
                item.name,
                item.department,
                "\n".join(part for part in (item.result_name, item.result_number) if part),
                format_date(item.completed_on) if item.completed_on else "",
            )
            for index, item in enumerate(data.items, start=1)
        ),
        (12, 48, 30, 40, 26),
    )
    document.heading("二、移交结果文书")
    if data.handed_over:
        document.item_table(
            ("序号", "文书名称", "形式", "份数"),
            (
                (str(index), handed.name, handed.form, str(handed.copies))
                for index, handed in enumerate(data.handed_over, start=1)
            ),
            (12, 94, 30, 20),
        )
    else:
        document.para("审批结果已随各事项一并移交，无其他文书。")
    document.heading("三、返还申请材料原件")
    document.para("、".join(data.originals_returned) + "。" if data.originals_returned else "无。")

    document.heading("四、确认签章")
    confirmation = data.confirmation
    opinion = checkbox(w.COMPLETION_CONFIRM, confirmation is not None)
    if confirmation is not None and confirmation.opinion:
        opinion += f"\n其他意见：{confirmation.opinion}"
    if confirmation is not None and confirmation.online:
        opinion += f"\n（由{confirmation.confirmed_by}于{format_datetime(confirmation.confirmed_at)}在线确认）"
    confirmed_on = confirmation.confirmed_at.date() if confirmation is not None else None
    confirm = document.form_table((32, TEXT_WIDTH_MM - 32))
    confirm.add(C("确认意见", label=True), C(opinion), min_height_mm=14)
    confirm.add(
        C("项目单位", label=True),
        C(
            "项目单位（盖章）：　　　　　　　　　　\n"
            "经办人（签字）：　　　　　　　　　　\n"
            f"{format_date(confirmed_on)}",
            align="right",
        ),
        min_height_mm=26,
    )
    confirm.add(
        C("服务中心", label=True),
        C(
            f"{_centre_unit(data.centre)}（盖章）\n"
            f"代办帮办员（签字）：{or_blank('', 10)}\n"
            f"{format_date(data.completed_on)}",
            align="right",
        ),
        min_height_mm=26,
    )
    confirm.keep_together()
    document.para(w.COMPLETION_EVALUATE, size=SIZE_SMALL, space_before=10)
    return document.to_bytes()


# --- 终止单 --------------------------------------------------------------------------------


def render_termination_slip(data: TerminationSlip) -> bytes:
    """服务终止单: the reason (与法律政策冲突 / 不再具备条件 / 投资者要求) and its details, what
    was done and what is left, materials returned, both parties' signatures.

    Required: centre name, enterprise name / credit code / legal representative, project
    name, reason, details, termination date.
    """
    title = _title(data.centre, "服务终止单")
    check = _Checker(title)
    check.centre(data.centre)
    check.enterprise(data.enterprise)
    check.project(data.project)
    check.choice("终止原因", data.reason, w.TERMINATION_LABELS)
    check.require("终止原因具体情况", data.details)
    check.require("终止日期", data.terminated_on)
    check.done()

    enterprise, project = data.enterprise, data.project
    document = _new_document(data.centre, title)
    document.number_line("编号：", data.number)

    table = document.form_table(FOUR_COLUMNS)
    _enterprise_rows(table, enterprise)
    _project_rows(table, project)
    table.add(
        C("授权委托书编号", label=True),
        C(data.authorization_number),
        C("委托日期", label=True),
        C(format_date(data.authorized_on) if data.authorized_on else ""),
    )
    if data.agent is not None:
        table.add(
            C("代办帮办员", label=True),
            C(data.agent.name),
            C("联系电话", label=True),
            C(data.agent.mobile),
        )
    table.add(
        C("终止原因", label=True),
        C(checkboxes(w.TERMINATION_LABELS.values(), (w.TERMINATION_LABELS[data.reason],)), span=3),
    )
    table.add(C("具体情况", label=True), C(data.details, span=3), min_height_mm=28)
    table.add(C("已办结事项", label=True), C(_lines(data.completed_items), span=3))
    table.add(C("未办结事项", label=True), C(_lines(data.pending_items), span=3))
    table.add(C("返还材料", label=True), C(_lines(data.materials_returned), span=3))
    table.add(C("终止日期", label=True), C(format_date(data.terminated_on), span=3))
    document.para(w.TERMINATION_EFFECT, space_before=8)

    document.signatures(
        [
            [
                "项目单位（盖章）：",
                "法定代表人或授权代表（签字）：",
                "",
                f"日期：{format_date(data.terminated_on)}",
            ],
            [
                "服务中心（盖章）：",
                "代办帮办员（签字）：",
                "",
                f"日期：{format_date(data.terminated_on)}",
            ],
        ]
    )
    return document.to_bytes()


# --- 评价表 --------------------------------------------------------------------------------


def render_evaluation_form(data: EvaluationForm) -> bytes:
    """服务评价表 with the five national levels, per aspect and overall; blank boxes where no
    level is given, so the form can also be printed and ticked by hand.

    Required: centre name, enterprise name / credit code / legal representative, project
    name.
    """
    title = _title(data.centre, "服务评价表")
    check = _Checker(title)
    check.centre(data.centre)
    check.enterprise(data.enterprise)
    check.project(data.project)
    for index, rating in enumerate(data.aspects, start=1):
        check.require(f"第{index}项评价内容", rating.aspect)
    check.done()

    enterprise, project = data.enterprise, data.project
    document = _new_document(data.centre, title)
    document.number_line("编号：", data.number)

    table = document.form_table(FOUR_COLUMNS)
    _enterprise_rows(table, enterprise)
    _project_rows(table, project)
    table.add(
        C("代办帮办员", label=True),
        C(data.agent.name if data.agent else ""),
        C("所在部门", label=True),
        C(data.agent.department if data.agent else ""),
    )
    period = ""
    if data.service_from or data.service_to:
        period = f"{format_date(data.service_from)} 至 {format_date(data.service_to)}"
    table.add(C("服务期间", label=True), C(period, span=3))
    if data.scope is not None:
        names = [item.name for item in data.scope.items]
        mode = w.FULL_SCOPE if data.scope.full else w.PARTIAL_SCOPE
        table.add(C("代办事项", label=True), C(f"{mode}\n" + _lines(names, "—"), span=3))

    document.para(w.EVALUATION_INSTRUCTION, size=SIZE_TABLE, indent=False, space_before=8)
    levels = list(w.SATISFACTION_LABELS)
    width = (TEXT_WIDTH_MM - 36) / len(levels)
    ratings = document.form_table([36] + [width] * len(levels), size=SIZE_TABLE, header_rows=1)
    ratings.add(
        C("评价内容", label=True, bold=True),
        *(
            C(w.SATISFACTION_LABELS[level], label=True, bold=True, size=SIZE_SMALL)
            for level in levels
        ),
    )
    aspects = list(data.aspects) or [None] * len(w.DEFAULT_ASPECTS)
    for index, rating in enumerate(aspects):
        aspect = rating.aspect if rating else w.DEFAULT_ASPECTS[index]
        chosen = rating.level if rating else None
        ratings.add(
            C(aspect, label=True),
            *(C(CHECKED if level == chosen else UNCHECKED, label=True) for level in levels),
        )
    ratings.add(
        C("总体评价", label=True, bold=True),
        *(C(CHECKED if level == data.overall else UNCHECKED, label=True) for level in levels),
    )

    document.spacer(8)
    remarks = document.form_table((36, TEXT_WIDTH_MM - 36))
    remarks.add(C("意见", label=True), C(data.comment), min_height_mm=18)
    remarks.add(C("建议", label=True), C(data.suggestion), min_height_mm=18)
    notes = w.EVALUATION_BAD_RATING
    if data.centre.complaint_phone:
        notes += f"监督投诉电话：{data.centre.complaint_phone}。"
    document.para(notes, size=SIZE_SMALL, space_before=4)

    document.signatures(
        [
            [f"评价人（签字）：{data.evaluator}", f"日期：{format_date(data.evaluated_on)}"],
            ["项目单位（盖章）：", ""],
        ],
        space_before=6,
    )
    return document.to_bytes()


# --- 专业跑腿任务单 ------------------------------------------------------------------------


def render_task_order(data: TaskOrder) -> bytes:
    """专业跑腿任务单 issued to the errand company for out-of-zone items: issuer, company,
    project, items, deadline, rules, signatures and a part for the result.

    Required: centre name, number, issuer, errand company name, enterprise name / credit
    code / legal representative, project name, at least one item (each with a name),
    issue date and deadline (deadline not before the issue date).
    """
    title = "专业跑腿任务单"
    check = _Checker(title)
    check.centre(data.centre)
    check.require("任务单编号", data.number)
    check.require("派单单位", data.issuer)
    check.require(
        "承接单位名称", data.errand_company.name if data.errand_company is not None else None
    )
    check.enterprise(data.enterprise)
    check.project(data.project)
    check.require("任务事项", list(data.items))
    for index, item in enumerate(data.items, start=1):
        check.require(f"第{index}项任务事项名称", item.name)
    check.require("派单日期", data.issued_on)
    check.require("完成时限", data.deadline)
    if data.issued_on and data.deadline and data.deadline < data.issued_on:
        check.problem("完成时限早于派单日期")
    check.done()

    enterprise, project, company = data.enterprise, data.project, data.errand_company
    document = _new_document(data.centre, title)
    document.number_line("编号：", data.number)

    table = document.form_table(FOUR_COLUMNS)
    contact = data.issuer_contact
    table.add(
        C("派单单位", label=True),
        C(data.issuer),
        C("经办人及电话", label=True),
        C(_contact(contact.name, contact.mobile) if contact else ""),
    )
    table.add(
        C("承接单位", label=True),
        C(company.name),
        C("联系人及电话", label=True),
        C(_contact(company.contact_name, company.contact_mobile)),
    )
    _enterprise_rows(table, enterprise)
    table.add(
        C("联系人", label=True),
        C(enterprise.contact_name),
        C("联系电话", label=True),
        C(enterprise.contact_mobile),
    )
    _project_rows(table, project)
    table.add(
        C("派单日期", label=True),
        C(format_date(data.issued_on)),
        C("完成时限", label=True),
        C(f"{format_date(data.deadline)}前", bold=True),
    )

    document.heading("一、任务事项")
    document.item_table(
        ("序号", "事项名称", "办理机关", "办理地点", "交付材料", "办理要求"),
        (
            (
                str(index),
                item.name,
                item.authority,
                item.place,
                item.materials,
                item.requirement,
            )
            for index, item in enumerate(data.items, start=1)
        ),
        (10, 36, 28, 24, 32, 26),
    )
    document.heading("二、工作要求")
    rules = list(w.TASK_ORDER_RULES)
    if data.requirements:
        rules.append(data.requirements)
    document.numbered(rules)

    document.signatures(
        [
            ["派单单位（盖章）：", "经办人（签字）：", f"日期：{format_date(data.issued_on)}"],
            ["承接单位（盖章）：", "接单人（签字）：", f"接单时间：{format_date(None)}"],
        ],
        space_before=6,
    )
    document.heading("三、办理结果反馈（承接单位填写）")
    result = document.form_table(FOUR_COLUMNS)
    result.add(C("办理结果", label=True), C("", span=3), min_height_mm=22)
    result.add(
        C("完成时间", label=True),
        C(format_date(None)),
        C("经办人签字", label=True),
        C(FULL_SPACE),
    )
    result.keep_together()
    return document.to_bytes()
