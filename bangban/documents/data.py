"""What the Word forms are filled from: plain dataclasses, no Django import.

The commission, eligibility, completion and errand code fill these from their records and
hand them to the generators in :mod:`bangban.documents.renderers`. Text fields take what the
form shows (labels, not codes): a stage is given as ``"立项用地规划许可"``, an investment
type as ``"企业投资（备案）"``. Empty strings and ``None`` mean "not known"; the generators
refuse a form whose required fields are empty (see each generator's docstring) and print
blank lines for the optional ones, so a form can still be completed by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

Number = Decimal | int | float


# --- parties ------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ServiceCentre:
    """The centre that runs the service; its name heads every page.

    title_prefix: put before each form's title, e.g. ``稀土高新区“蒙速办·帮您办”`` gives
        ``稀土高新区“蒙速办·帮您办”服务申请表``; empty gives ``代办帮办服务申请表``.
    department: the unit inside the centre that does the work (企业服务局, 帮办代办室).
    phone: the service's consultation number; complaint_phone: where to complain.
    """

    name: str
    title_prefix: str = ""
    department: str = ""
    phone: str = ""
    complaint_phone: str = ""
    address: str = ""


@dataclass(frozen=True, kw_only=True)
class Enterprise:
    name: str
    credit_code: str  # 统一社会信用代码
    legal_representative: str
    contact_name: str = ""
    contact_mobile: str = ""
    address: str = ""


@dataclass(frozen=True, kw_only=True)
class Project:
    name: str
    code: str = ""  # 投资项目统一代码
    location: str = ""  # 建设地点
    region: str = ""  # 所属区域 (the region node's name)
    investment_type: str = ""  # label: 企业投资（备案） / 企业投资（核准） / 政府投资
    industry: str = ""  # label: "C2614 有机化学原料制造"
    total_investment_wan: Number | None = None
    land_source: str = ""  # label: 出让 / 划拨 / 自有存量用地 / 不新增用地
    land_area_ha: Number | None = None
    building_area_m2: Number | None = None
    description: str = ""  # 建设规模及主要内容
    is_key_project: bool = False


@dataclass(frozen=True, kw_only=True)
class Agent:
    """A 代办帮办员 (or any named staff member acting for a unit)."""

    name: str
    mobile: str = ""
    department: str = ""


# --- scope --------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ScopeItem:
    name: str  # 事项名称
    department: str = ""  # 办理部门
    stage: str = ""  # 阶段 (label)


@dataclass(frozen=True, kw_only=True)
class Scope:
    """全程代办 (`full`) or 部分代办 of the listed stages and/or items.

    A full scope may list the items already known from the plan; a partial scope must name
    at least one stage or item.
    """

    full: bool
    stages: Sequence[str] = ()
    items: Sequence[ScopeItem] = ()


# --- 服务申请表 ----------------------------------------------------------------------------


class ApplicationChannel(StrEnum):
    ONLINE = "online"  # 企业网上申请
    WINDOW = "window"  # 窗口受理
    HOTLINE = "hotline"  # 热线咨询转办
    SPONSOR = "sponsor"  # 招引单位推送


@dataclass(frozen=True, kw_only=True)
class ServiceApplication:
    centre: ServiceCentre
    enterprise: Enterprise
    project: Project
    scope: Scope
    channel: ApplicationChannel
    application_date: dt.date
    number: str = ""  # 申请编号
    sponsor: str = ""  # 招引单位
    sponsor_contact: str = ""  # 招引单位联系人及电话
    other_needs: str = ""  # 其他服务需求
    received_by: str = ""  # 受理人
    received_on: dt.date | None = None


# --- 授权委托书 ----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class OnlineConfirmation:
    """The enterprise confirmed the letter online: who, when, where, and the record's id."""

    confirmed_by: str
    confirmed_at: dt.datetime
    channel: str = ""  # e.g. 企业服务门户; empty prints a generic wording
    reference: str = ""  # the platform's record number


@dataclass(frozen=True, kw_only=True)
class AuthorizationLetter:
    centre: ServiceCentre
    enterprise: Enterprise
    project: Project
    agent: Agent
    scope: Scope
    valid_from: dt.date
    valid_to: dt.date
    number: str = ""
    signed_on: dt.date | None = None
    online_confirmation: OnlineConfirmation | None = None


# --- 服务承诺书 ----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class DeferredMaterial:
    """A material accepted as missing (容缺受理) that the enterprise must supply by `due`."""

    item: str  # 事项名称
    material: str  # 材料名称
    due: dt.date


