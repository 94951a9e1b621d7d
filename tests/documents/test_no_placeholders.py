"""No placeholders in official letters (issue 11 item 8): no generated document says 「待核实」;
a refusal names a policy entry by its text, list and source; a form whose data still carries
the mark is refused, never printed."""

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
import yaml

from bangban.documents.data import RefusalReason
from bangban.documents.renderers import FormDataError, render_refusal_notice
from bangban.rules import screening
from tests.documents import samples
from tests.documents.docx_reading import all_text, open_docx
from tests.documents.test_renderers import CASES

DATA = Path(__file__).resolve().parents[2] / "data"
MARK = "待核实"


@pytest.mark.parametrize("name", CASES)
def test_no_document_type_prints_the_mark(name):
    render, sample, _ = CASES[name]
    text = all_text(open_docx(render(sample())))
    assert text.strip() and MARK not in text


@pytest.mark.parametrize("name", CASES)
def test_a_document_whose_data_carries_the_mark_is_refused(name):
    render, sample, _ = CASES[name]
    data = sample()
    marked = dataclasses.replace(
        data, project=dataclasses.replace(data.project, name="某项目（名称待核实）")
    )
    with pytest.raises(FormDataError) as caught:
        render(marked)
    assert "含有“待核实”字样" in str(caught.value) and "某项目（名称待核实）" in str(caught.value)


def test_a_refusal_whose_source_still_says_unverified_is_refused():
    reason = RefusalReason(
        text="项目为新建电石生产装置",
        entry="电石",
        category="限制类",
        source="《产业结构调整指导目录（2024年本）》第二类 限制类“石化化工”部分（条目序号待核实）",
    )
    with pytest.raises(FormDataError) as caught:
        render_refusal_notice(samples.refusal(reasons=(reason,)))
    assert "未核实的内容须先核对，不得写入正式文书" in str(caught.value)


# --- every policy entry as a refusal reason ----------------------------------------------------


def policy_entries() -> list[dict]:
    data = yaml.safe_load((DATA / "industry" / "policy.yaml").read_text(encoding="utf-8"))
    return data["entries"]


ENTRIES = policy_entries()
PRINTED = ("section", "text", "qualifier", "source")


def test_the_policy_file_has_entries_and_some_are_unverified():
    assert len(ENTRIES) >= 50
    assert any(not entry.get("verified") for entry in ENTRIES)
    assert any(entry.get("verified") for entry in ENTRIES)


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["key"] for e in ENTRIES])
def test_no_printed_field_of_a_policy_entry_carries_the_mark(entry):
    for name in PRINTED:
        assert MARK not in str(entry.get(name) or ""), (entry["key"], name)


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["key"] for e in ENTRIES])
def test_a_refusal_on_any_policy_entry_prints_text_list_and_source(entry):
    """As `refusal_notice_data` builds it: the screening's sentence, the entry's text, its
    list (类别) and its source."""
    core = screening.Entry(
        key=entry["key"],
        layer=entry["layer"],
        policy_class=entry["class"],
        text=entry["text"],
        section=entry.get("section") or "",
        qualifier=entry.get("qualifier") or "",
        source=entry["source"],
        source_date=entry.get("source_date"),
    )
    match = screening.Match(entry=core, effect=screening.REFUSE, matched_by="行业代码")
    category = screening.CLASSES[core.policy_class]
    reason = RefusalReason(
        text=screening.describe_match(match),
        entry=core.text,
        category=category,
        source=core.source,
    )
    notice = samples.refusal(reasons=(reason,), basis=(core.source,))
    text = all_text(open_docx(render_refusal_notice(notice)))
    assert MARK not in text
    assert core.text.rstrip("。") in text and category in text and core.source in text


# --- the catalog -------------------------------------------------------------------------------


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dt.date):
        return


def test_no_catalog_item_field_carries_the_mark():
    data = yaml.safe_load((DATA / "catalog" / "items.yaml").read_text(encoding="utf-8"))
    for item in data["items"]:
        for text in _strings(item):
            assert MARK not in text, (item["code"], text)
