"""Errors of the commission services (the shared kinds live in bangban.common.exceptions)."""

from bangban.common.exceptions import ActionForbidden, StaleVersionError

STALE_MESSAGE = "该委托已被他人修改，请刷新后重试。"

__all__ = ["STALE_MESSAGE", "ActionForbidden", "StaleVersionError"]