@dataclass(frozen=True, kw_only=True)
class CommitmentLetter:
    centre: ServiceCentre
    enterprise: Enterprise
    project: Project
    agent: Agent | None = None
    scope: Scope | None = None
    deferred_materials: Sequence[DeferredMaterial] = ()
    number: str = ""
    signed_on: dt.date | None = None


# --- 不予办理告知书 (控制事项明确答复制) ----------------------------------------------------


class RefusalDecision(StrEnum):
    SERVICE = "service"  # 不予办理代办帮办服务 — the centre declines the service
    ACCEPTANCE = "acceptance"  # 不予受理 — an approval department refuses an application


@dataclass(frozen=True, kw_only=True)
class RefusalReason:
    """One reason, as the eligibility check words it.

    text: what about the project is refused ("新建电石生产装置"); entry: the catalog or list
    entry it falls under; category: its class (限制类, 淘汰类, 禁止新增产能); source: the
    catalog or list with its date or document number.
    """

    text: str
    entry: str = ""
    category: str = ""
    source: str = ""


@dataclass(frozen=True, kw_only=True)
class RefusalNotice:
    """A refusal with a written explanation.

    For `RefusalDecision.SERVICE` the remedy is a review (复核) by `review_body`; the notice
    says that it is not an administrative licence decision. For
    `RefusalDecision.ACCEPTANCE` (an approval department refusing to accept `item_name`)
    the statutory remedies apply: `reconsideration_body` (行政复议机关) and `court`.
    """

    centre: ServiceCentre
    number: str
    issuer: str  # the unit that signs and seals
    enterprise: Enterprise
    project: Project
    decision: RefusalDecision
    reasons: Sequence[RefusalReason | str]
    basis: Sequence[str]  # 法律政策依据, e.g. 《产业结构调整指导目录（2024年本）》
    issued_on: dt.date
    applied_on: dt.date | None = None
    application_number: str = ""
    item_name: str = ""  # the approval item, for ACCEPTANCE
    review_body: str = ""  # 复核机关, for SERVICE
    review_within_workdays: int | None = None
    reconsideration_body: str = ""  # 行政复议机关, for ACCEPTANCE
    court: str = ""  # 有管辖权的人民法院, for ACCEPTANCE
    contact_name: str = ""
    contact_phone: str = ""


# --- 办结单 --------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class CompletedItem:
    name: str
    department: str = ""
    result_name: str = ""  # 结果名称, e.g. 建设工程规划许可证
    result_number: str = ""  # 结果文号/证号
    completed_on: dt.date | None = None


@dataclass(frozen=True, kw_only=True)
class HandedOverDocument:
    name: str
    form: str = ""  # 原件 / 复印件 / 电子证照
    copies: int = 1
    received_by: str = ""  # 签收人 (the receipt recorded when the result was handed over)
    handed_over_on: dt.date | None = None


@dataclass(frozen=True, kw_only=True)
class EnterpriseConfirmation:
    confirmed_by: str
    confirmed_at: dt.datetime
    opinion: str = ""
    online: bool = False  # False: signed on the paper slip (confirmed_by: the signer's name)


@dataclass(frozen=True, kw_only=True)
class CompletionSlip:
    centre: ServiceCentre
    enterprise: Enterprise
    project: Project
    agent: Agent
    items: Sequence[CompletedItem]
    completed_on: dt.date
    number: str = ""
    accepted_on: dt.date | None = None  # 委托（受理）日期
    handed_over: Sequence[HandedOverDocument] = ()
    originals_returned: Sequence[str] = ()
    confirmation: EnterpriseConfirmation | None = None


# --- 终止单 --------------------------------------------------------------------------------


class TerminationReason(StrEnum):
    LAW_OR_POLICY = "law_or_policy"  # 与法律政策冲突
    CONDITIONS_LOST = "conditions_lost"  # 不再具备条件
    INVESTOR_REQUEST = "investor_request"  # 投资者要求


@dataclass(frozen=True, kw_only=True)
class TerminationSlip:
    centre: ServiceCentre
    enterprise: Enterprise
    project: Project
    reason: TerminationReason
    details: str
    terminated_on: dt.date
    agent: Agent | None = None
    number: str = ""
    authorization_number: str = ""
    authorized_on: dt.date | None = None
    completed_items: Sequence[str] = ()
    pending_items: Sequence[str] = ()
    materials_returned: Sequence[str] = ()


