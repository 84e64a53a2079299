"""`accord report SCENARIO -o FILE`: write the HTML report of a scenario.

The command imports the report machinery (and plotly) only when it runs, so `accord --help`
stays fast.
"""

from __future__ import annotations

from typing import Annotated

import typer

from ..defaults import SEED
from .common import ScenarioArg, TimeLimitOpt, guarded, ids
from .progress import budget_for

OutputOpt = Annotated[str, typer.Option(
    "--output", "-o", help="The HTML file to write (its folder must exist).")]
SweepOpt = Annotated[int | None, typer.Option(
    "--sweep", min=1, help="Add the uncertainty sweep with this many samples.")]
SeedOpt = Annotated[int, typer.Option(
    "--seed", help="Random seed of the deal sample, forecasts, simulations and sweep.")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace the file if it exists.")]
PartiesOpt = Annotated[str | None, typer.Option(
    "--parties", help="Comma-separated actor ids to plot against each other, at least two "
                      "(default: the actors with a veto).")]


def report(scenario: str, output: str, sweep: int | None = None, seed: int = 0,
           force: bool = False, parties: str | None = None,
           time_limit: float | None = None) -> None:
    """Write one self-contained HTML file (works offline): the scenario and its sources,
    actors and issues, the utility-space plot with the Pareto frontier, ZOPA, solutions
    and proposals, forecasts, two simulated negotiations, and a plain-language summary."""
    from ..io import check_output, write_atomic
    from ..ops.source import scenario_of
    from ..report import build_report

    sc = scenario_of(scenario)
    names = ids(parties, "parties")
    check_output(output, force)  # fail before any work; write_atomic checks again
    with budget_for(time_limit, "report sections") as budget:
        page = build_report(sc, parties=names, sweep=sweep, seed=seed, budget=budget)
    write_atomic(output, page, overwrite=force)
    size = len(page.encode("utf-8")) / 1e6
    print(f"wrote {output} ({size:.1f} MB): open it in any browser, no network needed")


def report_cmd(scenario: ScenarioArg, output: OutputOpt, sweep: SweepOpt = None,
               seed: SeedOpt = SEED, force: ForceOpt = False, parties: PartiesOpt = None,
               time_limit: TimeLimitOpt = None) -> None:
    """Write a self-contained HTML report of a scenario: sources, actors, the utility-space
    plot (frontier, ZOPA, solutions, proposals), forecasts, simulated negotiations,
    optional uncertainty sweep, and a plain-language summary. Works offline."""
    report(scenario, output, sweep, seed, force, parties, time_limit)


def register(app: typer.Typer) -> None:
    """Add the `report` command to the `accord` app."""
    app.command("report")(guarded(report_cmd))
