"""The audit trail in the admin: listed to platform operators, changed by nobody."""

import pytest
from django.test import Client
from django.urls import reverse

from bangban.accounts.models import Role
from bangban.audit.models import AuditRecord
from bangban.audit.services import audit_record
from tests.projects.factories import UserFactory

pytestmark = pytest.mark.django_db


def admin_client(**user) -> Client:
    person = UserFactory(is_staff=True, **user)
    client = Client()
    client.force_login(person)
    session = client.session
    session["bangban_second_factor"] = person.pk  # the TOTP step passed (docs/login.md)
    session.save()
    return client


def test_an_operator_reads_the_trail_and_nobody_may_add_change_or_delete():
    record = audit_record(action="test.admin", summary="管理后台可见的审计记录")
    operator = admin_client(
        username="audit_admin_op",
        role=Role.CENTRE_ADMIN,
        region=None,
        department=None,
        is_superuser=True,
    )

    listing = operator.get(reverse("admin:audit_auditrecord_changelist"))
    assert listing.status_code == 200
    assert "管理后台可见的审计记录" in listing.content.decode()
    detail = operator.get(reverse("admin:audit_auditrecord_change", args=[record.pk]))
    assert detail.status_code == 200  # read-only view
    assert operator.get(reverse("admin:audit_auditrecord_add")).status_code == 403
    changed = operator.post(
        reverse("admin:audit_auditrecord_change", args=[record.pk]), {"summary": "改"}
    )
    assert changed.status_code == 403
    deleted = operator.post(
        reverse("admin:audit_auditrecord_delete", args=[record.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 403
    record.refresh_from_db()
    assert record.summary == "管理后台可见的审计记录"
    assert AuditRecord.objects.filter(pk=record.pk).exists()
