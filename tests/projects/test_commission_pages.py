"""The intake pages: portal, window entry, consultations, sponsor push, commission detail
actions, the workbench by role, and messages."""

import re

import pytest
from django.urls import reverse

from bangban.accounts.models import Role
from bangban.notifications.models import Notification
from bangban.projects.models import Commission, Consultation, Enterprise, Project

from .factories import (
    AdminFactory,
    AgentFactory,
    CommissionFactory,
    ConsultationFactory,
    EnterpriseUserFactory,
    UserFactory,
    department,
    make_credit_code,
    region,
)

pytestmark = pytest.mark.django_db


def form_data(enterprise: Enterprise | None = None, **changes):
    data = {
        "enterprise-name": enterprise.name if enterprise else "窗口页面测试有限公司",
        "enterprise-credit_code": enterprise.credit_code
        if enterprise
        else make_credit_code(660001),
        "enterprise-legal_representative": "郑一",
        "enterprise-contact_name": "王二",
        "enterprise-contact_mobile": "13500001111",
        "enterprise-address": "东胜区",
        "enterprise-region": region().pk,
        "project-name": "页面测试厂房项目",
        "project-region": region().pk,
        "project-investment_type": "enterprise_filing",
        "project-industry_code": "C2651",
        "project-total_investment_wan": "3000",
        "project-land_source": "transfer",
        "project-land_area_ha": "5",
        "project-eia_category": "report_form",
        "project-is_key_project": "on",
        "scope-scope": "full",
    }
    for name in (
        "forest_land_ha",
        "grassland_ha",
        "energy_tce",
        "electricity_wan_kwh",
        "building_area_m2",
        "earthwork_m3",
    ):
        data[f"project-{name}"] = "0"
    data.update(changes)
    return data


def errors_next_to(html: str, field: str) -> list[str]:
    block = re.search(rf'id="field-{field}".*?</div>', html, re.S)
    assert block, field
    return re.findall(r"<li>(.*?)</li>", block.group(0))


def test_the_portal_form_shows_every_error_next_to_its_field_and_saves_nothing(client):
    user = EnterpriseUserFactory()
    client.force_login(user)
    assert "申请代办帮办服务" in client.get(reverse("projects:portal_apply")).content.decode()
    good = user.enterprise.credit_code
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    response = client.post(
        reverse("projects:portal_apply"),
        form_data(
            user.enterprise,
            **{
                "enterprise-credit_code": wrong,
                "enterprise-contact_mobile": "12345",
                "project-land_area_ha": "-2",
                "project-name": "",
                "scope-scope": "partial",
                "scope-scope_items": ["DS28", "NOPE1", "NOPE2"],
            },
        ),
    )
    html = response.content.decode()
    assert response.status_code == 200 and "申请未提交" in html
    assert "校验位错误" in errors_next_to(html, "enterprise-credit_code")[0]
    assert errors_next_to(html, "enterprise-contact_mobile")
    assert "不能为负数" in errors_next_to(html, "project-land_area_ha")[0]
    assert errors_next_to(html, "project-name")
    assert errors_next_to(html, "scope-scope_items") == [
        "事项编码 NOPE1、NOPE2 不在已发布的事项清单中。"
    ]
    assert not Project.objects.exists() and not Commission.objects.exists()
    user.enterprise.refresh_from_db()
    assert user.enterprise.credit_code == good

    response = client.post(
        reverse("projects:portal_apply"), form_data(user.enterprise), follow=True
    )
    commission = Commission.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "projects:commission_detail", args=[commission.pk]
    )
    html = response.content.decode()
    assert "申请已提交" in html and "已申请" in html
    assert commission.project.is_key_project and commission.project.land_area_ha == 5
    # the portal is the enterprise's workbench (one home): the old address redirects there
    portal = client.get(reverse("projects:portal"), follow=True)
    assert portal.redirect_chain == [(reverse("web:home"), 302)]
    assert "页面测试厂房项目" in portal.content.decode()


def test_window_staff_enter_an_application_for_an_enterprise(client):
    client.force_login(AgentFactory())
    response = client.post(reverse("projects:window_apply"), form_data(), follow=True)
    commission = Commission.objects.get()
    assert commission.channel == "window"
    assert commission.project.enterprise.name == "窗口页面测试有限公司"
    assert "申请已提交" in response.content.decode()


