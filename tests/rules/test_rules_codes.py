"""The pure checks of bangban/projects/validators.py and the GB/T 4754 code list."""

import ast
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bangban.eligibility.industry import build_industry_table, load_industry_codes
from bangban.rules import codes as v

REAL_CODES = [
    "914403001922038216",  # 华为技术有限公司 (worked example of domain-data §3.1)
    "91110108551385082Q",  # 小米科技有限责任公司
    "91520000214434146R",  # 贵州茅台酒股份有限公司
    "91100000100003962T",  # 中国工商银行股份有限公司
    "91150000701463622D",  # 内蒙古鄂尔多斯资源股份有限公司
]

uscc_char = st.sampled_from(v.USCC_CHARS)
first17 = st.text(alphabet=v.USCC_CHARS, min_size=17, max_size=17)


def test_validators_module_imports_no_django():
    source = Path(v.__file__).read_text(encoding="utf-8")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        assert not any(name.split(".")[0] in ("django", "bangban") for name in names), names


# --- 统一社会信用代码 -------------------------------------------------------------------------


def test_uscc_huawei_worked_example():
    assert v.uscc_check_char("91440300192203821") == "6"
    assert v.validate_uscc("914403001922038216") is None


def test_uscc_wrong_check_char_names_the_right_one():
    assert v.validate_uscc("914403001922038217") == "统一社会信用代码校验位错误（应为 6）。"


@pytest.mark.parametrize("code", REAL_CODES)
def test_uscc_real_codes_are_valid(code):
    assert v.validate_uscc(code) is None


def test_uscc_lower_case_and_blanks_are_accepted_and_normalised():
    assert v.validate_uscc("  91110108551385082q ") is None
    assert v.normalize_uscc("  91110108551385082q ") == "91110108551385082Q"


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("", "请填写统一社会信用代码"),
        ("91440300192203821", "应为 18 位（当前 17 位）"),
        ("9144030019220382166", "应为 18 位（当前 19 位）"),
        ("91440300192203821I", "非法字符：I"),
        ("9144030019220382OS", "非法字符：O、S"),
        ("91440300192203 216", "非法字符：空格"),
        ("91440300192203821Z", "除 I、O、Z、S、V 以外"),
        ("914403001922038２16", "非法字符：２"),
    ],
)
def test_uscc_refusals_are_chinese_and_name_the_field(code, fragment):
    message = v.validate_uscc(code)
    assert message is not None
    assert message.startswith("统一社会信用代码") or message.startswith("请填写统一社会信用代码")
    assert fragment in message


def test_uscc_check_char_refuses_bad_input():
    with pytest.raises(ValueError):
        v.uscc_check_char("9144030019220382")
    with pytest.raises(ValueError):
        v.uscc_check_char("9144030019220382I")


@given(first17)
def test_uscc_any_body_with_its_check_char_passes_the_overall_check(body):
    errors = v.check_uscc(body + v.uscc_check_char(body)).errors
    assert not any(e.startswith("统一社会信用代码校验位错误") for e in errors)


@given(first17, uscc_char)
def test_uscc_any_other_last_char_is_refused(body, last):
    expected = v.uscc_check_char(body)
    errors = v.check_uscc(body + last).errors
    assert (f"统一社会信用代码校验位错误（应为 {expected}）。" in errors) == (last != expected)


@given(first17, st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=30))
def test_uscc_every_single_character_change_is_detected(body, position, shift):
    code = body + v.uscc_check_char(body)
    changed_char = v.USCC_CHARS[(v.USCC_CHARS.index(code[position]) + shift) % 31]
    changed = code[:position] + changed_char + code[position + 1 :]
    assert v.validate_uscc(changed) is not None


# --- 手机号码 -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("13912345678", "13912345678"),
        ("139 1234 5678", "13912345678"),
        ("139-1234-5678", "13912345678"),
        ("+86 139 1234 5678", "13912345678"),
        ("008613912345678", "13912345678"),
        ("8613912345678", "13912345678"),
    ],
)
def test_mobile_accepted_forms(typed, stored):
    assert v.validate_mobile(typed) is None
    assert v.normalize_mobile(typed) == stored


