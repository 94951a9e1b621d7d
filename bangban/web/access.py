"""What a centre admin may open in the Django admin: the permissions of the group 「中心管理员」,
written once here and loaded by ``manage.py load_admin_group`` (run by ``load_reference``).

The group says *which models* a centre admin may view, add, change or delete; *which rows*
is the scoping of each model (``bangban.common.scoping``, the same functions as the pages and
the API), applied by every ``ModelAdmin`` through ``bangban.common.admin.ScopedAdminMixin``.

A centre admin is a staff user (``is_staff``) in this group, never a superuser: superusers
without a region are the platform's operators (users and permissions, the national catalog,
the policy catalog, the working-day calendar).

| models | a centre admin may |
|---|---|
| enterprises, projects (its region subtree) | view, change |
| departments, routing rules (its region subtree) | view, add, change (routing rules also delete) |
| regions (its subtree) | view |
| commissions and their history, consultations, cases, escalations, meetings and decisions, task orders, eligibility checks (its region subtree) | view (they change only through their workflows) |
| the outbox (messages of its region's users and departments) | view, change (retry) |
| staffing minimums of its region subtree (they override the platform-wide defaults there) | view, add, change |
| ratings, rectifications and follow-up visits of its region subtree | view (they change only through their workflows) |
| after-service settings of its region subtree (sampling share, days; they override the platform default there) | view, add, change |
| catalog versions and items, policy entries, calendar years and day overrides (platform-wide) | view |
| users of its region subtree, not superusers (the staff of its centre, SPEC §1) | view, add, change — not their superuser flag, groups or permissions |
| login locks of those users | view, delete (unlock) |
| groups, API tokens, the audit trail | nothing (platform operators) |
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

CENTRE_ADMIN_GROUP = "中心管理员"

#: "app_label.model" → the actions a centre admin may take in the admin.
CENTRE_ADMIN_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "accounts.user": ("view", "add", "change"),
    "accounts.loginlock": ("view", "delete"),
    "projects.enterprise": ("view", "change"),
    "projects.project": ("view", "change"),
    "projects.commission": ("view",),
    "projects.commissiontransition": ("view",),
    "projects.consultation": ("view",),
    "organization.region": ("view",),
    "organization.department": ("view", "add", "change"),
    "organization.routingrule": ("view", "add", "change", "delete"),
    "organization.functionholder": ("view", "add", "change", "delete"),
    "cases.case": ("view",),
    "cases.escalation": ("view",),
    "coordination.meeting": ("view",),
    "coordination.actionitem": ("view",),
    "coordination.taskorder": ("view",),
    "eligibility.eligibilitycheck": ("view",),
    "eligibility.policyentry": ("view",),
    "notifications.notification": ("view", "change"),
    "catalog.catalogversion": ("view",),
    "catalog.item": ("view",),
    "workdays.calendaryear": ("view",),
    "workdays.dayoverride": ("view",),
    "supervision.staffingminimum": ("view", "add", "change"),
    "evaluation.rating": ("view",),
    "evaluation.rectification": ("view",),
    "evaluation.followupvisit": ("view",),
    "evaluation.afterservicepolicy": ("view", "add", "change"),
}


def centre_admin_permission_codes() -> set[tuple[str, str]]:
    """{(app_label, codename)} the group holds."""
    codes = set()
    for label, actions in CENTRE_ADMIN_PERMISSIONS.items():
        app_label, model = label.split(".")
        codes.update((app_label, f"{action}_{model}") for action in actions)
    return codes


@transaction.atomic
def centre_admin_group_sync() -> tuple[Group, int]:
    """Create or update the group so that it holds exactly the table's permissions. Returns
    the group and how many permissions it holds. Fails loudly on a permission that does not
    exist (a renamed model)."""
    group, _ = Group.objects.get_or_create(name=CENTRE_ADMIN_GROUP)
    wanted = centre_admin_permission_codes()
    found = {
        (p.content_type.app_label, p.codename): p
        for p in Permission.objects.select_related("content_type").filter(
            codename__in=[code for _, code in wanted]
        )
    }
    missing = sorted(f"{app}.{code}" for app, code in wanted if (app, code) not in found)
    if missing:
        raise LookupError("权限不存在：" + "、".join(missing))
    group.permissions.set([found[key] for key in wanted])
    return group, len(wanted)
