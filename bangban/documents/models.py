"""Files attached to records (a case's materials, its result document): one model, one service.

Every file enters through :func:`bangban.documents.attachments.attachment_store`, which checks
size and type by content and sanitises the name; the security issue encrypts the content and
logs every read there, so no other code writes or opens these files itself.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Attachment(models.Model):
    file = models.FileField("文件", upload_to="attachments/%Y/%m/", max_length=200)
    name = models.CharField("文件名", max_length=100)
    kind = models.CharField("类型", max_length=8)
    size = models.PositiveIntegerField("大小（字节）")
    digest = models.CharField("内容摘要（SM3）", max_length=64)
    purpose = models.CharField("用途", max_length=60, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.name
