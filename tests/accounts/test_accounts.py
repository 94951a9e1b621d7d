import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from bangban.accounts.models import Role, User
from bangban.accounts.services import user_create
from bangban.organization.models import Department, Region
from bangban.web.management.commands.demo_data import DEMO_PASSWORD, DEMO_USERS

pytestmark = pytest.mark.django_db


def demo():
    call_command("demo_data", stdout=io.StringIO())


def test_demo_data_creates_a_user_for_every_role_and_is_idempotent():
    demo()
    demo()
    assert User.objects.filter(username__in=[u[0] for u in DEMO_USERS]).count() == len(DEMO_USERS)
    assert set(User.objects.values_list("role", flat=True)) >= set(Role.values)


def test_login_page_is_chinese_and_refuses_bad_credentials(client):
    demo()
    page = client.get("/accounts/login/").content.decode()
    assert "用户名" in page and "密码" in page
    response = client.post("/accounts/login/", {"username": "agent", "password": "nope"})
    assert "用户名或密码不正确" in response.content.decode()


def test_agent_logs_in_and_sees_the_workbench_then_logs_out(client):
    demo()
    response = client.post(
        "/accounts/login/", {"username": "agent", "password": DEMO_PASSWORD}, follow=True
    )
    text = response.content.decode()
    assert "代办帮办工作台" in text and "王帮办" in text
    client.post("/accounts/logout/")
    assert client.get("/accounts/workbench/").status_code == 302


def test_workbench_requires_login(client):
    response = client.get("/accounts/workbench/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_due_calculator_answers_and_flags_provisional_years(client):
    demo()
    client.login(username="agent", password=DEMO_PASSWORD)
    text = client.get("/accounts/workbench/due/?start=2026-09-30&days=5").content.decode()
    assert "2026-10-13" in text and "暂定" not in text
    assert "暂定" in client.get("/accounts/workbench/due/?start=2031-03-02&days=5").content.decode()
    assert (
        "请输入有效"
        in client.get("/accounts/workbench/due/?start=tomorrow&days=5").content.decode()
    )
    end_of_time = client.get("/accounts/workbench/due/?start=9999-12-31&days=1")
    assert end_of_time.status_code == 200
    assert "超出可计算的日期范围" in end_of_time.content.decode()


def test_staff_roles_need_a_department_and_passwords_follow_the_policy():
    region = Region.objects.get(key="150602")
    with pytest.raises(ValidationError) as exc:
        user_create(username="x1", password="Abcdef12!", role=Role.AGENT, region=region)
    assert "department" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        user_create(username="x2", password="abcdefgh", role=Role.ENTERPRISE, region=region)
    assert any("至少 3 类" in m for m in exc.value.messages)
    assert not User.objects.filter(username__in=["x1", "x2"]).exists()
    user = user_create(
        username="x3",
        password="Abcdef12!",
        role=Role.AGENT,
        region=region,
        department=Department.objects.get(key="dongsheng-bbdb"),
    )
    assert user.check_password("Abcdef12!")


def test_admin_can_manage_users(client):
    demo()
    # users are the platform operators' (the centre admin's group holds no user permission)
    client.login(username="platform", password=DEMO_PASSWORD)
    page = client.get("/admin/accounts/user/")
    assert page.status_code == 200 and "王帮办" in page.content.decode()
    assert (
        client.get(
            f"/admin/accounts/user/{User.objects.get(username='agent').pk}/change/"
        ).status_code
        == 200
    )
