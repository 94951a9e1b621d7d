"""After service and accountability (SPEC §7): 好差评 ratings, the rectification a bad rating
opens, follow-up visits (回访), complaints and accountability records.

Sources: Baotou's 好差评 and sampling of enterprises for follow-up, Dongsheng's 回访制, the
six forbidden behaviours and the accountability of the Ordos document. Every record keeps the
time it was recorded beside the time it is said to have happened (SPEC §6 trustworthy times).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from bangban.common.fields import LimitedTextField


class Level(models.TextChoices):
    """The five national levels of 好差评 (the same values as the evaluation form's)."""

    VERY_SATISFIED = "very_satisfied", "非常满意"
    SATISFIED = "satisfied", "满意"
    BASICALLY_SATISFIED = "basically_satisfied", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"
    VERY_DISSATISFIED = "very_dissatisfied", "非常不满意"


#: 好评 in the satisfaction share (SPEC §7: (非常满意+满意) / ratings).
GOOD_LEVELS = (Level.VERY_SATISFIED, Level.SATISFIED)
#: 差评: opens a rectification and always a follow-up visit.
BAD_LEVELS = (Level.DISSATISFIED, Level.VERY_DISSATISFIED)
#: The ratings that are "the" rating of a commission or of a case, given once each (the
#: database's constraints too): the enterprise's online one and the window or paper one staff
#: record. A rating given at a follow-up visit comes in addition.
ONCE_SOURCES = ["portal", "window"]


class AfterServicePolicy(models.Model):
    """The after-service settings of a region (region empty: the platform default): which
    share of completed commissions is drawn for a follow-up visit and when it is due, the
    rectification deadline of a bad rating and when its return visit is due. Data
    (``data/evaluation/after_service.yaml``, ``manage.py load_after_service``), editable in
    the admin; a commission follows the policy of its project's region or the nearest region
    above it, else the default (docs/after-service.md)."""

    region = models.OneToOneField(
        "organization.Region",
        verbose_name="区划",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="after_service_policy",
        help_text="空表示平台默认；项目所在区划或其上级区划有设置时以最近的一级为准。",
    )
    follow_up_share = models.DecimalField(
        "回访抽样比例",
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text="0 到 1 之间，例如 0.300 表示抽取 30% 的已办结委托回访。",
    )
    follow_up_after_days = models.PositiveSmallIntegerField(
        "办结后回访期限（工作日）", validators=[MaxValueValidator(60)]
    )
    rectification_days = models.PositiveSmallIntegerField(
        "差评整改期限（工作日）",
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text="默认 5 个工作日；各地做法为 5 到 15 个工作日。",
    )
    bad_rating_visit_days = models.PositiveSmallIntegerField(
        "差评回访期限（工作日）",
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="差评后多少个工作日内回访评价人（整改的回访）。",
    )
    sample_seed = models.CharField(
        "抽样种子",
        max_length=64,
        help_text="抽样可复现：SM3(种子:委托编号 id) 得到 [0,1) 的取值，小于抽样比例即抽中。",
    )
    source = models.CharField("出处", max_length=300)
    estimated = models.CharField(
        "估算的取值",
        max_length=200,
        blank=True,
        help_text="哪些取值是估算或政策选择，而非出自文件。",
    )
    note = models.CharField("说明", max_length=300, blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "回访与整改设置"
        verbose_name_plural = "回访与整改设置"
        ordering = ["region__path"]

    def __str__(self) -> str:
        where = self.region.name if self.region_id else "平台默认"
        return f"{where}：抽样 {self.follow_up_share:.0%}，整改 {self.rectification_days} 个工作日"


class SampleDraw(models.Model):
    """The follow-up draw of one completed commission, drawn or not (SPEC §7: visits for a
    random share of commissions): the seed, the share and the value drawn are kept, so anyone
    can recompute why a commission was or was not visited."""

    commission = models.OneToOneField(
        "projects.Commission",
        verbose_name="代办委托",
        on_delete=models.PROTECT,
        related_name="sample_draw",
    )
    seed = models.CharField("抽样种子", max_length=100)
    share = models.DecimalField("抽样比例", max_digits=4, decimal_places=3)
    value = models.FloatField("抽取值")
    sampled = models.BooleanField("抽中")
    drawn_at = models.DateTimeField("抽样时间", default=timezone.now)

    class Meta:
        verbose_name = "回访抽样"
        verbose_name_plural = "回访抽样"
        ordering = ["-drawn_at", "-id"]

    def __str__(self) -> str:
        outcome = "抽中" if self.sampled else "未抽中"
        return f"{outcome}（{self.value:.4f} {'<' if self.sampled else '≥'} {self.share}）"


class FollowUpVisit(models.Model):
    """回访: scheduled after a commission completes, for a drawn share of commissions and always
    for a bad rating (then it is also the return visit to the rater)."""

    class Reason(models.TextChoices):
        SAMPLED = "sampled", "随机抽样回访"
        BAD_RATING = "bad_rating", "差评回访"
        MANUAL = "manual", "人工安排"

    class State(models.TextChoices):
        SCHEDULED = "scheduled", "待回访"
        DONE = "done", "已回访"
        CANCELLED = "cancelled", "已取消"

    class Method(models.TextChoices):
        PHONE = "phone", "电话回访"
        ON_SITE = "on_site", "实地回访"
        SMS = "sms", "短信回访"

    commission = models.ForeignKey(
        "projects.Commission",
        verbose_name="代办委托",
        on_delete=models.PROTECT,
        related_name="follow_up_visits",
    )
    reason = models.CharField("回访原因", max_length=12, choices=Reason.choices)
    rating = models.ForeignKey(
        "Rating",
        verbose_name="所回访的评价",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="return_visits",
    )
    # The reproducible draw that selected a sampled commission: seed, share and the value drawn.
    draw = models.JSONField("抽样记录", default=dict, blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.SCHEDULED)
    due_date = models.DateField("回访期限")
    due_provisional = models.BooleanField("期限暂定", default=False)
    method = models.CharField("回访方式", max_length=10, choices=Method.choices, blank=True)
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="回访人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    visited_at = models.DateTimeField("回访时间", null=True, blank=True)
    recorded_at = models.DateTimeField("记录时间", null=True, blank=True)
    backfilled = models.BooleanField("补录", default=False)
    contact = models.CharField("受访人", max_length=40, blank=True)
    findings = LimitedTextField("回访情况", max_length=2000, blank=True)
    cancel_reason = models.CharField("取消原因", max_length=300, blank=True)
    created_at = models.DateTimeField("安排时间", default=timezone.now)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "回访"
        verbose_name_plural = "回访"
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["state", "due_date"])]
        constraints = [
            # one return visit per bad rating
            models.UniqueConstraint(
                fields=["rating"], condition=Q(rating__isnull=False), name="visit_one_per_rating"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.due_date}"


class Rating(models.Model):
    """好差评: one rating of a completed commission (case empty) or of one completed case."""

    class Source(models.TextChoices):
        PORTAL = "portal", "企业网上评价"
        VISIT = "visit", "回访时记录"
        WINDOW = "window", "窗口评价器/纸质评价表"

    commission = models.ForeignKey(
        "projects.Commission",
        verbose_name="代办委托",
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name="办件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ratings",
        help_text="空表示对整个代办服务的评价。",
    )
    department = models.ForeignKey(
        "organization.Department",
        verbose_name="所评部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ratings",
        help_text="办件的评价为办件的审批部门，整个代办服务的评价为委托的牵头部门（创建时写入）。",
    )
    level = models.CharField("评价等级", max_length=20, choices=Level.choices)
    comment = LimitedTextField("评价意见", max_length=1000, blank=True)
    source = models.CharField("评价渠道", max_length=10, choices=Source.choices)
    visit = models.ForeignKey(
        FollowUpVisit,
        verbose_name="回访",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="评价人（或记录人）",
        on_delete=models.PROTECT,
        related_name="+",
    )
    rated_at = models.DateTimeField("评价时间", default=timezone.now)
    recorded_at = models.DateTimeField("记录时间", default=timezone.now)
    backfilled = models.BooleanField("补录", default=False)

    class Meta:
        verbose_name = "好差评"
        verbose_name_plural = "好差评"
        ordering = ["-rated_at", "-id"]
        indexes = [models.Index(fields=["rated_at"])]
        constraints = [
            # the enterprise rates a commission, and each case, once (online or on paper)
            models.UniqueConstraint(
                fields=["commission"],
                condition=Q(case__isnull=True, source__in=ONCE_SOURCES),
                name="rating_once_per_commission",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(case__isnull=False, source__in=ONCE_SOURCES),
                name="rating_once_per_case",
            ),
            # a visit records at most one rating
            models.UniqueConstraint(
                fields=["visit"], condition=Q(visit__isnull=False), name="rating_once_per_visit"
            ),
        ]

    def __str__(self) -> str:
        return self.get_level_display()

    @property
    def is_bad(self) -> bool:
        return self.level in BAD_LEVELS


class Rectification(models.Model):
    """整改: a bad rating is verified (核实), rectified (整改) and answered (反馈) by a deadline
    (default 5 working days), tracked and overdue like a case."""

    class State(models.TextChoices):
        VERIFYING = "verifying", "待核实"
        RECTIFYING = "rectifying", "整改中"
        ANSWERED = "answered", "已反馈"
        CLOSED = "closed", "已办结"

    rating = models.OneToOneField(
        Rating, verbose_name="差评", on_delete=models.PROTECT, related_name="rectification"
    )
    commission = models.ForeignKey(
        "projects.Commission",
        verbose_name="代办委托",
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    department = models.ForeignKey(
        "organization.Department",
        verbose_name="责任部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任代办员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.VERIFYING)
    due_date = models.DateField("整改期限")
    due_provisional = models.BooleanField("期限暂定", default=False)
    verification = LimitedTextField("核实情况", max_length=2000, blank=True)
    verified_at = models.DateTimeField("核实时间", null=True, blank=True)
    measures = LimitedTextField("整改措施", max_length=2000, blank=True)
    rectified_at = models.DateTimeField("整改时间", null=True, blank=True)
    answer = LimitedTextField("反馈内容", max_length=2000, blank=True)
    answered_at = models.DateTimeField("反馈时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "差评整改"
        verbose_name_plural = "差评整改"
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["state", "due_date"])]

    def __str__(self) -> str:
        return f"整改 {self.rating}"


class RectificationEvent(models.Model):
    """One step of a rectification (who, when, from, to, what was said)."""

    rectification = models.ForeignKey(
        Rectification,
        verbose_name="差评整改",
        on_delete=models.CASCADE,
        related_name="events",
    )
    action = models.CharField("操作", max_length=20)
    from_state = models.CharField("原状态", max_length=12, blank=True)
    to_state = models.CharField("新状态", max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = LimitedTextField("说明", max_length=2000, blank=True)
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "整改记录"
        verbose_name_plural = "整改记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.label} {self.at:%Y-%m-%d %H:%M}"

    @property
    def label(self) -> str:
        from .lifecycle import RECTIFICATION_EVENT_LABELS

        return RECTIFICATION_EVENT_LABELS.get(self.action, self.action)


class Complaint(models.Model):
    """投诉: by channel, in the six forbidden behaviours of the Ordos document (or other),
    against an agent or a department; a substantiated one leads to accountability."""

    class Channel(models.TextChoices):
        HOTLINE_12345 = "hotline_12345", "12345热线"
        HOTLINE = "hotline", "投诉电话"
        MAILBOX = "mailbox", "意见箱/信箱"
        WINDOW = "window", "窗口"
        ONLINE = "online", "网上投诉"

    class Category(models.TextChoices):
        SHIRKING = "shirking", "推诿拖延"
        RUDENESS = "rudeness", "态度恶劣"
        EXTORTION = "extortion", "吃拿卡要"
        LEAKING_SECRETS = "leaking_secrets", "泄露商业秘密"
        MISUSING_MATERIALS = "misusing_materials", "非法使用企业资料"
        HARMING_REPUTATION = "harming_reputation", "损害企业声誉利益"
        OTHER = "other", "其他"

    class State(models.TextChoices):
        RECEIVED = "received", "已登记"
        HANDLING = "handling", "核查处理中"
        CLOSED = "closed", "已办结"

    class Finding(models.TextChoices):
        SUBSTANTIATED = "substantiated", "属实"
        PARTLY = "partly", "部分属实"
        UNSUBSTANTIATED = "unsubstantiated", "不属实"

    region = models.ForeignKey(
        "organization.Region",
        verbose_name="所属区划",
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    channel = models.CharField("投诉渠道", max_length=20, choices=Channel.choices)
    category = models.CharField("投诉类别", max_length=20, choices=Category.choices)
    commission = models.ForeignKey(
        "projects.Commission",
        verbose_name="涉及代办委托",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="被投诉人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints_against",
    )
    subject_department = models.ForeignKey(
        "organization.Department",
        verbose_name="被投诉部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints_against",
    )
    complainant = models.CharField("投诉人", max_length=60, blank=True)
    complainant_contact = models.CharField("投诉人联系方式", max_length=40, blank=True)
    content = LimitedTextField("投诉内容", max_length=4000)
    received_at = models.DateTimeField("收到时间", default=timezone.now)
    recorded_at = models.DateTimeField("记录时间", default=timezone.now)
    backfilled = models.BooleanField("补录", default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.RECEIVED)
    due_date = models.DateField("办理期限", null=True, blank=True)
    due_provisional = models.BooleanField(
        "期限待确认", default=False, help_text="期限落在工作日历尚未确认的年份（只按周末推算）。"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核查人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handling = LimitedTextField("核查情况", max_length=4000, blank=True)
    finding = models.CharField("核查结论", max_length=20, choices=Finding.choices, blank=True)
    result = LimitedTextField("处理结果及答复", max_length=4000, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "投诉"
        verbose_name_plural = "投诉"
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["state", "due_date"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.get_category_display()}"


#: The findings that count as substantiated (查实): 属实 and 部分属实 — the verified part of a
#: partly substantiated complaint is a violation too (docs/complaints.md). Each creates a
#: violation record; the annual evaluation counts complaints with these findings.
SUBSTANTIATED_FINDINGS = (Complaint.Finding.SUBSTANTIATED, Complaint.Finding.PARTLY)


class ComplaintEvent(models.Model):
    """One step of a complaint (登记, 交办核查, 记录核查情况, 办结): who, when, from, to, note."""

    complaint = models.ForeignKey(
        Complaint, verbose_name="投诉", on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField("操作", max_length=20)
    from_state = models.CharField("原状态", max_length=10, blank=True)
    to_state = models.CharField("新状态", max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    note = LimitedTextField("说明", max_length=4000, blank=True)
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "投诉办理记录"
        verbose_name_plural = "投诉办理记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"


class ComplaintPolicy(models.Model):
    """How many working days a complaint has from its receipt to its conclusion, per region
    (the nearest region up the tree applies). Data (``data/evaluation/complaints.yaml``,
    ``manage.py load_complaint_policy``), editable in the admin."""

    region = models.OneToOneField(
        "organization.Region",
        verbose_name="区划",
        on_delete=models.CASCADE,
        related_name="complaint_policy",
    )
    working_days = models.PositiveSmallIntegerField("办理时限（工作日）")
    estimated = models.BooleanField(
        "估计值", default=False, help_text="种子文件未规定时限时的估计值，待当地确认。"
    )
    source = models.CharField("出处", max_length=300)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "投诉办理时限"
        verbose_name_plural = "投诉办理时限"
        ordering = ["region__path"]

    def __str__(self) -> str:
        return f"{self.region} {self.working_days} 个工作日"


class AccountabilityRecord(models.Model):
    """问责: a violation record or a notice of criticism (通报批评) of an agent or a department,
    from a substantiated complaint or a supervisor's finding."""

    class Kind(models.TextChoices):
        VIOLATION = "violation", "违规记录"
        CRITICISM = "criticism", "通报批评"

    class Source(models.TextChoices):
        COMPLAINT = "complaint", "投诉查实"
        SUPERVISION = "supervision", "督查发现"

    region = models.ForeignKey(
        "organization.Region",
        verbose_name="所属区划",
        on_delete=models.PROTECT,
        related_name="accountability_records",
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    source = models.CharField("来源", max_length=12, choices=Source.choices)
    complaint = models.ForeignKey(
        Complaint,
        verbose_name="投诉",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accountability_records",
    )
    category = models.CharField(
        "违规行为", max_length=20, choices=Complaint.Category.choices, blank=True
    )
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accountability_records",
    )
    subject_department = models.ForeignKey(
        "organization.Department",
        verbose_name="责任部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accountability_records",
    )
    number = models.CharField("文号", max_length=60, blank=True)
    facts = LimitedTextField("违规事实", max_length=4000)
    decision = LimitedTextField("处理决定", max_length=4000)
    occurred_on = models.DateField("发生日期", null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="作出人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField("作出时间", default=timezone.now)

    class Meta:
        verbose_name = "问责记录"
        verbose_name_plural = "问责记录"
        ordering = ["-issued_at", "-id"]
        constraints = [
            # a notice of criticism's number (文号) names one notice
            models.UniqueConstraint(
                fields=["number"],
                condition=models.Q(kind="criticism") & ~models.Q(number=""),
                name="accountability_criticism_number_unique",
            )
        ]
        indexes = [models.Index(fields=["issued_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}".strip()
