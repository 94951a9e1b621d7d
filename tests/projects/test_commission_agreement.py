"""The two letters and the agreement (签订授权委托书和承诺书), and termination (终止单)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from bangban.notifications.models import Notification
from bangban.projects import services
from bangban.projects.exceptions import ActionForbidden, StaleVersionError
from bangban.projects.models import Commission
from bangban.rules import uploads
from tests.documents import files

from .factories import AgentFactory, CommissionFactory, EnterpriseUserFactory

pytestmark = pytest.mark.django_db

# real files: the upload check parses them (tests/documents/files.py)
PDF = files.pdf("signed")
PNG = files.image("PNG")


def verified_commission():
    agent = AgentFactory(mobile="13900000009")
    user = EnterpriseUserFactory()
    commission = CommissionFactory(
        state="verified", agent=agent, project__enterprise=user.enterprise
    )
    return commission, agent, user


def state_of(commission):
    fresh = Commission.objects.get(pk=commission.pk)
    return (
        fresh.state,
        fresh.version,
        fresh.authorization_confirmed_at,
        fresh.commitment_confirmed_at,
        fresh.transitions.count(),
    )


def test_the_enterprise_confirms_both_letters_online_and_the_commission_is_agreed(on_commit):
    commission, agent, user = verified_commission()
    with on_commit():
        services.commission_confirm_authorization(
            commission=commission, user=user, expected_version=1
        )
    assert commission.state == "verified" and commission.version == 2
    assert commission.authorization_confirmed_by == user
    with on_commit():
        services.commission_confirm_commitment(commission=commission, user=user, expected_version=2)
    assert commission.state == "agreed" and commission.agreed_at is not None
    assert commission.commitment_confirmed_by == user
    actions = list(commission.transitions.values_list("action", flat=True))
    assert actions == ["confirm_authorization", "confirm_commitment", "agree"]
    subjects = list(
        Notification.objects.filter(recipient_user=agent).values_list("subject", flat=True)
    )
    assert any(s.startswith("已签约") for s in subjects)
    assert any(s.startswith("确认授权委托书") for s in subjects)


def test_confirming_twice_another_enterprise_or_a_stale_page_is_refused():
    commission, agent, user = verified_commission()
    services.commission_confirm_authorization(commission=commission, user=user)
    before = state_of(commission)
    with pytest.raises(ValidationError) as info:
        services.commission_confirm_authorization(commission=commission, user=user)
    assert info.value.messages == ["授权委托书已确认，无需重复确认。"]
    with pytest.raises(ActionForbidden):
        services.commission_confirm_commitment(commission=commission, user=EnterpriseUserFactory())
    with pytest.raises(ActionForbidden):  # staff do not confirm for the enterprise
        services.commission_confirm_commitment(commission=commission, user=agent)
    with pytest.raises(StaleVersionError):
        services.commission_confirm_commitment(commission=commission, user=user, expected_version=1)
    assert state_of(commission) == before


def test_letters_wait_for_verification_and_an_agent():
    user = EnterpriseUserFactory()
    applied = CommissionFactory(project__enterprise=user.enterprise, agent=AgentFactory())
    with pytest.raises(ValidationError) as info:
        services.commission_confirm_authorization(commission=applied, user=user)
    assert info.value.messages == ["当前状态「已申请」不能执行「确认授权委托书」。"]
    unassigned = CommissionFactory(state="verified", project__enterprise=user.enterprise)
    with pytest.raises(ValidationError) as info:
        services.commission_confirm_authorization(commission=unassigned, user=user)
    assert "尚未指派代办帮办员" in info.value.messages[0]


def test_agree_needs_both_letters():
    commission, agent, user = verified_commission()
    services.commission_confirm_authorization(commission=commission, user=user)
    before = state_of(commission)
    with pytest.raises(ValidationError) as info:
        services.commission_agree(commission=commission, actor=agent)
    assert info.value.messages == ["授权委托书和承诺书均签署后才能签约。"]
    assert state_of(commission) == before


def test_staff_record_the_signed_scan_and_the_commission_is_agreed(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    commission, agent, _ = verified_commission()
    upload = SimpleUploadedFile("../../etc/签字 件;rm.PDF", PDF, content_type="text/plain")
    services.commission_record_signed_scan(commission=commission, actor=agent, upload=upload)
    assert commission.state == "agreed"
    assert commission.authorization_confirmed_by == agent == commission.commitment_confirmed_by
    scan = commission.signed_scan  # an attachment: encrypted on disk, its name sanitised
    assert scan.name == "签字_件_rm.pdf" and scan.kind == "pdf" and scan.uploaded_by == agent
    assert scan.is_encrypted and scan.file.name.endswith(".sm4")
    with scan.file.open("rb") as handle:
        assert b"%PDF" not in handle.read()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00 an exe", "只能上传 PDF、JPEG 或 PNG 文件（按文件内容判断）。"),
        (b"", "文件是空的。"),
    ],
)
def test_a_scan_that_is_not_a_pdf_or_image_is_refused(settings, tmp_path, content, message):
    settings.MEDIA_ROOT = tmp_path
    commission, agent, _ = verified_commission()
    before = state_of(commission)
    upload = SimpleUploadedFile("scan.pdf", content, content_type="application/pdf")
    with pytest.raises(ValidationError) as info:
        services.commission_record_signed_scan(commission=commission, actor=agent, upload=upload)
    assert info.value.message_dict == {"signed_scan": [message]}
    assert state_of(commission) == before
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]


def test_upload_checks_size_names_and_content():
    big = SimpleUploadedFile("a.png", PNG)
    big.size = uploads.MAX_UPLOAD_BYTES + 1
    assert "不能超过 10 MB" in uploads.check_upload(big)
    assert uploads.check_upload(SimpleUploadedFile("a.png", PNG)) is None
    assert uploads.check_upload(SimpleUploadedFile("a.jpg", files.image("JPEG"))) is None
    # the magic bytes alone no longer pass: the content must parse
    assert uploads.check_upload(SimpleUploadedFile("a.jpg", b"\xff\xd8\xff\xe0rest"))
    assert uploads.safe_filename("C:\\temp\\合同 (1).JPEG") == "合同_1.jpg"
    assert uploads.safe_filename("x.exe", kind="pdf") == "x.pdf"
    assert uploads.safe_filename("....") == "file"


def test_termination_by_staff_needs_a_reason_and_a_note(on_commit):
    commission, agent, user = verified_commission()
    before = state_of(commission)
    with pytest.raises(ValidationError) as info:
        services.commission_terminate(commission=commission, actor=agent, reason_category="x")
    assert "reason_category" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.commission_terminate(
            commission=commission, actor=agent, reason_category="conditions_lost"
        )
    assert info.value.message_dict == {"note": ["请填写终止说明。"]}
    assert state_of(commission) == before
    with on_commit():
        services.commission_terminate(
            commission=commission,
            actor=agent,
            reason_category="conditions_lost",
            note="项目用地未落实",
        )
    assert commission.state == "terminated" and commission.terminated_at is not None
    assert commission.termination_reason == "conditions_lost"
    assert Notification.objects.filter(recipient_user=user, subject__startswith="已终止").exists()


def test_the_investor_may_ask_to_terminate_but_only_as_investor_request():
    commission, agent, user = verified_commission()
    with pytest.raises(ValidationError):
        services.commission_terminate(
            commission=commission, actor=user, reason_category="law_or_policy", note="x"
        )
    services.commission_terminate(
        commission=commission, actor=user, reason_category="investor_request"
    )
    assert commission.state == "terminated"
    with pytest.raises(ValidationError) as info:
        services.commission_terminate(
            commission=commission, actor=agent, reason_category="investor_request", note="again"
        )
    assert info.value.messages == ["当前状态「已终止」不能执行「终止」。"]
