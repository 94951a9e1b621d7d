"""Writes of intake and agreement (SPEC §2 steps 1–3): applications, eligibility, assignment,
the two letters, agreement, termination, consultations and sponsor pushes.

Every service validates before it writes, runs in one transaction, changes a commission's
state only through `commission_transition` (which asks the table in `lifecycle.py`, locks
the row and checks its version) and starts notifications with `transaction.on_commit`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bangban.accounts.models import Role, User
from bangban.catalog.selectors import item_list_published
from bangban.organization.selectors import lead_department_for
from bangban.rules.attributes import ATTRIBUTES

from . import hooks, lifecycle
from .exceptions import STALE_MESSAGE, ActionForbidden, StaleVersionError
from .models import (
    AgentAssignment,
    Commission,
    CommissionTransition,
    Consultation,
    Enterprise,
    Project,
)
from .selectors import agent_load, agent_pool_for

#: The routing domain of a project's first needed step (filing/approval is 发改's: SPEC §3).
FIRST_STEP_DOMAIN = "development"
#: An event said to have happened more than this before it is recorded is back-filled (补录).
BACKFILL_AFTER = dt.timedelta(minutes=10)
#: How far in the future a said time may lie (clock skew) before it is refused.
CLOCK_SKEW = dt.timedelta(minutes=2)

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

#: Which timestamp field a target state sets.
STATE_TIMESTAMPS = {
    lifecycle.VERIFIED: "verified_at",
    lifecycle.AGREED: "agreed_at",
    lifecycle.TERMINATED: "terminated_at",
}

#: Which channels each role applies through.
CHANNELS_BY_ROLE = {
    Role.ENTERPRISE: {Commission.Channel.PORTAL},
    Role.SPONSOR: {Commission.Channel.SPONSOR},
    Role.AGENT: {Commission.Channel.WINDOW, Commission.Channel.CONSULTATION},
    Role.CENTRE_ADMIN: {Commission.Channel.WINDOW, Commission.Channel.CONSULTATION},
}


# --- the one transition service -----------------------------------------------------------


def _lock(commission: Commission, expected_version: int | None) -> Commission:
    """The commission's row, locked for this transaction; refuses a stale version."""
    fresh = Commission.objects.select_for_update().select_related("project").get(pk=commission.pk)
    if expected_version is not None and int(expected_version) != fresh.version:
        raise StaleVersionError(STALE_MESSAGE)
    return fresh


def _check_allowed(action: str, commission: Commission, actor) -> lifecycle.Transition:
    row = lifecycle.find(action, commission.state)
    if row is None:
        raise ValidationError(lifecycle.illegal_message(action, commission.state), code="illegal")
    if actor.role not in row.roles:
        raise ActionForbidden(lifecycle.forbidden_message(action))
    return row


#: For other apps that change a commission's dependants (its plan, its cases): the same lock
#: and the same check against the one table.
commission_lock = _lock
commission_check_allowed = _check_allowed


def _said_time(occurred_at: dt.datetime | None, *, not_before: dt.datetime | None) -> tuple:
    """(occurred_at, backfilled) for a said time; refuses the future and times before `not_before`
    (the application)."""
    now = timezone.now()
    if occurred_at is None:
        return now, False
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    if occurred_at > now + CLOCK_SKEW:
        raise ValidationError({"occurred_at": "发生时间不能晚于当前时间。"})
    if not_before is not None and occurred_at < not_before - CLOCK_SKEW:
        raise ValidationError(
            {"occurred_at": "发生时间不能早于申请时间。"}, code="before_application"
        )
    return occurred_at, now - occurred_at > BACKFILL_AFTER


def _copy_into(target: Commission, source: Commission) -> None:
    """Let the caller's instance see what was written."""
    for field in Commission._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    for name in ("agent", "project", "lead_department"):
        if name in source._state.fields_cache:
            target._state.fields_cache[name] = source._state.fields_cache[name]
        else:
            target._state.fields_cache.pop(name, None)


