"""Plotly figures of the report, each a plain function of result objects.

Figures only draw what the results hold: the Pareto frontier, solutions and proposal scores
come from the `Analysis`, the negotiation paths from the `MediationResult` traces, the
forecast lines from the forecast's dict. The one thing computed here is the cloud of deals
behind the utility-space plot (`accord.report.data.deal_cloud`), when it is not given.

Every trace carries a `meta` tag (`"frontier"`, `"batna:<actor>"`, `"solution:nash"`,
`"proposal:<id>"`, ...) so that tests and scripts can find it in the figure's JSON.
Plotly is imported inside the functions, so importing this module costs nothing.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from itertools import combinations
from typing import TYPE_CHECKING, Any

import numpy as np

from ..analysis import Analysis
from ..results import DealPoint
from ..space import Space
from .data import DealCloud, deal_cloud

if TYPE_CHECKING:
    import plotly.graph_objects as go

SOLUTION_STYLE = {
    "nash": ("Nash", "star", "#d62728", 18),
    "kalai_smorodinsky": ("Kalai-Smorodinsky", "diamond-open", "#9467bd", 16),
    "egalitarian": ("egalitarian", "square-open", "#8c564b", 13),
    "utilitarian": ("utilitarian", "triangle-up-open", "#e377c2", 14),
}
PARTY_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
                "#7f7f7f", "#bcbd22", "#17becf")
FRONTIER_COLOR = "#ff7f0e"
AGREED_COLOR = "#2ca02c"
VETOED_COLOR = "#555555"


def _e(text: object) -> str:
    """Scenario text for plotly's HTML-like labels: escaped."""
    return html.escape(str(text), quote=True)


def _fmt_value(v: object) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def deal_lines(deal: Mapping[str, object]) -> str:
    """A deal as hover text, one `issue=option` per line."""
    return "<br>".join(f"{_e(k)}={_e(_fmt_value(v))}" for k, v in deal.items())


def utility_line(utilities: Mapping[str, float], actors: Sequence[str]) -> str:
    return ", ".join(f"{_e(a)} {utilities[a]:.3f}" for a in actors if a in utilities)


def _layout(title: str, **extra: Any) -> dict:
    base = {"title": {"text": _e(title)}, "template": "plotly_white", "height": 540,
            "margin": {"l": 60, "r": 20, "t": 60, "b": 50},
            "legend": {"itemsizing": "constant"}}
    base.update(extra)
    return base


def _batna_lines(analysis: Analysis, x: str, y: str) -> list[dict]:
    bx, by = analysis.batna[x], analysis.batna[y]
    return [
        {"type": "scatter", "x": [bx, bx], "y": [0, 1], "mode": "lines", "meta": f"batna:{x}",
         "name": f"BATNA {_e(x)} = {bx:.3f}", "hoverinfo": "name",
         "line": {"dash": "dash", "color": "#444", "width": 1.5}},
        {"type": "scatter", "x": [0, 1], "y": [by, by], "mode": "lines", "meta": f"batna:{y}",
         "name": f"BATNA {_e(y)} = {by:.3f}", "hoverinfo": "name",
         "line": {"dash": "dot", "color": "#444", "width": 1.5}},
    ]


def _zopa_box(analysis: Analysis, x: str, y: str, projected: bool) -> dict:
    """The region where both plotted parties get at least their BATNA, shaded."""
    bx, by = analysis.batna[x], analysis.batna[y]
    if projected:
        name = f"{_e(x)} and {_e(y)} at least at their BATNAs"
    elif analysis.zopa.exists:
        name = "ZOPA: every party at least at its BATNA"
    else:
        name = "ZOPA region (empty: no deal falls in it)"
    return {"type": "scatter", "x": [bx, 1, 1, bx, bx], "y": [by, by, 1, 1, by],
            "mode": "lines", "fill": "toself", "meta": "zopa", "name": name,
            "fillcolor": "rgba(44,160,44,0.13)" if analysis.zopa.exists or projected
            else "rgba(214,39,40,0.07)",
            "line": {"width": 0}, "hoverinfo": "name"}


