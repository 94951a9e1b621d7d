"""The centre admin in the Django admin: a staff user of the group 中心管理员, never a
superuser; it edits its region's enterprises and projects, cannot read or change another
region's, and cannot attach its own objects to another region's (issue #12: the demo centre
admin was a superuser and edited another region's enterprise)."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from bangban.accounts.models import Role, User
from bangban.web.access import CENTRE_ADMIN_GROUP
from tests.projects.factories import (
    AdminFactory,
    DongshengProjectFactory,
    EnterpriseFactory,
    ProjectFactory,
    make_credit_code,
    region,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre_admin():
    user = AdminFactory(username="ds-admin", is_staff=True)
    user.groups.add(Group.objects.get(name=CENTRE_ADMIN_GROUP))
    return user


@pytest.fixture
def theirs():
    enterprise = EnterpriseFactory(
        name="包头他区企业有限公司",
        credit_code=make_credit_code(515, "150271"),
        region=region("150271"),
    )
    return ProjectFactory(name="包头他区项目", enterprise=enterprise, region=region("150271"))


def enterprise_form(enterprise, **changes) -> dict:
    data = {
        "name": enterprise.name,
        "credit_code": enterprise.credit_code,
        "legal_representative": enterprise.legal_representative,
        "contact_name": enterprise.contact_name,
        "contact_mobile": enterprise.contact_mobile,
        "address": enterprise.address,
        "region": enterprise.region_id,
        "projects-TOTAL_FORMS": "0",
        "projects-INITIAL_FORMS": "0",
        "projects-MIN_NUM_FORMS": "0",
        "projects-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_the_demo_centre_admin_is_staff_in_the_group_not_a_superuser(client):
    call_command("demo_data", stdout=io.StringIO())
    admin = User.objects.get(username="admin")
    assert (admin.role, admin.is_staff, admin.is_superuser) == (Role.CENTRE_ADMIN, True, False)
    assert list(admin.groups.values_list("name", flat=True)) == [CENTRE_ADMIN_GROUP]
    platform = User.objects.get(username="platform")
    assert platform.is_superuser and platform.region_id is None
    client.force_login(platform)
    assert client.get("/accounts/workbench/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200


def test_another_regions_enterprise_cannot_be_read_or_edited(client, centre_admin, theirs):
    client.force_login(centre_admin)
    enterprise = theirs.enterprise
    url = f"/admin/projects/enterprise/{enterprise.pk}/change/"
    assert "包头他区企业" not in client.get("/admin/projects/enterprise/").content.decode()
    assert client.get(url).status_code == 302  # "does not exist" → the admin index
    response = client.post(url, enterprise_form(enterprise, name="被改名的企业"))
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.name == "包头他区企业有限公司"


def test_its_own_enterprise_is_edited_and_its_other_region_project_not_shown(
    client, centre_admin, theirs
):
    mine = DongshengProjectFactory(name="本区项目").enterprise
    # the same enterprise also builds in 包头: that project is not the admin's to see
    ProjectFactory(name="包头他区第二项目", enterprise=mine, region=region("150271"))
    client.force_login(centre_admin)
    url = f"/admin/projects/enterprise/{mine.pk}/change/"
    page = client.get(url).content.decode()
    assert "本区项目" in page and "包头他区第二项目" not in page
    response = client.post(url, enterprise_form(mine, contact_name="王五"))
    assert response.status_code == 302, response.content.decode()[:3000]
    mine.refresh_from_db()
    assert mine.contact_name == "王五"


def test_own_project_cannot_be_attached_to_another_regions_enterprise_or_region(
    client, centre_admin, theirs
):
    project = DongshengProjectFactory(name="本区项目")
    client.force_login(centre_admin)
    url = f"/admin/projects/project/{project.pk}/change/"
    page = client.get(url).content.decode()
    assert "包头他区企业" not in page
    assert "稀土高新技术产业开发区" not in page  # not among the region choices either
    # forged choices fail the form's validation on their field; nothing changes
    for field, value in (("enterprise", theirs.enterprise_id), ("region", theirs.region_id)):
        response = client.post(url, {"name": project.name, field: value})
        assert response.status_code == 200  # the form again, with its errors
        errors = response.context["adminform"].form.errors.as_data()
        assert [e.code for e in errors[field]] == ["invalid_choice"]
        project.refresh_from_db()
        assert getattr(project, f"{field}_id") != value


def test_the_centre_admin_opens_its_users_but_not_groups_or_tokens(client, centre_admin):
    """Users of its region subtree: tests/accounts/test_user_admin.py."""
    client.force_login(centre_admin)
    assert client.get("/admin/accounts/user/").status_code == 200
    for url in ("/admin/auth/group/", "/admin/authtoken/tokenproxy/"):
        assert client.get(url).status_code == 403


def test_the_group_is_rebuilt_exactly_by_load_admin_group():
    group = Group.objects.get(name=CENTRE_ADMIN_GROUP)
    group.permissions.clear()
    call_command("load_admin_group", stdout=io.StringIO())
    codes = set(group.permissions.values_list("codename", flat=True))
    assert {"change_enterprise", "view_commission", "add_routingrule", "change_user"} <= codes
    assert not {"change_commission", "change_item", "delete_user", "change_group"} & codes
