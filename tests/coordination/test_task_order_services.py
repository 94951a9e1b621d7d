"""Errand task orders through the services: every transition, legal and illegal, who may
take it, the issue form's checks (nothing written) and what the company then runs."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bangban.accounts.models import Role
from bangban.cases import lifecycle as case_lifecycle
from bangban.cases.actions import case_allowed_actions
from bangban.cases.models import Case
from bangban.cases.selectors import case_list_for
from bangban.catalog.models import ServiceMode
from bangban.common.exceptions import ActionForbidden, StaleVersionError
from bangban.coordination import lifecycle, services
from bangban.coordination.actions import TASK_ORDERS
from bangban.coordination.models import TaskOrder, TaskOrderEvent
from bangban.coordination.selectors import task_order_list_for
from bangban.organization.models import Department
from tests.projects.factories import AdminFactory, UserFactory

from .conftest import make_world

pytestmark = pytest.mark.django_db


def in_state(world, state: str) -> TaskOrder:
    order = world.order()
    if state in (lifecycle.ACCEPTED, lifecycle.COMPLETED):
        services.task_order_accept(order=order, actor=world.errand, expected_version=order.version)
    if state == lifecycle.COMPLETED:
        services.task_order_complete(
            order=order, actor=world.errand, note="提前结束", expected_version=order.version
        )
    if state == lifecycle.DECLINED:
        services.task_order_decline(
            order=order, actor=world.errand, reason="人手不足", expected_version=order.version
        )
    if state == lifecycle.REVOKED:
        services.task_order_cancel(
            order=order, actor=world.issuer, reason="企业自行办理", expected_version=order.version
        )
    return TaskOrder.objects.select_related("commission__project__region").get(pk=order.pk)


def data_for(order, slug):
    data = {"version": order.version}
    if slug in (lifecycle.DECLINE, lifecycle.REVOKE):
        data["reason"] = "原因"
    if slug == lifecycle.COMPLETE:
        data["note"] = "已办结"
    return data


LEGAL = [(row.action, row.source) for row in lifecycle.TASK_ORDER.rows]
ILLEGAL = [
    (action, state)
    for action in lifecycle.TASK_ORDER.actions
    for state in lifecycle.TASK_ORDER.states
    if lifecycle.TASK_ORDER.find(action, state) is None
]


def party(world, slug, state):
    row = lifecycle.TASK_ORDER.find(slug, state)
    return world.errand if lifecycle.COMPANY in row.sides else world.issuer


@pytest.mark.parametrize(("slug", "state"), LEGAL)
def test_every_legal_task_order_transition(world, slug, state):
    order = in_state(world, state)
    actor = party(world, slug, state)
    assert TASK_ORDERS.may(actor, order, slug)
    version = order.version
    TASK_ORDERS.run(slug, obj=order, user=actor, data=data_for(order, slug))
    fresh = TaskOrder.objects.get(pk=order.pk)
    assert fresh.state == lifecycle.TASK_ORDER.find(slug, state).target
    assert fresh.version == version + 1
    assert fresh.events.last().action == slug


@pytest.mark.parametrize(("slug", "state"), ILLEGAL)
def test_every_illegal_task_order_transition_is_refused(world, slug, state):
    order = in_state(world, state)
    version = order.version
    for actor in (world.errand, world.issuer):
        assert not TASK_ORDERS.may(actor, order, slug)
        with pytest.raises(ValidationError, match="不能执行"):
            TASK_ORDERS.run(slug, obj=order, user=actor, data=data_for(order, slug))
    assert TaskOrder.objects.get(pk=order.pk).version == version


@pytest.mark.parametrize(("slug", "state"), LEGAL)
def test_who_may_take_each_task_order_step(world, slug, state):
    order = in_state(world, state)
    other_company = Department.objects.create(
        key="other-errand",
        name="另一家跑腿公司",
        region=world.company.region,
        kind=Department.Kind.ERRAND,
        function=Department.Function.OTHER,
    )
    other_errand = UserFactory(role=Role.ERRAND, department=other_company)
    row = lifecycle.TASK_ORDER.find(slug, state)
    company_side = lifecycle.COMPANY in row.sides
    assert TASK_ORDERS.may(world.errand, order, slug) is company_side
    assert TASK_ORDERS.may(world.issuer, order, slug) is not company_side
    assert TASK_ORDERS.may(world.admin, order, slug) is not company_side  # admin of the region
    for outsider in (other_errand, world.agent, UserFactory(role=Role.SPONSOR)):
        assert not TASK_ORDERS.may(outsider, order, slug)
        with pytest.raises(ActionForbidden):
            TASK_ORDERS.run(slug, obj=order, user=outsider, data=data_for(order, slug))


def test_issue_checks_each_input_and_writes_nothing(world):
    cases = world.errand_cases()
    plain = world.commission.cases.exclude(service_mode=ServiceMode.ERRAND).first()
    outside = Department.objects.get(key="horinger-zhenglian")  # serves another region
    count = TaskOrder.objects.count()
    with pytest.raises(ValidationError) as caught:
        world.order(cases=[], company=None, due_date=timezone.localdate() - dt.timedelta(days=1))
    errors = caught.value.message_dict
    assert errors == {
        "cases": ["请至少选择一个专业跑腿事项。"],
        "company": ["请选择跑腿服务公司。"],
        "due_date": ["完成时限不能早于今天。"],
    }
    with pytest.raises(ValidationError) as caught:
        world.order(cases=[plain], company=outside, due_date=None)
    errors = caught.value.message_dict
    assert errors["cases"] == [f"以下事项的服务方式不是专业跑腿：{plain.item.name}。"]
    assert errors["company"] == [f"跑腿服务公司「{outside.name}」不服务该项目所在区划。"]
    assert errors["due_date"] == ["请填写完成时限。"]
    with pytest.raises(ValidationError) as caught:
        world.order(company=world.bureau)
    assert caught.value.message_dict["company"] == [
        f"「{world.bureau.name}」不是专业跑腿服务公司。"
    ]
    assert TaskOrder.objects.count() == count

    first = world.order(cases=cases[:1])
    with pytest.raises(ValidationError) as caught:
        world.order(cases=cases[:2])
    assert f"已在任务单 {first.number} 中" in caught.value.message_dict["cases"][0]


def test_who_may_issue(world):
    for user in (world.agent, world.errand, UserFactory(role=Role.SPONSOR)):
        with pytest.raises(ActionForbidden, match="只有投资促进部门或中心管理员"):
            world.order(actor=user)
    far_admin = AdminFactory(
        region=world.company.region.__class__.objects.get(key="horinger-new-area")
    )
    with pytest.raises(ActionForbidden, match="不在您的管辖区划内"):
        world.order(actor=far_admin)
    assert world.order(actor=world.admin).issuer_department_id == world.admin.department_id


def test_accepting_makes_the_company_run_the_cases_and_only_those(world):
    order = world.order()
    named = [c.pk for c in order.cases.all()]
    assert not case_list_for(world.errand).exists()  # nothing before it accepts
    assert [o.pk for o in task_order_list_for(world.errand)] == [order.pk]
    services.task_order_accept(order=order, actor=world.errand, expected_version=1)
    assert sorted(case_list_for(world.errand).values_list("pk", flat=True)) == sorted(named)
    case = case_list_for(world.errand).get(pk=named[0])
    assert case_lifecycle.START in case_allowed_actions(world.errand, case)
    # another company's staff see neither the order nor the cases
    other = make_world()
    assert not task_order_list_for(other.errand).filter(pk=order.pk).exists()
    assert not case_list_for(other.errand).filter(pk__in=named).exists()
    # completing with open cases needs a reason and releases them
    with pytest.raises(ValidationError) as caught:
        services.task_order_complete(order=order, actor=world.errand, note="", expected_version=2)
    assert "尚未办结" in caught.value.message_dict["note"][0]
    services.task_order_complete(
        order=order, actor=world.errand, note="企业改为自行办理", expected_version=2
    )
    assert not Case.objects.filter(pk__in=named, errand_company__isnull=False).exists()


def test_decline_reissue_and_cancel(world):
    order = world.order()
    with pytest.raises(ValidationError) as caught:
        services.task_order_decline(order=order, actor=world.errand, reason="", expected_version=1)
    assert caught.value.message_dict["reason"] == ["请填写退回原因。"]
    services.task_order_decline(
        order=order, actor=world.errand, reason="人手不足", expected_version=1
    )
    with pytest.raises(StaleVersionError):
        services.task_order_reissue(order=order, actor=world.issuer, expected_version=1)
    services.task_order_reissue(
        order=order,
        actor=world.issuer,
        due_date=timezone.localdate() + dt.timedelta(days=30),
        expected_version=2,
    )
    order.refresh_from_db()
    assert (order.state, order.decline_reason) == (lifecycle.ISSUED, "")
    services.task_order_accept(order=order, actor=world.errand, expected_version=3)
    with pytest.raises(ValidationError) as caught:
        services.task_order_cancel(order=order, actor=world.issuer, reason="", expected_version=4)
    assert caught.value.message_dict["reason"] == ["请填写撤销原因。"]
    services.task_order_cancel(
        order=order, actor=world.issuer, reason="企业撤回", expected_version=4
    )
    assert not case_list_for(world.errand).exists()
    assert list(TaskOrderEvent.objects.filter(order=order).values_list("action", flat=True)) == [
        "issue",
        "decline",
        "reissue",
        "accept",
        "cancel",
    ]
    # the cases are free for a new order
    assert world.order().cases.count() == 2
