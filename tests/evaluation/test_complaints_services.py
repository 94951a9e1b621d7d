"""The complaint workflow through its services: register, assign, record, conclude; each
refusal leaves everything as it was; a substantiated conclusion creates exactly one
violation record."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bangban.common.exceptions import ActionForbidden, StaleVersionError
from bangban.evaluation import complaints_services as services
from bangban.evaluation.models import AccountabilityRecord, Complaint, ComplaintPolicy
from bangban.notifications.models import Notification
from tests.projects.factories import department, region

from .complaints_world import DUE, RECEIVED, make_world, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(db):
    return make_world()


def refused(exc_type, call, match=None):
    before = snapshot()
    with pytest.raises(exc_type) as caught:
        call()
    assert snapshot() == before
    if match is not None:
        assert match in str(caught.value), str(caught.value)
    return caught.value


# --- register -------------------------------------------------------------------------------


def test_register_records_the_facts_and_a_due_date_in_working_days(cw):
    complaint = cw.register(received_at=RECEIVED)
    assert complaint.state == "received"
    assert complaint.region.code == "150602"  # the agent's region
    assert complaint.subject_user == cw.agent
    assert complaint.subject_department == cw.office  # the agent's department by default
    assert complaint.recorded_by == cw.admin
    assert complaint.received_at == RECEIVED
    assert complaint.backfilled is True  # received a month before it was typed in
    assert complaint.due_date == DUE  # 15 working days (data/evaluation/complaints.yaml)
    assert complaint.version == 1
    event = complaint.events.get()
    assert event.action == "register" and event.to_state == "received"
    assert "补录" in event.note and "2026-11-23" in event.note


def test_a_complaint_received_now_is_not_backfilled(cw):
    complaint = cw.register()
    assert complaint.backfilled is False
    assert complaint.due_date > timezone.localdate()


def test_the_nearest_region_policy_decides_the_time_limit(cw):
    ComplaintPolicy.objects.create(region=region("150602"), working_days=5, source="测试")
    complaint = cw.register(received_at=RECEIVED)
    # Nov 3, 4, 5, 6, 9: the fifth working day after Monday Nov 2
    assert complaint.due_date == dt.date(2026, 11, 9)


def test_no_policy_anywhere_means_no_due_date_said_in_the_history(cw):
    ComplaintPolicy.objects.all().delete()
    complaint = cw.register(received_at=RECEIVED)
    assert complaint.due_date is None
    assert "未设定投诉办理时限" in complaint.events.get().note


def test_a_department_alone_may_be_complained_about(cw):
    complaint = cw.register(subject_user=None, subject_department=department("dongsheng-zjj"))
    assert complaint.subject_user is None
    assert complaint.subject_department.key == "dongsheng-zjj"


def test_an_agent_registers_at_the_window_only(cw):
    complaint = cw.register(actor=cw.agent, channel="window", subject_user=cw.colleague)
    assert complaint.recorded_by == cw.agent
    error = refused(ValidationError, lambda: cw.register(actor=cw.agent, subject_user=cw.colleague))
    assert error.message_dict == {
        "channel": [
            "代办帮办员只能登记窗口当面收到的投诉，其他渠道的投诉请交中心管理员或督查人员登记。"
        ]
    }


def test_an_agent_cannot_register_a_complaint_about_itself(cw):
    error = refused(ValidationError, lambda: cw.register(actor=cw.agent, channel="window"))
    assert error.message_dict == {
        "subject_user": ["不能登记针对本人的投诉，请交中心管理员或督查人员登记。"]
    }


@pytest.mark.parametrize("who", ["leader", "officer", "enterprise"])
def test_who_may_not_register(cw, who):
    error = refused(ActionForbidden, lambda: cw.register(actor=getattr(cw, who)))
    assert "只有中心管理员、督查人员可以登记投诉" in error.message


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"channel": "fax"}, {"channel": ["请选择投诉渠道。"]}),
        ({"category": "noise"}, {"category": ["请选择投诉类别。"]}),
        ({"subject_user": None}, {"subject_user": ["请选择被投诉人员或被投诉部门。"]}),
        ({"content": "  "}, {"content": ["请填写投诉内容。"]}),
        ({"content": "字" * 4001}, {"content": ["投诉内容不能超过 4000 个字。"]}),
        ({"complainant": "名" * 61}, {"complainant": ["投诉人不能超过 60 个字。"]}),
        ({"subject_user": "abc"}, {"subject_user": ["所选内容无效，请重新选择。"]}),
        (
            {"received_at": timezone.now() + dt.timedelta(hours=2)},
            {"received_at": ["收到时间不能晚于当前时间。"]},
        ),
        (
            {"subject_department": "dongsheng-zjj"},
            {
                "subject_department": [
                    "被投诉人员「代办员张三」不属于所选部门「东胜区住房和城乡建设局」。"
                ]
            },
        ),
    ],
)
def test_register_refuses_bad_input_and_writes_nothing(cw, fields, errors):
    if fields.get("subject_department") == "dongsheng-zjj":
        fields = {"subject_department": department("dongsheng-zjj").pk}
    error = refused(ValidationError, lambda: cw.register(**fields))
    assert error.message_dict == errors


def test_register_refuses_a_subject_of_another_region(cw):
    error = refused(ValidationError, lambda: cw.register(subject_user=cw.other_supervisor))
    assert error.message_dict == {
        "subject_user": ["所选被投诉人员不存在、已停用或不在您的管辖区划内。"]
    }
    baotou = department("baotou-hitech-qyfw")
    error = refused(
        ValidationError,
        lambda: cw.register(subject_user=None, subject_department=baotou.pk),
    )
    assert error.message_dict == {
        "subject_department": ["所选被投诉部门不存在、已停用或不在您的管辖区划内。"]
    }


def test_register_refuses_a_person_who_does_not_serve_enterprises(cw):
    error = refused(ValidationError, lambda: cw.register(subject_user=cw.leader))
    assert error.message_dict == {
        "subject_user": ["所选被投诉人员不存在、已停用或不在您的管辖区划内。"]
    }  # the leader's region (the city) is above the admin's
    error = refused(
        ValidationError, lambda: cw.register(actor=cw.supervisor, subject_user=cw.admin)
    )
    assert error.message_dict == {
        "subject_user": ["被投诉人员应为代办帮办员、部门人员或跑腿公司人员。"]
    }


# --- assign ---------------------------------------------------------------------------------


def test_assign_hands_it_over_and_tells_the_handler(cw, on_commit):
    complaint = cw.register()
    with on_commit():
        fresh = services.complaint_assign(
            complaint=complaint,
            actor=cw.admin,
            handler=cw.supervisor,
            note="请核实",
            expected_version=1,
        )
    assert (fresh.state, fresh.handler, fresh.version) == ("handling", cw.supervisor, 2)
    assert complaint.state == "handling"  # the caller's object sees it too
    event = fresh.events.order_by("pk").last()
    assert (event.action, event.from_state, event.to_state) == ("assign", "received", "handling")
    assert event.note == "交由督查甲核查。请核实"
    message = Notification.objects.get(recipient_user=cw.supervisor)
    assert message.subject == "投诉交办核查：推诿拖延"


def test_assign_may_hand_it_on_to_someone_else(cw):
    complaint = cw.assigned()
    other = cw.admin
    fresh = services.complaint_assign(
        complaint=complaint, actor=cw.supervisor, handler=other, expected_version=2
    )
    assert (fresh.state, fresh.handler, fresh.version) == ("handling", other, 3)


def test_assign_refusals_leave_everything_as_it_was(cw):
    complaint = cw.register()
    error = refused(
        ValidationError,
        lambda: services.complaint_assign(
            complaint=complaint, actor=cw.admin, handler=cw.colleague, expected_version=1
        ),
    )
    assert error.message_dict == {"handler": ["核查人应为管辖该投诉的中心管理员或督查人员。"]}
    error = refused(
        ValidationError,
        lambda: services.complaint_assign(
            complaint=complaint, actor=cw.admin, handler=cw.other_supervisor, expected_version=1
        ),
    )
    assert error.message_dict == {"handler": ["核查人应为管辖该投诉的中心管理员或督查人员。"]}
    error = refused(
        ValidationError,
        lambda: services.complaint_assign(
            complaint=complaint, actor=cw.admin, handler=None, expected_version=1
        ),
    )
    assert error.message_dict == {"handler": ["请选择核查人。"]}
    for who in (cw.leader, cw.agent, cw.other_supervisor):
        error = refused(
            ActionForbidden,
            lambda who=who: services.complaint_assign(
                complaint=complaint, actor=who, handler=cw.supervisor, expected_version=1
            ),
        )
        assert error.message == "您不能对该投诉执行「交办核查」。"
    error = refused(
        StaleVersionError,
        lambda: services.complaint_assign(
            complaint=complaint, actor=cw.admin, handler=cw.supervisor, expected_version=7
        ),
    )
    assert error.message == "该投诉已被他人修改，请刷新后重试。"


def test_the_same_handler_again_is_refused(cw):
    complaint = cw.assigned()
    error = refused(
        ValidationError,
        lambda: services.complaint_assign(
            complaint=complaint, actor=cw.admin, handler=cw.supervisor, expected_version=2
        ),
    )
    assert error.message_dict == {"handler": ["该投诉已由督查甲核查。"]}


# --- record ---------------------------------------------------------------------------------


def test_record_keeps_the_latest_text_and_every_version_in_the_history(cw):
    complaint = cw.assigned()
    services.complaint_record(
        complaint=complaint, actor=cw.supervisor, handling="已调取台账。", expected_version=2
    )
    fresh = services.complaint_record(
        complaint=complaint, actor=cw.admin, handling="已询问代办员。", expected_version=3
    )
    assert (fresh.state, fresh.handling, fresh.version) == ("handling", "已询问代办员。", 4)
    notes = list(fresh.events.filter(action="record").values_list("note", flat=True))
    assert notes == ["已调取台账。", "已询问代办员。"]


def test_record_refusals(cw):
    received = cw.register()
    error = refused(
        ValidationError,
        lambda: services.complaint_record(
            complaint=received, actor=cw.admin, handling="x", expected_version=1
        ),
    )
    assert error.messages == ["投诉当前状态「已登记」不能执行「记录核查情况」。"]
    complaint = cw.assigned()
    error = refused(
        ValidationError,
        lambda: services.complaint_record(
            complaint=complaint, actor=cw.supervisor, handling=" ", expected_version=2
        ),
    )
    assert error.message_dict == {"handling": ["请填写核查情况。"]}
    refused(
        ActionForbidden,
        lambda: services.complaint_record(
            complaint=complaint, actor=cw.leader, handling="x", expected_version=2
        ),
    )


# --- conclude -------------------------------------------------------------------------------


def test_a_substantiated_complaint_creates_one_violation_record(cw):
    complaint = cw.concluded("substantiated", received_at=RECEIVED)
    assert complaint.state == "closed" and complaint.finding == "substantiated"
    assert complaint.closed_at is not None and complaint.version == 3
    record = AccountabilityRecord.objects.get()
    assert record.complaint == complaint
    assert (record.kind, record.source, record.category) == ("violation", "complaint", "shirking")
    assert (record.subject_user, record.subject_department) == (cw.agent, cw.office)
    assert record.region == complaint.region
    assert record.issued_by == cw.supervisor
    assert record.occurred_on == dt.date(2026, 11, 2)
    assert record.facts == (
        "经核查，12345热线投诉反映的「推诿拖延」问题属实。"
        "经调取台账和通话记录，该代办员超过承诺期限 6 个工作日未申报环评。"
    )
    assert record.decision == "已责令代办员当日申报，并向王先生电话答复。"
    assert record.number == ""
    last = complaint.events.order_by("pk").last()
    assert last.note == "核查结论：属实。已生成问责记录（违规记录）。"
    # concluded once: a second conclusion is an illegal step, still one record
    error = refused(
        ValidationError,
        lambda: services.complaint_conclude(
            complaint=complaint,
            actor=cw.supervisor,
            finding="substantiated",
            result="再次办结",
            expected_version=3,
        ),
    )
    assert error.messages == ["投诉当前状态「已办结」不能执行「办结」。"]
    assert AccountabilityRecord.objects.count() == 1


def test_a_partly_substantiated_complaint_creates_a_record_too(cw):
    cw.concluded("partly")
    record = AccountabilityRecord.objects.get()
    assert record.kind == "violation"
    assert "部分属实" in record.facts


def test_an_unsubstantiated_complaint_creates_none(cw):
    complaint = cw.concluded("unsubstantiated")
    assert complaint.finding == "unsubstantiated"
    assert AccountabilityRecord.objects.count() == 0
    assert complaint.events.order_by("pk").last().note == "核查结论：不属实。"


def test_conclude_refusals_write_nothing(cw):
    complaint = cw.assigned()

    def call(actor=None, version=2, **kw):
        data = {"finding": "substantiated", "result": "已答复。", "handling": "已核实。", **kw}
        return lambda: services.complaint_conclude(
            complaint=complaint, actor=actor or cw.supervisor, expected_version=version, **data
        )

    assert refused(ValidationError, call(finding="maybe")).message_dict == {
        "finding": ["请选择核查结论（属实、部分属实或不属实）。"]
    }
    assert refused(ValidationError, call(result="")).message_dict == {
        "result": ["请填写处理结果及对投诉人的答复。"]
    }
    assert refused(ValidationError, call(handling="")).message_dict == {
        "handling": ["请填写核查情况。"]
    }
    refused(ActionForbidden, call(actor=cw.leader))
    refused(ActionForbidden, call(actor=cw.agent))
    refused(StaleVersionError, call(version=1))
    assert AccountabilityRecord.objects.count() == 0


def test_the_handler_may_conclude_with_the_handling_recorded_before(cw):
    complaint = cw.assigned(handler=cw.admin)
    services.complaint_record(
        complaint=complaint, actor=cw.admin, handling="已核实。", expected_version=2
    )
    fresh = services.complaint_conclude(
        complaint=complaint,
        actor=cw.admin,
        finding="unsubstantiated",
        result="经核实不属实，已答复。",
        expected_version=3,
    )
    assert (fresh.state, fresh.handling) == ("closed", "已核实。")


def test_complaint_policies_load_keeps_edits_unless_overwritten(cw):
    policy = ComplaintPolicy.objects.get(region__key="150000")
    assert (policy.working_days, policy.estimated) == (15, True)
    policy.working_days = 10
    policy.save()
    rows = [{"region": "150000", "working_days": 15, "source": "文件", "estimated": True}]
    assert services.complaint_policies_load(rows) == (0, 0)
    assert ComplaintPolicy.objects.get(pk=policy.pk).working_days == 10
    assert services.complaint_policies_load(rows, overwrite=True) == (0, 1)
    assert ComplaintPolicy.objects.get(pk=policy.pk).working_days == 15
    with pytest.raises(ValidationError) as caught:
        services.complaint_policies_load([{"region": "nowhere", "working_days": 3, "source": "x"}])
    assert caught.value.messages == ["第 1 条：区划「nowhere」不存在"]


def test_a_complaint_is_listed_by_its_model_fields_for_the_annual_evaluation(cw):
    """The supervision helpers count substantiated complaints per department and agent
    from the model's own fields."""
    cw.concluded("substantiated")
    cw.concluded("unsubstantiated")
    counted = Complaint.objects.filter(
        finding__in=("substantiated", "partly"), subject_user=cw.agent
    ).count()
    assert counted == 1
