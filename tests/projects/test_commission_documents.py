"""The Word forms filled from a commission: open them and read what they say."""

import io

import docx
import pytest
from django.urls import reverse

from bangban.projects import services
from bangban.projects.exports import DocumentUnavailable, commission_document, documents_for

from .factories import (
    AgentFactory,
    CommissionFactory,
    DongshengProjectFactory,
    EnterpriseUserFactory,
)

pytestmark = pytest.mark.django_db


def text_of(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


@pytest.fixture
def agreed():
    agent = AgentFactory(display_name="王帮办", mobile="13900000004")
    user = EnterpriseUserFactory(enterprise__name="鄂尔多斯文书测试有限公司")
    commission = CommissionFactory(
        project=DongshengProjectFactory(
            name="年产2万吨新材料项目", enterprise=user.enterprise, industry_code="C2651"
        ),
        scope="partial",
        scope_stages=["construction"],
        scope_items=["DS28", "DS25"],
        state="verified",
        agent=agent,
    )
    services.commission_confirm_authorization(commission=commission, user=user)
    services.commission_confirm_commitment(commission=commission, user=user)
    return commission


@pytest.mark.parametrize("kind", ["application", "authorization", "commitment"])
def test_the_forms_name_the_enterprise_the_project_and_the_items_in_scope(agreed, kind):
    filename, content = commission_document(agreed, kind)
    assert filename.startswith(agreed.number) and filename.endswith(".docx")
    text = text_of(content)
    enterprise = agreed.project.enterprise
    assert enterprise.name in text and enterprise.credit_code in text
    assert "年产2万吨新材料项目" in text
    if kind != "commitment":
        assert "建筑工程施工许可证核发" in text and "建设工程消防设计审查" in text
    if kind == "authorization":
        assert "王帮办" in text


def test_a_refused_commission_has_a_refusal_notice_naming_the_catalog_entry():
    agent = AgentFactory()
    commission = CommissionFactory(
        project=DongshengProjectFactory(name="新建年产10万吨电石项目", industry_code="C2619"),
        agent=agent,
    )
    services.commission_verify(
        commission=commission, actor=agent, is_new_capacity=True, entries_checked=True
    )
    assert commission.state == "refused"
    assert "refusal" in [d.slug for d in documents_for(commission)]
    text = text_of(commission_document(commission, "refusal")[1])
    assert "不予办理告知书" in text and "电石" in text
    assert commission.project.enterprise.credit_code in text
    assert "待核实" not in text


def test_a_terminated_commission_has_a_termination_slip(agreed):
    services.commission_terminate(
        commission=agreed, actor=agreed.agent, reason_category="law_or_policy", note="规划调整"
    )
    text = text_of(commission_document(agreed, "termination")[1])
    assert "终止" in text and "规划调整" in text


def test_documents_not_yet_available_say_why():
    commission = CommissionFactory()
    with pytest.raises(DocumentUnavailable) as info:
        commission_document(commission, "authorization")
    assert info.value.message == "项目核实通过后才能生成该文书。"
    with pytest.raises(DocumentUnavailable):
        commission_document(commission, "nonsense")
    assert [d.slug for d in documents_for(commission)] == ["application"]


def test_the_enterprise_downloads_its_letters_from_the_portal(client, agreed):
    user = agreed.project.enterprise.users.get()
    client.force_login(user)
    portal = client.get(reverse("projects:portal"), follow=True).content.decode()
    assert "服务授权委托书（Word）" in portal
    response = client.get(
        reverse("projects:commission_document", args=[agreed.pk, "authorization"])
    )
    assert response.status_code == 200
    assert "在线确认" in text_of(response.content) or user.enterprise.name in text_of(
        response.content
    )
