from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bangban.documents.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "从目录 DIR 的备份恢复到空数据库：先核对清单中每个文件的 SM3 摘要、当前主密钥能否解开"
        "全部数据密钥，再载入数据、核对各表行数、复制附件文件。"
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--force", action="store_true", help="数据库不空时先清空再恢复（会删除现有数据）"
        )

    def handle(self, *args, directory: Path, force: bool, **options):
        try:
            counts = backup_restore(directory, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        for label, count in counts.items():
            if count:
                self.stdout.write(f"{label}: {count}")
        self.stdout.write(f"已恢复 {sum(counts.values())} 行数据，行数与备份清单一致。")
