"""The 专业跑腿任务单 as a Word document (``bangban.documents.renderers.render_task_order``),
filled from the task order, its commission and its named cases."""

from __future__ import annotations

from django.utils import timezone

from bangban.documents import data as d
from bangban.documents import renderers as render
from bangban.projects.exports import centre_of, enterprise_data, project_data

from . import lifecycle
from .messages import MESSAGES
from .models import TaskOrder

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class DocumentUnavailable(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def task_order_data(order: TaskOrder) -> d.TaskOrder:
    commission = order.commission
    project = commission.project
    company = order.company
    issuer = order.issued_by
    items = [
        d.TaskItem(
            name=case.item.name,
            authority=case.department.name if case.department_id else "",
            requirement="",
        )
        for case in order.cases.all()
    ]
    return d.TaskOrder(
        centre=centre_of(commission),
        number=order.number,
        issuer=order.issuer_department.name,
        errand_company=d.ErrandCompany(name=company.name, contact_mobile=company.phone),
        enterprise=enterprise_data(project.enterprise, commission),
        project=project_data(project),
        items=items,
        issued_on=timezone.localdate(order.issued_at),
        deadline=order.due_date,
        issuer_contact=d.Agent(name=str(issuer), mobile=issuer.mobile) if issuer else None,
        requirements=order.requirements,
    )


def task_order_document(order: TaskOrder) -> tuple[str, bytes]:
    """(file name, .docx bytes) of the order (``order`` from ``task_order_get_for``)."""
    if order.state == lifecycle.REVOKED:
        raise DocumentUnavailable(MESSAGES["document_unavailable"])
    try:
        content = render.render_task_order(task_order_data(order))
    except render.FormDataError as exc:
        raise DocumentUnavailable(str(exc)) from None
    return f"{order.number}-专业跑腿任务单.docx", content