def _cloud_trace(cloud: DealCloud, space: Space, xi: int, yi: int, parties: Sequence[str],
                 compact: bool) -> dict:
    """The deals as grey points, one point per distinct utility pair (with its count).

    Hover text is the deal, the count and the parties' utilities. With `compact`, each point
    carries [count, option index per issue] in `customdata` instead, and the figure's
    `layout.meta.deal_labels` the label of every option: the report's loader script writes
    the hover text from them in the browser (a tenth of the size for large clouds).
    """
    u = cloud.utilities[:, [xi, yi]]
    key = np.round(u, 9)
    _, first, counts = np.unique(key, axis=0, return_index=True, return_counts=True)
    what = (f"a sample of {len(cloud.deals):,} of {cloud.total:,} deals (seed {cloud.seed})"
            if cloud.sampled else f"all {cloud.total:,} deals")
    trace = {"type": "scatter", "x": np.round(u[first, 0], 6).tolist(),
             "y": np.round(u[first, 1], 6).tolist(), "mode": "markers", "meta": "cloud",
             "name": f"Deals ({what})",
             "marker": {"size": 5, "color": "rgba(110,110,110,0.35)"}}
    pidx = [space.actor_ids.index(p) for p in parties]
    if compact:
        trace["customdata"] = [[int(n), *(int(o) for o in cloud.deals[r])]
                               for r, n in zip(first, counts, strict=True)]
        trace["hovertemplate"] = "%{x:.3f}, %{y:.3f}<extra></extra>"
        return trace
    hover = []
    for r, n in zip(first, counts, strict=True):
        deal = space.deal_mapping(cloud.deals[r])
        head = f"{n} deals here, e.g.<br>" if n > 1 else ""
        utils = {space.actor_ids[a]: float(cloud.utilities[r, a]) for a in pidx}
        hover.append(head + deal_lines(deal) + "<br>" + utility_line(utils, parties))
    trace["hovertext"] = hover
    trace["hoverinfo"] = "text"
    return trace


def deal_labels(space: Space, x: str, y: str) -> dict:
    """The label table that compact cloud points refer to (see `_cloud_trace`)."""
    return {"issues": [_e(i) for i in space.issue_ids],
            "labels": [[_e(_fmt_value(v)) for v in lab] for lab in space.labels],
            "axes": [_e(x), _e(y)]}


def _point_hover(title: str, point: DealPoint, actors: Sequence[str], extra: str = "") -> str:
    return (f"<b>{_e(title)}</b><br>{deal_lines(point.deal)}<br>"
            f"{utility_line(point.utilities, actors)}" + (f"<br>{extra}" if extra else ""))


def _frontier_trace(analysis: Analysis, x: str, y: str, projected: bool) -> dict:
    pts = analysis.frontier
    actors = list(analysis.parties)
    hover = [_point_hover("Pareto-optimal deal", p, actors) for p in pts]
    name = ("Pareto frontier of all parties (projected)" if projected
            else f"Pareto frontier ({len(pts)} deals)")
    return {"type": "scatter", "x": [p.utilities[x] for p in pts],
            "y": [p.utilities[y] for p in pts], "mode": "markers" if projected
            else "lines+markers", "meta": "frontier", "name": name,
            "line": {"color": FRONTIER_COLOR, "width": 2, "shape": "hv"},
            "marker": {"color": FRONTIER_COLOR, "size": 7},
            "hovertext": hover, "hoverinfo": "text"}


