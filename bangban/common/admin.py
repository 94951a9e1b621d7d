"""The admin scoped like the pages and the API (SPEC §8).

Every ``ModelAdmin`` of bangban mixes in :class:`ScopedAdminMixin` (``tests/security``
checks it for every registered admin). The mixin asks :mod:`bangban.common.scoping` — the
same functions the pages and the API filter through — for:

- the change list and the change page (``get_queryset``): another region's row is not
  listed, and its change page answers like a missing object;
- the per-object view, change and delete permissions;
- the choices of every foreign key and many-to-many field, so an object cannot be attached
  to another region's enterprise, department, region or user — a choice outside the scope
  fails the form's validation;
- the change list's filters on a relation (only the related objects of the listed rows).

Reference data the same for everyone (the national catalog, the policy catalog, the working-
day calendar) sets ``platform_wide = True``: every row is listed; who may change it is decided
by the model permissions alone (the 中心管理员 group only views it, see
``bangban/web/access.py``).

Which models a centre admin may open at all is the 中心管理员 group's permissions; a platform
operator (a superuser without a region) sees and may attach everything.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q

from . import scoping


class ScopedAdminMixin:
    """Put it first in the bases: ``class CaseAdmin(ScopedAdminMixin, admin.ModelAdmin)``."""

    #: Reference data: the same rows for every user (permissions still decide who edits).
    platform_wide: bool = False

    def scope_q(self, user) -> Q:
        if self.platform_wide:
            return Q()
        return scoping.scope_for(self.model, user)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(self.scope_q(request.user))

    def in_scope(self, request, obj) -> bool:
        if self.platform_wide or scoping.is_platform_operator(request.user):
            return True
        return self.model._default_manager.filter(self.scope_q(request.user), pk=obj.pk).exists()

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or self.in_scope(request, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self.in_scope(request, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or self.in_scope(request, obj))

    def get_list_filter(self, request):
        """A filter on a relation offers only the related objects of the listed (scoped) rows
        — Django's plain one would name every department and region of the platform."""
        filters = list(super().get_list_filter(request))
        if self.platform_wide:
            return filters
        return [self._related_only(name) for name in filters]

    def _related_only(self, name):
        if not isinstance(name, str) or "__" in name:
            return name
        try:
            field = self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return name
        return (name, admin.RelatedOnlyFieldListFilter) if field.is_relation else name

    # --- the choices of related fields ---------------------------------------------------

    def choice_scope(self, db_field, request) -> Q:
        """The filter of the objects a relation may point at: the related model's registered
        scope; a related admin that is platform-wide offers every row; anything else offers
        nothing to a user who is not a platform operator."""
        user = request.user
        related = db_field.remote_field.model
        if scoping.is_platform_operator(user) or scoping.is_registered(related):
            return scoping.scope_for(related, user)
        related_admin = self.admin_site._registry.get(related)
        if getattr(related_admin, "platform_wide", False):
            return Q()
        return scoping.NOTHING

    def _scoped_choices(self, db_field, request, kwargs):
        queryset = kwargs.get("queryset")
        if queryset is None:  # what Django would offer (ordered like the related admin)
            queryset = self.get_field_queryset(None, db_field, request)
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.all()
        kwargs["queryset"] = queryset.filter(self.choice_scope(db_field, request))
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = self._scoped_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs = self._scoped_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedInlineMixin:
    """For inlines: of the parent's related rows, only those the user may see are shown (an
    enterprise of the region may have a project elsewhere); choices scoped like the admin's."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if scoping.is_registered(self.model):
            queryset = queryset.filter(scoping.scope_for(self.model, request.user))
        return queryset
