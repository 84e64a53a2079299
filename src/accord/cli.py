"""The `accord` command. Thin: parse arguments, call the library, render a result.

Exit codes: 0 success, 2 bad input (every problem on stderr, no traceback), 1 internal
error. `--json` prints exactly one JSON document on stdout and nothing else.
"""

from __future__ import annotations

import functools
import json
import math
import os
import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer

from .errors import InputError, Problem

app = typer.Typer(
    name="accord",
    help="Accord: turn a conflict into a game and find the win-win in it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

ScenarioArg = Annotated[str, typer.Argument(
    help="A built-in scenario id (see `accord scenarios`) or a YAML/JSON file.",
    metavar="SCENARIO")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]
PartiesOpt = Annotated[str | None, typer.Option(
    "--parties", help="Comma-separated actor ids whose frontier and ZOPA it is "
                      "(default: the actors with a veto).")]


def _finite(value: float | None) -> float | None:
    """Callback of every float option: inf and nan are refused (exit 2), so no result
    and no `--json` output can carry them."""
    if value is not None and not math.isfinite(value):
        raise typer.BadParameter(f"must be a finite number, got {value}")
    return value


def _finite_number(text: str, option: str, what: str) -> float:
    """A number typed inside an option's text (`party=weight`, a list): finite, or an
    `InputError` naming the option."""
    try:
        x = float(text)
    except ValueError:
        x = math.nan
    if not math.isfinite(x):
        raise InputError([Problem(option, f"'{what}' needs a finite number")])
    return x


def _positive_seconds(value: float | None) -> float | None:
    if value is not None and not value > 0:
        raise typer.BadParameter("must be a number of seconds above 0")
    return value


TimeLimitOpt = Annotated[float | None, typer.Option(
    "--time-limit", metavar="SECONDS", callback=_positive_seconds,
    help="Stop after this many seconds (exit 2, saying what was done and what to change). "
         "Long work shows a progress bar on stderr.")]
"""The one `--time-limit` option of every compute command; pass its value to
`accord.cli_progress.budget_for`."""


FRONTIER_LIMIT = 200
"""Default of --frontier-limit (the library's `accord.bargaining.listing.FRONTIER_LIMIT`,
written here so that `--help` does not import the algorithms)."""
FrontierLimitOpt = Annotated[int, typer.Option(
    "--frontier-limit", min=1,
    help="List at most this many Pareto-optimal deals (an even spread, with the exact "
         "count, or a lower bound when the frontier is too large to compute).")]


def _version(value: bool) -> None:
    if value:
        from . import __version__

        print(f"accord {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Print the version and exit.")
        ] = False) -> None:
    """Accord: turn a conflict into a game and find the win-win in it."""


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


