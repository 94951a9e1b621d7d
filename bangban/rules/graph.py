"""Prerequisite graphs of catalog items: cycle search and a deterministic topological order.

Pure core (no Django import). An edge is ``(prerequisite, dependent)``: the prerequisite must
be done before the dependent starts. Every result is deterministic: ties are broken by code.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable

__all__ = ["CycleError", "find_cycle", "topological_order"]


class CycleError(ValueError):
    """The prerequisites form a cycle; ``cycle`` starts and ends with the same code."""

    def __init__(self, cycle: list[str]):
        self.cycle = list(cycle)
        self.message = "前置事项存在循环：" + " → ".join(self.cycle)
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


def _successors(edges: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Adjacency prerequisite -> sorted, deduplicated dependents (every node is a key)."""
    succ: dict[str, set[str]] = {}
    for before, after in edges:
        succ.setdefault(before, set()).add(after)
        succ.setdefault(after, set())
    return {node: sorted(targets) for node, targets in succ.items()}


def find_cycle(edges: Iterable[tuple[str, str]]) -> list[str] | None:
    """Return one cycle as ``[a, b, ..., a]`` or None when the graph is acyclic.

    The search visits nodes and their dependents in code order, and the cycle found is
    rotated to start at its smallest code, so the same graph always gives the same cycle
    (``[("DS04", "DS03"), ("DS03", "DS04")]`` gives ``["DS03", "DS04", "DS03"]``).
    A self-loop ``("A", "A")`` gives ``["A", "A"]``.
    """
    succ = _successors(edges)
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(succ, white)
    for root in sorted(succ):
        if colour[root] != white:
            continue
        colour[root] = grey
        path = [root]
        # Iterative DFS: a stack of (node, iterator over its dependents).
        stack = [iter(succ[root])]
        while stack:
            advanced = False
            for nxt in stack[-1]:
                state = colour[nxt]
                if state == grey:
                    cycle = path[path.index(nxt) :]
                    start = cycle.index(min(cycle))
                    cycle = cycle[start:] + cycle[:start]
                    return [*cycle, cycle[0]]
                if state == white:
                    colour[nxt] = grey
                    path.append(nxt)
                    stack.append(iter(succ[nxt]))
                    advanced = True
                    break
            if not advanced:
                stack.pop()
                colour[path.pop()] = black
    return None


def topological_order(nodes: Iterable[str], edges: Iterable[tuple[str, str]]) -> list[str]:
    """Order ``nodes`` so that every prerequisite comes before its dependents.

    Among the nodes that are ready at the same time the smallest code comes first, so the
    order is fully determined by the graph. Edges with an end outside ``nodes`` are ignored
    (a project drops the catalog's edges between items it does not need). Raises
    :class:`CycleError` naming one cycle when there is none.
    """
    node_set = set(nodes)
    succ: dict[str, set[str]] = {node: set() for node in node_set}
    for before, after in edges:
        if before in node_set and after in node_set:
            succ[before].add(after)
    indegree = dict.fromkeys(node_set, 0)
    for targets in succ.values():
        for after in targets:
            indegree[after] += 1
    ready = [node for node, degree in indegree.items() if degree == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        node = heapq.heappop(ready)
        order.append(node)
        for after in succ[node]:
            indegree[after] -= 1
            if indegree[after] == 0:
                heapq.heappush(ready, after)
    if len(order) != len(node_set):
        left = {node for node, degree in indegree.items() if degree > 0}
        cycle = find_cycle((b, a) for b in left for a in succ[b] if a in left)
        assert cycle is not None  # a leftover node with indegree > 0 lies on or after a cycle
        raise CycleError(cycle)
    return order
