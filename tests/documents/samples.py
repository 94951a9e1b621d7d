"""Sample data for the form generators: a Baotou rare-earth zone project (test data only)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from bangban.documents.data import (
    Agent,
    ApplicationChannel,
    AspectRating,
    AuthorizationLetter,
    CommitmentLetter,
    CompletedItem,
    CompletionSlip,
    DeferredMaterial,
    Enterprise,
    EnterpriseConfirmation,
    ErrandCompany,
    EvaluationForm,
    HandedOverDocument,
    OnlineConfirmation,
    Project,
    RefusalDecision,
    RefusalNotice,
    RefusalReason,
    SatisfactionLevel,
    Scope,
    ScopeItem,
    ServiceApplication,
    ServiceCentre,
    TaskItem,
    TaskOrder,
    TerminationReason,
    TerminationSlip,
)

#: Both check characters computed: MA0QXK3L-6 (GB 11714: 66+70+0+260+165+160+12+42 = 775,
#: 775 mod 11 = 5, 11 − 5 = 6) and the 18th per GB 32100-2015; 150271 is the zone's code.
CREDIT_CODE = "91150271MA0QXK3L67"

CENTRE = ServiceCentre(
    name="包头稀土高新区政务服务中心",
    title_prefix="稀土高新区“蒙速办·帮您办”",
    department="企业服务局",
    phone="0472-5163108",
    complaint_phone="0472-5163108",
)

ENTERPRISE = Enterprise(
    name="包头北辰稀土永磁材料有限公司",
    credit_code=CREDIT_CODE,
    legal_representative="王建国",
    contact_name="李晓燕",
    contact_mobile="13904721234",
    address="内蒙古自治区包头市稀土高新区黄河大街66号",
)

PROJECT = Project(
    name="年产5000吨高性能钕铁硼永磁材料项目",
    code="2026-150271-32-03-000168",
    location="包头稀土高新区稀土新材料产业园",
    region="包头稀土高新区",
    investment_type="企业投资（备案）",
    industry="C3240 有色金属合金制造",
    total_investment_wan=Decimal("58000"),
    land_source="出让",
    land_area_ha=Decimal("12.6"),
    building_area_m2=86000,
    description="新建熔炼、制粉、成型、烧结车间及配套设施，购置速凝炉、气流磨等设备260台（套）。",
    is_key_project=True,
)

AGENT = Agent(name="张帮办", mobile="13847201234", department="企业服务局帮办代办科")

ITEMS = (
    ScopeItem(name="企业投资项目备案", department="经济发展局", stage="立项用地规划许可"),
    ScopeItem(
        name="建设项目用地预审与选址意见书", department="国土资源局", stage="立项用地规划许可"
    ),
    ScopeItem(name="建设项目环境影响报告表审批", department="环保局", stage="工程建设许可"),
    ScopeItem(name="建设工程规划许可证核发", department="规划分局", stage="工程建设许可"),
    ScopeItem(name="建筑工程施工许可证核发", department="建设局", stage="施工许可"),
)

FULL_SCOPE = Scope(full=True, items=ITEMS)
PARTIAL_SCOPE = Scope(full=False, stages=("立项用地规划许可", "工程建设许可"), items=ITEMS[:4])

DAY = dt.date(2026, 11, 23)


def application(**changes) -> ServiceApplication:
    data = ServiceApplication(
        centre=CENTRE,
        enterprise=ENTERPRISE,
        project=PROJECT,
        scope=PARTIAL_SCOPE,
        channel=ApplicationChannel.SPONSOR,
        application_date=DAY,
        number="BNB-2026-0168",
        sponsor="稀土产业局",
        sponsor_contact="周招商　13600000000",
        other_needs="希望协调办理施工临时用电。",
        received_by="赵受理",
        received_on=DAY,
    )
    return dataclasses.replace(data, **changes)


def authorization(**changes) -> AuthorizationLetter:
    data = AuthorizationLetter(
        centre=CENTRE,
        enterprise=ENTERPRISE,
        project=PROJECT,
        agent=AGENT,
        scope=PARTIAL_SCOPE,
        valid_from=DAY,
        valid_to=dt.date(2027, 11, 22),
        number="SQWT-2026-0168",
        signed_on=DAY,
        online_confirmation=OnlineConfirmation(
            confirmed_by="李晓燕",
            confirmed_at=dt.datetime(2026, 11, 23, 10, 32),
            channel="蒙速办企业服务门户",
            reference="QR20261123000168",
        ),
    )
    return dataclasses.replace(data, **changes)


def commitment(**changes) -> CommitmentLetter:
    data = CommitmentLetter(
        centre=CENTRE,
        enterprise=ENTERPRISE,
        project=PROJECT,
        agent=AGENT,
        scope=PARTIAL_SCOPE,
        deferred_materials=(
            DeferredMaterial(
                item="建设项目用地预审与选址意见书",
                material="项目用地范围界址点坐标",
                due=dt.date(2026, 12, 7),
            ),
        ),
        number="CN-2026-0168",
        signed_on=DAY,
    )
    return dataclasses.replace(data, **changes)


def refusal(**changes) -> RefusalNotice:
    data = RefusalNotice(
        centre=CENTRE,
        number="包稀高政服告〔2026〕12号",
        issuer="包头稀土高新区政务服务局",
        enterprise=ENTERPRISE,
        project=dataclasses.replace(PROJECT, name="年产30万吨电石项目", industry="C2619"),
        decision=RefusalDecision.SERVICE,
        reasons=(
            RefusalReason(
                text="项目为新建电石生产装置，新增电石产能",
                entry="电石（新增产能）",
                category="禁止新增产能",
                source="内蒙古自治区产能控制清单（2024年版）",
            ),
            "项目不在园区产业发展规划确定的产业范围内",
        ),
        basis=("《产业结构调整指导目录（2024年本）》", "稀土高新区产业发展规划"),
        issued_on=DAY,
        applied_on=dt.date(2026, 11, 16),
        application_number="BNB-2026-0170",
        review_body="包头稀土高新区政务服务局",
        review_within_workdays=15,
        contact_name="张帮办",
        contact_phone="0472-5163108",
    )
    return dataclasses.replace(data, **changes)


def completion(**changes) -> CompletionSlip:
    data = CompletionSlip(
        centre=CENTRE,
        enterprise=ENTERPRISE,
        project=PROJECT,
        agent=AGENT,
        items=(
            CompletedItem(
                name=ITEMS[0].name,
                department="经济发展局",
                result_name="项目备案告知书",
                result_number="2026-150271-32-03-000168",
                completed_on=dt.date(2026, 11, 25),
            ),
            CompletedItem(
                name=ITEMS[3].name,
                department="规划分局",
                result_name="建设工程规划许可证",
                result_number="建字第150271202600045号",
                completed_on=dt.date(2027, 3, 12),
            ),
        ),
        completed_on=dt.date(2027, 3, 15),
        number="BJ-2026-0168",
        accepted_on=DAY,
        handed_over=(
            HandedOverDocument(name="建设工程规划许可证（正本）", form="原件", copies=1),
            HandedOverDocument(name="项目备案告知书", form="电子证照", copies=1),
        ),
        originals_returned=("营业执照副本", "土地出让合同"),
        confirmation=EnterpriseConfirmation(
            confirmed_by="李晓燕", confirmed_at=dt.datetime(2027, 3, 16, 9, 5), online=True
        ),
    )
    return dataclasses.replace(data, **changes)


def termination(**changes) -> TerminationSlip:
    data = TerminationSlip(
        centre=CENTRE,
        enterprise=ENTERPRISE,
        project=PROJECT,
        reason=TerminationReason.INVESTOR_REQUEST,
        details="投资方调整投资计划，书面申请暂停项目并终止代办帮办服务。",
        terminated_on=dt.date(2027, 1, 8),
        agent=AGENT,
        number="ZZ-2027-0003",
        authorization_number="SQWT-2026-0168",
        authorized_on=DAY,
        completed_items=(ITEMS[0].name,),
        pending_items=(ITEMS[1].name, ITEMS[2].name),
        materials_returned=("营业执照副本",),
    )
    return dataclasses.replace(data, **changes)


def evaluation(**changes) -> EvaluationForm:
    data = EvaluationForm(
        centre=CENTRE,
        enterprise=ENTERPRISE,
        project=PROJECT,
        agent=AGENT,
        number="PJ-2027-0021",
        scope=PARTIAL_SCOPE,
        service_from=DAY,
        service_to=dt.date(2027, 3, 15),
        overall=SatisfactionLevel.VERY_SATISFIED,
        aspects=(
            AspectRating(aspect="服务态度", level=SatisfactionLevel.VERY_SATISFIED),
            AspectRating(aspect="办事效率", level=SatisfactionLevel.SATISFIED),
        ),
        comment="代办员全程跟进，规划许可比预期提前一周取得。",
        evaluator="李晓燕",
        evaluated_on=dt.date(2027, 3, 16),
    )
    return dataclasses.replace(data, **changes)


def task_order(**changes) -> TaskOrder:
    data = TaskOrder(
        centre=CENTRE,
        number="PT-2026-0042",
        issuer="稀土高新区经济发展招商服务局",
        errand_company=ErrandCompany(
            name="包头市速达政务跑腿服务有限公司",
            contact_name="孙跑腿",
            contact_mobile="13500000000",
        ),
        enterprise=ENTERPRISE,
        project=PROJECT,
        items=(
            TaskItem(
                name="取水许可审批",
                authority="包头市水务局",
                place="包头市政务服务中心",
                materials="取水许可申请书、水资源论证报告表",
                requirement="取得受理通知书",
            ),
        ),
        issued_on=DAY,
        deadline=dt.date(2026, 12, 4),
        issuer_contact=Agent(name="钱派单", mobile="13700000000"),
    )
    return dataclasses.replace(data, **changes)
