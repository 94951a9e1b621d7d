"""Demo data so a newcomer sees a living system. Idempotent: existing rows are kept."""

from django.core.management.base import BaseCommand, CommandError

from bangban.accounts.models import Role, User
from bangban.accounts.services import user_create
from bangban.organization.models import Department, Region

DEMO_PASSWORD = "Bangban@2026"

# username, role, display name, region key, department key, staff site access
DEMO_USERS = [
    ("admin", Role.CENTRE_ADMIN, "赵管理", "150602", "dongsheng-bbdb", True),
    ("agent", Role.AGENT, "王帮办", "150602", "dongsheng-bbdb", False),
    ("agent2", Role.AGENT, "李代办", "150602", "dongsheng-bbdb", False),
    ("agent3", Role.AGENT, "张帮办", "ordos-hitech", "ordos-hitech-zwfw", False),
    ("officer", Role.DEPT_OFFICER, "刘审批", "150602", "dongsheng-zjj", False),
    ("helper", Role.DEPT_HELPER, "陈联络", "150602", "dongsheng-zrzy", False),
    ("sponsor", Role.SPONSOR, "周招商", "ordos-hitech", "ordos-hitech-xny", False),
    ("errand", Role.ERRAND, "吴跑腿", "horinger-new-area", "horinger-zhenglian", False),
    ("supervisor", Role.SUPERVISOR, "郑督查", "150600", None, False),
    ("leader", Role.LEADER, "孙主任", "ordos-hitech", None, False),
    ("enterprise", Role.ENTERPRISE, "鄂尔多斯示范新材料有限公司", "150602", None, False),
]


class Command(BaseCommand):
    help = f"创建演示数据：每个角色一个用户（密码 {DEMO_PASSWORD}）。可重复执行。"

    def handle(self, *args, **options):
        regions = {r.key: r for r in Region.objects.all()}
        departments = {d.key: d for d in Department.objects.all()}
        if not regions:
            raise CommandError("请先载入参考数据：python manage.py load_reference")
        created = 0
        for username, role, name, region_key, dept_key, is_admin in DEMO_USERS:
            if User.objects.filter(username=username).exists():
                continue
            user_create(
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                display_name=name,
                region=regions[region_key],
                department=departments.get(dept_key) if dept_key else None,
                is_staff=is_admin,
                is_superuser=is_admin,
            )
            created += 1
        self.stdout.write(
            f"演示用户：新建 {created} 个，共 {len(DEMO_USERS)} 个（密码 {DEMO_PASSWORD}）。"
        )