@pytest.mark.parametrize(
    "number",
    ["", "12912345678", "1391234567", "139123456789", "23912345678", "1391234567a", "0471-1234567"],
)
def test_mobile_refused(number):
    message = v.validate_mobile(number)
    assert message is not None and "手机号码" in message


# --- 投资项目统一代码 -----------------------------------------------------------------------

KNOWN = {"150602", "150271", "150000"}


@pytest.mark.parametrize(
    "code", ["2020-150602-44-03-012345", "2106-150271-04-01-123456", " 2106-150000-04-01-000001 "]
)
def test_project_code_accepted(code):
    assert v.validate_project_code(code, KNOWN) is None


@pytest.mark.parametrize(
    "code",
    [
        "2020150602440301234",
        "2020-150602-44-03-01234",
        "2020-15060-44-03-012345",
        "2020-150602-44-03-0123456",
        "2020_150602_44_03_012345",
        "20a0-150602-44-03-012345",
        "2020-150602-44-3-012345",
    ],
)
def test_project_code_bad_shape(code):
    message = v.validate_project_code(code, KNOWN)
    assert message is not None and message.startswith("投资项目统一代码格式")


def test_project_code_unknown_region_segment():
    assert (
        v.validate_project_code("2020-110105-44-03-012345", KNOWN)
        == "投资项目统一代码中的地区代码 110105 不是已知的区划代码。"
    )


# --- 国民经济行业代码 -----------------------------------------------------------------------

SMALL = v.IndustryCodeTable(
    sections={"B": (6, 12), "C": (13, 43), "F": (51, 52)},
    divisions={"06": "煤炭开采和洗选业", "26": "化学原料和化学制品制造业", "51": "批发业"},
    classes={"C2614": "有机化学原料制造", "B0610": "烟煤和无烟煤开采洗选"},
    complete_divisions=frozenset({"06", "26"}),
)


@pytest.mark.parametrize("code", ["C2614", "c2614", " B0610 ", "F5199"])
def test_industry_accepted(code):
    assert v.validate_industry_code(code, SMALL) is None


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("2614", "应写门类字母：大类 26 属于门类 C（应为 C2614）"),
        ("9901", "大类 99 不存在（GB/T 4754-2017），无法确定门类"),
        ("C26", "门类字母加 4 位数字"),
        ("C26141", "门类字母加 4 位数字"),
        ("Z2614", "门类字母加 4 位数字"),
        ("B2614", "大类 26 属于门类 C（应为 C2614）"),
        ("C0610", "大类 06 属于门类 B"),
        ("C9901", "大类 99 不存在"),
        ("C3011", "大类 30 不存在"),  # in C's range, but not in this small table
        ("C2618", "不是 GB/T 4754-2017 的小类"),
    ],
)
def test_industry_refused(code, fragment):
    message = v.validate_industry_code(code, SMALL)
    assert message is not None and message.startswith("国民经济行业代码")
    assert fragment in message


def test_industry_normalisation_adds_the_section_letter():
    assert v.normalize_industry_code(" c2614 ", SMALL) == "C2614"
    assert v.normalize_industry_code("2614", SMALL) == "C2614"
    assert v.normalize_industry_code("Ｃ２６１４", SMALL) == "C2614"  # full-width input
    assert v.normalize_industry_code("2 614", SMALL) == "C2614"
    # An unknown division is left as typed, for the validator to refuse with its own message.
    assert v.normalize_industry_code("9901", SMALL) == "9901"
    assert "大类 99 不存在" in v.validate_industry_code("9901", SMALL)
    # 30 is in C's range but not in this small table: refused, never guessed into C.
    assert v.normalize_industry_code("3011", SMALL) == "3011"
    assert "大类 30 不存在" in v.validate_industry_code("3011", SMALL)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2614", "C2614"),
        ("c2614", "C2614"),
        ("0610", "B0610"),
        ("4415", "D4415"),
        ("5199", "F5199"),
        ("6450", "I6450"),
        ("9700", "T9700"),
    ],
)
def test_industry_bare_codes_take_their_section_from_the_real_table(table, typed, stored):
    # Worked from GB/T 4754-2017's section ranges (domain-data §3.5): 26 → C, 06 → B,
    # 44 → D, 51 → F, 64 → I, 97 → T.
    assert v.normalize_industry_code(typed, table) == stored