def guarded(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn bad input into exit 2 with its problems on stderr, and any other failure into
    exit 1 with a one-line message (a traceback only when ACCORD_DEBUG is set)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            for p in exc.problems:
                _stderr(str(p))
            raise typer.Exit(2) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            if os.environ.get("ACCORD_DEBUG"):
                raise
            _stderr(f"internal error: {type(exc).__name__}: {exc} "
                    "(set ACCORD_DEBUG=1 for a traceback; please report it)")
            raise typer.Exit(1) from None

    return wrapper


def _emit_json(data: Any) -> None:
    """One strict JSON document on stdout (no NaN or Infinity: a ValueError instead)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, allow_nan=False) + "\n")


def _parties(value: str | None) -> list[str] | None:
    if value is None:
        return None
    ids = [p.strip() for p in value.split(",") if p.strip()]
    if not ids:
        raise InputError([Problem("--parties", "give comma-separated actor ids")])
    return ids


def _load(ref: str):
    from .io import load_scenario

    return load_scenario(ref)


def _console():
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def _fmt_deal(deal: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in deal.items())


def _fmt_u(x: float) -> str:
    return f"{x:.3f}"


# ---------------------------------------------------------------------------------------


@app.command("scenarios")
@guarded
def scenarios_cmd(as_json: JsonOpt = False) -> None:
    """List the built-in scenarios."""
    from .io import builtin_ids, load_scenario

    rows = []
    for sid in builtin_ids():
        s = load_scenario(sid)
        n = 1
        for i in s.issues:
            n *= len(i.labels())
        rows.append({"id": s.id, "title": s.title, "actors": len(s.actors),
                     "parties": [a.id for a in s.veto_actors], "issues": len(s.issues),
                     "outcomes": n, "proposals": len(s.proposals)})
    if as_json:
        _emit_json(rows)
        return
    from rich.table import Table

    t = Table(title="Built-in scenarios (illustrative models, not forecasts)")
    for col in ("id", "title", "actors", "issues", "deals", "proposals"):
        t.add_column(col, justify="right" if col in ("actors", "issues", "deals",
                                                     "proposals") else "left")
    for r in rows:
        t.add_row(r["id"], r["title"], str(r["actors"]), str(r["issues"]),
                  f"{r['outcomes']:,}", str(r["proposals"]))
    _console().print(t)


@app.command("show")
@guarded
def show_cmd(scenario: ScenarioArg, as_json: JsonOpt = False) -> None:
    """Summarise a scenario: sources, issues, actors and proposals."""
    s = _load(scenario)
    if as_json:
        data = s.model_dump(mode="json", exclude_none=True)
        data["uncertain"] = [u.to_dict() for u in s.uncertain_inputs]
        _emit_json(data)
        return
    from rich.table import Table

    con = _console()
    con.print(f"[bold]{s.title}[/bold]  ({s.id})")
    if s.summary:
        con.print(s.summary)
    if s.disclaimer:
        con.print(f"[italic]{s.disclaimer}[/italic]")
    it = Table(title="Issues")
    it.add_column("id")
    it.add_column("title")
    it.add_column("options / range")
    for i in s.issues:
        opts = (" | ".join(o.id for o in i.options) if i.options is not None
                else f"{i.range[0]:g}..{i.range[1]:g} step {i.grid_step:g}")  # type: ignore[index]
        it.add_row(i.id, i.title or "", opts)
    con.print(it)
    at = Table(title="Actors")
    for col in ("id", "role", "veto", "capability", "batna", "main issues"):
        at.add_column(col)
    for a in s.actors:
        sal = a.salience or {i.id: 1.0 for i in s.issues}
        total = sum(sal.values()) or 1.0
        top = sorted(sal.items(), key=lambda kv: -kv[1])[:3]
        at.add_row(a.id, a.role, "yes" if a.has_veto else "no", f"{a.capability:g}",
                   f"{a.batna:g}", ", ".join(f"{k} {v / total:.0%}" for k, v in top))
    con.print(at)
    if s.uncertain_inputs:
        ut = Table(title="Uncertain inputs (analyses use the nominal value; see accord sweep)")
        for col in ("input", "distribution", "nominal"):
            ut.add_column(col)
        for u in s.uncertain_inputs:
            d = u.to_dict()
            ut.add_row(u.name, ", ".join(f"{k} {v}" for k, v in d["distribution"].items()),
                       f"{d['nominal']:g}")
        con.print(ut)
    if s.proposals:
        pt = Table(title="Proposals")
        pt.add_column("id")
        pt.add_column("title")
        pt.add_column("deal")
        for p in s.proposals:
            pt.add_row(p.id, p.title or "", _fmt_deal(p.deal))
        con.print(pt)
    if s.sources:
        con.print("[bold]Sources[/bold]")
        for sid, src in s.sources.items():
            date = f", {src.date}" if src.date else ""
            con.print(f"  [{sid}] {src.title}{date}" + (f" <{src.url}>" if src.url else ""))


@app.command("validate")
@guarded
def validate_cmd(file: Annotated[str, typer.Argument(help="A YAML or JSON scenario file.")],
                 as_json: JsonOpt = False) -> None:
    """Check a scenario file and list every problem with its place in the file."""
    from .io import read_data
    from .validation import validate_scenario

    try:
        data, name = read_data(file)
        s = validate_scenario(data, name)
    except InputError as exc:
        if as_json:
            _emit_json({"valid": False, "problems": [p.to_dict() for p in exc.problems]})
            raise typer.Exit(2) from None
        raise
    if as_json:
        _emit_json({"valid": True, "problems": [], "id": s.id})
        return
    print(f"{file}: valid scenario '{s.id}' ({len(s.issues)} issues, {len(s.actors)} actors, "
          f"{len(s.proposals)} proposals)")


@app.command("schema")
@guarded
def schema_cmd() -> None:
    """Print the JSON Schema of the scenario format (for editors and other tools)."""
    from .io import json_schema

    sys.stdout.write(json.dumps(json_schema(), indent=2) + "\n")


@app.command("analyze")
@guarded
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
    from .analysis import analyze
    from .cli_progress import budget_for
    from .space import compile_space

    space = compile_space(_load(scenario))
    with budget_for(time_limit, "analysis") as budget:
        result = analyze(space, _parties(parties), nash_weights=_weights(nash_weights),
                         method=method, frontier_limit=frontier_limit, budget=budget)
    if as_json:
        _emit_json(result.to_dict())
        return
    _render_analysis(result, show)


def _render_analysis(r, show: int) -> None:
    from rich.table import Table

    con = _console()
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
        con.print(f"  Nearest miss: {_fmt_deal(c['deal'])}")
        con.print(f"  It opens if every party's BATNA fell by {z['shortfall']:.3f} "
                  "(gains: " + ", ".join(f"{p} {c['gains'][p]:+.3f}" for p in parties) + ")")
    shown = _spread(len(r.frontier), show)
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
        inside = all(p.gains[a] >= -1e-9 for a in parties)
        ft.add_row(*[_fmt_u(p.utilities[a]) for a in parties], "yes" if inside else "",
                   _fmt_deal(p.deal))
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
            st.add_row(name, *[_fmt_u(p.utilities[a]) for a in parties], _fmt_deal(p.deal))
    con.print(st)
    if r.proposals:
        _render_evaluations(con, r.proposals, list(r.actors))


def _render_evaluations(con, evaluations, actors: list[str]) -> None:
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
                  *[_fmt_u(e.point.utilities[a]) + ("*" if a in acc else " ") for a in actors],
                  "yes" if e.agreement else "no (veto: " + ", ".join(e.vetoed_by) + ")",
                  "yes" if e.pareto_optimal else "no")
    con.print(t)
    for e in evaluations:
        name = e.id or "deal"
        short = {a: -g for a, g in e.point.gains.items() if g < -1e-9}
        if short:
            con.print(f"  {name}: short of the BATNA of "
                      + ", ".join(f"{a} by {v:.3f}" for a, v in short.items()))
        if e.improvement is not None:
            con.print(f"  {name}: every party gains by moving to "
                      f"{_fmt_deal(e.improvement.deal)}")
            z = e.improvement_in_zopa
            if z is None:
                con.print(f"  {name}: no such improvement leaves every party at its BATNA "
                          "or above")
            elif z.deal != e.improvement.deal:
                con.print(f"  {name}: the best such move that every party also accepts: "
                          f"{_fmt_deal(z.deal)}")


def _weights(text: str | None) -> dict[str, float] | None:
    if text is None:
        return None
    out = {}
    for part in [p for p in text.split(",") if p.strip()]:
        k, sep, v = part.partition("=")
        if not sep:
            raise InputError([Problem("--nash-weights", f"'{part.strip()}' is not "
                                                        "party=weight")])
        out[k.strip()] = _finite_number(v, "--nash-weights", part.strip())
        if not sep:
            raise InputError([Problem("--nash-weights", f"'{part.strip()}' is not "
                                                        "party=weight")])
    return out


def _spread(n: int, k: int) -> list[int]:
    """k indices spread evenly over range(n), both ends included."""
    if n <= k:
        return list(range(n))
    if k <= 1:
        return [0][:k]
    return sorted({round(j * (n - 1) / (k - 1)) for j in range(k)})


def _parse_deal(text: str, space) -> dict[str, Any]:
    out: dict[str, Any] = {}
    numeric = {i.id for i in space.scenario.issues if i.is_numeric}
    for part in [p for p in text.split(",") if p.strip()]:
        if "=" not in part:
            raise InputError([Problem("--deal", f"'{part.strip()}' is not issue=option")])
        k, v = (x.strip() for x in part.split("=", 1))
        if k in numeric:
            try:
                out[k] = float(v)
            except ValueError:
                out[k] = v
        else:
            out[k] = v
    return out


@app.command("evaluate")
@guarded
def evaluate_cmd(
    scenario: ScenarioArg,
    proposal: Annotated[str | None, typer.Option("--proposal", help="A proposal id.")] = None,
    deal: Annotated[str | None, typer.Option(
        "--deal", help="A deal: issue=option,issue=value,... (every issue).")] = None,
    parties: PartiesOpt = None,
    as_json: JsonOpt = False,
    time_limit: TimeLimitOpt = None,
) -> None:
    """Score one proposal or deal for every actor: gains, who accepts, vetoes, Pareto
    optimality and the improvement every party prefers (also inside the ZOPA)."""
    from .bargaining.proposals import evaluate, evaluate_proposal
    from .cli_progress import budget_for
    from .space import compile_space

    if (proposal is None) == (deal is None):
        raise InputError([Problem("arguments", "give exactly one of --proposal ID and "
                                               "--deal issue=option,...")])
    space = compile_space(_load(scenario))
    with budget_for(time_limit, "evaluation") as budget:
        if proposal is not None:
            e = evaluate_proposal(space, proposal, _parties(parties), budget=budget)
        else:
            index = space.deal_index(_parse_deal(deal or "", space), where="--deal")
            e = evaluate(space, index, _parties(parties), budget=budget)
    if as_json:
        _emit_json(e.to_dict())
        return
    con = _console()
    con.print(f"[bold]{e.id or 'deal'}[/bold]: {_fmt_deal(e.point.deal)}")
    _render_evaluations(con, [e], list(space.actor_ids))
    if e.pareto_optimal:
        con.print("  Pareto-optimal: no deal is better for one party without being worse "
                  "for another.")


def _kv(text: str | None, option: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for part in [p for p in (text or "").split(",") if p.strip()]:
        k, sep, v = part.partition("=")
        if not sep:
            raise InputError([Problem(option, f"'{part.strip()}' is not actor=number")])
        out[k.strip()] = _finite_number(v, option, part.strip())
    return out


def _floats(text: str, option: str) -> float | list[float]:
    vals = [_finite_number(x, option, x.strip()) for x in text.split(",") if x.strip()]
    if not vals:
        raise InputError([Problem(option, "give a number")])
    return vals[0] if len(vals) == 1 else vals


@app.command("mediate")
@guarded
def mediate_cmd(
    scenario: ScenarioArg,
    protocol: Annotated[str, typer.Option(
        "--protocol", help="single-text | alternating | mediator")] = "single-text",
    strategy: Annotated[list[str] | None, typer.Option(
        "--strategy", help="Alternating offers: a strategy per party, repeat the option "
                           "(boulware, linear, conceder, time:E, tit-for-tat, hardliner, "
                           "acceptor, spe).")] = None,
    rounds: Annotated[int | None, typer.Option("--rounds", help="Rounds (proposals).")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
    discount: Annotated[str, typer.Option(
        "--discount", help="Alternating offers: discount per round, one or one per party.")
    ] = "1.0",
    voters: Annotated[str, typer.Option(
        "--voters", help="Single text: hill-climber | annealer, one or one per party "
                         "(comma-separated).")] = "hill-climber",
    search: Annotated[str, typer.Option(
        "--search", help="Single text: the mediator's search, hill-climbing | annealing.")
    ] = "annealing",
    start: Annotated[str, typer.Option(
        "--start", help="Single text: first draft: middle | random | a proposal id.")
    ] = "middle",
    bias: Annotated[str | None, typer.Option(
        "--bias", help="Mediator: lean towards parties, party=weight,...")] = None,
    prestige: Annotated[float, typer.Option("--prestige", callback=_finite,
                                            help="Mediator: value of a deal.")] = 1.0,
    interest: Annotated[float, typer.Option(
        "--interest", callback=_finite, help="Mediator: weight on its own utility.")] = 0.0,
    sigma: Annotated[float, typer.Option(
        "--sigma", callback=_finite,
        help="Mediator: its uncertainty about the parties' reservations.")] = 0.05,
    parties: PartiesOpt = None,
    as_json: JsonOpt = False,
    show: Annotated[int, typer.Option("--show", min=0, help="Trace steps to print.")] = 15,
    time_limit: TimeLimitOpt = None,
) -> None:
    """Simulate a negotiation process and report where it ends (with its whole trace)."""
    from .cli_progress import budget_for
    from .space import compile_space

    if protocol not in ("single-text", "alternating", "mediator"):
        raise InputError([Problem("--protocol", f"unknown protocol '{protocol}' (use "
                                                "single-text, alternating or mediator)")])
    with budget_for(time_limit, f"{protocol} rounds") as budget:
        space = compile_space(_load(scenario))
        ps = _parties(parties)
        if protocol == "single-text":
            from .mediation.single_text import single_text

            vs = [v.strip() for v in voters.split(",") if v.strip()]
            result = single_text(space, vs if len(vs) > 1 else vs[0], search, rounds or 500,
                                 start, parties=ps, seed=seed, budget=budget)
        elif protocol == "alternating":
            from .mediation.alternating import alternating_offers

            result = alternating_offers(space, strategy or ["boulware"], rounds or 100,
                                        _floats(discount, "--discount"), ps, seed,
                                        budget=budget)
        else:
            from .mediation.mediator import mediate_with_interests

            result = mediate_with_interests(space, None, interest, prestige,
                                            _kv(bias, "--bias"), sigma, rounds or 20, ps, seed,
                                            budget=budget)
    if as_json:
        _emit_json(result.to_dict())
        return
    _render_mediation(result, show)


def _render_mediation(r, show: int) -> None:
    from rich.table import Table

    con = _console()
    con.print(f"[bold]{r.protocol}[/bold] on {r.scenario_id} (seed {r.seed}): "
              + ("[green]agreement[/green]" if r.agreement else "[red]no agreement[/red]")
              + f" after {r.rounds} rounds")
    if r.outcome is not None:
        con.print(f"  deal: {_fmt_deal(r.outcome.deal)}")
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
                      *[_fmt_u(s.utilities[a]) if a in s.utilities else "" for a in r.parties],
                      ", ".join(f"{k}: {v}" for k, v in s.responses.items())
                      + (f" ({s.note})" if s.note else ""), _fmt_deal(s.deal))
        con.print(t)


@app.command("tournament")
@guarded
def tournament_cmd(
    scenario: ScenarioArg,
    strategies: Annotated[str, typer.Option(
        "--strategies", help="Comma-separated strategy names.")
    ] = "boulware,linear,conceder,tit-for-tat,hardliner,acceptor",
    repetitions: Annotated[int, typer.Option("--repetitions", min=1)] = 2,
    rounds: Annotated[int, typer.Option("--rounds", min=1)] = 100,
    discount: Annotated[str, typer.Option("--discount")] = "1.0",
    seed: Annotated[int, typer.Option("--seed")] = 0,
    parties: PartiesOpt = None,
    as_json: JsonOpt = False,
    time_limit: TimeLimitOpt = None,
) -> None:
    """Every pairing of strategies by alternating offers: mean gains, agreement rate, mean
    distance to the Nash solution, ranked."""
    from .cli_progress import budget_for
    from .mediation.tournament import tournament
    from .space import compile_space

    names = [s.strip() for s in strategies.split(",") if s.strip()]
    with budget_for(time_limit, "negotiations") as budget:
        space = compile_space(_load(scenario))
        result = tournament(space, names, repetitions, rounds, _floats(discount, "--discount"),
                            _parties(parties), seed, budget=budget)
    if as_json:
        _emit_json(result.to_dict())
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
    _console().print(t)


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


@app.command("forecast")
@guarded
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
    from .cli_progress import budget_for
    from .forecast import load_stakeholders
    from .forecast.models import run_forecast

    params = {} if variant is None else {"variant": variant}
    if variant is not None and model not in ("eu", "bdm", "expected-utility"):
        raise InputError([Problem("--variant", "only the eu model has variants")])
    with budget_for(time_limit, f"{model} forecast rounds") as budget:
        result = run_forecast(load_stakeholders(source), model, rounds, seed, budget=budget,
                              **params)
    if as_json:
        _emit_json(result.to_dict())
        return
    _render_forecast(result.to_dict())


def _render_forecast(d: dict) -> None:
    from rich.table import Table

    con = _console()
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


@app.command("repair")
@guarded
def repair_cmd(
    scenario: ScenarioArg,
    proposal: Annotated[str | None, typer.Option("--proposal", help="A proposal id.")] = None,
    deal: Annotated[str | None, typer.Option(
        "--deal", help="A deal: issue=option,issue=value,... (every issue).")] = None,
    max_changes: Annotated[int | None, typer.Option(
        "--max-changes", help="Change at most this many issues (default: any number).")
    ] = None,
    nearest: Annotated[int, typer.Option(
        "--nearest", help="Frontier deals nearest the proposal to list.")] = 3,
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
    from .bargaining.repair import repair
    from .cli_progress import budget_for
    from .space import compile_space

    if (proposal is None) == (deal is None):
        raise InputError([Problem("arguments", "give exactly one of --proposal ID and "
                                               "--deal issue=option,...")])
    space = compile_space(_load(scenario))
    target = proposal if proposal is not None else space.deal_index(
        _parse_deal(deal or "", space), where="--deal")
    with budget_for(time_limit, "repair") as budget:
        result = repair(space, target, max_changes, _parties(parties), nearest,
                        budget=budget, method=method)
    if as_json:
        _emit_json(result.to_dict())
        return
    _render_repair(result)


def _render_repair(r) -> None:
    from rich.table import Table

    con = _console()
    parties = list(r.parties)
    e = r.proposal
    con.print(f"[bold]Repair of {e.id or 'the deal'}[/bold] ({r.scenario_id}); must accept: "
              + ", ".join(parties)
              + ("" if r.max_changes is None else f"; at most {r.max_changes} changes"))
    con.print(f"  proposal: {_fmt_deal(e.point.deal)}")
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
            ut.add_row(a, _fmt_u(e.point.utilities[a]) + ("*" if a in e.accepted_by else " "),
                       _fmt_u(rep.point.utilities[a]) + ("*" if a in rep.accepted_by else " "),
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
            t.add_row(f"{d.distance:.3f}", *[_fmt_u(d.point.utilities[p]) for p in parties],
                      "yes" if d.in_zopa else "", str(d.changes), _fmt_deal(d.point.deal))
        con.print(t)


@app.command("inverse")
@guarded
def inverse_cmd(
    scenario: ScenarioArg,
    proposal: Annotated[str | None, typer.Option("--proposal", help="A proposal id.")] = None,
    deal: Annotated[str | None, typer.Option(
        "--deal", help="A deal: issue=option,issue=value,... (every issue).")] = None,
    actor: Annotated[str | None, typer.Option(
        "--actor", help="Comma-separated actor ids to ask about (default: the parties).")
    ] = None,
    parties: PartiesOpt = None,
    as_json: JsonOpt = False,
    time_limit: TimeLimitOpt = None,
) -> None:
    """Inverse questions: by how much an actor's BATNA or one issue weight must change for
    a deal to become acceptable to it, and how far the BATNAs must fall for a ZOPA to open."""
    from .bargaining.inverse import inverse_report
    from .cli_progress import budget_for
    from .space import compile_space

    if (proposal is None) == (deal is None):
        raise InputError([Problem("arguments", "give exactly one of --proposal ID and "
                                               "--deal issue=option,...")])
    space = compile_space(_load(scenario))
    target = proposal if proposal is not None else space.deal_index(
        _parse_deal(deal or "", space), where="--deal")
    actors = None
    if actor is not None:
        actors = [a.strip() for a in actor.split(",") if a.strip()]
        if not actors:
            raise InputError([Problem("--actor", "give comma-separated actor ids")])
        for a in actors:
            space.actor_index(a, "--actor")
    with budget_for(time_limit, "inverse questions") as budget:
        result = inverse_report(space, target, actors, _parties(parties), budget=budget)
    if as_json:
        _emit_json(result.to_dict())
        return
    from rich.table import Table

    con = _console()
    con.print(f"[bold]Inverse questions for {result.proposal or 'the deal'}[/bold] "
              f"({result.scenario_id}): {_fmt_deal(result.deal)}")
    t = Table(title="BATNA: the drop that makes each actor accept")
    for col in ("actor", "utility", "BATNA", "accepts", "drop needed"):
        t.add_column(col, justify="left" if col in ("actor", "accepts") else "right")
    for a in result.actors:
        b = a.batna
        t.add_row(b.actor, _fmt_u(float(b.utility)), _fmt_u(float(b.batna)),
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


# Commands of the games package register themselves: each module has `register(app)` and
# imports its heavy dependencies (quantecon, scipy) only inside its command bodies.
_EXTENSIONS = ("accord.games.cli_strategic", "accord.games.cli_trust", "accord.games.cli_crisis",
               "accord.games.cli_coalition", "accord.sweep.cli", "accord.report.cli",
               "accord.web.cli")


def _register_extensions() -> None:
    import importlib

    for name in _EXTENSIONS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            # skip an extension that is absent (the module or its package), not one that
            # fails to import something else
            if exc.name is None or not (name == exc.name or name.startswith(exc.name + ".")):
                raise
            continue
        module.register(app)


_register_extensions()


def main() -> None:
    """Entry point of the `accord` console script."""
    app()


if __name__ == "__main__":
    main()
