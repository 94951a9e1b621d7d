"""The demo of after service (SPEC §7): two small commissions of 东胜区 carried to completion
through the services (their first items approved and handed over, the others not needed):

* 鄂尔多斯示范新材料有限公司's 研发中心配套仓库项目 (agent ``agent``) — completed and not yet
  rated: the demo enterprise user ``enterprise`` rates it on its commission page (a 不满意
  opens a rectification on the agent's list). Its follow-up visit is drawn at completion;
  when the draw leaves it out, the centre admin schedules one by hand.
* 东胜区示范商贸有限公司's 社区便民服务网点项目 (agent ``agent2``) — rated 不满意 by
  ``enterprise2`` (one case rated 满意); the agent has verified it: the rectification is
  整改中 and the return visit to the rater is scheduled.

Everything goes through the services; running it again adds nothing.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from bangban.accounts.models import User
from bangban.cases import lifecycle as case_lifecycle
from bangban.cases.models import Case
from bangban.documents.pdf import simple_pdf
from bangban.evaluation import services as after_service
from bangban.evaluation.models import FollowUpVisit, Level, Rectification
from bangban.organization.models import Region
from bangban.planning import services as plan_services
from bangban.projects import lifecycle, services
from bangban.projects.models import Commission, Enterprise, Project
from bangban.web.demo_ledger import DemoLedger

ATTRIBUTES = {
    "industry_code": "G5951",
    "total_investment_wan": 1800,
    "land_source": "existing",
    "building_area_m2": 2400,
    "lightning_protection": True,
}
#: project name, enterprise name, agent, rater (None: left for the enterprise to rate)
STORIES = [
    ("研发中心配套仓库项目", "鄂尔多斯示范新材料有限公司", "agent", None),
    ("社区便民服务网点项目", "东胜区示范商贸有限公司", "agent2", "enterprise2"),
]
#: How many of a commission's first items are approved (the others are not needed).
APPROVED = 2


def demo_after_service(users: dict[str, User]) -> list[str]:
    """Returns what it made, one line each (nothing on a rerun)."""
    made = []
    region = Region.objects.filter(key="150602").first()
    for name, enterprise_name, agent_name, rater in STORIES:
        enterprise = Enterprise.objects.filter(name=enterprise_name).first()
        if region is None or enterprise is None or agent_name not in users:
            continue
        if Project.objects.filter(enterprise=enterprise, name=name).exists():
            continue
        commission = _completed(name, enterprise, region, users[agent_name], users)
        if commission is None:
            continue
        line = f"演示回访评价：{name}（已办结"
        if rater and rater in users:
            _rated(commission, users[rater], users[agent_name])
            line += "，项目单位评价不满意，整改中"
        elif not FollowUpVisit.objects.filter(commission=commission).exists():
            after_service.visit_schedule(
                actor=users["admin"],
                commission=commission,
                due_date=timezone.localdate() + dt.timedelta(days=7),
            )
        made.append(line + "）。")
    return made


def _completed(name, enterprise, region, agent, users) -> Commission | None:
    commission = services.commission_apply(
        actor=agent,
        channel=Commission.Channel.WINDOW,
        enterprise=enterprise,
        project_data={
            "name": name,
            "region": region,
            "description": "演示：改造既有建筑作为仓储和便民服务用房。",
            **ATTRIBUTES,
        },
    )
    services.commission_assign(commission=commission, assigned_by=users["admin"], agent=agent)
    services.commission_verify(commission=commission, actor=agent, is_new_capacity=False)
    if commission.state != lifecycle.VERIFIED:
        return None
    scan = ContentFile(simple_pdf("demo signed letters"), name="签字盖章件.pdf")
    services.commission_record_signed_scan(commission=commission, actor=agent, upload=scan)
    plan_services.plan_fix(commission=commission, actor=agent)
    commission.refresh_from_db()
    ledger = DemoLedger(commission, agent, users)
    today = timezone.localdate()
    approved = 0
    cases = Case.objects.filter(commission=commission).select_related("item", "department")
    for case in cases.order_by("planned_start", "code"):
        if approved < APPROVED and case.department_id:
            try:
                case = ledger.accept(case, today)
                number = f"演示〔2026〕{100 + approved}号"
                case = ledger.step(case, case_lifecycle.APPROVE, today, result_number=number)
                ledger.step(case, case_lifecycle.HAND_OVER, today, handed_over_to="企业经办人")
                approved += 1
                continue
            except ValidationError:
                case = Case.objects.get(pk=case.pk)
        if case.state in case_lifecycle.OPEN_STATES:
            reason = "演示：本项目改造既有建筑，不涉及该事项。"
            if case.state == case_lifecycle.PLANNED:
                ledger.step(case, case_lifecycle.NOT_NEEDED_ACTION, today, reason=reason)
            else:
                ledger.step(case, case_lifecycle.WITHDRAW, today, reason=reason)
    commission.refresh_from_db()
    services.commission_complete(commission=commission, actor=agent)
    return commission


def _rated(commission: Commission, rater: User, agent: User) -> None:
    done = (
        Case.objects.filter(commission=commission, state=case_lifecycle.COMPLETED)
        .order_by("code")
        .first()
    )
    if done is not None:
        after_service.rating_create(
            actor=rater,
            commission=commission,
            case=done.pk,
            level=Level.SATISFIED,
            comment="审批部门答复及时。",
        )
    rating = after_service.rating_create(
        actor=rater,
        commission=commission,
        level=Level.DISSATISFIED,
        comment="办结前两周几乎没有进展反馈，多次电话询问才得到答复。",
    )
    rect = Rectification.objects.select_related("commission__project__region").get(rating=rating)
    after_service.rectification_verify(
        rectification=rect,
        actor=agent,
        verification="情况属实：方案确定后两周内未按约定每周反馈一次办理进展。",
        expected_version=rect.version,
    )
