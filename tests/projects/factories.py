"""Factories for enterprises and projects (factory_boy)."""

from __future__ import annotations

import factory

from bangban.organization.models import Region
from bangban.projects.models import Enterprise, Project
from bangban.projects.validators import uscc_check_char

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
