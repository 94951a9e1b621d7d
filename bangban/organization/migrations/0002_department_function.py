from django.db import migrations, models

FUNCTION_CHOICES = [
    ("agency", "代办机构（政务服务）"),
    ("investment_promotion", "投资促进（招商）"),
    ("development_reform", "发展改革"),
    ("industry_authority", "行业主管部门"),
    ("approval", "审批部门"),
    ("industry_office", "产业办（园区）"),
    ("other", "其他"),
]
FUNCTION_HELP = (
    "代办机构收到招引项目推送的抄送；投资促进部门同样抄送；发展改革部门的审批人员"
    "可对限制类现有产能改造升级作出决定。按职能而非名称判断。"
)


class Migration(migrations.Migration):
    """Department.function. Rows that exist before this migration are left unset ("") rather
    than guessed: `load_organization` (run by `load_reference` and `make setup`) fills an unset
    function from data/organization/departments.yaml and never touches a set one; new rows
    default to 其他."""

    dependencies = [
        ("organization", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="department",
            name="function",
            field=models.CharField(
                choices=FUNCTION_CHOICES,
                default="",
                help_text=FUNCTION_HELP,
                max_length=30,
                verbose_name="职能",
            ),
        ),
        migrations.AlterField(
            model_name="department",
            name="function",
            field=models.CharField(
                choices=FUNCTION_CHOICES,
                default="other",
                help_text=FUNCTION_HELP,
                max_length=30,
                verbose_name="职能",
            ),
        ),
    ]
