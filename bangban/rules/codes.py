"""Checks for enterprise and project identifiers — pure functions, no Django import.

Each `validate_*` function returns ``None`` when the value is acceptable and otherwise a
Chinese message naming the field; the model layer wraps the message into a Django
``ValidationError``. The `normalize_*` functions turn what people type into the stored form.

- 统一社会信用代码: GB 32100-2015 (18 characters, check character over 17 weighted positions).
- 手机号码: mainland mobile numbers, ``1[3-9]`` and nine more digits.
- 投资项目统一代码: only the shape ``dddd-dddddd-dd-dd-dddddd`` and the region segment are
  checked; the meaning of the other segments changed on 2020-11-01 (GB/T 40058-2021).
- 国民经济行业代码: GB/T 4754-2017, written as the section letter and four digits (``C2614``).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

# --- 统一社会信用代码 (GB 32100-2015) ------------------------------------------------------

#: The 31 characters a credit code may use (no I, O, Z, S, V); a character's value is its index.
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
#: Weight of position i (1-based) is 3^(i-1) mod 31.
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
USCC_LENGTH = 18


def normalize_uscc(code: str) -> str:
    """The stored form: surrounding blanks removed, letters upper-case."""
    return (code or "").strip().upper()


def uscc_check_char(first17: str) -> str:
    """The check character (position 18) for the first 17 characters of a credit code.

    `first17` must be 17 characters from `USCC_CHARS` (upper case); otherwise ValueError.
    """
    if len(first17) != 17 or any(c not in USCC_CHARS for c in first17):
        raise ValueError("需要 17 位合法字符")
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARS[(31 - total % 31) % 31]


def validate_uscc(code: str) -> str | None:
    """Check a 统一社会信用代码; lower-case letters and surrounding blanks are accepted."""
    code = normalize_uscc(code)
    if not code:
        return "请填写统一社会信用代码。"
    if len(code) != USCC_LENGTH:
        return f"统一社会信用代码应为 18 位（当前 {len(code)} 位）。"
    illegal = sorted({c for c in code if c not in USCC_CHARS})
    if illegal:
        shown = "、".join("空格" if c.isspace() else c for c in illegal)
        return f"统一社会信用代码含有非法字符：{shown}（只能使用数字和除 I、O、Z、S、V 以外的大写字母）。"
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验位错误（应为 {expected}）。"
    return None


# --- 手机号码 -----------------------------------------------------------------------------

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_MOBILE_SEPARATORS = re.compile(r"[\s\-]")


def normalize_mobile(number: str) -> str:
    """The stored form: blanks and hyphens removed, a leading +86 / 0086 / 86 country code dropped."""
    number = _MOBILE_SEPARATORS.sub("", number or "")
    for prefix in ("+86", "0086"):
        if number.startswith(prefix):
            return number[len(prefix) :]
    if len(number) == 13 and number.startswith("86"):
        return number[2:]
    return number


def validate_mobile(number: str) -> str | None:
    """Check a mainland mobile number (after `normalize_mobile`)."""
    number = normalize_mobile(number)
    if not number:
        return "请填写手机号码。"
    if not MOBILE_RE.match(number):
        return "手机号码应为 11 位大陆手机号码（1 开头，第二位为 3–9）。"
    return None


# --- 投资项目统一代码 ---------------------------------------------------------------------

PROJECT_CODE_RE = re.compile(r"^\d{4}-(?P<region>\d{6})-\d{2}-\d{2}-\d{6}$")


def normalize_project_code(code: str) -> str:
    return (code or "").strip()


def validate_project_code(code: str, known_region_codes: Collection[str]) -> str | None:
    """Check the shape of a 投资项目统一代码 and that its region segment is a known region code.

    Only the shape and segment 2 are checked (see the module docstring); an empty code is
    not this function's business (the field is optional).
    """
    code = normalize_project_code(code)
    match = PROJECT_CODE_RE.match(code)
    if match is None:
        return "投资项目统一代码格式应为 dddd-dddddd-dd-dd-dddddd（24 位，例如 2020-150602-44-03-012345）。"
    region = match.group("region")
    if region not in known_region_codes:
        return f"投资项目统一代码中的地区代码 {region} 不是已知的区划代码。"
    return None


# --- 国民经济行业代码 (GB/T 4754-2017) ----------------------------------------------------

INDUSTRY_CODE_RE = re.compile(r"^(?P<section>[A-T])(?P<division>\d{2})(?P<rest>\d{2})$")


@dataclass(frozen=True)
class IndustryCodeTable:
    """The known GB/T 4754-2017 codes, as plain data.

    sections: letter -> (first division, last division), both inclusive; a division's
        section is the one whose range holds it.
    divisions: two-digit division code -> name.
    classes: class code with its letter (``C2614``) -> name.
    complete_divisions: divisions whose classes are all listed in `classes`; a class of
        any other existing division is accepted even though it is not listed.
    """

    sections: Mapping[str, tuple[int, int]]
    divisions: Mapping[str, str]
    classes: Mapping[str, str] = field(default_factory=dict)
    complete_divisions: frozenset[str] = frozenset()
    section_names: Mapping[str, str] = field(default_factory=dict)

    def section_of(self, division: str) -> str | None:
        """The section letter whose division range holds `division` ("26" -> "C")."""
        if not (len(division) == 2 and division.isdigit()):
            return None
        number = int(division)
        for letter, (low, high) in self.sections.items():
            if low <= number <= high:
                return letter
        return None

    def name_of(self, code: str) -> str:
        """The class name of ``C2614``, else its division's name, else an empty string."""
        code = (code or "").strip().upper()
        if code in self.classes:
            return self.classes[code]
        return self.divisions.get(code[1:3], "") if len(code) >= 3 else ""


def normalize_industry_code(code: str, table: IndustryCodeTable | None = None) -> str:
    """The stored form: blanks removed, upper case; a bare ``2614`` gets its section letter."""
    code = (code or "").strip().replace(" ", "").upper()
    if table is not None and len(code) == 4 and code.isdigit():
        letter = table.section_of(code[:2])
        if letter and code[:2] in table.divisions:
            return letter + code
    return code


def validate_industry_code(code: str, table: IndustryCodeTable) -> str | None:
    """Check a class code such as ``C2614`` against the table.

    Refused: another shape, an unknown division, a letter that disagrees with the division's
    section, and an unlisted class of a division whose classes are all listed. A class of a
    division whose classes are not listed is accepted when the division exists.
    """
    code = (code or "").strip().upper()
    match = INDUSTRY_CODE_RE.match(code)
    if match is None:
        return "国民经济行业代码应为门类字母加 4 位数字，例如 C2614。"
    letter, division = match.group("section"), match.group("division")
    expected = table.section_of(division)
    if division not in table.divisions or expected is None:
        return f"国民经济行业代码 {code} 的大类 {division} 不存在（GB/T 4754-2017）。"
    if letter != expected:
        return (
            f"国民经济行业代码 {code} 的门类字母与大类不符："
            f"大类 {division} 属于门类 {expected}（应为 {expected}{code[1:]}）。"
        )
    if code not in table.classes and division in table.complete_divisions:
        return f"国民经济行业代码 {code} 不是 GB/T 4754-2017 的小类。"
    return None
