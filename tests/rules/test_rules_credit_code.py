"""统一社会信用代码, both parts (GB 32100-2015 with the embedded GB 11714-1997 组织机构代码).

`check_uscc` is compared with an independent implementation written here from the standards'
tables: the weights are typed from GB 32100's table (not computed as powers of 3), a
character's value comes from a dict, the organisation-code letters are valued by ``int(c, 36)``
and its check character by a different formula. Hand-worked examples pin both.
"""

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from bangban.rules import codes as v

# --- the independent implementation ---------------------------------------------------------

#: GB 32100-2015 表 2: the weights of positions 1–17, as printed.
GB32100_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
#: The 31 characters, in value order, as printed (no I, O, S, V, Z).
GB32100_VALUES = {
    c: i
    for i, c in enumerate(
        ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]
        + ["A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "Q", "R"]
        + ["T", "U", "W", "X", "Y"]
    )
}
GB32100_BY_VALUE = {i: c for c, i in GB32100_VALUES.items()}
#: GB 11714-1997: the weights of the eight body characters.
GB11714_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
#: GB 32100-2015 表 1, the valid (登记管理部门, 机构类别) pairs, typed from the standard.
VALID_PAIRS = {
    *("11", "12", "13", "19"),
    *("21", "29"),
    *("31", "32", "33", "34", "35", "39"),
    *("41", "49"),
    *("51", "52", "53", "59"),
    *("61", "62", "69"),
    *("71", "72", "79"),
    *("81", "89"),
    *("91", "92", "93"),
    *("A1", "A9"),
    *("N1", "N2", "N3", "N9"),
    "Y1",
}
PROVINCES = [
    *("11", "12", "13", "14", "15"),
    *("21", "22", "23"),
    *("31", "32", "33", "34", "35", "36", "37"),
    *("41", "42", "43", "44", "45", "46"),
    *("50", "51", "52", "53", "54"),
    *("61", "62", "63", "64", "65"),
    *("71", "81", "82"),
]


def oracle_org_check(body: str) -> str:
    total = 0
    for char, weight in zip(body, GB11714_WEIGHTS, strict=True):
        total += int(char, 36) * weight
    remainder = total % 11
    if remainder == 0:
        return "0"  # C9 = 11
    if remainder == 1:
        return "X"  # C9 = 10
    return str(11 - remainder)


def oracle_check(first17: str) -> str:
    total = 0
    for position in range(17):
        total += GB32100_VALUES[first17[position]] * GB32100_WEIGHTS[position]
    c18 = 31 - total % 31
    return "0" if c18 == 31 else GB32100_BY_VALUE[c18]


def oracle_valid(code: str) -> bool:
    if len(code) != 18 or any(c not in GB32100_VALUES for c in code):
        return False
    region = code[2:8]
    region_ok = region.isdigit() and (region == "100000" or region[:2] in PROVINCES)
    return (
        code[:2] in VALID_PAIRS
        and region_ok
        and oracle_org_check(code[8:16]) == code[16]
        and oracle_check(code[:17]) == code[17]
    )


# --- strategies ------------------------------------------------------------------------------

uscc_chars = st.sampled_from(sorted(GB32100_VALUES))
digit = st.sampled_from("0123456789")
pairs = st.sampled_from(sorted(VALID_PAIRS))
regions = st.one_of(
    st.just("100000"),
    st.builds(
        lambda p, rest: p + rest,
        st.sampled_from(PROVINCES),
        st.text(alphabet="0123456789", min_size=4, max_size=4),
    ),
)
org_bodies = st.text(alphabet=sorted(GB32100_VALUES), min_size=8, max_size=8)


@st.composite
def valid_codes(draw) -> str:
    body = draw(org_bodies)
    first17 = draw(pairs) + draw(regions) + body + oracle_org_check(body)
    return first17 + oracle_check(first17)


