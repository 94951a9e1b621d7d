from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


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
    password_changed_at = models.DateTimeField(
        "密码修改时间",
        null=True,
        blank=True,
        editable=False,
        help_text="超过密码策略规定的天数后，页面提醒用户修改密码。",
    )

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username

    def save(self, *args, **kwargs):
        # set_password() keeps the raw password until the save (Django then tells the
        # validators); a hash upgrade at login clears it first, so it is no change.
        if self._password is not None:
            self.password_changed_at = timezone.now()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "password" in update_fields:
                kwargs["update_fields"] = {*update_fields, "password_changed_at"}
        super().save(*args, **kwargs)

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


class LoginLock(models.Model):
    """Failed logins counted per account (the user name typed) and per client address, in
    the database so every worker process sees the same count (docs/login.md)."""

    class Kind(models.TextChoices):
        ACCOUNT = "account", "账号"
        ADDRESS = "address", "来源地址"

    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    key = models.CharField("账号或地址", max_length=150)
    failures = models.PositiveIntegerField("连续失败次数", default=0)
    last_failure_at = models.DateTimeField("最近失败时间")
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)

    class Meta:
        verbose_name = "登录锁定"
        verbose_name_plural = "登录锁定"
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="loginlock_unique_kind_key")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key}"

    def is_locked(self, now) -> bool:
        return self.locked_until is not None and self.locked_until > now


class TotpDevice(models.Model):
    """A user's TOTP authenticator (RFC 6238). The secret is stored encrypted
    (bangban.accounts.crypto) and shown only while the enrolment is unconfirmed."""

    user = models.OneToOneField(
        User, verbose_name="用户", on_delete=models.CASCADE, related_name="totp_device"
    )
    secret_encrypted = models.TextField("密钥（加密）", editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    confirmed_at = models.DateTimeField("绑定时间", null=True, blank=True)
    #: The last time step whose code was accepted: a code is good once (RFC 6238 §5.2).
    last_used_step = models.BigIntegerField("最近使用的时间步", default=0)

    class Meta:
        verbose_name = "动态验证码设备"
        verbose_name_plural = "动态验证码设备"

    def __str__(self) -> str:
        return f"{self.user} 的动态验证码"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
