"""Fill the Word forms of `bangban.documents` from a commission (service application,
authorization letter, commitment letter, refusal notice, completion slip, termination slip).

The items of the completion and termination slips come from the ledger through
``hooks.outcomes_of`` (registered by ``cases``): projects never imports cases.

The mapping is plain: each `*_data` function reads the records and returns the dataclass the
generator takes; `commission_document` returns (file name, bytes) or raises
`DocumentUnavailable` with a Chinese message when the commission is not at that point yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from bangban.catalog.models import Item, Stage
from bangban.catalog.selectors import item_list_published
from bangban.documents import data as d
from bangban.documents import renderers as render
from bangban.eligibility.industry import load_industry_codes
from bangban.organization.selectors import lead_department_for

from . import hooks, lifecycle
from .models import Commission, Enterprise, Project
from .services import commission_eligibility_check

CHANNELS = {
    Commission.Channel.PORTAL: d.ApplicationChannel.ONLINE,
    Commission.Channel.WINDOW: d.ApplicationChannel.WINDOW,
    Commission.Channel.CONSULTATION: d.ApplicationChannel.HOTLINE,
    Commission.Channel.SPONSOR: d.ApplicationChannel.SPONSOR,
}

#: How long an authorization runs when nothing else is agreed.
AUTHORIZATION_TERM = dt.timedelta(days=365)


class DocumentUnavailable(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _date(value: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(value) if value else None


def centre_of(commission: Commission) -> d.ServiceCentre:
    """The centre that serves the project: the government-service unit of its region (routing
    domain 政务服务), the lead department doing the work."""
    project = commission.project
    service = lead_department_for(region=project.region, domain="government_service")
    lead = commission.lead_department
    unit = service or lead
    return d.ServiceCentre(
        name=unit.name,
        department=lead.name if lead.pk != unit.pk else "",
        phone=unit.phone or lead.phone,
    )


def enterprise_data(enterprise: Enterprise, commission: Commission | None = None) -> d.Enterprise:
    """The enterprise as the documents show it; with `commission`, the contact is the one its
    application names (a consultation's caller, say), when it names one."""
    contact_name, contact_mobile = enterprise.contact_name, enterprise.contact_mobile
    if commission is not None and (commission.contact_name or commission.contact_phone):
        contact_name, contact_mobile = commission.contact_name, commission.contact_phone
    return d.Enterprise(
        name=enterprise.name,
        credit_code=enterprise.credit_code,
        legal_representative=enterprise.legal_representative,
        contact_name=contact_name,
        contact_mobile=contact_mobile,
        address=enterprise.address,
    )


def project_data(project: Project) -> d.Project:
    industry = ""
    if project.industry_code:
        name = load_industry_codes().name_of(project.industry_code)
        industry = f"{project.industry_code} {name}".strip()
    return d.Project(
        name=project.name,
        code=project.project_code,
        location=project.region.name,
        region=project.region.name,
        investment_type=project.get_investment_type_display(),
        industry=industry,
        total_investment_wan=project.total_investment_wan,
        land_source=project.get_land_source_display(),
        land_area_ha=project.land_area_ha,
        building_area_m2=project.building_area_m2,
        description=project.description,
        is_key_project=project.is_key_project,
    )


def scope_data(commission: Commission) -> d.Scope:
    labels = dict(Stage.choices)
    items: list[d.ScopeItem] = []
    if commission.scope_items:
        found = {
            item.code: item
            for item in item_list_published().filter(code__in=commission.scope_items)
        }
        for code in commission.scope_items:
            item: Item | None = found.get(code)
            if item is not None:
                items.append(
                    d.ScopeItem(
                        name=f"{item.name}（{item.code}）",
                        department=item.department.name,
                        stage=item.get_stage_display(),
                    )
                )
            else:
                items.append(d.ScopeItem(name=code))
    return d.Scope(
        full=commission.scope == Commission.Scope.FULL,
        stages=[labels.get(s, s) for s in commission.scope_stages],
        items=items,
    )


def agent_data(commission: Commission) -> d.Agent | None:
    agent = commission.agent
    if agent is None:
        return None
    return d.Agent(
        name=str(agent),
        mobile=agent.mobile,
        department=agent.department.name if agent.department_id else "",
    )


def service_application_data(commission: Commission) -> d.ServiceApplication:
    project = commission.project
    sponsor = project.sponsor
    return d.ServiceApplication(
        centre=centre_of(commission),
        enterprise=enterprise_data(project.enterprise, commission),
        project=project_data(project),
        scope=scope_data(commission),
        channel=CHANNELS[commission.channel],
        application_date=_date(commission.applied_at),
        number=commission.number,
        sponsor=project.sponsor_department.name if project.sponsor_department_id else "",
        sponsor_contact=f"{sponsor} {sponsor.mobile}".strip() if sponsor else "",
        other_needs=commission.other_needs,
        received_by=str(commission.agent or ""),
        received_on=_date(commission.verified_at),
    )


def authorization_letter_data(commission: Commission) -> d.AuthorizationLetter:
    project = commission.project
    start = _date(commission.agreed_at or commission.verified_at) or timezone.localdate()
    confirmation = None
    by = commission.authorization_confirmed_by
    if commission.authorization_confirmed_at and by is not None and by.enterprise_id:
        confirmation = d.OnlineConfirmation(
            confirmed_by=str(by),
            confirmed_at=timezone.localtime(commission.authorization_confirmed_at),
            channel="企业服务门户",
            reference=commission.number,
        )
    return d.AuthorizationLetter(
        centre=centre_of(commission),
        enterprise=enterprise_data(project.enterprise, commission),
        project=project_data(project),
        agent=agent_data(commission) or d.Agent(name=""),
        scope=scope_data(commission),
        valid_from=start,
        valid_to=start + AUTHORIZATION_TERM,
        number=f"{commission.number}-SQ",
        signed_on=_date(commission.authorization_confirmed_at),
        online_confirmation=confirmation,
    )


def commitment_letter_data(commission: Commission) -> d.CommitmentLetter:
    project = commission.project
    return d.CommitmentLetter(
        centre=centre_of(commission),
        enterprise=enterprise_data(project.enterprise, commission),
        project=project_data(project),
        agent=agent_data(commission),
        scope=scope_data(commission),
        number=f"{commission.number}-CN",
        signed_on=_date(commission.commitment_confirmed_at),
    )


def refusal_notice_data(commission: Commission) -> d.RefusalNotice:
    project = commission.project
    centre = centre_of(commission)
    reasons: list[d.RefusalReason | str] = []
    basis: list[str] = []
    check = commission_eligibility_check(commission)
    if check is not None:
        for match in check.matches.all():
            if match.effect in ("refuse", "decide"):
                reasons.append(
                    d.RefusalReason(
                        text=match.sentence or match.text,
                        entry=match.text,
                        category=match.get_policy_class_display(),
                        source=match.source,
                    )
                )
                if match.source and match.source not in basis:
                    basis.append(match.source)
    if not reasons:
        reasons = [line for line in commission.refusal_explanation.splitlines() if line.strip()]
    if not basis:
        basis = ["《产业结构调整指导目录（2024年本）》"]
    refused_at = (
        commission.transitions.filter(to_state=lifecycle.REFUSED)
        .order_by("-at")
        .values_list("occurred_at", flat=True)
        .first()
    )
    return d.RefusalNotice(
        centre=centre,
        number=f"{commission.number}-BY",
        issuer=commission.lead_department.name,
        enterprise=enterprise_data(project.enterprise, commission),
        project=project_data(project),
        decision=d.RefusalDecision.SERVICE,
        reasons=reasons,
        basis=basis,
        issued_on=_date(refused_at) or timezone.localdate(),
        applied_on=_date(commission.applied_at),
        application_number=commission.number,
        review_body=centre.name,
        contact_name=str(commission.agent or ""),
        contact_phone=(commission.agent.mobile if commission.agent_id else "") or centre.phone,
    )


def originals_returned(commission: Commission) -> list[str]:
    """「营业执照 1份（2026-10-12 王经理签收）」, one line per original returned."""
    return [row.line for row in commission.returned_originals.all()]


def _item_line(item: hooks.ItemOutcome) -> str:
    result = "，".join(part for part in (item.outcome_label, item.result_number) if part)
    return f"{item.name}（{result}）" if result else item.name


def completion_slip_data(commission: Commission) -> d.CompletionSlip:
    """The completion slip from the records: the in-scope items completed (approved or
        refused, with result number and date), the results handed over (with the receipt), the
        originals returned and the enterprise's confirmation once given (online, or signed on the
    paper slip: the signer and the day). Refuses (FormDataError
        through the renderer, or DocumentUnavailable here) rather than print a blank."""
    project = commission.project
    outcomes = hooks.outcomes_of(commission)
    done = [item for item in outcomes if item.completed]
    missing = [item.name for item in done if not item.result_number or not item.finished_on]
    if missing:
        raise DocumentUnavailable(
            f"事项「{'、'.join(missing)}」缺少结果文号或办结日期，不能生成办结单。"
        )
    agent = agent_data(commission)
    if agent is None:
        raise DocumentUnavailable("尚未指派代办帮办员，不能生成办结单。")
    confirmation = None
    by = commission.completion_confirmed_by
    if commission.completion_on_paper:
        signed_on = commission.completion_signed_on
        confirmation = d.EnterpriseConfirmation(
            confirmed_by=commission.completion_signed_by,
            confirmed_at=dt.datetime.combine(signed_on, dt.time(12, 0)),
            online=False,
        )
    elif commission.completion_confirmed_at and by is not None:
        confirmation = d.EnterpriseConfirmation(
            confirmed_by=str(by),
            confirmed_at=timezone.localtime(commission.completion_confirmed_at),
            opinion=commission.completion_comment,
            online=True,
        )
    return d.CompletionSlip(
        centre=centre_of(commission),
        enterprise=enterprise_data(project.enterprise, commission),
        project=project_data(project),
        agent=agent,
        items=[
            d.CompletedItem(
                name=item.name,
                department=item.department,
                result_name=item.outcome_label,
                result_number=item.result_number,
                completed_on=item.finished_on,
            )
            for item in done
        ],
        completed_on=_date(commission.completed_at),
        number=f"{commission.number}-BJ",
        accepted_on=_date(commission.agreed_at),
        handed_over=[
            d.HandedOverDocument(
                name=f"{item.name}审批结果（{item.result_number}）",
                copies=1,
                received_by=item.handed_over_to,
                handed_over_on=item.handed_over_on,
            )
            for item in done
            if item.handed_over_on is not None
        ],
        originals_returned=originals_returned(commission),
        confirmation=confirmation,
    )


def termination_slip_data(commission: Commission) -> d.TerminationSlip:
    project = commission.project
    outcomes = hooks.outcomes_of(commission)
    return d.TerminationSlip(
        centre=centre_of(commission),
        enterprise=enterprise_data(project.enterprise, commission),
        project=project_data(project),
        reason=d.TerminationReason(commission.termination_reason),
        details=commission.termination_note or commission.get_termination_reason_display(),
        terminated_on=_date(commission.terminated_at) or timezone.localdate(),
        agent=agent_data(commission),
        number=f"{commission.number}-ZZ",
        authorization_number=f"{commission.number}-SQ" if commission.agreed_at else "",
        authorized_on=_date(commission.agreed_at),
        completed_items=[_item_line(item) for item in outcomes if item.completed],
        pending_items=[
            item.name
            for item in outcomes
            if item.state in (hooks.ItemOutcome.PENDING, hooks.ItemOutcome.WITHDRAWN)
        ],
        materials_returned=originals_returned(commission),
    )


@dataclass(frozen=True)
class DocumentKind:
    slug: str
    title: str
    available: Callable[[Commission], str | None]  # None when available, else why not
    build: Callable[[Commission], object]
    render: Callable[[object], bytes]


#: States a commission reaches only after it was verified.
VERIFIED_STATES = (
    lifecycle.VERIFIED,
    lifecycle.AGREED,
    lifecycle.PLANNED,
    lifecycle.IN_PROGRESS,
    lifecycle.COMPLETED,
)


def _after_verification(commission: Commission) -> str | None:
    if commission.verified_at is None and commission.state not in VERIFIED_STATES:
        return "项目核实通过后才能生成该文书。"
    if commission.agent_id is None:
        return "指派代办帮办员后才能生成该文书。"
    return None


def _after_completion(commission: Commission) -> str | None:
    if commission.completed_at is None:
        return "委托办结后才能生成办结单。"
    return None


DOCUMENTS: dict[str, DocumentKind] = {
    kind.slug: kind
    for kind in [
        DocumentKind(
            "application",
            "服务申请表",
            lambda c: None,
            service_application_data,
            render.render_service_application,
        ),
        DocumentKind(
            "authorization",
            "服务授权委托书",
            _after_verification,
            authorization_letter_data,
            render.render_authorization_letter,
        ),
        DocumentKind(
            "commitment",
            "服务承诺书",
            _after_verification,
            commitment_letter_data,
            render.render_commitment_letter,
        ),
        DocumentKind(
            "refusal",
            "不予办理告知书",
            lambda c: None if c.refusal_explanation else "只有不予办理的委托才有告知书。",
            refusal_notice_data,
            render.render_refusal_notice,
        ),
        DocumentKind(
            "completion",
            "服务办结单",
            _after_completion,
            completion_slip_data,
            render.render_completion_slip,
        ),
        DocumentKind(
            "termination",
            "服务终止单",
            lambda c: None if c.termination_reason else "只有已终止的委托才有终止单。",
            termination_slip_data,
            render.render_termination_slip,
        ),
    ]
}


def documents_for(commission: Commission) -> list[DocumentKind]:
    """The documents the commission has now, in order."""
    return [kind for kind in DOCUMENTS.values() if kind.available(commission) is None]


def commission_document(commission: Commission, slug: str) -> tuple[str, bytes]:
    """(file name, .docx bytes) of one document of the commission."""
    kind = DOCUMENTS.get(slug)
    if kind is None:
        raise DocumentUnavailable("没有这种文书。")
    why_not = kind.available(commission)
    if why_not:
        raise DocumentUnavailable(why_not)
    try:
        content = kind.render(kind.build(commission))
    except render.FormDataError as exc:
        raise DocumentUnavailable(str(exc)) from None
    return f"{commission.number}-{kind.title}.docx", content
