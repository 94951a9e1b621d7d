"""The annual evaluation's 100-point composite (Horinger: 百分制, 70 to pass), pure core.

A scheme gives each component its points (``weights``: promise kept 30, completion 25, …);
each component scores ``weight × rate``, its rate a share in [0, 1]:

- the rates of the ledger and of after service (promise-kept, completion, satisfaction,
  follow-up coverage) come as they are measured, ``None`` when their denominator is 0;
- the complaints component's rate is :func:`complaints_rate`: ``max(0, 1 − substantiated ×
  deduction − partly substantiated × partial deduction)``, never ``None`` (no complaint is
  data: the full points).

A component without data (rate ``None``) is left out and the score is **rescaled** over the
components that have data: ``score = Σ earned ÷ Σ weights with data × Σ all weights``. So an
errand company, which has no follow-up visits to be measured on, is scored on the rest rather
than given free points (full marks for the missing part) or penalised with zero.

An entity is *evaluated* only when at least one component other than complaints has data:
"no complaint" alone says nothing of the service (an agent without a case that year is 不参评).

Rounding: each component's points and the score are rounded half-up, the points to 2
decimals and the score to 1; the pass mark is held against the rounded score, so the verdict
agrees with the figure everyone reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "COMPLAINTS",
    "ComponentScore",
    "Score",
    "annual_score",
    "complaints_rate",
]

#: The component whose data is always there (a count of complaints, possibly 0).
COMPLAINTS = "complaints"

Number = Decimal | int | float
_CENT = Decimal("0.01")
_TENTH = Decimal("0.1")


def _dec(value: Number) -> Decimal:
    """A float through its shortest text (0.8 → Decimal("0.8"), not 0.8000000000000000444)."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


@dataclass(frozen=True)
class ComponentScore:
    key: str
    weight: Decimal
    rate: Decimal | None  # None: no data, left out and the rest rescaled
    points: Decimal | None  # weight × rate, rounded to 2 decimals


@dataclass(frozen=True)
class Score:
    components: tuple[ComponentScore, ...]
    earned: Decimal  # Σ points of the components with data (unrounded sum of exact points)
    available: Decimal  # Σ weights of the components with data
    total_weight: Decimal  # Σ every weight (100 in a well-formed scheme)
    score: Decimal | None  # rescaled to total_weight, rounded to 1 decimal; None: not evaluated
    pass_mark: Decimal
    passed: bool | None  # None when not evaluated

    @property
    def evaluated(self) -> bool:
        return self.score is not None


def complaints_rate(
    substantiated: int,
    partly: int = 0,
    *,
    deduction: Number,
    partial_deduction: Number = 0,
) -> Decimal:
    """The share of the complaints component kept: ``max(0, 1 − s×d − p×pd)``."""
    if substantiated < 0 or partly < 0:
        raise ValueError("complaint counts cannot be negative")
    kept = Decimal(1) - substantiated * _dec(deduction) - partly * _dec(partial_deduction)
    return max(Decimal(0), kept)


def annual_score(
    weights: Mapping[str, Number],
    rates: Mapping[str, Number | None],
    *,
    pass_mark: Number,
) -> Score:
    """Score ``rates`` (component → share in [0, 1] or None) against ``weights`` (component →
    points). A component of ``weights`` missing from ``rates`` counts as without data; a rate
    outside [0, 1] or a negative weight is refused (``ValueError``)."""
    components: list[ComponentScore] = []
    earned = available = total = Decimal(0)
    has_service_data = False
    for key, raw_weight in weights.items():
        weight = _dec(raw_weight)
        if weight < 0:
            raise ValueError(f"negative weight for {key}")
        total += weight
        raw_rate = rates.get(key)
        if raw_rate is None:
            components.append(ComponentScore(key, weight, None, None))
            continue
        rate = _dec(raw_rate)
        if not Decimal(0) <= rate <= Decimal(1):
            raise ValueError(f"rate of {key} outside [0, 1]: {rate}")
        exact = weight * rate
        earned += exact
        available += weight
        if key != COMPLAINTS:
            has_service_data = True
        components.append(
            ComponentScore(key, weight, rate, exact.quantize(_CENT, rounding=ROUND_HALF_UP))
        )
    mark = _dec(pass_mark)
    if not has_service_data or available == 0:
        return Score(tuple(components), earned, available, total, None, mark, None)
    score = (earned / available * total).quantize(_TENTH, rounding=ROUND_HALF_UP)
    return Score(tuple(components), earned, available, total, score, mark, score >= mark)
