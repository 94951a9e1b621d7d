from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "载入全部参考数据：区划、部门、分办规则、事项清单、审批时间承诺、产业政策、回访与整改设置、投诉办理时限、人员配备标准、年度考核方案、中心管理员权限组。可重复执行。"

    def handle(self, *args, **options):
        call_command("load_organization", stdout=self.stdout)
        call_command("load_catalog", stdout=self.stdout)
        call_command("load_promises", stdout=self.stdout)
        call_command("load_policy", stdout=self.stdout)
        call_command("load_after_service", stdout=self.stdout)
        call_command("load_complaint_policy", stdout=self.stdout)
        call_command("load_staffing", stdout=self.stdout)
        call_command("load_evaluation_schemes", stdout=self.stdout)
        call_command("load_admin_group", stdout=self.stdout)
