"""The annual evaluation (Horinger: 年度综合评价，百分制，70 分合格; SPEC §7): a 100-point
composite per department, per agent and per errand company, separately for the two tracks
the seed names — 帮办代办/联审联批 (``assisted``: cases served 帮办代办 or 联审联批) and 专业跑腿
(``errand``: cases served 专业跑腿, per company ``case.errand_company``).

The components and their points come from the year's :class:`EvaluationScheme` (a year
without its own scheme uses the latest earlier one); each rate is measured exactly as the
metrics measure it (:mod:`bangban.supervision.metrics`, the same filters and aggregates),
restricted to the track's cases; the score is :func:`bangban.rules.annual_score.annual_score`
(weight × rate; a component without data left out and the rest rescaled; complaints keep
``max(0, 1 − 属实 × deduction − 部分属实 × partial deduction)`` of their points).

What counts for whom, in the year:

| component | assisted · department | assisted · agent | errand · company |
|---|---|---|---|
| promise kept, completion | the track's cases of the department (办理部门) | of the commissions the agent holds | the cases the company runs |
| satisfaction | ratings of those cases, and a whole commission's rating for its lead department | ratings of the agent's commissions (cases of the track, or the whole commission) | ratings of the company's cases |
| follow-up | commissions completed, led by the department | commissions completed, held by the agent | — (visits are per commission) |
| complaints | complaints received in the year against the department, found 属实/部分属实 | against the agent | against the company |

An entity without a key (cases of no department, no agent, no company) is not evaluated.
Everything is counted in the database: a constant number of queries per table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from bangban.catalog.models import ServiceMode
from bangban.common import scoping
from bangban.evaluation.models import GOOD_LEVELS, Complaint
from bangban.organization.models import Department, Region
from bangban.rules.annual_score import annual_score, complaints_rate

from . import selectors
from .metrics import (
    Period,
    case_aggregates,
    case_filters,
    key_expr,
    metric_row,
    resolve_region,
    visit_done,
)
from .models import EVALUATION_COMPONENTS, EvaluationScheme
from .reports import COUNT, POINTS, RATE, SCORE, TEXT, VERDICT, Cell, Section, Table

ASSISTED, ERRAND = EvaluationScheme.Track.ASSISTED, EvaluationScheme.Track.ERRAND
TRACK_MODES = {
    ASSISTED: (ServiceMode.BANGBAN, ServiceMode.JOINT),
    ERRAND: (ServiceMode.ERRAND,),
}
#: The groupings of each track, in the order the page shows them.
TRACK_GROUPINGS = {ASSISTED: ("department", "agent"), ERRAND: ("errand_company",)}
GROUPING_LABELS = {"department": "部门", "agent": "代办帮办员", "errand_company": "跑腿服务公司"}

#: (key, label) expressions per grouping and source (the metrics' own where they exist).
_AGENT = "agent"
_GROUPS: dict[str, dict[str, tuple | None]] = {
    "case": {
        "department": ("department_id", "department__name"),
        "agent": ("commission__agent_id", _AGENT),
        "errand_company": ("errand_company_id", "errand_company__name"),
    },
    "rating": {
        "department": (
            ("case__department_id", "commission__lead_department_id"),
            ("case__department__name", "commission__lead_department__name"),
        ),
        "agent": ("commission__agent_id", _AGENT),
        "errand_company": ("case__errand_company_id", "case__errand_company__name"),
    },
    "commission": {
        "department": ("lead_department_id", "lead_department__name"),
        "agent": ("agent_id", _AGENT),
        "errand_company": None,
    },
    "complaint": {
        "department": ("subject_department_id", "subject_department__name"),
        "agent": ("subject_user_id", _AGENT),
        "errand_company": ("subject_department_id", "subject_department__name"),
    },
}


class SchemeMissing(Exception):
    """No evaluation scheme for the year (nor an earlier one) and track."""

    def __init__(self, year: int, track: str):
        label = EvaluationScheme.Track(track).label
        super().__init__(f"{year}年没有“{label}”的考核方案，请在管理后台设置。")
        self.message = str(self)


def scheme_for(year: int, track: str) -> EvaluationScheme:
    scheme = EvaluationScheme.objects.filter(track=track, year__lte=year).order_by("-year").first()
    if scheme is None:
        raise SchemeMissing(year, track)
    return scheme


#: Where the agent's user row is, per source (for its name).
_AGENT_PREFIX = {
    "case": "commission__agent__",
    "rating": "commission__agent__",
    "commission": "agent__",
    "complaint": "subject_user__",
}


def _label(source: str, spec):
    if spec == _AGENT:
        prefix = _AGENT_PREFIX[source]
        return Coalesce(NullIf(f"{prefix}display_name", Value("")), f"{prefix}username")
    return key_expr(spec)


def _grouped(queryset: QuerySet, source: str, by: str, aggregates: dict) -> dict:
    """{key: (label, counts)} of ``queryset`` grouped by ``by`` (one query; key None dropped)."""
    spec = _GROUPS[source][by]
    if spec is None:
        return {}
    key_spec, label_spec = spec
    rows = (
        queryset.annotate(_key=key_expr(key_spec), _label=_label(source, label_spec))
        .exclude(_key__isnull=True)
        .values("_key", "_label")
        .annotate(**aggregates)
        .order_by()
    )
    out: dict = {}
    for row in rows:
        counts = {name: int(row[name] or 0) for name in aggregates}
        label, old = out.get(row["_key"], (row["_label"] or "", {}))
        out[row["_key"]] = (label, {k: old.get(k, 0) + v for k, v in counts.items()})
    return out


def _complaints(user, period: Period, region: Region | None, track: str) -> QuerySet:
    queryset = Complaint.objects.filter(scoping.scope_for(Complaint, user)).filter(
        received_at__gte=period.start_at, received_at__lt=period.end_before
    )
    if region is not None:
        queryset = queryset.filter(region__path__startswith=region.path)
    # a complaint against an errand company counts for the errand track only
    against_company = Q(subject_department__kind=Department.Kind.ERRAND)
    return (
        queryset.filter(against_company) if track == ERRAND else queryset.exclude(against_company)
    )


@dataclass(frozen=True)
class _Sources:
    cases: QuerySet
    ratings: QuerySet
    commissions: QuerySet
    complaints: QuerySet
    filters: dict


def _sources(user, period: Period, region, track: str, today) -> _Sources:
    modes = TRACK_MODES[track]
    f = case_filters(period, today)
    relevant = f.pop("relevant")
    cases = (
        selectors.scoped_cases(user, region=region).filter(relevant).filter(service_mode__in=modes)
    )
    ratings = selectors.scoped_ratings(user, region=region).filter(
        rated_at__gte=period.start_at, rated_at__lt=period.end_before
    )
    in_track = Q(case__service_mode__in=modes)
    if track == ASSISTED:  # a whole commission's rating rates the 代办 service
        in_track |= Q(case__isnull=True)
    ratings = ratings.filter(in_track)
    commissions = selectors.scoped_commissions(user, region=region).filter(
        completed_at__gte=period.start_at, completed_at__lt=period.end_before
    )
    return _Sources(cases, ratings, commissions, _complaints(user, period, region, track), f)


def _evaluate_rows(sources: _Sources, by: str, scheme: EvaluationScheme) -> list[dict[str, Any]]:
    f = sources.filters
    parts = [
        _grouped(sources.cases, "case", by, case_aggregates(f)),
        _grouped(
            sources.ratings,
            "rating",
            by,
            {
                "ratings": Count("pk"),
                "satisfied": Count("pk", filter=Q(level__in=GOOD_LEVELS)),
            },
        ),
        _grouped(
            sources.commissions,
            "commission",
            by,
            {
                "commissions_completed": Count("pk"),
                "visited": Count("pk", filter=Q(visit_done())),
            },
        ),
        _grouped(
            sources.complaints,
            "complaint",
            by,
            {
                "substantiated": Count("pk", filter=Q(finding=Complaint.Finding.SUBSTANTIATED)),
                "partly": Count("pk", filter=Q(finding=Complaint.Finding.PARTLY)),
            },
        ),
    ]
    merged: dict = {}
    for part in parts:
        for key, (label, counts) in part.items():
            old_label, old = merged.get(key, ("", {}))
            merged[key] = (old_label or label, {**old, **counts})
    weights = scheme.weights
    rows = []
    for key, (label, counts) in merged.items():
        if not any(counts.values()):
            continue
        metric = metric_row(key, label, counts)
        substantiated, partly = counts.get("substantiated", 0), counts.get("partly", 0)
        rates = {
            "promise_kept": metric.promise_kept_rate,
            "completion": metric.completion_rate,
            "satisfaction": metric.satisfaction_share,
            "follow_up": metric.follow_up_coverage if by != "errand_company" else None,
            "complaints": complaints_rate(
                substantiated,
                partly,
                deduction=scheme.complaint_deduction,
                partial_deduction=scheme.partial_complaint_deduction,
            ),
        }
        score = annual_score(weights, rates, pass_mark=scheme.pass_mark)
        rows.append(
            {
                "key": key,
                "name": label or str(key),
                "counts": {
                    "accepted": metric.accepted,
                    "accepted_completed": metric.accepted_completed,
                    "completed": metric.completed,
                    "completed_on_time": metric.completed_on_time,
                    "ratings": metric.ratings,
                    "satisfied": metric.satisfied,
                    "commissions_completed": metric.commissions_completed,
                    "visited": metric.visited,
                    "substantiated_complaints": substantiated,
                    "partly_substantiated_complaints": partly,
                },
                "rates": {
                    name: (None if rates[name] is None else float(rates[name]))
                    for name in EVALUATION_COMPONENTS
                },
                "points": {
                    c.key: (None if c.points is None else float(c.points)) for c in score.components
                },
                "score": None if score.score is None else float(score.score),
                "passed": score.passed,
            }
        )
    return sorted(
        rows,
        key=lambda row: (row["score"] is None, -(row["score"] or 0), row["name"]),
    )


def _scheme_payload(scheme: EvaluationScheme) -> dict[str, Any]:
    return {
        "year": scheme.year,
        "weights": {k: scheme.weights[k] for k in EVALUATION_COMPONENTS if k in scheme.weights},
        "pass_mark": scheme.pass_mark,
        "complaint_deduction": float(scheme.complaint_deduction),
        "partial_complaint_deduction": float(scheme.partial_complaint_deduction),
        "note": scheme.note,
    }


def evaluation_table(
    user,
    year: int,
    track: str,
    by: str,
    *,
    region=None,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """One track's evaluation grouped by ``by`` (a JSON-able dict). Raises
    :class:`SchemeMissing` when the year has no scheme, ``ValueError`` for a grouping the
    track does not have."""
    if by not in TRACK_GROUPINGS.get(track, ()):
        raise ValueError(f"“{EvaluationScheme.Track(track).label}”不按“{by}”考核。")
    scheme = scheme_for(year, track)
    period = Period.year(year)
    now = now or timezone.now()
    resolved = resolve_region(user, region)
    sources = _sources(user, period, resolved, track, today)
    rows = _evaluate_rows(sources, by, scheme)
    evaluated = [row for row in rows if row["score"] is not None]
    return {
        "kind": "annual_evaluation",
        "year": year,
        "track": track,
        "track_label": str(EvaluationScheme.Track(track).label),
        "by": by,
        "by_label": GROUPING_LABELS[by],
        "region": (
            {"id": resolved.pk, "key": resolved.key, "name": resolved.name}
            if resolved is not None and resolved.pk
            else None
        ),
        "as_of": period.as_of(today).isoformat(),
        "computed_at": now.isoformat(),
        "scheme": _scheme_payload(scheme),
        "components": [
            {"key": key, "label": label, "weight": scheme.weights[key]}
            for key, label in EVALUATION_COMPONENTS.items()
            if key in scheme.weights
        ],
        "rows": rows,
        "summary": {
            "entities": len(rows),
            "evaluated": len(evaluated),
            "passed": sum(1 for row in evaluated if row["passed"]),
            "failed": sum(1 for row in evaluated if not row["passed"]),
            "not_evaluated": len(rows) - len(evaluated),
        },
    }


def annual_evaluation(
    user, year: int, *, region=None, today: dt.date | None = None
) -> dict[str, Any]:
    """Every table of the year: assisted by department and by agent, errand by company. A
    track without a scheme is reported as missing (``missing``), the others still shown."""
    now = timezone.now()
    tables, missing = [], []
    for track, groupings in TRACK_GROUPINGS.items():
        for by in groupings:
            try:
                tables.append(
                    evaluation_table(user, year, track, by, region=region, today=today, now=now)
                )
            except SchemeMissing as exc:
                if exc.message not in missing:
                    missing.append(exc.message)
    return {"year": year, "tables": tables, "missing": missing, "computed_at": now.isoformat()}


# --- the layout every output prints ------------------------------------------------------------


def _verdict(row) -> Cell:
    return Cell(row["passed"], VERDICT)


def evaluation_layout(evaluation: dict[str, Any]) -> list[Section]:
    """One section per table: the scores (points per component, score, verdict) and the
    measures behind them (rates and counts)."""
    sections = []
    numerals = "一二三四五六七八九十"
    for index, table in enumerate(evaluation["tables"]):
        components = table["components"]
        scheme = table["scheme"]
        heading = (
            f"{numerals[index] if index < len(numerals) else index + 1}、"
            f"{table['track_label']} · 按{table['by_label']}"
        )
        score_rows = [
            [Cell(row["name"])]
            + [Cell(row["points"].get(c["key"]), POINTS) for c in components]
            + [Cell(row["score"], SCORE), _verdict(row)]
            for row in table["rows"]
        ]
        scores = Table(
            f"{table['track']}-{table['by']}-scores",
            f"{table['track_label']} · {table['by_label']}得分",
            (
                table["by_label"],
                *(f"{c['label']}（{c['weight']}分）" for c in components),
                "总分",
                "结论",
            ),
            score_rows,
            empty="本年度没有可考核的记录。",
        )
        measure_rows = [
            [
                Cell(row["name"]),
                Cell(row["counts"]["accepted"], COUNT),
                Cell(row["counts"]["completed"], COUNT),
                Cell(row["rates"]["promise_kept"], RATE),
                Cell(row["rates"]["completion"], RATE),
                Cell(row["rates"]["satisfaction"], RATE),
                Cell(row["rates"]["follow_up"], RATE),
                Cell(
                    f"{row['counts']['substantiated_complaints']}/"
                    f"{row['counts']['partly_substantiated_complaints']}",
                    TEXT,
                ),
            ]
            for row in table["rows"]
        ]
        measures = Table(
            f"{table['track']}-{table['by']}-measures",
            f"{table['track_label']} · {table['by_label']}考核指标",
            (
                table["by_label"],
                "受理件数",
                "办结件数",
                "承诺事项兑现率",
                "办结率",
                "满意率",
                "回访覆盖率",
                "投诉（属实/部分属实）",
            ),
            measure_rows,
            empty="本年度没有可考核的记录。",
        )
        summary = table["summary"]
        sections.append(
            Section(
                heading,
                [scores, measures],
                paragraphs=[
                    f"参评 {summary['evaluated']} 个，合格 {summary['passed']} 个，"
                    f"不合格 {summary['failed']} 个；无办件数据不参评 {summary['not_evaluated']} 个。"
                    f"合格分数线 {scheme['pass_mark']} 分（{scheme['year']}年方案）。"
                ],
                notes=[
                    "各项得分 = 分值 × 比率；投诉一项 = 分值 × max(0, 1 − 属实起数 × "
                    f"{scheme['complaint_deduction']:g} − 部分属实起数 × "
                    f"{scheme['partial_complaint_deduction']:g})。"
                    "某项没有数据（分母为 0）时记“—”，不计该项，按其余各项分值折算为百分制。"
                ],
            )
        )
    return sections
