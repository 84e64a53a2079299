"""The report's uncertainty-sweep section, rendered from the sweep result's dict.

The sweep (`accord.sweep.run_sweep(...).to_dict()`) samples the uncertain inputs of a
scenario and re-runs the analysis on every sample. Its dict is read defensively: a missing
or malformed part is skipped (or shown as '-'), never an error, so the section keeps working
while the sweep's format settles. Expected shape (all keys optional):

    {"samples": N, "seed": s,
     "inputs": [{"input" (or "path"), "distribution": {...}, "nominal", "drawn": {stats}}],
     "zopa": {"probability", "ci": [lo, hi], "margin": {stats}},
     "proposals": [{"id", "title", "agreement": {"probability", "ci"},
                    "accepts": {actor: {"probability", "ci"}}, "margin": {stats}}],
     "nash": {"exists": {"probability", "ci"},
              "deals": [{"deal": {issue: option}, "probability"}],
              "utilities": {actor: {stats}}},
     "sensitivity": [{"outcome", "nominal",
                      "ranking": [{"input", "low", "high", "outcome_low", "outcome_high",
                                   "swing", "correlation"}]}]}

where {stats} is {"mean", "sd", "p5", "p50", "p95", ...}. In the older shape a ranking row's
`low` / `high` were the outcome values; both are read.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from .markup import Markup, deal_html, figure_html, join, table, tag


def _num(x: object) -> float | None:
    if isinstance(x, bool) or not isinstance(x, int | float):
        return None
    return float(x) if math.isfinite(x) else None


def _map(x: object) -> Mapping[str, Any]:
    return x if isinstance(x, Mapping) else {}


def _list(x: object) -> list:
    return list(x) if isinstance(x, list | tuple) else []


def pct(x: object) -> str:
    v = _num(x)
    return "-" if v is None else f"{100 * v:.1f}%"


def prob(x: object) -> str:
    """{"probability": p, "ci": [lo, hi]} (or a bare number) as '62.0% (95% CI 55.1-68.3%)'."""
    if _num(x) is not None:
        return pct(x)
    d = _map(x)
    p = pct(d.get("probability"))
    ci = _list(d.get("ci"))
    if len(ci) == 2 and _num(ci[0]) is not None and _num(ci[1]) is not None:
        p += f" (95% CI {pct(ci[0])} to {pct(ci[1])})"
    return p


def _real(x: object) -> str:
    v = _num(x)
    return "-" if v is None else f"{v:.3g}" if abs(v) >= 1e-3 or v == 0 else f"{v:.2e}"


def _distribution(d: object) -> str:
    if isinstance(d, Mapping):
        return ", ".join(f"{k}={_real(v) if _num(v) is not None else v}" for k, v in d.items())
    return "" if d is None else str(d)


def _spread(stats: object) -> str:
    """Sample statistics as 'mean 0.6 (5%-95%: 0.53 to 0.67)'."""
    s = _map(stats)
    if _num(s.get("mean")) is None:
        return "-"
    out = f"mean {_real(s.get('mean'))}"
    if _num(s.get("p5")) is not None and _num(s.get("p95")) is not None:
        out += f" (5%-95%: {_real(s.get('p5'))} to {_real(s.get('p95'))})"
    return out


def _inputs(rows: list) -> Markup:
    body = [(r.get("input", r.get("path", "?")), _distribution(r.get("distribution")),
             _real(r.get("nominal")), _spread(r.get("drawn")))
            for r in rows if isinstance(r, Mapping)]
    if not body:
        return Markup("")
    return table(["input", "distribution", "nominal", "drawn"], body, numeric=[2],
                 caption="Uncertain inputs and how they were sampled")


def _proposals(rows: list) -> Markup:
    rows = [r for r in rows if isinstance(r, Mapping)]
    if not rows:
        return Markup("")
    actors: list[str] = []
    for r in rows:
        for a in _map(r.get("accepts")):
            if a not in actors:
                actors.append(str(a))
    body = [[r.get("id", "?"), prob(r.get("agreement")), _spread(r.get("margin"))]
            + [prob(_map(r.get("accepts")).get(a)) for a in actors] for r in rows]
    return table(["proposal", "P(agreement)", "margin", *[f"P({a} accepts)" for a in actors]],
                 body, numeric=range(1, 3 + len(actors)),
                 caption="How often each proposal is an agreement (every veto actor accepts); "
                         "margin: the smallest gain over a veto actor's BATNA")


def _nash(d: Mapping[str, Any]) -> Markup:
    if not d:
        return Markup("")
    parts = [tag("p", f"The Nash solution exists (there is a deal every party prefers to its "
                      f"BATNA) in {prob(d.get('exists'))} of the samples.")]
    deals = [r for r in _list(d.get("deals")) if isinstance(r, Mapping)]
    if deals:
        parts.append(table(["Nash deal", "share of samples"],
                           [(deal_html(dict(_map(r.get("deal")))), pct(r.get("probability")))
                            for r in deals], numeric=[1],
                           caption="Where the Nash solution lands"))
    utils = _map(d.get("utilities"))
    if utils:
        keys = ("mean", "sd", "p5", "p50", "p95")
        parts.append(table(["actor", *keys],
                           [[a, *(_real(_map(s).get(k)) for k in keys)]
                            for a, s in utils.items()], numeric=range(1, 6),
                           caption="Utility of the Nash deal across samples"))
    return join(parts)


def _sensitivity(rows: list) -> Markup:
    from .figures import sensitivity_figure

    parts = []
    for n, block in enumerate(r for r in rows if isinstance(r, Mapping)):
        outcome = str(block.get("outcome", f"outcome {n + 1}"))
        ranking = [r for r in _list(block.get("ranking")) if isinstance(r, Mapping)]
        if not ranking:
            continue
        nominal = block.get("nominal")
        head = f"What moves {outcome}"
        if _num(nominal) is not None:
            head += f" (nominal value {_real(nominal)})"
        parts.append(tag("h4", head))
        if any("outcome_low" in r or "outcome_high" in r for r in ranking):
            cols = ["input", "low", "high", "outcome at low", "outcome at high", "swing",
                    "correlation"]
            keys = ("low", "high", "outcome_low", "outcome_high", "swing", "correlation")
        else:
            cols = ["input", "correlation", "outcome at low", "outcome at high", "swing"]
            keys = ("correlation", "low", "high", "swing")
        fig = sensitivity_figure(outcome, ranking, _num(nominal))
        if fig is not None:
            parts.append(figure_html(fig, f"sensitivity-{n}-{outcome}"))
        t = table(cols, [(r.get("input", "?"), *(_real(r.get(k)) for k in keys))
                         for r in ranking], numeric=range(1, len(cols)))
        parts.append(Markup(f"<details><summary>All {len(ranking)} inputs</summary>{t}"
                            "</details>"))
    return join(parts)


def sweep_section(d: object) -> Markup:
    """The body of the sweep section for a sweep dict (see the module doc for its shape)."""
    if not isinstance(d, Mapping):
        return tag("p", "The sweep returned nothing this report can read.")
    samples, seed = d.get("samples"), d.get("seed")
    intro = "The uncertain inputs below were sampled"
    if _num(samples) is not None:
        intro += f" {int(samples):,} times"  # type: ignore[arg-type]
    if seed is not None:
        intro += f" (seed {seed})"
    intro += (" and the analysis was run on every sample. Each share comes with a 95% "
              "confidence interval for the sampling error; it says nothing about inputs "
              "left fixed.")
    parts = [tag("p", intro), _inputs(_list(d.get("inputs")))]
    zopa = d.get("zopa")
    if zopa is not None:
        text = f"A zone of possible agreement exists in {prob(zopa)} of the samples."
        margin = _map(zopa).get("margin")
        if margin is not None:
            text += (" The ZOPA margin (the largest smallest gain over the parties' BATNAs; "
                     f"negative when there is no ZOPA): {_spread(margin)}.")
        parts.append(tag("p", text, class_="finding"))
    parts.append(_proposals(_list(d.get("proposals"))))
    parts.append(_nash(_map(d.get("nash"))))
    parts.append(_sensitivity(_list(d.get("sensitivity"))))
    return join(parts)


def sweep_placeholder() -> Markup:
    return tag("p", "Not run. `accord report SCENARIO -o FILE --sweep N` samples the uncertain "
                    "inputs N times and adds how often the ZOPA exists, how often each "
                    "proposal is agreed, where the Nash deal lands and which inputs matter "
                    "most.", class_="muted")


__all__ = ["sweep_section", "sweep_placeholder", "prob", "pct"]
