"""Reads of the outbox: a user's in-app messages (its own and its department's), and the
outbox's state for the operators."""

from django.db.models import Count, Q, QuerySet

from bangban.accounts.models import Role
from bangban.common import scoping
from bangban.common.scoping import NOTHING

from .models import Channel, Notification, State


def notification_scope(user) -> Q:
    """The messages ``user`` may see, on every channel: its own and its department's; a centre
    admin also those of its region subtree's users and departments (the outbox it looks after
    in the admin). Registered with ``bangban.common.scoping`` (NotificationsConfig)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser and not user.region_id:
        return Q()
    mine = Q(recipient_user=user)
    if user.department_id is not None:
        mine |= Q(recipient_department_id=user.department_id)
    if user.role == Role.CENTRE_ADMIN and user.region_id:
        path = user.region.path
        mine |= Q(recipient_user__region__path__startswith=path)
        mine |= Q(recipient_department__region__path__startswith=path)
    return mine


def notification_list_for(user) -> QuerySet[Notification]:
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    mine = Q(recipient_user=user)
    if user.department_id is not None:
        mine |= Q(recipient_department_id=user.department_id)
    return (
        Notification.objects.filter(mine, channel=Channel.IN_APP)
        .select_related("commission", "commission__project", "recipient_department")
        .order_by("-created_at", "-id")
    )


def notification_unread_count(user) -> int:
    return notification_list_for(user).filter(read_at__isnull=True).count()


def notification_outbox_counts() -> dict[str, int]:
    """How many e-mail and SMS messages are in each state (every state present, 0 if none)."""
    counts = dict.fromkeys(State.values, 0)
    rows = (
        Notification.objects.exclude(channel=Channel.IN_APP)
        .values_list("state")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts.update(dict(rows))
    return counts


def register_scopes() -> None:
    """Tell ``bangban.common.scoping`` (read by the admin) the scoping of the outbox."""
    scoping.register(Notification, notification_scope)
