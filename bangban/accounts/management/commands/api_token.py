"""``api_token create USERNAME`` prints a new token (the old one stops working);
``api_token revoke USERNAME`` revokes it. Tokens expire after BANGBAN_API_TOKEN_DAYS."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bangban.accounts import selectors, services
from bangban.accounts.models import User


class Command(BaseCommand):
    help = "生成（create）或撤销（revoke）用户的接口令牌。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "revoke"])
        parser.add_argument("username")

    def handle(self, *args, action, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户 {username}。")
        if action == "revoke":
            revoked = services.api_token_revoke(user=user)
            self.stdout.write("已撤销。" if revoked else "该用户没有令牌。")
            return
        try:
            token = services.api_token_create(user=user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        expires = timezone.localtime(selectors.api_token_expires_at(token))
        self.stdout.write(token.key)
        self.stderr.write(f"有效期至 {expires:%Y-%m-%d %H:%M}；令牌只显示这一次。")
