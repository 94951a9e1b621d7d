"""Regions (the 区划 tree), departments, the domain → lead-department routing table, and
which bureau holds a function in each region."""

import re

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


#: Item codes as the catalog writes them (DS31, MA01, XA03, UT07).
ITEM_CODE_RE = r"^[A-Z]{2}\d{2}$"


class FunctionHolder(models.Model):
    """Which bureau holds a function in a region (办理部门按区划): the items of a domain, or
    the items named, are handled by ``department`` for the projects of ``region`` and below.

    The catalog names one department per item (a 东胜区 bureau); where a function sits with
    another bureau elsewhere (拆改供排水设施 and 城市绿化 with 城市管理综合执法局 in 东胜区, with
    住建/水务/园林 elsewhere) a row says so. The planner takes the row of the project's region
    or of the nearest region above it (a row naming the item before a row of its domain), and
    the catalog's (tier's) department when no row holds. ``service_mode`` (optional) is the
    mode the region applies to what the department holds there (种子 003: 新区其他部门 →
    联审联批); a department outside the project's 旗县区/园区 is 专业跑腿 whatever it says.
    Data: ``data/organization/function_holders.yaml``, every row with its source."""

    class Mode(models.TextChoices):
        # The same values as catalog.ServiceMode (organization sits below the catalog).
        BANGBAN = "bangban", "帮办代办"
        JOINT = "joint", "联审联批"
        ERRAND = "errand", "专业跑腿"

    key = models.SlugField("标识", max_length=60, unique=True)
    region = models.ForeignKey(
        Region, verbose_name="区划", on_delete=models.CASCADE, related_name="function_holders"
    )
    domain = models.CharField(
        "领域（职能）",
        max_length=30,
        choices=Domain.choices,
        blank=True,
        help_text="该领域的事项都由此部门办理；与“事项编码”二选一",
    )
    items = models.CharField(
        "事项编码",
        max_length=200,
        blank=True,
        help_text="以空格或逗号分隔，例如 DS31 DS57；与“领域”二选一。点名的事项优先于领域",
    )
    department = models.ForeignKey(
        Department, verbose_name="办理部门", on_delete=models.PROTECT, related_name="+"
    )
    service_mode = models.CharField(
        "服务方式",
        max_length=10,
        choices=Mode.choices,
        blank=True,
        help_text="空：按事项清单；部门不在项目所在旗县区、园区内时一律为专业跑腿",
    )
    source = models.CharField("出处", max_length=300)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "办理部门（按区划）"
        verbose_name_plural = "办理部门（按区划）"
        ordering = ["region__path", "domain", "items"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "domain"],
                condition=~models.Q(domain=""),
                name="function_holder_unique_domain_per_region",
            )
        ]

    def __str__(self) -> str:
        what = self.get_domain_display() if self.domain else self.items
        return f"{self.region} · {what} → {self.department}"

    @property
    def codes(self) -> tuple[str, ...]:
        return item_codes(self.items)

    def clean(self) -> None:
        self.items = " ".join(item_codes(self.items))
        if bool(self.domain) == bool(self.items):
            raise ValidationError({"items": "请填写领域或事项编码，二者只填其一。"})
        bad = [code for code in self.codes if not re.match(ITEM_CODE_RE, code)]
        if bad:
            raise ValidationError(
                {"items": f"事项编码「{'、'.join(bad)}」格式不对，应为两个大写字母加两位数字。"}
            )
        if not (self.source or "").strip():
            raise ValidationError({"source": "请写明出处。"})
        if self.region_id and self.department_id:
            region, home = self.region, self.department.region
            if not (home.is_within(region) or region.is_within(home)):
                raise ValidationError({"department": "办理部门应属于该区划、其上级或其下级区划。"})
            taken = set(
                code
                for row in FunctionHolder.objects.filter(region_id=self.region_id)
                .exclude(pk=self.pk)
                .exclude(items="")
                .values_list("items", flat=True)
                for code in item_codes(row)
            )
            twice = [code for code in self.codes if code in taken]
            if twice:
                raise ValidationError(
                    {"items": f"该区划已有其他记录写明事项「{'、'.join(twice)}」的办理部门。"}
                )


def item_codes(text: str) -> tuple[str, ...]:
    """The codes of an ``items`` text (spaces, commas or 、 between), upper case, in order,
    each once."""
    parts = re.split(r"[\s,，、;；]+", (text or "").strip().upper())
    return tuple(dict.fromkeys(part for part in parts if part))
