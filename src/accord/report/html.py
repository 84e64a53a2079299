"""The report page: one self-contained HTML file with plotly.js inlined once.

`render(data)` lays out the sections of a `ReportData`; `report_figures(data)` gives the
same figures as plotly objects (for the web app and for tests). Every piece of scenario text
is escaped (`accord.report.markup.esc`); the page loads nothing from the network.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .. import __version__
from .data import ReportData, fmt_count
from .figures import (
    SOLUTION_STYLE,
    forecast_figure,
    frontier_parallel_figure,
    mediation_figure,
    pairwise_figures,
    positions_figure,
    utility_space_figure,
)
from .markup import (
    LOADER_JS,
    Markup,
    deal_html,
    esc,
    figure_html,
    fmt_u,
    join,
    table,
    tag,
)
from .summary import assumptions, findings
from .uncertainty import sweep_placeholder, sweep_section

FRONTIER_ROWS = 200
MODEL_NAMES = {"compromise": "compromise baseline", "eu": "expected-utility model"}
COMPACT_CLOUD = 2_000
"""Deal clouds with more points store their hover text compactly (see `accord.report.figures`)."""

CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;
margin:0;background:#fafafa}
main{max-width:1100px;margin:0 auto;padding:1rem 1.5rem 4rem;background:#fff}
h1{font-size:1.7rem;margin:.5rem 0 .2rem}h2{border-bottom:2px solid #eee;padding-top:1rem}
.meta,.muted{color:#666}.disclaimer{background:#fff8e1;border-left:4px solid #f0b400;
padding:.5rem .8rem}.finding{background:#f3f8ff;border-left:4px solid #1f77b4;
padding:.4rem .8rem;margin:.4rem 0}
nav ul{columns:3;padding-left:1.2rem}.scroll{overflow-x:auto}
table.data{border-collapse:collapse;margin:.6rem 0 1rem;font-size:.88rem}
table.data th,table.data td{border-bottom:1px solid #e4e4e4;padding:.25rem .5rem;
vertical-align:top;text-align:left;
max-width:28rem}table.data th{background:#f5f5f5}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}caption{text-align:left;
font-weight:600;padding:.2rem 0}.k{color:#555}.yes{color:#1a7f37;font-weight:600}
.no{color:#b42318;font-weight:600}figure{margin:1rem 0}figcaption{color:#555;font-size:.9rem}
.plot{min-height:300px}details{margin:.5rem 0}
"""

SECTIONS = (("summary", "What the model says"), ("scenario", "Scenario and sources"),
            ("actors", "Actors and issues"), ("utility-space", "Utility space"),
            ("proposals", "Proposals"), ("solutions", "Solutions and frontier"),
            ("forecast", "Forecasts"), ("mediation", "Mediation"),
            ("sweep", "Uncertainty sweep"), ("assumptions", "What it assumes"))


def _yes(flag: bool, yes: str = "yes", no: str = "no") -> Markup:
    return tag("span", yes if flag else no, class_="yes" if flag else "no")


def _section(key: str, body: object) -> Markup:
    title = dict(SECTIONS)[key]
    return Markup(f'<section id="{key}">{tag("h2", title)}{esc(body)}</section>')


def _header(data: ReportData) -> Markup:
    s = data.scenario
    meta = (f"Scenario {s.id}; parties {', '.join(data.parties)}; "
            f"{fmt_count(data.space.outcomes)} possible deals; seed {data.seed}; "
            f"Accord {__version__}")
    toc = join(Markup(f'<li><a href="#{k}">{esc(t)}</a></li>') for k, t in SECTIONS)
    return join([tag("h1", s.title), tag("p", meta, class_="meta"),
                 Markup(f"<nav><ul>{toc}</ul></nav>")])


def _summary(data: ReportData) -> Markup:
    return join(tag("p", text, class_="finding") for text in findings(data))


def _source_item(sid: str, src: Any) -> Markup:
    bits: list[object] = [tag("b", f"[{sid}]"), " ", src.title]
    for extra in (src.author, src.publisher, src.date):
        if extra:
            bits += [", ", str(extra)]
    if src.url:
        url = str(src.url)
        if url.lower().startswith(("https://", "http://")):
            bits += [" ", Markup(f'<a href="{esc(url)}" rel="noopener noreferrer">'
                                 f"{esc(url)}</a>")]
        else:
            bits += [" ", url]
    if src.note:
        bits += [Markup("<br>"), tag("span", src.note, class_="muted")]
    return tag("li", join(bits))