def commission_transition(
    *,
    commission: Commission,
    action: str,
    actor,
    reason: str = "",
    expected_version: int | None = None,
    occurred_at: dt.datetime | None = None,
    changes: Mapping[str, Any] | None = None,
    notify_context: Mapping[str, Any] | None = None,
) -> Commission:
    """Take `action` on `commission` as `actor`: the only way a commission changes.

    Validates the action against `lifecycle.TRANSITIONS` (illegal → ValidationError naming
    the state and the action; a role not in the row → ActionForbidden), locks the row, checks
    `expected_version` (stale → StaleVersionError), applies `changes`, writes the history row
    with the server time and the said time (`occurred_at`, back-filled when clearly earlier)
    and queues the notifications for after the commit.
    """
    with transaction.atomic():
        fresh = _lock(commission, expected_version)
        row = _check_allowed(action, fresh, actor)
        said, backfilled = _said_time(occurred_at, not_before=fresh.applied_at)
        for name, value in (changes or {}).items():
            setattr(fresh, name, value)
        if row.target != fresh.state and row.target in STATE_TIMESTAMPS:
            setattr(fresh, STATE_TIMESTAMPS[row.target], said)
        from_state = fresh.state
        fresh.state = row.target
        fresh.version += 1
        fresh.full_clean()
        fresh.save()
        history = CommissionTransition.objects.create(
            commission=fresh,
            from_state=from_state,
            to_state=row.target,
            action=action,
            actor=actor,
            reason=reason,
            occurred_at=said,
            backfilled=backfilled,
        )
        _notify_on_commit(history.pk, notify_context)
    _copy_into(commission, fresh)
    return commission


def _notify_on_commit(transition_id: int, context: Mapping[str, Any] | None = None) -> None:
    from .notify import commission_event_notify

    context = dict(context or {})
    transaction.on_commit(
        lambda: commission_event_notify(transition_id=transition_id, context=context)
    )


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
        errors["scope"] = ["委托范围应为全程代办或部分代办。"]
    codes = list(items)
    if codes:
        known = set(item_list_published().filter(code__in=codes).values_list("code", flat=True))
        unknown = [code for code in codes if code not in known]
        if unknown:
            errors["scope_items"] = [f"事项编码 {'、'.join(unknown)} 不在已发布的事项清单中。"]
    return errors


def _decimal_or_raw(value):
    if isinstance(value, float | int) and not isinstance(value, bool):
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return value
    return value


