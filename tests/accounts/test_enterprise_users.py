"""Enterprise users belong to an enterprise; other roles never do."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from bangban.accounts.models import Role, User
from bangban.accounts.services import user_create
from bangban.organization.models import Department, Region
from tests.projects.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def test_an_enterprise_user_needs_its_enterprise():
    region = Region.objects.get(key="150602")
    with pytest.raises(ValidationError) as info:
        user_create(username="e1", password="Abcdef12!", role=Role.ENTERPRISE, region=region)
    assert info.value.message_dict["enterprise"] == ["项目单位/投资者账号须指定所属企业。"]
    enterprise = EnterpriseFactory(region=region)
    user = user_create(
        username="e2",
        password="Abcdef12!",
        role=Role.ENTERPRISE,
        region=region,
        enterprise=enterprise,
    )
    assert user.enterprise == enterprise and list(enterprise.users.all()) == [user]


def test_staff_may_not_belong_to_an_enterprise():
    region = Region.objects.get(key="150602")
    with pytest.raises(ValidationError) as info:
        user_create(
            username="s1",
            password="Abcdef12!",
            role=Role.AGENT,
            region=region,
            department=Department.objects.get(key="dongsheng-bbdb"),
            enterprise=EnterpriseFactory(region=region),
        )
    assert info.value.message_dict["enterprise"] == ["只有项目单位/投资者账号可以指定所属企业。"]
    assert not User.objects.filter(username="s1").exists()


def test_demo_data_links_the_enterprise_user_and_builds_a_living_system():
    call_command("demo_data", stdout=io.StringIO())
    call_command("demo_data", stdout=io.StringIO())
    user = User.objects.get(username="enterprise")
    assert user.enterprise.name == "鄂尔多斯示范新材料有限公司"
    from bangban.projects.models import Commission, Consultation, Enterprise
    from bangban.rules.codes import validate_uscc

    assert Enterprise.objects.count() == 4
    assert all(validate_uscc(e.credit_code) is None for e in Enterprise.objects.all())
    states = sorted(Commission.objects.values_list("state", flat=True))
    # the after-service demo (bangban.web.demo_after_service) adds two completed commissions,
    # one rated 不满意 with its rectification under way
    assert states == [
        "agreed",
        "applied",
        "applied",
        "completed",
        "completed",
        "in_progress",
        "refused",
        "verified",
    ]
    from bangban.cases.models import Case

    under_way = Commission.objects.get(state="in_progress")
    assert under_way.plan.state == "fixed"
    assert Case.objects.filter(commission=under_way, actual_finish__isnull=False).count() == 2
    assert Commission.objects.filter(channel="sponsor").count() == 1
    assert Consultation.objects.count() == 1
