"""Factories for enterprises and projects (factory_boy)."""

from __future__ import annotations

import factory

from bangban.accounts.models import Role, User
from bangban.organization.models import Department, Region
from bangban.projects.models import Commission, Consultation, Enterprise, Project
from bangban.rules.codes import uscc_check_char

ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def org_code_check_char(first8: str) -> str:
    """The check character of a 组织机构代码 (GB 11714): 10 -> X, 11 -> 0."""
    total = sum(int(c) * w for c, w in zip(first8, ORG_CODE_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def make_credit_code(n: int, region_code: str = "150602") -> str:
    """A valid company credit code (91 + region + 组织机构代码 + check char) for number `n`."""
    body = f"{n % 10**8:08d}"
    first17 = f"91{region_code}{body}{org_code_check_char(body)}"
    return first17 + uscc_check_char(first17)


class RegionFactory(factory.django.DjangoModelFactory):
    """东胜区 by default; keys are prefixed so they never clash with the reference data."""

    class Meta:
        model = Region
        django_get_or_create = ("key",)

    key = factory.LazyAttribute(lambda o: f"test-{o.code or o.name}")
    code = "150602"
    code_kind = Region.CodeKind.GBT2260
    name = "东胜区"
    level = Region.Level.COUNTY
    parent = None


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"鄂尔多斯测试企业{n}有限公司")
    credit_code = factory.Sequence(lambda n: make_credit_code(n + 1))
    legal_representative = "张三"
    contact_name = "李四"
    contact_mobile = factory.Sequence(lambda n: f"139{n % 10**8:08d}")
    address = "内蒙古自治区鄂尔多斯市东胜区"
    region = factory.SubFactory(RegionFactory)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"测试项目{n}")
    enterprise = factory.SubFactory(EnterpriseFactory)
    region = factory.SelfAttribute("enterprise.region")
    investment_type = "enterprise_filing"
    industry_code = "C2614"
    total_investment_wan = 5000


# --- users, commissions, consultations (reference data: regions and departments loaded) ------


def region(key: str = "150602") -> Region:
    return Region.objects.get(key=key)


def department(key: str = "dongsheng-bbdb") -> Department:
    return Department.objects.get(key=key)


class UserFactory(factory.django.DjangoModelFactory):
    """A staff user of 东胜区政务服务中心（帮办代办室） by default (role agent)."""

    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n:04d}")
    display_name = factory.Sequence(lambda n: f"测试用户{n}")
    role = Role.AGENT
    region = factory.LazyFunction(region)
    department = factory.LazyFunction(department)
    password = factory.django.Password("Bangban@2026")


class AgentFactory(UserFactory):
    role = Role.AGENT


class AdminFactory(UserFactory):
    role = Role.CENTRE_ADMIN


class DongshengProjectFactory(ProjectFactory):
    """A project in the real 东胜区 node of the reference data (routing: 帮办代办室)."""

    enterprise = factory.SubFactory(EnterpriseFactory, region=factory.LazyFunction(region))
    region = factory.LazyFunction(region)


class EnterpriseUserFactory(UserFactory):
    role = Role.ENTERPRISE
    department = None
    enterprise = factory.SubFactory(EnterpriseFactory, region=factory.LazyFunction(region))


class CommissionFactory(factory.django.DjangoModelFactory):
    """An application in state applied, unassigned, led by 东胜区帮办代办室 (skips the service:
    use it to set up a state; the services are tested through their own calls)."""

    class Meta:
        model = Commission

    project = factory.SubFactory(DongshengProjectFactory)
    state = "applied"
    channel = Commission.Channel.WINDOW
    lead_department = factory.LazyFunction(department)
    created_by = factory.SubFactory(AdminFactory)


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    channel = Consultation.Channel.HOTLINE_12345
    topic = "企业投资项目备案需要哪些材料"
    question = "我公司拟在东胜区新建厂房，备案需要准备什么？"
    enterprise_name = "鄂尔多斯某某科技有限公司"
    contact = "王先生 13900000000"
    region = factory.LazyFunction(region)
    recorded_by = factory.SubFactory(AgentFactory)