def test_industry_bare_code_of_an_unknown_division_is_refused_by_the_real_table(table):
    assert v.normalize_industry_code("9801", table) == "9801"
    assert v.validate_industry_code("9801", table) == (
        "国民经济行业代码 9801 的大类 98 不存在（GB/T 4754-2017），无法确定门类，请核对。"
    )


# --- the code list file ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def table():
    load_industry_codes.cache_clear()
    return load_industry_codes()


def test_industry_file_has_all_sections_and_divisions(table):
    assert list(table.sections) == list("ABCDEFGHIJKLMNOPQRST")
    assert sorted(table.divisions) == [f"{n:02d}" for n in range(1, 98)]
    # The ranges tile 01..97 without gaps or overlaps.
    covered = [n for low, high in table.sections.values() for n in range(low, high + 1)]
    assert covered == list(range(1, 98))


def test_industry_file_class_counts(table):
    def count(letter):
        return sum(1 for code in table.classes if code[0] == letter)

    # GB/T 4754-2017: 制造业 has 609 classes (179 groups); the other complete sections as listed.
    assert count("C") == 609
    assert len({code[1:4] for code in table.classes if code[0] == "C"}) == 179
    assert {letter: count(letter) for letter in "ABDEIN"} == {
        "A": 72,
        "B": 39,
        "D": 18,
        "E": 44,
        "I": 34,
        "N": 33,
    }
    assert count("F") == 0


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("C2614", "有机化学原料制造"),
        ("B0610", "烟煤和无烟煤开采洗选"),
        ("C3216", "铝冶炼"),
        ("C3232", "稀土金属冶炼"),
        ("C2523", "煤制液体燃料生产"),
        ("D4415", "风力发电"),
        ("D4416", "太阳能发电"),
        ("E4875", "太阳能发电工程施工"),
        ("I6540", "运行维护服务"),
        ("N7724", "危险废物治理"),
        ("C26", "化学原料和化学制品制造业"),
    ],
)
def test_industry_file_names(table, code, name):
    assert table.name_of(code) == name


def test_industry_real_table_rules(table):
    assert v.validate_industry_code("C2614", table) is None
    assert "属于门类 C" in v.validate_industry_code("B2614", table)
    assert "不是 GB/T 4754-2017 的小类" in v.validate_industry_code("C2618", table)
    # Sections whose classes are not listed accept any class of an existing division.
    assert v.validate_industry_code("F5199", table) is None
    assert v.validate_industry_code("F5198", table) is None
    assert "大类 98 不存在" in v.validate_industry_code("T9801", table)


def test_industry_table_refuses_an_inconsistent_file():
    data = {
        "sections": [{"code": "B", "name": "采矿业", "divisions": "06-12"}],
        "divisions": [{"code": "06", "name": "煤炭开采和洗选业", "section": "C"}],
    }
    with pytest.raises(ValueError, match="大类 06"):
        build_industry_table(data)
    data["divisions"][0]["section"] = "B"
    data["complete_sections"] = ["B"]
    with pytest.raises(ValueError, match="没有小类"):
        build_industry_table(data)
    data["classes"] = [{"code": "C0610", "name": "烟煤和无烟煤开采洗选"}]
    with pytest.raises(ValueError, match="C0610"):
        build_industry_table(data)
