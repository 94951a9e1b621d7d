"""The notice parser (pure) — formats accepted and problems reported by line."""

import datetime as dt

import pytest

from bangban.workdays.notice import NoticeError, parse_notice

D = dt.date.fromisoformat


def entries(text, year=2027):
    return [(e.date.isoformat(), e.is_working_day, e.name) for e in parse_notice(year, text)]


def errors(text, year=2027):
    with pytest.raises(NoticeError) as info:
        parse_notice(year, text)
    return info.value.messages


def test_blocks_and_single_days():
    assert entries("休 2027-01-01 至 2027-01-03 元旦\n班 2027-02-14 春节调休上班") == [
        ("2027-01-01", False, "元旦"),
        ("2027-01-02", False, "元旦"),
        ("2027-01-03", False, "元旦"),
        ("2027-02-14", True, "春节调休上班"),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "休 2027-05-01 ~ 2027-05-02 劳动节",
        "休 2027-05-01~2027-05-02 劳动节",
        "休 2027-05-01 - 2027-05-02 劳动节",
        "休 2027-05-01-2027-05-02 劳动节",
        "休 2027-05-01 到 2027-05-02 劳动节",
        "休　2027-05-01　至　2027-05-02　劳动节",  # full-width spaces
        "休　２０２７－０５－０１　～　２０２７－０５－０２　劳动节",  # full-width everything
        "放假 2027/5/1 至 2027/5/2 劳动节",
        "休 2027年5月1日至2027年5月2日 劳动节",
        "  休 2027.5.1 至 2027.5.2 劳动节  ",
    ],
)
def test_range_spellings(line):
    assert entries(line) == [("2027-05-01", False, "劳动节"), ("2027-05-02", False, "劳动节")]


def test_blank_and_comment_lines_are_skipped_and_name_is_optional():
    assert entries("\n# 2027 年安排\n\n班 2027-02-14\n") == [("2027-02-14", True, "")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("休 2027-01-01\n休 2028-01-01 元旦", "第 2 行：日期 2028-01-01 不在 2027 年内。"),
        ("休 2027-01-03 至 2027-01-01", "第 1 行：起始日期 2027-01-03 晚于结束日期 2027-01-01。"),
        ("休 2027-02-30", "第 1 行：日期“2027-02-30”不存在。"),
        ("歇 2027-01-01", "第 1 行：无法识别关键字“歇”，应为“休”或“班”。"),
        ("休 2027-01-01 至 2027-03-01", "第 1 行：一段安排超过 31 天，请检查日期。"),
        (
            "休 2027-02-10 至 2027-02-16 春节\n\n班 2027-02-14",
            "第 3 行：2027-02-14 已在第 1 行标为休息，不能同时标为上班。",
        ),
    ],
)
def test_problems_name_the_line(text, expected):
    assert errors(text) == [expected]


def test_unrecognisable_line_and_all_problems_at_once():
    messages = errors("国务院办公厅通知\n休 2027-01-01\n班 2026-12-31")
    assert len(messages) == 2
    assert messages[0].startswith("第 1 行：无法识别“国务院办公厅通知”")
    assert messages[1] == "第 3 行：日期 2026-12-31 不在 2027 年内。"


def test_empty_notice_is_refused():
    assert errors("\n# nothing\n")[0].startswith("通知内容为空")


def test_overlapping_blocks_of_the_same_kind_are_merged():
    assert entries("休 2027-01-01 至 2027-01-02 元旦\n休 2027-01-02 至 2027-01-03") == [
        ("2027-01-01", False, "元旦"),
        ("2027-01-02", False, "元旦"),
        ("2027-01-03", False, ""),
    ]
