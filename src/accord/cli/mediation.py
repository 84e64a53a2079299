"""Mediation commands: `mediate` (any protocol of `accord.ops.mediation.PROTOCOLS`) and
`tournament`. Each parses its options, calls its operation and renders the result."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from .common import (
    JsonOpt,
    PartiesOpt,
    ScenarioArg,
    TimeLimitOpt,
    console,
    emit_json,
    finite,
    fmt_deal,
    fmt_u,
    guarded,
    ids,
    named_numbers,
    numbers,
    words,
)
from .progress import budget_for

PROTOCOL_NAMES = ("single-text", "alternating", "mediator")
"""The protocols offered, in `--help` order (checked against `accord.ops.mediation.PROTOCOLS`
by the tests, so that `--help` does not import it)."""


def mediate_cmd(
    scenario: ScenarioArg,
    protocol: Annotated[str, typer.Option(
        "--protocol", help=" | ".join(PROTOCOL_NAMES))] = "single-text",
    strategies: Annotated[list[str] | None, typer.Option(
        "--strategy", help="Alternating offers: a strategy per party, repeat the option "
                           "(boulware, linear, conceder, time:E, tit-for-tat, hardliner, "
                           "acceptor, spe).")] = None,
    rounds: Annotated[int | None, typer.Option(
        "--rounds", help="Rounds (proposals; default: the protocol's).")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
    discount: Annotated[str | None, typer.Option(
        "--discount", help="Alternating offers: discount per round, one or one per party "
                           "(default 1).")] = None,
    voters: Annotated[str | None, typer.Option(
        "--voters", help="Single text: hill-climber | annealer, one or one per party "
                         "(comma-separated; default hill-climber).")] = None,
    search: Annotated[str | None, typer.Option(
        "--search", help="Single text: the mediator's search, hill-climbing | annealing "
                         "(default annealing).")] = None,
    start: Annotated[str | None, typer.Option(
        "--start", help="Single text: first draft: middle | random | a proposal id "
                        "(default middle).")] = None,
    mediator: Annotated[str | None, typer.Option(
        "--mediator", help="Mediator: its actor id (default: the first actor with role "
                           "mediator).")] = None,
    bias: Annotated[str | None, typer.Option(
        "--bias", help="Mediator: lean towards parties, party=weight,...")] = None,
    prestige: Annotated[float | None, typer.Option(
        "--prestige", callback=finite, help="Mediator: value of a deal (default 1).")] = None,
    interest: Annotated[float | None, typer.Option(
        "--interest", callback=finite,
        help="Mediator: weight on its own utility (default 0).")] = None,
    sigma: Annotated[float | None, typer.Option(
        "--sigma", callback=finite,
        help="Mediator: its uncertainty about the parties' reservations (default 0.05).")
    ] = None,
    parties: PartiesOpt = None,
    as_json: JsonOpt = False,
    show: Annotated[int, typer.Option("--show", min=0, help="Trace steps to print.")] = 15,
    time_limit: TimeLimitOpt = None,
) -> None:
    """Simulate a negotiation process and report where it ends (with its whole trace)."""
    from ..ops.mediation import mediate, protocol_params

    given = {"strategies": strategies, "rounds": rounds,
             "discount": None if discount is None else numbers(discount, "discount"),
             "voters": None if voters is None else words(voters), "search": search,
             "start": start, "mediator": mediator, "bias": named_numbers(bias, "bias"),
             "prestige": prestige, "interest": interest, "sigma": sigma}
    protocol_params(protocol, **given)  # an option of another protocol fails here, at once
    with budget_for(time_limit, f"{protocol} rounds") as budget:
        result = mediate(scenario, protocol=protocol, parties=ids(parties, "parties"),
                         seed=seed, budget=budget, **given)
    if as_json:
        emit_json(result.to_dict())
        return
    render_mediation(result, show)


def render_mediation(r: Any, show: int) -> None:
    from rich.table import Table

    con = console()
    con.print(f"[bold]{r.protocol}[/bold] on {r.scenario_id} (seed {r.seed}): "
              + ("[green]agreement[/green]" if r.agreement else "[red]no agreement[/red]")
              + f" after {r.rounds} rounds")
    if r.outcome is not None:
        con.print(f"  deal: {fmt_deal(r.outcome.deal)}")
    con.print("  gains over BATNA: " + ", ".join(f"{a} {g:+.3f}" for a, g in r.gains.items()))
    nash = "n/a (no ZOPA)" if r.distance_to_nash is None else f"{r.distance_to_nash:.3f}"
    con.print(f"  distance to the Pareto frontier {r.distance_to_frontier:.3f}, "
              f"to the Nash solution {nash}")
    steps = r.trace[-show:] if show else []
    if steps:
        t = Table(title=f"Trace (last {len(steps)} of {len(r.trace)} steps)")
        t.add_column("round", justify="right")
        t.add_column("by")
        for a in r.parties:
            t.add_column(a, justify="right")
        t.add_column("responses")
        t.add_column("deal")
        for s in steps:
            t.add_row(str(s.round), s.proposer,
                      *[fmt_u(s.utilities[a]) if a in s.utilities else "" for a in r.parties],
                      ", ".join(f"{k}: {v}" for k, v in s.responses.items())
                      + (f" ({s.note})" if s.note else ""), fmt_deal(s.deal))
        con.print(t)


def tournament_cmd(
    scenario: ScenarioArg,
    strategies: Annotated[str, typer.Option(
        "--strategies", help="Comma-separated strategy names.")
    ] = "boulware,linear,conceder,tit-for-tat,hardliner,acceptor",
    repetitions: Annotated[int, typer.Option("--repetitions", min=1)] = 2,
    rounds: Annotated[int | None, typer.Option("--rounds", min=1)] = None,
    discount: Annotated[str, typer.Option("--discount")] = "1.0",
    seed: Annotated[int, typer.Option("--seed")] = 0,
    parties: PartiesOpt = None,
    as_json: JsonOpt = False,
    time_limit: TimeLimitOpt = None,
) -> None:
    """Every pairing of strategies by alternating offers: mean gains, agreement rate, mean
    distance to the Nash solution, ranked."""
    from ..ops.mediation import tournament

    names = [s.strip() for s in strategies.split(",") if s.strip()]
    extra = {} if rounds is None else {"rounds": rounds}
    with budget_for(time_limit, "negotiations") as budget:
        result = tournament(scenario, strategies=names, repetitions=repetitions,
                            discount=numbers(discount, "discount"),
                            parties=ids(parties, "parties"), seed=seed, budget=budget,
                            **extra)
    if as_json:
        emit_json(result.to_dict())
        return
    from rich.table import Table

    t = Table(title=f"Tournament on {result.scenario_id}: {len(result.pairings)} pairings x "
                    f"{repetitions} repetitions")
    for col in ("rank", "strategy", "mean gain", "agreement", "distance to Nash"):
        t.add_column(col, justify="left" if col == "strategy" else "right")
    for row in result.ranking:
        d = row["mean_distance_to_nash"]
        t.add_row(str(row["rank"]), row["strategy"], f"{row['mean_gain']:.3f}",
                  f"{row['agreement_rate']:.0%}", "-" if d is None else f"{d:.3f}")
    console().print(t)


def register(app: typer.Typer) -> None:
    """Add the mediation commands to the `accord` app."""
    app.command("mediate")(guarded(mediate_cmd))
    app.command("tournament")(guarded(tournament_cmd))
