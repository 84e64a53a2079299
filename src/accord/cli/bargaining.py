"""Bargaining commands: `analyze`, `evaluate`, `repair`, `inverse`. Each parses its options,
calls its operation (`accord.ops.bargaining`) and renders the result as tables or JSON."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from ..defaults import NEAREST
from .common import (
    FRONTIER_LIMIT,
    DealOpt,
    FrontierLimitOpt,
    JsonOpt,
    PartiesOpt,
    ProposalOpt,
    ScenarioArg,
    TimeLimitOpt,
    console,
    deal_text,
    emit_json,
    fmt_deal,
    fmt_u,
    guarded,
    ids,
    named_numbers,
    spread,
)
from .progress import budget_for


def analyze_cmd(
    scenario: ScenarioArg,
    parties: PartiesOpt = None,
    as_json: JsonOpt = False,
    show: Annotated[int, typer.Option("--show", min=0,
                                      help="Frontier deals to list in the table.")] = 12,
    nash_weights: Annotated[str | None, typer.Option(
        "--nash-weights", help="Weighted Nash solution: party=weight,... (others weigh 1).")
    ] = None,
    frontier_limit: FrontierLimitOpt = FRONTIER_LIMIT,
    method: Annotated[str, typer.Option(
        "--method", help="direct: answer each question by exact search (any number of "
                         "parties); frontier: read them off the whole Pareto frontier; "
                         "auto: the frontier when it is cheap to compute (a few seconds), "
                         "else direct. All give the same answers.")
    ] = "auto",
    time_limit: TimeLimitOpt = None,
) -> None:
    """Win-win analysis: ZOPA, Pareto frontier, Nash / Kalai-Smorodinsky / egalitarian /
    utilitarian solutions, and how every proposal scores."""
    from ..ops.bargaining import analyze

    with budget_for(time_limit, "analysis") as budget:
        result = analyze(scenario, parties=ids(parties, "parties"),
                         nash_weights=named_numbers(nash_weights, "nash_weights"),
                         method=method, frontier_limit=frontier_limit, budget=budget)
    if as_json:
        emit_json(result.to_dict())
        return
    render_analysis(result, show)


def render_analysis(r: Any, show: int) -> None:
    from rich.table import Table

    con = console()
    d = r.to_dict()
    parties = list(r.parties)
    con.print(f"[bold]{r.title}[/bold]  ({r.scenario_id})")
    con.print(f"Parties: {', '.join(parties)}   deals: {r.outcomes:,}   BATNA: "
              + ", ".join(f"{p} {r.batna[p]:.3f}" for p in parties))
    z = d["zopa"]
    if z["exists"]:
        count = f"{z['count']:,} deals" if z["count"] is not None else "count skipped"
        ww = "win-win deals exist" if z["win_win"] else "no deal is strictly better for all"
        on_f = ("" if z["frontier_count"] is None
                else f"{z['frontier_count']:,} on the frontier; ")
        con.print(f"ZOPA: [green]yes[/green] ({count}; {on_f}{ww})")
    else:
        c = z["closest"]
        con.print("ZOPA: [red]none[/red]: no deal gives every party at least its BATNA.")
        con.print(f"  Nearest miss: {fmt_deal(c['deal'])}")
        con.print(f"  It opens if every party's BATNA fell by {z['shortfall']:.3f} "
                  "(gains: " + ", ".join(f"{p} {c['gains'][p]:+.3f}" for p in parties) + ")")
    shown = spread(len(r.frontier), show)
    if r.frontier_count is not None:
        size = f"{r.frontier_count:,} deals"
    elif r.frontier_lower_bound is not None:
        size = f"at least {r.frontier_lower_bound:,} deals (too many to compute)"
    else:
        size = "too many deals to compute"
    ft = Table(title=f"Pareto frontier: {size}"
                     + (f" ({len(shown)} spread along it)" if len(shown) < len(r.frontier)
                        else ""))
    for p in parties:
        ft.add_column(p, justify="right")
    ft.add_column("in ZOPA")
    ft.add_column("deal")
    for k in shown:
        p = r.frontier[k]
        ft.add_row(*[fmt_u(p.utilities[a]) for a in parties], "yes" if p.in_zopa else "",
                   fmt_deal(p.deal))
    con.print(ft)
    st = Table(title="Solutions (pure deals, disagreement point = BATNAs)")
    st.add_column("solution")
    for p in parties:
        st.add_column(p, justify="right")
    st.add_column("deal")
    for name, p in r.solutions.items():
        if p is None:
            st.add_row(name, *["-" for _ in parties], "none: the ZOPA is empty")
        else:
            st.add_row(name, *[fmt_u(p.utilities[a]) for a in parties], fmt_deal(p.deal))
    con.print(st)
    if r.proposals:
        render_evaluations(con, r.proposals, list(r.actors))


def render_evaluations(con: Any, evaluations: Any, actors: list[str]) -> None:
    from rich.table import Table

    t = Table(title="Proposals: utility for every actor (* = accepts, U >= BATNA)")
    t.add_column("proposal")
    for a in actors:
        t.add_column(a, justify="right")
    t.add_column("agreement")
    t.add_column("Pareto-optimal")
    for e in evaluations:
        acc = set(e.accepted_by)
        t.add_row(e.id or "deal",
                  *[fmt_u(e.point.utilities[a]) + ("*" if a in acc else " ") for a in actors],
                  "yes" if e.agreement else "no (veto: " + ", ".join(e.vetoed_by) + ")",
                  "yes" if e.pareto_optimal else "no")
    con.print(t)
    for e in evaluations:
        name = e.id or "deal"
        short = {a: v for a, v in e.short.items() if a in e.point.gains}
        if short:
            con.print(f"  {name}: short of the BATNA of "
                      + ", ".join(f"{a} by {v:.3f}" for a, v in short.items()))
        if e.improvement is not None:
            con.print(f"  {name}: every party gains by moving to "
                      f"{fmt_deal(e.improvement.deal)}")
            z = e.improvement_in_zopa
            if z is None:
                con.print(f"  {name}: no such improvement leaves every party at its BATNA "
                          "or above")
            elif z.deal != e.improvement.deal:
                con.print(f"  {name}: the best such move that every party also accepts: "
                          f"{fmt_deal(z.deal)}")


def evaluate_cmd(
    scenario: ScenarioArg,
    proposal: ProposalOpt = None,
    deal: DealOpt = None,
    parties: PartiesOpt = None,
    as_json: JsonOpt = False,
    time_limit: TimeLimitOpt = None,
) -> None:
    """Score one proposal or deal for every actor: gains, who accepts, vetoes, Pareto
    optimality and the improvement every party prefers (also inside the ZOPA)."""
    from ..ops.bargaining import evaluate
    from ..ops.source import space_of

    space = space_of(scenario)
    with budget_for(time_limit, "evaluation") as budget:
        e = evaluate(space, proposal=proposal, deal=deal_text(deal, space),
                     parties=ids(parties, "parties"), budget=budget)
    if as_json:
        emit_json(e.to_dict())
        return
    con = console()
    con.print(f"[bold]{e.id or 'deal'}[/bold]: {fmt_deal(e.point.deal)}")
    render_evaluations(con, [e], list(space.actor_ids))
    if e.pareto_optimal:
        con.print("  Pareto-optimal: no deal is better for one party without being worse "
                  "for another.")


def repair_cmd(
    scenario: ScenarioArg,
    proposal: ProposalOpt = None,
    deal: DealOpt = None,
    max_changes: Annotated[int | None, typer.Option(
        "--max-changes", help="Change at most this many issues (default: any number).")
    ] = None,
    nearest: Annotated[int, typer.Option(
        "--nearest", help="Frontier deals nearest the proposal to list.")] = NEAREST,
    parties: PartiesOpt = None,
    method: Annotated[str, typer.Option(
        "--method", help="search: exact branch and bound over issues; milp: a "
                         "mixed-integer program (HiGHS); auto: search when it can. Same "
                         "answer.")] = "auto",
    as_json: JsonOpt = False,
    time_limit: TimeLimitOpt = None,
) -> None:
    """The smallest change to a proposal that every veto actor accepts (fewest issues
    changed, then the largest smallest gain), found and proved exactly; or a proof that
    none exists, with the BATNA moves that would open a ZOPA."""
    from ..ops.bargaining import repair
    from ..ops.source import space_of

    space = space_of(scenario)
    with budget_for(time_limit, "repair") as budget:
        result = repair(space, proposal=proposal, deal=deal_text(deal, space),
                        max_changes=max_changes, nearest=nearest,
                        parties=ids(parties, "parties"), method=method, budget=budget)
    if as_json:
        emit_json(result.to_dict())
        return
    render_repair(result)


def render_repair(r: Any) -> None:
    from rich.table import Table

    con = console()
    parties = list(r.parties)
    e = r.proposal
    con.print(f"[bold]Repair of {e.id or 'the deal'}[/bold] ({r.scenario_id}); must accept: "
              + ", ".join(parties)
              + ("" if r.max_changes is None else f"; at most {r.max_changes} changes"))
    con.print(f"  proposal: {fmt_deal(e.point.deal)}")
    short = [b for b in r.proposal_batna if not b.accepted]
    if short:
        con.print("  rejected by " + ", ".join(
            f"{b.actor} (short of its BATNA by {float(b.drop):.3f})" for b in short))
    if r.found:
        n = len(e.point.deal)
        con.print(f"[green]Repair[/green]: change {r.changes} of {n} issues; smallest gain "
                  f"{float(r.smallest_gain):+.3f}")
        if r.changed:
            t = Table(title="Changes")
            for col in ("issue", "from", "to"):
                t.add_column(col)
            for c in r.changed:
                t.add_row(c.issue, str(c.before), str(c.after))
            con.print(t)
        rep = r.repaired
        ut = Table(title="Utilities (* = accepts, U >= BATNA)")
        ut.add_column("actor")
        ut.add_column("proposal", justify="right")
        ut.add_column("repair", justify="right")
        ut.add_column("gain", justify="right")
        for a in rep.point.utilities:
            gain = rep.point.gains.get(a)
            ut.add_row(a, fmt_u(e.point.utilities[a]) + ("*" if a in e.accepted_by else " "),
                       fmt_u(rep.point.utilities[a]) + ("*" if a in rep.accepted_by else " "),
                       "" if gain is None else f"{gain:+.3f}")
        con.print(ut)
    else:
        con.print("[red]No repair[/red].")
    con.print(f"  {r.proof}")
    z = r.zopa_drop
    if not z.exists:
        alone = [f"only {p}'s by {float(v):.3f}" for p, v in z.alone.items() if v is not None]
        con.print(f"  ZOPA: none. It opens if every party's BATNA fell by {float(z.uniform):.3f}"
                  + (", or if " + ", or ".join(alone) if alone else "") + ".")
    if short:
        con.print("  For the proposal to be accepted unchanged: "
                  + ", ".join(f"{b.actor}'s BATNA would have to fall by {float(b.drop):.3f}"
                              for b in short) + ".")
    if r.nearest:
        t = Table(title="Frontier deals nearest the proposal")
        t.add_column("distance", justify="right")
        for p in parties:
            t.add_column(p, justify="right")
        t.add_column("in ZOPA")
        t.add_column("changes", justify="right")
        t.add_column("deal")
        for d in r.nearest:
            t.add_row(f"{d.distance:.3f}", *[fmt_u(d.point.utilities[p]) for p in parties],
                      "yes" if d.in_zopa else "", str(d.changes), fmt_deal(d.point.deal))
        con.print(t)


def inverse_cmd(
    scenario: ScenarioArg,
    proposal: ProposalOpt = None,
    deal: DealOpt = None,
    actors: Annotated[str | None, typer.Option(
        "--actor", help="Comma-separated actor ids to ask about (default: the parties).")
    ] = None,
    parties: PartiesOpt = None,
    as_json: JsonOpt = False,
    time_limit: TimeLimitOpt = None,
) -> None:
    """Inverse questions: by how much an actor's BATNA or one issue weight must change for
    a deal to become acceptable to it, and how far the BATNAs must fall for a ZOPA to open."""
    from ..ops.bargaining import inverse
    from ..ops.source import space_of

    space = space_of(scenario)
    with budget_for(time_limit, "inverse questions") as budget:
        result = inverse(space, proposal=proposal, deal=deal_text(deal, space),
                         actors=ids(actors, "actors"), parties=ids(parties, "parties"),
                         budget=budget)
    if as_json:
        emit_json(result.to_dict())
        return
    render_inverse(result)


def render_inverse(result: Any) -> None:
    from rich.table import Table

    con = console()
    con.print(f"[bold]Inverse questions for {result.proposal or 'the deal'}[/bold] "
              f"({result.scenario_id}): {fmt_deal(result.deal)}")
    t = Table(title="BATNA: the drop that makes each actor accept")
    for col in ("actor", "utility", "BATNA", "accepts", "drop needed"):
        t.add_column(col, justify="left" if col in ("actor", "accepts") else "right")
    for a in result.actors:
        b = a.batna
        t.add_row(b.actor, fmt_u(float(b.utility)), fmt_u(float(b.batna)),
                  "yes" if b.accepted else "no", f"{float(b.drop):.4f}")
    con.print(t)
    wt = Table(title="Salience weight (raw, before normalisation) that makes it accept: "
                     "current -> needed")
    wt.add_column("issue")
    for a in result.actors:
        wt.add_column(a.batna.actor, justify="right")
    for issue in result.deal:
        cells = []
        for a in result.actors:
            w = a.weights[issue]
            if w is None:
                cells.append("impossible")
            elif w.change == 0:
                cells.append(f"{float(w.weight):g} (ok)")
            else:
                cells.append(f"{float(w.weight):g} -> {float(w.new_weight):.4g}")
        wt.add_row(issue, *cells)
    con.print(wt)
    z = result.zopa
    if z.exists:
        con.print(f"ZOPA for {', '.join(z.parties)}: open (no BATNA has to move).")
    else:
        alone = [f"only {p}'s by {float(v):.4f}" for p, v in z.alone.items() if v is not None]
        con.print(f"ZOPA for {', '.join(z.parties)}: none; it opens if every party's BATNA "
                  f"fell by {float(z.uniform):.4f}"
                  + (", or if " + ", or ".join(alone) if alone else "") + ".")


def register(app: typer.Typer) -> None:
    """Add the bargaining commands to the `accord` app."""
    app.command("analyze")(guarded(analyze_cmd))
    app.command("evaluate")(guarded(evaluate_cmd))
    app.command("repair")(guarded(repair_cmd))
    app.command("inverse")(guarded(inverse_cmd))
