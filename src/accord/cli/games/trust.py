"""`accord trust`: repeated prisoner's dilemma, computed exactly: thresholds of cooperation,
a round-robin tournament, which strategies spread, and (with --track2) how much contact
makes cooperation stable (`accord.ops.games.trust`); renders the result's JSON form."""

from __future__ import annotations

from typing import Annotated

import typer

from ...errors import InputError, Problem
from ..common import JsonOpt, TimeLimitOpt, console, emit_json, finite, guarded
from ..progress import budget_for


def trust_cmd(
    file: Annotated[str | None, typer.Argument(
        help="A trust YAML/JSON file, or a scenario (path or built-in id) with "
             "games: {trust: ...}. Optional.", metavar="FILE")] = None,
    strategies: Annotated[str | None, typer.Option(
        "--strategies", help="Comma-separated strategy names (see --list); gtft:G, "
                             "random:P and m1:pCC/pCD/pDC/pDD[/first] too.")] = None,
    noise: Annotated[float | None, typer.Option(
        "--noise", callback=finite,
        help="Probability that a move is flipped (0..0.5).")] = None,
    continuation: Annotated[float | None, typer.Option(
        "--continuation", "-w", callback=finite,
        help="Probability w that the game goes on after each round; 1 = long-run "
             "average.")] = None,
    turns: Annotated[int | None, typer.Option(
        "--turns", help="Fixed number of rounds (default 200, as Axelrod).")] = None,
    payoffs: Annotated[str | None, typer.Option(
        "--payoffs", help="T,R,P,S (default 5,3,1,0).")] = None,
    population: Annotated[int | None, typer.Option(
        "--population", help="Moran population size (default 50).")] = None,
    track2: Annotated[bool, typer.Option(
        "--track2", help="Also find how much back-channel contact makes cooperation "
                         "stable (the file's track2 model, else the default one).")
    ] = False,
    list_strategies: Annotated[bool, typer.Option(
        "--list", help="List the built-in strategies and exit.")] = False,
    as_json: JsonOpt = False,
    time_limit: TimeLimitOpt = None,
) -> None:
    """Repeated prisoner's dilemma, exactly: thresholds of cooperation, a round-robin
    tournament, which strategies spread (replicator, Moran), and with --track2 how much
    contact makes cooperation stable."""
    from ...ops.games import trust, trust_spec

    if list_strategies:
        _list(as_json)
        return
    names = None
    if strategies is not None:
        names = [n.strip() for n in strategies.split(",") if n.strip()]
        if not names:
            raise InputError([Problem.of_parameter(
                "strategies", "give comma-separated strategy names (`accord trust --list` "
                              "shows them)")])
    options = dict(strategies=names, noise=noise, continuation=continuation, turns=turns,
                   payoffs=payoffs, population=population, track2=track2)
    trust_spec(file, **options)  # bad options fail here, before any work
    with budget_for(time_limit, "strategy pairs") as budget:
        result = trust(file, budget=budget, **options).to_dict()
    if as_json:
        emit_json(result)
        return
    _render(result)


def _game_line(d: dict) -> str:
    g = d["game"]
    if g["turns"] is not None:
        game = f"{g['turns']} turns"
    elif g["continuation"] >= 1.0:
        game = "long-run average (w -> 1)"
    else:
        w = g["continuation"]
        game = f"continuation w = {w:g} (expected {1 / (1 - w):.4g} rounds)"
    return game + (f", noise {g['noise']:g}" if g["noise"] else ", no noise")


