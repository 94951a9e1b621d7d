"""Downloads of a case's files: a material's file and the result document (docs/files.md).

Whoever may see the case may download its files: the file is found through the scoped
selectors (``case_material_get_for``, ``case_result_get_for``), so another party's case, or a
material of another case, is a 404 before anything is read and leaves no record. The file
is served by :func:`bangban.documents.attachments.attachment_response` (decrypted,
``Content-Disposition: attachment``, ``nosniff``, ``private, no-store``), which records the
read under the case's commission: it appears in the enterprise's 「文件查阅记录」 on the
commission page and in ``GET /api/v1/commissions/{id}/file-accesses/``. The page views and
the API endpoints both call these two functions.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse

from bangban.documents.attachments import attachment_response
from bangban.documents.models import AttachmentAccess

from .messages import FILE_MISSING, FILE_SUBJECTS
from .models import Case, CaseMaterial
from .selectors import case_material_get_for, case_result_get_for


def material_file_subject(case: Case, material: CaseMaterial) -> str:
    """「DS08 建设项目用地预审与选址意见书 · 申请材料：用地申请表」"""
    return FILE_SUBJECTS["material"].format(code=case.code, item=case.item.name, name=material.name)


def result_file_subject(case: Case) -> str:
    """「DS08 建设项目用地预审与选址意见书 · 办理结果」"""
    return FILE_SUBJECTS["result"].format(code=case.code, item=case.item.name)


def case_material_download(
    request, *, pk, material_pk, channel: str = AttachmentAccess.Channel.WEB
) -> HttpResponse:
    """The file of material ``material_pk`` of case ``pk`` for ``request.user``, recorded."""
    material = case_material_get_for(request.user, pk, material_pk)
    if material is None or material.attachment_id is None:
        raise Http404(FILE_MISSING["material"])
    case = material.case
    return attachment_response(
        request,
        material.attachment,
        commission_pk=case.commission_id,
        subject=material_file_subject(case, material),
        channel=channel,
    )


def case_result_download(
    request, *, pk, channel: str = AttachmentAccess.Channel.WEB
) -> HttpResponse:
    """The result document of case ``pk`` for ``request.user``, recorded."""
    case = case_result_get_for(request.user, pk)
    if case is None or case.result_document_id is None:
        raise Http404(FILE_MISSING["result"])
    return attachment_response(
        request,
        case.result_document,
        commission_pk=case.commission_id,
        subject=result_file_subject(case),
        channel=channel,
    )
