"""The industry-policy catalog (产业政策条目) and the eligibility checks (核实) of projects.

`PolicyVersion` is one loaded list of entries with its source document, date and the
official size of each list (鼓励 352, 限制 231, 淘汰 422 for the 2024 catalog): the seed from
`data/industry/policy.yaml` (command ``load_policy``) or an Excel import by a centre admin
(``import_industry_policy``, the admin's 「导入 Excel」). Exactly one version is current; the
screening reads its active `PolicyEntry` rows, which centre admins may still edit.
`EligibilityCheck` is the history of screenings: each screening is a new row; its matches
keep a snapshot of the entries as they were and its coverage what the list stood for, so a
later edit or import never changes what a past answer said.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from bangban.common.fields import LimitedTextField
from bangban.eligibility.industry import load_industry_codes
from bangban.organization.models import Region
from bangban.rules import screening

CODE_TOKEN_RE = re.compile(r"^(?P<section>[A-Z])(?P<division>\d{2})?(?P<rest>\d{1,2})?$")
LIST_SEPARATORS_RE = re.compile(r"[\s,，、;；]+")


def split_list(value: str) -> list[str]:
    """Codes or keywords typed in one field: separated by blanks, commas, 、 or semicolons."""
    return [part for part in LIST_SEPARATORS_RE.split(value or "") if part]


def validate_code_token(token: str) -> str | None:
    """A Chinese message when `token` is not a GB/T 4754 section, division, group or class."""
    table = load_industry_codes()
    match = CODE_TOKEN_RE.match(token)
    if match is None:
        return f"行业代码“{token}”格式不对：应为门类字母，或门类字母加 2～4 位数字（如 C、C30、C3011）。"
    section, division, rest = match.group("section", "division", "rest")
    if section not in table.sections:
        return f"行业代码“{token}”的门类 {section} 不存在。"
    if division is None:
        return None
    if division not in table.divisions or table.section_of(division) != section:
        return f"行业代码“{token}”的大类 {division} 不存在或不属于门类 {section}。"
    if (
        rest is not None
        and len(rest) == 2
        and division in table.complete_divisions
        and token not in table.classes
    ):
        return f"行业代码“{token}”不是 GB/T 4754-2017 的小类。"
    return None


class PolicyVersion(models.Model):
    """One loaded list of policy entries: its source, date, origin and completeness."""

    class Origin(models.TextChoices):
        SEED = "seed", "数据文件（种子数据）"
        EXCEL = "excel", "Excel 导入"

    source = models.CharField(
        "目录文件名称",
        max_length=200,
        help_text="如《产业结构调整指导目录（2024年本）》；用于查找官方条目总数。",
    )
    source_date = models.DateField("目录日期（发布或施行）")
    origin = models.CharField("来源方式", max_length=10, choices=Origin.choices)
    file_name = models.CharField("导入文件", max_length=200, blank=True)
    official_totals = models.JSONField(
        "官方条目总数",
        default=dict,
        help_text='类别 → 条目数，如 {"encourage": 352, "restrict": 231, "eliminate": 422}。',
    )
    is_current = models.BooleanField("当前版本", default=False)
    note = LimitedTextField("说明", max_length=1000, blank=True)
    created_at = models.DateTimeField("导入时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="导入人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "产业政策目录版本"
        verbose_name_plural = "产业政策目录版本"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="eligibility_one_current_policy_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.source}（{screening.format_date(self.source_date)}，第 {self.pk} 版）"

    def coverage(self) -> screening.Coverage:
        """What the version's active entries stand for (see `policy_coverage`)."""
        rows = self.entries.filter(is_active=True).values_list(
            "layer", "policy_class", "catalog_number"
        )
        return policy_coverage(self.source, self.official_totals, rows)

    @property
    def is_complete(self) -> bool:
        return self.coverage().complete


#: A catalog number that marks the preamble of a list (a rule, not one of its entries).
PREAMBLE_NUMBER = "说明"


def policy_coverage(source: str, totals, rows) -> screening.Coverage:
    """Count the official entries held: national rows per class, rows sharing a catalog number
    counting once (an official entry split into several rows for matching), rows without a
    number one each, preamble rows (number 「说明」) not at all; regional rows apart."""
    seen: dict[str, set] = {}
    regional = 0
    for index, (layer, policy_class, number) in enumerate(rows):
        if layer != screening.NATIONAL:
            regional += 1
            continue
        number = (number or "").strip()
        if number == PREAMBLE_NUMBER:
            continue
        seen.setdefault(policy_class, set()).add(number or ("#", index))
    held = {name: len(keys) for name, keys in seen.items()}
    clean_totals = {str(k): int(v) for k, v in (totals or {}).items()}
    return screening.Coverage(source=source, held=held, totals=clean_totals, regional=regional)


