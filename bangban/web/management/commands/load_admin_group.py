from django.core.management.base import BaseCommand

from bangban.web.access import CENTRE_ADMIN_GROUP, centre_admin_group_sync


class Command(BaseCommand):
    help = "创建或更新「中心管理员」权限组（管理后台中可查看、修改的数据类型；可见范围按所属区划）。可重复执行。"

    def handle(self, *args, **options):
        _, count = centre_admin_group_sync()
        self.stdout.write(f"权限组「{CENTRE_ADMIN_GROUP}」：{count} 项权限。")
