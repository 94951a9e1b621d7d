"""The GB/T 4754-2017 code list (`data/industry/gbt4754.yaml`), loaded once per process.

The file lists all 20 sections with their division ranges, all 97 divisions, and the classes
(小类) of the sections named under ``complete_sections``. Validation (`validators.py`):

- the code must be a section letter and four digits, its division must exist, and the letter
  must be the section whose range holds the division (``B2614`` is refused: 26 is in C);
- in a complete section, the class must be listed (``C2618`` is refused);
- in the other sections the list is partial: a class is accepted when its division exists.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from django.conf import settings

from bangban.rules.codes import IndustryCodeTable

INDUSTRY_FILE = Path("industry") / "gbt4754.yaml"


def _parse_range(text: str) -> tuple[int, int]:
    low, _, high = str(text).partition("-")
    return int(low), int(high or low)


def build_industry_table(data: dict) -> IndustryCodeTable:
    """Turn the parsed YAML into a table, refusing an inconsistent file (ValueError)."""
    sections = {s["code"]: _parse_range(s["divisions"]) for s in data["sections"]}
    section_names = {s["code"]: s["name"] for s in data["sections"]}
    table = IndustryCodeTable(sections=sections, divisions={}, section_names=section_names)
    divisions: dict[str, str] = {}
    for row in data["divisions"]:
        code = str(row["code"]).zfill(2)
        if table.section_of(code) != row["section"]:
            raise ValueError(
                f"大类 {code} 的门类应为 {table.section_of(code)}，文件中为 {row['section']}"
            )
        divisions[code] = row["name"]
    classes: dict[str, str] = {}
    for row in data.get("classes") or []:
        code = str(row["code"])
        if len(code) != 5 or code[1:3] not in divisions or table.section_of(code[1:3]) != code[0]:
            raise ValueError(f"小类 {code} 与门类或大类不符")
        classes[code] = row["name"]
    complete = set(data.get("complete_sections") or [])
    complete_divisions = frozenset(d for d in divisions if table.section_of(d) in complete)
    missing = sorted(d for d in complete_divisions if not any(c[1:3] == d for c in classes))
    if missing:
        raise ValueError(f"门类已标为完整，但大类 {', '.join(missing)} 没有小类")
    return IndustryCodeTable(
        sections=sections,
        divisions=divisions,
        classes=classes,
        complete_divisions=complete_divisions,
        section_names=section_names,
    )


@lru_cache(maxsize=1)
def load_industry_codes() -> IndustryCodeTable:
    """The known codes and names (cached; `load_industry_codes.cache_clear()` re-reads)."""
    path = Path(settings.REFERENCE_DATA_DIR) / INDUSTRY_FILE
    with path.open(encoding="utf-8") as handle:
        return build_industry_table(yaml.safe_load(handle))
