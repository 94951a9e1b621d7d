"""Bulk writes send no signals; the services record them with audit_rows / audit_update."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bangban.audit.models import AuditRecord
from bangban.audit.services import audit_rows, audit_update
from bangban.projects.models import Enterprise
from tests.projects.factories import EnterpriseFactory

from .helpers import verify

pytestmark = pytest.mark.django_db


def last_sequence() -> int:
    last = AuditRecord.objects.order_by("-sequence").first()
    return last.sequence if last else 0


def test_audit_update_records_each_rows_old_and_new_values():
    a = EnterpriseFactory(contact_name="甲")
    b = EnterpriseFactory(contact_name="乙")
    c = EnterpriseFactory(contact_name="丙")
    mark = last_sequence()

    count = audit_update(
        Enterprise.objects.filter(pk__in=[a.pk, b.pk]), action="test.bulk", contact_name="丁"
    )

    assert count == 2
    assert Enterprise.objects.get(pk=c.pk).contact_name == "丙"
    [record] = AuditRecord.objects.filter(sequence__gt=mark)
    assert (record.action, record.object_type, record.object_id) == (
        "test.bulk",
        "projects.enterprise",
        "",
    )
    assert record.changes == {
        "rows": {
            str(a.pk): {"contact_name": {"old": "甲", "new": "丁"}},
            str(b.pk): {"contact_name": {"old": "乙", "new": "丁"}},
        }
    }
    assert record.summary == "修改企业 2 条"


def test_audit_rows_after_bulk_update_diffs_against_the_values_as_loaded_without_a_read():
    first, second = EnterpriseFactory(address="旧地址一"), EnterpriseFactory(address="旧地址二")
    rows = list(Enterprise.objects.filter(pk__in=[first.pk, second.pk]).order_by("pk"))
    rows[0].address = "新地址一"  # the second row is written unchanged
    Enterprise.objects.bulk_update(rows, ["address"])
    mark = last_sequence()

    with CaptureQueriesContext(connection) as queries:
        audit_rows(rows, action="test.bulk_update", fields=["address"])

    assert not [q for q in queries.captured_queries if "projects_enterprise" in q["sql"]]
    [record] = AuditRecord.objects.filter(sequence__gt=mark)
    assert record.object_id == str(first.pk)
    assert record.changes == {
        "rows": {str(first.pk): {"address": {"old": "旧地址一", "new": "新地址一"}}}
    }


def test_audit_rows_after_bulk_create_records_the_new_rows_values():
    region = EnterpriseFactory().region
    rows = Enterprise.objects.bulk_create(
        [
            Enterprise(name="批量一有限公司", credit_code="91150602MA0000001X", region=region),
            Enterprise(name="批量二有限公司", credit_code="91150602MA0000002X", region=region),
        ]
    )
    mark = last_sequence()

    audit_rows(rows, action="test.bulk_create", created=True)

    [record] = AuditRecord.objects.filter(sequence__gt=mark)
    assert record.summary == "新建企业 2 条"
    names = {pk: row["name"] for pk, row in record.changes["rows"].items()}
    assert names == {
        str(rows[0].pk): {"new": "批量一有限公司"},
        str(rows[1].pk): {"new": "批量二有限公司"},
    }
    assert verify()[0]
