"""Checks for enterprise and project identifiers — pure functions, no Django import.

Each `validate_*` function returns ``None`` when the value is acceptable and otherwise a
Chinese message naming the field; the model layer wraps the message into a Django
``ValidationError``. The `normalize_*` functions turn what people type into the stored form.

- 统一社会信用代码: GB 32100-2015 — positions 1–2 a registration authority and one of its
  organisation types, 3–8 a region code, 9–17 a 组织机构代码 with its own GB 11714-1997 check
  character, 18 the check character over 17 weighted positions (`check_uscc` gives every
  refusal and the warnings the agent confirms).
- 手机号码: mainland mobile numbers, ``1[3-9]`` and nine more digits.
- 投资项目统一代码: only the shape ``dddd-dddddd-dd-dd-dddddd`` and the region segment are
  checked; the meaning of the other segments changed on 2020-11-01 (GB/T 40058-2021).
- 国民经济行业代码: GB/T 4754-2017, written as the section letter and four digits (``C2614``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

# --- 统一社会信用代码 (GB 32100-2015, with GB 11714-1997) ------------------------------------
#
# Positions (1-based): 1 登记管理部门代码; 2 机构类别代码; 3–8 登记管理机关行政区划码 (GB/T 2260);
# 9–17 主体标识码 = the 9-character 组织机构代码 of GB 11714-1997, whose own check character is
# position 17; 18 the check character over positions 1–17.

#: The 31 characters a credit code may use (no I, O, Z, S, V); a character's value is its index.
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
#: Weight of position i (1-based) is 3^(i-1) mod 31.
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
USCC_LENGTH = 18

#: 登记管理部门代码 -> (部门, {机构类别代码: 类别}). Source: GB 32100-2015 表 1 (登记管理部门代码和
#: 机构类别代码); the rows of 1 机构编制, 3 司法行政, 5 民政 and 9 工商 are those of
#: shared/reference/domain-data.md §3.1; the types of the other rows are the standard's table as
#: recalled (K) — a code refused here for its type that is real is a data error to fix here.
USCC_REGISTRARS: dict[str, tuple[str, dict[str, str]]] = {
    "1": (
        "机构编制",
        {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"},
    ),
    "2": ("外交", {"1": "外国常驻新闻机构", "9": "其他"}),
    "3": (
        "司法行政",
        {
            "1": "律师执业机构",
            "2": "公证处",
            "3": "基层法律服务所",
            "4": "司法鉴定机构",
            "5": "仲裁委员会",
            "9": "其他",
        },
    ),
    "4": ("文化", {"1": "外国在华文化中心", "9": "其他"}),
    "5": ("民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}),
    "6": (
        "旅游",
        {
            "1": "外国旅游部门常驻代表机构",
            "2": "港澳台地区旅游部门常驻内地（大陆）代表机构",
            "9": "其他",
        },
    ),
    "7": ("宗教", {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"}),
    "8": ("工会", {"1": "基层工会", "9": "其他"}),
    "9": ("工商（市场监管）", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}),
    "A": ("中央军委改革和编制办公室", {"1": "军队事业单位", "9": "其他"}),
    "N": (
        "农业",
        {
            "1": "组级集体经济组织",
            "2": "村级集体经济组织",
            "3": "乡镇级集体经济组织",
            "9": "其他",
        },
    ),
    "Y": ("其他", {"1": "不再具体划分机构类别"}),
}

#: The province-level codes of GB/T 2260 (first two digits of a region code), and ``10``: the
#: credit codes of organisations registered by a national authority carry ``100000``
#: (e.g. 中国工商银行 ``91100000100003962T``).
PROVINCE_PREFIXES = frozenset(
    {
        *("11", "12", "13", "14", "15", "21", "22", "23"),
        *("31", "32", "33", "34", "35", "36", "37"),
        *("41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54"),
        *("61", "62", "63", "64", "65", "71", "81", "82"),
    }
)
NATIONAL_REGION = "100000"

#: GB 11714-1997: weights of the eight body characters of a 组织机构代码.
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
#: GB 11714-1997: a body character's value (digits 0–9, letters A=10 … Z=35).
ORG_CODE_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class CodeCheck:
    """The result of checking a code: refusals (`errors`) and what the agent confirms
    (`warnings`); both Chinese sentences, in the order of the positions they concern."""

    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


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


def org_code_check_char(body: str) -> str:
    """The check character of a 组织机构代码 (GB 11714-1997) for its eight body characters:
    C9 = 11 − (Σ value·weight mod 11), written ``X`` for 10 and ``0`` for 11.

    `body` must be 8 characters of 0–9 / A–Z (upper case); otherwise ValueError.
    """
    if len(body) != 8 or any(c not in ORG_CODE_CHARS for c in body):
        raise ValueError("需要 8 位数字或大写字母")
    total = sum(ORG_CODE_CHARS.index(c) * w for c, w in zip(body, ORG_CODE_WEIGHTS, strict=True))
    value = 11 - total % 11
    return "X" if value == 10 else "0" if value == 11 else str(value)


def _registrar_errors(code: str) -> list[str]:
    registrar = USCC_REGISTRARS.get(code[0])
    if registrar is None:
        allowed = "、".join(USCC_REGISTRARS)
        return [
            f"统一社会信用代码第 1 位登记管理部门代码 {code[0]} 不存在（应为 {allowed} 之一）。"
        ]
    name, types = registrar
    if code[1] not in types:
        allowed = "、".join(f"{key} {label}" for key, label in types.items())
        return [
            f"统一社会信用代码第 2 位机构类别代码 {code[1]} 与第 1 位登记管理部门“{name}”不符"
            f"（可为：{allowed}）。"
        ]
    return []


def _region_errors(region: str) -> list[str]:
    if not region.isdigit():
        return [f"统一社会信用代码第 3–8 位登记管理机关行政区划码应为 6 位数字（当前 {region}）。"]
    if region[:2] == NATIONAL_REGION[:2]:
        if region != NATIONAL_REGION:
            return [
                f"统一社会信用代码第 3–8 位行政区划码 {region} 不正确"
                f"（国家级登记机关为 {NATIONAL_REGION}）。"
            ]
        return []
    if region[:2] not in PROVINCE_PREFIXES:
        return [
            f"统一社会信用代码第 3–8 位行政区划码 {region} 不正确："
            f"前两位 {region[:2]} 不是省级行政区划代码。"
        ]
    return []


def _org_code_errors(org: str) -> list[str]:
    expected = org_code_check_char(org[:8])  # positions 9–16 are USCC characters: valid here
    if org[8] != expected:
        return [
            f"统一社会信用代码第 9–17 位组织机构代码校验位不正确"
            f"（组织机构代码 {org[:8]}-{org[8]}，第 17 位应为 {expected}）。"
        ]
    return []


def region_is_known(region: str, known_regions: Collection[str]) -> bool:
    """True when a six-digit region code is in the list held (or is a province or the
    national code, which are always known)."""
    return (
        region in known_regions
        or region == NATIONAL_REGION
        or (region[2:] == "0000" and region[:2] in PROVINCE_PREFIXES)
    )


def check_uscc(code: str, known_regions: Collection[str] | None = None) -> CodeCheck:
    """Check a 统一社会信用代码 position by position (lower case and blanks are accepted).

    Errors, each its own message: length, characters, positions 1–2 (a registration authority
    and one of its organisation types), 3–8 (six digits with a province-level prefix), 9–17
    (the 组织机构代码's own check character, GB 11714), 18 (the overall check character).
    Warning: a region code that is well formed but not in `known_regions` (codes of merged or
    abolished counties live on in older credit codes, so the agent confirms it); no region
    warning when `known_regions` is None.
    """
    code = normalize_uscc(code)
    if not code:
        return CodeCheck(errors=("请填写统一社会信用代码。",))
    if len(code) != USCC_LENGTH:
        return CodeCheck(errors=(f"统一社会信用代码应为 18 位（当前 {len(code)} 位）。",))
    illegal = sorted({c for c in code if c not in USCC_CHARS})
    if illegal:
        shown = "、".join("空格" if c.isspace() else c for c in illegal)
        return CodeCheck(
            errors=(
                f"统一社会信用代码含有非法字符：{shown}"
                "（只能使用数字和除 I、O、Z、S、V 以外的大写字母）。",
            )
        )
    region = code[2:8]
    errors = [*_registrar_errors(code), *_region_errors(region), *_org_code_errors(code[8:17])]
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        errors.append(f"统一社会信用代码校验位错误（应为 {expected}）。")
    warnings: list[str] = []
    if known_regions is not None and not errors and not region_is_known(region, known_regions):
        warnings.append(
            f"统一社会信用代码第 3–8 位行政区划码 {region} 不在本系统掌握的区划代码表中，"
            "请核对（已撤并县区的旧代码仍会出现在较早赋予的信用代码中）。"
        )
    return CodeCheck(errors=tuple(errors), warnings=tuple(warnings))


def validate_uscc(code: str) -> str | None:
    """The first refusal of `check_uscc` (None: acceptable); lower case and blanks accepted."""
    errors = check_uscc(code).errors
    return errors[0] if errors else None


# --- 手机号码 -----------------------------------------------------------------------------

#: ASCII digits only: without re.ASCII, \d takes full-width ２ and Arabic-Indic ٢ as well.
MOBILE_RE = re.compile(r"^1[3-9]\d{9}\Z", re.ASCII)
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

#: ASCII digits only (as MOBILE_RE); \Z, not $, which would let a final newline through.
PROJECT_CODE_RE = re.compile(r"^\d{4}-(?P<region>\d{6})-\d{2}-\d{2}-\d{6}\Z", re.ASCII)


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
    """The stored form: full-width characters folded, blanks removed, upper case; a bare
    ``2614`` gets its section letter (``C2614``) from the table's division ranges. A bare
    code whose division is unknown is left as typed, for `validate_industry_code` to refuse."""
    code = unicodedata.normalize("NFKC", code or "")
    code = "".join(code.split()).upper()
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
    if len(code) == 4 and code.isdigit():
        division = code[:2]
        if division not in table.divisions or table.section_of(division) is None:
            return (
                f"国民经济行业代码 {code} 的大类 {division} 不存在（GB/T 4754-2017），"
                "无法确定门类，请核对。"
            )
        return (
            f"国民经济行业代码应写门类字母：大类 {division} 属于门类 "
            f"{table.section_of(division)}（应为 {table.section_of(division)}{code}）。"
        )
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
