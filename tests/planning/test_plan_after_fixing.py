"""After fixing (issue #10 item 6): re-planning as of today, and the plan's actions 不需办理 and
增加事项 through the services, the page (plain and htmx) and the API.

The plan is the hand-worked factory (tests/planning/test_plan_compute), agreed on Monday
2026-09-21; "today" is set with the ``today`` fixture (tests/planning/conftest.py)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from bangban.cases import lifecycle as case_lifecycle
from bangban.cases.models import Case, CaseEvent
from bangban.planning import services
from bangban.planning.models import Plan, PlanAdjustment
from bangban.planning.selectors import commission_plan_for
from bangban.projects.exceptions import ActionForbidden, StaleVersionError
from bangban.projects.models import Commission
from tests.cases.conftest import make_ledger
from tests.projects.factories import AdminFactory, AgentFactory, UserFactory

from .test_commission_plan import agreed_commission
from .test_plan_compute import FACTORY_ITEMS

pytestmark = pytest.mark.django_db

D = dt.date
MONDAY = D(2026, 10, 12)  # after National Day: everything planned before it lies in the past


def dates(commission) -> dict:
    return {
        case.code: (case.planned_start, case.planned_due, case.baseline_start, case.baseline_due)
        for case in Case.objects.filter(commission=commission)
    }


def snapshot(commission) -> tuple:
    plan = Plan.objects.get(commission=commission)
    return (
        Commission.objects.get(pk=commission.pk).version,
        commission.transitions.count(),
        plan.replan_count,
        plan.total_working_days,
        list(plan.adjustments.values_list("kind", "code", "active")),
        sorted(
            Case.objects.filter(commission=commission).values_list("code", "state", "planned_due")
        ),
        CaseEvent.objects.filter(case__commission=commission).count(),
    )


# --- re-planning as of today --------------------------------------------------------------------


def test_replanning_moves_what_lies_in_the_past_to_today_and_keeps_the_baseline(today):
    ledger = make_ledger()
    commission, agent = ledger.commission, ledger.agent
    before = dates(commission)
    plan = Plan.objects.get(commission=commission)
    end_before = plan.end_date
    today(MONDAY)
    services.plan_replan(commission=commission, actor=agent, expected_version=commission.version)
    after = dates(commission)
    # Nothing has started: every item starts on or after today, none earlier than planned.
    assert all(start >= MONDAY for start, _, _, _ in after.values())
    assert after["MA01"][:2] == (MONDAY, D(2026, 10, 14))  # 2 days of preparation
    assert all(after[code][0] >= before[code][0] for code in after)
    # The baseline stays; the whole plan slides by the 14 working days lost since 09-21.
    assert all(after[code][2:] == before[code][2:] for code in after)
    plan.refresh_from_db()
    assert plan.end_date > end_before and plan.replanned_at is not None
    history = commission.transitions.last()
    assert history.action == "replan" and "预计完成日期由" in history.reason
    # The page and the endpoint show what the re-plan wrote, beside the baseline.
    found = commission_plan_for(commission)
    shown = {row.code: (row.item.planned_start, row.item.planned_due) for row in found.rows}
    assert shown == {code: value[:2] for code, value in after.items()}
    assert all(row.delayed for row in found.rows if row.item.critical)


def test_a_started_item_keeps_its_start_an_accepted_one_its_clock_and_successors_follow(today):
    ledger = make_ledger()
    today(MONDAY)
    ma01 = ledger.walk(ledger.case("MA01"), case_lifecycle.START, on=D(2026, 9, 21))
    # The start re-planned the rest as of today (the ledger's hook): MA01 is not accepted yet.
    ma01.refresh_from_db()
    assert (ma01.planned_start, ma01.planned_acceptance) == (D(2026, 9, 21), MONDAY)
    ds06 = ledger.case("DS06")
    assert ds06.planned_start == ma01.planned_due >= MONDAY
    # Accepted on 09-22: MA01 (即办件, due the day of acceptance) is overdue and stays so.
    ma01 = ledger.walk(ma01, case_lifecycle.SUBMIT, case_lifecycle.ACCEPT, on=D(2026, 9, 22))
    commission = Commission.objects.get(pk=ledger.commission.pk)
    services.plan_replan(
        commission=commission, actor=ledger.agent, expected_version=commission.version
    )
    ma01.refresh_from_db()
    assert (ma01.planned_acceptance, ma01.planned_due) == (D(2026, 9, 22), D(2026, 9, 22))
    assert ma01.planned_due == ma01.due_date < MONDAY  # the ledger's own clock agrees
    assert ledger.case("DS06").planned_start == MONDAY  # not in the past
    # Finished items keep their actual dates.
    ma01 = ledger.walk(ma01, case_lifecycle.APPROVE, on=D(2026, 9, 28))
    ma01.refresh_from_db()
    assert (ma01.planned_start, ma01.planned_due) == (D(2026, 9, 21), D(2026, 9, 28))
    assert ledger.case("DS06").planned_start == MONDAY


# --- 不需办理 -------------------------------------------------------------------------------------


def test_marking_an_item_not_needed_closes_its_case_and_replans(today, on_commit):
    ledger = make_ledger()
    commission, agent = ledger.commission, ledger.agent
    today(MONDAY)
    plan = Plan.objects.get(commission=commission)
    with on_commit():
        case = services.plan_case_not_needed(
            commission=commission,
            actor=agent,
            code="ds14",
            reason="园区已统一出具规划条件",
            expected_version=commission.version,
        )
    assert case.state == case_lifecycle.NOT_NEEDED
    event = case.events.last()
    assert (event.action, event.reason, event.actor) == (
        "not_needed",
        "园区已统一出具规划条件",
        agent,
    )
    found = commission_plan_for(commission)
    assert "DS14" not in found.outcome.codes and [c.code for c in found.dropped] == ["DS14"]
    assert "DS14" not in {row.code for row in found.droppable_rows()}
    assert "DS14" not in {entry.code for entry in found.missing_codes()}
    # Re-planned as of today by the ledger's hook: nothing left before today.
    assert Plan.objects.get(pk=plan.pk).replan_count == plan.replan_count + 1
    rest = Case.objects.filter(commission=commission).exclude(code="DS14")
    assert all(c.planned_start >= MONDAY for c in rest)
    # The enterprise hears of it through the case's own notification.
    from bangban.notifications.models import Notification

    heard = Notification.objects.filter(recipient_user=ledger.enterprise_user).last()
    assert heard.subject.startswith("不需办理") and "园区已统一出具规划条件" in heard.body


@pytest.mark.parametrize(
    ("code", "reason", "field", "message"),
    [
        ("DS14", "  ", "reason", "请填写不需办理的理由"),
        ("", "理由", "code", "请选择事项"),
        ("ZZ99", "理由", "code", "方案中没有编码为“ZZ99”的办件"),
        ("DS53", "理由", "code", "方案中没有编码为“DS53”的办件"),
        ("MA01", "理由", "code", "已申报的事项不能标为不需办理"),
        ("DS06", "理由", "code", "的办件已结束（不需办理）"),
    ],
)
def test_bad_not_needed_input_is_refused_and_changes_nothing(code, reason, field, message):
    ledger = make_ledger()
    ledger.walk(ledger.case("MA01"), case_lifecycle.START, case_lifecycle.SUBMIT)
    ledger.step(ledger.case("DS06"), case_lifecycle.NOT_NEEDED_ACTION, reason="已办")
    commission = Commission.objects.get(pk=ledger.commission.pk)
    before = snapshot(commission)
    with pytest.raises(ValidationError) as info:
        services.plan_case_not_needed(
            commission=commission, actor=ledger.agent, code=code, reason=reason
        )
    assert message in " ".join(info.value.message_dict[field])
    assert snapshot(commission) == before


def test_only_the_owner_acts_after_fixing_a_stale_page_is_refused_and_a_draft_has_no_cases():
    ledger = make_ledger()
    commission = ledger.commission
    before = snapshot(commission)
    for run in (services.plan_case_not_needed, services.plan_case_add):
        code = "DS14" if run is services.plan_case_not_needed else "DS53"
        for stranger in (AgentFactory(), UserFactory(role="supervisor", department=None)):
            with pytest.raises(ActionForbidden):
                run(commission=commission, actor=stranger, code=code, reason="x")
        with pytest.raises(StaleVersionError):
            run(
                commission=commission,
                actor=ledger.agent,
                code=code,
                reason="x",
                expected_version=commission.version - 1,
            )
    assert snapshot(commission) == before
    draft, agent, _ = agreed_commission()
    for run, code in ((services.plan_case_not_needed, "DS14"), (services.plan_case_add, "DS53")):
        with pytest.raises(ValidationError) as info:
            run(commission=draft, actor=agent, code=code, reason="x")
        assert "不能执行「重新排期」" in info.value.messages[0]
    # A centre admin may, as with every plan action.
    services.plan_case_not_needed(
        commission=commission, actor=AdminFactory(), code="DS14", reason="管理员核实"
    )
    assert ledger.case("DS14").state == case_lifecycle.NOT_NEEDED


# --- 增加事项 -------------------------------------------------------------------------------------


def test_adding_an_item_after_fixing_makes_a_case_and_replans(today, on_commit):
    ledger = make_ledger()
    commission, agent = ledger.commission, ledger.agent
    today(MONDAY)
    version = commission.version
    with on_commit():
        case = services.plan_case_add(
            commission=commission,
            actor=agent,
            code="ds53",
            reason="厂区设易燃溶剂仓库，须做防雷装置设计审核",
            expected_version=version,
        )
    case = Case.objects.select_related("item").get(pk=case.pk)
    assert case.code == "DS53" and case.state == case_lifecycle.PLANNED
    assert case.added_reason == "厂区设易燃溶剂仓库，须做防雷装置设计审核"
    assert case.item.version_id == Plan.objects.get(commission=commission).catalog_version_id
    assert case.department_id == case.item.department_id
    assert case.materials.count() == case.item.materials.count()
    # Its baseline is the day it was added: planned from today, as is everything not started.
    assert case.planned_start >= MONDAY
    assert (case.baseline_start, case.baseline_due) == (case.planned_start, case.planned_due)
    assert all(c.planned_start >= MONDAY for c in Case.objects.filter(commission=commission))
    commission.refresh_from_db()
    assert commission.version == version + 1
    history = commission.transitions.last()
    assert history.action == "replan" and "增加事项：DS53" in history.reason
    plan = Plan.objects.get(commission=commission)
    assert plan.item_count == len(FACTORY_ITEMS) + 1
    assert list(plan.adjustments.values_list("kind", "code", "active")) == [("add", "DS53", True)]
    found = commission_plan_for(commission)
    row = next(row for row in found.rows if row.code == "DS53")
    assert row.case.pk == case.pk
    assert row.item.reasons == ("代办员添加：厂区设易燃溶剂仓库，须做防雷装置设计审核",)
    assert "DS53" not in {entry.code for entry in found.missing_codes()}
    from bangban.notifications.models import Notification

    assert Notification.objects.filter(
        recipient_user=ledger.enterprise_user, body__contains="增加事项：DS53"
    ).exists()


def test_an_item_removed_in_the_draft_can_be_added_back_after_fixing(today):
    commission, agent, _ = agreed_commission()
    services.plan_adjust(
        commission=commission, actor=agent, kind="remove", code="DS20", reason="园区已办"
    )
    services.plan_fix(commission=commission, actor=agent)
    assert not Case.objects.filter(commission=commission, code="DS20").exists()
    today(MONDAY)
    services.plan_case_add(
        commission=commission, actor=agent, code="DS20", reason="园区手续未覆盖本地块"
    )
    rows = list(
        PlanAdjustment.objects.filter(plan__commission=commission)
        .order_by("id")
        .values_list("kind", "code", "active")
    )
    assert rows == [("remove", "DS20", False), ("add", "DS20", True)]
    assert "DS20" in commission_plan_for(commission).outcome.codes
    assert Case.objects.get(commission=commission, code="DS20").planned_start >= MONDAY


@pytest.mark.parametrize(
    ("code", "reason", "field", "message"),
    [
        ("ZZ99", "新事项", "code", "没有编码为“ZZ99”的事项"),
        ("DS20", "再加一次", "code", "已在方案中"),
        ("DS06", "重新办理", "code", "已有办件（不需办理），不能再次增加"),
        ("DS53", " ", "reason", "请填写调整理由"),
        ("DS53", "很" * 201, "reason", "不能超过 200 字"),
        ("", "理由", "code", "请选择事项"),
    ],
)
def test_bad_additions_are_refused_and_change_nothing(code, reason, field, message):
    ledger = make_ledger()
    ledger.step(ledger.case("DS06"), case_lifecycle.NOT_NEEDED_ACTION, reason="已办")
    commission = Commission.objects.get(pk=ledger.commission.pk)
    before = snapshot(commission)
    with pytest.raises(ValidationError) as info:
        services.plan_case_add(commission=commission, actor=ledger.agent, code=code, reason=reason)
    assert message in " ".join(info.value.message_dict[field])
    assert snapshot(commission) == before


# --- the page (plain and htmx) and the API ----------------------------------------------------


def test_the_page_offers_both_actions_and_posts_them_plain_or_with_htmx(client, today):
    ledger = make_ledger()
    commission, agent = ledger.commission, ledger.agent
    today(MONDAY)
    client.force_login(agent)
    page = f"/commissions/{commission.pk}/plan/"
    html = client.get(page).content.decode()
    assert 'id="plan-not-needed"' in html and 'id="plan-add-case"' in html
    assert '<option value="DS14">' in html and '<option value="DS53">' in html
    answer = client.post(
        page + "not_needed/",
        {"version": commission.version, "code": "DS14", "reason": "园区已统一出具规划条件"},
        HTTP_HX_REQUEST="true",
    )
    assert answer.status_code == 302 and answer["Location"] == page + "#plan-items"
    html = client.get(page).content.decode()
    assert "已将“" in html and "标为不需办理，方案已按今日重新排期。" in html
    assert 'id="plan-dropped"' in html and 'data-code="DS14"' in html
    commission.refresh_from_db()
    answer = client.post(
        page + "add_case/",
        {"version": commission.version, "code": "DS53", "reason": "现场踏勘发现溶剂仓库"},
        follow=True,
    )
    html = answer.content.decode()
    assert "并生成办件，方案已按今日重新排期。" in html
    assert 'data-code="DS53"' in html and "现场踏勘发现溶剂仓库" in html
    assert Case.objects.get(commission=commission, code="DS53").added_reason


def test_the_page_shows_bad_input_and_a_stale_version_and_writes_nothing(client):
    ledger = make_ledger()
    commission = ledger.commission
    client.force_login(ledger.agent)
    page = f"/commissions/{commission.pk}/plan/"
    before = snapshot(commission)
    for slug, data, message in (
        ("not_needed", {"code": "DS14", "reason": ""}, "请填写不需办理的理由。"),
        ("add_case", {"code": "ZZ99", "reason": "x"}, "没有编码为“ZZ99”的事项"),
        ("add_case", {"code": "DS20", "reason": "x"}, "已在方案中"),
        ("add_case", {"code": "DS53", "reason": "x", "version": 1}, "已被他人修改"),
    ):
        data = {"version": commission.version, **data}
        answer = client.post(page + f"{slug}/", data, HTTP_HX_REQUEST="true", follow=True)
        assert message in answer.content.decode(), slug
    assert snapshot(commission) == before


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_actions_answer_the_plan_and_400_403_409(today):
    ledger = make_ledger()
    commission, agent = ledger.commission, ledger.agent
    today(MONDAY)
    url = f"/api/v1/commissions/{commission.pk}/plan/"
    before = snapshot(commission)
    bad = api(agent).post(url + "not_needed/", {"version": commission.version}, format="json")
    assert bad.status_code == 400
    assert bad.json()["code"] == ["请提供事项编码 code。"]
    assert bad.json()["reason"] == ["请填写不需办理的理由 reason。"]
    unknown = api(agent).post(
        url + "add_case/",
        {"version": commission.version, "code": "ZZ99", "reason": "x"},
        format="json",
    )
    assert unknown.status_code == 400 and "没有编码为“ZZ99”的事项" in str(unknown.json())
    stale = api(agent).post(
        url + "add_case/",
        {"version": commission.version - 1, "code": "DS53", "reason": "x"},
        format="json",
    )
    assert stale.status_code == 409
    reader = UserFactory(role="supervisor", region=commission.project.region, department=None)
    refused = api(reader).post(
        url + "not_needed/",
        {"version": commission.version, "code": "DS14", "reason": "x"},
        format="json",
    )
    assert refused.status_code in (403, 404)
    assert snapshot(commission) == before

    done = api(agent).post(
        url + "not_needed/",
        {"version": commission.version, "code": "DS14", "reason": "园区已统一出具规划条件"},
        format="json",
    )
    assert done.status_code == 200, done.content
    body = done.json()
    assert "DS14" not in {item["code"] for item in body["items"]}
    assert body["allowed_actions"] == ["replan", "not_needed", "add_case"]
    added = api(agent).post(
        url + "add_case/",
        {"version": body["commission_version"], "code": "DS53", "reason": "防雷"},
        format="json",
    )
    assert added.status_code == 200, added.content
    item = next(item for item in added.json()["items"] if item["code"] == "DS53")
    assert item["case"]["state"] == "planned"
    assert item["case"]["baseline_due"] == item["planned_due"]
    assert item["planned_start"] >= MONDAY.isoformat()
    assert added.json()["adjustments"][-1]["reason"] == "防雷"


def test_the_new_actions_are_documented_in_the_openapi_schema(client):
    schema = client.get("/api/schema/").content.decode()
    for slug in ("not_needed", "add_case"):
        assert f"/api/v1/commissions/{{id}}/plan/{slug}/" in schema
