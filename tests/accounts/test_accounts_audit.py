"""What the accounts app leaves in the audit chain besides logins (docs/audit.md): API tokens
made and revoked (never the key), TOTP devices enrolled, confirmed and reset (never the
secret), login locks lifted."""

import datetime as dt
import json

import pyotp
import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from bangban.accounts import selectors, services
from bangban.accounts.models import LoginLock, TotpDevice
from bangban.audit.models import AuditRecord
from tests.projects.factories import AgentFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def records_since(sequence: int) -> list[AuditRecord]:
    return list(AuditRecord.objects.filter(sequence__gt=sequence).order_by("sequence"))


def last_sequence() -> int:
    last = AuditRecord.objects.order_by("-sequence").first()
    return last.sequence if last else 0


def everything_said(records) -> str:
    return " ".join(f"{r.summary} {json.dumps(r.changes, ensure_ascii=False)}" for r in records)


def test_the_token_page_records_creation_and_revocation_without_the_key(client):
    agent = UserFactory(username="wang")
    client.force_login(agent)
    start = last_sequence()
    client.post("/accounts/api-token/", {"action": "create"})
    first_key = Token.objects.get(user=agent).key
    client.post("/accounts/api-token/", {"action": "create"})  # a new one replaces it
    second_key = Token.objects.get(user=agent).key
    client.post("/accounts/api-token/", {"action": "revoke"})
    client.post("/accounts/api-token/", {"action": "revoke"})  # nothing left: nothing said
    records = [r for r in records_since(start) if r.action.startswith("api_token.")]
    assert [r.action for r in records] == [
        "api_token.create",
        "api_token.create",
        "api_token.revoke",
    ]
    assert all(
        (r.actor_id, r.object_type, r.object_id) == (agent.pk, "accounts.user", str(agent.pk))
        for r in records
    )
    assert [r.changes["replaced"] for r in records[:2]] == [False, True]
    expires = dt.datetime.fromisoformat(records[0].changes["expires_at"])
    assert dt.timedelta(days=89) < expires - timezone.now() <= dt.timedelta(days=90)
    said = everything_said(records_since(start))
    assert first_key not in said and second_key not in said
    assert first_key[:8] not in said and second_key[:8] not in said


def test_totp_enrolment_confirmation_and_reset_are_recorded_without_the_secret():
    user = AgentFactory()
    start = last_sequence()
    device = services.totp_enrolment_start(user=user)
    secret = selectors.totp_secret_for_enrolment(device)
    services.totp_enrolment_confirm(user=user, code=pyotp.TOTP(secret).now(), address="10.0.0.1")
    assert services.totp_reset(user=user) is True
    services.totp_device_enrol(user=user, secret=SECRET)
    records = [r for r in records_since(start) if r.object_type == "accounts.totpdevice"]
    assert [r.action for r in records] == [
        "totpdevice.create",
        "totpdevice.update",  # confirmed
        "totpdevice.delete",  # reset
        "totpdevice.create",  # enrolled by an operator
    ]
    assert "confirmed_at" in records[1].changes
    assert records[0].changes["secret_encrypted"] == {"new": "******"}
    said = everything_said(records_since(start))
    assert secret not in said and SECRET not in said
    assert TotpDevice.objects.get(user=user).secret_encrypted not in said


def test_lifting_a_lock_is_recorded_the_counting_is_not():
    now = timezone.now()
    LoginLock.objects.create(
        kind=LoginLock.Kind.ACCOUNT, key="li", failures=5, last_failure_at=now, locked_until=now
    )
    start = last_sequence()
    assert services.login_lock_clear(username="li") == 1
    assert services.login_lock_clear(username="li") == 0
    [record] = records_since(start)
    assert record.action == "login.unlock"
    assert record.changes == {"username": "li", "address": "", "removed": 1}