def _solution_traces(analysis: Analysis, x: str, y: str) -> list[dict]:
    out = []
    actors = list(analysis.actors)
    for key, (label, symbol, color, size) in SOLUTION_STYLE.items():
        p = analysis.solutions.get(key)
        if p is None:
            continue
        out.append({"type": "scatter", "x": [p.utilities[x]], "y": [p.utilities[y]],
                    "mode": "markers", "meta": f"solution:{key}", "name": f"{label} solution",
                    "marker": {"symbol": symbol, "size": size, "color": color,
                               "line": {"width": 2, "color": color}},
                    "hovertext": [_point_hover(f"{label} solution", p, actors)],
                    "hoverinfo": "text"})
    return out


def _proposal_traces(analysis: Analysis, x: str, y: str) -> list[dict]:
    out = []
    actors = list(analysis.actors)
    for e in analysis.proposals:
        status = ("agreement: every veto actor accepts" if e.agreement
                  else "vetoed by " + ", ".join(_e(a) for a in e.vetoed_by))
        title = e.id or "deal"
        if e.title:
            title += f": {e.title}"
        color = AGREED_COLOR if e.agreement else VETOED_COLOR
        out.append({"type": "scatter", "x": [e.point.utilities[x]], "y": [e.point.utilities[y]],
                    "mode": "markers+text", "meta": f"proposal:{e.id}",
                    "name": f"proposal {_e(e.id)}", "text": [_e(e.id)],
                    "textposition": "top center", "textfont": {"color": color, "size": 11},
                    "marker": {"symbol": "x", "size": 11, "color": color},
                    "hovertext": [_point_hover(title, e.point, actors, status)],
                    "hoverinfo": "text"})
    return out


def _closest_trace(analysis: Analysis, x: str, y: str) -> list[dict]:
    c = analysis.closest
    if c is None:
        return []
    shortfall = analysis.zopa.shortfall
    return [{"type": "scatter", "x": [c.utilities[x]], "y": [c.utilities[y]], "mode": "markers",
             "meta": "closest", "name": f"nearest miss (short by {shortfall:.3f})",
             "marker": {"symbol": "circle-open", "size": 16, "color": "#d62728",
                        "line": {"width": 2}},
             "hovertext": [_point_hover("Nearest miss", c, list(analysis.parties),
                                        f"a ZOPA opens if every BATNA fell by {shortfall:.3f}")],
             "hoverinfo": "text"}]


def _mediation_traces(mediations: Mapping[str, Any], x: str, y: str,
                      actors: Sequence[str]) -> list[dict]:
    out = []
    symbols = {"single-text": "hexagon", "alternating-offers": "pentagon"}
    for name, r in mediations.items():
        if isinstance(r, str) or r.outcome is None:
            continue
        u = r.outcome.utilities
        out.append({"type": "scatter", "x": [u[x]], "y": [u[y]], "mode": "markers",
                    "meta": f"mediation:{name}", "name": f"{_e(name)} ends here",
                    "marker": {"symbol": symbols.get(name, "circle"), "size": 12,
                               "color": "#17becf", "line": {"width": 1, "color": "#0b5563"}},
                    "hovertext": [_point_hover(f"{name} ends here", r.outcome, actors)],
                    "hoverinfo": "text"})
    return out


