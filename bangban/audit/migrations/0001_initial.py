import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditRecord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sequence", models.PositiveBigIntegerField(unique=True, verbose_name="序号")),
                ("at", models.DateTimeField(verbose_name="时间")),
                (
                    "actor_username",
                    models.CharField(blank=True, max_length=150, verbose_name="操作人用户名"),
                ),
                (
                    "remote_addr",
                    models.CharField(blank=True, max_length=45, verbose_name="来源地址"),
                ),
                ("action", models.CharField(db_index=True, max_length=64, verbose_name="动作")),
                (
                    "object_type",
                    models.CharField(blank=True, max_length=100, verbose_name="对象类型"),
                ),
                (
                    "object_id",
                    models.CharField(blank=True, max_length=64, verbose_name="对象编号"),
                ),
                ("summary", models.TextField(blank=True, verbose_name="摘要")),
                ("changes", models.JSONField(blank=True, default=dict, verbose_name="变更内容")),
                ("prev_hash", models.CharField(max_length=64, verbose_name="前一条哈希")),
                (
                    "hash",
                    models.CharField(max_length=64, unique=True, verbose_name="哈希（SM3）"),
                ),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="操作人",
                    ),
                ),
            ],
            options={
                "verbose_name": "审计记录",
                "verbose_name_plural": "审计记录",
                "ordering": ["-sequence"],
                "indexes": [
                    models.Index(fields=["object_type", "object_id"], name="audit_object_idx")
                ],
            },
        ),
    ]
