"""Shared REST plumbing: pagination and an exception handler that answers in Chinese."""

import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.views import exception_handler as drf_exception_handler

from .exceptions import BUSY_MESSAGE, ActionForbidden, StaleVersionError, is_lost_race

logger = logging.getLogger(__name__)


class StandardPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 200


def paginated(view, request, queryset, row):
    """The page of ``queryset`` the request asks for, each object turned into its row by
    ``row``, in the paginator's envelope (count, next, previous, results).

    The paginator is the view's ``pagination_class`` (StandardPagination when it names none):
    drf-spectacular reads the same attribute, so the schema shows the envelope too."""
    paginator = (getattr(view, "pagination_class", None) or StandardPagination)()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response([row(obj) for obj in page])


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "已被他人修改，请刷新后重试。"
    default_code = "stale_version"


def exception_handler(exc, context):
    """Answer the services' errors in Chinese: a ValidationError is a 400 (keyed by field),
    a stale version a 409, a forbidden action a 403 with its message, and a race lost at the
    database (locked, busy, deadlock, serialization failure) a 409 too, never a 500."""
    if isinstance(exc, StaleVersionError):
        exc = Conflict(exc.message)
    elif is_lost_race(exc):
        view = context.get("view")
        logger.warning("lost race answered 409 in %s: %s", type(view).__name__, exc)
        exc = Conflict(BUSY_MESSAGE, code="busy")
    elif isinstance(exc, ActionForbidden):
        exc = exceptions.PermissionDenied(exc.message)
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