class PolicyEntry(models.Model):
    """One entry of the industry-policy catalog: national (产业结构调整指导目录) or regional."""

    class Layer(models.TextChoices):
        NATIONAL = screening.NATIONAL, "国家产业政策"
        REGIONAL = screening.REGIONAL, "地方规定"

    class PolicyClass(models.TextChoices):
        ENCOURAGE = screening.ENCOURAGE, "鼓励类"
        RESTRICT = screening.RESTRICT, "限制类"
        ELIMINATE = screening.ELIMINATE, "淘汰类"
        PROHIBIT = screening.PROHIBIT, "禁止类（地方）"

    class AppliesTo(models.TextChoices):
        NEW = screening.NEW, "新建（新增产能）"
        EXISTING = screening.EXISTING, "现有产能改造升级"
        BOTH = screening.BOTH, "新建和改造升级"

    class Condition(models.TextChoices):
        NONE = screening.NO_CONDITION, "无"
        BELOW_BENCHMARK = screening.BELOW_BENCHMARK, "能效低于标杆水平时"
        OUTSIDE_PARK = screening.OUTSIDE_PARK, "位于工业园区外时"

    version = models.ForeignKey(
        PolicyVersion,
        verbose_name="目录版本",
        on_delete=models.PROTECT,
        related_name="entries",
    )
    key = models.SlugField("标识", max_length=80)
    layer = models.CharField("层级", max_length=10, choices=Layer.choices)
    policy_class = models.CharField("类别", max_length=10, choices=PolicyClass.choices)
    section = models.CharField("所属行业/章节", max_length=100, blank=True)
    catalog_number = models.CharField(
        "目录条目编号",
        max_length=40,
        blank=True,
        help_text="官方目录中的条目编号；同一官方条目拆成多行时填写相同编号（统计完整性时算一条）；"
        "类别的说明（如限制类说明）填「说明」，不计入条目数。",
    )
    # limits: the longest of data/industry/policy.yaml are 47 (text) and 153 (note)
    text = LimitedTextField("条目内容", max_length=2000)
    industry_codes = models.CharField(
        "行业代码",
        max_length=500,
        blank=True,
        help_text="GB/T 4754-2017 代码，可为门类（C）、大类（C30）、中类（C301）或小类（C3011），"
        "以空格或逗号分隔；项目行业代码以其中之一开头即命中。",
    )
    keywords = models.CharField(
        "关键词",
        max_length=500,
        blank=True,
        help_text="以空格、逗号或顿号分隔；项目名称或概况含其中之一即命中。",
    )
    region_keys = models.CharField(
        "适用地区",
        max_length=200,
        blank=True,
        help_text="区划标识（如 150200 包头市、150600 鄂尔多斯市），以空格或逗号分隔；"
        "项目所在区划或其上级在其中时才适用。不填：全部地区。",
    )
    qualifier = models.CharField(
        "适用条件",
        max_length=300,
        blank=True,
        help_text="系统无法自动判断的条件（规模门槛、除外情形等）。填写后，代办员核对不满足时"
        "可写明理由认定本条不适用；不填时，由行业代码命中即适用，仅由关键词命中的仍可认定不适用。",
    )
    applies_to = models.CharField(
        "适用于", max_length=10, choices=AppliesTo.choices, default=AppliesTo.BOTH
    )
    condition = models.CharField(
        "附加条件", max_length=20, choices=Condition.choices, default=Condition.NONE, blank=True
    )
    source = models.CharField("来源（文件及条款/页码）", max_length=400)
    source_date = models.DateField("来源日期（发布或施行）", null=True, blank=True)
    note = LimitedTextField("备注", max_length=1000, blank=True)
    verified = models.BooleanField(
        "已核对",
        default=False,
        help_text="条文与来源已对照官方文本逐字核对。未核对的条目命中后，代办员须先对照官方文本"
        "核对并确认，才能作出不予办理并出具告知书（告知书只写条文、类别和来源，不写未核实的位置）。",
    )
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "产业政策条目"
        verbose_name_plural = "产业政策条目"
        ordering = ["layer", "sort_order", "key"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="eligibility_entry_key")
        ]

    def __str__(self) -> str:
        text = self.text if len(self.text) <= 40 else self.text[:40] + "…"
        return f"{self.get_layer_display()}·{self.get_policy_class_display()}：{text}"

    def code_list(self) -> list[str]:
        return [code.upper() for code in split_list(self.industry_codes)]

    def keyword_list(self) -> list[str]:
        return split_list(self.keywords)

    def region_list(self) -> list[str]:
        return split_list(self.region_keys)

    def clean_fields(self, exclude=None) -> None:
        self.industry_codes = " ".join(self.code_list())
        self.keywords = "、".join(self.keyword_list())
        self.region_keys = " ".join(self.region_list())
        for name in ("section", "catalog_number", "text", "qualifier", "source", "note"):
            setattr(self, name, (getattr(self, name) or "").strip())
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        code_errors = [m for m in map(validate_code_token, self.code_list()) if m]
        if code_errors:
            errors["industry_codes"] = code_errors
        regions = self.region_list()
        if regions:
            known = set(Region.objects.filter(key__in=regions).values_list("key", flat=True))
            unknown = [key for key in regions if key not in known]
            if unknown:
                errors["region_keys"] = [f"区划“{'、'.join(unknown)}”不存在。"]
        if not self.code_list() and not self.keyword_list():
            errors.setdefault("keywords", []).append(
                "行业代码和关键词至少填写一项，否则本条不会命中任何项目。"
            )
        if self.policy_class == self.PolicyClass.PROHIBIT and self.layer != self.Layer.REGIONAL:
            errors.setdefault("policy_class", []).append("“禁止类”只用于地方规定。")
        if errors:
            raise ValidationError(errors)

    def to_core(self) -> screening.Entry:
        """The plain-data entry the screening core takes."""
        return screening.Entry(
            key=self.key,
            layer=self.layer,
            policy_class=self.policy_class,
            text=self.text,
            section=self.section,
            industry_codes=tuple(self.code_list()),
            keywords=tuple(self.keyword_list()),
            qualifier=self.qualifier,
            applies_to=self.applies_to,
            condition=self.condition,
            source=self.source,
            source_date=self.source_date,
            regions=tuple(self.region_list()),
        )


