import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="staffingminimum",
            name="role",
            field=models.CharField(
                choices=[
                    ("enterprise", "项目单位/投资者"),
                    ("sponsor", "招引单位/产业办"),
                    ("agent", "代办帮办员"),
                    ("dept_officer", "审批部门人员"),
                    ("dept_helper", "部门帮办员"),
                    ("centre_admin", "中心管理员"),
                    ("errand", "跑腿公司人员"),
                    ("supervisor", "督查人员"),
                    ("leader", "管委会领导"),
                ],
                help_text="代办机构计“代办帮办员”，部门计“部门帮办员”。",
                max_length=20,
                verbose_name="计数的角色",
            ),
        ),
        migrations.AlterField(
            model_name="staffingminimum",
            name="minimum",
            field=models.PositiveSmallIntegerField(
                validators=[
                    django.core.validators.MaxValueValidator(500, "最低人数不能超过 500。")
                ],
                verbose_name="最低人数",
            ),
        ),
        migrations.AddConstraint(
            model_name="staffingminimum",
            constraint=models.UniqueConstraint(
                condition=models.Q(("region__isnull", True)),
                fields=("unit_kind",),
                name="supervision_one_default_minimum_per_unit_kind",
                violation_error_message="该单位类型已有全平台默认标准。",
            ),
        ),
    ]