@st.composite
def mutated_codes(draw) -> str:
    """A valid code with one to three characters replaced by other legal characters."""
    code = list(draw(valid_codes()))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        position = draw(st.integers(min_value=0, max_value=17))
        code[position] = draw(uscc_chars)
    return "".join(code)


def with_check(first17: str) -> str:
    return first17 + oracle_check(first17)


# --- the differential tests ------------------------------------------------------------------


@given(valid_codes())
def test_every_valid_code_is_accepted_with_no_warning_when_no_list_is_given(code):
    assert v.check_uscc(code) == v.CodeCheck()
    assert v.validate_uscc(code) is None


@given(
    st.one_of(
        valid_codes(),
        mutated_codes(),
        st.text(alphabet="".join(GB32100_VALUES), min_size=18, max_size=18),
    )
)
def test_check_uscc_agrees_with_the_independent_implementation(code):
    assert v.check_uscc(code).ok == oracle_valid(code)


@given(org_bodies)
def test_org_code_check_char_agrees_with_the_independent_implementation(body):
    assert v.org_code_check_char(body) == oracle_org_check(body)


@given(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=8, max_size=8))
def test_org_code_check_char_over_the_full_gb11714_alphabet(body):
    assert v.org_code_check_char(body) == oracle_org_check(body)


@given(st.text(alphabet="".join(GB32100_VALUES), min_size=17, max_size=17))
def test_overall_check_char_agrees_with_the_independent_implementation(first17):
    assert v.uscc_check_char(first17) == oracle_check(first17)


@given(valid_codes(), uscc_chars)
def test_a_wrong_org_check_char_with_a_right_overall_check_gets_its_own_message(code, wrong):
    assume(wrong != code[16])
    broken = with_check(code[:16] + wrong)
    expected = oracle_org_check(code[8:16])
    assert v.check_uscc(broken).errors == (
        f"统一社会信用代码第 9–17 位组织机构代码校验位不正确"
        f"（组织机构代码 {code[8:16]}-{wrong}，第 17 位应为 {expected}）。",
    )


# --- worked by hand --------------------------------------------------------------------------

REAL_CODES = [
    "914403001922038216",  # 华为技术有限公司: 19220382-1 (domain-data §3.1)
    "91110108551385082Q",  # 小米科技有限责任公司
    "91520000214434146R",  # 贵州茅台酒股份有限公司
    "91100000100003962T",  # 中国工商银行股份有限公司 (national registration, 100000)
    "91150000701463622D",  # 内蒙古鄂尔多斯资源股份有限公司
]


@pytest.mark.parametrize(
    ("body", "check"),
    [
        # Σ value·weight with weights 3 7 9 10 5 8 4 2, then 11 − Σ mod 11:
        ("19220382", "1"),  # 3+63+18+20+0+24+32+4 = 164; 164 mod 11 = 10; 11−10 = 1
        ("55138508", "2"),  # 15+35+9+30+40+40+0+16 = 185; 185 mod 11 = 9; 11−9 = 2
        ("21443414", "6"),  # 6+7+36+40+15+32+4+8 = 148; 148 mod 11 = 5; 11−5 = 6
        ("10000396", "2"),  # 3+0+0+0+0+24+36+12 = 75; 75 mod 11 = 9; 11−9 = 2
        ("70146362", "2"),  # 21+0+9+40+30+24+24+4 = 152; 152 mod 11 = 9; 11−9 = 2
        ("00000030", "X"),  # 3·4 = 12; 12 mod 11 = 1; 11−1 = 10 → X
        ("00000000", "0"),  # 0; 11−0 = 11 → 0
        ("MA000000", "7"),  # M=22: 66, A=10: 70 → 136; 136 mod 11 = 4; 11−4 = 7
    ],
)
def test_org_code_check_char_worked_by_hand(body, check):
    assert v.org_code_check_char(body) == check


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_pass_both_checks(code):
    assert v.check_uscc(code).errors == ()


