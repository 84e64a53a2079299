"""`accord crisis FILE`: Fearon's bargaining range and risk-return trade-off, mediator
credibility and cheap talk, from a crisis file or a scenario's `games.crisis` section. The
command runs `accord.ops.games.crisis` and renders its `CrisisReport`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from ..common import JsonOpt, TimeLimitOpt, console, emit_json, guarded
from ..progress import budget_for

FileArg = Annotated[str, typer.Argument(
    help="A crisis file (YAML/JSON, see docs/crisis.md), or a scenario file or built-in id "
         "whose `games.crisis` section and war lotteries (`actors[].war`) are analysed.",
    metavar="FILE")]


def _f(x: float | None, digits: int = 4) -> str:
    return "-" if x is None else f"{x:.{digits}g}" if abs(x) >= 1e-3 or x == 0 else f"{x:.3e}"


def _label(case: Any, k: int) -> str:
    return case.label if case.label is not None else str(k + 1)


def _yes(x: bool) -> str:
    return "yes" if x else "no"


def _transposed(title: str, cases: Any, rows: list) -> Any:
    """One column per case, one row per quantity (narrow enough for a terminal)."""
    from rich.table import Table

    t = Table(title=title)
    t.add_column("")
    for k, c in enumerate(cases):
        t.add_column(_label(c, k), justify="right")
    for name, fn in rows:
        t.add_row(name, *[fn(c.result) for c in cases])
    return t


def render(report: Any) -> None:
    from rich.table import Table

    con = console()
    head = f"Crisis models: {report.source}"
    if report.title:
        head += f" ({report.title})"
    con.print(head)
    if report.bargaining_range:
        t = Table(title="Fearon's bargaining range: A's shares both prefer to war")
        for col in ("case", "p", "c_a", "c_b", "range", "width"):
            t.add_column(col, justify="left" if col in ("case", "range") else "right")
        for k, c in enumerate(report.bargaining_range):
            r = c.result
            t.add_row(_label(c, k), _f(r.p), _f(r.c_a), _f(r.c_b),
                      f"[{_f(r.low)}, {_f(r.high)}]", _f(r.width))
        con.print(t)
    if report.risk_return:
        con.print(_transposed(
            "Risk-return trade-off: A's demand when B's cost is private", report.risk_return, [
                ("p (A wins)", lambda r: _f(r.p)), ("c_a", lambda r: _f(r.c_a)),
                ("c_low (resolved)", lambda r: _f(r.c_low)),
                ("c_high (weak)", lambda r: _f(r.c_high)),
                ("q = P(resolved)", lambda r: _f(r.q)),
                ("safe demand -> A expects", lambda r: f"{_f(r.safe_demand)} -> "
                                                       f"{_f(r.expected_safe)}"),
                ("risky demand -> A expects", lambda r: f"{_f(r.risky_demand)} -> "
                                                        f"{_f(r.expected_risky)}"),
                ("A's choice", lambda r: f"{r.choice} ({_f(r.demand)})"),
                ("P(war)", lambda r: _f(r.war_probability)),
                ("cut-off q* (gamble iff q < q*)", lambda r: _f(r.cutoff)),
            ]))
    if report.mediator_credibility:
        con.print(_transposed(
            "Mediator credibility ([R] reconstruction after Kydd 2003)",
            report.mediator_credibility, [
                ("ideal point m", lambda r: _f(r.m)), ("war cost c_m", lambda r: _f(r.c_m)),
                ("demand: resolved/weak", lambda r: f"{_f(r.demand_if_resolved)} / "
                                                       f"{_f(r.demand_if_weak)}"),
                ("truthful if B weak", lambda r: _yes(r.weak.holds)),
                ("truthful if B resolved", lambda r: _yes(r.resolved.holds)),
                ("credible", lambda r: _yes(r.credible)),
                ("credible iff m >=", lambda r: "never" if r.threshold is None
                 else _f(r.threshold)),
                ("P(war) without -> with", lambda r: f"{_f(r.war_probability_without)} -> "
                                                     f"{_f(r.war_probability_with)}"),
                ("value (fall in P(war))", lambda r: _f(r.value)),
            ]))
        con.print("Assumptions of the reconstruction (not Kydd's): the mediator's utility "
                  "-|x - m| over A's share, its war cost c_m.")
    if report.cheap_talk:
        t = Table(title="Cheap talk (Crawford-Sobel): the most informative equilibrium")
        for col in ("case", "b", "messages", "cuts", "receiver EU", "sender EU"):
            t.add_column(col, justify="left" if col in ("case", "cuts") else "right")
        for k, c in enumerate(report.cheap_talk):
            r = c.result
            cuts = ", ".join(_f(x) for x in r.cuts[:8]) + (" ..." if len(r.cuts) > 8 else "")
            t.add_row(_label(c, k), _f(r.b), str(r.messages), cuts or "(babbling)",
                      _f(r.receiver_utility), _f(r.sender_utility))
        con.print(t)
    if report.wars is not None and report.wars.actors:
        t = Table(title="BATNAs from war lotteries: p * win + (1 - p) * loss - cost")
        for col in ("actor", "role", "p", "win", "loss", "cost", "BATNA"):
            t.add_column(col, justify="left" if col in ("actor", "role") else "right")
        for a in report.wars.actors:
            t.add_row(a.actor, a.role, _f(a.p), _f(a.win), _f(a.loss), _f(a.cost), _f(a.batna))
        con.print(t)
    if report.wars is not None and report.wars.pairs:
        t = Table(title="Fearon's range between parties at war (p and 1 - p)")
        for col in ("A", "B", "p(A)", "A's share", "issue", "deals both prefer to war"):
            t.add_column(col, justify="right" if col == "p(A)" else "left")
        for pr in report.wars.pairs:
            share = f"[{_f(pr.low)}, {_f(pr.high)}]" if pr.exists else "empty"
            rows = [(i.issue, (f"[{_f(i.low)}, {_f(i.high)}]" if i.low is not None else "none")
                     if i.kind == "numeric" else (", ".join(i.options or ()) or "none"))
                    for i in pr.issues] or [("-", "-")]
            for n, (issue, text) in enumerate(rows):
                t.add_row(*((pr.a, pr.b, _f(pr.p), share) if n == 0 else ("", "", "", "")),
                          issue, text)
        con.print(t)


def crisis_cmd(file: FileArg, as_json: JsonOpt = False,
               time_limit: TimeLimitOpt = None) -> None:
    """Crises under private information: Fearon's bargaining range and risk-return
    trade-off, mediator credibility (Kydd-type), cheap talk (Crawford-Sobel)."""
    from ...ops.games import crisis

    with budget_for(time_limit, "crisis cases") as budget:
        report = crisis(file, budget=budget)
    if as_json:
        emit_json(report.to_dict())
        return
    render(report)


def register(app: typer.Typer) -> None:
    """Add the `crisis` command to the `accord` app."""
    app.command("crisis")(guarded(crisis_cmd))