def utility_space_figure(space: Space, analysis: Analysis, parties: Sequence[str] | None = None,
                         *, cloud: DealCloud | None = None,
                         mediations: Mapping[str, Any] | None = None,
                         seed: int | None = 0, compact: bool = False) -> go.Figure:
    """The deals in the utility space of two parties (`parties`, default the first two of the
    analysis): every deal (or a seeded sample when there are more than
    `accord.report.data.CLOUD_LIMIT`), BATNA lines, the ZOPA shaded, the Pareto frontier,
    the four solutions, every proposal and, when given, where each negotiation ended.

    With more than two parties in the analysis this is a projection: the frontier and the
    shaded box are those of all parties seen from two of them. `compact` stores the deals'
    hover text as option indices (see `_cloud_trace`), for pages with the report's loader.
    """
    import plotly.graph_objects as go

    x, y = (list(parties) if parties is not None else list(analysis.parties))[:2]
    for p in (x, y):
        if p not in analysis.parties:
            raise ValueError(f"'{p}' is not one of the analysis parties {analysis.parties}")
    projected = len(analysis.parties) > 2
    cloud = cloud if cloud is not None else deal_cloud(space, seed=seed)
    xi, yi = space.actor_ids.index(x), space.actor_ids.index(y)
    data: list[dict] = [_zopa_box(analysis, x, y, projected),
                        _cloud_trace(cloud, space, xi, yi, analysis.parties, compact)]
    data += _batna_lines(analysis, x, y)
    data.append(_frontier_trace(analysis, x, y, projected))
    data += _closest_trace(analysis, x, y)
    data += _mediation_traces(mediations or {}, x, y, list(analysis.actors))
    data += _solution_traces(analysis, x, y)
    data += _proposal_traces(analysis, x, y)
    title = (f"Utility space of {x} and {y}" + (" (projection)" if projected else ""))
    axis = {"range": [-0.03, 1.03], "zeroline": False}
    layout = _layout(title, xaxis={**axis, "title": {"text": f"utility of {_e(x)}"}},
                     yaxis={**axis, "title": {"text": f"utility of {_e(y)}"}},
                     hovermode="closest", height=620)
    if compact:
        layout["meta"] = {"deal_labels": deal_labels(space, x, y)}
    return go.Figure(data=data, layout=layout)


def pairwise_figures(space: Space, analysis: Analysis, *, cloud: DealCloud | None = None,
                     mediations: Mapping[str, Any] | None = None, seed: int | None = 0,
                     compact: bool = False) -> list[tuple[tuple[str, str], go.Figure]]:
    """One utility-space figure per pair of parties, in party order."""
    cloud = cloud if cloud is not None else deal_cloud(space, seed=seed)
    return [((a, b), utility_space_figure(space, analysis, (a, b), cloud=cloud,
                                          mediations=mediations, compact=compact))
            for a, b in combinations(analysis.parties, 2)]


def frontier_parallel_figure(analysis: Analysis) -> go.Figure:
    """The Pareto frontier in parallel coordinates: one axis per party, one line per deal,
    coloured by its smallest gain over the BATNAs (negative: some party is short)."""
    import plotly.graph_objects as go

    parties = list(analysis.parties)
    pts = analysis.frontier
    min_gain = [min(p.gains[a] for a in parties) for p in pts]
    dims = [{"label": _e(a), "values": [p.utilities[a] for p in pts], "range": [0, 1]}
            for a in parties]
    trace = {"type": "parcoords", "meta": "frontier-parallel", "dimensions": dims,
             "line": {"color": min_gain, "colorscale": "RdYlGn", "cmid": 0, "showscale": True,
                      "colorbar": {"title": {"text": "smallest gain"}}}}
    return go.Figure(data=[trace], layout=_layout(
        f"Pareto frontier of {', '.join(parties)}: {len(pts)} deals", height=460,
        margin={"l": 60, "r": 60, "t": 90, "b": 40}))


def _hover_step(s: Any) -> str:
    return (f"round {s.round}, by {_e(s.proposer)}" + (f" ({_e(s.note)})" if s.note else "")
            + f"<br>{deal_lines(s.deal)}")


def _line(a: str, steps: list, color: str, meta: str, name: str, dash: str | None = None,
          shape: str = "linear") -> dict:
    return {"type": "scatter", "x": [s.round for s in steps],
            "y": [s.utilities.get(a) for s in steps], "mode": "lines+markers", "meta": meta,
            "name": name, "line": {"color": color, "shape": shape, "dash": dash},
            "marker": {"size": 5}, "customdata": [_hover_step(s) for s in steps],
            "hovertemplate": f"%{{customdata}}<br>{_e(a)} %{{y:.3f}}<extra>{name}</extra>"}