def test_a_region_without_routing_is_shown_next_to_the_region(client):
    client.force_login(AgentFactory())
    response = client.post(
        reverse("projects:window_apply"), form_data(**{"project-region": region("150621").pk})
    )
    assert "未配置牵头部门" in errors_next_to(response.content.decode(), "project-region")[0]
    assert not Enterprise.objects.exists()


def test_consultations_are_recorded_and_converted_on_the_pages(client):
    agent = AgentFactory()
    client.force_login(agent)
    response = client.post(
        reverse("projects:consultation_list"),
        {
            "c-channel": "hotline_12345",
            "c-topic": "用地咨询",
            "c-question": "出让用地流程？",
            "c-enterprise_name": "某某公司（筹）",
        },
        follow=True,
    )
    assert "咨询已登记" in response.content.decode()
    consultation = Consultation.objects.get()
    empty = client.post(reverse("projects:consultation_list"), {"c-channel": "window"})
    assert errors_next_to(empty.content.decode(), "c-topic")
    convert = reverse("projects:consultation_convert", args=[consultation.pk])
    page = client.get(convert).content.decode()
    assert "某某公司（筹）" in page and "咨询转代办申请" in page
    client.post(convert, form_data())
    consultation.refresh_from_db()
    assert consultation.converted_commission.channel == "consultation"
    listing = client.get(reverse("projects:consultation_list")).content.decode()
    assert consultation.converted_commission.number in listing


def test_the_sponsor_pushes_and_follows_its_projects(client):
    sponsor = UserFactory(
        role=Role.SPONSOR, region=region("ordos-hitech"), department=department("ordos-hitech-xny")
    )
    client.force_login(sponsor)
    data = form_data(
        **{
            "project-region": region("ordos-hitech").pk,
            "enterprise-region": region("ordos-hitech").pk,
        }
    )
    client.post(reverse("projects:sponsor_push"), data)
    commission = Commission.objects.get()
    assert commission.channel == "sponsor" and commission.project.sponsor == sponsor
    html = client.get(reverse("projects:sponsor_home")).content.decode()
    assert "页面测试厂房项目" in html and "已申请" in html


def test_the_detail_page_offers_the_actions_of_the_role_and_reports_a_stale_version(client):
    admin, agent, user = AdminFactory(), AgentFactory(mobile="13900000003"), EnterpriseUserFactory()
    commission = CommissionFactory(
        # not industrial: verified at once (an industrial project waits for the agent's
        # confirmation while the policy catalog is incomplete, docs/eligibility.md)
        project__enterprise=user.enterprise,
        project__industry_code="H6110",
    )
    detail = reverse("projects:commission_detail", args=[commission.pk])
    client.force_login(admin)
    html = client.get(detail).content.decode()
    assert "指派代办帮办员" in html and "推荐" in html
    client.post(
        reverse("projects:commission_action", args=[commission.pk, "assign"]),
        {"version": 1, "a-agent": agent.pk},
    )
    commission.refresh_from_db()
    assert commission.agent == agent
    stale = client.post(
        reverse("projects:commission_action", args=[commission.pk, "assign"]),
        {"version": 1},
        follow=True,
    )
    assert "该委托已被他人修改，请刷新后重试。" in stale.content.decode()
    client.force_login(agent)
    response = client.post(
        reverse("projects:commission_action", args=[commission.pk, "verify"]),
        {"version": 2, "v-is_new_capacity": "1", "v-in_industrial_park": "on"},
        follow=True,
    )
    assert "核实通过" in response.content.decode()
    client.force_login(user)
    html = client.get(detail).content.decode()
    assert "在线确认授权委托书" in html and "在线确认承诺书" in html
    client.post(
        reverse("projects:commission_action", args=[commission.pk, "confirm-authorization"]),
        {"version": 3},
    )
    response = client.post(
        reverse("projects:commission_action", args=[commission.pk, "confirm-commitment"]),
        {"version": 4, "next": reverse("web:home")},
        follow=True,
    )
    assert "双方已签约" in response.content.decode()
    commission.refresh_from_db()
    assert commission.state == "agreed"
    assert "已签约" in client.get(detail).content.decode()


