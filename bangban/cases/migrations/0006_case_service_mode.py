"""The service mode of a case (帮办代办 / 联审联批 / 专业跑腿), the one its plan showed for the
project's region. Cases created before this column carry their item's catalog mode — what
coordination's errand task orders read until now."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def catalog_mode(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Item = apps.get_model("catalog", "Item")
    mode = Item.objects.filter(pk=OuterRef("item_id")).values("service_mode")[:1]
    Case.objects.update(service_mode=Subquery(mode))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_case_tier_limits"),
        ("catalog", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="service_mode",
            field=models.CharField(
                choices=[("bangban", "帮办代办"), ("joint", "联审联批"), ("errand", "专业跑腿")],
                default="",
                max_length=10,
                verbose_name="服务方式",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(catalog_mode, migrations.RunPython.noop),
    ]