def _render(d: dict) -> None:
    from rich.markup import escape
    from rich.table import Table

    con = console()
    p = d["payoffs"]
    title = d["title"] or "Repeated prisoner's dilemma"
    con.print(f"[bold]{escape(title)}[/bold]")
    con.print(f"Payoffs T={p['T']:g} R={p['R']:g} P={p['P']:g} S={p['S']:g}; "
              + _game_line(d) + ". Exact expected values (Markov chain), not simulation.")
    for key, label in (("grim", "grim trigger sustains cooperation iff w >= (T-R)/(T-P)"),
                       ("tft", "tit-for-tat is collectively stable iff w >= "
                               "max((T-R)/(T-P), (T-R)/(R-S))")):
        th = d["thresholds"][key]
        val = th["fraction"] or f"{th['w']:.4g}"
        met = "" if th["met"] is None else ("  [green]met[/green]" if th["met"]
                                            else "  [red]not met[/red]")
        con.print(f"  {label} = {val}{met}")
    tr = d["tournament"]
    per = "per round"
    t = Table(title=f"Round robin, {'with' if tr['self_play'] else 'without'} self-play, "
                    f"payoff {per}")
    cols = ["#", "strategy", "score", "excl. self", "coop", "wins"]
    eq = bool(tr["equilibrium"])
    if eq:
        cols.append("NE")
    cols += ["repl.", "Moran"]
    for c in cols:
        t.add_column(c, justify="left" if c in ("strategy", "equilibrium") else "right")
    evo = d["evolution"]
    mo = evo["moran"]
    w = tr["continuation"]
    scale = 1.0 - w if w is not None and w < 1 else 1.0  # a total -> per round
    for r in tr["ranking"]:
        row = [str(r["rank"]), escape(r["strategy"]), f"{r['score']:.4f}",
               f"{r['score_vs_others']:.4f}", f"{r['cooperation']:.0%}", str(r["wins"])]
        if eq:
            e = tr["equilibrium"][r["strategy"]]
            row.append("yes" if e["stable"] else "no")
        row += [f"{evo['replicator']['final'][r['strategy']]:.1%}",
                "-" if mo is None else f"{mo['stationary'][r['strategy']]:.1%}"]
        t.add_row(*row)
    con.print(t)
    moran_text = "" if mo is None else (
        f"; Moran: time spent at each strategy with rare mutations (population "
        f"{mo['population']}, selection {mo['intensity']:g}, {mo['fitness']} fitness; "
        f"neutral fixation 1/N = {mo['neutral']:.3g})")
    con.print(f"  repl.: replicator dynamics, shares after time {evo['replicator']['time']:g} "
              f"from equal shares{moran_text}.")
    con.print("  score: expected payoff per round; excl. self: without the match against "
              "its twin (as the axelrod library ranks); coop: share of rounds it cooperates; "
              "wins: opponents it outscores.")
    if eq:
        con.print("  NE: no strategy at all earns more against it than its twin does (exact "
                  "best reply). Best replies to the others, and their gain per round:")
        for r in tr["ranking"]:
            e = tr["equilibrium"][r["strategy"]]
            if not e["stable"]:
                con.print(f"    {escape(r['strategy'])}: {escape(e['reply'])} "
                          f"(+{e['gain'] * scale:.4g})")
    if d["track2"] is not None:
        _render_track2(con, d["track2"])
    for n in d["notes"]:
        con.print(f"  note: {n}")


def _render_track2(con, t2: dict) -> None:
    from rich.table import Table

    m = t2["model"]
    t = Table(title="Track II: contact needed before cooperation is stable (an equilibrium)")
    for c in ("strategy", "contact", "w there", "noise there", "stays stable",
              "without noise (closed form)"):
        t.add_column(c, justify="left" if c == "strategy" else "right")
    for r in t2["needed"]:
        cf = r["closed_form_without_noise"]
        if r["contact"] is None:
            t.add_row(r["strategy"], "never", "-", "-", "-", "-" if cf is None else f"{cf:.3f}")
        else:
            t.add_row(r["strategy"], f"{r['contact']:.3f}", f"{r['continuation']:.4f}",
                      f"{r['noise']:.4f}", "yes" if r["holds_to_max"] else "no",
                      "-" if cf is None else f"{cf:.3f}")
    con.print(t)
    top = t2["grid"]["contact"][-1]
    con.print(f"  model (assumed): w(c) = {m['w_max']:g} - ({m['w_max']:g} - {m['w0']:g}) "
              f"exp(-{m['w_rate']:g} c), noise(c) = {m['noise0']:g} exp(-{m['noise_rate']:g} "
              f"c), c = back-channel meetings per period, scanned 0..{top:g}.")


def _list(as_json: bool) -> None:
    from ...games.repeated import list_strategies

    rows = [s.to_dict() for s in list_strategies()]
    if as_json:
        emit_json(rows)
        return
    from rich.table import Table

    t = Table(title="Strategies (also: gtft:G, random:P, m1:pCC/pCD/pDC/pDD/first)")
    for c in ("name", "4-vector, first", "description"):
        t.add_column(c)
    for r in rows:
        vec = (", ".join(f"{x:.3g}" for x in r["vector"]) + f"; {r['first']:g}"
               if r["memory_one"] else f"{len(r['states'])}-state automaton")
        t.add_row(r["name"], vec, r["description"])
    console().print(t)


def register(app: typer.Typer) -> None:
    """Add the `trust` command to the `accord` app."""
    app.command("trust")(guarded(trust_cmd))
