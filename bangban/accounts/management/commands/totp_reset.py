"""``totp_reset USERNAME``: remove the user's TOTP device; the next login enrols anew."""

from django.core.management.base import BaseCommand, CommandError

from bangban.accounts import services
from bangban.accounts.models import User


class Command(BaseCommand):
    help = "重置用户的动态验证码（下次登录时重新绑定）。"

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户 {username}。")
        done = services.totp_reset(user=user)
        self.stdout.write("已重置。" if done else "该用户尚未绑定动态验证码。")
