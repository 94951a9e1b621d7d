"""Sponsor push (Ordos: 推送牵头部门，同时抄送投资促进局、政务服务局; Horinger: 谁引入、谁牵头、谁跟踪)."""

import pytest
from django.core.exceptions import ValidationError

from bangban.accounts.models import Role
from bangban.notifications.models import Notification
from bangban.projects import services
from bangban.projects.exceptions import ActionForbidden
from bangban.projects.models import Commission, Project
from bangban.projects.selectors import commission_list_for, project_list_for

from .factories import AgentFactory, UserFactory, department, make_credit_code, region

pytestmark = pytest.mark.django_db


def sponsor(**kwargs):
    return UserFactory(
        username=kwargs.pop("username", "sponsor-x"),
        role=Role.SPONSOR,
        region=region("ordos-hitech"),
        department=department("ordos-hitech-xny"),
        **kwargs,
    )


def application(**project):
    return {
        "enterprise_data": {
            "name": "鄂尔多斯推送测试氢能有限公司",
            "credit_code": make_credit_code(880001),
            "legal_representative": "赵一",
            "contact_name": "钱二",
            "contact_mobile": "13700001111",
            "region": region("ordos-hitech"),
        },
        "project_data": {"name": "绿氢示范项目", "region": region("ordos-hitech")} | project,
    }


def test_push_notifies_the_lead_department_and_copies_the_two_bureaus(on_commit):
    user = sponsor()
    with on_commit():
        commission = services.sponsor_push(sponsor_user=user, **application())
    assert commission.channel == "sponsor"
    assert commission.project.sponsor == user
    assert commission.project.sponsor_department == department("ordos-hitech-xny")
    assert commission.lead_department == department("ordos-hitech-fgj")
    rows = {
        n.recipient_department.key: n.is_copy
        for n in Notification.objects.filter(recipient_department__isnull=False)
    }
    assert rows == {"ordos-hitech-fgj": False, "ordos-hitech-tcj": True, "ordos-hitech-zwfw": True}
    subject = (
        Notification.objects.filter(recipient_department__key="ordos-hitech-tcj").get().subject
    )
    assert subject == f"招引项目推送：绿氢示范项目（{commission.number}）"


def test_replaying_the_event_queues_nothing_twice(on_commit):
    from bangban.projects.notify import commission_event_notify

    user = sponsor()
    with on_commit():
        commission = services.sponsor_push(sponsor_user=user, **application())
    count = Notification.objects.count()
    event = commission.transitions.get()
    assert commission_event_notify(transition_id=event.pk) == []
    assert Notification.objects.count() == count


def test_horinger_copies_the_investment_promotion_bureau_by_its_function(on_commit):
    user = UserFactory(
        username="horinger-sponsor",
        role=Role.SPONSOR,
        region=region("horinger-new-area"),
        department=department("horinger-jjzs"),
    )
    data = application(region=region("horinger-new-area"))
    with on_commit():
        commission = services.sponsor_push(sponsor_user=user, **data)
    assert commission.lead_department == department("horinger-zwfw")
    copies = set(
        Notification.objects.filter(is_copy=True).values_list(
            "recipient_department__key", flat=True
        )
    )
    assert copies == {"horinger-jjzs"}  # 经济发展招商服务局; 政务服务局 already leads


def _copies_of_a_push() -> set[str]:
    with_copies = Notification.objects.filter(is_copy=True)
    return set(with_copies.values_list("recipient_department__key", flat=True))


def test_copies_follow_the_department_function_not_its_name(on_commit):
    """A renamed bureau keeps its copies; a name that merely sounds right gets none."""
    from bangban.organization.models import Department

    Department.objects.filter(key="ordos-hitech-tcj").update(name="鄂尔多斯高新区招商服务中心")
    Department.objects.filter(key="ordos-hitech-zwfw").update(name="鄂尔多斯高新区便民服务中心")
    Department.objects.create(
        key="test-zhaoshang-company",
        name="鄂尔多斯高新区投资促进招商有限公司",
        region=region("ordos-hitech"),
        function=Department.Function.OTHER,
    )
    with on_commit():
        services.sponsor_push(sponsor_user=sponsor(), **application())
    assert _copies_of_a_push() == {"ordos-hitech-tcj", "ordos-hitech-zwfw"}
    subject = Notification.objects.get(recipient_department__key="ordos-hitech-tcj").subject
    assert subject.startswith("招引项目推送：绿氢示范项目")


def test_a_department_given_the_investment_promotion_function_gets_the_copy(on_commit):
    from bangban.organization.models import Department

    Department.objects.filter(key="ordos-hitech-kjrc").update(
        name="鄂尔多斯高新区招商服务中心", function=Department.Function.INVESTMENT_PROMOTION
    )
    Department.objects.filter(key="ordos-hitech-tcj").update(function=Department.Function.OTHER)
    with on_commit():
        services.sponsor_push(sponsor_user=sponsor(), **application())
    assert _copies_of_a_push() == {"ordos-hitech-kjrc", "ordos-hitech-zwfw"}


def test_the_sponsor_follows_the_projects_it_brought_in():
    user = sponsor()
    colleague = sponsor(username="sponsor-y")
    services.sponsor_push(sponsor_user=user, **application())
    assert list(project_list_for(colleague)) == list(Project.objects.all())  # same unit
    other_unit = UserFactory(
        username="sponsor-z",
        role=Role.SPONSOR,
        region=region("ordos-hitech"),
        department=department("ordos-hitech-mhg"),
    )
    assert not project_list_for(other_unit).exists()
    assert not commission_list_for(other_unit).exists()


def test_only_sponsors_push_and_only_inside_their_region():
    with pytest.raises(ActionForbidden):
        services.sponsor_push(sponsor_user=AgentFactory(), **application())
    with pytest.raises(ValidationError) as info:
        services.sponsor_push(sponsor_user=sponsor(), **application(region=region("150602")))
    assert info.value.message_dict["project.region"] == ["项目建设地点应在招引单位所在区划内。"]
    assert not Commission.objects.exists() and not Project.objects.exists()
