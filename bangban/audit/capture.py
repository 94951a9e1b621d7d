"""Automatic capture: every write to bangban's models, every login and logout, every change
of a user's groups and permissions becomes an audit record (docs/audit.md).

- Saves and deletes: ``post_save``/``post_delete`` of every model of a ``bangban.*`` app and
  of ``auth.Group``, except :data:`EXCLUDED_MODELS`. An edit records the old and new value of
  each changed field: the field values are kept when an instance is created or loaded
  (``post_init``) and compared when it is saved, so recording costs no extra read. Secrets
  (``diff.is_masked``) are recorded as changed, never with their values.
- Many-to-many changes (``m2m_changed``): the ids added and removed; a user's groups and
  permissions and a group's permissions are recorded as ``permission.change``.
- Logins: ``login.succeeded``, ``login.failed`` (the user name tried, never the password),
  ``logout``.

Writes that bypass signals (``QuerySet.update``, ``bulk_create``, ``bulk_update``) are recorded
by their services with :func:`bangban.audit.services.audit_record`, or listed in docs/audit.md.
In a request under the admin, the generic records are tagged ``admin.add``, ``admin.change``
and ``admin.delete``; ``audit_context(action=...)`` tags them otherwise."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save, pre_save

from .context import get_context, is_admin_request
from .diff import changes_of, forget_snapshot, old_values_of, take_snapshot
from .services import audit_record

#: Models whose writes are not recorded, and why:
#: - the audit records themselves (appending one would append another);
#: - the notification outbox: every delivery attempt claims, retries and marks a row sent
#:   (technical churn; what caused a message — the workflow step — is recorded already);
#: - the failed-login counters (one write per failed login, which is recorded already as
#:   ``login.failed``; the lock itself follows from those records).
EXCLUDED_MODELS = frozenset(
    {"audit.auditrecord", "notifications.notification", "accounts.loginlock"}
)

#: Many-to-many fields that grant permissions: their changes are ``permission.change``.
PERMISSION_FIELDS = frozenset(
    {("accounts", "groups"), ("accounts", "user_permissions"), ("auth", "permissions")}
)

#: Set on an instance saved raw (by loaddata), whose many-to-many rows follow unrecorded.
RAW = "_audit_raw"

# --- saves and deletes -----------------------------------------------------------------------


def _on_init(sender, instance, **kwargs):
    take_snapshot(instance)


def _on_pre_save(sender, instance, raw=False, **kwargs):
    if instance._state.adding:
        # Built in memory, not loaded: its snapshot is what it was built with, not what the
        # database held (a save with an existing key overwrites a row we never read).
        forget_snapshot(instance)


def _on_save(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw:
        # loaddata (a fixture, a backup being restored): rows as they were stored, not a
        # write of anyone's; a restore brings back the audit records of the original writes
        # and appending here would fork that chain. The instance's many-to-many rows follow
        # right away, also unrecorded.
        instance.__dict__[RAW] = True
        take_snapshot(instance)
        return
    changes, labels = changes_of(instance, created=created, fields=update_fields)
    if not changes and not created:
        return
    verb = "create" if created else "update"
    summary = _summary(sender, instance, verb, [] if created else labels)
    audit_record(action=_action(sender, verb), obj=instance, summary=summary, changes=changes)


def _on_delete(sender, instance, **kwargs):
    audit_record(
        action=_action(sender, "delete"),
        obj=instance,
        summary=_summary(sender, instance, "delete", []),
        changes=old_values_of(instance),
    )


_ADMIN_VERBS = {"create": "admin.add", "update": "admin.change", "delete": "admin.delete"}
_VERB_WORDS = {"create": "新建", "update": "修改", "delete": "删除"}


def _action(model, verb: str) -> str:
    context = get_context()
    if context.request is not None and is_admin_request(context.request):
        return _ADMIN_VERBS[verb]
    if context.action:
        return context.action
    return f"{model._meta.model_name}.{verb}"


def _summary(model, instance, verb: str, labels: list[str]) -> str:
    context = get_context()
    in_admin = context.request is not None and is_admin_request(context.request)
    where = "系统管理中" if in_admin else ""
    text = f"{where}{_VERB_WORDS[verb]}{model._meta.verbose_name}（编号 {instance.pk}）"
    if labels:
        text += "：" + "、".join(labels)
    return text


# --- many-to-many -----------------------------------------------------------------------------


def _m2m_receiver(field):
    """The m2m_changed receiver for ``field`` (a ManyToManyField of a captured model)."""
    permission = (field.model._meta.app_label, field.name) in PERMISSION_FIELDS

    def receiver(sender, instance, action, reverse, model, pk_set, **kwargs):
        if instance.__dict__.get(RAW):
            return  # the many-to-many rows of an object loaded raw (see _on_save)
        if action == "pre_clear":
            accessor = field.remote_field.get_accessor_name() if reverse else field.name
            ids = sorted(getattr(instance, accessor).values_list("pk", flat=True))
            kind = "removed"
        elif action in ("post_add", "post_remove"):
            ids = sorted(pk_set or ())
            kind = "added" if action == "post_add" else "removed"
        else:
            return
        if not ids:
            return
        name = field.remote_field.get_accessor_name() if reverse else field.name
        label = name if reverse else str(field.verbose_name)
        owner = type(instance)
        changes = {name: {kind: ids}}
        names = _labels(model, ids)
        if names:
            changes[name]["names"] = names
        verb_word = "增加" if kind == "added" else "移除"
        action_name = "permission.change" if permission else _action(owner, "update")
        where = "系统管理中" if action_name.startswith("admin.") else ""
        audit_record(
            action=action_name,
            obj=instance,
            summary=f"{where}{owner._meta.verbose_name}（编号 {instance.pk}）{label}{verb_word} "
            f"{len(ids)} 项",
            changes=changes,
        )

    return receiver


def _labels(model, ids) -> list[str]:
    """Readable names of the related objects (groups by name, permissions by app.codename)."""
    if model._meta.label_lower == "auth.permission":
        rows = model.objects.filter(pk__in=ids).values_list("content_type__app_label", "codename")
        return sorted(f"{app}.{codename}" for app, codename in rows)
    if model._meta.label_lower == "auth.group":
        return sorted(model.objects.filter(pk__in=ids).values_list("name", flat=True))
    return []


# --- logins -----------------------------------------------------------------------------------


def _on_logged_in(sender, request, user, **kwargs):
    audit_record(
        actor=user,
        action="login.succeeded",
        obj=user,
        summary=f"用户 {user.get_username()} 登录成功",
        request=request,
    )


def _on_logged_out(sender, request, user, **kwargs):
    if user is None:
        return
    audit_record(
        actor=user,
        action="logout",
        obj=user,
        summary=f"用户 {user.get_username()} 退出登录",
        request=request,
    )


def _on_login_failed(sender, credentials, request=None, **kwargs):
    # Django has already replaced the password in ``credentials``; only the name is kept.
    username = str(credentials.get(get_user_model().USERNAME_FIELD) or "")[:150]
    audit_record(
        action="login.failed",
        summary=f"登录失败：用户名 {username or '（空）'}",
        changes={"username": username},
        object_type=get_user_model()._meta.label_lower,
        request=request,
    )


# --- wiring -----------------------------------------------------------------------------------


def captured_models() -> list:
    """The models whose writes are recorded."""
    models = [
        model
        for model in apps.get_models()
        if model._meta.app_config.name.startswith("bangban.")
        and model._meta.label_lower not in EXCLUDED_MODELS
    ]
    if apps.is_installed("django.contrib.auth"):
        models.append(apps.get_model("auth", "Group"))
    return models


def connect() -> None:
    """Connect the receivers (AuditConfig.ready)."""
    for model in captured_models():
        uid = f"audit:{model._meta.label_lower}"
        post_init.connect(_on_init, sender=model, weak=False, dispatch_uid=uid)
        pre_save.connect(_on_pre_save, sender=model, weak=False, dispatch_uid=uid)
        post_save.connect(_on_save, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(_on_delete, sender=model, weak=False, dispatch_uid=uid)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _m2m_receiver(field),
                sender=field.remote_field.through,
                weak=False,
                dispatch_uid=f"audit:{model._meta.label_lower}.{field.name}",
            )
    user_logged_in.connect(_on_logged_in, dispatch_uid="audit:login")
    user_logged_out.connect(_on_logged_out, dispatch_uid="audit:logout")
    user_login_failed.connect(_on_login_failed, dispatch_uid="audit:login_failed")