# --- 评价表 --------------------------------------------------------------------------------


class SatisfactionLevel(StrEnum):
    """The five national 好差评 levels, best first."""

    VERY_SATISFIED = "very_satisfied"  # 非常满意
    SATISFIED = "satisfied"  # 满意
    BASICALLY_SATISFIED = "basically_satisfied"  # 基本满意
    DISSATISFIED = "dissatisfied"  # 不满意
    VERY_DISSATISFIED = "very_dissatisfied"  # 非常不满意


@dataclass(frozen=True, kw_only=True)
class AspectRating:
    aspect: str  # 服务态度, 办事效率, ...
    level: SatisfactionLevel | None = None


@dataclass(frozen=True, kw_only=True)
class EvaluationForm:
    """A blank form (levels left empty) for the enterprise to tick, or a filled one.

    With no `aspects`, the form lists the standard ones with empty boxes.
    """

    centre: ServiceCentre
    enterprise: Enterprise
    project: Project
    agent: Agent | None = None
    number: str = ""
    scope: Scope | None = None
    service_from: dt.date | None = None
    service_to: dt.date | None = None
    overall: SatisfactionLevel | None = None
    aspects: Sequence[AspectRating] = ()
    comment: str = ""
    suggestion: str = ""
    evaluator: str = ""
    evaluated_on: dt.date | None = None


# --- 通报批评 ------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class CriticismNotice:
    """A notice of criticism (通报批评) of an agent or a department (Ordos: 予以通报批评).

    subject: who is criticised as the notice names them (``东胜区帮办代办室代办帮办员张三``).
    behaviour: which of the six forbidden behaviours was found (``推诿拖延``), if any.
    basis: the document whose rules were broken (``《……实施方案（试行）》``); empty gives
        the service's work rules (代办帮办工作纪律).
    complaint: the complaint the facts were found on, as a phrase, if any.
    """

    centre: ServiceCentre
    number: str  # 文号
    issuer: str  # the unit that issues the notice
    subject: str
    facts: str
    decision: str
    issued_on: dt.date
    behaviour: str = ""
    basis: str = ""
    addressees: str = ""  # 主送; empty gives 各部门、各代办帮办员
    complaint: str = ""


# --- 专业跑腿任务单 ------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ErrandCompany:
    name: str
    contact_name: str = ""
    contact_mobile: str = ""


@dataclass(frozen=True, kw_only=True)
class TaskItem:
    name: str  # 事项名称
    authority: str = ""  # 办理机关
    place: str = ""  # 办理地点 / 层级
    materials: str = ""  # 交付的材料
    requirement: str = ""  # 办理要求


@dataclass(frozen=True, kw_only=True)
class TaskOrder:
    centre: ServiceCentre
    number: str
    issuer: str  # 经济发展招商服务局
    errand_company: ErrandCompany
    enterprise: Enterprise
    project: Project
    items: Sequence[TaskItem]
    issued_on: dt.date
    deadline: dt.date
    issuer_contact: Agent | None = None
    requirements: str = ""  # 其他要求


# --- statistical reports (the monthly report, the annual evaluation) ---------------------------


@dataclass(frozen=True, kw_only=True)
class ReportTable:
    """A table of figures, every cell already written as it prints (``"85.7%"``, ``"12"``).

    widths_mm: one per column (empty: the first column wider, the others alike);
    total_row: the last row is a total (printed bold).
    """

    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    caption: str = ""  # a line above the table
    widths_mm: Sequence[float] = ()
    total_row: bool = False
    empty: str = "无"  # printed instead of a table without rows


@dataclass(frozen=True, kw_only=True)
class ReportSection:
    heading: str  # 一、办件办理情况
    paragraphs: Sequence[str] = ()
    tables: Sequence[ReportTable] = ()
    notes: Sequence[str] = ()  # small print after the tables


@dataclass(frozen=True, kw_only=True)
class StatisticalReport:
    """A report of figures: title, the period and unit it covers, sections of paragraphs and
    tables, who prepared it (the monthly report, the annual evaluation)."""

    centre: ServiceCentre
    title: str  # 2026年10月代办帮办工作月报
    period: str  # 统计期间：2026年10月1日至2026年10月31日
    unit: str = ""  # 统计范围：东胜区
    sections: Sequence[ReportSection]
    status: str = ""  # 待审核 / 已审核（审核人、日期）
    prepared_on: dt.date | None = None
    prepared_by: str = ""