def mediation_figure(result: Any, batna: Mapping[str, float] | None = None) -> go.Figure:
    """Each party's utility along a negotiation (a `MediationResult`), with its BATNA dotted
    when `batna` is given.

    Single text: the standing text after each round (first draft, adopted variations, the
    final text). Alternating offers: for each party, a solid line through its own offers
    (its concession curve) and a dashed one through the offers it received; an agreement
    shows where they meet.
    """
    import plotly.graph_objects as go

    steps = list(result.trace)
    data = []
    single = result.protocol == "single-text"
    if single:
        steps = [s for s in steps if s.note in ("first draft", "adopted", "final text")]
    for k, a in enumerate(result.parties):
        color = PARTY_COLORS[k % len(PARTY_COLORS)]
        if single:
            data.append(_line(a, steps, color, f"party:{a}", _e(a), shape="hv"))
        else:
            own = [s for s in steps if s.proposer == a and "offer" in s.responses.values()]
            got = [s for s in steps if s.proposer != a and "offer" in s.responses.values()]
            data.append(_line(a, own, color, f"offers-by:{a}", f"{_e(a)}: its own offers"))
            data.append(_line(a, got, color, f"offers-to:{a}", f"{_e(a)}: offers it received",
                              dash="dash"))
        if batna is not None and a in batna and steps:
            data.append({"type": "scatter", "x": [steps[0].round, steps[-1].round],
                         "y": [batna[a], batna[a]], "mode": "lines", "meta": f"batna:{a}",
                         "name": f"BATNA {_e(a)}", "hoverinfo": "name",
                         "line": {"dash": "dot", "color": color, "width": 1}})
    end = "agreement" if result.agreement else "no agreement"
    what = "the standing text" if single else "offers made and received"
    return go.Figure(data=data, layout=_layout(
        f"{result.protocol} (seed {result.seed}): {what}; {end} after {result.rounds} rounds",
        height=440, xaxis={"title": {"text": "round"}},
        yaxis={"title": {"text": "utility"}, "range": [-0.03, 1.03]}, hovermode="closest"))


def _forecast_dict(result: Any) -> dict:
    return result.to_dict() if hasattr(result, "to_dict") else dict(result)


def forecast_figure(result: Any) -> go.Figure | None:
    """The predicted outcome of every issue, round by round, of a dynamic forecast (a
    `ForecastResult` or its dict); None when it has no rounds (the compromise baseline)."""
    import plotly.graph_objects as go

    d = _forecast_dict(result)
    rounds = d.get("rounds") or []
    if len(rounds) < 2:
        return None
    data = []
    for k, issue in enumerate(d.get("issues", [])):
        data.append({"type": "scatter", "x": [r["round"] for r in rounds],
                     "y": [r["outcome"].get(issue) for r in rounds], "mode": "lines+markers",
                     "meta": f"issue:{issue}", "name": _e(issue),
                     "line": {"color": PARTY_COLORS[k % len(PARTY_COLORS)]}})
    return go.Figure(data=data, layout=_layout(
        f"{d.get('model', 'forecast')} model: predicted outcome by round", height=440,
        xaxis={"title": {"text": "round"}, "dtick": 1},
        yaxis={"title": {"text": "position (issue units; discrete issues 0-100 pole to pole)"}},
        hovermode="x unified"))


