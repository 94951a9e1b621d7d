"""Intake (SPEC §2 step 1): applications from the portal, the window, a consultation or a
sponsor's push; the enterprise an application brings; consultations; enterprises registered
at the window.

`commission_apply` validates everything before it writes: errors name their field
(``enterprise.<field>``, ``project.<field>``, ``scope`` …) and nothing is half-saved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bangban.accounts.models import Role
from bangban.catalog.selectors import item_list_published
from bangban.organization.selectors import lead_department_for
from bangban.rules.attributes import ATTRIBUTES
from bangban.rules.codes import normalize_uscc

from .. import lifecycle
from ..exceptions import ActionForbidden
from ..messages import ERRORS
from ..models import (
    Commission,
    CommissionTransition,
    Consultation,
    Enterprise,
    Project,
    validate_credit_code_field,
)
from ..selectors import commission_scope, enterprise_scope
from .transition import CLOCK_SKEW, notify_on_commit, said_time

#: The routing domain of a project's first needed step (filing/approval is 发改's: SPEC §3).
FIRST_STEP_DOMAIN = "development"

#: What a user may set on an enterprise and a project (mass-assignment protection).
ENTERPRISE_FIELDS = (
    "name",
    "credit_code",
    "legal_representative",
    "contact_name",
    "contact_mobile",
    "address",
    "region",
)
#: What identifies an enterprise (its registration): an enterprise user cannot change these.
ENTERPRISE_IDENTITY_FIELDS = ("name", "credit_code")
ENTERPRISE_CONTACT_FIELDS = ("legal_representative", "contact_name", "contact_mobile", "address")
PROJECT_FIELDS = ("name", "region", "project_code", "description", *ATTRIBUTES)

#: Which channels each role applies through.
CHANNELS_BY_ROLE = {
    Role.ENTERPRISE: {Commission.Channel.PORTAL},
    Role.SPONSOR: {Commission.Channel.SPONSOR},
    Role.AGENT: {Commission.Channel.WINDOW, Commission.Channel.CONSULTATION},
    Role.CENTRE_ADMIN: {Commission.Channel.WINDOW, Commission.Channel.CONSULTATION},
}

#: Who records consultations and registers enterprises at the window.
CONSULTATION_ROLES = frozenset({Role.AGENT, Role.CENTRE_ADMIN})

#: Staff who enter applications and enterprises for their own region only (SPEC §8): what
#: they create lies in their region subtree.
REGION_BOUND_ROLES = frozenset({Role.AGENT, Role.CENTRE_ADMIN})


def _outside_region(actor, region) -> bool:
    """Does ``region`` lie outside the region subtree of a region-bound actor?"""
    return (
        actor.role in REGION_BOUND_ROLES
        and region is not None
        and (actor.region_id is None or not region.is_within(actor.region))
    )


def _refuse_unless_visible(actor, model, pk, scope, message: str) -> None:
    """What a user creates, it can see: the same scoping as its pages and the API decides
    (``projects.selectors``). Raised inside the service's transaction, nothing is kept."""
    if not model.objects.filter(scope(actor), pk=pk).exists():
        raise ActionForbidden(message)


# --- application ----------------------------------------------------------------------------


def _prefixed(prefix: str, error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            (f"{prefix}.{field}" if prefix and field != "__all__" else (prefix or field)): msgs
            for field, msgs in error.message_dict.items()
        }
    return {prefix or "__all__": error.messages}


def _merge(errors: dict[str, list[str]], more: Mapping[str, list[str]]) -> None:
    for key, messages in more.items():
        errors.setdefault(key, []).extend(messages)


