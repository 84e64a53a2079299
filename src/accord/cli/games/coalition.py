"""`accord coalition`: credit, leverage and power from a coalition game or a scenario. The
command runs `accord.ops.games.coalition` and renders the report."""

from __future__ import annotations

from fractions import Fraction
from typing import Annotated

import typer

from ...ops.games import COALITION_SHOW
from ..common import JsonOpt, TimeLimitOpt, console, emit_json, guarded, ids
from ..progress import budget_for

SourceArg = Annotated[str, typer.Argument(
    help="A coalition game file (YAML/JSON: a characteristic function or a weighted voting "
         "game), a scenario file or a built-in scenario id.", metavar="FILE|SCENARIO")]


def coalition_cmd(
    source: SourceArg,
    as_json: JsonOpt = False,
    actors: Annotated[str | None, typer.Option(
        "--actors", help="Scenario: comma-separated actor ids, the players of the "
                         "coalition game (default: every actor).")] = None,
    no_veto: Annotated[bool, typer.Option(
        "--no-veto", help="Scenario: let coalitions without a veto actor agree too.")
    ] = False,
    from_deals: Annotated[bool, typer.Option(
        "--from-deals", help="Scenario: derive the game from the deals even when the "
                             "scenario gives one in games.coalition.")] = False,
    show: Annotated[int, typer.Option(
        "--show", min=0, help="Coalitions to list in each table.")] = COALITION_SHOW,
    time_limit: TimeLimitOpt = None,
) -> None:
    """Coalitions and credit: Shapley value, core, nucleolus, leverage and the
    coalitions that block an allocation; power indices (Shapley-Shubik, Banzhaf) of a
    weighted voting game. From a scenario, v(S) is the best total gain over the BATNAs
    the members of S can reach with a deal each of them accepts."""
    from ...ops.games import coalition

    with budget_for(time_limit, "coalition values") as budget:
        report = coalition(source, actors=ids(actors, "actors"), no_veto=no_veto,
                           from_deals=from_deals, show=show, budget=budget)
    if as_json:
        emit_json(report.to_dict())
        return
    render(report, show)


def register(app: typer.Typer) -> None:
    """Add the `coalition` command to the `accord` app."""
    app.command("coalition")(guarded(coalition_cmd))


# ---------------------------------------------------------------------------------------
# Rendering


def _num(x: float, exact: Fraction | None = None) -> str:
    if exact is not None:
        if exact.denominator == 1:
            return str(exact.numerator)
        if exact.denominator <= 9999:
            return f"{exact} ≈ {float(exact):.6g}"
    return f"{x:.6g}"


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.1%}"


def _coal(members) -> str:
    return "{" + ", ".join(members) + "}"


