"""`accord sweep S --samples N`: how robust each conclusion is to the uncertain inputs
(`accord.ops.sweeps`)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from ..defaults import SEED, SWEEP_SAMPLES
from .common import (
    JsonOpt,
    PartiesOpt,
    ScenarioArg,
    TimeLimitOpt,
    console,
    emit_json,
    guarded,
    ids,
)
from .progress import budget_for


def _pct(d: dict) -> str:
    p = d.get("probability")
    if p is None:
        return "-"
    lo, hi = d["ci"]
    return f"{p:.1%} [{lo:.1%}, {hi:.1%}]"


def _num(x: float | None, digits: int = 3) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def _dist(d: dict) -> str:
    kind = d["kind"]
    if kind == "choice":
        return "one of " + ", ".join(f"{v:g}" for v in d["values"])
    if kind == "uniform":
        return f"uniform {d['low']:g}..{d['high']:g}"
    if kind == "normal":
        return f"normal {d['mean']:g} sd {d['sd']:g} (clipped)"
    return f"triangular {d['low']:g}..{d['high']:g}, peak {d['mode']:g}"


def render(d: dict[str, Any], top: int) -> None:
    from rich.table import Table

    con = console()
    m = d["method"]
    con.print(f"[bold]Sweep of {d['scenario']}[/bold]: {d['samples']} draws, seed {d['seed']}, "
              f"{m['executor']} x{m['workers']} ({m['draws_per_second']} draws/s); "
              "probabilities with 95% Wilson intervals")
    t = Table(title="Uncertain inputs")
    for col in ("input", "distribution", "nominal", "drawn 5%..95%"):
        t.add_column(col, justify="left" if col in ("input", "distribution") else "right")
    for u in d["inputs"]:
        dr = u["drawn"]
        t.add_row(u["input"], _dist(u["distribution"]), f"{u['nominal']:g}",
                  f"{_num(dr['p5'])}..{_num(dr['p95'])}")
    con.print(t)
    z = d["zopa"]
    mg = z["margin"]
    con.print(f"ZOPA exists: {_pct(z)}; margin (smallest gain over the BATNAs in the best deal)"
              f" median {_num(mg['p50'])}, 5%..95% {_num(mg['p5'])}..{_num(mg['p95'])}")
    if d["proposals"]:
        actors = list(d["proposals"][0]["accepts"])
        t = Table(title="Proposals: probability of acceptance")
        t.add_column("proposal")
        t.add_column("agreement", justify="right")
        for a in actors:
            t.add_column(a, justify="right")
        for p in d["proposals"]:
            t.add_row(p["id"], _pct(p["agreement"]),
                      *[f"{p['accepts'][a]['probability']:.0%}" for a in actors])
        con.print(t)
    n = d["nash"]
    con.print(f"Nash solution exists: {_pct(n['exists'])}; {n['distinct']} distinct deals")
    if n["deals"]:
        t = Table(title="Most frequent Nash deals")
        t.add_column("share", justify="right")
        t.add_column("deal")
        for row in n["deals"][:5]:
            t.add_row(f"{row['probability']:.1%}",
                      ", ".join(f"{k}={v}" for k, v in row["deal"].items()))
        con.print(t)
        t = Table(title="Utilities in the Nash deal (draws where it exists)")
        for col in ("actor", "mean", "5%", "median", "95%"):
            t.add_column(col, justify="left" if col == "actor" else "right")
        for a, s in n["utilities"].items():
            t.add_row(a, _num(s["mean"]), _num(s["p5"]), _num(s["p50"]), _num(s["p95"]))
        con.print(t)
    if d.get("forecast"):
        f = d["forecast"]
        t = Table(title=f"Forecast ({f['model']}), in each issue's units")
        for col in ("issue", "mean", "5%", "median", "95%"):
            t.add_column(col, justify="left" if col == "issue" else "right")
        for i, s in f["issues"].items():
            t.add_row(i, _num(s["mean"], 1), _num(s["p5"], 1), _num(s["p50"], 1),
                      _num(s["p95"], 1))
        con.print(t)
    if d.get("mediation"):
        md = d["mediation"]
        con.print(f"Mediation ({md['protocol']}) ends in agreement: {_pct(md['agreement'])}")
    for table in d["sensitivity"]:
        t = Table(title=f"Tornado: {table['outcome']} (nominal {_num(table['nominal'])}), "
                        "each input from its 5% to its 95% quantile")
        for col in ("input", "at 5%", "at 95%", "swing", "correlation"):
            t.add_column(col, justify="left" if col == "input" else "right")
        for row in table["ranking"][:top]:
            t.add_row(row["input"], _num(row["outcome_low"]), _num(row["outcome_high"]),
                      _num(row["swing"]), _num(row["correlation"], 2))
        con.print(t)
    if m.get("out"):
        con.print(f"Every draw written to {m['out']}")


def sweep_cmd(
    scenario: ScenarioArg,
    samples: Annotated[int, typer.Option("--samples", "-n", help="Draws.")] = SWEEP_SAMPLES,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = SEED,
    workers: Annotated[int, typer.Option(
        "--workers", help="Local worker processes (or Dask LocalCluster workers with "
                          "--scheduler local).")] = 1,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="Run on Dask: a scheduler address (tcp://host:8786), or "
                            "'local' for a LocalCluster of --workers workers.")] = None,
    out: Annotated[str | None, typer.Option(
        "--out", "-o", help="Write every draw to FILE.csv or FILE.parquet.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace --out if it exists.")
                     ] = False,
    forecast: Annotated[str | None, typer.Option(
        "--forecast", help="Also forecast each draw: compromise | eu | smp | exchange."
    )] = None,
    mediation: Annotated[str | None, typer.Option(
        "--mediation", help="Also mediate each draw: single-text | alternating | "
                            "mediator.")] = None,
    no_sensitivity: Annotated[bool, typer.Option(
        "--no-sensitivity", help="Skip the one-at-a-time tornado.")] = False,
    top: Annotated[int, typer.Option("--top", min=1, help="Tornado rows to print.")] = 8,
    parties: PartiesOpt = None,
    as_json: JsonOpt = False,
    time_limit: TimeLimitOpt = None,
) -> None:
    """Draw scenarios from the distributions in the file and report how robust each
    conclusion is: the probability of a ZOPA, of each proposal's acceptance, the Nash
    deal's distribution, and which inputs matter most (tornado)."""
    from ..ops.sweeps import sweep

    with budget_for(time_limit, "sweep draws") as budget:
        result = sweep(scenario, samples=samples, seed=seed, parties=ids(parties, "parties"),
                       workers=workers, scheduler=scheduler, out=out, force=force,
                       forecast=forecast, mediation=mediation,
                       sensitivity=not no_sensitivity, budget=budget)
    if as_json:
        emit_json(result.to_dict())
        return
    render(result.to_dict(), top)


def register(app: typer.Typer) -> None:
    """Add the `sweep` command to the `accord` app."""
    app.command("sweep")(guarded(sweep_cmd))
