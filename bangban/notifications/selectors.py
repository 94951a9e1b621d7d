"""Reads of the outbox: a user's in-app messages (its own and its department's)."""

from django.db.models import Q, QuerySet

from .models import Channel, Notification


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