def test_an_illegal_action_on_the_page_is_a_message_and_changes_nothing(client):
    agent = AgentFactory()
    commission = CommissionFactory(agent=agent)
    client.force_login(agent)
    response = client.post(
        reverse("projects:commission_action", args=[commission.pk, "agree"]),
        {"version": 1},
        follow=True,
    )
    assert "当前状态「已申请」不能执行「签约」。" in response.content.decode()
    missing = client.post(
        reverse("projects:commission_action", args=[commission.pk, "agree"]), {}, follow=True
    )
    assert "缺少版本号" in missing.content.decode()
    commission.refresh_from_db()
    assert commission.version == 1


def test_the_workbench_shows_each_role_its_work_and_the_calculator_is_a_tool(client):
    admin, agent = AdminFactory(), AgentFactory(username="wb-agent")
    mine = CommissionFactory(agent=agent, state="verified", project__name="我的在办项目")
    new = CommissionFactory(project__name="新申请项目")
    client.force_login(agent)
    html = client.get(reverse("web:home")).content.decode()
    assert "代办帮办工作台" in html and "我的在办项目" in html and "新申请项目" in html
    # the deadline calculator moved from the workbench to the tools page (menu 「工具」)
    assert "认领" in html and "办理时限计算" not in html
    assert f'href="{reverse("web:tools")}"' in html
    assert "办理时限计算" in client.get(reverse("web:tools")).content.decode()
    client.post(reverse("projects:commission_action", args=[new.pk, "assign"]), {"version": 1})
    new.refresh_from_db()
    assert new.agent == agent
    waiting = CommissionFactory(project__name="待指派项目")
    client.force_login(admin)
    html = client.get(reverse("web:home")).content.decode()
    assert "待指派代办员的申请" in html and "按负荷指派" in html
    unassigned = html.split("待指派代办员的申请")[1].split("</section>")[0]
    assert waiting.number in unassigned and mine.number not in unassigned


def test_messages_are_listed_and_marked_read(client):
    agent = AgentFactory()
    commission = CommissionFactory(agent=agent)
    from bangban.notifications.services import notify

    notify(event_key="t1", subject="请核实新申请", users=[agent], commission=commission)
    notify(event_key="t2", subject="部门消息", departments=[agent.department])
    client.force_login(agent)
    html = client.get(reverse("web:home")).content.decode()
    assert "请核实新申请" in html and "2 条未读" in html
    page = client.get(reverse("web:messages")).content.decode()
    assert "部门消息" in page
    client.post(reverse("web:messages"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_the_menu_follows_the_role(client):
    client.force_login(EnterpriseUserFactory())
    html = client.get(reverse("web:home")).content.decode()
    assert "企业服务台" in html and "消息" in html and "窗口登记" not in html
    client.force_login(AgentFactory())
    html = client.get(reverse("web:home")).content.decode()
    assert "窗口登记" in html and "咨询" in html


def test_documents_download_from_the_page_and_missing_ones_explain_why(client):
    agent = AgentFactory()
    commission = CommissionFactory(agent=agent)
    client.force_login(agent)
    ok = client.get(reverse("projects:commission_document", args=[commission.pk, "application"]))
    assert ok.status_code == 200 and "attachment" in ok["Content-Disposition"]
    early = client.get(
        reverse("projects:commission_document", args=[commission.pk, "authorization"]), follow=True
    )
    assert "核实通过后才能生成" in early.content.decode()


def test_a_consultation_on_another_region_is_404(client):
    consultation = ConsultationFactory(region=region("ordos-hitech"))
    client.force_login(AgentFactory())
    url = reverse("projects:consultation_convert", args=[consultation.pk])
    assert client.get(url).status_code == 404


def test_the_admin_shows_commissions_and_consultations_read_only(client):
    admin = AdminFactory(is_staff=True, is_superuser=True)
    commission = CommissionFactory()
    ConsultationFactory()
    client.force_login(admin)
    assert client.get("/admin/projects/commission/").status_code == 200
    page = client.get(f"/admin/projects/commission/{commission.pk}/change/")
    assert page.status_code == 200 and "保存" not in page.content.decode()
    assert client.get("/admin/projects/consultation/").status_code == 200
    assert client.get("/admin/notifications/notification/").status_code == 200
