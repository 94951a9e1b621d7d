"""The government handling time of a plan (bangban.rules.handling), on hand-made graphs."""

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from bangban.rules.handling import (
    COMPLETION_STAGES,
    CONSTRUCTION_PERMIT_STAGES,
    HandlingTime,
    handling_time,
    promise_check,
)


@dataclass(frozen=True)
class Item:
    code: str
    stage: str
    promised_days: int
    prerequisites: tuple[str, ...] = ()


#   M (市场准入, 9) → A (5) → C (7) → P (施工许可, 3) → F (竣工验收, 10) → U (市政公用, 4)
#                      B (12) ────────→ P
# M and U lie outside the approval stages. Through the permit: A + C = 12 and B = 12 tie
# before P; the step back takes the smallest code, B → chain (B, P) = 15.
GRAPH = [
    Item("M", "market_access", 9),
    Item("A", "project_land", 5, ("M",)),
    Item("B", "project_land", 12),
    Item("C", "engineering", 7, ("A",)),
    Item("P", "construction", 3, ("C", "B")),
    Item("F", "completion", 10, ("P",)),
    Item("U", "utilities", 4, ("F",)),
]


def test_longest_chain_leaves_out_market_access_and_utilities():
    permit = handling_time(GRAPH, CONSTRUCTION_PERMIT_STAGES)
    assert permit == HandlingTime(15, ("B", "P"), (12, 3))
    completion = handling_time(GRAPH, COMPLETION_STAGES)
    assert completion == HandlingTime(25, ("B", "P", "F"), (12, 3, 10))


def test_a_longer_branch_wins_and_an_empty_plan_takes_no_time():
    longer = [*GRAPH[:3], Item("C", "engineering", 8, ("A",)), *GRAPH[4:]]
    assert handling_time(longer, CONSTRUCTION_PERMIT_STAGES).chain == ("A", "C", "P")
    assert handling_time(longer, CONSTRUCTION_PERMIT_STAGES).days == 16
    assert handling_time([], COMPLETION_STAGES) == HandlingTime(0, (), ())


def test_the_promise_check_names_the_items_longest_first():
    time = HandlingTime(25, ("B", "P", "F"), (12, 3, 10))
    kept = promise_check(time, 25)
    assert (kept.breaks, kept.over_by, kept.culprits) == (False, 0, ())
    broken = promise_check(time, 20)
    assert (broken.breaks, broken.over_by, broken.culprits) == (True, 5, ("B", "F", "P"))
    none = promise_check(time, None)
    assert (none.breaks, none.over_by) == (False, 0)


@given(
    st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=8),
    st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=8),
)
def test_two_parallel_chains_take_the_longer_sum(left, right):
    """Independent answer: two disjoint serial chains feeding one final item."""
    items = []
    for name, days in (("L", left), ("R", right)):
        for index, value in enumerate(days):
            before = (f"{name}{index - 1}",) if index else ()
            items.append(Item(f"{name}{index}", "project_land", value, before))
    items.append(Item("Z", "construction", 1, (f"L{len(left) - 1}", f"R{len(right) - 1}")))
    result = handling_time(items, CONSTRUCTION_PERMIT_STAGES)
    assert result.days == max(sum(left), sum(right)) + 1
    assert result.chain[-1] == "Z" and sum(result.chain_days) == result.days
