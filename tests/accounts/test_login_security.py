"""Login security (issue 12, item 4; docs/login.md): the password profile and its change page
and reminder, lockout per account and per address, the TOTP second factor, expiring and
revocable API tokens, and API throttling.

Times are frozen by patching ``django.utils.timezone.now`` (every service reads the clock
through it); the expected times are worked out by hand from the frozen moment."""

from __future__ import annotations

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pyotp
import pytest
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bangban.accounts import services
from bangban.accounts.crypto import decrypt_secret
from bangban.accounts.models import LoginLock, Role, TotpDevice, User
from bangban.accounts.policy import SECOND_FACTOR_SESSION_KEY
from tests.projects.factories import EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Bangban@2026"
SHANGHAI = ZoneInfo("Asia/Shanghai")
#: 2026-03-02 10:00:20 in Shanghai: a lock of 15 minutes ends at 10:15:20, shown as 10:16.
T0 = dt.datetime(2026, 3, 2, 10, 0, 20, tzinfo=SHANGHAI)
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class Clock:
    def __init__(self, now: dt.datetime):
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock(T0)
    monkeypatch.setattr(timezone, "now", clock)
    return clock


def post_login(client, username, password, address="10.0.0.1", **extra):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def logged_in_as(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def text(response) -> str:
    return response.content.decode()


# --- lockout -------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_and_the_sixth_try_is_refused_even_if_right(
    client, clock
):
    user = UserFactory(username="wang")
    messages = [text(post_login(client, "wang", "wrong-one")) for _ in range(5)]
    assert all("用户名或密码不正确" in m for m in messages[:4])
    assert "再失败" not in messages[1]
    assert "再失败 2 次" in messages[2] and "再失败 1 次" in messages[3]
    assert "已锁定 15 分钟，请于 10:16 后再试" in messages[4]
    sixth = post_login(client, "wang", PASSWORD)
    assert sixth.status_code == 200 and logged_in_as(client) is None
    assert "登录失败次数过多，该账号已锁定 15 分钟，请于 10:16 后再试" in text(sixth)
    lock = LoginLock.objects.get(kind=LoginLock.Kind.ACCOUNT, key="wang")
    assert lock.locked_until == T0 + dt.timedelta(minutes=15)
    # the refused sixth try did not prolong the lock
    assert user.check_password(PASSWORD)


def test_the_lock_runs_out_after_15_minutes(client, clock):
    UserFactory(username="wang")
    for _ in range(5):
        post_login(client, "wang", "wrong")
    clock.advance(minutes=14, seconds=59)
    assert "已锁定" in text(post_login(client, "wang", PASSWORD))
    assert logged_in_as(client) is None
    clock.advance(seconds=1)
    response = post_login(client, "wang", PASSWORD)
    assert response.status_code == 302
    assert logged_in_as(client) == User.objects.get(username="wang").pk


