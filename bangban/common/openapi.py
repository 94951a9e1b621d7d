"""The error answers every API operation may give, written into the OpenAPI schema once.

Each view documents its own success and the errors particular to it; the statuses that any
authenticated call can meet are added here by a drf-spectacular post-processing hook, so the
schema a client reads lists every status the API actually answers (schemathesis checks it:
tests/api/test_api_fuzz.py):

| status | when |
|---|---|
| 400 | the body or the query is invalid (``{"field": ["message"]}`` or ``{"detail": …}``) |
| 401 | no token where one is needed, or an invalid one (even on a public operation) |
| 403 | the caller may not do this |
| 404 | the object does not exist or the caller may not see it; a page past the end |
| 409 | a write lost a race or carried a stale version |
| 413 | the request body is larger than the server accepts |
| 429 | too many requests |

A view's own description of a status is kept; only a missing one is added.
"""

from __future__ import annotations

#: The error body: ``detail`` for a single message, otherwise one list of messages per field.
ERROR_SCHEMA = {
    "type": "object",
    "description": "错误信息：detail 为一条说明；校验错误时为“字段 → 说明列表”。",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}

#: Status → description, by whether the operation applies to all calls or only to writes.
ANY_CALL = {
    "400": "请求参数或内容有误",
    "401": "未登录或令牌无效",
    "403": "无权执行该操作",
    "404": "未找到（或无权查看）",
    "429": "请求过于频繁，请稍后再试",
}
WRITES = {
    "409": "已被他人修改或正忙，请刷新后重试",
    "413": "提交的内容过大",
}
UNSAFE = {"post", "put", "patch", "delete"}
METHODS = UNSAFE | {"get", "head", "options"}


def add_error_responses(result, generator, request, public):
    """drf-spectacular post-processing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("Error", ERROR_SCHEMA)
    ref = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in METHODS:
                continue
            statuses = dict(ANY_CALL)
            if method in UNSAFE:
                statuses.update(WRITES)
            responses = operation.setdefault("responses", {})
            for status, description in statuses.items():
                response = responses.setdefault(status, {"description": description})
                response.setdefault("content", {"application/json": {"schema": ref}})
    return result
