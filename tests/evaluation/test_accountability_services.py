"""Accountability records a supervisor makes: violation records and notices of criticism from
its own findings or from a substantiated complaint; refusals write nothing. And the notice of
criticism as a Word document: it opens and says the facts, or it is refused."""

import datetime as dt
import io

import docx
import pytest
from django.core.exceptions import ValidationError

from bangban.common.exceptions import ActionForbidden
from bangban.documents.data import CriticismNotice, ServiceCentre
from bangban.documents.renderers import FormDataError, render_criticism_notice
from bangban.evaluation.accountability_exports import (
    DocumentUnavailable,
    criticism_notice_document,
)
from bangban.evaluation.models import AccountabilityRecord
from tests.projects.factories import department

from .complaints_world import make_world, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(db):
    return make_world()


def refused(exc_type, call):
    before = snapshot()
    with pytest.raises(exc_type) as caught:
        call()
    assert snapshot() == before
    return caught.value


def text_of(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    return "\n".join(p.text for p in document.paragraphs)


def test_a_supervisor_issues_a_notice_of_criticism(cw):
    record = cw.notice()
    assert (record.kind, record.source, record.category) == ("criticism", "supervision", "rudeness")
    assert (record.subject_user, record.subject_department) == (cw.colleague, cw.office)
    assert record.region.code == "150602"
    assert record.number == "东政服督〔2026〕7号"
    assert record.issued_by == cw.supervisor
    assert record.complaint is None


def test_a_violation_of_a_department_needs_no_number(cw):
    record = cw.notice(
        kind="violation",
        subject_user=None,
        subject_department=department("dongsheng-zjj").pk,
        number="",
        category="",
    )
    assert (record.kind, record.number, record.category) == ("violation", "", "")
    assert record.subject_department.key == "dongsheng-zjj"


def test_a_notice_about_a_substantiated_complaint_takes_its_facts_as_defaults(cw):
    complaint = cw.concluded("partly")
    record = cw.notice(source="complaint", complaint=complaint.pk, category="", subject_user=None)
    assert record.complaint == complaint
    assert (record.category, record.subject_user) == ("shirking", cw.agent)
    assert AccountabilityRecord.objects.filter(complaint=complaint).count() == 2  # + violation


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"kind": "warning"}, {"kind": ["请选择问责类型（违规记录或通报批评）。"]}),
        ({"source": "rumour"}, {"source": ["请选择问责来源（投诉查实或督查发现）。"]}),
        ({"number": ""}, {"number": ["通报批评须填写文号。"]}),
        ({"number": "号" * 61}, {"number": ["文号不能超过 60 个字。"]}),
        ({"facts": ""}, {"facts": ["请填写违规事实。"]}),
        ({"decision": "决" * 4001}, {"decision": ["处理决定不能超过 4000 个字。"]}),
        ({"category": "noise"}, {"category": ["请选择违规行为。"]}),
        ({"subject_user": None}, {"subject_user": ["请选择责任人员或责任部门。"]}),
        ({"occurred_on": dt.date(2099, 1, 1)}, {"occurred_on": ["发生日期不能晚于今天。"]}),
        ({"source": "complaint"}, {"complaint": ["依据投诉问责时请选择所依据的投诉。"]}),
        (
            {"complaint": 1},
            {"complaint": ["督查发现的问责不关联投诉；依据投诉问责请选择来源「投诉查实」。"]},
        ),
    ],
)
def test_record_refusals_write_nothing(cw, fields, errors):
    error = refused(ValidationError, lambda: cw.notice(**fields))
    assert error.message_dict == errors


def test_a_number_names_one_notice(cw):
    cw.notice()
    error = refused(ValidationError, lambda: cw.notice(subject_user=cw.agent))
    assert error.message_dict == {"number": ["文号「东政服督〔2026〕7号」已被其他通报批评使用。"]}
    # a violation record may carry the same reference
    assert cw.notice(kind="violation").number == "东政服督〔2026〕7号"


