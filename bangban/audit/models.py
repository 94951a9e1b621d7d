"""The audit trail: one append-only chain of records, each sealed with the SM3 hash of its
content and of the record before it (docs/audit.md)."""

from django.conf import settings
from django.db import models


class AuditRecord(models.Model):
    """One thing someone did: a write, a login, a permission change, a document read.

    Never changed or deleted once written (on PostgreSQL a trigger refuses it); ``sequence``
    numbers the chain without gaps and ``hash`` = SM3(canonical content + ``prev_hash``)."""

    sequence = models.PositiveBigIntegerField("序号", unique=True)
    at = models.DateTimeField("时间")
    # PROTECT, not SET_NULL: nulling the actor would be an UPDATE of the record, which the
    # chain (its hash covers actor_id) and the PostgreSQL trigger both forbid. A user who has
    # acted is deactivated, never deleted; actor_username keeps the name regardless.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_username = models.CharField("操作人用户名", max_length=150, blank=True)
    remote_addr = models.CharField("来源地址", max_length=45, blank=True)
    action = models.CharField("动作", max_length=64, db_index=True)
    object_type = models.CharField("对象类型", max_length=100, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    summary = models.TextField("摘要", blank=True)
    changes = models.JSONField("变更内容", default=dict, blank=True)
    prev_hash = models.CharField("前一条哈希", max_length=64)
    hash = models.CharField("哈希（SM3）", max_length=64, unique=True)

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-sequence"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.summary}"
