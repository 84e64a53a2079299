"""The `forecast` command: any stakeholder model on any source of stakeholder data
(`accord.ops.forecasting`), with the compromise baseline beside it."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from .common import JsonOpt, TimeLimitOpt, console, emit_json, guarded
from .progress import budget_for


def forecast_cmd(
    source: Annotated[str, typer.Argument(
        help="A built-in scenario id, a YAML/JSON scenario, or a stakeholder data file (BDM "
             "table, KTAB SMP CSV, Decide #A/#P/#M/#D file).", metavar="SOURCE")],
    model: Annotated[str, typer.Option(
        "--model", help="compromise | eu (Bueno de Mesquita) | smp (KTAB) | exchange "
                        "(Stokman)")] = "compromise",
    rounds: Annotated[int | None, typer.Option("--rounds", help="Rounds (model default "
                                                                "if omitted).")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
    variant: Annotated[str | None, typer.Option(
        "--variant", help="eu: replication (default) | clean.")] = None,
    as_json: JsonOpt = False,
    time_limit: TimeLimitOpt = None,
) -> None:
    """Forecast where positions move and where each issue's decision lands, with the
    compromise baseline beside it. Positions are in each issue's own units."""
    from ..ops.forecasting import forecast

    with budget_for(time_limit, f"{model} forecast rounds") as budget:
        result = forecast(source, model=model, rounds=rounds, seed=seed, variant=variant,
                          budget=budget)
    if as_json:
        emit_json(result.to_dict())
        return
    render_forecast(result.to_dict())


def render_forecast(d: dict[str, Any]) -> None:
    from rich.table import Table

    con = console()
    t = Table(title=f"{d['model']} forecast: {d['source']}")
    for col in ("issue", "compromise baseline", "forecast"):
        t.add_column(col, justify="left" if col == "issue" else "right")
    for issue in d["issues"]:
        f = d["forecast"][issue]
        t.add_row(issue, f"{d['baseline'][issue]:.4g}", "-" if f is None else f"{f:.4g}")
    con.print(t)
    rounds = d.get("rounds") or []
    if len(rounds) > 1:
        rt = Table(title="Predicted outcome by round")
        rt.add_column("round", justify="right")
        for issue in d["issues"]:
            rt.add_column(issue, justify="right")
        for r in rounds:
            rt.add_row(str(r["round"]), *["-" if r["outcome"][i] is None
                                          else f"{r['outcome'][i]:.4g}" for i in d["issues"]])
        con.print(rt)


def register(app: typer.Typer) -> None:
    """Add the `forecast` command to the `accord` app."""
    app.command("forecast")(guarded(forecast_cmd))
