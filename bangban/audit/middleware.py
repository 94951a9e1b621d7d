"""The audit context of a request (see ``bangban.audit.context``)."""

from .context import audit_context


class AuditContextMiddleware:
    """Makes the request the audit context of everything done while answering it, so a
    record written by lower-level code names the request's user and address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit_context(request=request):
            return self.get_response(request)
