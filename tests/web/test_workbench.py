"""Workbenches by role (issue 13, item 11): each role's home shows its own work first and
never another party's; the enterprise has one home; the catalog figures and the deadline
calculator moved to where they are used; every workbench runs the same number of queries
whatever the amount of work (two sizes, every role)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bangban.cases.models import Escalation
from bangban.coordination.models import ActionItem, TaskOrder
from bangban.evaluation.models import FollowUpVisit, Rating, Rectification
from bangban.projects.models import Commission
from tests.projects.factories import AgentFactory, CommissionFactory, DongshengProjectFactory

from .conftest import officer_of, visit

pytestmark = pytest.mark.django_db

HOME = reverse("web:home")
BLOCK_START = '<section class="workbench-list workbench-block'
MESSAGES_START = '<section class="card messages-box"'


def home(client, user) -> str:
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, key: str) -> str:
    """The HTML of the block ``key`` (from its opening tag to the next block or the messages)."""
    start = html.index(f'id="wb-{key}"')
    rest = html[start:]
    ends = [i for i in (rest.find(BLOCK_START), rest.find(MESSAGES_START)) if i > 0]
    return rest[: min(ends)]


def order_of(html: str, *keys: str) -> list[int]:
    return [html.index(f'id="wb-{key}"') for key in keys] + [html.index(MESSAGES_START)]


def case_link(case) -> str:
    return f'href="{reverse("cases:case_detail", args=[case.pk])}"'


def commission_link(commission) -> str:
    return f'href="{reverse("projects:commission_detail", args=[commission.pk])}"'


# --- the agent ---------------------------------------------------------------------------------


def test_the_agent_sees_its_due_cases_steps_rectifications_and_visits_first(client, centre):
    mine = centre.grow()
    theirs = centre.grow(agent=centre.colleague)  # the colleague's own work, of the same kinds
    colleague_verified = Commission.objects.get(agent=centre.colleague, state="verified")
    agreed = CommissionFactory(agent=centre.agent, state="agreed", project__name="待制定方案项目")
    completed = Commission.objects.get(agent=centre.agent, state="completed")
    return_visit = visit(completed, due=centre.today, reason=FollowUpVisit.Reason.BAD_RATING)

    html = home(client, centre.agent)
    due = section(html, "due-cases")
    assert "我的临期和超期办件" in due and "（2）" in due  # DS14 red, DS22 yellow: its own
    assert case_link(mine.case("DS14")) in due and case_link(mine.case("DS22")) in due
    assert case_link(theirs.case("DS14")) not in due
    assert "超期" in due and "临期" in due

    steps = section(html, "commission-steps")
    own_verified = Commission.objects.get(agent=centre.agent, state="verified")
    assert commission_link(own_verified) in steps and "上传签字扫描件" in steps
    assert commission_link(colleague_verified) not in steps
    plan = reverse("planning:commission_plan", args=[agreed.pk])
    assert f'href="{plan}"' in steps and "确定方案" in steps
    assert "登记纸质确认办结" in steps  # its completed commission awaits the enterprise's slip
    assert commission_link(mine.commission) not in steps  # planned: the work is in its cases
    # in progress: completing waits until none of its in-scope cases is open
    Commission.objects.filter(pk=mine.commission.pk).update(state="in_progress")
    assert commission_link(mine.commission) not in section(
        home(client, centre.agent), "commission-steps"
    )
    mine.commission.cases.update(state="not_needed")
    steps = section(home(client, centre.agent), "commission-steps")
    assert commission_link(mine.commission) in steps and ">办结<" in steps
    mine.commission.cases.filter(code__in=["DS14", "DS22"]).update(state="accepted")

    rectifications = section(html, "rectifications")
    assert "我的差评整改" in rectifications and "（1）" in rectifications
    assert "超期" in rectifications and "待您：核实" in rectifications
    owed = Rectification.objects.get(agent=centre.agent)
    assert f'href="{reverse("evaluation:rectification_detail", args=[owed.pk])}"' in rectifications
    colleague_completed = Commission.objects.get(agent=centre.colleague, state="completed")
    assert colleague_completed.number not in rectifications

    visits = section(html, "visits")
    assert "随机抽样回访" in visits and "（1）" in visits  # not the bad rating's return visit
    assert "差评回访" not in visits and return_visit.state == "scheduled"
    sampled = FollowUpVisit.objects.get(commission=completed, reason="sampled")
    assert f'href="{reverse("evaluation:visit_detail", args=[sampled.pk])}"' in visits
    assert colleague_completed.number not in visits

    assert "待认领的新申请" in section(html, "pool") and "认领" in section(html, "pool")
    # its own work first, the pool after it, the messages last
    positions = order_of(html, "due-cases", "commission-steps", "rectifications", "visits", "pool")
    assert positions == sorted(positions)
    assert "办理时限计算" not in html and "已发布事项" not in html

    colleague = home(client, centre.colleague)
    assert case_link(theirs.case("DS14")) in section(colleague, "due-cases")
    assert case_link(mine.case("DS14")) not in section(colleague, "due-cases")
    assert colleague_completed.number in section(colleague, "rectifications")
    assert commission_link(colleague_verified) in section(colleague, "commission-steps")


# --- departments ---------------------------------------------------------------------------------


def test_a_department_sees_its_inbox_and_its_decisions_not_another_departments(client, centre):
    ledger = centre.grow()
    html = home(client, centre.officer)
    inbox = section(html, "inbox")
    assert case_link(ledger.case("DS14")) in inbox and case_link(ledger.case("DS22")) not in inbox
    decisions = section(html, "decisions")
    item = ActionItem.objects.get()
    assert item.owner_department == centre.department and item.text in decisions
    assert html.index('id="wb-inbox"') < html.index('id="wb-decisions"')
    rectifications = section(html, "rectifications")  # its department answers for it too
    assert "本部门的差评整改" in rectifications and "（1）" in rectifications

    other = home(client, centre.other_officer)
    inbox = section(other, "inbox")
    assert case_link(ledger.case("DS22")) in inbox and case_link(ledger.case("DS14")) not in inbox
    assert item.text not in section(other, "decisions")
    assert 'id="wb-rectifications"' not in other  # none of its department's: no block


def test_the_development_officer_sees_the_projects_awaiting_its_decision(client, centre):
    from tests.projects.factories import department

    waiting = CommissionFactory(awaiting_decision=True, project__name="待发改决定的改造项目")
    deciding = officer_of(department("dongsheng-fgw"))
    html = home(client, deciding)
    assert commission_link(waiting) in section(html, "to-decide")
    assert html.index('id="wb-inbox"') < html.index('id="wb-to-decide"')
    housing = home(client, officer_of(department("dongsheng-zjj")))  # not its decision
    assert 'id="wb-to-decide"' not in housing and commission_link(waiting) not in housing


# --- leaders and supervisors --------------------------------------------------------------------


def test_the_leader_sees_the_escalations_awaiting_its_instruction_first(client, centre):
    ledger = centre.grow()
    Escalation.objects.create(
        commission=ledger.commission,
        kind=Escalation.Kind.MANUAL,
        problem="请市领导协调林地指标",
        raised_by=centre.agent,
        leader=centre.other_leader,
    )
    Escalation.objects.create(
        commission=ledger.commission,
        kind=Escalation.Kind.MANUAL,
        problem="已批示的旧问题",
        raised_by=centre.agent,
        leader=centre.leader,
        state=Escalation.State.ANSWERED,
    )
    html = home(client, centre.leader)
    escalations = section(html, "escalations")
    assert "用地预审卡在市级，需要领导协调" in escalations and "（1）" in escalations
    assert "请市领导协调林地指标" not in escalations  # another leader's to answer
    assert "已批示的旧问题" not in escalations
    overdue = section(html, "overdue")
    assert centre.department.name in overdue and case_link(ledger.case("DS14")) in overdue
    positions = order_of(html, "escalations", "overdue")
    assert positions == sorted(positions)
    assert "辖区代办委托" not in html  # the nine state tiles are gone

    city = home(client, centre.other_leader)  # the city's leader: its own question only
    escalations = section(city, "escalations")
    assert "请市领导协调林地指标" in escalations
    assert "用地预审卡在市级" not in escalations


def test_the_supervisor_sees_its_dashboard_and_its_regions_overdue_cases(client, centre):
    ledger = centre.grow()
    html = home(client, centre.supervisor)
    dashboard = section(html, "dashboard")
    assert f'href="{reverse("supervision:dashboard")}"' in dashboard
    assert f'href="{reverse("supervision:staffing")}' in dashboard
    overdue = section(html, "overdue")
    assert "超期 <b" in overdue and case_link(ledger.case("DS14")) in overdue
    assert centre.department.name in overdue
    assert html.index('id="wb-dashboard"') < html.index('id="wb-overdue"')
    figures = {label: n for label, n, _link, _tone in client.get(HOME).context["work"]}
    assert figures["办件 · 红色预警（超期）"] == 1 and figures["办件 · 黄色预警（临期）"] == 1

    elsewhere = home(client, centre.other_supervisor)  # 康巴什区: none of 东胜区's cases
    assert case_link(ledger.case("DS14")) not in elsewhere
    assert "辖区内没有超期办件。" in section(elsewhere, "overdue")


# --- the centre admin ---------------------------------------------------------------------------


def test_the_centre_admin_sees_its_unassigned_applications_and_its_tools(client, centre):
    centre.grow()
    waiting = Commission.objects.get(project__name="待认领的新申请")
    elsewhere = CommissionFactory(
        project=DongshengProjectFactory(name="康巴什的新申请"),
    )
    Commission.objects.filter(pk=elsewhere.pk).update(agent=centre.agent)  # assigned: not waiting
    html = home(client, centre.admin)
    unassigned = section(html, "unassigned")
    assert commission_link(waiting) in unassigned and "按负荷指派" in unassigned
    assert commission_link(elsewhere) not in unassigned
    tools = section(html, "tools")
    assert f'href="{reverse("web:tools")}"' in tools
    assert f'href="{reverse("supervision:staffing")}?short=1"' in tools
    positions = order_of(html, "unassigned", "overdue", "tools")
    assert positions == sorted(positions)
    assert commission_link(waiting) not in home(client, centre.other_admin)


# --- sponsors and errand companies -----------------------------------------------------------


def test_the_sponsor_and_the_errand_company_see_their_own(client, centre):
    ledger = centre.grow()
    order = TaskOrder.objects.get()
    html = home(client, centre.issuer)
    assert ledger.commission.number in section(html, "commissions")
    assert ledger.commission.project.name in section(html, "projects")
    assert order.number in section(html, "task-orders")
    other = home(client, centre.other_sponsor)
    assert ledger.commission.number not in other and 'id="wb-task-orders"' not in other

    errand = home(client, centre.errand)
    orders = section(errand, "task-orders")
    assert order.number in orders and "待您：接单" in orders
    assert html.index('id="wb-task-orders"') > 0
    other = home(client, centre.other_errand)
    assert order.number not in other and "没有未办结的任务单。" in other


# --- the enterprise: one home ---------------------------------------------------------------


def test_the_enterprise_has_one_home_listing_what_it_must_do(client, centre):
    from bangban.cases import lifecycle as case_lifecycle
    from tests.cases.conftest import non_core

    ledger = centre.grow()
    case = next(  # a case not started yet with a non-core material (容缺 possible)
        c
        for c in ledger.commission.cases.filter(state="planned", item__accept_with_gaps=True)
        .select_related("item", "department")
        .order_by("code")
        if non_core(c) is not None
    )
    missing = non_core(case)
    ledger.walk(case, case_lifecycle.START, case_lifecycle.SUBMIT, case_lifecycle.ACCEPT_GAPS)
    missing.refresh_from_db()
    verified = Commission.objects.get(agent=centre.agent, state="verified")
    completed = Commission.objects.get(agent=centre.agent, state="completed")
    unrated = CommissionFactory(  # completed, confirmed, nobody has rated it yet
        project__enterprise=centre.enterprise.enterprise,
        agent=centre.agent,
        state="completed",
        completed_at=timezone.now(),
        completion_confirmed_at=timezone.now(),
    )
    stranger = CommissionFactory(
        project__enterprise=centre.other_enterprise.enterprise,
        agent=centre.agent,
        state="verified",
    )

    client.force_login(centre.enterprise)
    portal = client.get(reverse("projects:portal"), follow=True)
    assert portal.redirect_chain == [(HOME, 302)]  # one home: the portal's address leads here
    html = portal.content.decode()
    assert "企业服务台" in html and 'href="/portal/"' not in html  # no second entry in the menu
    todo = section(html, "todo")
    confirm = reverse("projects:commission_action", args=[verified.pk, "confirm-authorization"])
    assert f'action="{confirm}"' in todo and "在线确认承诺书" in todo
    assert "确认办结" in todo and commission_link(completed) in todo
    rate = reverse("projects:commission_detail", args=[unrated.pk]) + "#rate-commission"
    assert "评价代办服务" in todo and f'href="{rate}"' in todo
    assert todo.count("评价代办服务") == 1  # the other completed one has its (bad) rating
    assert "（5）" in todo  # two letters, a completion, a rating, a 容缺 material
    assert "补齐容缺材料 1 份" in todo and case_link(case) in todo
    assert missing.status == "missing"
    assert commission_link(stranger) not in html
    positions = order_of(html, "todo", "my-commissions", "projects")
    assert positions == sorted(positions)

    # signing from the to-do comes back home, and the letter leaves the list
    response = client.post(confirm, {"version": verified.version, "next": HOME}, follow=True)
    assert response.redirect_chain[-1][0] == HOME
    assert f'action="{confirm}"' not in section(response.content.decode(), "todo")
    # a commission already rated is not asked again
    Rating.objects.create(
        commission=unrated, level="satisfied", source="portal", rated_by=centre.enterprise
    )
    assert "评价代办服务" not in section(home(client, centre.enterprise), "todo")

    other = home(client, centre.other_enterprise)
    assert commission_link(stranger) in section(other, "todo")
    assert commission_link(verified) not in other


# --- what moved ------------------------------------------------------------------------------


def test_the_calculator_is_a_tool_and_the_catalog_figures_are_on_the_catalog(client, centre):
    client.force_login(centre.agent)
    tools = client.get(reverse("web:tools")).content.decode()
    assert "办理时限计算" in tools and reverse("web:due_calculator") in tools
    menu = client.get(HOME).content.decode()
    assert f'href="{reverse("web:tools")}"' in menu
    client.force_login(centre.enterprise)
    assert client.get(reverse("web:tools")).status_code == 404
    client.logout()
    catalog = client.get(reverse("catalog:item_list")).content.decode()
    assert "已发布事项" in catalog and "涉及办理部门" in catalog and "专业跑腿" in catalog


# --- a constant number of queries ------------------------------------------------------------------


def count(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as context:
        response = client.get(HOME)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_every_workbench_runs_the_same_number_of_queries_at_two_sizes(client, centre):
    centre.grow()
    roles = [
        "agent",
        "officer",
        "leader",
        "supervisor",
        "admin",
        "issuer",
        "errand",
        "enterprise",
    ]
    small = {role: count(client, getattr(centre, role)) for role in roles}
    centre.grow()
    centre.grow()
    AgentFactory()  # nothing of the agent's: the counts stay
    large = {role: count(client, getattr(centre, role)) for role in roles}
    assert large == small
    # and the blocks did grow: three times each unit of work
    assert "（6）" in section(home(client, centre.agent), "due-cases")  # a red, a yellow
    assert "（3）" in section(home(client, centre.officer), "inbox")
    assert "（3）" in section(home(client, centre.leader), "escalations")
    assert "（3）" in section(home(client, centre.errand), "task-orders")
