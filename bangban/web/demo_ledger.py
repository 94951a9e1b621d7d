"""The demo ledger: one fixed commission's cases brought, through the case services, to every
state the ledger knows — finished (one on time, one late, results handed over), yellow, red,
three working days overdue (escalated by the scan), suspended, 容缺 with a supplement due,
waiting for acceptance in the demo officer's and the demo helper's departments, returned,
not needed, in preparation — so each role logging in finds work.

Each case's steps are said to have happened on the dates that give it its state today
(back-filled, as a centre entering its paper ledger would). A department that has no demo
officer gets one (``officer-<department key>``, the demo password).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from bangban.accounts.models import Role, User
from bangban.accounts.services import user_create
from bangban.cases import lifecycle
from bangban.cases.models import Case, CaseMaterial
from bangban.cases.scan import scan_deadlines
from bangban.cases.services import case_transition
from bangban.planning.models import Plan
from bangban.rules.workdays import add_working_days, is_working_day
from bangban.workdays.selectors import get_calendar

DEMO_PASSWORD = "Bangban@2026"


def _promised(case: Case) -> bool:
    """A case with a promised limit of at least 3 working days (room for yellow and red)."""
    return case.item.kind != "immediate" and (case.item.promised_limit_days or 0) >= 3


class DemoLedger:
    def __init__(self, commission, agent, users: dict[str, User]):
        self.commission = commission
        self.agent = agent
        self.users = users
        self.cal = get_calendar()
        self.today = timezone.localdate()
        self.used: set[int] = set()

    # --- helpers -----------------------------------------------------------------------------

    def working_day(self, offset: int) -> dt.date:
        """The working day ``offset`` working days from today (negative: before)."""
        day = self.today
        step = 1 if offset >= 0 else -1
        left = abs(offset)
        while left:
            day += dt.timedelta(days=step)
            left -= is_working_day(self.cal, day)
        return day

    def officer(self, case: Case) -> User:
        department = case.department
        for user in self.users.values():
            if user.role == Role.DEPT_OFFICER and user.department_id == department.pk:
                return user
        username = f"officer-{department.key}"
        existing = User.objects.filter(username=username).first()
        if existing:
            return existing
        return user_create(
            username=username,
            password=DEMO_PASSWORD,
            role=Role.DEPT_OFFICER,
            display_name=f"{department.name}审批员"[:40],
            region=department.region,
            department=department,
        )

    def step(self, case: Case, action: str, day: dt.date, actor=None, **data) -> Case:
        row = lifecycle.find(action, case.state)
        if actor is None:
            actor = self.agent if row.side == lifecycle.AGENT_SIDE else self.officer(case)
        reason = data.pop("reason", "")
        return case_transition(
            case=case,
            action=action,
            actor=actor,
            expected_version=case.version,
            occurred_at=min(day, self.today),
            reason=reason,
            data=data,
        )

    def accepted_for_due(self, case: Case, due: dt.date) -> dt.date:
        limit = 0 if case.item.kind == "immediate" else int(case.item.promised_limit_days or 0)
        day = due
        while add_working_days(self.cal, day, limit).date > due:
            day -= dt.timedelta(days=1)
        return day

    def pick(self, test: Callable[[Case], bool]) -> Case | None:
        for case in (
            Case.objects.filter(commission=self.commission)
            .select_related("item", "department")
            .order_by("planned_start", "code")
        ):
            if case.pk not in self.used and case.department_id and test(case):
                self.used.add(case.pk)
                return case
        return None

    def accept(self, case: Case, day: dt.date, gaps=None, supplement_due=None) -> Case:
        case = self.step(case, lifecycle.START, day)
        case = self.step(case, lifecycle.SUBMIT, day)
        if gaps:
            return self.step(
                case, lifecycle.ACCEPT_GAPS, day, missing=gaps, supplement_due=supplement_due
            )
        return self.step(case, lifecycle.ACCEPT, day)

    # --- the stories ----------------------------------------------------------------------------

    def build(self) -> None:
        start = Plan.objects.get(commission=self.commission).start_date
        first = self.pick(lambda case: True)
        if first:  # finished on time, result handed over
            case = self.accept(first, start)
            case = self.step(case, lifecycle.APPROVE, start, result_number="演示〔2026〕001号")
            self.step(case, lifecycle.HAND_OVER, start, handed_over_to="企业经办人")
        late = self.pick(_promised)
        if late:  # finished two working days late
            day = self.accepted_for_due(late, self.working_day(-12))
            case = self.accept(late, max(day, start))
            finish = add_working_days(self.cal, case.due_date, 2).date
            self.step(case, lifecycle.APPROVE, finish, result_number="演示〔2026〕002号")
        for offset in (-4, -1, 1):  # ≥ 3 overdue (escalated), red, yellow
            case = self.pick(_promised)
            if case:
                due = self.working_day(offset)
                self.accept(case, max(self.accepted_for_due(case, due), start))
        suspended = self.pick(_promised)
        if suspended:
            case = self.accept(suspended, self.working_day(-8))
            self.step(
                case,
                lifecycle.SUSPEND,
                self.working_day(-3),
                kind="expert",
                reason="组织专家评审，评审期间中止计时。",
            )
        gap_case = self.pick(
            lambda case: (
                case.item.accept_with_gaps
                and case.materials.filter(is_core=False).exists()
                and _promised(case)
            )
        )
        if gap_case:
            gap = gap_case.materials.filter(is_core=False).first()
            self.accept(
                gap_case, self.working_day(-3), gaps=[gap.pk], supplement_due=self.working_day(2)
            )
        officer = self.users.get("officer")
        helper = self.users.get("helper")
        for user in (officer, helper):  # waiting in their inboxes
            if user is None:
                continue
            case = self.pick(lambda case, u=user: case.department_id == u.department_id)
            if case:
                case = self.step(case, lifecycle.START, self.working_day(-2))
                self.step(case, lifecycle.SUBMIT, self.working_day(-1))
        returned = self.pick(lambda case: True)
        if returned:
            case = self.step(returned, lifecycle.START, self.working_day(-6))
            case = self.step(case, lifecycle.SUBMIT, self.working_day(-5))
            self.step(
                case,
                lifecycle.RETURN,
                self.working_day(-4),
                reason="申请表缺少法定代表人签字，请补签后重新申报。",
            )
        dropped = self.pick(lambda case: case.state == lifecycle.PLANNED)
        if dropped:
            self.step(
                dropped,
                lifecycle.NOT_NEEDED_ACTION,
                self.working_day(-5),
                reason="经核实企业已取得该项许可，不需再办。",
            )
        preparing = self.pick(lambda case: True)
        if preparing:
            case = self.step(preparing, lifecycle.START, self.working_day(-1))
            rows = list(case.materials.all()[:2])
            if rows:
                self.step(
                    case,
                    lifecycle.MATERIALS,
                    self.working_day(-1),
                    statuses={str(row.pk): CaseMaterial.Status.RECEIVED for row in rows},
                )
        scan_deadlines(today=self.today)
