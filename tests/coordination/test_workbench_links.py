"""The workbench shows each role its work in figures (links to the lists behind them), and
its messages lead only to pages the reader may open: a task order's message opens the task
order for the errand company (the commission page would be a 404 to it), a meeting's message
opens the meeting."""

import datetime as dt

import pytest
from django.urls import reverse

from bangban.cases import lifecycle
from tests.projects.factories import AgentFactory

from .conftest import make_world

pytestmark = pytest.mark.django_db


def work_of(client, user) -> dict[str, int]:
    client.force_login(user)
    page = client.get(reverse("web:home"))
    assert page.status_code == 200
    return {label: n for label, n, _link, _tone in page.context["work"]}, page.content.decode()


def test_errand_staff_see_their_order_waiting_and_its_message_opens_it(client, on_commit):
    world = make_world()
    with on_commit():
        order = world.order()
    work, html = work_of(client, world.errand)
    assert work["跑腿任务单 · 待接单"] == 1 and work["跑腿办件"] == 0
    order_url = reverse("coordination:task_order_detail", args=[order.pk])
    commission_url = reverse("projects:commission_detail", args=[world.commission.pk])
    assert f'href="{order_url}"' in html
    assert f'href="{commission_url}"' not in html
    assert client.get(commission_url).status_code == 404
    assert client.get(order_url).status_code == 200


def test_a_department_sees_its_inbox_and_meeting_messages_open_the_meeting(client, on_commit):
    world = make_world()
    ledger = world.ledger
    case = ledger.walk(ledger.case("DS14"), lifecycle.START, lifecycle.SUBMIT)
    officer = world.officer(case.department)
    with on_commit():
        meeting = world.meeting(participants=[case.department])
    work, html = work_of(client, officer)
    assert work["收件箱 · 待受理"] == 1
    assert work["本部门议定事项 · 超期"] == 0
    assert f'href="{reverse("coordination:meeting_detail", args=[meeting.pk])}"' in html


def test_the_agent_sees_its_red_and_yellow_cases(client):
    world = make_world()
    ledger = world.ledger
    long_ago = dt.datetime(2026, 9, 22, 10, 0, tzinfo=dt.UTC)  # due weeks ago: red
    ledger.walk(
        ledger.case("DS14"), lifecycle.START, lifecycle.SUBMIT, lifecycle.ACCEPT, on=long_ago
    )
    work, html = work_of(client, world.agent)
    assert work["办件 · 红色预警（超期）"] == 1 and work["办件 · 黄色预警（临期）"] == 0
    assert work["上报事项 · 待批示"] == 0
    assert f'href="{reverse("cases:ledger")}?warning=red"' in html
    colleague, _ = work_of(client, AgentFactory(department=world.agent.department))
    assert colleague["办件 · 红色预警（超期）"] == 0  # the agent's own cases only
