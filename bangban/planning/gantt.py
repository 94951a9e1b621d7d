"""The Gantt chart of a plan (plotly), rendered server-side to an HTML fragment.

Stages are swimlanes: a bold header row per stage, then its items by planned start, on
alternating bands. Planned bars run from the planned start to the planned due date;
critical-path items are red, the others muted, items the enterprise handles itself are
hatched; actual dates (re-planning) are thinner bars over the planned ones. The page loads
plotly.min.js from our own static files (never a CDN): see :data:`PLOTLY_JS`.

No inline script (the Content-Security-Policy forbids them, docs/security.md): the fragment is
an empty div and the figure as a JSON data block, which the browser does not execute;
``static/js/gantt.js`` (:data:`GANTT_JS`) draws every such chart on page load and after each
htmx swap.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

import plotly.graph_objects as go
from django.utils.html import format_html, json_script

from bangban.planning.outcome import PlannedItem, PlanOutcome

__all__ = ["GANTT_JS", "PLOTLY_JS", "gantt_figure", "gantt_html"]

PLOTLY_JS = "vendor/plotly/plotly.min.js"  # static path (STATICFILES_DIRS prefix in settings)
GANTT_JS = "js/gantt.js"  # static path: draws the charts gantt_html leaves on the page
CONFIG = {"displayModeBar": False, "responsive": True, "scrollZoom": False}

DAY_MS = 86_400_000
ROW_PX = 26
LABEL_CHARS = 16
CRITICAL = "#b42318"
NORMAL = "#9fb3c8"
SELF = "#d9e2ec"
ACTUAL = "#1f2933"
BANDS = ("rgba(238, 242, 247, 0.9)", "rgba(255, 255, 255, 0)")
FONT = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'


def _label(item: PlannedItem) -> str:
    name = item.name if len(item.name) <= LABEL_CHARS else item.name[: LABEL_CHARS - 1] + "…"
    return f"{item.code} {name}"


def _span_ms(start: dt.date, end: dt.date) -> int:
    # Bars run from the start day to the due day; a same-day item still shows half a day.
    return max((end - start).days * DAY_MS, DAY_MS // 2)


def _hover(item: PlannedItem) -> str:
    lines = [
        f"<b>{item.code} {item.name}</b>",
        f"{item.stage_label} · {item.department}",
        f"计划开始 {item.planned_start:%Y-%m-%d}",
        f"计划受理 {item.planned_acceptance:%Y-%m-%d}",
        f"计划办结 {item.planned_due:%Y-%m-%d}",
        f"工作日 {item.working_days}（准备 {item.preparation_days} + 承诺 {item.promised_days}）",
        "关键路径" if item.critical else f"机动时间 {item.slack} 个工作日",
    ]
    if not item.in_scope:
        lines.append("企业自行办理")
    if item.provisional:
        lines.append("含暂定日期（节假日安排未发布）")
    return "<br>".join(lines)


def _bar(name: str, items: Sequence[PlannedItem], labels: dict[str, str], **style) -> go.Bar:
    return go.Bar(
        name=name,
        orientation="h",
        y=[labels[item.code] for item in items],
        base=[item.planned_start.isoformat() for item in items],
        x=[_span_ms(item.planned_start, item.planned_due) for item in items],
        hovertext=[_hover(item) for item in items],
        hoverinfo="text",
        **style,
    )


def gantt_figure(plan: PlanOutcome) -> go.Figure:
    """The figure: one row per item, grouped by stage, top to bottom in stage order."""
    rows: list[str] = []  # category values, top to bottom
    ticks: list[str] = []  # what each row shows
    labels: dict[str, str] = {}
    bands: list[tuple[int, int]] = []  # (first row, last row) of each stage
    for _stage, stage_label, items in plan.stages():
        first = len(rows)
        header = f"【{stage_label}】"
        rows.append(header)
        ticks.append(f"<b>{stage_label}</b>")
        for item in items:
            labels[item.code] = _label(item)
            rows.append(labels[item.code])
            ticks.append(labels[item.code])
        bands.append((first, len(rows) - 1))

    critical = [i for i in plan.items if i.critical]
    normal = [i for i in plan.items if not i.critical and i.in_scope]
    own = [i for i in plan.items if not i.critical and not i.in_scope]
    traces = [
        # Invisible anchors so every header row exists on the axis.
        go.Bar(
            orientation="h",
            y=[row for row in rows if row not in labels.values()],
            x=[0] * len(bands),
            base=[plan.start_day.isoformat()] * len(bands),
            hoverinfo="skip",
            showlegend=False,
            marker={"color": "rgba(0,0,0,0)", "line": {"width": 0}},
        ),
        _bar("关键路径事项", critical, labels, marker={"color": CRITICAL}),
        _bar("其他事项", normal, labels, marker={"color": NORMAL}),
    ]
    if own:
        traces.append(
            _bar(
                "企业自行办理",
                own,
                labels,
                marker={"color": SELF, "pattern": {"shape": "/", "fgcolor": NORMAL}},
            )
        )
    for trace in traces[1:]:
        trace.width = 0.62
    actual = [i for i in plan.items if i.actual_start or i.actual_finish]
    if actual:
        starts = [i.actual_start or i.planned_start for i in actual]
        ends = [i.actual_finish or i.planned_due for i in actual]
        traces.append(
            go.Bar(
                name="实际办理",
                orientation="h",
                y=[labels[i.code] for i in actual],
                base=[s.isoformat() for s in starts],
                x=[_span_ms(s, e) for s, e in zip(starts, ends, strict=True)],
                width=0.22,
                marker={"color": ACTUAL},
                hovertext=[
                    f"<b>{i.code} {i.name}</b><br>实际开始 {s:%Y-%m-%d}"
                    + (f"<br>实际办结 {i.actual_finish:%Y-%m-%d}" if i.actual_finish else "")
                    for i, s in zip(actual, starts, strict=True)
                ],
                hoverinfo="text",
            )
        )

    figure = go.Figure(traces)
    shapes = [
        {
            "type": "rect",
            "xref": "paper",
            "yref": "y",
            "x0": 0,
            "x1": 1,
            "y0": first - 0.5,
            "y1": last + 0.5,
            "fillcolor": BANDS[index % 2],
            "line": {"width": 0},
            "layer": "below",
        }
        for index, (first, last) in enumerate(bands)
    ]
    end = plan.end_date.isoformat()
    shapes.append(
        {
            "type": "line",
            "xref": "x",
            "yref": "paper",
            "x0": end,
            "x1": end,
            "y0": 0,
            "y1": 1,
            "line": {"color": CRITICAL, "width": 1, "dash": "dot"},
        }
    )
    figure.update_layout(
        barmode="overlay",
        height=140 + ROW_PX * len(rows),
        margin={"l": 10, "r": 20, "t": 64, "b": 20},
        font={"family": FONT, "size": 12, "color": "#1f2933"},
        plot_bgcolor="#fff",
        paper_bgcolor="#fff",
        hoverlabel={"font": {"family": FONT}, "align": "left"},
        legend={
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": 1,
            "yanchor": "top",
            "yref": "container",
            "font": {"size": 12},
        },
        shapes=shapes,
        annotations=[
            {
                "x": end,
                "y": 1,
                "xref": "x",
                "yref": "paper",
                "xanchor": "right",
                "yanchor": "top",
                "text": f"预计办结 {end} ",
                "showarrow": False,
                "bgcolor": "rgba(255,255,255,0.85)",
                "font": {"color": CRITICAL, "size": 11},
            }
        ],
        xaxis={
            "type": "date",
            "side": "top",
            "tickformat": "%Y-%m-%d",
            "gridcolor": "#e4e7eb",
            "showline": True,
            "linecolor": "#bcccdc",
        },
        yaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": rows,
            "tickvals": rows,
            "ticktext": ticks,
            "autorange": "reversed",
            "automargin": True,
            "showgrid": False,
            "fixedrange": True,
        },
    )
    return figure


def gantt_html(plan: PlanOutcome, *, div_id: str = "plan-gantt") -> str:
    """The chart as an HTML fragment: an empty div ``div_id`` and, next to it, the figure and
    its plotly config as a JSON data block (``<script type="application/json">``, escaped like
    Django's ``json_script``) that ``gantt.js`` hands to ``Plotly.newPlot``. Empty without
    items."""
    if not plan.items:
        return ""
    figure = json.loads(gantt_figure(plan).to_json())
    data_id = f"{div_id}-figure"
    return format_html(
        '<div id="{}" class="plotly-graph-div gantt-chart" data-figure="{}"></div>{}',
        div_id,
        data_id,
        json_script({**figure, "config": CONFIG}, data_id),
    )
