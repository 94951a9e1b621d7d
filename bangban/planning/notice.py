"""The one-time notice (一次性告知单) of a plan, as plain data (no Django, no I/O).

Every material is listed ONCE, deduplicated by name across the plan's items, with the items
that need it. A material goes under the earliest stage of the items that need it (and lists
them all). A material that any item requires as core stays core; only materials non-core
for every item may be missing at acceptance (容缺受理).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["Notice", "NoticeMaterial", "NoticeSection", "notice_build"]

_FORM_LABELS = {
    "original": "原件",
    "copy": "复印件",
    "both": "原件及复印件",
    "electronic": "电子件",
}


@dataclass(frozen=True)
class NoticeMaterial:
    name: str
    form: str
    form_label: str
    copies: int
    is_core: bool
    notes: tuple[str, ...]
    items: tuple[tuple[str, str], ...]  # (code, name) of every item that needs it

    @property
    def item_names(self) -> str:
        return "、".join(name for _, name in self.items)


@dataclass(frozen=True)
class NoticeSection:
    stage: str
    stage_label: str
    stage_order: int
    materials: tuple[NoticeMaterial, ...]


@dataclass(frozen=True)
class Notice:
    sections: tuple[NoticeSection, ...]  # in stage order; stages without materials left out

    @property
    def material_count(self) -> int:
        return sum(len(section.materials) for section in self.sections)

    @property
    def non_core_count(self) -> int:
        return sum(1 for s in self.sections for m in s.materials if not m.is_core)

    def materials(self) -> list[NoticeMaterial]:
        return [material for section in self.sections for material in section.materials]


def _combined_form(forms: list[str]) -> str:
    distinct = list(dict.fromkeys(forms))
    if len(distinct) == 1:
        return distinct[0]
    if set(distinct) <= {"original", "copy", "both"}:
        return "both"
    return distinct[0]


def _form_label(form: str, labels: dict[str, str]) -> str:
    return labels.get(form) or _FORM_LABELS.get(form, form)


def notice_build(items: Iterable[Any]) -> Notice:
    """Build the notice from a plan's items (in the plan's order).

    Each item needs ``code``, ``name``, ``stage``, ``stage_label``, ``stage_order`` and
    ``materials`` (each with ``name``, ``form``, ``form_label``, ``copies``, ``is_core``,
    ``note``). Within a stage, materials keep the order in which the plan first needs them.
    """
    stage_info: dict[str, tuple[str, int]] = {}
    found: dict[str, dict[str, Any]] = {}  # name -> accumulated facts, in first-seen order
    form_labels: dict[str, str] = {}
    for item in items:
        stage_info.setdefault(item.stage, (item.stage_label, item.stage_order))
        for material in item.materials:
            form_labels.setdefault(material.form, material.form_label)
            entry = found.get(material.name)
            if entry is None:
                entry = found[material.name] = {
                    "stage": item.stage,
                    "stage_order": item.stage_order,
                    "forms": [],
                    "copies": 0,
                    "core": False,
                    "notes": [],
                    "items": [],
                }
            elif item.stage_order < entry["stage_order"]:
                entry["stage"], entry["stage_order"] = item.stage, item.stage_order
            entry["forms"].append(material.form)
            entry["copies"] = max(entry["copies"], material.copies)
            entry["core"] = entry["core"] or material.is_core
            if material.note and material.note not in entry["notes"]:
                entry["notes"].append(material.note)
            if (item.code, item.name) not in entry["items"]:
                entry["items"].append((item.code, item.name))

    by_stage: dict[str, list[NoticeMaterial]] = {}
    for name, entry in found.items():
        form = _combined_form(entry["forms"])
        by_stage.setdefault(entry["stage"], []).append(
            NoticeMaterial(
                name=name,
                form=form,
                form_label=_form_label(form, form_labels),
                copies=entry["copies"],
                is_core=entry["core"],
                notes=tuple(entry["notes"]),
                items=tuple(entry["items"]),
            )
        )
    sections = [
        NoticeSection(stage, stage_info[stage][0], stage_info[stage][1], tuple(materials))
        for stage, materials in by_stage.items()
    ]
    sections.sort(key=lambda section: section.stage_order)
    return Notice(tuple(sections))