def test_a_success_resets_the_account_count(client, clock, settings):
    settings.BANGBAN_LOGIN = {**settings.BANGBAN_LOGIN, "lockout_address_failures": 100}
    UserFactory(username="wang")
    for _ in range(4):
        post_login(client, "wang", "wrong")
    assert post_login(client, "wang", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        post_login(client, "wang", "wrong")
    # 8 failures in all, but never 5 in a row: not locked
    assert post_login(client, "wang", PASSWORD).status_code == 302


def test_failures_far_apart_are_forgotten(client, clock):
    UserFactory(username="wang")
    for _ in range(4):
        post_login(client, "wang", "wrong")
        clock.advance(minutes=16)
    assert "已锁定" not in text(post_login(client, "wang", "wrong"))
    assert post_login(client, "wang", PASSWORD, address="10.0.0.2").status_code == 302


def test_one_address_trying_many_accounts_is_locked_out_for_every_account(client, clock):
    UserFactory(username="zhao")
    for n in range(5):
        post_login(client, f"nobody{n}", "guess", address="10.9.9.9")
    refused = post_login(client, "zhao", PASSWORD, address="10.9.9.9")
    assert logged_in_as(client) is None
    assert "本机所在网络登录失败次数过多" in text(refused) and "10:16" in text(refused)
    assert post_login(client, "zhao", PASSWORD, address="10.1.1.1").status_code == 302


def test_the_numbers_come_from_the_settings(client, clock, settings):
    settings.BANGBAN_LOGIN = {**settings.BANGBAN_LOGIN, "lockout_failures": 3, "lockout_minutes": 5}
    UserFactory(username="wang")
    for _ in range(3):
        response = post_login(client, "wang", "wrong")
    assert "已锁定 5 分钟，请于 10:06 后再试" in text(response)


def test_every_password_check_is_guarded_not_only_the_login_page(client, clock):
    """The backend refuses a locked account to any caller of authenticate(): the admin's
    login page, a DRF authentication that checks a password."""
    UserFactory(username="wang", role=Role.CENTRE_ADMIN, is_staff=True)
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.7")
    for _ in range(5):
        assert authenticate(request, username="wang", password="wrong") is None
    assert authenticate(request, username="wang", password=PASSWORD) is None
    admin_login = client.post(
        "/admin/login/", {"username": "wang", "password": PASSWORD}, REMOTE_ADDR="10.0.0.8"
    )
    assert "该账号已锁定" in text(admin_login)


def test_a_centre_admin_unlocks_an_account(client, clock):
    UserFactory(username="wang")
    for _ in range(5):
        post_login(client, "wang", "wrong", address="10.0.0.1")
    assert "该账号已锁定" in text(post_login(client, "wang", PASSWORD, address="10.0.0.2"))
    out = io.StringIO()
    call_command("login_unlock", "wang", stdout=out)
    assert "已解除 1 个" in out.getvalue()
    assert post_login(client, "wang", PASSWORD, address="10.0.0.2").status_code == 302


def test_the_admin_action_unlocks(client, clock):
    UserFactory(username="wang")
    for _ in range(5):
        post_login(client, "wang", "wrong")
    assert "该账号已锁定" in text(post_login(client, "wang", PASSWORD, address="10.0.0.2"))
    operator = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(operator)
    wang = User.objects.get(username="wang")
    response = client.post(
        "/admin/accounts/user/",
        {"action": "unlock_login", "_selected_action": [wang.pk]},
        follow=True,
    )
    assert "已解除 1 个登录锁定" in text(response)
    assert not LoginLock.objects.filter(kind=LoginLock.Kind.ACCOUNT, key="wang").exists()


# --- TOTP second factor --------------------------------------------------------------------


def enrolment_secret(page: str) -> str:
    match = re.search(r'<code class="totp-secret">([A-Z2-7 ]+)</code>', page)
    return match.group(1).replace(" ", "")


def other_code(right: str) -> str:
    return f"{(int(right) + 1) % 10**6:06d}"


def test_an_admin_without_a_device_cannot_reach_the_admin_and_enrols(client):
    admin = UserFactory(username="zhao", role=Role.CENTRE_ADMIN, is_staff=True)
    response = post_login(client, "zhao", PASSWORD)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/second-factor/enrol/")
    blocked = client.get("/admin/")
    assert blocked.status_code == 302
    assert blocked["Location"] == "/accounts/second-factor/enrol/?next=/admin/"
    assert client.get("/admin/accounts/user/")["Location"].startswith(
        "/accounts/second-factor/enrol/"
    )
    page = client.get("/accounts/second-factor/enrol/?next=/admin/")
    assert page.status_code == 200
    svg = re.search(r"<svg.*?</svg>", text(page), re.S).group(0)  # drawn here, inline
    assert "<path" in svg and "<img" not in text(page)
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    secret = enrolment_secret(text(page))
    assert len(secret) == 32
    # a reload shows the same secret (the unconfirmed device keeps it)
    assert enrolment_secret(text(client.get("/accounts/second-factor/enrol/"))) == secret
    device = TotpDevice.objects.get(user=admin)
    assert secret not in device.secret_encrypted and decrypt_secret(device.secret_encrypted) == (
        secret
    )

    right = pyotp.TOTP(secret).now()
    wrong = client.post(
        "/accounts/second-factor/enrol/", {"code": other_code(right), "next": "/admin/"}
    )
    assert wrong.status_code == 200 and "动态验证码不正确" in text(wrong)
    assert client.get("/admin/").status_code == 302

    done = client.post("/accounts/second-factor/enrol/", {"code": right, "next": "/admin/"})
    assert done.status_code == 302 and done["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    device.refresh_from_db()
    assert device.is_confirmed
    # the secret is never shown again: the enrolment page now sends to the verify page
    again = client.get("/accounts/second-factor/enrol/")
    assert again.status_code == 302 and again["Location"].startswith("/accounts/second-factor/")
    assert secret not in text(client.get("/accounts/second-factor/"))


def test_a_supervisor_verifies_after_the_password_and_a_code_is_good_once(client):
    supervisor = UserFactory(username="zheng", role=Role.SUPERVISOR, department=None)
    services.totp_device_enrol(user=supervisor, secret=SECRET)
    response = post_login(client, "zheng", PASSWORD)
    assert response["Location"] == "/accounts/second-factor/?next=/accounts/workbench/"
    assert client.get("/accounts/workbench/")["Location"].startswith("/accounts/second-factor/")
    api = client.get("/api/v1/commissions/")
    assert api.status_code == 403 and "动态验证码" in api.json()["detail"]

    code = pyotp.TOTP(SECRET).now()
    done = client.post("/accounts/second-factor/", {"code": code, "next": "/accounts/workbench/"})
    assert done.status_code == 302 and done["Location"] == "/accounts/workbench/"
    assert client.get("/accounts/workbench/").status_code == 200
    assert client.session[SECOND_FACTOR_SESSION_KEY] == supervisor.pk

    client.logout()
    post_login(client, "zheng", PASSWORD)
    assert client.get("/accounts/workbench/").status_code == 302  # a new login asks again
    replay = client.post("/accounts/second-factor/", {"code": code})
    assert replay.status_code == 200 and "已使用" in text(replay)


def test_wrong_codes_count_like_wrong_passwords(client, clock):
    supervisor = UserFactory(username="zheng", role=Role.SUPERVISOR, department=None)
    services.totp_device_enrol(user=supervisor, secret=SECRET)
    post_login(client, "zheng", PASSWORD)
    right = pyotp.TOTP(SECRET).at(T0)
    for _ in range(4):
        client.post("/accounts/second-factor/", {"code": other_code(right)})
    locked = client.post("/accounts/second-factor/", {"code": other_code(right)}, follow=True)
    assert "该账号已锁定 15 分钟" in text(locked)
    assert logged_in_as(client) is None


def test_an_enterprise_user_is_not_asked_for_a_code(client):
    UserFactory(
        username="qiye", role=Role.ENTERPRISE, department=None, enterprise=EnterpriseFactory()
    )
    response = post_login(client, "qiye", PASSWORD)
    assert response["Location"] == "/accounts/workbench/"
    assert client.get("/accounts/workbench/").status_code == 200
    assert client.get("/accounts/second-factor/enrol/")["Location"] == "/accounts/workbench/"


def test_a_superuser_of_any_role_needs_the_second_factor(client):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    response = post_login(client, "root", PASSWORD)
    assert response["Location"].startswith("/accounts/second-factor/enrol/")


def test_a_reset_device_means_enrolling_again(client):
    leader = UserFactory(username="sun", role=Role.LEADER, department=None)
    services.totp_device_enrol(user=leader, secret=SECRET)
    out = io.StringIO()
    call_command("totp_reset", "sun", stdout=out)
    assert "已重置" in out.getvalue() and not TotpDevice.objects.filter(user=leader).exists()
    assert post_login(client, "sun", PASSWORD)["Location"].startswith(
        "/accounts/second-factor/enrol/"
    )


def test_demo_data_enrols_the_demo_admin_supervisor_and_leader(client):
    from bangban.web.management.commands.demo_data import DEMO_TOTP_SECRET

    out = io.StringIO()
    call_command("demo_data", stdout=out)
    enrolled = set(
        TotpDevice.objects.filter(confirmed_at__isnull=False).values_list(
            "user__username", flat=True
        )
    )
    assert {"admin", "supervisor", "leader"} <= enrolled
    assert "agent" not in enrolled and "enterprise" not in enrolled
    assert DEMO_TOTP_SECRET in out.getvalue()
    post_login(client, "admin", PASSWORD)
    done = client.post("/accounts/second-factor/", {"code": pyotp.TOTP(DEMO_TOTP_SECRET).now()})
    assert done.status_code == 302 and client.get("/accounts/workbench/").status_code == 200


def test_the_test_clients_logins_stand_for_a_completed_login(client):
    """tests/conftest.py: force_login() and login() mark the second factor done."""
    admin = UserFactory(username="zhao", role=Role.CENTRE_ADMIN, is_staff=True)
    client.force_login(admin)
    assert client.get("/admin/").status_code == 200


# --- API tokens and throttling -------------------------------------------------------------


def test_an_expired_token_answers_401_in_chinese(clock):
    agent = UserFactory(username="wang")
    token = services.api_token_create(user=agent)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/commissions/").status_code == 200
    clock.advance(days=89, hours=23, minutes=59)
    assert api.get("/api/v1/commissions/").status_code == 200
    clock.advance(minutes=1)  # 90 days after it was made
    expired = api.get("/api/v1/commissions/")
    assert expired.status_code == 401
    assert expired.json()["detail"] == "接口令牌已过期，请重新生成。"
    assert expired["WWW-Authenticate"] == "Token"


def test_a_revoked_token_answers_401():
    agent = UserFactory(username="wang")
    token = services.api_token_create(user=agent)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/commissions/").status_code == 200
    assert services.api_token_revoke(user=agent) is True
    revoked = api.get("/api/v1/commissions/")
    assert revoked.status_code == 401 and revoked.json()["detail"] == "接口令牌无效或已撤销。"


def test_the_token_page_shows_a_new_key_once_and_revokes_it(client):
    agent = UserFactory(username="wang")
    client.force_login(agent)
    assert "尚未生成令牌" in text(client.get("/accounts/api-token/"))
    made = client.post("/accounts/api-token/", {"action": "create"})
    key = Token.objects.get(user=agent).key
    assert key in text(made) and "仅显示这一次" in text(made)
    later = text(client.get("/accounts/api-token/"))
    assert key not in later and key[:4] in later
    client.post("/accounts/api-token/", {"action": "revoke"})
    assert not Token.objects.filter(user=agent).exists()


def test_an_enterprise_user_gets_no_token():
    user = UserFactory(
        username="qiye", role=Role.ENTERPRISE, department=None, enterprise=EnterpriseFactory()
    )
    with pytest.raises(ValidationError):
        services.api_token_create(user=user)
    assert not Token.objects.filter(user=user).exists()


def test_the_api_token_command_creates_and_revokes():
    agent = UserFactory(username="wang")
    out = io.StringIO()
    call_command("api_token", "create", "wang", stdout=out, stderr=io.StringIO())
    assert out.getvalue().strip() == Token.objects.get(user=agent).key
    call_command("api_token", "revoke", "wang", stdout=io.StringIO())
    assert not Token.objects.filter(user=agent).exists()


def test_api_calls_beyond_the_rate_answer_429_in_chinese(settings):
    rest = settings.REST_FRAMEWORK
    settings.REST_FRAMEWORK = {
        **rest,
        "DEFAULT_THROTTLE_RATES": {
            **rest["DEFAULT_THROTTLE_RATES"],
            "anon": "2/min",
            "user": "3/min",
        },
    }
    cache.clear()
    anonymous = APIClient()
    statuses = [anonymous.get("/api/v1/catalog/items/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    throttled = anonymous.get("/api/v1/catalog/items/")
    assert "限流" in throttled.json()["detail"] and "Retry-After" in throttled

    # a client's X-Forwarded-For does not make it someone else
    spoofed = anonymous.get("/api/v1/catalog/items/", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert spoofed.status_code == 429

    agent = UserFactory(username="wang")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {services.api_token_create(user=agent).key}")
    statuses = [api.get("/api/v1/commissions/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    cache.clear()


# --- password profile, change page and reminder ---------------------------------------------


def test_the_password_profile_refuses_the_user_name_and_too_few_classes():
    region = UserFactory.build().region
    with pytest.raises(ValidationError) as exc:
        services.user_create(
            username="wangfang", password="Wangfang@2026", role=Role.SUPERVISOR, region=region
        )
    assert "密码不能包含用户名。" in exc.value.messages
    with pytest.raises(ValidationError) as exc:
        services.user_create(
            username="x9", password="abcdefgh1", role=Role.SUPERVISOR, region=region
        )
    assert any("至少 3 类" in m for m in exc.value.messages)
    with pytest.raises(ValidationError) as exc:
        services.user_create(username="x9", password="Ab1!xyz", role=Role.SUPERVISOR, region=region)
    assert any("8" in m for m in exc.value.messages)
    assert not User.objects.filter(username__in=["wangfang", "x9"]).exists()


def test_the_password_change_page_changes_it_and_stamps_the_date(client, clock):
    agent = UserFactory(username="wang")
    client.force_login(agent)
    page = client.get("/accounts/password/")
    assert page.status_code == 200 and "原密码" in text(page) and "再次输入新密码" in text(page)
    assert 'href="/accounts/password/"' in text(client.get("/accounts/workbench/"))
    refused = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "xxwangxx@A1", "new_password2": "xxwangxx@A1"},
    )
    assert "密码不能包含用户名" in text(refused)
    wrong_old = client.post(
        "/accounts/password/",
        {"old_password": "nope", "new_password1": "Qiye#2027ab", "new_password2": "Qiye#2027ab"},
    )
    assert "原密码不正确" in text(wrong_old)
    assert agent.password_changed_at is None  # the factory stored a hash directly
    clock.advance(minutes=10)  # (a day would outlast the 30-minute idle session)
    done = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "Qiye#2027ab", "new_password2": "Qiye#2027ab"},
    )
    assert done.status_code == 302 and done["Location"] == "/accounts/workbench/"
    agent.refresh_from_db()
    assert agent.check_password("Qiye#2027ab")
    assert agent.password_changed_at == T0 + dt.timedelta(minutes=10)
    assert client.get("/accounts/workbench/").status_code == 200  # still logged in


def test_a_hash_upgrade_at_login_is_not_a_password_change(clock):
    from django.contrib.auth.hashers import make_password

    user = UserFactory(username="wang")
    User.objects.filter(pk=user.pk).update(
        password=make_password(PASSWORD, salt="ab", hasher="md5"),  # a weak salt: upgraded
        password_changed_at=T0 - dt.timedelta(days=30),
    )
    user.refresh_from_db()
    old_hash = user.password
    assert user.check_password(PASSWORD)
    user.refresh_from_db()
    assert user.password != old_hash
    assert user.password_changed_at == T0 - dt.timedelta(days=30)


def test_the_reminder_shows_once_the_password_is_older_than_the_profile_says(client, clock):
    agent = UserFactory(username="wang")
    client.force_login(agent)
    User.objects.filter(pk=agent.pk).update(password_changed_at=T0 - dt.timedelta(days=89))
    assert "密码已较长时间未修改" not in text(client.get("/accounts/workbench/"))
    User.objects.filter(pk=agent.pk).update(password_changed_at=T0 - dt.timedelta(days=90))
    assert "密码已较长时间未修改" in text(client.get("/accounts/workbench/"))


def test_a_profile_without_an_age_never_reminds(client, clock, settings):
    settings.BANGBAN_PASSWORD_POLICY = {**settings.BANGBAN_PASSWORD_POLICY, "max_age_days": 0}
    agent = UserFactory(username="wang")
    client.force_login(agent)
    User.objects.filter(pk=agent.pk).update(password_changed_at=T0 - dt.timedelta(days=900))
    assert "密码已较长时间未修改" not in text(client.get("/accounts/workbench/"))
