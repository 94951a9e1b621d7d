from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bangban.audit.chain import verify_chain


class Command(BaseCommand):
    help = "校验审计链：按序号逐条重算 SM3 哈希，指出第一条断裂的记录（断裂时以非零状态退出）。"

    def handle(self, *args, **options):
        report = verify_chain()
        if report.intact:
            self.stdout.write(f"审计链完整：{report.checked} 条记录")
            return
        record = report.broken
        at = timezone.localtime(record.at).isoformat(timespec="seconds")
        raise CommandError(
            f"审计链断裂：第一条断裂的记录为 序号 {record.sequence}，ID {record.id}，"
            f"时间 {at}，动作 {record.action}。原因：{report.reason}。"
            f"此前 {report.checked} 条记录完整。"
        )
