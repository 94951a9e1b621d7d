from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models


class Role(models.TextChoices):
    """The roles of SPEC §1."""

    ENTERPRISE = "enterprise", "项目单位/投资者"
    SPONSOR = "sponsor", "招引单位/产业办"
    AGENT = "agent", "代办帮办员"
    DEPT_OFFICER = "dept_officer", "审批部门人员"
    DEPT_HELPER = "dept_helper", "部门帮办员"
    CENTRE_ADMIN = "centre_admin", "中心管理员"
    ERRAND = "errand", "跑腿公司人员"
    SUPERVISOR = "supervisor", "督查人员"
    LEADER = "leader", "管委会领导"


#: Roles whose users work for a department and must name it.
STAFF_ROLES = frozenset(
    {Role.SPONSOR, Role.AGENT, Role.DEPT_OFFICER, Role.DEPT_HELPER, Role.CENTRE_ADMIN, Role.ERRAND}
)


class User(AbstractUser):
    display_name = models.CharField("姓名", max_length=40, blank=True)
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.ENTERPRISE)
    region = models.ForeignKey(
        "organization.Region",
        verbose_name="所属区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    department = models.ForeignKey(
        "organization.Department",
        verbose_name="所属部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    mobile = models.CharField("手机号码", max_length=11, blank=True)
    enterprise = models.ForeignKey(
        "projects.Enterprise",
        verbose_name="所属企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text="项目单位/投资者账号所代表的企业；其他角色不填。",
    )

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username

    def clean(self) -> None:
        super().clean()
        errors = {}
        if not self.is_superuser and self.region_id is None:
            errors["region"] = "请选择用户所属区划。"
        if self.role in STAFF_ROLES and self.department_id is None:
            errors["department"] = "工作人员须指定所属部门。"
        if self.role == Role.ENTERPRISE and self.enterprise_id is None and not self.is_superuser:
            errors["enterprise"] = "项目单位/投资者账号须指定所属企业。"
        if self.role != Role.ENTERPRISE and self.enterprise_id is not None:
            errors["enterprise"] = "只有项目单位/投资者账号可以指定所属企业。"
        if self.mobile and not (
            len(self.mobile) == 11
            and self.mobile.isdigit()
            and self.mobile[0] == "1"
            and self.mobile[1] in "3456789"
        ):
            errors["mobile"] = "请输入 11 位大陆手机号码。"
        if (
            self.department_id
            and self.region_id
            and not self.department.region.is_within(self.region)
            and not self.region.is_within(self.department.region)
        ):
            errors["department"] = "所属部门与所属区划不一致。"
        if errors:
            raise ValidationError(errors)

    @property
    def role_label(self) -> str:
        return self.get_role_display()
