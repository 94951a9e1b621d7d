"""The centre admin keeps the staff of its centre in the admin (SPEC §1, issue #12): the users
of its region subtree, never a superuser; it cannot see or set the superuser flag, groups or
permissions, cannot place anyone in another region, and its unlock / TOTP reset actions and
the login locks it sees are those of its own users. A platform operator keeps everyone."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from bangban.accounts import services
from bangban.accounts.models import LoginLock, Role, TotpDevice, User
from bangban.web.access import CENTRE_ADMIN_GROUP
from tests.projects.factories import AdminFactory, AgentFactory, UserFactory, department, region

pytestmark = pytest.mark.django_db

PASSWORD = "Bangban@2026x"


@pytest.fixture
def centre_admin():
    user = AdminFactory(username="ds-admin", is_staff=True)  # 东胜区
    user.groups.add(Group.objects.get(name=CENTRE_ADMIN_GROUP))
    return user


@pytest.fixture
def operator():
    return User.objects.create_superuser("op-root", "", PASSWORD, region=None, role=Role.AGENT)


@pytest.fixture
def ours():
    return AgentFactory(username="ds-agent-a", display_name="本区代办员甲")


@pytest.fixture
def theirs():
    """An agent of 包头稀土高新区: outside 东胜区."""
    return AgentFactory(
        username="bt-agent-z",
        display_name="他区代办员",
        region=region("150271"),
        department=department("baotou-hitech-qyfw"),
    )


@pytest.fixture
def regional_superuser():
    """A superuser that has a region in 东胜区: still not a centre admin's to keep."""
    return UserFactory(username="ds-super", display_name="本区超级用户", is_superuser=True)