def _scope_errors(scope: str, stages: Iterable[str], items: Iterable[str]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if scope not in Commission.Scope.values:
        errors["scope"] = [ERRORS["scope_invalid"]]
    codes = list(items)
    if codes:
        known = set(item_list_published().filter(code__in=codes).values_list("code", flat=True))
        unknown = [code for code in codes if code not in known]
        if unknown:
            errors["scope_items"] = [ERRORS["scope_items_unknown"].format(codes="、".join(unknown))]
    return errors


def _decimal_or_raw(value):
    if isinstance(value, float | int) and not isinstance(value, bool):
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return value
    return value


def _valid_credit_code(code: str) -> bool:
    try:
        validate_credit_code_field(code)
    except ValidationError:
        return False
    return True


def _build_enterprise(actor, enterprise, enterprise_data) -> Enterprise:
    """The enterprise of the application: the user's own, a given one, the one with that credit
    code, or a new one. Only an enterprise user edits its own enterprise's data here."""
    data = {k: v for k, v in (enterprise_data or {}).items() if k in ENTERPRISE_FIELDS}
    if actor.role == Role.ENTERPRISE:
        if actor.enterprise_id is None:
            raise ActionForbidden(ERRORS["enterprise_account_unlinked"])
        own = Enterprise.objects.get(pk=actor.enterprise_id)
        changed = []
        for name in ENTERPRISE_IDENTITY_FIELDS:
            if name not in data:
                continue
            given, current = data[name], getattr(own, name)
            if name == "credit_code":
                given = normalize_uscc(str(given or ""))
                if given != current and not _valid_credit_code(given):
                    own.credit_code = given  # the model names the bad check digit; nothing saved
                    continue
            else:
                given = str(given or "").strip()
            if given != current:
                changed.append(str(Enterprise._meta.get_field(name).verbose_name))
        if changed:
            raise ValidationError(
                {
                    "enterprise.credit_code": ERRORS["enterprise_registration_locked"].format(
                        fields="、".join(changed)
                    )
                }
            )
        for name in ENTERPRISE_CONTACT_FIELDS:  # contacts may be brought up to date
            value = str(data.get(name) or "").strip()
            if value:
                setattr(own, name, value)
        if data.get("region"):
            own.region = data["region"]
        return own
    if enterprise is not None:
        return enterprise
    if not data:
        raise ValidationError({"enterprise": ERRORS["enterprise_missing"]})
    existing = Enterprise.objects.filter(
        credit_code=normalize_uscc(str(data.get("credit_code") or ""))
    ).first()
    if existing is not None:
        return existing
    return Enterprise(**data)


def application_lead_department(region):
    """The department that leads an application for a project in `region`: the routing
    table's for the first needed step (filing/approval, 发改), when it is active. None: the
    region has no 代办帮办 service (only a sponsor's push falls back to the sponsor)."""
    department = lead_department_for(region=region, domain=FIRST_STEP_DOMAIN)
    return department if department is not None and department.is_active else None


def _lead_department(project: Project, sponsor_department):
    return application_lead_department(project.region) or sponsor_department


def _application_contact(
    enterprise_data: Mapping[str, Any] | None, consultation: Consultation | None, company
) -> tuple[str, str]:
    """Who to call about this application: the contact the application names (the form's
    or the API's enterprise contact), else the consultation's it came from, else the
    enterprise's registered one — always a name and a phone from the same source."""
    data = enterprise_data or {}
    given = (str(data.get("contact_name") or "").strip(), str(data.get("contact_mobile") or ""))
    if any(part.strip() for part in given):
        return given
    if consultation is not None:
        parts = consultation.contact_parts()
        if any(parts):
            return parts
    return company.contact_name, company.contact_mobile


@transaction.atomic
def commission_apply(
    *,
    actor,
    channel: str,
    project: Project | None = None,
    project_data: Mapping[str, Any] | None = None,
    enterprise: Enterprise | None = None,
    enterprise_data: Mapping[str, Any] | None = None,
    scope: str = Commission.Scope.FULL,
    scope_stages: Iterable[str] = (),
    scope_items: Iterable[str] = (),
    other_needs: str = "",
    consultation: Consultation | None = None,
    occurred_at: dt.datetime | None = None,
) -> Commission:
    """Apply for 代办帮办: create the project (or use an existing one) and its commission.

    Errors name their field: ``enterprise.<field>``, ``project.<field>``, ``scope`` … and
    nothing is written unless everything is valid.
    """
    if not lifecycle.is_allowed(lifecycle.APPLY, None, actor.role):
        raise ActionForbidden(lifecycle.forbidden_message(lifecycle.APPLY))
    if channel not in CHANNELS_BY_ROLE.get(actor.role, set()):
        raise ActionForbidden(ERRORS["channel_forbidden"])
    scope_stages = [str(s) for s in scope_stages]
    scope_items = [str(c).strip().upper() for c in scope_items if str(c).strip()]
    errors: dict[str, list[str]] = {}

    if project is not None:
        company = project.enterprise
        if actor.role == Role.ENTERPRISE and project.enterprise_id != actor.enterprise_id:
            raise ActionForbidden(ERRORS["not_own_project"])
        open_one = project.commissions.filter(state__in=lifecycle.OPEN_STATES).first()
        if open_one is not None:
            raise ValidationError(
                {"project": ERRORS["open_commission_exists"].format(number=open_one.number)}
            )
    else:
        company = _build_enterprise(actor, enterprise, enterprise_data)
        data = {
            k: _decimal_or_raw(v) for k, v in (project_data or {}).items() if k in PROJECT_FIELDS
        }
        project = Project(**data)
        if actor.role == Role.SPONSOR:
            project.sponsor = actor
            project.sponsor_department = actor.department

    if company.pk is None or actor.role == Role.ENTERPRISE:
        try:
            company.full_clean()
        except ValidationError as exc:
            _merge(errors, _prefixed("enterprise", exc))
    if project.pk is None:
        try:
            project.full_clean(exclude=["enterprise"])
        except ValidationError as exc:
            _merge(errors, _prefixed("project", exc))
        outside = (
            actor.role == Role.SPONSOR
            and project.region_id
            and actor.region_id
            and not project.region.is_within(actor.region)
        )
        if outside:
            _merge(errors, {"project.region": [ERRORS["sponsor_region_outside"]]})
        elif project.region_id and _outside_region(actor, project.region):
            message = ERRORS["project_region_outside"].format(region=_region_name(actor))
            _merge(errors, {"project.region": [message]})
    _merge(errors, _scope_errors(scope, scope_stages, scope_items))

    lead = None
    if project.region_id is not None and "project.region" not in errors:
        lead = _lead_department(project, project.sponsor_department)
        if lead is None:
            _merge(errors, {"project.region": [ERRORS["no_lead_department"]]})
    contact_name, contact_phone = _application_contact(enterprise_data, consultation, company)
    commission = Commission(
        state=lifecycle.APPLIED,
        contact_name=contact_name,
        contact_phone=contact_phone,
        scope=scope,
        scope_stages=scope_stages if scope == Commission.Scope.PARTIAL else [],
        scope_items=scope_items if scope == Commission.Scope.PARTIAL else [],
        channel=channel,
        lead_department=lead,
        other_needs=(other_needs or "").strip(),
        created_by=actor,
    )
    try:
        commission.full_clean(exclude=["project", "lead_department", "created_by"])
    except ValidationError as exc:
        more = _prefixed("", exc)
        if "enterprise.contact_mobile" in errors:  # the same number, said once
            more.pop("contact_phone", None)
        _merge(errors, more)
    if consultation is not None and consultation.converted_commission_id is not None:
        _merge(errors, {"consultation": [ERRORS["consultation_converted"]]})
    if errors:
        raise ValidationError(errors)

    said, backfilled = said_time(occurred_at, not_before=None)
    company.save()
    project.enterprise = company
    if project.pk is None:
        project.save()
    commission.project = project
    commission.applied_at = said
    commission.save()
    history = CommissionTransition.objects.create(
        commission=commission,
        from_state="",
        to_state=lifecycle.APPLIED,
        action=lifecycle.APPLY,
        actor=actor,
        reason=commission.get_channel_display(),
        occurred_at=said,
        backfilled=backfilled,
    )
    if consultation is not None:
        consultation.converted_commission = commission
        consultation.save(update_fields=["converted_commission"])
    _refuse_unless_visible(
        actor, Commission, commission.pk, commission_scope, ERRORS["created_out_of_scope"]
    )
    notify_on_commit(history.pk)
    return commission


def _region_name(actor) -> str:
    return actor.region.name if actor.region_id else "—"


# --- consultations and enterprises ----------------------------------------------------------


@transaction.atomic
def enterprise_create(*, actor, data: Mapping[str, Any]) -> Enterprise:
    """Window staff register an enterprise (统一社会信用代码 checked, unique)."""
    if actor.role not in CONSULTATION_ROLES:
        raise ActionForbidden(ERRORS["enterprise_create_forbidden"])
    enterprise = Enterprise(**{k: v for k, v in data.items() if k in ENTERPRISE_FIELDS})
    enterprise.full_clean()
    if _outside_region(actor, enterprise.region):
        message = ERRORS["enterprise_region_outside"].format(region=_region_name(actor))
        raise ValidationError({"region": message})
    enterprise.save()
    _refuse_unless_visible(
        actor, Enterprise, enterprise.pk, enterprise_scope, ERRORS["enterprise_out_of_scope"]
    )
    return enterprise


@transaction.atomic
def consultation_record(
    *,
    actor,
    channel: str,
    topic: str,
    question: str,
    answer: str = "",
    enterprise_name: str = "",
    contact: str = "",
    region=None,
    recorded_at: dt.datetime | None = None,
) -> Consultation:
    """Record a consultation (咨询), counted even when no application follows."""
    if actor.role not in CONSULTATION_ROLES:
        raise ActionForbidden(ERRORS["consultation_record_forbidden"])
    region = region or actor.region
    if region is not None and actor.region_id and not region.is_within(actor.region):
        raise ValidationError({"region": ERRORS["consultation_region_outside"]})
    consultation = Consultation(
        channel=channel,
        topic=topic,
        question=question,
        answer=(answer or "").strip(),
        enterprise_name=(enterprise_name or "").strip(),
        contact=(contact or "").strip(),
        region=region,
        recorded_by=actor,
        recorded_at=recorded_at or timezone.now(),
    )
    if recorded_at is not None and recorded_at > timezone.now() + CLOCK_SKEW:
        raise ValidationError({"recorded_at": ERRORS["recorded_in_future"]})
    consultation.full_clean()
    consultation.save()
    return consultation


def consultation_convert(*, consultation: Consultation, actor, **application) -> Commission:
    """Turn a consultation into an application (channel 咨询转办); the consultation links to it.

    The consultation's contact person and phone go with it: they fill a new enterprise's
    contact where the application leaves it blank, and the commission keeps them as its
    contact (``Commission.contact_name`` / ``contact_phone``) unless the application names
    another."""
    if actor.role not in CONSULTATION_ROLES:
        raise ActionForbidden(ERRORS["consultation_convert_forbidden"])
    enterprise_data = application.get("enterprise_data")
    if enterprise_data is not None:
        name, phone = consultation.contact_parts()
        enterprise_data = dict(enterprise_data)
        if not str(enterprise_data.get("contact_name") or "").strip() and name:
            enterprise_data["contact_name"] = name
        if not str(enterprise_data.get("contact_mobile") or "").strip() and phone:
            enterprise_data["contact_mobile"] = phone
        application["enterprise_data"] = enterprise_data
    with transaction.atomic():
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
        commission = commission_apply(
            actor=actor,
            channel=Commission.Channel.CONSULTATION,
            consultation=locked,
            **application,
        )
    consultation.converted_commission = commission
    return commission


# --- sponsor push ---------------------------------------------------------------------------


def sponsor_push(
    *,
    sponsor_user,
    project_data: Mapping[str, Any],
    enterprise_data: Mapping[str, Any] | None = None,
    enterprise: Enterprise | None = None,
    scope: str = Commission.Scope.FULL,
    scope_stages: Iterable[str] = (),
    scope_items: Iterable[str] = (),
    other_needs: str = "",
) -> Commission:
    """An industry office pushes a signed investment project (Ordos: 推送牵头部门，同时抄送投资促进局、
    政务服务局; Horinger: 谁引入、谁牵头、谁跟踪). The lead department is notified; the zone's
    departments whose function is investment promotion or agency (政务服务) get copies."""
    if sponsor_user.role != Role.SPONSOR:
        raise ActionForbidden(ERRORS["sponsor_push_forbidden"])
    if sponsor_user.department_id is None:
        raise ValidationError(ERRORS["sponsor_without_department"])
    return commission_apply(
        actor=sponsor_user,
        channel=Commission.Channel.SPONSOR,
        project_data=project_data,
        enterprise=enterprise,
        enterprise_data=enterprise_data,
        scope=scope,
        scope_stages=scope_stages,
        scope_items=scope_items,
        other_needs=other_needs,
    )
