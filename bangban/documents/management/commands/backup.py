from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bangban.documents.backup import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "备份到目录 DIR：数据库（JSON）、加密的附件文件（原样，不解密）和清单"
        "（每个文件的 SM3 摘要、各表行数、主密钥标识；不含密钥）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="新的或空的目录")

    def handle(self, *args, directory: Path, **options):
        try:
            manifest = backup_write(directory)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["rows"].values())
        files = len(manifest["files"]) - 1
        self.stdout.write(
            f"已备份到 {directory}：{rows} 行数据（{len(manifest['rows'])} 张表），{files} 个附件文件；"
            f"附件使用的主密钥：{'、'.join(manifest['file_keys']['used']) or '无'}。"
        )
