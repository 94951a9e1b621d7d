"""Parse a year's holiday notice as a centre types it (no Django).

One line per block::

    休 2027-01-01 至 2027-01-03 元旦
    班 2027-02-14 春节调休上班

The keyword is 休 (also 放假/休息/休假) or 班 (also 上班/补班/调休上班); a range is written with
至, 到, ``~`` or ``-``; dates as 2027-01-01, 2027/1/1, 2027.1.1 or 2027年1月1日; full-width
spaces, digits and punctuation are accepted. Blank lines and lines starting with ``#`` are
skipped. :func:`parse_notice` checks every line and reports every problem at once, each
naming its line number.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

__all__ = ["MAX_BLOCK_DAYS", "MAX_NAME_LENGTH", "NoticeEntry", "NoticeError", "parse_notice"]

MAX_BLOCK_DAYS = 31
MAX_NAME_LENGTH = 50

OFF_KEYWORDS = frozenset({"休", "放假", "休息", "休假"})
WORK_KEYWORDS = frozenset({"班", "上班", "补班", "调休上班"})

_DATE = r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
_LINE = re.compile(
    rf"^(?P<kw>[^\d\s]+?)\s*(?P<start>{_DATE})"
    rf"(?:\s*(?:至|到|~|-|—|–)\s*(?P<end>{_DATE}))?"
    r"(?:\s*(?P<name>[^\d\s~\-—–至到].*?))?\s*$"
)
_DATE_PARTS = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")

EXAMPLE = "“休 2027-01-01 至 2027-01-03 元旦”或“班 2027-02-14 春节调休上班”"


@dataclass(frozen=True)
class NoticeEntry:
    date: dt.date
    is_working_day: bool
    name: str
    line: int


class NoticeError(ValueError):
    """The notice has problems; ``messages`` are Chinese, one per problem."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


def _normalise(line: str) -> str:
    # NFKC turns full-width spaces, digits, ～ and － into their ASCII forms.
    return unicodedata.normalize("NFKC", line).strip()


def _parse_date(text: str) -> dt.date | None:
    match = _DATE_PARTS.search(text)
    assert match is not None  # the line regex only captures well-formed dates
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def parse_notice(year: int, text: str) -> list[NoticeEntry]:
    """One :class:`NoticeEntry` per date, in date order; :class:`NoticeError` if any line
    is wrong (nothing is returned then)."""
    errors: list[str] = []
    entries: dict[dt.date, NoticeEntry] = {}

    for number, raw in enumerate(text.splitlines(), start=1):
        line = _normalise(raw)
        if not line or line.startswith("#"):
            continue
        where = f"第 {number} 行"
        match = _LINE.match(line)
        if match is None:
            errors.append(f"{where}：无法识别“{line}”，应写成{EXAMPLE}。")
            continue
        keyword = match["kw"]
        if keyword in OFF_KEYWORDS:
            working = False
        elif keyword in WORK_KEYWORDS:
            working = True
        else:
            errors.append(f"{where}：无法识别关键字“{keyword}”，应为“休”或“班”。")
            continue
        start = _parse_date(match["start"])
        end = _parse_date(match["end"]) if match["end"] else start
        if start is None or end is None:
            bad = match["start"] if start is None else match["end"]
            errors.append(f"{where}：日期“{bad.strip()}”不存在。")
            continue
        outside = [d for d in (start, end) if d.year != year]
        if outside:
            errors.append(f"{where}：日期 {outside[0].isoformat()} 不在 {year} 年内。")
            continue
        if end < start:
            errors.append(f"{where}：起始日期 {start.isoformat()} 晚于结束日期 {end.isoformat()}。")
            continue
        if (end - start).days + 1 > MAX_BLOCK_DAYS:
            errors.append(f"{where}：一段安排超过 {MAX_BLOCK_DAYS} 天，请检查日期。")
            continue
        name = (match["name"] or "").strip()
        if len(name) > MAX_NAME_LENGTH:
            errors.append(f"{where}：名称过长（最多 {MAX_NAME_LENGTH} 个字）。")
            continue
        day = start
        while day <= end:
            previous = entries.get(day)
            if previous is None:
                entries[day] = NoticeEntry(day, working, name, number)
            elif previous.is_working_day != working:
                first = "上班" if previous.is_working_day else "休息"
                second = "上班" if working else "休息"
                errors.append(
                    f"{where}：{day.isoformat()} 已在第 {previous.line} 行标为{first}，"
                    f"不能同时标为{second}。"
                )
                break
            day += dt.timedelta(days=1)

    if errors:
        raise NoticeError(errors)
    if not entries:
        raise NoticeError([f"通知内容为空：请每行填写一段安排，例如{EXAMPLE}。"])
    return [entries[d] for d in sorted(entries)]
