"""Completion and archive (SPEC §7): the originals returned to the enterprise (返还原件).

Ordos: 「终止及办结的代办项目，代办服务机构应及时归档，并将涉及项目的有关资料及时交还投资者」.
Each original handed back is one row (what, how many copies, on which day, who received it),
recorded before or when the commission is archived; the completion and termination slips
list them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from .intake import Commission


class ReturnedOriginal(models.Model):
    commission = models.ForeignKey(
        Commission,
        verbose_name="代办委托",
        on_delete=models.PROTECT,
        related_name="returned_originals",
    )
    name = models.CharField("材料名称", max_length=200)
    copies = models.PositiveSmallIntegerField("份数", default=1)
    returned_on = models.DateField("返还日期")
    received_by = models.CharField("签收人", max_length=40)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "返还原件"
        verbose_name_plural = "返还原件"
        ordering = ["returned_on", "id"]

    def __str__(self) -> str:
        return f"{self.name} {self.copies}份"

    @property
    def line(self) -> str:
        """「营业执照 1份（2026-10-12 王经理签收）」 as the slips print it."""
        return f"{self.name} {self.copies}份（{self.returned_on:%Y-%m-%d} {self.received_by}签收）"
