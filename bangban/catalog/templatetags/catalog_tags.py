from django import template

from bangban.catalog.models import ItemKind, LimitUnit

register = template.Library()


@register.filter
def legal_limit(item) -> str:
    """法定时限 as a person reads it: 「即时办结」, 「20 个工作日」, 「60 日（自然日）」, 「法律未设定」."""
    days = item.legal_limit_days
    if days is None:
        return "法律未设定"
    if days == 0:
        return "即时办结"
    return (
        f"{days} 个工作日" if item.legal_limit_unit == LimitUnit.WORKING else f"{days} 日（自然日）"
    )


@register.filter
def promised_limit(item) -> str:
    if item.kind == ItemKind.IMMEDIATE or item.promised_limit_days == 0:
        return "当场办结"
    return f"{item.promised_limit_days} 个工作日"
