"""A case's files can be opened by whoever may see the case, and every opening is on record.

The materials an agent uploads (the supplement's file) and the result document the
department uploads when it decides: downloaded from the case page and the API, decrypted,
served as an attachment (nosniff, private no-store), each download an access record under the
case's commission that the enterprise sees on its commission page and through the
file-accesses API. Another department or another enterprise gets 404 and leaves no record."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from bangban.accounts.models import Role
from bangban.cases import lifecycle
from bangban.documents.attachments import attachment_store
from bangban.documents.models import AttachmentAccess
from bangban.organization.models import Department
from tests.documents import files
from tests.projects.factories import EnterpriseUserFactory, UserFactory

from .conftest import non_core

pytestmark = pytest.mark.django_db

MASTER_KEY = "00112233445566778899aabbccddeeff"
MATERIAL = files.docx("用地坐标表 SECRET-MATERIAL-41c2")
RESULT = files.pdf("SECRET-RESULT-9d7e")
# Worked out from the catalog by hand: DS14 is 建设用地规划条件意见书, its one non-core
# material 用地坐标表（CGCS2000）.
MATERIAL_SUBJECT = "DS14 建设用地规划条件意见书 · 申请材料：用地坐标表（CGCS2000）"
RESULT_SUBJECT = "DS14 建设用地规划条件意见书 · 办理结果"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def stored_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BANGBAN_FILE_MASTER_KEY = MASTER_KEY
    settings.BANGBAN_FILE_OLD_MASTER_KEYS = []
    return settings.MEDIA_ROOT


def page(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def supplemented(ledger):
    """DS14 accepted with its non-core material missing, then the agent supplies it with a
    Word file: the case is accepted, the material carries the file."""
    case = ledger.walk(ledger.case("DS14"), lifecycle.START, lifecycle.SUBMIT)
    case = ledger.step(case, lifecycle.ACCEPT_GAPS)
    gap = non_core(case)
    upload = SimpleUploadedFile("用地坐标表.docx", MATERIAL)
    case = ledger.step(case, lifecycle.SUPPLEMENT, data={"materials": [gap.pk], "file": upload})
    gap.refresh_from_db()
    assert case.state == lifecycle.ACCEPTED and gap.attachment_id is not None
    return case, gap


def handed_over(ledger):
    """The same case approved with a PDF result document and handed over to the enterprise."""
    case, gap = supplemented(ledger)
    upload = SimpleUploadedFile("规划条件意见书.pdf", RESULT)
    case = ledger.step(case, lifecycle.APPROVE, data={"result_document": upload})
    case = ledger.step(case, lifecycle.HAND_OVER)
    assert case.handed_over_at is not None and case.result_document_id is not None
    return case, gap


def not_cached(response) -> bool:
    """private and no-store among the directives (the site's middleware may add its own)."""
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    return {"private", "no-store"} <= directives


def material_url(case, material, api_=False) -> str:
    return f"{'/api/v1' if api_ else ''}/cases/{case.pk}/materials/{material.pk}/file/"


def result_url(case, api_=False) -> str:
    return f"{'/api/v1' if api_ else ''}/cases/{case.pk}/result/file/"


def file_access_section(html: str) -> str:
    return html.split("<h2>文件查阅记录</h2>", 1)[1].split("</section>", 1)[0]


def stranger_department(commission) -> Department:
    """A government department with no case in the commission and not leading it."""
    holding = commission.cases.exclude(department=None).values("department_id")
    found = (
        Department.objects.filter(kind=Department.Kind.GOVERNMENT)
        .exclude(pk__in=holding)
        .exclude(pk=commission.lead_department_id)
        .order_by("pk")
        .first()
    )
    assert found is not None
    return found


def test_the_case_officer_downloads_a_material_and_the_enterprise_sees_the_read(
    ledger, stored_files
):
    case, gap = supplemented(ledger)
    on_disk = [p for p in stored_files.rglob("*") if p.is_file()]
    assert len(on_disk) == 1 and b"SECRET-MATERIAL-41c2" not in on_disk[0].read_bytes()
    officer = ledger.officer(case)

    download = page(officer).get(material_url(case, gap), REMOTE_ADDR="10.9.8.7")

    assert download.status_code == 200
    assert download.content == MATERIAL  # decrypted: the bytes the agent uploaded
    assert download["Content-Type"] == DOCX
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    # 用 = E7 94 A8 in UTF-8: the real name survives as RFC 5987 filename*
    assert "filename*=UTF-8''%E7%94%A8" in disposition and disposition.endswith(".docx")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert not_cached(download)
    access = AttachmentAccess.objects.get()
    assert access.user == officer and access.address == "10.9.8.7" and access.channel == "web"
    assert access.commission_pk == ledger.commission.pk
    assert access.attachment_id == gap.attachment_id
    assert access.subject == MATERIAL_SUBJECT

    html = page(ledger.enterprise_user).get(f"/commissions/{ledger.commission.pk}/")
    assert html.status_code == 200
    section = file_access_section(html.content.decode())
    assert f"{MATERIAL_SUBJECT}（用地坐标表.docx）" in section
    assert str(officer) in section and "10.9.8.7" in section and "网页" in section


def test_the_api_download_is_recorded_and_listed_for_the_enterprise(ledger):
    case, gap = supplemented(ledger)
    officer = ledger.officer(case)
    answer = api(officer).get(material_url(case, gap, api_=True))
    assert answer.status_code == 200 and answer.content == MATERIAL
    assert answer["Content-Type"] == DOCX
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert not_cached(answer)
    listed = api(ledger.enterprise_user).get(
        f"/api/v1/commissions/{ledger.commission.pk}/file-accesses/"
    )
    assert listed.status_code == 200
    [row] = listed.json()
    assert row["user"] == str(officer) and row["channel"] == "api"
    assert row["file_name"] == "用地坐标表.docx" and row["subject"] == MATERIAL_SUBJECT


def test_another_department_or_enterprise_gets_404_and_leaves_no_record(ledger):
    case, gap = handed_over(ledger)
    others = [
        UserFactory(role=Role.DEPT_OFFICER, department=stranger_department(ledger.commission)),
        EnterpriseUserFactory(),
    ]
    for user in others:
        for url in (material_url(case, gap), result_url(case)):
            assert page(user).get(url).status_code == 404, (user, url)
        for url in (material_url(case, gap, api_=True), result_url(case, api_=True)):
            assert api(user).get(url).status_code == 404, (user, url)
        # nor do they see where the reads are listed
        assert page(user).get(f"/cases/{case.pk}/").status_code == 404
    assert not AttachmentAccess.objects.exists()


def test_a_department_taking_part_in_the_commission_sees_only_its_own_cases(ledger):
    """The officer of DS22's department (another case of the same commission, not the lead)
    neither opens DS14's page nor its files: the materials are shown to whom handles them."""
    case, gap = handed_over(ledger)
    neighbour = ledger.case("DS22")
    assert neighbour.department_id not in (case.department_id, ledger.commission.lead_department_id)
    officer = ledger.officer(neighbour)
    assert page(officer).get(f"/cases/{neighbour.pk}/").status_code == 200  # its own case
    assert page(officer).get(f"/cases/{case.pk}/").status_code == 404
    assert page(officer).get(material_url(case, gap)).status_code == 404
    assert api(officer).get(result_url(case, api_=True)).status_code == 404
    listed = {row["id"] for row in api(officer).get("/api/v1/cases/").json()["results"]}
    assert neighbour.pk in listed and case.pk not in listed
    assert not AttachmentAccess.objects.exists()


def test_a_material_is_found_only_under_its_own_case(ledger):
    """The agent sees both cases; a material id under the wrong case id is still a 404."""
    case, gap = supplemented(ledger)
    neighbour = ledger.case("DS22")
    client = page(ledger.agent)
    assert client.get(material_url(neighbour, gap)).status_code == 404
    assert api(ledger.agent).get(material_url(neighbour, gap, api_=True)).status_code == 404
    without_file = case.materials.exclude(pk=gap.pk).first()
    assert without_file.attachment_id is None
    assert client.get(material_url(case, without_file)).status_code == 404
    assert client.get(result_url(case)).status_code == 404  # not decided yet
    assert not AttachmentAccess.objects.exists()
    assert client.get(material_url(case, gap)).status_code == 200  # the right pair works
    assert AttachmentAccess.objects.get().user == ledger.agent


def test_the_enterprise_downloads_the_result_after_hand_over(ledger):
    case, _ = handed_over(ledger)
    owner = ledger.enterprise_user

    web = page(owner).get(result_url(case), REMOTE_ADDR="10.1.1.1")
    assert web.status_code == 200 and web.content == RESULT
    assert web["Content-Type"] == "application/pdf"
    assert web["Content-Disposition"].startswith("attachment; ")
    assert web["X-Content-Type-Options"] == "nosniff"
    assert not_cached(web)
    by_api = api(owner).get(result_url(case, api_=True))
    assert by_api.status_code == 200 and by_api.content == RESULT

    accesses = list(AttachmentAccess.objects.order_by("id"))
    assert [(a.channel, a.subject) for a in accesses] == [
        ("web", RESULT_SUBJECT),
        ("api", RESULT_SUBJECT),
    ]
    assert {a.commission_pk for a in accesses} == {ledger.commission.pk}
    assert {a.attachment_id for a in accesses} == {case.result_document_id}
    section = file_access_section(
        page(owner).get(f"/commissions/{ledger.commission.pk}/").content.decode()
    )
    assert f"{RESULT_SUBJECT}（规划条件意见书.pdf）" in section and "10.1.1.1" in section


def test_the_case_page_and_api_link_the_files(ledger):
    case, gap = handed_over(ledger)
    officer = ledger.officer(case)
    html = page(officer).get(f"/cases/{case.pk}/").content.decode()
    assert f'href="{material_url(case, gap)}"' in html and "用地坐标表.docx" in html
    assert f'href="{result_url(case)}"' in html and "规划条件意见书.pdf" in html
    body = api(officer).get(f"/api/v1/cases/{case.pk}/").json()
    by_id = {row["id"]: row for row in body["materials"]}
    assert by_id[gap.pk]["file_url"] == f"http://testserver{material_url(case, gap, api_=True)}"
    assert by_id[gap.pk]["file_name"] == "用地坐标表.docx" and by_id[gap.pk]["has_file"] is True
    others = [row for pk, row in by_id.items() if pk != gap.pk]
    assert others and all(row["file_url"] is None and row["file_name"] is None for row in others)
    assert body["result_document"] == {
        "name": "规划条件意见书.pdf",
        "url": f"http://testserver{result_url(case, api_=True)}",
    }
    # reading the page and the payload opened no file
    assert not AttachmentAccess.objects.exists()


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_file_links_cost_no_query_per_material(ledger):
    """The case page and its API answer run as many queries with files as without."""
    case = ledger.walk(ledger.case("DS14"), lifecycle.START, lifecycle.SUBMIT, lifecycle.ACCEPT)
    client = page(ledger.agent)
    plain = (_count(client, f"/cases/{case.pk}/"), _count(client, f"/api/v1/cases/{case.pk}/"))
    # every material gets a file of its own, the case a result document
    for material in case.materials.all():
        upload = SimpleUploadedFile(f"{material.pk}.pdf", files.pdf(str(material.pk)))
        material.attachment = attachment_store(upload=upload, uploaded_by=ledger.agent)
        material.save(update_fields=["attachment"])
    case.result_document = attachment_store(
        upload=SimpleUploadedFile("r.pdf", RESULT), uploaded_by=ledger.agent
    )
    case.save(update_fields=["result_document"])
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert html.count('class="material-file"') == case.materials.count() == 3
    with_files = (_count(client, f"/cases/{case.pk}/"), _count(client, f"/api/v1/cases/{case.pk}/"))
    assert with_files == plain