def change_form(user, **changes) -> dict:
    data = {
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "region": user.region_id or "",
        "department": user.department_id or "",
        "enterprise": user.enterprise_id or "",
        "mobile": user.mobile,
        "email": user.email,
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def add_form(**changes) -> dict:
    data = {
        "username": "ds-new",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "usable_password": "true",
        "display_name": "新同事",
        "role": Role.AGENT,
        "region": region().pk,
        "department": department().pk,
        "mobile": "",
    }
    data.update(changes)
    return data


def test_the_list_shows_its_region_users_only(
    client, centre_admin, ours, theirs, regional_superuser, operator
):
    client.force_login(centre_admin)
    page = client.get("/admin/accounts/user/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "ds-agent-a" in text
    for hidden in ("bt-agent-z", "ds-super", "op-root"):
        assert hidden not in text
    for user in (theirs, regional_superuser, operator):
        # "does not exist" → back to the admin index; its password cannot be set
        assert client.get(f"/admin/accounts/user/{user.pk}/change/").status_code == 302
        password_url = f"/admin/accounts/user/{user.pk}/password/"
        assert client.get(password_url).status_code == 404
        new = {"password1": "Other@Pass2026", "password2": "Other@Pass2026"}
        assert client.post(password_url, new).status_code == 404
        user.refresh_from_db()
        assert not user.check_password("Other@Pass2026")


def test_its_form_has_no_superuser_group_or_permission_field(client, centre_admin, ours):
    client.force_login(centre_admin)
    form = client.get(f"/admin/accounts/user/{ours.pk}/change/").context["adminform"].form
    assert "is_superuser" not in form.fields
    assert "groups" not in form.fields and "user_permissions" not in form.fields
    assert {"is_active", "is_staff", "role", "region"} <= set(form.fields)


def test_a_forged_superuser_flag_or_group_is_ignored(client, centre_admin, ours):
    client.force_login(centre_admin)
    group = Group.objects.get(name=CENTRE_ADMIN_GROUP)
    response = client.post(
        f"/admin/accounts/user/{ours.pk}/change/",
        change_form(ours, display_name="改名后", is_superuser="on", groups=[group.pk]),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    ours.refresh_from_db()
    assert ours.display_name == "改名后"  # the edit went through …
    assert not ours.is_superuser  # … the forged fields did not
    assert not ours.groups.exists()


def test_no_one_is_placed_in_another_region(client, centre_admin, ours, theirs):
    client.force_login(centre_admin)
    other_region = region("150271")
    response = client.post(
        f"/admin/accounts/user/{ours.pk}/change/",
        change_form(ours, role=Role.CENTRE_ADMIN, region=other_region.pk),
    )
    assert response.status_code == 200  # the form again
    errors = response.context["adminform"].form.errors.as_data()
    assert [e.code for e in errors["region"]] == ["invalid_choice"]
    ours.refresh_from_db()
    assert (ours.role, ours.region_id) == (Role.AGENT, region().pk)

    # a new centre admin of another region: refused the same way, nothing created
    response = client.post(
        "/admin/accounts/user/add/",
        add_form(
            username="bt-new-admin",
            role=Role.CENTRE_ADMIN,
            region=other_region.pk,
            department=department("baotou-hitech-qyfw").pk,
        ),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()
    assert {"region", "department"} <= set(errors)
    assert not User.objects.filter(username="bt-new-admin").exists()


def test_it_adds_a_colleague_of_its_centre(client, centre_admin):
    client.force_login(centre_admin)
    response = client.post("/admin/accounts/user/add/", add_form(is_superuser="on"))
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="ds-new")
    assert (user.role, user.region_id, user.is_superuser) == (Role.AGENT, region().pk, False)


def test_the_actions_touch_only_its_own_users(client, centre_admin, ours, theirs):
    now = timezone.now()
    for user in (ours, theirs):
        LoginLock.objects.create(
            kind=LoginLock.Kind.ACCOUNT,
            key=user.username,
            failures=5,
            last_failure_at=now,
            locked_until=now + dt.timedelta(minutes=15),
        )
        services.totp_device_enrol(user=user, secret="JBSWY3DPEHPK3PXP")
    client.force_login(centre_admin)
    for action in ("unlock_login", "reset_second_factor"):
        response = client.post(
            "/admin/accounts/user/",
            {"action": action, "_selected_action": [ours.pk, theirs.pk]},
        )
        assert response.status_code == 302
    locked = set(LoginLock.objects.values_list("key", flat=True))
    assert locked == {"bt-agent-z"}
    assert list(TotpDevice.objects.values_list("user__username", flat=True)) == ["bt-agent-z"]


def test_login_locks_of_its_users_only(client, centre_admin, operator, ours, theirs):
    now = timezone.now()
    rows = {
        key: LoginLock.objects.create(kind=kind, key=key, failures=3, last_failure_at=now)
        for kind, key in (
            (LoginLock.Kind.ACCOUNT, "ds-agent-a"),
            (LoginLock.Kind.ACCOUNT, "bt-agent-z"),
            (LoginLock.Kind.ACCOUNT, "no-such-user"),
            (LoginLock.Kind.ADDRESS, "203.0.113.9"),
        )
    }
    client.force_login(centre_admin)
    text = client.get("/admin/accounts/loginlock/").content.decode()
    assert "ds-agent-a" in text
    for hidden in ("bt-agent-z", "no-such-user", "203.0.113.9"):
        assert hidden not in text
    # unlocking a forged selection lifts only its own user's lock
    response = client.post(
        "/admin/accounts/loginlock/",
        {"action": "unlock", "_selected_action": [row.pk for row in rows.values()]},
    )
    assert response.status_code == 302
    assert set(LoginLock.objects.values_list("key", flat=True)) == {
        "bt-agent-z",
        "no-such-user",
        "203.0.113.9",
    }
    # a platform operator sees every lock
    client.force_login(operator)
    text = client.get("/admin/accounts/loginlock/").content.decode()
    assert all(key in text for key in ("bt-agent-z", "no-such-user", "203.0.113.9"))


def test_the_platform_operator_keeps_everyone(client, operator, theirs, regional_superuser):
    client.force_login(operator)
    text = client.get("/admin/accounts/user/").content.decode()
    assert "bt-agent-z" in text and "ds-super" in text
    form = client.get(f"/admin/accounts/user/{theirs.pk}/change/").context["adminform"].form
    assert {"is_superuser", "groups", "user_permissions"} <= set(form.fields)


def test_groups_stay_closed_to_the_centre_admin(client, centre_admin):
    client.force_login(centre_admin)
    assert client.get("/admin/auth/group/").status_code == 403
