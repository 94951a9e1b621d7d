"""``login_unlock USERNAME`` (or ``--address A``): lift a login lock before it runs out."""

from django.core.management.base import BaseCommand, CommandError

from bangban.accounts import services


class Command(BaseCommand):
    help = "解除账号或来源地址的登录锁定。"

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", default="")
        parser.add_argument("--address", default="", help="解除该来源地址的锁定")

    def handle(self, *args, username, address, **options):
        if not (username or address):
            raise CommandError("请给出用户名或 --address。")
        removed = services.login_lock_clear(username=username, address=address)
        self.stdout.write(f"已解除 {removed} 个登录锁定。")