def _scenario(data: ReportData) -> Markup:
    s = data.scenario
    parts: list[object] = []
    if s.summary:
        parts.append(tag("p", s.summary))
    if s.disclaimer:
        parts.append(tag("p", s.disclaimer, class_="disclaimer"))
    if s.sources:
        parts.append(tag("h3", "Sources"))
        parts.append(tag("ul", join(_source_item(k, v) for k, v in s.sources.items())))
    else:
        parts.append(tag("p", "The scenario lists no sources.", class_="muted"))
    if s.notes:
        parts.append(tag("h3", "Notes"))
        parts.append(tag("ul", join(tag("li", n) for n in s.notes)))
    return join(parts)


def _actors(data: ReportData) -> Markup:
    s, space = data.scenario, data.space
    issues = list(space.issue_ids)
    rows = []
    for k, a in enumerate(s.actors):
        name = a.title or ""
        if a.interactions:
            name += f" (+{len(a.interactions)} interaction terms)"
        rows.append([a.id, name, a.role, _yes(a.has_veto), fmt_u(a.batna), f"{a.capability:g}",
                     *[f"{100 * space.weights[k, i]:.0f}%" for i in range(len(issues))]])
    actors = table(["actor", "name", "role", "veto", "BATNA", "capability", *issues], rows,
                   numeric=range(4, 6 + len(issues)),
                   caption="Actors: BATNA is the utility of no agreement (0-1); the issue "
                           "columns are each actor's salience, its share of attention")
    irows = []
    for issue in s.issues:
        if issue.options is not None:
            what = join((join([tag("b", o.id), f": {o.title}"]) if o.title else tag("b", o.id)
                         for o in issue.options), "<br>")
        else:
            lo, hi = issue.range  # type: ignore[misc]
            what = f"{lo:g} to {hi:g}, step {issue.grid_step:g}"
            if issue.unit:
                what += f" ({issue.unit})"
        irows.append([issue.id, issue.title or "", what, issue.description or ""])
    head = ["issue", "title", "options (pole to pole) or range", "description"]
    if not any(r[3] for r in irows):
        head, irows = head[:3], [r[:3] for r in irows]
    issues_t = table(head, irows, caption="Issues")
    return join([actors, issues_t])


def _utility_space(data: ReportData, figs: dict[str, Any]) -> Markup:
    a = data.analysis
    cloud = data.cloud
    how = (f"a seeded random sample of {len(cloud.deals):,} of the {fmt_count(cloud.total)} "
           f"deals (seed {cloud.seed})" if cloud.sampled
           else f"all {fmt_count(cloud.total)} deals")
    intro = (f"Each grey point is a deal ({how}; points with the same utilities are merged), "
             "placed by what it is worth to each party. The dashed lines are the BATNAs; the "
             "shaded box is where every plotted party gets at least its BATNA. The orange "
             "line is the Pareto frontier: no deal beyond it exists. Markers show the four "
             "bargaining solutions, the proposals (green when every veto actor accepts) and "
             "where the two simulated negotiations ended. Hover over a point to see its deal.")
    parts: list[object] = [tag("p", intro)]
    if len(a.parties) > 2:
        parts.append(tag("p", "With more than two parties each plot is a projection onto two "
                              "of them: a deal inside the box of one plot may still leave a "
                              "third party short. The parallel-coordinates view shows the "
                              "whole frontier at once."))
    for key, fig in figs.items():
        if key.startswith("utility-space") or key == "frontier-parallel":
            parts.append(figure_html(fig, key))
    return join(parts)