def positions_figure(result: Any) -> go.Figure | None:
    """Every actor's position round by round, one issue at a time (a menu picks the issue),
    with the predicted outcome dashed; None when the forecast has no rounds."""
    import plotly.graph_objects as go

    d = _forecast_dict(result)
    rounds = d.get("rounds") or []
    issues = list(d.get("issues", []))
    actors = list(d.get("actors", []))
    if len(rounds) < 2 or not issues:
        return None
    xs = [r["round"] for r in rounds]
    data = []
    for n, issue in enumerate(issues):
        for k, a in enumerate(actors):
            data.append({"type": "scatter", "x": xs,
                         "y": [r["positions"].get(a, {}).get(issue) for r in rounds],
                         "mode": "lines", "name": _e(a), "visible": n == 0,
                         "meta": f"position:{issue}:{a}", "legendgroup": _e(a),
                         "line": {"color": PARTY_COLORS[k % len(PARTY_COLORS)]}})
        data.append({"type": "scatter", "x": xs, "y": [r["outcome"].get(issue) for r in rounds],
                     "mode": "lines", "name": "predicted outcome", "visible": n == 0,
                     "meta": f"outcome:{issue}", "line": {"dash": "dash", "color": "#000",
                                                           "width": 3}})
    per = len(actors) + 1
    buttons = [{"label": _e(issue), "method": "update",
                "args": [{"visible": [j // per == n for j in range(len(data))]},
                         {"title.text": f"Positions on {_e(issue)} by round"}]}
               for n, issue in enumerate(issues)]
    return go.Figure(data=data, layout=_layout(
        f"Positions on {issues[0]} by round", height=460,
        xaxis={"title": {"text": "round"}, "dtick": 1}, yaxis={"title": {"text": "position"}},
        updatemenus=[{"buttons": buttons, "x": 1.0, "xanchor": "right", "y": 1.15,
                      "yanchor": "top", "direction": "down"}]))


def sensitivity_figure(outcome: str, ranking: Sequence[Mapping[str, Any]],
                       nominal: float | None = None, top: int = 10) -> go.Figure | None:
    """A tornado chart of one sweep outcome: for the `top` inputs with the largest swing, a
    bar from the outcome at its nominal value to the outcome with the input at its low value,
    and one to the outcome with it at its high value.

    Reads `outcome_low` / `outcome_high` of each ranking row (the older shape, where `low` /
    `high` were the outcome values themselves, is read too).
    """
    import plotly.graph_objects as go

    rows = []
    for r in ranking:
        if not isinstance(r, Mapping):
            continue
        if "outcome_low" in r or "outcome_high" in r:
            lo, hi = _number(r.get("outcome_low")), _number(r.get("outcome_high"))
        else:
            lo, hi = _number(r.get("low")), _number(r.get("high"))
        if lo is None or hi is None:
            continue
        rows.append((str(r.get("input", "?")), lo, hi))
    rows = sorted(rows, key=lambda t: -abs(t[2] - t[1]))[:top][::-1]
    if not rows:
        return None
    base = _number(nominal)
    base = base if base is not None else 0.0
    names = [_e(n) for n, _, _ in rows]
    data = [{"type": "bar", "orientation": "h", "y": names, "base": base,
             "x": [lo - base for _, lo, _ in rows], "customdata": [lo for _, lo, _ in rows],
             "name": "input at its low value", "marker": {"color": "#6baed6"},
             "meta": "sensitivity:low", "hovertemplate": "%{customdata:.4g}<extra></extra>"},
            {"type": "bar", "orientation": "h", "y": names, "base": base,
             "x": [hi - base for _, _, hi in rows], "customdata": [hi for _, _, hi in rows],
             "name": "input at its high value", "marker": {"color": "#fd8d3c"},
             "meta": "sensitivity:high", "hovertemplate": "%{customdata:.4g}<extra></extra>"}]
    return go.Figure(data=data, layout=_layout(
        f"What moves {outcome}" + (f" (nominal {base:.4g})" if nominal is not None else ""),
        height=max(260, 90 + 34 * len(rows)), barmode="overlay",
        xaxis={"title": {"text": _e(outcome)}}, margin={"l": 240, "r": 20, "t": 60, "b": 50}))


def _number(x: object) -> float | None:
    if isinstance(x, bool) or not isinstance(x, int | float):
        return None
    return float(x) if np.isfinite(x) else None