def test_only_a_closed_substantiated_complaint_is_a_source(cw):
    open_one = cw.assigned()
    unfounded = cw.concluded("unsubstantiated")
    for complaint in (open_one, unfounded):
        error = refused(
            ValidationError, lambda c=complaint: cw.notice(source="complaint", complaint=c.pk)
        )
        assert error.message_dict == {
            "complaint": ["所选投诉尚未办结，或核查结论不是属实、部分属实，不能据此问责。"]
        }


def test_a_record_about_another_region_is_refused(cw):
    error = refused(ValidationError, lambda: cw.notice(subject_user=cw.other_supervisor))
    assert error.message_dict == {
        "subject_user": ["所选被投诉人员不存在、已停用或不在您的管辖区划内。"]
    }


@pytest.mark.parametrize("who", ["admin", "leader", "agent", "officer", "enterprise"])
def test_only_a_supervisor_makes_records(cw, who):
    from bangban.evaluation.accountability_services import accountability_record_create

    error = refused(
        ActionForbidden,
        lambda: accountability_record_create(
            actor=getattr(cw, who),
            kind="violation",
            source="supervision",
            subject_user=cw.agent,
            facts="x",
            decision="y",
        ),
    )
    assert error.message == "只有督查人员可以作出问责记录。"


# --- the Word notice ------------------------------------------------------------------------


def test_the_notice_of_criticism_opens_and_states_the_facts(cw):
    record = cw.notice()
    filename, content = criticism_notice_document(record)
    assert filename == "东政服督〔2026〕7号-通报批评.docx"
    text = text_of(content)
    assert "关于对东胜区政务服务中心（帮办代办室）代办帮办员代办员李四的通报批评" in text
    assert "东政服督〔2026〕7号" in text
    assert "各部门、各代办帮办员：" in text
    assert "\n2026年11月5日，该代办员在窗口接待企业时语言生硬，斥责办事人员。\n" in text
    # the rule broken: 态度恶劣 of the six forbidden behaviours (Ordos)
    assert "代办帮办员“不态度恶劣、语言生硬，不斥责或者讥讽服务对象”的要求" in text
    assert "经研究，决定：对其予以通报批评，责令作出书面检查。" in text
    # issued by the region's government-service unit (routing), with its seal and the date
    assert text.count("东胜区政务服务中心（帮办代办室）") >= 2
    assert "（盖章）" in text


def test_a_notice_about_a_complaint_names_the_complaint(cw):
    complaint = cw.concluded("substantiated")
    record = cw.notice(
        source="complaint", complaint=complaint.pk, subject_user=None, category="", number="A1"
    )
    text = text_of(criticism_notice_document(record)[1])
    received = complaint.received_at.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    assert (
        f"根据{received.year}年{received.month}月{received.day}日收到的12345热线投诉，经核查，"
        in text
    )
    assert "“不推诿、不拖延委托办理的事项" in text


def test_a_violation_record_has_no_notice(cw):
    record = cw.notice(kind="violation")
    with pytest.raises(DocumentUnavailable) as caught:
        criticism_notice_document(record)
    assert caught.value.message == "只有通报批评可以生成通报文书。"


def test_the_renderer_refuses_missing_facts_and_placeholders():
    notice = CriticismNotice(
        centre=ServiceCentre(name="东胜区政务服务中心"),
        number="",
        issuer="东胜区政务服务中心",
        subject="代办员张三",
        facts="该代办员待核实",
        decision="",
        issued_on=dt.date(2026, 12, 1),
        behaviour="打瞌睡",
    )
    with pytest.raises(FormDataError) as caught:
        render_criticism_notice(notice)
    message = str(caught.value)
    assert message.startswith("无法生成《通报批评》，缺少必填项：文号、处理决定；")
    assert "违规行为“打瞌睡”无效" in message
    assert "待核实" in message
