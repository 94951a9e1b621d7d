# The signed scan of the two letters was a plain FileField (a file readable on disk); it becomes
# an attachment like every other stored file: encrypted (SM4-GCM), its reads recorded.

import django.db.models.deletion
from django.db import migrations, models, transaction

PURPOSE = "授权委托书和承诺书签字盖章件"


def move_signed_scans(apps, schema_editor):
    from django.core.files.base import ContentFile

    from bangban.common.hashing import sm3_hex
    from bangban.documents import crypto
    from bangban.rules import uploads

    db = schema_editor.connection.alias
    Commission = apps.get_model("projects", "Commission")
    Attachment = apps.get_model("documents", "Attachment")
    Transition = apps.get_model("projects", "CommissionTransition")
    for commission in Commission.objects.using(db).exclude(signed_scan=""):
        field = commission.signed_scan
        if not field.name or not field.storage.exists(field.name):
            continue
        with field.storage.open(field.name, "rb") as handle:
            content = handle.read()
        # an old file keeps the kind its first bytes named (the stricter parser came later)
        kind = (
            uploads.inspect(content, kinds=uploads.SCAN_KINDS).kind
            or uploads.sniff(content[:16])
            or "bin"
        )
        recorded = (
            Transition.objects.using(db)
            .filter(commission_id=commission.pk, action="record_signed_scan")
            .order_by("-at")
            .first()
        )
        blob, key_id, wrapped_key = crypto.seal(content)
        attachment = Attachment(
            name=uploads.safe_filename(field.name, kind=kind),
            kind=kind,
            size=len(content),
            digest=sm3_hex(content),
            purpose=PURPOSE,
            uploaded_by_id=recorded.actor_id if recorded else None,
            uploaded_at=recorded.at if recorded else commission.applied_at,
            key_id=key_id,
            wrapped_key=wrapped_key,
        )
        attachment.file.save(crypto.stored_name(), ContentFile(blob), save=False)
        attachment.save(using=db)
        commission.signed_scan_file_id = attachment.pk
        commission.save(update_fields=["signed_scan_file"])
        name, storage = field.name, field.storage
        transaction.on_commit(lambda n=name, s=storage: s.delete(n), using=db)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_encryption_and_access_log"),
        ("projects", "0006_project_city_road_dig_project_forest_type_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="commission",
            name="signed_scan_file",
            field=models.ForeignKey(
                blank=True,
                help_text="授权委托书和承诺书的纸质签字盖章件（PDF、JPEG 或 PNG，不超过 10 MB），加密存储。",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="documents.attachment",
                verbose_name="签字盖章扫描件",
            ),
        ),
        migrations.RunPython(move_signed_scans, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="commission",
            name="signed_scan",
        ),
        migrations.RenameField(
            model_name="commission",
            old_name="signed_scan_file",
            new_name="signed_scan",
        ),
    ]
