# Complaints and accountability (issue 13, items 3 and 9): the complaint's history, the time
# limit per region, the provisional flag of its due date, the unique number of a notice of
# criticism. (Written by hand: only this part's operations.)

import bangban.common.fields
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0001_initial"),
        ("organization", "0003_functionholder"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ComplaintEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("action", models.CharField(max_length=20, verbose_name="操作")),
                ("from_state", models.CharField(blank=True, max_length=10, verbose_name="原状态")),
                ("to_state", models.CharField(max_length=10, verbose_name="新状态")),
                (
                    "note",
                    bangban.common.fields.LimitedTextField(
                        blank=True, max_length=4000, verbose_name="说明"
                    ),
                ),
                (
                    "at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="时间"),
                ),
                (
                    "actor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="操作人",
                    ),
                ),
                (
                    "complaint",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="evaluation.complaint",
                        verbose_name="投诉",
                    ),
                ),
            ],
            options={
                "verbose_name": "投诉办理记录",
                "verbose_name_plural": "投诉办理记录",
                "ordering": ["at", "id"],
            },
        ),
        migrations.CreateModel(
            name="ComplaintPolicy",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "working_days",
                    models.PositiveSmallIntegerField(verbose_name="办理时限（工作日）"),
                ),
                (
                    "estimated",
                    models.BooleanField(
                        default=False,
                        help_text="种子文件未规定时限时的估计值，待当地确认。",
                        verbose_name="估计值",
                    ),
                ),
                ("source", models.CharField(max_length=300, verbose_name="出处")),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="说明")),
                (
                    "region",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="complaint_policy",
                        to="organization.region",
                        verbose_name="区划",
                    ),
                ),
            ],
            options={
                "verbose_name": "投诉办理时限",
                "verbose_name_plural": "投诉办理时限",
                "ordering": ["region__path"],
            },
        ),
        migrations.AddField(
            model_name="complaint",
            name="due_provisional",
            field=models.BooleanField(
                default=False,
                help_text="期限落在工作日历尚未确认的年份（只按周末推算）。",
                verbose_name="期限待确认",
            ),
        ),
        migrations.AddIndex(
            model_name="accountabilityrecord",
            index=models.Index(fields=["issued_at"], name="evaluation__issued__7cac05_idx"),
        ),
        migrations.AddConstraint(
            model_name="accountabilityrecord",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind", "criticism"), models.Q(("number", ""), _negated=True)),
                fields=("number",),
                name="accountability_criticism_number_unique",
            ),
        ),
    ]
