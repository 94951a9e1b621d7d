"""Files attached to records (a case's materials, its result document, a commission's signed
scans): one model, one service, and the record of every read.

Every file enters through :func:`bangban.documents.attachments.attachment_store`, which checks
size and type by parsing, sanitises the name and encrypts the content (SM4-GCM, a data key per
file wrapped by the master key, docs/files.md); every read goes through
:func:`~bangban.documents.attachments.attachment_read`, which writes an
:class:`AttachmentAccess`. No other code writes or opens these files itself.
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
    key_id = models.CharField(
        "主密钥标识", max_length=16, blank=True, help_text="空：加密之前存入的明文文件"
    )
    wrapped_key = models.CharField("加密的数据密钥", max_length=80, blank=True, editable=False)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_encrypted(self) -> bool:
        return bool(self.key_id)


class AttachmentAccess(models.Model):
    """One read of an attachment: who, when, from where, which file, for which commission.

    The commission is kept by its number (documents sits below projects and names no model of
    it); the enterprise's commission page lists the reads of its files from here."""

    class Channel(models.TextChoices):
        WEB = "web", "网页"
        API = "api", "接口"

    attachment = models.ForeignKey(
        Attachment, verbose_name="文件", on_delete=models.PROTECT, related_name="accesses"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="查阅人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("查阅时间", default=timezone.now, db_index=True)
    address = models.GenericIPAddressField("来源地址", null=True, blank=True)
    channel = models.CharField("方式", max_length=8, choices=Channel.choices)
    commission_pk = models.PositiveIntegerField(
        "所属委托编号", null=True, blank=True, db_index=True
    )
    # what the file is: 「授权委托书和承诺书签字盖章件」, 「DS08 <事项> · 申请材料：<材料>」
    subject = models.CharField("文件用途", max_length=400, blank=True)

    class Meta:
        verbose_name = "文件查阅记录"
        verbose_name_plural = "文件查阅记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} · {self.subject or self.attachment_id} · {self.at:%Y-%m-%d %H:%M}"
