"""Shared REST plumbing: pagination and an exception handler that answers in Chinese."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.views import exception_handler as drf_exception_handler


class StandardPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 200


def exception_handler(exc, context):
    """Turn Django ValidationErrors raised by services into 400 answers."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
        else:
            detail = {"detail": exc.messages}
        exc = serializers.ValidationError(detail)
    if isinstance(exc, exceptions.ParseError):
        exc = exceptions.ParseError("请求内容无法解析，请提交有效的 JSON。")
    if isinstance(exc, Http404 | exceptions.NotFound):
        exc = exceptions.NotFound("未找到。")
    return drf_exception_handler(exc, context)
