"""bangban.rules.graph: cycle search and deterministic topological order."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bangban.rules.graph import CycleError, find_cycle, topological_order


def test_no_cycle():
    assert find_cycle([("DS01", "DS02"), ("DS02", "DS03"), ("DS01", "DS03")]) is None
    assert find_cycle([]) is None


def test_two_cycle_starts_at_smallest_code():
    assert find_cycle([("DS04", "DS03"), ("DS03", "DS04")]) == ["DS03", "DS04", "DS03"]
    assert find_cycle([("DS03", "DS04"), ("DS04", "DS03")]) == ["DS03", "DS04", "DS03"]


def test_self_loop():
    assert find_cycle([("A", "B"), ("B", "B")]) == ["B", "B"]


def test_longer_cycle_follows_the_edges():
    # C -> A -> B -> C: prerequisite before dependent.
    cycle = find_cycle([("C", "A"), ("A", "B"), ("B", "C"), ("X", "A")])
    assert cycle == ["A", "B", "C", "A"]


def test_cycle_is_deterministic_whatever_the_edge_order():
    edges = [("E", "F"), ("F", "E"), ("A", "B"), ("B", "C"), ("C", "A"), ("C", "D")]
    expected = find_cycle(edges)
    assert expected == ["A", "B", "C", "A"]  # smallest codes first
    for seed in range(20):
        shuffled = edges[:]
        random.Random(seed).shuffle(shuffled)
        assert find_cycle(shuffled) == expected


def test_topological_order_ties_by_code():
    nodes = ["D", "C", "B", "A"]
    edges = [("C", "A"), ("B", "A")]
    assert topological_order(nodes, edges) == ["B", "C", "A", "D"]


def test_topological_order_ignores_edges_outside_nodes():
    assert topological_order(["B", "A"], [("Z", "A"), ("A", "Y"), ("B", "A")]) == ["B", "A"]


def test_topological_order_raises_cycle_error():
    with pytest.raises(CycleError) as info:
        topological_order(
            ["DS01", "DS03", "DS04"], [("DS01", "DS03"), ("DS03", "DS04"), ("DS04", "DS03")]
        )
    assert info.value.cycle == ["DS03", "DS04", "DS03"]
    assert str(info.value) == "前置事项存在循环：DS03 → DS04 → DS03"
    assert info.value.message == "前置事项存在循环：DS03 → DS04 → DS03"


def test_cycle_downstream_of_a_cycle_is_reported_not_the_tail():
    with pytest.raises(CycleError) as info:
        topological_order(["A", "B", "C", "D"], [("A", "B"), ("B", "C"), ("C", "B"), ("C", "D")])
    assert info.value.cycle == ["B", "C", "B"]


codes = st.sampled_from([f"N{i}" for i in range(8)])


@given(st.lists(st.tuples(codes, codes), max_size=20))
def test_cycle_or_order(edges):
    nodes = {n for edge in edges for n in edge}
    cycle = find_cycle(edges)
    if cycle is None:
        order = topological_order(nodes, edges)
        assert sorted(order) == sorted(nodes)
        position = {n: i for i, n in enumerate(order)}
        assert all(position[a] < position[b] for a, b in edges)
        assert topological_order(sorted(nodes, reverse=True), list(reversed(edges))) == order
    else:
        assert cycle[0] == cycle[-1]
        assert cycle[0] == min(cycle)
        assert len(set(cycle[:-1])) == len(cycle) - 1
        edge_set = set(edges)
        assert all((a, b) in edge_set for a, b in zip(cycle, cycle[1:], strict=False))
        with pytest.raises(CycleError) as info:
            topological_order(nodes, edges)
        found = info.value.cycle
        assert all((a, b) in edge_set for a, b in zip(found, found[1:], strict=False))
