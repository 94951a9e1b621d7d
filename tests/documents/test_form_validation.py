"""A form with an empty required field is refused with a Chinese message naming the field."""

import dataclasses
import datetime as dt

import pytest

from bangban.documents.data import RefusalDecision, Scope
from bangban.documents.renderers import (
    FormDataError,
    render_authorization_letter,
    render_commitment_letter,
    render_completion_slip,
    render_evaluation_form,
    render_refusal_notice,
    render_service_application,
    render_task_order,
    render_termination_slip,
)
from tests.documents import samples

E, P, A = samples.ENTERPRISE, samples.PROJECT, samples.AGENT

MISSING = [
    (
        render_service_application,
        samples.application(enterprise=dataclasses.replace(E, credit_code="")),
        "申请单位统一社会信用代码",
    ),
    (
        render_service_application,
        samples.application(enterprise=dataclasses.replace(E, contact_mobile="  ")),
        "联系人手机号码",
    ),
    (render_service_application, samples.application(application_date=None), "申请日期"),
    (
        render_service_application,
        samples.application(scope=Scope(full=False)),
        "部分代办须列明代办阶段或事项",
    ),
    (
        render_authorization_letter,
        samples.authorization(agent=dataclasses.replace(A, name="")),
        "代办帮办员姓名",
    ),
    (render_authorization_letter, samples.authorization(valid_to=None), "委托期限截止日期"),
    (
        render_authorization_letter,
        samples.authorization(enterprise=dataclasses.replace(E, legal_representative="")),
        "委托方法定代表人",
    ),
    (
        render_commitment_letter,
        samples.commitment(project=dataclasses.replace(P, name="")),
        "项目名称",
    ),
    (
        render_commitment_letter,
        samples.commitment(
            deferred_materials=(
                dataclasses.replace(samples.commitment().deferred_materials[0], due=None),
            )
        ),
        "第1项容缺材料补齐期限",
    ),
    (render_refusal_notice, samples.refusal(reasons=()), "不予办理的理由"),
    (render_refusal_notice, samples.refusal(basis=()), "法律政策依据"),
    (render_refusal_notice, samples.refusal(number=""), "告知书编号"),
    (render_refusal_notice, samples.refusal(review_body=""), "复核受理单位"),
    (
        render_refusal_notice,
        samples.refusal(decision=RefusalDecision.ACCEPTANCE, item_name="企业投资项目备案"),
        "行政复议机关",
    ),
    (render_completion_slip, samples.completion(items=()), "办结事项"),
    (render_completion_slip, samples.completion(completed_on=None), "办结日期"),
    (render_termination_slip, samples.termination(details=""), "终止原因具体情况"),
    (render_termination_slip, samples.termination(reason=None), "终止原因"),
    (
        render_evaluation_form,
        samples.evaluation(enterprise=dataclasses.replace(E, name="")),
        "项目单位名称",
    ),
    (render_task_order, samples.task_order(items=()), "任务事项"),
    (render_task_order, samples.task_order(issuer=""), "派单单位"),
    (
        render_task_order,
        samples.task_order(
            errand_company=dataclasses.replace(samples.task_order().errand_company, name="")
        ),
        "承接单位名称",
    ),
]


@pytest.mark.parametrize(
    ("render", "data", "field"), MISSING, ids=[field for _, _, field in MISSING]
)
def test_missing_required_field_is_named_in_chinese(render, data, field):
    with pytest.raises(ValueError, match=field) as caught:
        render(data)
    assert isinstance(caught.value, FormDataError)
    assert str(caught.value).startswith("无法生成《")
    assert "缺少必填项" in str(caught.value)


def test_every_missing_field_is_reported_at_once():
    data = samples.application(
        enterprise=dataclasses.replace(E, name=""), project=dataclasses.replace(P, name="")
    )
    with pytest.raises(FormDataError) as caught:
        render_service_application(data)
    assert caught.value.missing == ("申请单位名称", "项目名称")
    assert "申请单位名称、项目名称" in str(caught.value)
    assert "稀土高新区“蒙速办·帮您办”服务申请表" in str(caught.value)


def test_authorization_term_must_not_end_before_it_starts():
    data = samples.authorization(valid_to=dt.date(2026, 11, 1))
    with pytest.raises(ValueError, match="委托期限截止日期早于起始日期"):
        render_authorization_letter(data)


def test_task_order_deadline_must_not_precede_issue():
    data = samples.task_order(deadline=dt.date(2026, 11, 1))
    with pytest.raises(ValueError, match="完成时限早于派单日期"):
        render_task_order(data)


def test_acceptance_refusal_needs_item_reconsideration_body_and_court():
    data = samples.refusal(decision=RefusalDecision.ACCEPTANCE)
    with pytest.raises(FormDataError) as caught:
        render_refusal_notice(data)
    assert set(caught.value.missing) == {"申请事项名称", "行政复议机关", "行政诉讼管辖法院"}


def test_online_confirmation_needs_who():
    confirmation = dataclasses.replace(samples.authorization().online_confirmation, confirmed_by="")
    with pytest.raises(ValueError, match="在线确认人"):
        render_authorization_letter(samples.authorization(online_confirmation=confirmation))


def test_an_unknown_choice_is_refused():
    with pytest.raises(FormDataError, match="申请渠道“fax”无效"):
        render_service_application(samples.application(channel="fax"))
    with pytest.raises(FormDataError, match="处理决定“maybe”无效"):
        render_refusal_notice(samples.refusal(decision="maybe"))


def test_enumeration_values_from_the_database_are_accepted():
    """The model layer may hand over the stored string rather than the enumeration member."""
    render_service_application(samples.application(channel="hotline"))
    render_termination_slip(samples.termination(reason="conditions_lost"))
