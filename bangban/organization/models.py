"""Regions (the 区划 tree), departments and the domain → lead-department routing table."""

from django.core.exceptions import ValidationError
from django.db import models


class Domain(models.TextChoices):
    """Administrative domains (领域). Catalog items carry one; routing maps it to a lead department."""

    DEVELOPMENT = "development", "发改"
    INDUSTRY = "industry", "工信"
    ENERGY = "energy", "能源"
    ECOLOGY = "ecology", "生态环境"
    HOUSING = "housing", "住建"
    EMERGENCY = "emergency", "应急管理"
    MUNICIPAL = "municipal", "市政公用"
    COMMERCE = "commerce", "商务"
    SCIENCE = "science", "科技"
    NATURAL_RESOURCES = "natural_resources", "自然资源"
    FORESTRY = "forestry", "林草"
    MARKET = "market", "市场监管"
    APPROVAL = "approval", "行政审批"
    GOVERNMENT_SERVICE = "government_service", "政务服务"
    TRANSPORT = "transport", "交通运输"
    WATER = "water", "水利水务"
    METEOROLOGY = "meteorology", "气象"
    CULTURE = "culture", "文物"
    FIRE = "fire", "消防"
    AGRICULTURE = "agriculture", "农牧"


class Region(models.Model):
    class Level(models.TextChoices):
        REGION = "region", "自治区"
        CITY = "city", "盟市"
        COUNTY = "county", "旗县区"
        ZONE = "zone", "园区/新区"
        TOWN = "town", "苏木乡镇街道"
        VILLAGE = "village", "嘎查村社区"

    class CodeKind(models.TextChoices):
        GBT2260 = "gbt2260", "GB/T 2260 行政区划代码"
        NBS = "nbs_stat", "统计用区划代码"
        CUSTOM = "custom", "自定义（无国家代码）"

    key = models.SlugField("标识", max_length=40, unique=True)
    code = models.CharField("区划代码", max_length=12, blank=True)
    code_kind = models.CharField("代码类型", max_length=10, choices=CodeKind.choices)
    name = models.CharField("名称", max_length=60)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField("路径", max_length=400, db_index=True, editable=False)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "区划"
        verbose_name_plural = "区划"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.path = self.compute_path()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.code_kind in (self.CodeKind.GBT2260,) and not (
            self.code.isdigit() and len(self.code) == 6
        ):
            raise ValidationError({"code": "GB/T 2260 行政区划代码应为 6 位数字。"})
        if self.code_kind == self.CodeKind.NBS and not (
            self.code.isdigit() and len(self.code) in (6, 9, 12)
        ):
            raise ValidationError({"code": "统计用区划代码应为 6、9 或 12 位数字。"})
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": "上级区划不能是它自己或它的下级。"})
            ancestor = ancestor.parent

    def compute_path(self) -> str:
        prefix = self.parent.path if self.parent_id else "/"
        return f"{prefix}{self.key}/"

    def is_within(self, other: "Region") -> bool:
        """True when this node lies in `other`'s subtree (itself included)."""
        return self.path.startswith(other.path)


class Department(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", "政府部门"
        STATIONED = "stationed", "派驻机构"
        INDUSTRY_OFFICE = "industry_office", "产业管理办公室"
        PUBLIC_SERVICE = "public_service", "公用服务单位"
        ERRAND = "errand", "专业跑腿服务公司"
        TOWN = "town", "乡镇街道"

    class Function(models.TextChoices):
        """What the department does in 代办帮办 — read by the code instead of its name
        (who gets a sponsor push's copies, who decides for 发改)."""

        AGENCY = "agency", "代办机构（政务服务）"
        INVESTMENT_PROMOTION = "investment_promotion", "投资促进（招商）"
        DEVELOPMENT_REFORM = "development_reform", "发展改革"
        INDUSTRY_AUTHORITY = "industry_authority", "行业主管部门"
        APPROVAL = "approval", "审批部门"
        INDUSTRY_OFFICE = "industry_office", "产业办（园区）"
        OTHER = "other", "其他"

    key = models.SlugField("标识", max_length=60, unique=True)
    name = models.CharField("名称", max_length=80)
    region = models.ForeignKey(
        Region, verbose_name="所属区划", on_delete=models.PROTECT, related_name="departments"
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.GOVERNMENT)
    function = models.CharField(
        "职能",
        max_length=30,
        choices=Function.choices,
        default=Function.OTHER,
        help_text="代办机构收到招引项目推送的抄送；投资促进部门同样抄送；发展改革部门的审批人员"
        "可对限制类现有产能改造升级作出决定。按职能而非名称判断。",
    )
    phone = models.CharField("联系电话", max_length=30, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["region__path", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"], name="department_unique_name_per_region"
            )
        ]

    def __str__(self) -> str:
        return self.name


class RoutingRule(models.Model):
    """Which department leads the 代办帮办 of a domain's items in a region (Ordos seed, SPEC §3)."""

    region = models.ForeignKey(
        Region, verbose_name="区划", on_delete=models.CASCADE, related_name="routing_rules"
    )
    domain = models.CharField("领域", max_length=30, choices=Domain.choices)
    department = models.ForeignKey(
        Department, verbose_name="牵头部门", on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "领域牵头部门"
        verbose_name_plural = "领域牵头部门（分办规则）"
        ordering = ["region__path", "domain"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "domain"], name="routing_unique_domain_per_region"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region} · {self.get_domain_display()} → {self.department}"

    def clean(self) -> None:
        if (
            self.department_id
            and self.region_id
            and not self.department.region.is_within(self.region)
        ):
            raise ValidationError({"department": "牵头部门应属于该区划或其下级。"})
