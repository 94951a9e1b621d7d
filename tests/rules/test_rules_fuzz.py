"""Fuzzing the pure code checks on arbitrary text (issue #12 item 5): no exception, only the
documented answer — a Chinese message (or None for a good code), and a code is accepted only
when an independent reading of its shape accepts it. The condition language's own fuzzing is
in test_rules_conditions.py (garbage text and tokens raise only ConditionError)."""

import re
import string

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bangban.rules import codes as v

KNOWN = frozenset({"150602", "150271", "150000"})
ASCII_DIGITS = set(string.digits)

#: Text near the shape of a code: its characters, the separators, look-alike digits (full
#: width, Arabic-Indic, superscript) and blanks — so hypothesis reaches the edges quickly.
NEAR_CODES = st.text(
    alphabet=st.sampled_from([*"0123456789-", *"０１２٣٤⁵", " ", "\n", "\t", "\u3000", "A", "x"]),
    max_size=30,
)
ANY_TEXT = st.one_of(st.text(max_size=40), NEAR_CODES)


def project_code_oracle(code: str) -> bool:
    """Accepted: after trimming, 4-6-2-2-6 ASCII digits with a known region segment."""
    code = code.strip()
    parts = code.split("-")
    return (
        [len(p) for p in parts] == [4, 6, 2, 2, 6]
        and all(set(p) <= ASCII_DIGITS for p in parts)
        and parts[1] in KNOWN
    )


@settings(max_examples=400)
@given(ANY_TEXT)
@example("２０２０-150602-44-03-012345")  # full-width digits
@example("٢٠٢٠-150602-44-03-012345")  # Arabic-Indic digits
@example("2020-150602-44-03-012345\n")
@example("2020-150602-44-03-012345\n-1")
def test_project_code_checks_any_text(code):
    message = v.validate_project_code(code, KNOWN)
    assert message is None or (isinstance(message, str) and message.startswith("投资项目统一代码"))
    assert (message is None) == project_code_oracle(code), message


def uscc_shape_oracle(code: str) -> bool:
    """What a code must be to pass: 18 characters of the GB 32100 alphabet after trimming
    and upper-casing (the check characters themselves are pinned in test_rules_credit_code)."""
    code = code.strip().upper()
    return len(code) == 18 and all(c in v.USCC_CHARS for c in code)


@settings(max_examples=400)
@given(st.one_of(st.text(max_size=40), st.text(alphabet=v.USCC_CHARS + "ioszv ß", max_size=20)))
@example("ß" * 9)  # upper-cases to 18 characters
@example("91150000701463622D\u3000")
def test_credit_code_checks_any_text(code):
    check = v.check_uscc(code, KNOWN)
    assert all(isinstance(m, str) and m for m in (*check.errors, *check.warnings))
    assert all("统一社会信用代码" in m for m in check.errors)
    if check.ok:
        assert uscc_shape_oracle(code)
    assert v.validate_uscc(code) == (check.errors[0] if check.errors else None)


@settings(max_examples=300)
@given(ANY_TEXT)
@example("１３８００１３８０００")  # full-width digits
@example("١٣٨٠٠١٣٨٠٠٠")
@example("13８００１３８０００")  # the first two ASCII, the rest full-width
def test_mobile_checks_any_text(number):
    message = v.validate_mobile(number)
    assert message is None or message.startswith(("请填写", "手机号码"))
    if message is None:
        assert re.fullmatch(r"1[3-9][0-9]{9}", v.normalize_mobile(number))
