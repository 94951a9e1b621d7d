"""Entries loaded before versions existed join one seed version, made current."""

import datetime as dt

from django.db import migrations

#: The catalog the seed file stands for (data/industry/catalogs.yaml at the time of writing).
SOURCE = "《产业结构调整指导目录（2024年本）》"
DATE = dt.date(2024, 2, 1)
TOTALS = {"encourage": 352, "restrict": 231, "eliminate": 422}


def forwards(apps, schema_editor):
    PolicyEntry = apps.get_model("eligibility", "PolicyEntry")
    PolicyVersion = apps.get_model("eligibility", "PolicyVersion")
    if not PolicyEntry.objects.filter(version__isnull=True).exists():
        return
    version = PolicyVersion.objects.create(
        source=SOURCE,
        source_date=DATE,
        origin="seed",
        file_name="data/industry/policy.yaml",
        official_totals=TOTALS,
        is_current=not PolicyVersion.objects.filter(is_current=True).exists(),
        note="种子数据：部分条目为概括或待对照官方文本核对，见各条备注。",
    )
    PolicyEntry.objects.filter(version__isnull=True).update(version=version)


class Migration(migrations.Migration):
    dependencies = [("eligibility", "0002_policy_versions")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