def _proposals(data: ReportData) -> Markup:
    a = data.analysis
    if not a.proposals:
        return tag("p", "The scenario has no proposals.", class_="muted")
    actors = list(a.actors)
    parties = list(a.parties)
    what = []
    for e in a.proposals:
        prop = data.scenario.proposal(e.id) if e.id else None
        by = prop.by if prop is not None and prop.by else ""
        note = prop.note if prop is not None and prop.note else ""
        what.append([tag("b", e.id or "deal"), e.title or "", by,
                     deal_html(e.to_dict()["deal"]), tag("span", note, class_="muted")])
    what_t = table(["proposal", "title", "by", "deal", "note"], what,
                   caption="The proposals on the table")
    scores = []
    for e in a.proposals:
        d = e.to_dict()
        status = (_yes(True, "agreement") if e.agreement
                  else join([_yes(False, no="vetoed"), " by ", ", ".join(e.vetoed_by)]))
        scores.append([tag("b", e.id or "deal"),
                       *[fmt_u(d["utilities"][x]) + (" \u2713" if x in e.accepted_by else "")
                         for x in actors],
                       *[f"{e.point.gains[p]:+.3f}" for p in parties],
                       status, _yes(e.win_win), _yes(e.pareto_optimal)])
    n = len(actors) + len(parties)
    scores_t = table(["proposal", *actors, *[f"gain {p}" for p in parties], "agreement",
                      "win-win", "Pareto-optimal"], scores, numeric=range(1, 1 + n),
                     caption="Every actor's utility (\u2713 = accepts: utility at least its "
                             "BATNA) and each party's gain over its BATNA; an agreement needs "
                             "every actor with a veto")
    better = []
    for e in a.proposals:
        imp = e.improvement
        if imp is None:
            continue
        better.append([tag("b", e.id or "deal"), deal_html(imp.deal),
                       *[f"{imp.utilities[p]:.3f} ({imp.utilities[p] - e.point.utilities[p]:+.3f})"
                         for p in parties]])
    parts = [what_t, scores_t]
    if better:
        parts.append(table(["proposal", "a deal every party prefers", *parties], better,
                           numeric=range(2, 2 + len(parties)),
                           caption="Proposals that are not Pareto-optimal, and the frontier deal "
                                   "that improves them for every party by the largest common "
                                   "margin (Raiffa's post-settlement settlement)"))
    return join(parts)


def _solutions(data: ReportData) -> Markup:
    a = data.analysis
    parties = list(a.parties)
    rows = []
    for key, (label, *_rest) in SOLUTION_STYLE.items():
        p = a.solutions.get(key)
        if p is None:
            rows.append([label, "-", *["-" for _ in parties], "none: the ZOPA is empty"])
        else:
            rows.append([label, fmt_u(a.criteria.get(key), 4),
                         *[fmt_u(p.utilities[x]) for x in parties], deal_html(p.deal)])
    sol = table(["solution", "criterion", *parties, "deal"], rows,
                numeric=range(1, 2 + len(parties)),
                caption="Solutions over pure deals, disagreement point = the BATNAs")
    shown = a.frontier[:FRONTIER_ROWS]
    more = (f" (the first {FRONTIER_ROWS} of {len(a.frontier)})"
            if len(a.frontier) > FRONTIER_ROWS else "")
    ft = table([*parties, "in ZOPA", "deal"],
               [[*[fmt_u(p.utilities[x]) for x in parties],
                 "yes" if p.in_zopa else "",
                 deal_html(p.deal)] for p in shown], numeric=range(len(parties)))
    details = Markup(f"<details><summary>Pareto frontier: {len(a.frontier)} deals{esc(more)}"
                     f"</summary>{ft}</details>")
    return join([sol, details])


