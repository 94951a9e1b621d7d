"""The Word forms of the service (Baotou attachments 3–8, the refusal notice, the task order).

Each ``render_*`` function takes one dataclass of :mod:`bangban.documents.data`, checks
its required fields and returns the ``.docx`` file as bytes; nothing here touches the
database. A form whose required fields are empty is refused with :class:`FormDataError`
(a ``ValueError``) whose Chinese message names every missing field. The fixed wording is in
:mod:`bangban.documents.wording`, the page, fonts and tables in
:mod:`bangban.documents.layout`, how dates and numbers print in
:mod:`bangban.documents.formatting`.

One module per form:

- ``application``: :func:`render_service_application`, 服务申请表
- ``authorization``: :func:`render_authorization_letter`, 服务授权委托书
- ``commitment``: :func:`render_commitment_letter`, 服务承诺书
- ``completion``: :func:`render_completion_slip`, 服务办结单
- ``termination``: :func:`render_termination_slip`, 服务终止单
- ``evaluation``: :func:`render_evaluation_form`, 服务评价表
- ``refusal``: :func:`render_refusal_notice`, 不予办理告知书 / 不予受理告知书
- ``task_order``: :func:`render_task_order`, 专业跑腿任务单
- ``criticism``: :func:`render_criticism_notice`, 通报批评
- ``report``: :func:`render_statistical_report`, 统计报表 (the monthly report, the annual
  evaluation: figures already written as they print)

``shared`` holds what they share: :class:`FormDataError` and the required-field check, the
document's opening and the enterprise / project rows.
"""

from bangban.documents.renderers.application import render_service_application
from bangban.documents.renderers.authorization import render_authorization_letter
from bangban.documents.renderers.commitment import render_commitment_letter
from bangban.documents.renderers.completion import render_completion_slip
from bangban.documents.renderers.criticism import render_criticism_notice
from bangban.documents.renderers.evaluation import render_evaluation_form
from bangban.documents.renderers.refusal import render_refusal_notice
from bangban.documents.renderers.report import render_statistical_report
from bangban.documents.renderers.shared import FormDataError
from bangban.documents.renderers.task_order import render_task_order
from bangban.documents.renderers.termination import render_termination_slip

__all__ = [
    "FormDataError",
    "render_authorization_letter",
    "render_commitment_letter",
    "render_completion_slip",
    "render_criticism_notice",
    "render_evaluation_form",
    "render_refusal_notice",
    "render_service_application",
    "render_statistical_report",
    "render_task_order",
    "render_termination_slip",
]
