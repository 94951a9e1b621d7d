"""A consultation (咨询) turned into an application keeps its contact person and phone: the
page fills them in, the API and the service carry them to the enterprise (when new) and to
the commission (always), and the documents print them."""

import io

import pytest
from django.urls import reverse
from docx import Document

from bangban.projects import services
from bangban.projects.exports import commission_document
from bangban.projects.models import Commission, Consultation, Enterprise

from .factories import (
    AgentFactory,
    ConsultationFactory,
    EnterpriseFactory,
    make_credit_code,
    region,
)
from .test_commission_pages import form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("王先生 13900000000", ("王先生", "13900000000")),
        ("联系人：李女士，电话 0477-8581234", ("李女士", "0477-8581234")),
        ("张三 +86 139 0000 1111", ("张三", "13900001111")),
        ("赵总/手机:138-1234-5678", ("赵总", "13812345678")),
        ("马先生 139****0000", ("马先生", "")),  # masked: no number to call
        ("", ("", "")),
    ],
)
def test_the_contact_is_read_as_people_type_it(text, parts):
    assert Consultation(contact=text).contact_parts() == parts


def test_the_convert_page_fills_in_the_contact_and_the_commission_keeps_it(client):
    agent = AgentFactory()
    consultation = ConsultationFactory(contact="王先生 13900000000", recorded_by=agent)
    client.force_login(agent)
    url = reverse("projects:consultation_convert", args=[consultation.pk])
    page = client.get(url).content.decode()
    assert 'value="王先生"' in page and 'value="13900000000"' in page
    data = form_data(
        **{
            "enterprise-name": consultation.enterprise_name,
            "enterprise-contact_name": "王先生",
            "enterprise-contact_mobile": "13900000000",
        }
    )
    response = client.post(url, data, follow=True)
    commission = Commission.objects.get()
    assert response.redirect_chain[-1][0].endswith(f"/commissions/{commission.pk}/")
    assert (commission.channel, commission.contact_name, commission.contact_phone) == (
        "consultation",
        "王先生",
        "13900000000",
    )
    enterprise = commission.project.enterprise
    assert (enterprise.contact_name, enterprise.contact_mobile) == ("王先生", "13900000000")
    html = response.content.decode()
    assert "申请联系人" in html and "王先生 · 13900000000" in html
    _, content = commission_document(commission, "application")
    document = Document(io.BytesIO(content))
    cells = " ".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "王先生" in cells and "13900000000" in cells


def test_the_api_fills_a_new_enterprise_contact_from_the_consultation(client):
    agent = AgentFactory()
    consultation = ConsultationFactory(
        contact="联系人：李女士，电话 13712345678", recorded_by=agent
    )
    client.force_login(agent)
    payload = {
        "consultation_id": consultation.pk,
        "enterprise": {
            "name": "咨询转办测试有限公司",
            "credit_code": make_credit_code(770001),
            "legal_representative": "周一",
            "region": "150602",
        },
        "project": {"name": "咨询转办测试项目", "region": "150602"},
    }
    response = client.post("/api/v1/commissions/", payload, content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["channel"] == "consultation"
    assert body["contact"] == {"name": "李女士", "phone": "13712345678"}
    assert body["enterprise"]["contact_name"] == "李女士"
    assert body["enterprise"]["contact_mobile"] == "13712345678"
    # without a consultation the contact is still required, in Chinese
    payload.pop("consultation_id")
    payload["enterprise"]["credit_code"] = make_credit_code(770002)
    refused = client.post("/api/v1/commissions/", payload, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json() == {
        "enterprise": {
            "contact_name": ["请填写联系人。"],
            "contact_mobile": ["请填写联系人手机号码。"],
        }
    }


def test_a_registered_enterprise_keeps_its_data_and_the_commission_the_callers_contact(client):
    """The enterprise is used as it is registered; the application still names the caller."""
    agent = AgentFactory()
    registered = EnterpriseFactory(
        region=region(), contact_name="李四", contact_mobile="13611112222"
    )
    consultation = ConsultationFactory(contact="王先生 0477-8581234", recorded_by=agent)
    client.force_login(agent)
    response = client.post(
        "/api/v1/commissions/",
        {
            "consultation_id": consultation.pk,
            "enterprise_id": registered.pk,
            "project": {"name": "老企业新项目", "region": "150602"},
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["contact"] == {"name": "王先生", "phone": "0477-8581234"}
    registered.refresh_from_db()
    assert (registered.contact_name, registered.contact_mobile) == ("李四", "13611112222")


def test_the_service_carries_the_contact_and_an_application_without_one_takes_the_enterprises():
    agent = AgentFactory()
    consultation = ConsultationFactory(contact="王先生 13900000000", recorded_by=agent)
    registered = EnterpriseFactory(region=region())
    commission = services.consultation_convert(
        consultation=consultation,
        actor=agent,
        enterprise=registered,
        project_data={"name": "服务层转办项目", "region": region()},
    )
    assert (commission.contact_name, commission.contact_phone) == ("王先生", "13900000000")
    plain = services.commission_apply(
        actor=agent,
        channel=Commission.Channel.WINDOW,
        enterprise=registered,
        project_data={"name": "窗口项目", "region": region()},
    )
    assert (plain.contact_name, plain.contact_phone) == (
        registered.contact_name,
        registered.contact_mobile,
    )
    assert Enterprise.objects.count() == 1