def _valid_credit_code(code: str) -> bool:
    from .models import validate_credit_code_field

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
            raise ActionForbidden("该账号未关联企业，请联系中心管理员。")
        own = Enterprise.objects.get(pk=actor.enterprise_id)
        from bangban.rules.codes import normalize_uscc

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
                    "enterprise.credit_code": (
                        f"{'、'.join(changed)}是企业的登记信息，不能在申请中修改；"
                        "如有变更，请联系中心管理员更正。"
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
        raise ValidationError({"enterprise": "请填写项目单位信息。"})
    from bangban.rules.codes import normalize_uscc

    existing = Enterprise.objects.filter(
        credit_code=normalize_uscc(str(data.get("credit_code") or ""))
    ).first()
    if existing is not None:
        return existing
    return Enterprise(**data)


def _lead_department(project: Project, sponsor_department):
    department = lead_department_for(region=project.region, domain=FIRST_STEP_DOMAIN)
    return department or sponsor_department


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
        raise ActionForbidden("您的角色不能通过该渠道提交申请。")
    scope_stages = [str(s) for s in scope_stages]
    scope_items = [str(c).strip().upper() for c in scope_items if str(c).strip()]
    errors: dict[str, list[str]] = {}

    if project is not None:
        company = project.enterprise
        if actor.role == Role.ENTERPRISE and project.enterprise_id != actor.enterprise_id:
            raise ActionForbidden("只能为本企业的项目申请代办帮办。")
        open_one = project.commissions.filter(state__in=lifecycle.OPEN_STATES).first()
        if open_one is not None:
            raise ValidationError({"project": f"该项目已有进行中的代办委托（{open_one.number}）。"})
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
            _merge(errors, {"project.region": ["项目建设地点应在招引单位所在区划内。"]})
    _merge(errors, _scope_errors(scope, scope_stages, scope_items))

    lead = None
    if project.region_id is not None and "project.region" not in errors:
        lead = _lead_department(project, project.sponsor_department)
        if lead is None:
            _merge(
                errors,
                {
                    "project.region": [
                        "该建设地点暂未开通代办帮办服务（未配置牵头部门），请联系政务服务中心。"
                    ]
                },
            )
    commission = Commission(
        state=lifecycle.APPLIED,
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
        _merge(errors, _prefixed("", exc))
    if consultation is not None and consultation.converted_commission_id is not None:
        _merge(errors, {"consultation": ["该咨询已转为代办委托。"]})
    if errors:
        raise ValidationError(errors)

    said, backfilled = _said_time(occurred_at, not_before=None)
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
    _notify_on_commit(history.pk)
    return commission


# --- eligibility (核实) ----------------------------------------------------------------------


def _eligibility():
    """The eligibility module (built alongside): screen and decide."""
    from bangban.eligibility import services

    return services


def _explanation(check) -> str:
    return "\n".join(check.explanation_lines())


def commission_verify(
    *,
    commission: Commission,
    actor,
    is_new_capacity: bool,
    below_energy_benchmark: bool = False,
    in_industrial_park: bool = True,
    expected_version: int | None = None,
    occurred_at: dt.datetime | None = None,
) -> Commission:
    """核实: screen the project against the industry policy (SPEC §2.2).

    eligible / priority → verified (priority for 鼓励类); refused → refused with the written
    explanation; an upgrade of existing restricted capacity → stays applied, flagged as
    awaiting the development & reform department's decision.
    """
    with transaction.atomic():
        fresh = _lock(commission, expected_version)
        _check_allowed(lifecycle.VERIFY, fresh, actor)
        if fresh.awaiting_decision:
            raise ValidationError("该项目已提请发展改革部门决定，请等待决定后再核实。")
        check = _eligibility().eligibility_screen(
            project=fresh.project,
            is_new_capacity=is_new_capacity,
            below_energy_benchmark=below_energy_benchmark,
            in_industrial_park=in_industrial_park,
            user=actor,
        )
        return _apply_outcome(
            commission, fresh, check, actor, occurred_at=occurred_at, after_decision=False
        )


def _apply_outcome(commission, fresh, check, actor, *, occurred_at, after_decision: bool):
    outcome = check.outcome
    base = {"eligibility_check_id": check.pk, "awaiting_decision": False}
    explanation = _explanation(check)
    if outcome in ("eligible", "priority", "approved_with_conditions"):
        action = lifecycle.RESUME_VERIFIED if after_decision else lifecycle.VERIFY
        changes = {**base, "is_priority": outcome == "priority"}
        reason = explanation
    elif outcome in ("refused", "refused_by_decision"):
        action = lifecycle.RESUME_REFUSED if after_decision else lifecycle.REFUSE
        changes = {**base, "refusal_explanation": explanation}
        reason = explanation
    elif outcome == "awaiting_decision" and not after_decision:
        action = lifecycle.SCREEN
        changes = {**base, "awaiting_decision": True}
        reason = explanation
    else:
        raise ValidationError("发展改革部门尚未作出决定。")
    result = commission_transition(
        commission=fresh,
        action=action,
        actor=actor,
        reason=reason,
        expected_version=fresh.version,
        occurred_at=occurred_at,
        changes=changes,
    )
    _copy_into(commission, result)
    return commission


def commission_eligibility_check(commission: Commission):
    """The eligibility check the commission was screened with (None before screening)."""
    if not commission.eligibility_check_id:
        return None
    return commission.eligibility_check


def commission_resume_after_decision(
    *, commission: Commission, actor, expected_version: int | None = None
) -> Commission:
    """After 发改 decided on an awaiting check: verified (approved) or refused."""
    with transaction.atomic():
        fresh = _lock(commission, expected_version)
        if not fresh.awaiting_decision:
            raise ValidationError("该委托没有待决定的核实。")
        _check_allowed(lifecycle.RESUME_VERIFIED, fresh, actor)
        check = commission_eligibility_check(fresh)
        if check is None:
            raise ValidationError("找不到该委托的核实记录。")
        return _apply_outcome(
            commission, fresh, check, actor, occurred_at=None, after_decision=True
        )


def commission_decide(
    *,
    commission: Commission,
    actor,
    approve: bool,
    reason: str,
    conditions: str = "",
    expected_version: int | None = None,
) -> Commission:
    """The development & reform department decides an awaiting check, and the commission moves on."""
    with transaction.atomic():
        fresh = _lock(commission, expected_version)
        if not fresh.awaiting_decision:
            raise ValidationError("该委托没有待决定的核实。")
        _check_allowed(lifecycle.RESUME_VERIFIED, fresh, actor)
        check = commission_eligibility_check(fresh)
        if check is None:
            raise ValidationError("找不到该委托的核实记录。")
        _eligibility().eligibility_decide(
            check=check, approve=approve, reason=reason, conditions=conditions, user=actor
        )
        check.refresh_from_db()
        return _apply_outcome(
            commission, fresh, check, actor, occurred_at=None, after_decision=True
        )


# --- agent assignment -------------------------------------------------------------------------


def commission_assign(
    *,
    commission: Commission,
    assigned_by,
    agent: User | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> Commission:
    """Assign (or reassign) the commission's agent.

    Without `agent`, the pool's least-loaded agent is taken (ties by username). An admin may
    pick any active agent of the pool's region subtree (recorded as an override); an agent
    may only take an unassigned commission of its own pool for itself. Reassignment ends the
    previous assignment (kept as history) and tells both agents and the enterprise.
    """
    with transaction.atomic():
        fresh = _lock(commission, expected_version)
        _check_allowed(lifecycle.ASSIGN, fresh, assigned_by)
        pool, pool_region = agent_pool_for(fresh)
        if agent is None:
            agent = agent_load(pool).first()
            if agent is None:
                raise ValidationError(
                    {"agent": "没有可指派的代办帮办员，请先为牵头部门配置代办帮办员。"}
                )
        in_pool = pool.filter(pk=agent.pk).exists()
        is_override = False
        if assigned_by.role == Role.AGENT:
            if agent.pk != assigned_by.pk or not in_pool or fresh.agent_id is not None:
                raise ActionForbidden("代办帮办员只能为自己认领本部门未指派的申请。")
        elif not in_pool:
            allowed = (
                agent.role == Role.AGENT
                and agent.is_active
                and pool_region is not None
                and agent.department_id is not None
                and agent.department.region.is_within(pool_region)
            )
            if not allowed:
                where = pool_region.name if pool_region else "牵头部门"
                raise ValidationError({"agent": f"只能指派{where}范围内在岗的代办帮办员。"})
            is_override = True
        if agent.pk == fresh.agent_id:
            raise ValidationError({"agent": "该代办帮办员已是本委托的代办员。"})
        previous_id = fresh.agent_id
        now = timezone.now()
        fresh.assignments.filter(ended_at__isnull=True).update(ended_at=now)
        AgentAssignment.objects.create(
            commission=fresh,
            agent=agent,
            assigned_by=assigned_by,
            is_override=is_override,
            reason=reason,
            at=now,
        )
        text = f"指派 {agent}" + (
            f"（原代办员：{User.objects.get(pk=previous_id)}）" if previous_id else ""
        )
        if reason:
            text += f"：{reason}"
        result = commission_transition(
            commission=fresh,
            action=lifecycle.ASSIGN,
            actor=assigned_by,
            reason=text,
            expected_version=fresh.version,
            changes={"agent": agent},
            notify_context={"previous_agent_id": previous_id},
        )
    _copy_into(commission, result)
    return commission


# --- the two letters and the agreement --------------------------------------------------------


def _check_enterprise_party(commission: Commission, user) -> None:
    if user.role == Role.ENTERPRISE and commission.project.enterprise_id != user.enterprise_id:
        raise ActionForbidden("只能确认本企业的文书。")


def _confirm_letter(*, commission, user, action, at_field, by_field, expected_version, label):
    with transaction.atomic():
        fresh = _lock(commission, expected_version)
        _check_allowed(action, fresh, user)
        _check_enterprise_party(fresh, user)
        if fresh.agent_id is None:
            raise ValidationError("尚未指派代办帮办员，暂不能签署文书。")
        if getattr(fresh, at_field) is not None:
            raise ValidationError(f"{label}已确认，无需重复确认。")
        now = timezone.now()
        fresh = commission_transition(
            commission=fresh,
            action=action,
            actor=user,
            reason=f"在线确认{label}",
            expected_version=fresh.version,
            changes={at_field: now, by_field: user},
        )
        if fresh.both_letters_confirmed:
            fresh = commission_agree(commission=fresh, actor=user, expected_version=fresh.version)
    _copy_into(commission, fresh)
    return commission


def commission_confirm_authorization(
    *, commission: Commission, user, expected_version: int | None = None
) -> Commission:
    """The enterprise confirms the authorization letter (授权委托书) online; with the commitment
    letter already confirmed, the commission is agreed at once."""
    return _confirm_letter(
        commission=commission,
        user=user,
        action=lifecycle.CONFIRM_AUTHORIZATION,
        at_field="authorization_confirmed_at",
        by_field="authorization_confirmed_by",
        expected_version=expected_version,
        label="授权委托书",
    )


def commission_confirm_commitment(
    *, commission: Commission, user, expected_version: int | None = None
) -> Commission:
    """The enterprise confirms the commitment letter (承诺书) online (see above)."""
    return _confirm_letter(
        commission=commission,
        user=user,
        action=lifecycle.CONFIRM_COMMITMENT,
        at_field="commitment_confirmed_at",
        by_field="commitment_confirmed_by",
        expected_version=expected_version,
        label="承诺书",
    )


def commission_record_signed_scan(
    *, commission: Commission, actor, upload, expected_version: int | None = None
) -> Commission:
    """Staff record the scan of both letters signed and sealed on paper; the commission is agreed."""
    with transaction.atomic():
        fresh = _lock(commission, expected_version)
        _check_allowed(lifecycle.RECORD_SIGNED_SCAN, fresh, actor)
        if fresh.agent_id is None:
            raise ValidationError("尚未指派代办帮办员，暂不能签署文书。")
        if upload is None:
            raise ValidationError({"signed_scan": "请选择签字盖章扫描件。"})
        from . import uploads

        message = uploads.check_upload(upload)
        if message:
            raise ValidationError({"signed_scan": message})
        head = upload.read(16)
        upload.seek(0)
        upload.name = uploads.safe_filename(upload.name, kind=uploads.sniff(head))
        now = timezone.now()
        changes: dict[str, Any] = {"signed_scan": upload}
        if fresh.authorization_confirmed_at is None:
            changes |= {"authorization_confirmed_at": now, "authorization_confirmed_by": actor}
        if fresh.commitment_confirmed_at is None:
            changes |= {"commitment_confirmed_at": now, "commitment_confirmed_by": actor}
        fresh = commission_transition(
            commission=fresh,
            action=lifecycle.RECORD_SIGNED_SCAN,
            actor=actor,
            reason=f"上传授权委托书和承诺书签字盖章扫描件（{upload.name}）",
            expected_version=fresh.version,
            changes=changes,
        )
        fresh = commission_agree(commission=fresh, actor=actor, expected_version=fresh.version)
    _copy_into(commission, fresh)
    return commission


def commission_agree(
    *, commission: Commission, actor, expected_version: int | None = None
) -> Commission:
    """签约: both letters signed and an agent named → agreed (the plan starts from this day)."""
    with transaction.atomic():
        fresh = _lock(commission, expected_version)
        _check_allowed(lifecycle.AGREE, fresh, actor)
        if not fresh.both_letters_confirmed:
            raise ValidationError("授权委托书和承诺书均签署后才能签约。")
        if fresh.agent_id is None:
            raise ValidationError("尚未指派代办帮办员，不能签约。")
        result = commission_transition(
            commission=fresh,
            action=lifecycle.AGREE,
            actor=actor,
            reason="授权委托书和承诺书均已签署",
            expected_version=fresh.version,
        )
        hooks.run_agreed(result)  # planning creates the draft plan (starts on this day)
    _copy_into(commission, result)
    return commission


def commission_terminate(
    *,
    commission: Commission,
    actor,
    reason_category: str,
    note: str = "",
    expected_version: int | None = None,
    occurred_at: dt.datetime | None = None,
) -> Commission:
    """终止 (终止单): the project conflicts with law or policy, no longer meets the conditions,
    or the investor asks. An enterprise user may only ask for its own commission."""
    note = (note or "").strip()
    if reason_category not in Commission.TerminationReason.values:
        raise ValidationError(
            {"reason_category": "请选择终止原因：与法律政策冲突、不再具备条件或投资者要求。"}
        )
    with transaction.atomic():
        fresh = _lock(commission, expected_version)
        _check_allowed(lifecycle.TERMINATE, fresh, actor)
        if actor.role == Role.ENTERPRISE:
            _check_enterprise_party(fresh, actor)
            if reason_category != Commission.TerminationReason.INVESTOR_REQUEST:
                raise ValidationError({"reason_category": "项目单位只能以“投资者要求”终止委托。"})
        elif not note:
            raise ValidationError({"note": "请填写终止说明。"})
        label = Commission.TerminationReason(reason_category).label
        result = commission_transition(
            commission=fresh,
            action=lifecycle.TERMINATE,
            actor=actor,
            reason=f"{label}" + (f"：{note}" if note else ""),
            expected_version=fresh.version,
            occurred_at=occurred_at,
            changes={"termination_reason": reason_category, "termination_note": note},
        )
    _copy_into(commission, result)
    return commission


# --- consultations and enterprises ----------------------------------------------------------------

CONSULTATION_ROLES = frozenset({Role.AGENT, Role.CENTRE_ADMIN})


@transaction.atomic
def enterprise_create(*, actor, data: Mapping[str, Any]) -> Enterprise:
    """Window staff register an enterprise (统一社会信用代码 checked, unique)."""
    if actor.role not in CONSULTATION_ROLES:
        raise ActionForbidden("您的角色不能登记企业。")
    enterprise = Enterprise(**{k: v for k, v in data.items() if k in ENTERPRISE_FIELDS})
    enterprise.full_clean()
    enterprise.save()
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
        raise ActionForbidden("您的角色不能登记咨询。")
    region = region or actor.region
    if region is not None and actor.region_id and not region.is_within(actor.region):
        raise ValidationError({"region": "只能登记本辖区的咨询。"})
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
        raise ValidationError({"recorded_at": "记录时间不能晚于当前时间。"})
    consultation.full_clean()
    consultation.save()
    return consultation


def consultation_convert(*, consultation: Consultation, actor, **application) -> Commission:
    """Turn a consultation into an application (channel 咨询转办); the consultation links to it."""
    if actor.role not in CONSULTATION_ROLES:
        raise ActionForbidden("您的角色不能把咨询转为代办申请。")
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


# --- sponsor push ----------------------------------------------------------------------------------


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
    政务服务局; Horinger: 谁引入、谁牵头、谁跟踪). The lead department is notified, the zone's
    investment-promotion and government-service bureaus get copies."""
    if sponsor_user.role != Role.SPONSOR:
        raise ActionForbidden("只有招引单位/产业办可以推送项目。")
    if sponsor_user.department_id is None:
        raise ValidationError("招引单位账号未指定所属部门。")
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