def _nearest_option(data: ReportData, issue: str, value: object) -> str:
    """For a discrete issue (0..100 pole to pole in the forecast), the option nearest value."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return ""
    try:
        iss = data.scenario.issue(issue)
    except KeyError:
        return ""
    if iss.options is None:
        return ""
    n = len(iss.options)
    k = min(n - 1, max(0, round(float(value) / 100 * (n - 1)))) if n > 1 else 0
    return iss.options[k].id


def _forecast(data: ReportData, figs: dict[str, Any]) -> Markup:
    f = data.forecasts
    parts: list[object] = [tag("p", "Two stakeholder models forecast where each issue lands: "
                                    "the compromise baseline (capability- and "
                                    "salience-weighted mean position) and Bueno de Mesquita's "
                                    "expected-utility model (round by round). Positions are in "
                                    "each issue's units; a discrete issue runs 0 to 100 from "
                                    "its first option to its last.")]
    errors = [tag("p", f"The {m} model could not run: {v}", class_="muted")
              for m, v in f.items() if isinstance(v, str)]
    parts += errors
    ok = {m: v for m, v in f.items() if isinstance(v, dict)}
    if ok:
        issues: list[str] = []
        for v in ok.values():
            for i in v.get("issues", []):
                if i not in issues:
                    issues.append(i)
        models = list(ok)
        rows = []
        for i in issues:
            row: list[object] = [i]
            for m in models:
                x = ok[m].get("forecast", {}).get(i)
                near = _nearest_option(data, i, x)
                row.append(fmt_u(x, 1) + (f" ({near})" if near else ""))
            rows.append(row)
        parts.append(table(["issue", *[MODEL_NAMES.get(m, m) for m in models]], rows,
                           numeric=range(1, 1 + len(models)),
                           caption="Predicted outcome per issue (nearest option in brackets)"))
    for key in ("forecast-eu", "positions-eu"):
        if key in figs:
            parts.append(figure_html(figs[key], key))
    return join(parts)


def _mediation(data: ReportData, figs: dict[str, Any]) -> Markup:
    parties = list(data.parties)
    parts: list[object] = [tag("p", "Two simulated processes, with default settings: Fisher's "
                                    "single negotiating text (a mediator drafts and revises, "
                                    "the parties only vote) and alternating offers between "
                                    "Boulware negotiators (who concede late). Both are seeded, "
                                    "so the report is reproducible; other seeds can end "
                                    "elsewhere.")]
    rows = []
    for name, r in data.mediation.items():
        if isinstance(r, str):
            rows.append([name, "could not run: " + r, "", *["" for _ in parties], "", ""])
            continue
        nash = "-" if r.distance_to_nash is None else fmt_u(r.distance_to_nash)
        end = deal_html(r.outcome.deal) if r.outcome is not None else "no agreement"
        rows.append([name, end, str(r.rounds), *[f"{r.gains[p]:+.3f}" for p in parties],
                     fmt_u(r.distance_to_frontier), nash])
    parts.append(table(["process", "ends on", "rounds", *[f"gain {p}" for p in parties],
                        "distance to frontier", "distance to Nash"], rows,
                       numeric=range(2, 5 + len(parties)),
                       caption="Where each simulated negotiation ends (gains over the BATNAs; "
                               "distances in the parties' utility space)"))
    for name in data.mediation:
        key = f"mediation-{name}"
        if key in figs:
            parts.append(figure_html(figs[key], key))
    return join(parts)


def report_figures(data: ReportData) -> dict[str, Any]:
    """Every figure of the report (except the sweep's), by key: `utility-space` (two
    parties) or `utility-space-<a>-<b>` per pair plus `frontier-parallel` (three or more),
    `forecast-eu`, `positions-eu`, `mediation-<protocol>`."""
    a = data.analysis
    med = {k: v for k, v in data.mediation.items() if not isinstance(v, str)}
    compact = len(data.cloud.deals) > COMPACT_CLOUD
    figs: dict[str, Any] = {}
    if len(a.parties) == 2:
        figs["utility-space"] = utility_space_figure(data.space, a, cloud=data.cloud,
                                                     mediations=med, compact=compact)
    else:
        for (x, y), fig in pairwise_figures(data.space, a, cloud=data.cloud, mediations=med,
                                            compact=compact):
            figs[f"utility-space-{x}-{y}"] = fig
        figs["frontier-parallel"] = frontier_parallel_figure(a)
    for model, result in data.forecasts.items():
        if isinstance(result, dict):
            for key, build in (("forecast", forecast_figure), ("positions", positions_figure)):
                fig = build(result)
                if fig is not None:
                    figs[f"{key}-{model}"] = fig
    for name, r in med.items():
        figs[f"mediation-{name}"] = mediation_figure(r, a.batna)
    return figs


def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def render(data: ReportData, figures: dict[str, Any] | None = None) -> str:
    """The whole page for `data` (figures from `report_figures` unless given)."""
    figs = figures if figures is not None else report_figures(data)
    sweep = sweep_section(data.sweep) if data.sweep is not None else sweep_placeholder()
    sections: Sequence[Markup] = (
        _section("summary", _summary(data)),
        _section("scenario", _scenario(data)),
        _section("actors", _actors(data)),
        _section("utility-space", _utility_space(data, figs)),
        _section("proposals", _proposals(data)),
        _section("solutions", _solutions(data)),
        _section("forecast", _forecast(data, figs)),
        _section("mediation", _mediation(data, figs)),
        _section("sweep", sweep),
        _section("assumptions", tag("ul", join(tag("li", t) for t in assumptions(data)))),
    )
    title = esc(f"{data.scenario.title} - Accord report")
    foot = tag("p", f"Generated by Accord {__version__} from scenario {data.scenario.id} "
                    f"with seed {data.seed}. A model of stated positions, not a forecast: "
                    "change the numbers and run it again.", class_="muted")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<meta name=\"generator\" content=\"Accord {esc(__version__)}\">\n"
        f"<title>{title}</title>\n<style>{CSS}</style>\n"
        f"<script type=\"text/javascript\">{_plotly_js()}</script>\n</head>\n<body>\n<main>\n"
        f"{_header(data)}\n{''.join(sections)}\n<footer>{foot}</footer>\n</main>\n"
        f"<script type=\"text/javascript\">{LOADER_JS}</script>\n</body>\n</html>\n"
    )


__all__ = ["render", "report_figures"]
