"""Automatic capture: writes through services and the admin with old and new values, logins,
permission changes; secrets never recorded; no extra read per save."""

import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bangban.accounts.models import Role
from bangban.audit.context import audit_context
from bangban.audit.models import AuditRecord
from bangban.projects import services
from bangban.projects.models import Enterprise
from tests.projects.factories import (
    AgentFactory,
    CommissionFactory,
    DongshengProjectFactory,
    EnterpriseFactory,
    EnterpriseUserFactory,
    UserFactory,
    region,
)

from .helpers import verify

pytestmark = pytest.mark.django_db

PASSWORD = "Bangban@2026"  # tests/projects/factories.py


def records_since(mark: int, **filters):
    return list(AuditRecord.objects.filter(sequence__gt=mark, **filters).order_by("sequence"))


def last_sequence() -> int:
    last = AuditRecord.objects.order_by("-sequence").first()
    return last.sequence if last else 0


def test_a_service_write_is_recorded_with_old_and_new_values_and_its_actor():
    agent = AgentFactory()
    user = EnterpriseUserFactory()
    commission = CommissionFactory(
        project=DongshengProjectFactory(
            # not industrial: verified at once (an industrial one waits for the agent's
            # confirmation while the policy catalog is incomplete)
            name="城区商务酒店项目",
            industry_code="H6110",
            enterprise=user.enterprise,
        ),
        agent=agent,
    )
    mark = last_sequence()

    services.commission_verify(commission=commission, actor=agent, is_new_capacity=True)

    [record] = records_since(mark, object_type="projects.commission")
    assert record.action == "commission.update"
    assert record.object_id == str(commission.pk)
    assert record.changes["state"] == {"old": "applied", "new": "verified"}
    assert record.changes["version"] == {
        "old": commission.version - 1,
        "new": commission.version,
    }
    assert record.summary.startswith(f"修改代办委托（编号 {commission.pk}）：状态、")
    # called outside a request and without audit_context: no actor is known
    assert record.actor_id is None
    # the transition row is recorded as created, with its values
    [created] = records_since(mark, object_type="projects.commissiontransition")
    assert created.action == "commissiontransition.create"
    assert created.changes["to_state"] == {"new": "verified"}
    assert verify()[0]


