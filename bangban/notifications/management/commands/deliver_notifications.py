from django.core.management.base import BaseCommand

from bangban.notifications.messages import ADMIN
from bangban.notifications.models import State
from bangban.notifications.selectors import notification_outbox_counts
from bangban.notifications.services import notification_deliver_pending


class Command(BaseCommand):
    help = (
        "发送到期的待发送消息（电子邮件、短信），失败的按退避时间稍后重试。"
        "可由 cron 每分钟运行；配置了 Celery beat 时无需再运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500, help="本次最多发送多少条（默认 500）")

    def handle(self, *args, limit=500, **options):
        sent = notification_deliver_pending(limit=limit)
        counts = notification_outbox_counts()
        self.stdout.write(
            ADMIN["delivered"].format(
                sent=sent, queued=counts[State.QUEUED], failed=counts[State.FAILED]
            )
        )
