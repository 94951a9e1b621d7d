"""Applications: portal, window, consultation and their validation (nothing half-saved)."""

import pytest
from django.core.exceptions import ValidationError

from bangban.accounts.models import Role
from bangban.notifications.models import Notification
from bangban.organization.models import Department
from bangban.projects import services
from bangban.projects.exceptions import ActionForbidden
from bangban.projects.models import (
    Commission,
    CommissionTransition,
    Consultation,
    Enterprise,
    Project,
)

from .factories import (
    AgentFactory,
    ConsultationFactory,
    DongshengProjectFactory,
    EnterpriseFactory,
    EnterpriseUserFactory,
    department,
    make_credit_code,
    region,
)

pytestmark = pytest.mark.django_db


def counts():
    return (
        Enterprise.objects.count(),
        Project.objects.count(),
        Commission.objects.count(),
        CommissionTransition.objects.count(),
        Notification.objects.count(),
    )


def enterprise_data(**changes):
    data = {
        "name": "鄂尔多斯窗口测试有限公司",
        "credit_code": make_credit_code(777001),
        "legal_representative": "张三",
        "contact_name": "李四",
        "contact_mobile": "13900001111",
        "address": "东胜区",
        "region": region(),
    }
    return data | changes


def project_data(**changes):
    return {"name": "新建厂房项目", "region": region(), "total_investment_wan": 2000} | changes


def test_an_enterprise_user_applies_on_the_portal(on_commit):
    user = EnterpriseUserFactory()
    with on_commit():
        commission = services.commission_apply(
            actor=user,
            channel=Commission.Channel.PORTAL,
            project_data=project_data(land_source="transfer", land_area_ha=3),
            enterprise_data={"contact_name": "王五"},
        )
    assert commission.state == "applied" and commission.version == 1
    assert commission.project.enterprise == user.enterprise
    assert commission.lead_department == department("dongsheng-bbdb")
    assert commission.created_by == user and commission.channel == "portal"
    user.enterprise.refresh_from_db()
    assert user.enterprise.contact_name == "王五"
    row = commission.transitions.get()
    assert (row.from_state, row.to_state, row.action) == ("", "applied", "apply")
    note = Notification.objects.get()
    assert note.recipient_department == department("dongsheng-bbdb")
    assert note.subject.startswith("新的代办帮办申请")


def test_a_bad_credit_code_and_a_bad_area_are_named_and_nothing_is_saved():
    user = EnterpriseUserFactory()
    old_code = user.enterprise.credit_code
    wrong = old_code[:-1] + ("0" if old_code[-1] != "0" else "1")
    before = counts()
    with pytest.raises(ValidationError) as info:
        services.commission_apply(
            actor=user,
            channel=Commission.Channel.PORTAL,
            enterprise_data={"credit_code": wrong},
            project_data=project_data(land_area_ha=-1, land_source="transfer"),
        )
    errors = info.value.message_dict
    assert "校验位错误" in errors["enterprise.credit_code"][0]
    assert errors["project.land_area_ha"][0] == "用地面积（公顷）不能为负数。"
    assert counts() == before
    user.enterprise.refresh_from_db()
    assert user.enterprise.credit_code == old_code


def test_a_region_without_a_lead_department_is_refused():
    user = EnterpriseUserFactory()  # an enterprise applies wherever it builds
    before = counts()
    with pytest.raises(ValidationError) as info:
        services.commission_apply(
            actor=user,
            channel=Commission.Channel.PORTAL,
            project_data=project_data(region=region("150621")),  # 达拉特旗: no routing
        )
    assert "未配置牵头部门" in info.value.message_dict["project.region"][0]
    assert counts() == before


def test_window_staff_cannot_apply_for_a_project_of_another_region():
    """东胜区's window does not register what 高新区 leads: it would not see it afterwards."""
    agent = AgentFactory()
    before = counts()
    with pytest.raises(ValidationError) as info:
        services.commission_apply(
            actor=agent,
            channel=Commission.Channel.WINDOW,
            enterprise_data=enterprise_data(),
            project_data=project_data(region=region("ordos-hitech")),
        )
    assert info.value.message_dict == {
        "project.region": ["项目建设地点应在您所在区划（东胜区）内，不能为其他区划的项目登记申请。"]
    }
    assert counts() == before


def test_window_staff_reuse_a_registered_enterprise_by_credit_code():
    agent = AgentFactory()
    existing = EnterpriseFactory(region=region())
    commission = services.commission_apply(
        actor=agent,
        channel=Commission.Channel.WINDOW,
        enterprise_data=enterprise_data(credit_code=existing.credit_code.lower(), name="别的名字"),
        project_data=project_data(),
    )
    assert commission.project.enterprise == existing
    existing.refresh_from_db()
    assert existing.name != "别的名字"  # the registered data is not overwritten


def test_window_staff_create_a_new_enterprise():
    agent = AgentFactory()
    commission = services.commission_apply(
        actor=agent,
        channel=Commission.Channel.WINDOW,
        enterprise_data=enterprise_data(),
        project_data=project_data(),
    )
    assert commission.project.enterprise.name == "鄂尔多斯窗口测试有限公司"
    assert commission.channel == "window"