def render(r, show: int) -> None:
    from rich.table import Table

    con = console()
    kind = {"tu": "characteristic function", "weighted": "weighted voting game",
            "scenario": "coalition game of the scenario"}[r.kind]
    con.print(f"[bold]{r.title or 'Coalition game'}[/bold]  ({kind}, {len(r.players)} players)")
    if r.power is not None:
        _render_power(con, r.power)
    g = r.game
    if g is None:
        for note in r.notes:
            con.print(f"[italic]{note}[/italic]")
        return
    vN = float(g.values[g.grand])
    exact_vN = g.exact_value(g.grand) if g.exact else None
    if r.kind != "weighted":
        con.print(f"v(N) = {_num(vN, exact_vN)}: the value of the grand coalition")
        _render_values(con, r, show)
    weighted = r.kind == "weighted"
    con.print("[bold]Credit: who owns the settlement[/bold]"
              + (" (the 0/1 game: v(S) = 1 when S wins)" if weighted else ""))
    t = Table()
    t.add_column("player")
    if not weighted:  # the Shapley value of a simple game is its Shapley-Shubik index
        t.add_column("Shapley", justify="right")
        t.add_column("share", justify="right")
    if r.nucleolus is not None:
        t.add_column(r.nucleolus.allocation.name, justify="right")
        t.add_column("share", justify="right")
    t.add_column("leverage", justify="right")
    sh = r.shapley
    for k, p in enumerate(g.players):
        row = [p + (" (mediator)" if p in r.mediators else "")]
        if not weighted:
            row += [_num(sh.values[k], sh.exact[k] if sh.exact else None),
                    _pct(sh.values[k] / vN if vN else None)]
        if r.nucleolus is not None:
            nu = r.nucleolus.allocation
            row += [_num(nu.values[k], nu.exact[k] if nu.exact else None),
                    _pct(nu.values[k] / vN if vN else None)]
        row.append(f"{r.leverage[p]:.6g}")
        t.add_row(*row)
    con.print(t)
    con.print("Leverage: v(N) - v(N without the player), what the settlement loses without "
              "it.")
    veto = [p for p in g.players if vN > 0 and abs(r.leverage[p] - vN) <= 1e-9 * max(1, vN)]
    if veto:
        con.print("Without any one of " + ", ".join(veto) + " the settlement is lost.")
    for m, row in r.mediator_shares().items():
        con.print(f"Mediator {m}: Shapley share {_pct(row['shapley'])}, nucleolus share "
                  f"{_pct(row['nucleolus'])}; it adds {row['leverage']:.6g} to the "
                  "settlement.")
    if r.core is not None:
        c = r.core
        if c.nonempty and c.epsilon < 0:
            con.print(f"Core: [green]non-empty[/green]; least-core epsilon {c.epsilon:.6g}: "
                      "an allocation can give every coalition "
                      f"{-c.epsilon:.6g} more than it secures alone.")
        elif c.nonempty:
            con.print("Core: [green]non-empty[/green], but with no slack (least-core epsilon "
                      "0): in every core allocation some coalition gets exactly what it "
                      "secures alone.")
        else:
            con.print(f"Core: [red]empty[/red]; least-core epsilon {c.epsilon:.6g}: every "
                      "allocation leaves some coalition at least that much short of what it "
                      "secures alone.")
    for name, objs in r.objections.items():
        if weighted and name == "shapley":
            continue
        count = r.objection_counts.get(name, len(objs))
        label = "Shapley value" if name == "shapley" else "Nucleolus"
        if not count:
            con.print(f"{label}: no coalition objects (it is in the core).")
            continue
        listed = objs[:min(show, 5)]
        con.print(f"{label}: {count} coalition{'s' if count != 1 else ''} can do better "
                  "alone and block it" + (f" (largest {len(listed)} shown)"
                                          if count > len(listed) else "") + ":")
        for o in listed:
            con.print(f"  {_coal(o.coalition)}: secures {o.value:.6g}, given "
                      f"{o.allocated:.6g} (short {o.excess:.6g})")
    for note in r.notes:
        con.print(f"[italic]{note}[/italic]")


def _render_values(con, r, show: int) -> None:
    from rich.table import Table

    g = r.game
    sg = r.scenario
    rows = [m for m in range(1, 1 << g.n) if g.values[m] != 0]
    rows.sort(key=lambda m: (-bin(m).count("1"), m))
    shown = rows[:show]
    con.print(f"[bold]Coalition values[/bold]: {len(rows)} of {(1 << g.n) - 1} coalitions "
              "are worth more than 0" if all(g.values >= 0) else
              f"[bold]Coalition values[/bold]: {len(rows)} of {(1 << g.n) - 1} coalitions "
              "are worth something other than 0")
    if not shown:
        return
    t = Table()
    t.add_column("coalition")
    t.add_column("v(S)", justify="right")
    if sg is not None:
        t.add_column("deal reaching it")
    for m in shown:
        ex = g.exact_value(m) if g.exact else None
        cells = [_coal(g.members(m)), _num(float(g.values[m]), ex)]
        if sg is not None:
            d = sg.deals.get(m)
            cells.append(", ".join(f"{k}={v}" for k, v in d.deal.items())
                         if d is not None and d.deal else "")
        t.add_row(*cells)
    con.print(t)
    if len(shown) < len(rows):
        con.print(f"  ... {len(rows) - len(shown)} more (--show, or --json for all)")


def _render_power(con, pw) -> None:
    from rich.table import Table

    g = pw.game
    scale = g.scale

    def w(x: int) -> str:
        return f"{x / scale:g}" if scale != 1 else str(x)

    con.print(f"Quota {w(g.quota)} of a total weight {w(g.total)}")
    con.print("[bold]Voting power (exact)[/bold]")
    t = Table()
    for col in ("player", "weight", "Shapley-Shubik", "swings", "Banzhaf"):
        t.add_column(col, justify="left" if col == "player" else "right")
    ban = pw.banzhaf
    for k, p in enumerate(g.players):
        t.add_row(p, w(g.weights[k]), _frac(pw.shapley_shubik[k]), str(pw.swings[k]),
                  _frac(ban[k]))
    con.print(t)
    veto = g.veto_players
    con.print("Banzhaf is normalised (swings / all swings); --json also gives the absolute "
              "index (swings / 2^(n-1)).")
    con.print("Veto players: " + (", ".join(veto) if veto else "none")
              + ("; dummies (never pivotal): " + ", ".join(pw.dummies) if pw.dummies else ""))


def _frac(x: Fraction) -> str:
    if x.denominator == 1:
        return str(x.numerator)
    if x.denominator < 10**7:
        return f"{x} ≈ {float(x):.6f}"
    return f"{float(x):.6f}"
