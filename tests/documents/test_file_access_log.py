"""Done when: an uploaded file is not readable as plain text on disk; its download writes an
access record the enterprise sees (its commission page, the API); another party gets 404 and
leaves no record."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from bangban.documents.attachments import attachment_accesses_for_commission
from bangban.documents.models import AttachmentAccess
from bangban.projects import services
from tests.projects.factories import AgentFactory, CommissionFactory, EnterpriseUserFactory

from . import files

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreed(media, master_key):
    """A commission agreed on paper: its signed scan (a PDF carrying SECRET) is stored."""
    agent = AgentFactory(display_name="帮办员小王")
    owner = EnterpriseUserFactory(display_name="企业经办人")
    commission = CommissionFactory(
        state="verified", agent=agent, project__enterprise=owner.enterprise
    )
    upload = SimpleUploadedFile("签字盖章件.pdf", files.pdf(files.SECRET))
    services.commission_record_signed_scan(commission=commission, actor=agent, upload=upload)
    commission.refresh_from_db()
    return commission, agent, owner


def page(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_scan_is_not_plain_on_disk(agreed, media):
    commission, _, _ = agreed
    stored = [path for path in media.rglob("*") if path.is_file()]
    assert [p.name for p in stored] == [commission.signed_scan.file.name.rsplit("/", 1)[-1]]
    assert files.SECRET.encode() not in stored[0].read_bytes()


def test_the_agents_download_is_recorded_and_the_enterprise_sees_it(agreed):
    commission, agent, owner = agreed
    url = reverse("projects:commission_signed_scan", args=[commission.pk])
    download = page(agent).get(url, REMOTE_ADDR="10.1.2.3")
    assert download.status_code == 200
    assert download.content == files.pdf(files.SECRET)  # decrypted for the reader
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment; ")
    assert "filename*=UTF-8''%E7%AD%BE" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    access = AttachmentAccess.objects.get()
    assert access.user == agent and access.address == "10.1.2.3"
    assert access.commission_pk == commission.pk and access.channel == "web"
    assert access.attachment_id == commission.signed_scan_id
    assert access.subject == "授权委托书和承诺书签字盖章件"

    html = page(owner).get(reverse("projects:commission_detail", args=[commission.pk]))
    section = html.content.decode().split("<h2>文件查阅记录</h2>", 1)[1].split("</section>", 1)[0]
    assert "帮办员小王" in section and "10.1.2.3" in section
    assert "授权委托书和承诺书签字盖章件（签字盖章件.pdf）" in section and "网页" in section
    assert f"{access.at.astimezone().strftime('%Y-%m-%d')}" in section


def test_the_api_download_is_recorded_and_listed_for_the_enterprise(agreed):
    commission, agent, owner = agreed
    answer = api(agent).get(f"/api/v1/commissions/{commission.pk}/signed-scan/file/")
    assert answer.status_code == 200 and answer.content == files.pdf(files.SECRET)
    assert answer["X-Content-Type-Options"] == "nosniff"
    listed = api(owner).get(f"/api/v1/commissions/{commission.pk}/file-accesses/")
    assert listed.status_code == 200
    [row] = listed.json()
    assert row["user"] == "帮办员小王" and row["channel"] == "api"
    assert row["file_name"] == "签字盖章件.pdf" and row["subject"] == "授权委托书和承诺书签字盖章件"


def test_another_party_gets_404_and_leaves_no_record(agreed):
    commission, _, _ = agreed
    stranger = EnterpriseUserFactory()
    web = page(stranger).get(reverse("projects:commission_signed_scan", args=[commission.pk]))
    assert web.status_code == 404
    assert (
        api(stranger).get(f"/api/v1/commissions/{commission.pk}/signed-scan/file/").status_code
        == 404
    )
    assert (
        api(stranger).get(f"/api/v1/commissions/{commission.pk}/file-accesses/").status_code == 404
    )
    assert not AttachmentAccess.objects.exists()


def test_the_access_list_is_one_query_however_many_reads(agreed, django_assert_num_queries):
    commission, agent, owner = agreed
    for user in (agent, owner, agent, AgentFactory()):
        page(user).get(reverse("projects:commission_signed_scan", args=[commission.pk]))
    assert AttachmentAccess.objects.count() == 4
    with django_assert_num_queries(1):
        rows = attachment_accesses_for_commission(commission.pk)
        names = [str(row.user) for row in rows] + [row.attachment.name for row in rows]
    assert names[:4] == [str(u) for u in reversed((agent, owner, agent, rows[0].user))]
