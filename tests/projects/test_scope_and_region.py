"""The application form: a partial scope is picked from the published catalog's items
(checkboxes grouped by stage), the API keeps taking codes; a region without 代办帮办 service
is refused on the region field — on the page and in the API — before anything is saved."""

import re

import pytest
from django.urls import reverse

from bangban.catalog.models import Stage
from bangban.catalog.selectors import item_list_published
from bangban.organization.models import Department, RoutingRule
from bangban.projects.models import Commission, Enterprise, Project

from .factories import (
    AdminFactory,
    AgentFactory,
    EnterpriseUserFactory,
    UserFactory,
    department,
    region,
)
from .test_commission_api import window_payload
from .test_commission_pages import errors_next_to, form_data

pytestmark = pytest.mark.django_db

NO_SERVICE = "该建设地点暂未开通代办帮办服务（未配置牵头部门），请联系政务服务中心。"


def post_json(client, url, data):
    return client.post(url, data, content_type="application/json")


# --- partial scope: picked from the item list ------------------------------------------------


def test_the_form_lists_the_published_items_as_checkboxes_grouped_by_stage(client):
    client.force_login(AgentFactory())
    html = client.get(reverse("projects:window_apply")).content.decode()
    items = list(item_list_published())
    assert len(items) > 30
    boxes = re.findall(r'<input type="checkbox" name="scope-scope_items" value="([^"]+)"', html)
    assert sorted(boxes) == sorted(item.code for item in items)
    assert 'name="scope-scope_items" type="text"' not in html  # no typing codes any more
    summaries = re.findall(r"<summary>(\S+) <span", html)
    stages = [label for value, label in Stage.choices if any(i.stage == value for i in items)]
    assert summaries == stages
    ds28 = next(item for item in items if item.code == "DS28")
    assert f"{ds28.name}（DS28）" in html
    # DS28 is listed under its own stage
    group = html.split(f"<summary>{ds28.get_stage_display()} ")[1].split("</details>")[0]
    assert 'value="DS28"' in group


def test_checked_items_become_the_commissions_scope(client):
    client.force_login(AgentFactory())
    response = client.post(
        reverse("projects:window_apply"),
        form_data(
            **{
                "scope-scope": "partial",
                "scope-scope_stages": ["completion"],
                "scope-scope_items": ["DS01", "DS28"],
            }
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    commission = Commission.objects.get()
    assert commission.scope == "partial"
    assert commission.scope_items == ["DS01", "DS28"]
    assert commission.scope_stages == ["completion"]
    detail = client.get(response["Location"]).content.decode()
    assert "竣工验收；事项 企业投资项目备案（DS01）、建筑工程施工许可证核发（DS28）" in detail
    # the form comes back with the boxes still checked after an error elsewhere
    again = client.post(
        reverse("projects:window_apply"),
        form_data(**{"project-name": "", "scope-scope": "partial", "scope-scope_items": ["DS28"]}),
    ).content.decode()
    assert re.search(r'value="DS28"[^>]*checked', again)
    assert "已选 <b>1</b> 项" in again


def test_the_api_takes_codes_and_names_every_unknown_one(client):
    client.force_login(AgentFactory())
    payload = window_payload(scope="partial", scope_items=["ds28", "NOPE1", "NOPE2"])
    response = post_json(client, "/api/v1/commissions/", payload)
    assert response.status_code == 400
    assert response.json() == {"scope_items": ["事项编码 NOPE1、NOPE2 不在已发布的事项清单中。"]}
    assert not Commission.objects.exists() and not Enterprise.objects.exists()
    payload = window_payload(scope="partial", scope_items=["ds28", "DS01"])
    response = post_json(client, "/api/v1/commissions/", payload)
    assert response.status_code == 201, response.json()
    assert response.json()["scope_items"] == ["DS28", "DS01"]


# --- a region without 代办帮办 service ------------------------------------------------------


def test_the_region_list_says_where_there_is_no_service(client):
    client.force_login(AgentFactory())
    html = client.get(reverse("projects:window_apply")).content.decode()
    project_select = html.split('name="project-region"')[1].split("</select>")[0]
    assert ">鄂尔多斯市 · 东胜区</option>" in project_select  # 帮办代办室 leads there
    assert "鄂尔多斯市 · 康巴什区（暂未开通代办帮办服务）" in project_select
    enterprise_select = html.split('name="enterprise-region"')[1].split("</select>")[0]
    assert "暂未开通" not in enterprise_select  # an enterprise may sit anywhere


def test_the_page_refuses_such_a_region_on_the_field_with_the_other_errors(client):
    client.force_login(AgentFactory())
    response = client.post(
        reverse("projects:window_apply"),
        form_data(**{"project-region": region("150603").pk, "project-land_area_ha": "-1"}),
    )
    html = response.content.decode()
    assert response.status_code == 200 and "申请未提交" in html
    assert errors_next_to(html, "project-region") == [NO_SERVICE]
    assert "不能为负数" in errors_next_to(html, "project-land_area_ha")[0]
    assert not (Commission.objects.exists() or Project.objects.exists())
    assert not Enterprise.objects.exists()


def test_the_portal_refuses_it_too_and_saves_nothing(client):
    user = EnterpriseUserFactory()
    client.force_login(user)
    html = client.post(
        reverse("projects:portal_apply"),
        form_data(user.enterprise, **{"project-region": region("150603").pk}),
    ).content.decode()
    assert errors_next_to(html, "project-region") == [NO_SERVICE]
    assert not Project.objects.exists()


def test_the_api_answers_400_naming_the_region_and_saves_nothing(client):
    # a city's centre admin: 康巴什区 lies in its region, so only the missing service refuses
    client.force_login(AdminFactory(region=region("150600")))
    payload = window_payload()
    payload["project"]["region"] = "150603"  # 康巴什区: no routing rule up its tree
    response = post_json(client, "/api/v1/commissions/", payload)
    assert response.status_code == 400
    assert response.json() == {"project.region": [NO_SERVICE]}
    assert not (Commission.objects.exists() or Project.objects.exists())
    assert not Enterprise.objects.exists()


def test_a_lead_department_switched_off_is_no_service_either(client):
    Department.objects.filter(key="dongsheng-bbdb").update(is_active=False)
    assert RoutingRule.objects.filter(department__key="dongsheng-bbdb").exists()
    client.force_login(AgentFactory())
    response = post_json(client, "/api/v1/commissions/", window_payload())
    assert response.json() == {"project.region": [NO_SERVICE]}
    html = client.get(reverse("projects:window_apply")).content.decode()
    assert "鄂尔多斯市 · 东胜区（暂未开通代办帮办服务）" in html


def test_a_sponsor_leads_where_the_routing_has_no_department(client):
    """A sponsor's push falls back to the sponsor's department (谁引入、谁牵头)."""
    sponsor = UserFactory(
        role="sponsor", region=region("150600"), department=department("dongsheng-gxj")
    )
    client.force_login(sponsor)
    html = client.get(reverse("projects:sponsor_push")).content.decode()
    assert "暂未开通" not in html
    payload = window_payload()
    payload["project"]["region"] = "150603"
    response = post_json(client, "/api/v1/commissions/", payload)
    assert response.status_code == 201, response.json()
    assert response.json()["lead_department"]["key"] == "dongsheng-gxj"
