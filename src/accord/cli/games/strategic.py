"""`accord game FILE`: equilibria, dominated actions, Pareto-efficient and win-win outcomes of
a strategic-form game (`accord.ops.games.game`). quantecon and scipy are imported only when
the command runs; the methods and their help come from the registry
`accord.games.strategic.methods`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from ...defaults import SEED
from ...errors import InputError, Problem
from ...games.strategic.methods import methods_help
from ...ops.games import GAME_STARTS, GAME_TOL
from ..common import JsonOpt, TimeLimitOpt, console, emit_json, finite, guarded
from ..progress import budget_for

SHOW = 20  # rows of equilibria and outcomes in the tables (`--json` has them all)


def game_cmd(
    file: Annotated[str | None, typer.Argument(
        help="A game file (YAML/JSON, or Gambit .nfg), a scenario with a `games: "
             "strategic:` section, a built-in scenario id or a classic game id "
             "(see --list).", metavar="FILE")] = None,
    method: Annotated[str, typer.Option(
        "--method", help="Equilibrium method. " + methods_help() + ".")] = "auto",
    tol: Annotated[float, typer.Option(
        "--tol", callback=finite,
        help="Verification tolerance, relative to the largest absolute payoff.")] = GAME_TOL,
    starts: Annotated[int, typer.Option(
        "--starts", min=1, help="McLennan-Tourky starting points (n-player games).")
    ] = GAME_STARTS,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the starting "
                                                     "points.")] = SEED,
    list_: Annotated[bool, typer.Option("--list", help="List the classic games.")] = False,
    as_json: JsonOpt = False,
    time_limit: TimeLimitOpt = None,
) -> None:
    """Nash equilibria (all of them for 2-player games), dominated actions,
    Pareto-efficient outcomes and the win-win outcomes over each equilibrium."""
    from ...ops.games import game

    if list_:
        from ...games.strategic import list_classics

        rows = [c.summary() for c in list_classics()]
        if as_json:
            emit_json(rows)
            return
        _list(rows)
        return
    if file is None:
        raise InputError([Problem("FILE", "give a game file, a scenario or a classic "
                                          "game id (`accord game --list`)")])
    with budget_for(time_limit, "equilibria") as budget:
        result = game(file, method=method, tol=tol, starts=starts, seed=seed, budget=budget)
    if as_json:
        emit_json(result.to_dict())
        return
    _render(result)


def register(app: typer.Typer) -> None:
    """Add the `game` command to the `accord` app."""
    app.command("game")(guarded(game_cmd))


def _list(rows: list[dict]) -> None:
    from rich.table import Table

    t = Table(title="Classic games (accord game ID; --json gives their sources)")
    for col in ("id", "title", "players", "actions"):
        t.add_column(col)
    for r in rows:
        t.add_row(r["id"], r["title"], ", ".join(r["players"]),
                  " x ".join(str(len(a)) for a in r["actions"]))
    console().print(t)


def _rounds(k: int) -> str:
    return f"{k} round" + ("" if k == 1 else "s")


def _num(x: float) -> str:
    return f"{x:g}" if abs(x - round(x)) < 1e-12 else f"{x:.4g}"


def _strategy(game: Any, eq: Any, i: int) -> str:
    acts = game.actions[i]
    parts = []
    for k, p in enumerate(eq.strategies[i]):
        if p <= 1e-12:
            continue
        if p >= 1 - 1e-12:
            return acts[k]
        shown = str(eq.exact[i][k]) if eq.exact is not None else f"{p:.4f}"
        parts.append(f"{acts[k]} {shown}")
    return ", ".join(parts)


def _render(r: Any) -> None:
    from rich.markup import escape
    from rich.table import Table

    from ...games.strategic import EQUILIBRIUM_METHODS

    con = console()
    g = r.game
    e = r.equilibria
    sizes = " x ".join(str(k) for k in g.shape)
    con.print(f"[bold]{escape(g.title or 'Strategic game')}[/bold]  ({g.n_players} players, "
              f"{sizes} actions)")
    if g.description:
        con.print(escape(g.description))
    if g.source:
        con.print(f"[italic]Source: {escape(g.source)}[/italic]")
    pure = {eq.pure for eq in e.equilibria if eq.pure is not None}
    efficient = {o.profile for o in r.pareto}
    if g.n_players == 2 and max(g.shape) <= 12:
        t = Table(title=f"Payoffs ({escape(g.players[0])}, {escape(g.players[1])}); "
                        "* equilibrium, ^ Pareto-efficient")
        t.add_column(f"{escape(g.players[0])} \\ {escape(g.players[1])}")
        for a in g.actions[1]:
            t.add_column(escape(a), justify="right")
        for i, a in enumerate(g.actions[0]):
            cells = []
            for j in range(g.shape[1]):
                u = g.payoffs[i, j]
                mark = ("*" if (i, j) in pure else "") + ("^" if (i, j) in efficient else "")
                cells.append(f"{_num(u[0])}, {_num(u[1])}{mark}")
            t.add_row(escape(a), *cells)
        con.print(t)

    what = EQUILIBRIUM_METHODS[e.method].label
    scope = ("all extreme equilibria" if e.complete and e.method == "vertex"
             else "all pure equilibria" if e.complete and e.method == "pure"
             else "all equilibria if the game is nondegenerate"
             if e.method in ("qe-vertex", "support")
             else "some equilibria, not necessarily all")
    degen = ("" if e.degenerate is None else
             "; degenerate game" if e.degenerate else "; nondegenerate game")
    t = Table(title=f"Nash equilibria: {len(e.equilibria)} ({what}: {scope}{degen})")
    t.add_column("#", justify="right")
    t.add_column("kind")
    for p in g.players:
        t.add_column(escape(p))
    t.add_column("payoffs", justify="right")
    for k, eq in enumerate(e.equilibria[:SHOW]):
        t.add_row(str(k + 1), "pure" if eq.pure is not None else "mixed",
                  *[escape(_strategy(g, eq, i)) for i in range(g.n_players)],
                  ", ".join(_num(v) for v in eq.payoffs))
    con.print(t)
    if len(e.equilibria) > SHOW:
        con.print(f"  ... and {len(e.equilibria) - SHOW} more (--json lists them all)")
    if e.components:
        for c in e.components:
            if len(c) > 1:
                con.print("  Any mixture within equilibria "
                          + ", ".join(str(k + 1) for k in c)
                          + " (row strategies with column strategies) is an equilibrium.")
    for note in e.notes:
        con.print(f"  note: {escape(note)}")

    d = r.dominance
    if d.dominated:
        con.print("[bold]Dominated actions[/bold]")
        for x in d.dominated:
            acts = g.actions[x.player]
            by = (acts[x.by[0][0]] if len(x.by) == 1 else
                  "a mix of " + ", ".join(f"{acts[a]} {w:.3g}" for a, w in x.by))
            con.print(f"  {escape(g.players[x.player])}: {escape(acts[x.action])} is "
                      f"{'strictly' if x.kind == 'strict' else 'weakly'} dominated by "
                      f"{escape(by)}")

        def survivors(s):
            return "; ".join(f"{escape(p)}: " + ", ".join(escape(g.actions[i][a])
                                                          for a in s[i])
                             for i, p in enumerate(g.players))

        if d.strict_rounds:
            con.print(f"  Iterated elimination of strictly dominated actions "
                      f"({_rounds(len(d.strict_rounds))}) leaves {survivors(d.strict_survivors)}")
        if d.weak_rounds:
            con.print(f"  Iterated elimination of weakly dominated actions "
                      f"({_rounds(len(d.weak_rounds))}, all at once) leaves "
                      f"{survivors(d.weak_survivors)}")
    else:
        con.print("No dominated actions.")

    con.print(f"[bold]Pareto-efficient outcomes[/bold]: {len(r.pareto)}")
    for o in r.pareto[:SHOW]:
        con.print(f"  {escape(g.profile_label(o.profile))}: "
                  + ", ".join(_num(v) for v in o.payoffs))
    if len(r.pareto) > SHOW:
        con.print(f"  ... and {len(r.pareto) - SHOW} more")

    con.print("[bold]Win-win outcomes[/bold] (every player at least as well off as in the "
              "equilibrium, one better off)")
    for w in r.win_win:
        eq = e.equilibria[w.equilibrium]
        label = (g.profile_label(eq.pure) if eq.pure is not None else "mixed")
        head = (f"  over equilibrium {w.equilibrium + 1} ({escape(label)}; payoffs "
                + ", ".join(_num(v) for v in w.equilibrium_payoffs) + ")")
        if not w.outcomes:
            con.print(head + ": none (it is Pareto-efficient)")
            continue
        con.print(head + f": {len(w.outcomes)}")
        for o in w.outcomes[:5]:
            con.print(f"    {escape(g.profile_label(o.profile))}: gains "
                      + ", ".join(f"{v:+.4g}" for v in o.gains)
                      + (" (Pareto-efficient)" if o.pareto_efficient else ""))
        if len(w.outcomes) > 5:
            con.print(f"    ... and {len(w.outcomes) - 5} more")