def test_partial_scope_needs_stages_or_known_items():
    agent = AgentFactory()
    before = counts()
    with pytest.raises(ValidationError) as info:
        services.commission_apply(
            actor=agent,
            channel=Commission.Channel.WINDOW,
            enterprise_data=enterprise_data(),
            project_data=project_data(),
            scope="partial",
        )
    assert info.value.message_dict["scope"] == ["部分代办须至少选择一个阶段或一个事项。"]
    with pytest.raises(ValidationError) as info:
        services.commission_apply(
            actor=agent,
            channel=Commission.Channel.WINDOW,
            enterprise_data=enterprise_data(),
            project_data=project_data(),
            scope="partial",
            scope_items=["DS28", "XX99"],
        )
    assert info.value.message_dict["scope_items"] == ["事项编码 XX99 不在已发布的事项清单中。"]
    assert counts() == before
    commission = services.commission_apply(
        actor=agent,
        channel=Commission.Channel.WINDOW,
        enterprise_data=enterprise_data(),
        project_data=project_data(),
        scope="partial",
        scope_stages=["construction"],
        scope_items=["ds28"],
    )
    assert commission.scope_stages == ["construction"] and commission.scope_items == ["DS28"]


def test_roles_and_channels_are_checked():
    user = EnterpriseUserFactory()
    officer = AgentFactory(role=Role.DEPT_OFFICER, department=department("dongsheng-zjj"))
    before = counts()
    with pytest.raises(ActionForbidden):
        services.commission_apply(
            actor=user,
            channel=Commission.Channel.WINDOW,
            project_data=project_data(),
        )
    with pytest.raises(ActionForbidden):
        services.commission_apply(
            actor=officer,
            channel=Commission.Channel.WINDOW,
            enterprise_data=enterprise_data(),
            project_data=project_data(),
        )
    assert counts() == before


def test_an_enterprise_cannot_apply_for_another_enterprises_project():
    project = DongshengProjectFactory()
    with pytest.raises(ActionForbidden):
        services.commission_apply(
            actor=EnterpriseUserFactory(), channel=Commission.Channel.PORTAL, project=project
        )


def test_one_open_commission_per_project():
    agent = AgentFactory()
    project = DongshengProjectFactory()
    first = services.commission_apply(
        actor=agent, channel=Commission.Channel.WINDOW, project=project
    )
    with pytest.raises(ValidationError) as info:
        services.commission_apply(actor=agent, channel=Commission.Channel.WINDOW, project=project)
    assert first.number in info.value.message_dict["project"][0]


def test_a_consultation_is_recorded_and_converted_into_an_application():
    agent = AgentFactory()
    consultation = services.consultation_record(
        actor=agent,
        channel=Consultation.Channel.HOTLINE_12345,
        topic="备案咨询",
        question="企业投资项目备案需要什么材料？",
        enterprise_name="某某新能源有限公司（筹）",
    )
    assert consultation.region == agent.region and consultation.recorded_by == agent
    commission = services.consultation_convert(
        consultation=consultation,
        actor=agent,
        enterprise_data=enterprise_data(name="某某新能源有限公司"),
        project_data=project_data(),
    )
    consultation.refresh_from_db()
    assert consultation.converted_commission == commission
    assert commission.channel == "consultation"
    with pytest.raises(ValidationError) as info:
        services.consultation_convert(
            consultation=consultation,
            actor=agent,
            enterprise_data=enterprise_data(),
            project_data=project_data(name="另一个"),
        )
    assert info.value.message_dict["consultation"] == ["该咨询已转为代办委托。"]


def test_a_consultation_needs_a_topic_and_a_question_and_staff():
    agent = AgentFactory()
    with pytest.raises(ValidationError) as info:
        services.consultation_record(actor=agent, channel="window", topic=" ", question="")
    assert set(info.value.message_dict) == {"topic", "question"}
    with pytest.raises(ActionForbidden):
        services.consultation_record(
            actor=EnterpriseUserFactory(), channel="window", topic="x", question="y"
        )
    with pytest.raises(ValidationError) as info:
        services.consultation_record(actor=agent, channel="mail", topic="x", question="y")
    assert "channel" in info.value.message_dict
    assert Consultation.objects.count() == 0
    ConsultationFactory()  # the factory makes a valid one
    assert Consultation.objects.count() == 1


def test_lead_department_follows_routing_of_the_zone():
    agent = AgentFactory(region=region("ordos-hitech"), department=department("ordos-hitech-zwfw"))
    commission = services.commission_apply(
        actor=agent,
        channel=Commission.Channel.WINDOW,
        enterprise_data=enterprise_data(),
        project_data=project_data(region=region("ordos-hitech")),
    )
    assert commission.lead_department == Department.objects.get(key="ordos-hitech-fgj")


def test_an_enterprise_user_cannot_rewrite_its_registration_in_an_application():
    user = EnterpriseUserFactory()
    enterprise = user.enterprise
    before = (enterprise.name, enterprise.credit_code, enterprise.address, counts())
    other_code = make_credit_code(977)
    with pytest.raises(ValidationError) as info:
        services.commission_apply(
            actor=user,
            channel=Commission.Channel.PORTAL,
            enterprise_data={"credit_code": other_code, "name": "被改名的企业", "address": ""},
            project_data=project_data(),
        )
    message = info.value.message_dict["enterprise.credit_code"][0]
    assert "企业名称、统一社会信用代码是企业的登记信息，不能在申请中修改" in message
    enterprise.refresh_from_db()
    assert (enterprise.name, enterprise.credit_code, enterprise.address, counts()) == before
    # Contacts may be updated, and an empty field does not blank what is there.
    services.commission_apply(
        actor=user,
        channel=Commission.Channel.PORTAL,
        enterprise_data={"contact_mobile": "13912345678", "address": "", "name": enterprise.name},
        project_data=project_data(),
    )
    enterprise.refresh_from_db()
    assert enterprise.contact_mobile == "13912345678" and enterprise.address == before[2]