def test_a_write_through_the_api_names_the_requests_user_and_address():
    agent = AgentFactory()
    commission = CommissionFactory(agent=agent, project__industry_code="H6110")
    client = Client(REMOTE_ADDR="10.20.30.40")
    client.force_login(agent)
    mark = last_sequence()

    response = client.post(
        f"/api/v1/commissions/{commission.pk}/verify/",
        {"version": commission.version, "is_new_capacity": True},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    [record] = records_since(mark, object_type="projects.commission")
    assert (record.actor_id, record.actor_username) == (agent.pk, agent.username)
    assert record.remote_addr == "10.20.30.40"
    assert record.changes["state"] == {"old": "applied", "new": "verified"}


def test_a_context_names_the_actor_and_the_action_of_the_writes_inside_it():
    admin = UserFactory(role=Role.CENTRE_ADMIN)
    mark = last_sequence()
    with audit_context(actor=admin, action="enterprise.import"):
        enterprise = EnterpriseFactory(name="鄂尔多斯市测试新材料有限公司")
    [record] = records_since(mark, object_type="projects.enterprise")
    assert record.action == "enterprise.import"
    assert (record.actor_id, record.actor_username) == (admin.pk, admin.username)
    assert record.changes["name"] == {"new": "鄂尔多斯市测试新材料有限公司"}
    assert record.object_id == str(enterprise.pk)


def test_a_field_edit_and_a_delete_are_recorded_a_save_without_change_is_not():
    enterprise = EnterpriseFactory(name="旧名称有限公司")
    loaded = Enterprise.objects.get(pk=enterprise.pk)
    mark = last_sequence()

    loaded.name = "新名称有限公司"
    loaded.save(update_fields=["name"])
    group = Group.objects.create(name="审计测试组")
    Group.objects.get(pk=group.pk).save()  # nothing changed: no record
    loaded.delete()

    edit, group_created, deleted = records_since(mark)
    assert edit.action == "enterprise.update"
    assert edit.changes == {"name": {"old": "旧名称有限公司", "new": "新名称有限公司"}}
    assert group_created.action == "group.create"
    assert deleted.action == "enterprise.delete"
    assert deleted.changes["name"] == {"old": "新名称有限公司"}
    assert deleted.object_id == str(enterprise.pk)


def test_an_instance_built_in_memory_over_an_existing_row_is_recorded_with_its_values():
    group = Group.objects.create(name="原组名")
    mark = last_sequence()
    Group(pk=group.pk, name="覆盖的组名").save()
    [record] = records_since(mark)
    assert record.action == "group.update"
    assert record.changes == {"name": {"new": "覆盖的组名"}}


def test_recording_a_save_reads_nothing_but_the_chains_last_record():
    group = Group.objects.create(name="计数组")
    loaded = Group.objects.get(pk=group.pk)
    loaded.name = "计数组二"
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        loaded.save()
    statements = [q["sql"] for q in queries.captured_queries]
    on_group = [s for s in statements if "auth_group" in s]
    assert len(on_group) == 1 and on_group[0].startswith("UPDATE")
    expected = 4 if connection.vendor == "postgresql" else 3  # + the advisory lock
    assert len(statements) == expected, statements


def test_role_permission_and_password_changes_are_recorded_the_password_masked():
    user = UserFactory(role=Role.AGENT)
    group = Group.objects.create(name="中心管理员测试组")
    old_hash = user.password
    mark = last_sequence()

    user.role = Role.CENTRE_ADMIN
    user.is_staff = True
    user.save()
    user.groups.add(group)
    user.set_password("Another#Pass2026")
    user.save()
    user.groups.remove(group)

    role, added, password, removed = records_since(mark)
    assert role.action == "user.update"
    assert role.changes == {
        "role": {"old": "agent", "new": "centre_admin"},
        "is_staff": {"old": False, "new": True},
    }
    assert added.action == "permission.change"
    assert added.changes == {"groups": {"added": [group.pk], "names": ["中心管理员测试组"]}}
    assert password.changes["password"] == {"old": "******", "new": "******"}
    assert removed.action == "permission.change"
    assert removed.changes == {"groups": {"removed": [group.pk], "names": ["中心管理员测试组"]}}
    stored = str(list(AuditRecord.objects.values_list("changes", "summary")))
    assert old_hash not in stored and user.password not in stored


def test_failed_and_successful_logins_and_the_logout_are_recorded():
    user = UserFactory(username="audit_login_user")
    client = Client()
    mark = last_sequence()

    client.post(
        reverse("accounts:login"), {"username": "audit_login_user", "password": "Wr0ng#pass"}
    )
    client.post(reverse("accounts:login"), {"username": "audit_login_user", "password": PASSWORD})
    client.post(reverse("accounts:logout"))

    records = records_since(mark)
    assert [r.action for r in records] == ["login.failed", "login.succeeded", "logout"]
    failed, succeeded, logout = records
    assert failed.actor_id is None
    assert failed.changes == {"username": "audit_login_user"}
    assert failed.summary == "登录失败：用户名 audit_login_user"
    assert failed.remote_addr == "127.0.0.1"
    assert (succeeded.actor_id, succeeded.actor_username) == (user.pk, "audit_login_user")
    assert succeeded.remote_addr == "127.0.0.1"
    assert logout.actor_id == user.pk
    # the password tried is nowhere; last_login's rewrite is no record of its own
    assert "Wr0ng#pass" not in str([(r.summary, r.changes) for r in records])


def test_an_admin_change_is_recorded_as_such_with_old_and_new_values():
    operator = UserFactory(
        username="audit_operator",
        role=Role.CENTRE_ADMIN,
        region=None,
        department=None,
        is_staff=True,
        is_superuser=True,
    )
    enterprise = EnterpriseFactory(name="管理后台旧名有限公司", region=region())
    client = Client()
    client.force_login(operator)
    session = client.session
    session["bangban_second_factor"] = operator.pk  # the TOTP step passed (docs/login.md)
    session.save()
    url = reverse("admin:projects_enterprise_change", args=[enterprise.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = admin_form_data(page)
    data["name"] = "管理后台新名有限公司"
    mark = last_sequence()

    response = client.post(url, data)

    assert response.status_code == 302, admin_errors(response)
    [record] = records_since(mark, object_type="projects.enterprise")
    assert record.action == "admin.change"
    assert record.changes["name"] == {"old": "管理后台旧名有限公司", "new": "管理后台新名有限公司"}
    assert (record.actor_id, record.remote_addr) == (operator.pk, "127.0.0.1")
    assert record.summary.startswith("系统管理中修改企业")


def admin_form_data(page) -> dict:
    """The POST data of an admin change page as it was rendered (form, inlines, management)."""
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data = {}
    for form in forms:
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            data[bound.html_name] = value
    return data


def admin_errors(response) -> str:
    context = response.context
    if not context or "adminform" not in context:
        return f"status {response.status_code}"
    return str(context["adminform"].form.errors)


def test_loaddata_restores_rows_without_appending_to_the_chain(tmp_path):
    permission = Permission.objects.order_by("pk").first()
    fixture = tmp_path / "restore.json"
    fixture.write_text(
        json.dumps(
            [
                {
                    "model": "auth.group",
                    "pk": 9001,
                    "fields": {"name": "还原的组", "permissions": [permission.pk]},
                }
            ]
        ),
        encoding="utf-8",
    )
    before = AuditRecord.objects.count()

    call_command("loaddata", str(fixture), verbosity=0)

    assert Group.objects.get(pk=9001).permissions.get() == permission
    assert AuditRecord.objects.count() == before
    # an ordinary edit of the restored row afterwards is recorded again
    restored = Group.objects.get(pk=9001)
    restored.name = "还原后改名的组"
    restored.save()
    assert AuditRecord.objects.count() == before + 1
