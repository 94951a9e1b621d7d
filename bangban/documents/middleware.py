"""Refuse an upload that is too large before its body is read (SPEC §8, docs/files.md).

A multipart request whose declared Content-Length exceeds the file limit plus a margin for the
form's other fields answers 413 with a Chinese message naming the limit — Django has then read
nothing of the body (the CSRF check, which reads the form, comes after this middleware). The
attachment service checks each file's own size again before reading it.
"""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse

from bangban.rules.uploads import MAX_UPLOAD_BYTES

#: The form's other fields and the multipart framing.
FORM_MARGIN_BYTES = 1024 * 1024
MESSAGE = "上传的文件过大：单个文件不能超过 {limit} MB。"


class UploadSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.META.get("CONTENT_TYPE", "").startswith("multipart/form-data"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > MAX_UPLOAD_BYTES + FORM_MARGIN_BYTES:
                return too_large_response(request)
        return self.get_response(request)


def too_large_response(request) -> HttpResponse:
    message = MESSAGE.format(limit=MAX_UPLOAD_BYTES // 1024 // 1024)
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=413)
    else:
        response = HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
    response["Connection"] = "close"  # the unread body is not worth waiting for
    return response