class EligibilityCheck(models.Model):
    """One screening of a project (核实), and the 发改 decision when it needs one."""

    class Outcome(models.TextChoices):
        ELIGIBLE = screening.ELIGIBLE, "允许类，可以办理"
        PRIORITY = screening.PRIORITY, "鼓励类，优先办理"
        REFUSED = screening.REFUSED, "不予办理"
        AWAITING_DECISION = screening.AWAITING_DECISION, "待发展改革部门决定"
        APPROVED_WITH_CONDITIONS = "approved_with_conditions", "发展改革部门同意继续办理"
        REFUSED_BY_DECISION = "refused_by_decision", "发展改革部门不同意，不予办理"

    #: Outcomes with which the commission may go on.
    PROCEEDING = frozenset({Outcome.ELIGIBLE, Outcome.PRIORITY, Outcome.APPROVED_WITH_CONDITIONS})

    project = models.ForeignKey(
        "projects.Project",
        verbose_name="项目",
        on_delete=models.PROTECT,
        related_name="eligibility_checks",
    )
    industry_code = models.CharField("核实时的行业代码", max_length=5)
    is_new_capacity = models.BooleanField(
        "新建（新增产能）", help_text="否：现有产能的改造升级，不新增产能。"
    )
    below_energy_benchmark = models.BooleanField("能效低于标杆水平", default=False)
    in_industrial_park = models.BooleanField("位于工业园区内", default=True)
    outcome = models.CharField("核实结论", max_length=30, choices=Outcome.choices)
    # written by the system from every match (each up to 4000 characters): generous
    explanation = LimitedTextField("书面解释", max_length=50000)
    matched_entries = models.ManyToManyField(
        PolicyEntry,
        through="EligibilityMatch",
        verbose_name="命中条目",
        related_name="eligibility_checks",
        blank=True,
    )
    policy_version = models.ForeignKey(
        PolicyVersion,
        verbose_name="比对的目录版本",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="checks",
    )
    coverage = models.JSONField(
        "比对范围",
        default=dict,
        blank=True,
        help_text="核实时比对的条目数与官方总数（source、held、totals、regional、complete）。",
    )
    needs_confirmation = models.BooleanField(
        "须代办员确认",
        default=False,
        help_text="目录尚未完整导入时，工业项目的允许类结论须代办员对照完整目录确认后方可继续。",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    confirmation_note = LimitedTextField("确认说明", max_length=1000, blank=True)
    checked_at = models.DateTimeField("核实时间", auto_now_add=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核实人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="决定人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    decision_reason = LimitedTextField("决定理由", max_length=2000, blank=True)
    conditions = LimitedTextField("办理条件", max_length=2000, blank=True)

    class Meta:
        verbose_name = "产业政策核实"
        verbose_name_plural = "产业政策核实记录"
        ordering = ["-checked_at", "-id"]

    def __str__(self) -> str:
        return f"{self.project} · {self.get_outcome_display()}"

    @property
    def may_proceed(self) -> bool:
        """True when the commission may go on (允许类 — confirmed by the agent when that is
        needed —, 鼓励类, or 发改 agreed)."""
        return self.outcome in self.PROCEEDING and not self.awaiting_confirmation

    @property
    def awaiting_confirmation(self) -> bool:
        """An eligible answer against an incomplete catalog that the agent has not confirmed."""
        return (
            self.outcome == self.Outcome.ELIGIBLE
            and self.needs_confirmation
            and self.confirmed_at is None
        )

    @property
    def outcome_label(self) -> str:
        """The outcome as shown: 「允许类，可以办理（待代办员确认）」 while awaiting confirmation."""
        label = self.get_outcome_display()
        return f"{label}（待代办员确认）" if self.awaiting_confirmation else label

    @property
    def is_decided(self) -> bool:
        return self.decided_at is not None

    def explanation_lines(self) -> list[str]:
        """The written answer as Chinese sentences, the 发改 decision (if any) last."""
        lines = [line for line in self.explanation.splitlines() if line.strip()]
        if self.confirmed_at is not None:
            by = "，".join(
                part
                for part in (
                    str(self.confirmed_by) if self.confirmed_by_id else "",
                    screening.format_date(timezone.localdate(self.confirmed_at)),
                )
                if part
            )
            note = self.confirmation_note.rstrip("。")
            lines.append(
                f"代办员确认（{by}）：已对照完整目录核对，不属于鼓励类、限制类、淘汰类，"
                f"按允许类继续办理。核对说明：{note}。"
            )
        if self.outcome == self.Outcome.APPROVED_WITH_CONDITIONS:
            parts = [f"发展改革部门决定（{self._decision_by()}）：同意继续办理"]
            if self.conditions:
                parts.append(f"办理条件：{self.conditions.rstrip('。')}")
            if self.decision_reason:
                parts.append(f"理由：{self.decision_reason.rstrip('。')}")
            lines.append("。".join(parts) + "。")
        elif self.outcome == self.Outcome.REFUSED_BY_DECISION:
            lines.append(
                f"发展改革部门决定（{self._decision_by()}）：不同意继续办理，不予办理。"
                f"理由：{self.decision_reason.rstrip('。')}。"
            )
        return lines

    def _decision_by(self) -> str:
        parts = []
        if self.decided_by_id:
            user = self.decided_by
            department = user.department.name if user.department_id else ""
            parts.append(f"{department} {user}".strip())
        if self.decided_at:
            parts.append(screening.format_date(timezone.localdate(self.decided_at)))
        return "，".join(parts)


class EligibilityMatch(models.Model):
    """A matched entry of a check, with the entry's wording as it was at the time."""

    class Effect(models.TextChoices):
        REFUSE = screening.REFUSE, "不予办理"
        DECIDE = screening.DECIDE, "须发展改革部门决定"
        PRIORITY = screening.PRIORITISE, "优先办理"
        NOT_APPLICABLE = screening.NOT_APPLICABLE, "经核对不适用"

    eligibility_check = models.ForeignKey(
        EligibilityCheck, verbose_name="核实", on_delete=models.CASCADE, related_name="matches"
    )
    entry = models.ForeignKey(
        PolicyEntry,
        verbose_name="条目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="matches",
        help_text="为空时是系统内置规则（能效低于标杆水平的新建工业项目参照限制类管理）。",
    )
    position = models.PositiveIntegerField("序号")
    key = models.CharField("条目标识", max_length=80)
    layer = models.CharField("层级", max_length=10, choices=PolicyEntry.Layer.choices)
    policy_class = models.CharField("类别", max_length=10, choices=PolicyEntry.PolicyClass.choices)
    section = models.CharField("所属行业/章节", max_length=100, blank=True)
    text = LimitedTextField("条目内容", max_length=2000)  # the entry's, copied
    qualifier = models.CharField("适用条件", max_length=300, blank=True)
    source = models.CharField("来源", max_length=400)
    source_date = models.DateField("来源日期", null=True, blank=True)
    matched_by = models.CharField("命中依据", max_length=300)
    effect = models.CharField("效果", max_length=20, choices=Effect.choices)
    not_applicable_reason = LimitedTextField("不适用理由", max_length=1000, blank=True)
    # written by the system: the entry's text, its qualifier and the reason, in a sentence
    sentence = LimitedTextField("解释", max_length=4000)

    class Meta:
        verbose_name = "命中条目"
        verbose_name_plural = "命中条目"
        ordering = ["eligibility_check", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["eligibility_check", "position"], name="eligibility_match_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_layer_display()}·{self.get_policy_class_display()}：{self.text[:40]}"
