"""The approval-item catalog (事项清单), versioned (SPEC §3).

Every item, material and prerequisite belongs to one CatalogVersion. Editing happens on the
single draft version; publishing it supersedes the previous published version. Cases keep
a foreign key to the versioned item they were planned with, so open work keeps its version.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from bangban.common.fields import LimitedTextField
from bangban.organization.models import Domain
from bangban.rules.conditions import MAX_LENGTH as CONDITION_MAX_LENGTH


class Stage(models.TextChoices):
    MARKET_ACCESS = "market_access", "市场准入"
    LAND_TRANSFER = "land_transfer", "土地使用权出让"
    PROJECT_LAND = "project_land", "立项用地规划许可"
    ENGINEERING = "engineering", "工程建设许可"
    CONSTRUCTION = "construction", "施工许可"
    COMPLETION = "completion", "竣工验收"
    UTILITIES = "utilities", "市政公用服务"
    OTHER = "other", "其他事项"


STAGE_ORDER = {value: index for index, value in enumerate(Stage.values)}


class HandlingLevel(models.TextChoices):
    ZONE = "zone", "旗区/园区"
    CITY = "city", "盟市"
    REGION = "region", "自治区"
    STATE = "state", "国家"


class ItemKind(models.TextChoices):
    IMMEDIATE = "immediate", "即办件"
    PROMISED = "promised", "承诺件"
    REPORTED = "reported", "上报件"


class LimitUnit(models.TextChoices):
    WORKING = "working", "工作日"
    CALENDAR = "calendar", "自然日"


class ServiceMode(models.TextChoices):
    BANGBAN = "bangban", "帮办代办"
    JOINT = "joint", "联审联批"
    ERRAND = "errand", "专业跑腿"


class CatalogVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"
        SUPERSEDED = "superseded", "已停用"

    number = models.PositiveIntegerField("版本号", unique=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAFT)
    note = models.CharField("说明", max_length=200, blank=True)
    source = models.CharField("来源", max_length=200, blank=True)
    digest = models.CharField("内容摘要（SM3）", max_length=64, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "事项清单版本"
        verbose_name_plural = "事项清单版本"
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="draft"), name="catalog_single_draft"
            ),
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="published"), name="catalog_single_published"
            ),
        ]

    def __str__(self) -> str:
        return f"第 {self.number} 版（{self.get_status_display()}）"


class Item(models.Model):
    version = models.ForeignKey(
        CatalogVersion, verbose_name="版本", on_delete=models.PROTECT, related_name="items"
    )
    code = models.CharField("事项编码", max_length=20)
    name = models.CharField("事项名称", max_length=120)
    aliases = models.JSONField(
        "其他名称", default=list, blank=True, help_text="政策文件中的其他写法，用于检索"
    )
    stage = models.CharField("阶段", max_length=20, choices=Stage.choices)
    domain = models.CharField("领域", max_length=30, choices=Domain.choices)
    department = models.ForeignKey(
        "organization.Department",
        verbose_name="办理部门",
        on_delete=models.PROTECT,
        related_name="catalog_items",
    )
    handling_level = models.CharField(
        "办理层级", max_length=10, choices=HandlingLevel.choices, default=HandlingLevel.ZONE
    )
    authority = models.CharField(
        "审批机关", max_length=80, blank=True, help_text="在旗区之上作出决定的机关（上报件）"
    )
    kind = models.CharField("办件类型", max_length=10, choices=ItemKind.choices)
    legal_limit_days = models.PositiveSmallIntegerField(
        "法定时限", null=True, blank=True, help_text="空表示法律未设定时限"
    )
    legal_limit_unit = models.CharField(
        "法定时限单位", max_length=10, choices=LimitUnit.choices, default=LimitUnit.WORKING
    )
    promised_limit_days = models.PositiveSmallIntegerField("承诺时限（工作日）")
    preparation_days = models.PositiveSmallIntegerField("材料准备时间（工作日）", default=0)
    service_mode = models.CharField("服务方式", max_length=10, choices=ServiceMode.choices)
    accept_with_gaps = models.BooleanField("可容缺受理", default=False)
    gap_supplement_days = models.PositiveSmallIntegerField("容缺补正期限（工作日）", default=5)
    notify_commit = models.BooleanField("可告知承诺", default=False)
    fees = models.CharField("收费", max_length=200, default="免费")
    # limits: the longest of data/catalog/items.yaml is 520 characters (a condition)
    legal_basis = LimitedTextField("设定依据", max_length=2000, blank=True)
    condition = LimitedTextField(  # the condition language's own limit
        "适用条件", max_length=CONDITION_MAX_LENGTH, blank=True, help_text="空表示所有项目都需办理"
    )
    condition_basis = LimitedTextField("适用条件依据", max_length=4000, blank=True)
    estimated_fields = models.JSONField("估算字段", default=list, blank=True)
    notes = LimitedTextField("备注", max_length=2000, blank=True)
    seed_ref = models.CharField("政策文件出处", max_length=100, blank=True)
    value_sources = models.CharField("数据来源", max_length=200, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "事项"
        verbose_name_plural = "事项"
        ordering = ["version", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"], name="catalog_item_unique_code_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ItemTier(models.Model):
    """A variant of an item whose level, department, limits or mode depend on the project
    (thresholds: e.g. 节能审查 at ≥ 1万 tce is decided by the 自治区). The planner takes the
    first tier (by ``sort_order``) whose condition holds; an empty condition always holds;
    when none holds the item's own values apply. Every field is stored in full (the data
    file lets a tier leave out what it shares with the item)."""

    item = models.ForeignKey(
        Item, verbose_name="事项", on_delete=models.CASCADE, related_name="tiers"
    )
    label = models.CharField("情形", max_length=120, help_text="例如：年综合能耗 1 万吨标准煤以上")
    condition = LimitedTextField(
        "适用条件", max_length=CONDITION_MAX_LENGTH, blank=True, help_text="空表示其余情形"
    )
    basis = LimitedTextField("依据", max_length=2000, blank=True)
    domain = models.CharField("领域", max_length=30, choices=Domain.choices)
    department = models.ForeignKey(
        "organization.Department",
        verbose_name="办理部门",
        on_delete=models.PROTECT,
        related_name="catalog_tiers",
    )
    handling_level = models.CharField("办理层级", max_length=10, choices=HandlingLevel.choices)
    authority = models.CharField(
        "审批机关", max_length=80, blank=True, help_text="在旗区之上作出决定的机关（上报件）"
    )
    kind = models.CharField("办件类型", max_length=10, choices=ItemKind.choices)
    legal_limit_days = models.PositiveSmallIntegerField(
        "法定时限", null=True, blank=True, help_text="空表示法律未设定时限"
    )
    legal_limit_unit = models.CharField(
        "法定时限单位", max_length=10, choices=LimitUnit.choices, default=LimitUnit.WORKING
    )
    promised_limit_days = models.PositiveSmallIntegerField("承诺时限（工作日）")
    preparation_days = models.PositiveSmallIntegerField("材料准备时间（工作日）", default=0)
    service_mode = models.CharField("服务方式", max_length=10, choices=ServiceMode.choices)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "分级情形"
        verbose_name_plural = "分级情形"
        ordering = ["item", "sort_order", "id"]

    def __str__(self) -> str:
        return self.label


class Material(models.Model):
    class Form(models.TextChoices):
        ORIGINAL = "original", "原件"
        COPY = "copy", "复印件"
        BOTH = "both", "原件及复印件"
        ELECTRONIC = "electronic", "电子件"

    item = models.ForeignKey(
        Item, verbose_name="事项", on_delete=models.CASCADE, related_name="materials"
    )
    name = models.CharField("材料名称", max_length=200)
    form = models.CharField("材料形式", max_length=12, choices=Form.choices, default=Form.ORIGINAL)
    copies = models.PositiveSmallIntegerField("份数", default=1)
    is_core = models.BooleanField(
        "核心材料", default=True, help_text="容缺受理时只有非核心材料可以暂缺"
    )
    note = models.CharField("说明", max_length=300, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "申请材料"
        verbose_name_plural = "申请材料"
        ordering = ["item", "sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class Prerequisite(models.Model):
    """`item` cannot start before `required` is done (when both are in a project's plan)."""

    item = models.ForeignKey(
        Item, verbose_name="事项", on_delete=models.CASCADE, related_name="prerequisite_links"
    )
    required = models.ForeignKey(
        Item, verbose_name="前置事项", on_delete=models.CASCADE, related_name="dependent_links"
    )
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "前置事项"
        verbose_name_plural = "前置事项"
        constraints = [
            models.UniqueConstraint(fields=["item", "required"], name="catalog_prerequisite_unique")
        ]

    def __str__(self) -> str:
        return f"{self.required.code} → {self.item.code}"
