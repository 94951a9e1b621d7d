"""Government handling time of a plan, held against a published promise (pure core).

The reform targets (内蒙古 ≤ 90 个工作日, 呼和浩特 ≤ 57/68/10 …) count the departments'
handling time, not the time the enterprise spends preparing its materials. So the figure is
the longest chain of prerequisites through the plan where each item weighs only its promised
handling days (preparation counts 0): the parallel plan's government time up to a
milestone. Items of the stages outside the approval process (市场准入, 市政公用服务, 其他)
are left out, and so are the edges to them.

Two milestones: through 施工许可 (the stages up to and including 施工许可) and through
竣工验收 (up to and including 竣工验收).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

__all__ = [
    "CONSTRUCTION_PERMIT_STAGES",
    "COMPLETION_STAGES",
    "HandlingTime",
    "PromiseCheck",
    "handling_time",
    "promise_check",
]

#: The stages counted up to the construction permit, and up to completion acceptance.
CONSTRUCTION_PERMIT_STAGES = frozenset(
    {"land_transfer", "project_land", "engineering", "construction"}
)
COMPLETION_STAGES = CONSTRUCTION_PERMIT_STAGES | {"completion"}


class HandlingItem(Protocol):
    code: str
    stage: str
    promised_days: int
    prerequisites: Sequence[str]


@dataclass(frozen=True)
class HandlingTime:
    """``days`` of handling along ``chain`` (codes, first to last) and each link's days."""

    days: int
    chain: tuple[str, ...]
    chain_days: tuple[int, ...]


def handling_time(items: Iterable[HandlingItem], stages: Iterable[str]) -> HandlingTime:
    """The longest chain of promised handling days among ``items`` of ``stages``.

    Deterministic: among chains of equal length the one ending at the smallest code, and
    at each step back the prerequisite with the smallest code. The prerequisites must form
    no cycle (the catalog guarantees it).
    """
    wanted = set(stages)
    chosen = {item.code: item for item in items if item.stage in wanted}
    finish: dict[str, int] = {}
    before: dict[str, str | None] = {}

    def visit(code: str) -> int:
        found = finish.get(code)
        if found is not None:
            return found
        best, best_code = 0, None
        for required in sorted(chosen[code].prerequisites):
            if required in chosen:
                value = visit(required)
                if value > best:
                    best, best_code = value, required
        finish[code] = best + chosen[code].promised_days
        before[code] = best_code
        return finish[code]

    for code in sorted(chosen):
        visit(code)
    if not chosen:
        return HandlingTime(0, (), ())
    end = min(chosen, key=lambda code: (-finish[code], code))
    chain: list[str] = []
    current: str | None = end
    while current is not None:
        chain.append(current)
        current = before[current]
    chain.reverse()
    return HandlingTime(
        finish[end], tuple(chain), tuple(chosen[code].promised_days for code in chain)
    )


@dataclass(frozen=True)
class PromiseCheck:
    """A handling time beside the promise it is held against (``promised_days`` None: no
    promise published for this place and kind of project)."""

    time: HandlingTime
    promised_days: int | None

    @property
    def breaks(self) -> bool:
        return self.promised_days is not None and self.time.days > self.promised_days

    @property
    def over_by(self) -> int:
        return max(0, self.time.days - self.promised_days) if self.promised_days is not None else 0

    @property
    def culprits(self) -> tuple[str, ...]:
        """When the promise is broken: the chain's items that take handling days, longest
        first (ties in chain order)."""
        if not self.breaks:
            return ()
        links = [
            (days, index, code)
            for index, (code, days) in enumerate(
                zip(self.time.chain, self.time.chain_days, strict=True)
            )
            if days
        ]
        return tuple(code for _, _, code in sorted(links, key=lambda link: (-link[0], link[1])))


def promise_check(time: HandlingTime, promised_days: int | None) -> PromiseCheck:
    return PromiseCheck(time, promised_days)
