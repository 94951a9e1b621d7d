from django.conf import settings
from django.db import models

from bangban.common.fields import LimitedTextField


class CalendarYear(models.Model):
    """A year of the working-day calendar as a centre entered it (the State Council notice).

    A confirmed year is *known*: deadlines in it are not provisional. Its days come from the
    ``holidays`` package where the package has the year, and from its overrides.
    """

    year = models.PositiveSmallIntegerField("年份", unique=True)
    confirmed = models.BooleanField("已确认", default=False)
    notice_title = models.CharField("通知标题", max_length=200, blank=True)
    notice_text = LimitedTextField(
        "通知内容", max_length=20000, blank=True, help_text="按原样保存的录入内容"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField("录入时间", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "年度日历"
        verbose_name_plural = "年度日历"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年"


class DayOverride(models.Model):
    """One date whose status a centre fixed; it always wins over the package and weekends."""

    class Source(models.TextChoices):
        NOTICE = "notice", "年度通知"
        MANUAL = "manual", "单日调整"

    date = models.DateField("日期", unique=True)
    is_working_day = models.BooleanField("上班", help_text="勾选为上班（工作日），不勾选为休息")
    name = models.CharField("名称", max_length=50, blank=True, help_text="如：春节、国庆节调休上班")
    note = models.CharField("备注", max_length=200, blank=True)
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.MANUAL)
    calendar_year = models.ForeignKey(
        CalendarYear,
        verbose_name="年度日历",
        on_delete=models.CASCADE,
        related_name="overrides",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "日期调整"
        verbose_name_plural = "日期调整"
        ordering = ["date"]

    def __str__(self) -> str:
        kind = "上班" if self.is_working_day else "休息"
        return f"{self.date.isoformat()} {kind}" + (f"（{self.name}）" if self.name else "")
