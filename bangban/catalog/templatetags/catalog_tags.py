from django import template

from bangban.catalog.models import ItemKind, LimitUnit
from bangban.rules.conditions import ConditionError
from bangban.rules.conditions.wording import condition_words as _condition_words

register = template.Library()


@register.filter
def legal_limit(item) -> str:
    """法定时限 as a person reads it: 「即时办结」, 「20 个工作日」, 「60 日（自然日）」,
    「无法定时限」 (none stored: the law sets no limit). An item or a tier."""
    days = item.legal_limit_days
    if days is None:
        return "无法定时限"
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


@register.filter
def condition_words(condition: str) -> str:
    """An applicability condition as a Chinese sentence (「总建筑面积大于 0 平方米」; the empty
    condition 「所有投资项目」), never the condition language itself (docs/wording.md). The
    wording is cached by the condition's text. A condition that no longer parses (it cannot
    be published so) says so instead of showing its code."""
    try:
        return _condition_words(condition or "")
    except ConditionError:
        return "以办理部门公布的办事指南为准"
