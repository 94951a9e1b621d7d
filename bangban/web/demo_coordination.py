"""The demo of coordination (SPEC §7), on the demo commission under way (the warehouse
project of ``demo_data``): a held 会商联审会 with its minutes and two decisions (one overdue,
owned by the demo officer's department; one open, owned by the demo helper's), a scheduled
monthly 联席会议, and a 专业跑腿任务单 for the commission's open errand-mode cases.

No errand company of the reference data serves 东胜区 (the one there is, 内蒙古政联招商服务有限
公司, serves 和林格尔新区), so the demo adds 东胜区示范跑腿服务有限公司 with one staff user,
``errand2`` (the demo password), who finds the order waiting to be accepted. Everything goes
through the services; running it again adds nothing.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from bangban.accounts.models import Role, User
from bangban.accounts.services import user_create
from bangban.cases.services import WORKING_STATES
from bangban.coordination import services
from bangban.coordination.models import Meeting, TaskOrder
from bangban.coordination.selectors import errand_case_choices, errand_companies_for
from bangban.organization.models import Department
from bangban.projects.models import Commission
from bangban.rules.workdays import add_working_days
from bangban.workdays.selectors import get_calendar

DEMO_PASSWORD = "Bangban@2026"
REVIEW_TITLE = "演示：仓储物流项目用地规划会商联审会"
JOINT_TITLE = "演示：东胜区重点项目月度联席会议"
COMPANY_KEY = "dongsheng-errand-demo"
COMPANY_NAME = "东胜区示范跑腿服务有限公司"
ERRAND_USER = ("errand2", "郭跑腿")


def _at(day: dt.date, hour: int = 9, minute: int = 30) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


class DemoCoordination:
    def __init__(self, users: dict[str, User], project_name: str):
        self.users = users
        self.admin = users["admin"]
        self.project_name = project_name
        self.today = timezone.localdate()
        self.cal = get_calendar()

    def build(self) -> list[str]:
        """Returns what it made, one line each (nothing on a rerun)."""
        commission = (
            Commission.objects.filter(project__name=self.project_name, state__in=WORKING_STATES)
            .select_related("project__region")
            .first()
        )
        if commission is None:
            return []
        made = []
        if self._review(commission):
            made.append(f"演示会议：{REVIEW_TITLE}（已召开，议定事项 2 条，其中 1 条超期）。")
        if self._joint(commission):
            made.append(f"演示会议：{JOINT_TITLE}（每月召开）。")
        order = self._order(commission)
        if order is not None:
            made.append(
                f"演示任务单：{order.number} 已下发给{order.company.name}"
                f"（登录 {ERRAND_USER[0]} 接单）。"
            )
        return made

    # --- meetings ----------------------------------------------------------------------------

    def _departments(self, *keys: str) -> list[Department]:
        found = {d.key: d for d in Department.objects.filter(key__in=keys)}
        return [found[key] for key in keys if key in found]

    def _review(self, commission) -> bool:
        if Meeting.objects.filter(title=REVIEW_TITLE).exists():
            return False
        officer_dept = self.users["officer"].department
        helper_dept = self.users["helper"].department
        participants = [d for d in (officer_dept, helper_dept) if d is not None]
        held_on = add_working_days(self.cal, self.today - dt.timedelta(days=14), 0).date
        cases = list(commission.cases.filter(department__in=participants).order_by("code")[:2])
        meeting = services.meeting_create(
            actor=self.admin,
            kind=Meeting.Kind.JOINT_REVIEW,
            title=REVIEW_TITLE,
            host_department=self.admin.department,
            starts_at=_at(held_on, 15),
            place="东胜区政务服务中心三楼会商室",
            participants=participants,
            commissions=[commission],
            cases=cases,
            agenda="研究仓储物流项目用地规划和施工许可办理中的堵点。",
            recurrence="",
            problems=["规划设计方案与用地条件不一致，需调整后再报", "施工图审查意见回复周期长"],
        )
        overdue = max(held_on, self.today - dt.timedelta(days=3))
        services.meeting_record_minutes(
            meeting=meeting,
            actor=self.admin,
            minutes=(
                "会议由政务服务中心主持，住建、自然资源部门参加。会议认为项目规划设计方案需按用地"
                "条件调整；施工图审查意见由审图机构集中一次性告知。会议议定事项如下。"
            ),
            decisions=[
                {
                    "text": "一次性告知施工图审查意见，并组织企业现场答疑",
                    "owner_department": participants[0].pk,
                    "due_date": overdue,
                },
                {
                    "text": "出具调整后的规划设计条件书面意见",
                    "owner_department": participants[-1].pk,
                    "due_date": add_working_days(self.cal, self.today, 10).date,
                },
            ],
            expected_version=meeting.version,
        )
        return True

    def _joint(self, commission) -> bool:
        if Meeting.objects.filter(title=JOINT_TITLE).exists():
            return False
        participants = self._departments(
            "dongsheng-fgw", "dongsheng-zjj", "dongsheng-zrzy", "dongsheng-gxj"
        ) or [self.users["officer"].department]
        day = add_working_days(self.cal, self.today, 5).date
        services.meeting_create(
            actor=self.admin,
            kind=Meeting.Kind.JOINT_CONFERENCE,
            title=JOINT_TITLE,
            host_department=self.admin.department,
            starts_at=_at(day),
            place="东胜区政务服务中心一楼大会议室",
            participants=participants,
            commissions=[commission],
            cases=[],
            agenda="通报重点项目代办进度，协调跨部门问题。",
            recurrence=Meeting.Recurrence.MONTHLY,
            problems=[],
        )
        return True

    # --- the errand task order ---------------------------------------------------------------

    def _company(self, region) -> Department:
        serving = errand_companies_for(region)
        if serving:
            return serving[0]
        company, _ = Department.objects.get_or_create(
            key=COMPANY_KEY,
            defaults={
                "name": COMPANY_NAME,
                "region": region,
                "kind": Department.Kind.ERRAND,
                "function": Department.Function.OTHER,
            },
        )
        return company

    def _errand_user(self, company: Department) -> None:
        username, name = ERRAND_USER
        if User.objects.filter(username=username).exists():
            return
        user_create(
            username=username,
            password=DEMO_PASSWORD,
            role=Role.ERRAND,
            display_name=name,
            region=company.region,
            department=company,
        )

    def _order(self, commission) -> TaskOrder | None:
        if TaskOrder.objects.filter(commission=commission).exists():
            return None
        cases = [case for case in errand_case_choices(commission) if not case.busy][:2]
        if not cases:
            return None
        company = self._company(commission.project.region)
        self._errand_user(company)
        return services.task_order_issue(
            actor=self.admin,
            commission=commission,
            cases=cases,
            company=company,
            due_date=add_working_days(self.cal, self.today, 15).date,
            requirements="请于接单后 3 个工作日内与办理部门对接，按清单准备并报送材料。",
        )
