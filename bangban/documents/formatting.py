"""How values print on the forms, as plain strings (no python-docx).

- Dates print as ``2026年11月23日``; a missing date prints as a blank ``年 月 日`` to fill in
  by hand.
- Numbers keep at most two decimals, thousands grouped (``12,500.5``).
- Choices print as tick boxes (``☑全程代办　☐部分代办``); an empty value as full-width blanks
  to write on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

CHECKED = "☑"
UNCHECKED = "☐"
BLANK_DATE = "　　　年　　月　　日"
FULL_SPACE = "　"


def format_date(value: dt.date | None) -> str:
    """``2026年11月23日``; ``None`` gives a blank date to fill in by hand."""
    if value is None:
        return BLANK_DATE
    return f"{value.year}年{value.month}月{value.day}日"


def format_datetime(value: dt.datetime) -> str:
    """``2026年11月23日 14:05``."""
    return f"{format_date(value)} {value:%H:%M}"


def format_number(value: Decimal | int | float | None, unit: str = "") -> str:
    """At most two decimals, trailing zeros dropped, thousands grouped: ``12,500.5`` + unit."""
    if value is None:
        return ""
    text = f"{Decimal(str(value)):,.2f}".rstrip("0").rstrip(".")
    return f"{text}{unit}" if unit else text


def checkbox(label: str, checked: bool) -> str:
    return f"{CHECKED if checked else UNCHECKED}{label}"


def checkboxes(labels: Iterable[str], selected: Iterable[str] = ()) -> str:
    """``☑全程代办　□部分代办`` — one box per label, ticked when in `selected`."""
    chosen = set(selected)
    return "　".join(checkbox(label, label in chosen) for label in labels)


def or_blank(text: str, width: int = 8) -> str:
    """The text, or full-width blanks to write on when it is empty."""
    return text if text else FULL_SPACE * width