def test_org_code_check_char_refuses_bad_input():
    with pytest.raises(ValueError):
        v.org_code_check_char("1922038")
    with pytest.raises(ValueError):
        v.org_code_check_char("1922038a")


# Each position's failure, built with a right overall check character so that it is the only one.
HUAWEI = "914403001922038216"


@pytest.mark.parametrize(
    ("first17", "message"),
    [
        (
            "B14403001922038",  # B is a legal character but no registration authority
            "统一社会信用代码第 1 位登记管理部门代码 B 不存在（应为 1、2、3、4、5、6、7、8、9、A、N、Y 之一）。",
        ),
        (
            "94440300192203821",
            "统一社会信用代码第 2 位机构类别代码 4 与第 1 位登记管理部门“工商（市场监管）”不符"
            "（可为：1 企业、2 个体工商户、3 农民专业合作社）。",
        ),
        (
            "54440300192203821",
            "统一社会信用代码第 2 位机构类别代码 4 与第 1 位登记管理部门“民政”不符"
            "（可为：1 社会团体、2 民办非企业单位、3 基金会、9 其他）。",
        ),
        (
            "9144A300192203821",
            "统一社会信用代码第 3–8 位登记管理机关行政区划码应为 6 位数字（当前 44A300）。",
        ),
        (
            "91990300192203821",
            "统一社会信用代码第 3–8 位行政区划码 990300 不正确：前两位 99 不是省级行政区划代码。",
        ),
        (
            "91100100192203821",
            "统一社会信用代码第 3–8 位行政区划码 100100 不正确（国家级登记机关为 100000）。",
        ),
        (
            "91440300192203827",
            "统一社会信用代码第 9–17 位组织机构代码校验位不正确（组织机构代码 19220382-7，第 17 位应为 1）。",
        ),
    ],
)
def test_each_position_has_its_own_message(first17, message):
    if len(first17) == 15:  # pad the first case to 17 with Huawei's tail
        first17 += HUAWEI[15:17]
    assert v.check_uscc(with_check(first17)).errors == (message,)
    assert v.validate_uscc(with_check(first17)) == message


def test_the_overall_check_message_is_unchanged():
    assert v.check_uscc("914403001922038217").errors == ("统一社会信用代码校验位错误（应为 6）。",)


def test_a_typo_in_the_org_code_fails_both_checks_in_position_order():
    typo = "914403001922038316"  # 2 → 3 at position 16
    errors = v.check_uscc(typo).errors
    assert len(errors) == 2
    assert errors[0].startswith("统一社会信用代码第 9–17 位组织机构代码校验位不正确")
    assert errors[1].startswith("统一社会信用代码校验位错误")


def test_other_registration_authorities_are_accepted():
    for pair in ("11", "12", "31", "51", "52", "53", "81", "92", "93", "N2", "Y1"):
        code = with_check(pair + "150602" + "00000030X")
        assert v.check_uscc(code).errors == (), pair


# --- the region code: a warning, not a refusal ---------------------------------------------


def test_region_unknown_to_the_list_held_is_a_warning_the_agent_confirms():
    result = v.check_uscc(HUAWEI, known_regions={"150602", "150600"})
    assert result.ok and result.errors == ()
    assert result.warnings == (
        "统一社会信用代码第 3–8 位行政区划码 440300 不在本系统掌握的区划代码表中，"
        "请核对（已撤并县区的旧代码仍会出现在较早赋予的信用代码中）。",
    )


@pytest.mark.parametrize(
    ("code", "known"),
    [
        (HUAWEI, {"440300"}),
        ("91150000701463622D", set()),  # a province code is always known
        ("91100000100003962T", set()),  # the national code too
    ],
)
def test_known_regions_give_no_warning(code, known):
    assert v.check_uscc(code, known_regions=known).warnings == ()


def test_no_region_warning_on_a_code_that_is_refused_anyway():
    assert v.check_uscc("914403001922038217", known_regions=set()).warnings == ()
