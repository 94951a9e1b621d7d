"""The enterprise signs the completion slip (服务办结单) on paper at the window: staff record it
(登记纸质确认, action ``completion-scan``) with the signed slip's scan, the day signed and the
signer; the commission can then be archived as after an online confirmation."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from bangban.documents.models import Attachment
from bangban.notifications.models import Notification
from bangban.projects import lifecycle, services
from bangban.projects.actions import commission_allowed_actions, commission_may
from bangban.projects.exports import commission_document
from bangban.projects.models import Commission
from tests.cases.conftest import Ledger, make_ledger
from tests.cases.test_commission_completion import close_all, complete, docx_text, start_work
from tests.documents import files

from .factories import AdminFactory

pytestmark = pytest.mark.django_db

# real files: the upload check parses them (tests/documents/files.py)
PDF = files.pdf("signed")
PNG = files.image("PNG")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def ledger(db, media) -> Ledger:
    """A completed commission waiting for the enterprise's confirmation."""
    ledger = make_ledger()
    start_work(ledger)
    close_all(ledger)
    complete(ledger)
    return ledger


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def page(user):
    client = Client()
    client.force_login(user)
    return client


def pdf(name="办结单签字件.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def url_of(commission) -> str:
    return f"/api/v1/commissions/{commission.pk}/completion-scan/"


def unchanged(commission: Commission, version: int) -> bool:
    fresh = Commission.objects.get(pk=commission.pk)
    return (
        fresh.version == version
        and fresh.completion_confirmed_at is None
        and fresh.completion_scan_id is None
        and not fresh.completion_signed_by
        and fresh.completion_signed_on is None
        and not fresh.transitions.filter(action=lifecycle.RECORD_COMPLETION_SCAN).exists()
    )


def test_the_agent_records_the_paper_confirmation_through_the_api_then_archives(
    ledger, media, on_commit
):
    commission = ledger.commission
    today = timezone.localdate()
    assert commission_may(ledger.agent, commission, "completion-scan")
    assert not commission_may(ledger.agent, commission, "archive")
    with on_commit():
        answer = api(ledger.agent).post(
            url_of(commission),
            {
                "version": commission.version,
                "scan": pdf(),
                "signed_on": today.isoformat(),
                "signed_by": "王经理",
            },
            format="multipart",
        )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    confirmation = body["completion_confirmation"]
    assert confirmation["on_paper"] is True
    assert confirmation["confirmed_by"] == "王经理"
    assert confirmation["signed_on"] == today.isoformat()
    assert confirmation["recorded_by"] == str(ledger.agent)
    assert "completion-scan" not in body["allowed_actions"]
    assert "archive" in body["allowed_actions"]
    commission.refresh_from_db()
    assert commission.completion_on_paper
    assert commission.completion_confirmed_by == ledger.agent
    scan = commission.completion_scan
    assert scan.kind == "pdf" and scan.uploaded_by == ledger.agent and scan.size == len(PDF)
    history = commission.transitions.get(action=lifecycle.RECORD_COMPLETION_SCAN)
    assert "王经理" in history.reason and not history.backfilled
    assert history.to_state == lifecycle.COMPLETED
    # the enterprise is told
    subjects = Notification.objects.filter(recipient_user=ledger.enterprise_user).values_list(
        "subject", flat=True
    )
    assert any(s.startswith("已登记纸质确认办结") for s in subjects)
    # the enterprise may no longer confirm online; the scan is downloadable by the parties
    assert not commission_may(ledger.enterprise_user, commission, "confirm-completion")
    download = api(ledger.enterprise_user).get(confirmation["scan_url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download.content == PDF
    # archive is now possible, exactly as after an online confirmation
    archived = api(ledger.agent).post(
        f"/api/v1/commissions/{commission.pk}/archive/",
        {"version": commission.version},
        format="json",
    )
    assert archived.status_code == 200, archived.content
    assert archived.json()["state"] == lifecycle.ARCHIVED


def test_the_admin_records_it_through_the_page_and_the_slip_shows_the_signer(ledger, media):
    commission = ledger.commission
    admin = AdminFactory()
    signed_on = timezone.localdate() - dt.timedelta(days=2)
    Commission.objects.filter(pk=commission.pk).update(
        applied_at=timezone.now() - dt.timedelta(days=30),
        completed_at=timezone.now() - dt.timedelta(days=3),
    )
    commission.refresh_from_db()
    client = page(admin)
    detail = reverse("projects:commission_detail", args=[commission.pk])
    html = client.get(detail).content.decode()
    assert 'id="completion-scan"' in html and "登记纸质确认" in html
    url = reverse("projects:commission_action", args=[commission.pk, "completion-scan"])
    answer = client.post(
        url,
        {
            "version": commission.version,
            "cs-scan": SimpleUploadedFile("scan.png", PNG, content_type="image/png"),
            "cs-signed_on": signed_on.isoformat(),
            "cs-signed_by": "李晓燕",
        },
        follow=True,
    )
    html = answer.content.decode()
    assert "已登记项目单位的纸质签字确认" in html
    assert f"已确认（纸质签字：李晓燕，{signed_on:%Y-%m-%d}）" in html
    assert 'id="completion-scan"' not in html and 'id="confirm-completion"' not in html
    commission.refresh_from_db()
    assert commission.completion_signed_on == signed_on
    history = commission.transitions.get(action=lifecycle.RECORD_COMPLETION_SCAN)
    assert history.backfilled and timezone.localdate(history.occurred_at) == signed_on
    # the slip shows the paper confirmation
    _, content = commission_document(commission, "completion")
    text = docx_text(content)
    assert "☑上述事项已办结" in text
    assert f"纸质签字确认：李晓燕，{signed_on.year}年" in text
    assert "在线确认" not in text
    # the scan, for the enterprise's page too
    link = reverse("projects:commission_completion_scan", args=[commission.pk])
    enterprise_page = page(ledger.enterprise_user).get(detail).content.decode()
    assert link in enterprise_page and "纸质签字：李晓燕" in enterprise_page
    scan = page(ledger.enterprise_user).get(link)
    assert scan.status_code == 200 and scan["Content-Type"] == "image/png"
    assert scan.content == PNG
    assert "archive" in commission_allowed_actions(admin, commission)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"scan": None}, "scan", "请上传签字的服务办结单扫描件"),
        ({"scan": "fake"}, "scan", "只能上传 PDF、JPEG 或 PNG 文件"),
        ({"signed_on": "tomorrow"}, "signed_on", "签字日期不能晚于今天。"),
        ({"signed_on": "yesterday"}, "signed_on", "签字日期不能早于办结日期"),
        ({"signed_by": "  "}, "signed_by", "请填写签字人"),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_is_written(
    ledger, media, changes, field, message
):
    commission = ledger.commission
    version = commission.version
    today = timezone.localdate()
    days = {"tomorrow": today + dt.timedelta(days=1), "yesterday": today - dt.timedelta(days=1)}
    data = {"version": version, "scan": pdf(), "signed_on": today, "signed_by": "王经理"}
    for key, value in changes.items():
        if value is None:
            data.pop(key)
        elif value == "fake":
            data[key] = pdf("renamed.pdf", b"PK\x03\x04 a word file renamed to .pdf")
        elif value in days:
            data[key] = days[value]
        else:
            data[key] = value
    if isinstance(data.get("signed_on"), dt.date):
        data["signed_on"] = data["signed_on"].isoformat()
    answer = api(ledger.agent).post(url_of(commission), data, format="multipart")
    assert answer.status_code == 400, answer.content
    errors = answer.json()
    assert field in errors and message in errors[field][0], errors
    assert unchanged(commission, version)
    assert not Attachment.objects.exists()
    assert not [path for path in media.rglob("*") if path.is_file()]


def test_the_page_refuses_a_renamed_file_with_a_chinese_message(ledger, media):
    commission = ledger.commission
    version = commission.version
    url = reverse("projects:commission_action", args=[commission.pk, "completion-scan"])
    answer = page(ledger.agent).post(
        url,
        {
            "version": version,
            "cs-scan": pdf("renamed.pdf", b"GIF89a not a pdf"),
            "cs-signed_on": timezone.localdate().isoformat(),
            "cs-signed_by": "王经理",
        },
        follow=True,
    )
    assert "只能上传 PDF、JPEG 或 PNG 文件" in answer.content.decode()
    assert unchanged(commission, version)


def test_the_enterprise_user_may_not_record_it(ledger, media):
    commission = ledger.commission
    version = commission.version
    assert not commission_may(ledger.enterprise_user, commission, "completion-scan")
    answer = api(ledger.enterprise_user).post(
        url_of(commission),
        {
            "version": version,
            "scan": pdf(),
            "signed_on": timezone.localdate().isoformat(),
            "signed_by": "王经理",
        },
        format="multipart",
    )
    assert answer.status_code == 403, answer.content
    assert unchanged(commission, version)


def test_a_stale_version_is_409(ledger, media):
    commission = ledger.commission
    version = commission.version
    answer = api(ledger.agent).post(
        url_of(commission),
        {
            "version": version - 1,
            "scan": pdf(),
            "signed_on": timezone.localdate().isoformat(),
            "signed_by": "王经理",
        },
        format="multipart",
    )
    assert answer.status_code == 409, answer.content
    assert unchanged(commission, version)


def test_after_an_online_confirmation_the_paper_one_is_refused(ledger, media):
    commission = ledger.commission
    services.commission_confirm_completion(
        commission=commission, user=ledger.enterprise_user, expected_version=commission.version
    )
    assert not commission_may(ledger.agent, commission, "completion-scan")
    version = commission.version
    answer = api(ledger.agent).post(
        url_of(commission),
        {
            "version": version,
            "scan": pdf(),
            "signed_on": timezone.localdate().isoformat(),
            "signed_by": "王经理",
        },
        format="multipart",
    )
    assert answer.status_code == 400, answer.content
    assert "已确认办结" in str(answer.json())
    commission.refresh_from_db()
    assert commission.version == version and not commission.completion_on_paper
    assert not Attachment.objects.exists()


def test_not_offered_before_completion_and_no_scan_to_download(db, media):
    ledger = make_ledger()
    start_work(ledger)
    commission = ledger.commission
    assert not commission_may(ledger.agent, commission, "completion-scan")
    missing = api(ledger.agent).get(f"/api/v1/commissions/{commission.pk}/completion-scan/file/")
    assert missing.status_code == 404
