"""核实: the eligibility screening decides verified / refused / awaiting the 发改 decision."""

import pytest
from django.core.exceptions import ValidationError

from bangban.accounts.models import Role
from bangban.eligibility.models import EligibilityCheck
from bangban.notifications.models import Notification
from bangban.projects import services
from bangban.projects.exceptions import ActionForbidden
from bangban.projects.models import Commission
from tests.documents import files

from .factories import (
    AdminFactory,
    AgentFactory,
    CommissionFactory,
    DongshengProjectFactory,
    EnterpriseUserFactory,
    UserFactory,
    department,
)

pytestmark = pytest.mark.django_db


def commission_for(name: str, industry_code: str = "C2651", **project):
    agent = AgentFactory()
    user = EnterpriseUserFactory()
    commission = CommissionFactory(
        project=DongshengProjectFactory(
            name=name, industry_code=industry_code, enterprise=user.enterprise, **project
        ),
        agent=agent,
    )
    return commission, agent, user


def test_an_allowed_project_is_verified(on_commit):
    commission, agent, user = commission_for("城区商务酒店项目", industry_code="H6110")
    with on_commit():
        services.commission_verify(commission=commission, actor=agent, is_new_capacity=True)
    assert commission.state == "verified" and not commission.is_priority
    assert commission.verified_at is not None
    check = EligibilityCheck.objects.get(pk=commission.eligibility_check_id)
    assert check.outcome == "eligible"
    assert Notification.objects.filter(recipient_user=user, subject__startswith="已核实").exists()


def test_an_encouraged_project_is_verified_with_priority():
    commission, agent, _ = commission_for("风光制氢一体化项目", industry_code="D4415")
    services.commission_verify(commission=commission, actor=agent, is_new_capacity=True)
    assert commission.state == "verified" and commission.is_priority


def test_new_restricted_capacity_is_refused_with_a_written_explanation(on_commit):
    commission, agent, user = commission_for("新建年产20万吨电石项目", industry_code="C2619")
    with on_commit():
        services.commission_verify(
            commission=commission, actor=agent, is_new_capacity=True, entries_checked=True
        )
    assert commission.state == "refused"
    assert "电石" in commission.refusal_explanation
    assert "待核实" not in commission.refusal_explanation
    assert commission.transitions.last().action == "refuse"
    note = Notification.objects.get(recipient_user=user)
    assert note.subject.startswith("不予办理") and "电石" in note.body


def test_upgrading_existing_restricted_capacity_waits_for_the_decision_then_goes_on():
    commission, agent, _ = commission_for("烧碱装置节能改造项目", industry_code="C2612")
    services.commission_verify(commission=commission, actor=agent, is_new_capacity=False)
    assert commission.state == "applied" and commission.awaiting_decision
    assert commission.transitions.last().action == "screen"
    with pytest.raises(ValidationError):  # no second screening while waiting
        services.commission_verify(commission=commission, actor=agent, is_new_capacity=False)
    with pytest.raises(ValidationError):  # nothing decided yet
        services.commission_resume_after_decision(commission=commission, actor=agent)
    officer = UserFactory(role=Role.DEPT_OFFICER, department=department("dongsheng-fgw"))
    services.commission_decide(
        commission=commission, actor=officer, approve=True, reason="符合改造升级要求"
    )
    assert commission.state == "verified" and not commission.awaiting_decision
    assert commission.transitions.last().action == "resume_verified"


def test_a_refusing_decision_refuses_the_commission():
    commission, agent, _ = commission_for("烧碱装置扩能改造项目", industry_code="C2612")
    services.commission_verify(commission=commission, actor=agent, is_new_capacity=False)
    check = EligibilityCheck.objects.get(pk=commission.eligibility_check_id)
    admin = AdminFactory()
    from bangban.eligibility.services import eligibility_decide

    eligibility_decide(check=check, approve=False, reason="不符合区域产能控制要求", user=admin)
    services.commission_resume_after_decision(commission=commission, actor=admin)
    assert commission.state == "refused"
    assert "不符合区域产能控制要求" in commission.refusal_explanation


def test_only_staff_verify_and_only_applied_commissions():
    commission, agent, user = commission_for("新材料项目")
    with pytest.raises(ActionForbidden):
        services.commission_verify(commission=commission, actor=user, is_new_capacity=True)
    assert not EligibilityCheck.objects.exists()
    verified = CommissionFactory(state="verified")
    with pytest.raises(ValidationError) as info:
        services.commission_verify(commission=verified, actor=agent, is_new_capacity=True)
    assert info.value.messages == ["当前状态「已核实」不能执行「核实」。"]
    assert Commission.objects.get(pk=commission.pk).version == 1


def test_the_decision_and_the_signed_scan_are_also_api_actions():
    from django.core.files.uploadedfile import SimpleUploadedFile
    from rest_framework.test import APIClient

    from .factories import AdminFactory

    commission, agent, _ = commission_for("烧碱装置节能改造项目", industry_code="C2612")
    services.commission_verify(commission=commission, actor=agent, is_new_capacity=False)
    admin = AdminFactory()
    client = APIClient()
    client.force_authenticate(admin)
    url = f"/api/v1/commissions/{commission.pk}/"
    assert "decide" in client.get(url).json()["allowed_actions"]
    missing = client.post(url + "decide/", {"version": commission.version}, format="json")
    assert missing.status_code == 400
    assert missing.json()["approve"] == ["请说明是否同意继续办理 approve（true/false）。"]
    answer = client.post(
        url + "decide/",
        {"version": commission.version, "approve": True, "reason": "符合能效标杆水平"},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == "verified"
    commission.refresh_from_db()
    if commission.agent_id is None:
        services.commission_assign(commission=commission, assigned_by=admin, agent=agent)
        commission.refresh_from_db()
    bad = client.post(
        url + "signed-scan/",
        {"version": commission.version, "signed_scan": SimpleUploadedFile("a.pdf", b"MZ\x90\x00")},
        format="multipart",
    )
    assert bad.status_code == 400
    scan = SimpleUploadedFile("签字件.pdf", files.pdf("signed"))
    done = client.post(
        url + "signed-scan/",
        {"version": commission.version, "signed_scan": scan},
        format="multipart",
    )
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "agreed" and done.json()["plan"] is not None


def test_a_refusal_resting_on_unverified_entries_needs_the_agents_check():
    """The 电石 entries are not verified against the official text (policy.yaml): the refusal
    (which issues the 不予办理告知书) waits for the agent's check; nothing is written."""
    commission, agent, user = commission_for("新建年产20万吨电石项目", industry_code="C2619")
    checks_before = EligibilityCheck.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.commission_verify(commission=commission, actor=agent, is_new_capacity=True)
    message = caught.value.message_dict["entries_checked"][0]
    assert message.startswith("不予办理所依据的条目尚未对照官方文本核对：“") and "电石" in message
    commission.refresh_from_db()
    assert commission.state == "applied" and commission.eligibility_check_id is None
    assert EligibilityCheck.objects.count() == checks_before
