"""Demo data so a newcomer sees a living system. Idempotent: existing rows are kept.

One user per role; four fictional enterprises (valid, generated credit codes); six projects
in 东胜区 and 鄂尔多斯高新区 whose commissions stand at different points of the journey (a new
application waiting for an agent, one verified and waiting for the enterprise to sign, one
agreed with its draft plan, one whose plan is fixed and under way, one refused under the
industry policy, one pushed by an industry office); and one
hotline consultation. Every commission is brought to its state through the services, so its
history and messages are those a real one would have.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from bangban.accounts.models import Role, TotpDevice, User
from bangban.accounts.policy import second_factor_required
from bangban.accounts.services import totp_device_enrol, user_create
from bangban.documents.pdf import simple_pdf
from bangban.eligibility.models import PolicyEntry
from bangban.organization.models import Department, Region
from bangban.planning import services as plan_services
from bangban.planning.models import Plan
from bangban.projects import lifecycle, services
from bangban.projects.models import Commission, Consultation, Enterprise, Project
from bangban.rules.codes import uscc_check_char
from bangban.rules.workdays import add_working_days
from bangban.web.access import centre_admin_group_sync
from bangban.web.demo_after_service import demo_after_service
from bangban.web.demo_complaints import demo_complaints
from bangban.web.demo_coordination import DemoCoordination
from bangban.web.demo_ledger import DemoLedger
from bangban.web.demo_metrics import demo_planner_adjustments
from bangban.web.demo_reports import demo_reports
from bangban.workdays.selectors import get_calendar

DEMO_PASSWORD = "Bangban@2026"
#: The TOTP secret every demo user whose role needs a second factor is enrolled with
#: (docs/login.md); a code: `python -c "import pyotp; print(pyotp.TOTP('<secret>').now())"`.
DEMO_TOTP_SECRET = "BANGBANDEMOTOTPSECRETXYZ234567AB"

# username, role, display name, region key, department key, admin site access: "staff" (a
# centre admin: staff in the group 中心管理员, scoped to its region) or "platform" (a platform
# operator: a superuser without a region, who edits users, the catalog, policy and calendar)
DEMO_USERS = [
    ("admin", Role.CENTRE_ADMIN, "赵管理", "150602", "dongsheng-bbdb", "staff"),
    ("agent", Role.AGENT, "王帮办", "150602", "dongsheng-bbdb", ""),
    ("agent2", Role.AGENT, "李代办", "150602", "dongsheng-bbdb", ""),
    ("agent3", Role.AGENT, "张帮办", "ordos-hitech", "ordos-hitech-zwfw", ""),
    ("officer", Role.DEPT_OFFICER, "刘审批", "150602", "dongsheng-zjj", ""),
    ("helper", Role.DEPT_HELPER, "陈联络", "150602", "dongsheng-zrzy", ""),
    ("sponsor", Role.SPONSOR, "周招商", "ordos-hitech", "ordos-hitech-xny", ""),
    ("errand", Role.ERRAND, "吴跑腿", "horinger-new-area", "horinger-zhenglian", ""),
    ("supervisor", Role.SUPERVISOR, "郑督查", "150600", None, ""),
    ("leader", Role.LEADER, "孙主任", "150600", None, ""),
    ("enterprise", Role.ENTERPRISE, "鄂尔多斯示范新材料有限公司", "150602", None, ""),
    ("enterprise2", Role.ENTERPRISE, "东胜区示范商贸有限公司", "150602", None, ""),
    ("platform", Role.SUPERVISOR, "平台运维", None, None, "platform"),
]
#: The enterprise each demo enterprise user acts for.
DEMO_ENTERPRISE_OF = {"enterprise": "materials", "enterprise2": "trade"}
#: Mobiles of the demo staff (the authorization letter names the agent's number). Fictional.
DEMO_MOBILES = {"agent": "13904770101", "agent2": "13904770102", "agent3": "13904770103"}

ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def demo_credit_code(n: int, region_code: str) -> str:
    """A valid 统一社会信用代码 (91 + region + 组织机构代码 + check) for demo number `n`."""
    body = f"{n:08d}"
    total = sum(int(c) * w for c, w in zip(body, ORG_CODE_WEIGHTS, strict=True))
    org_check = {10: "X", 11: "0"}.get(11 - total % 11, str(11 - total % 11))
    first17 = f"91{region_code}{body}{org_check}"
    return first17 + uscc_check_char(first17)


# key: (name, credit-code number, region code for the code, region key, legal rep, contact, mobile, address)
DEMO_ENTERPRISES = {
    "materials": (
        "鄂尔多斯示范新材料有限公司",
        20260001,
        "150602",
        "150602",
        "高示范",
        "白经理",
        "13804770001",
        "鄂尔多斯市东胜区示范路 1 号",
    ),
    "trade": (
        "东胜区示范商贸有限公司",
        20260002,
        "150602",
        "150602",
        "乔示范",
        "韩经理",
        "13804770002",
        "鄂尔多斯市东胜区示范街 8 号",
    ),
    "data": (
        "鄂尔多斯示范算力科技有限公司",
        20260003,
        "150602",
        "150602",
        "田示范",
        "宋经理",
        "13804770003",
        "鄂尔多斯市东胜区示范大道 18 号",
    ),
    "chemical": (
        "鄂尔多斯示范能源化工有限公司",
        20260004,
        "150600",
        "ordos-hitech",
        "杜示范",
        "范经理",
        "13804770004",
        "鄂尔多斯高新技术产业开发区示范园区 6 号",
    ),
}

# key: (enterprise key, region key, project name, attributes, description)
DEMO_PROJECTS = {
    "factory": (
        "materials",
        "150602",
        "年产5万吨高性能新材料生产线项目",
        {
            "industry_code": "C2651",
            "total_investment_wan": 48000,
            "is_key_project": True,
            "land_source": "transfer",
            "land_area_ha": 12.5,
            "new_construction_land": True,
            "energy_tce": 6800,
            "electricity_wan_kwh": 2600,
            "eia_category": "report_form",
            "building_area_m2": 36000,
            "earthwork_m3": 42000,
            "special_construction": True,
            "lightning_protection": True,
            "sewer_discharge": True,
        },
        "新建生产车间、仓库及配套设施，形成年产 5 万吨高性能树脂新材料的生产能力。",
    ),
    "renovation": (
        "trade",
        "150602",
        "东胜区老旧商业楼宇改造提升项目",
        {
            "industry_code": "E4790",
            "total_investment_wan": 3200,
            "land_source": "existing",
            "building_area_m2": 18000,
            "public_gathering": True,
            "special_construction": True,
            "municipal_facility_change": True,
        },
        "对既有商业楼宇进行结构加固、外立面和消防设施改造。",
    ),
    "datacentre": (
        "data",
        "150602",
        "东胜区绿色算力数据中心项目",
        {
            "industry_code": "I6450",
            "total_investment_wan": 120000,
            "is_key_project": True,
            "land_source": "transfer",
            "land_area_ha": 8,
            "energy_tce": 52000,
            "electricity_wan_kwh": 40000,
            "eia_category": "registration",
            "building_area_m2": 60000,
            "earthwork_m3": 30000,
            "special_construction": True,
            "lightning_protection": True,
        },
        "建设 2 万个标准机架的数据中心及配套变电站，采用液冷和余热回收。",
    ),
    "warehouse": (
        "trade",
        "150602",
        "东胜区城市共同配送中心项目",
        {
            "industry_code": "G5951",
            "total_investment_wan": 6800,
            "land_source": "transfer",
            "land_area_ha": 3.2,
            "new_construction_land": True,
            "eia_category": "registration",
            "building_area_m2": 21000,
            "earthwork_m3": 8000,
            "lightning_protection": True,
        },
        "建设冷链及常温仓库、分拣中心和配送车辆停放场。",
    ),
    "carbide": (
        "chemical",
        "ordos-hitech",
        "新建年产20万吨电石项目",
        {
            "industry_code": "C2619",
            "total_investment_wan": 90000,
            "land_source": "transfer",
            "land_area_ha": 30,
            "energy_tce": 300000,
            "eia_category": "report_book",
        },
        "新建 4 台 40500 千伏安密闭电石炉及配套石灰窑。",
    ),
    "hydrogen": (
        "chemical",
        "ordos-hitech",
        "风光制氢一体化示范项目",
        {
            "industry_code": "D4415",
            "total_investment_wan": 260000,
            "is_key_project": True,
            "energy_project": True,
            "land_source": "transfer",
            "land_area_ha": 40,
            "grassland_ha": 120,
            "eia_category": "report_form",
            "building_area_m2": 12000,
            "water_intake_self": True,
        },
        "建设风电 50 万千瓦、光伏 30 万千瓦及年产 3 万吨绿氢的制氢、储氢设施。",
    ),
}


class Command(BaseCommand):
    help = f"创建演示数据：每个角色一个用户（密码 {DEMO_PASSWORD}）、演示企业、项目和代办委托。可重复执行。"

    def handle(self, *args, **options):
        regions = {r.key: r for r in Region.objects.all()}
        departments = {d.key: d for d in Department.objects.all()}
        if not regions:
            raise CommandError("请先载入参考数据：python manage.py load_reference")
        self._ensure_policy()
        with transaction.atomic():
            enterprises = self._enterprises(regions)
            created = self._users(regions, departments, enterprises)
        self.stdout.write(
            f"演示用户：新建 {created} 个，共 {len(DEMO_USERS)} 个（密码 {DEMO_PASSWORD}）。"
        )
        users = {
            u.username: u for u in User.objects.filter(username__in=[u[0] for u in DEMO_USERS])
        }
        self._second_factor(users)
        made = self._projects(regions, enterprises, users)
        self.stdout.write(f"演示项目：新建 {made} 个，共 {len(DEMO_PROJECTS)} 个。")
        if self._consultation(regions, users):
            self.stdout.write("演示咨询：新建 1 条。")
        for line in DemoCoordination(users, DEMO_PROJECTS["warehouse"][2]).build():
            self.stdout.write(line)
        for line in demo_complaints(users):
            self.stdout.write(line)
        for line in demo_after_service(users):
            self.stdout.write(line)
        for line in demo_reports(users):  # last: the reports count what the demo made
            self.stdout.write(line)

    # --- reference data the journey needs ------------------------------------------------

    def _ensure_policy(self) -> None:
        """The industry-policy entries (eligibility) when they are not loaded yet."""
        if not PolicyEntry.objects.exists():
            call_command("load_policy", stdout=self.stdout)

    # --- enterprises and users -------------------------------------------------------------

    def _enterprises(self, regions) -> dict[str, Enterprise]:
        result = {}
        for key, (
            name,
            n,
            code_region,
            region_key,
            legal,
            contact,
            mobile,
            address,
        ) in DEMO_ENTERPRISES.items():
            code = demo_credit_code(n, code_region)
            enterprise = Enterprise.objects.filter(credit_code=code).first()
            if enterprise is None:
                enterprise = Enterprise(
                    name=name,
                    credit_code=code,
                    legal_representative=legal,
                    contact_name=contact,
                    contact_mobile=mobile,
                    address=address,
                    region=regions[region_key],
                )
                enterprise.full_clean()
                enterprise.save()
            result[key] = enterprise
        return result

    def _users(self, regions, departments, enterprises) -> int:
        created = 0
        group, _ = centre_admin_group_sync()
        for username, role, name, region_key, dept_key, access in DEMO_USERS:
            enterprise = (
                enterprises[DEMO_ENTERPRISE_OF[username]] if role == Role.ENTERPRISE else None
            )
            flags = {"is_staff": bool(access), "is_superuser": access == "platform"}
            existing = User.objects.filter(username=username).first()
            if existing is not None:
                if enterprise is not None and existing.enterprise_id is None:
                    existing.enterprise = enterprise
                    existing.save(update_fields=["enterprise"])
                if any(getattr(existing, k) != v for k, v in flags.items()):
                    # an older demo made the centre admin a superuser: it no longer is one
                    User.objects.filter(pk=existing.pk).update(**flags)
                user = existing
            else:
                user = user_create(
                    username=username,
                    password=DEMO_PASSWORD,
                    role=role,
                    display_name=name,
                    region=regions[region_key] if region_key else None,
                    department=departments.get(dept_key) if dept_key else None,
                    mobile=DEMO_MOBILES.get(username, ""),
                    enterprise=enterprise,
                    **flags,
                )
                created += 1
            if access == "staff":
                user.groups.add(group)
        return created

    def _second_factor(self, users) -> None:
        """Enrol the demo users whose role needs TOTP with DEMO_TOTP_SECRET; a user who has
        a device already (one enrolled anew too) keeps it."""
        enrolled = []
        for username, user in users.items():
            if second_factor_required(user) and not TotpDevice.objects.filter(user=user).exists():
                totp_device_enrol(user=user, secret=DEMO_TOTP_SECRET)
                enrolled.append(username)
        if enrolled:
            self.stdout.write(
                f"动态验证码：{'、'.join(sorted(enrolled))} 已绑定演示密钥 {DEMO_TOTP_SECRET}。"
            )

    # --- projects and their commissions ----------------------------------------------------

    def _projects(self, regions, enterprises, users) -> int:
        made = 0
        for key, (
            enterprise_key,
            region_key,
            name,
            attributes,
            description,
        ) in DEMO_PROJECTS.items():
            enterprise = enterprises[enterprise_key]
            if Project.objects.filter(enterprise=enterprise, name=name).exists():
                continue
            project_data = {
                "name": name,
                "region": regions[region_key],
                "description": description,
                **{
                    k: Decimal(str(v)) if isinstance(v, float) else v for k, v in attributes.items()
                },
            }
            getattr(self, f"_story_{key}")(enterprise, project_data, users)
            made += 1
        return made

    def _apply(self, actor, channel, enterprise, project_data, **extra) -> Commission:
        return services.commission_apply(
            actor=actor, channel=channel, enterprise=enterprise, project_data=project_data, **extra
        )

    def _story_factory(self, enterprise, project_data, users):
        """Applied on the portal, assigned by the admin, verified: waits for the signatures."""
        commission = services.commission_apply(
            actor=users["enterprise"],
            channel=Commission.Channel.PORTAL,
            project_data=project_data,
            other_needs="希望尽快办理用地和规划手续。",
        )
        services.commission_assign(
            commission=commission, assigned_by=users["admin"], agent=users["agent"]
        )
        services.commission_verify(
            commission=commission, actor=users["agent"], is_new_capacity=True
        )
        if services.commission_awaiting_confirmation(commission):
            # the seed holds a fraction of the 2024 catalog: the agent confirms the industrial
            # project against the full official text
            services.commission_confirm_eligibility(
                commission=commission,
                actor=users["agent"],
                note="已对照《产业结构调整指导目录（2024年本）》官方文本全文核对（演示数据）。",
            )

    def _story_renovation(self, enterprise, project_data, users):
        """Entered at the window: waits for an agent."""
        self._apply(
            users["agent2"],
            Commission.Channel.WINDOW,
            enterprise,
            project_data,
            scope=Commission.Scope.PARTIAL,
            scope_stages=["engineering", "construction", "completion"],
        )

    def _story_datacentre(self, enterprise, project_data, users):
        """Entered at the window, verified and agreed on paper (signed scan uploaded)."""
        commission = self._apply(
            users["agent2"], Commission.Channel.WINDOW, enterprise, project_data
        )
        services.commission_assign(
            commission=commission, assigned_by=users["admin"], agent=users["agent2"]
        )
        services.commission_verify(
            commission=commission, actor=users["agent2"], is_new_capacity=True
        )
        if commission.state == lifecycle.VERIFIED:
            scan = ContentFile(simple_pdf("demo signed letters"), name="签字盖章件.pdf")
            services.commission_record_signed_scan(
                commission=commission, actor=users["agent2"], upload=scan
            )

    def _story_warehouse(self, enterprise, project_data, users):
        """Agreed two months ago, its plan fixed and under way: its cases stand in every state of
        the ledger (``bangban.web.demo_ledger``), so the plan page shows planned against
        actual and each role finds work."""
        commission = self._apply(
            users["agent2"], Commission.Channel.WINDOW, enterprise, project_data
        )
        services.commission_assign(
            commission=commission, assigned_by=users["admin"], agent=users["agent2"]
        )
        services.commission_verify(
            commission=commission, actor=users["agent2"], is_new_capacity=True
        )
        if commission.state != lifecycle.VERIFIED:
            return
        scan = ContentFile(simple_pdf("demo signed letters"), name="签字盖章件.pdf")
        services.commission_record_signed_scan(
            commission=commission, actor=users["agent2"], upload=scan
        )
        # The only shortcut of the demo: the application and the agreement are moved two
        # months back so that the plan has a past. Everything after it goes through the
        # services, each case step said to have happened on its date (back-filled).
        today = timezone.localdate()
        start = add_working_days(get_calendar(), today - dt.timedelta(days=61), 0).date
        Plan.objects.filter(commission=commission).update(start_date=start)
        back = timezone.now() - dt.timedelta(days=63)
        Commission.objects.filter(pk=commission.pk).update(applied_at=back, agreed_at=back)
        demo_planner_adjustments(commission, users["agent2"])
        plan_services.plan_fix(commission=commission, actor=users["agent2"])
        commission.refresh_from_db()
        DemoLedger(commission, users["agent2"], users).build()

    def _story_carbide(self, enterprise, project_data, users):
        """New calcium-carbide capacity: refused with a written explanation (控制事项明确答复制)."""
        commission = self._apply(
            users["agent3"], Commission.Channel.WINDOW, enterprise, project_data
        )
        services.commission_assign(
            commission=commission, assigned_by=users["agent3"], agent=users["agent3"]
        )
        # The entries the refusal rests on are not all verified against the official text:
        # the agent checks them before the refusal (and its notice) is issued.
        services.commission_verify(
            commission=commission, actor=users["agent3"], is_new_capacity=True, entries_checked=True
        )

    def _story_hydrogen(self, enterprise, project_data, users):
        """Pushed by the new-energy industry office after the investment agreement was signed."""
        services.sponsor_push(
            sponsor_user=users["sponsor"],
            enterprise=enterprise,
            project_data=project_data,
            other_needs="投资协议约定提供全程代办服务。",
        )

    def _consultation(self, regions, users) -> bool:
        topic = "新建厂房需要办理哪些审批手续"
        if Consultation.objects.filter(topic=topic).exists():
            return False
        services.consultation_record(
            actor=users["agent"],
            channel=Consultation.Channel.HOTLINE_12345,
            topic=topic,
            question="拟在东胜区新建约 2 万平方米的装配式建筑构件厂房，想了解需要办理的审批事项和时间。",
            answer="已一次性告知立项、用地规划、工程规划、施工许可等阶段的事项，建议提交代办帮办申请。",
            enterprise_name="鄂尔多斯某建材科技有限公司（筹）",
            contact="马先生 139****0000",
            region=regions["150602"],
        )
        return True
