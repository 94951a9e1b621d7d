"""Government handling time of a plan, held against a published promise (pure core).

The reform targets (内蒙古 ≤ 90 个工作日, 呼和浩特 ≤ 57/68/10 …) count the departments'
handling time, not the time the enterprise spends preparing its materials. So the figure is
the longest chain of prerequisites through the plan where each item weighs only its promised
handling days (preparation counts 0): the parallel plan's government time up to a
milestone. Items of the stages outside the approval process (市场准入, 市政公用服务, 其他)
are left out, and so are the edges to them.

Two milestones: through 施工许可 (the stages up to and including 施工许可) and through
竣工验收 (up to and including 竣工验收).

And who handles an item where (办理部门与服务方式按区划): :func:`holding_for` finds the
bureau that holds an item's function for a project's region (the nearest region's row, a row
naming the item before one of its domain); :func:`service_area` and :func:`service_mode_in`
decide the service mode from where that bureau sits relative to the project's 旗县区/园区.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

__all__ = [
    "CONSTRUCTION_PERMIT_STAGES",
    "COMPLETION_STAGES",
    "AREA_LEVELS",
    "ERRAND",
    "FunctionHolding",
    "HandlingTime",
    "PromiseCheck",
    "handling_time",
    "holding_for",
    "promise_check",
    "service_area",
    "service_mode_in",
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


# --------------------------------------------------------------------------------------
# Who handles an item in a region, and its service mode there

#: Service modes (the catalog's ``ServiceMode`` values).
BANGBAN, JOINT, ERRAND = "bangban", "joint", "errand"

#: Region levels that are a service area of their own (a 旗县区 or a 园区/新区).
AREA_LEVELS = frozenset({"county", "zone"})


@dataclass(frozen=True)
class FunctionHolding:
    """One row of the function-holder table: in the region at ``region_path`` (and below),
    the items of ``domain`` — or the items ``codes`` — are handled by the department."""

    region_path: str  # "/150000/150100/150123/horinger-new-area/"
    domain: str  # "" when the row names items
    codes: frozenset[str]  # empty when the row names a domain
    department_key: str
    department_name: str
    department_path: str  # the department's region path
    service_mode: str = ""  # "" : the catalog's mode (when the department is local)
    source: str = ""


def _prefixes(path: str) -> list[str]:
    """``path`` and the paths above it, nearest first."""
    parts = [part for part in path.split("/") if part]
    return ["/" + "/".join(parts[:end]) + "/" for end in range(len(parts), 0, -1)]


def holding_for(
    holdings: Iterable[FunctionHolding], *, region_path: str, code: str, domain: str
) -> FunctionHolding | None:
    """The row that says who handles item ``code`` (of ``domain``) for a project in the
    region at ``region_path``: the row of that region or of the nearest region above it; at
    the same region a row naming the item wins over a row of its domain. None: no row holds
    (the catalog's department applies)."""
    by_code: dict[tuple[str, str], FunctionHolding] = {}
    by_domain: dict[tuple[str, str], FunctionHolding] = {}
    for row in holdings:
        for held in row.codes:
            by_code.setdefault((row.region_path, held), row)
        if row.domain:
            by_domain.setdefault((row.region_path, row.domain), row)
    for prefix in _prefixes(region_path):
        found = by_code.get((prefix, code)) or by_domain.get((prefix, domain))
        if found is not None:
            return found
    return None


def service_area(path: str, levels: Mapping[str, str]) -> str:
    """The service area of a project in the region at ``path``: its deepest region (itself
    or above) that is a 旗县区 or 园区 (``levels`` maps region paths to levels); the region
    itself when none is (a project placed at a 盟市)."""
    for prefix in _prefixes(path):
        if levels.get(prefix) in AREA_LEVELS:
            return prefix
    return path


def service_mode_in(
    *,
    catalog_mode: str,
    level: str,
    kind: str,
    department_path: str,
    area: str,
    holding_mode: str = "",
) -> str:
    """The service mode of an item for a project whose service area is ``area``.

    专业跑腿 when the item is decided above the zone (a level above 旗区, or 上报件) or its
    department sits outside the area (above it, or in another 旗县区/园区: a 东胜区 bureau is
    local for a 东胜区 project, not for one in the 和林格尔新区); otherwise the mode the
    function-holder row gives (``holding_mode``, e.g. 联审联批 for the 新区's other
    departments, 种子 003), else the catalog's.
    """
    if level != "zone" or kind == "reported":
        return ERRAND
    if not area or not department_path.startswith(area):
        return ERRAND
    return holding_mode or catalog_mode
