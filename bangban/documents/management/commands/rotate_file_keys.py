from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from bangban.documents.attachments import attachment_keys_rotate
from bangban.documents.crypto import keyring


class Command(BaseCommand):
    help = (
        "把全部附件的数据密钥改用当前主密钥（BANGBAN_FILE_MASTER_KEY）加密，文件内容不重新加密；"
        "旧主密钥由 BANGBAN_FILE_OLD_MASTER_KEYS 提供。可重复执行。"
    )

    def handle(self, *args, **options):
        try:
            moved, plain = attachment_keys_rotate()
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(
            f"已用主密钥 {keyring().current_id} 重新封装 {moved} 个文件的数据密钥（文件内容未变）。"
        )
        if plain:
            self.stdout.write(f"注意：仍有 {plain} 个未加密的旧文件（migrate 会加密它们）。")
