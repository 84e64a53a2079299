"""What a sweep computes for one draw, and for a chunk of draws.

A `SweepPlan` is small, picklable data (the scenario's nominal raw data, its uncertain
inputs, the options): it is sent to every worker, local process or Dask, and
`evaluate_chunk(plan, start, stop)` computes draws start..stop-1 from it. Draw i depends
only on (seed, i) (see `accord.uncertainty.draw_values`), so the results do not depend on
how the draws are split among workers.

Per draw (columns of the output file):

- the value of every uncertain input (`in:NAME`);
- `zopa` (some deal every veto actor accepts) and `zopa_margin`, the largest smallest gain
  over the BATNAs (>= 0 when a ZOPA exists; minus it is the shortfall);
- the Nash deal (`nash_deal`, as `issue=option;...`, empty when there is no ZOPA) and every
  actor's utility in it (`nash:ACTOR`);
- per proposal, whether each actor accepts it (`accept:PROPOSAL:ACTOR`), whether it is an
  agreement (`agree:PROPOSAL`) and its margin, the smallest gain of a veto actor
  (`margin:PROPOSAL`);
- optionally a forecast (`forecast:ISSUE`, in the issue's units) and a mediation's outcome
  (`mediation:agreement`, `mediation:ACTOR` utilities).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from ..errors import InputError, Problem
from ..uncertainty import UncertainInput, apply_values, draw_values

FORECAST_MODELS = ("compromise", "eu", "smp", "exchange")
MEDIATION_PROTOCOLS = ("single-text", "alternating", "mediator")


@dataclass(frozen=True)
class Column:
    """One output column: `kind` is input | bool | float | label; `bounds` the range used by
    the histogram of a float column."""

    name: str
    kind: str
    bounds: tuple[float, float] = (0.0, 1.0)


@dataclass(frozen=True)
class SweepPlan:
    """Everything a worker needs to compute draws (see the module doc)."""

    scenario_id: str
    data: dict
    inputs: tuple[UncertainInput, ...]
    seed: int
    parties: tuple[str, ...] | None = None
    forecast: str | None = None
    mediation: str | None = None
    mediation_rounds: int | None = None
    columns: tuple[Column, ...] = field(default=())
    proposals: tuple[tuple[str, tuple[int, ...]], ...] = field(default=())
    """Each proposal's id and deal as option indices (the same in every draw)."""


def _space(data: dict, name: str = "draw") -> Any:
    """Compile drawn data. A draw is checked only by the models' own bounds (fast); when it
    fails to compile (all of an actor's weights drawn as 0, say), the full validation says
    why, naming the draw."""
    from ..scenario import Scenario
    from ..space import compile_space
    from ..validation import validate_scenario

    try:
        return compile_space(Scenario.model_validate(data))
    except (ArithmeticError, ValueError, InputError):
        validate_scenario(data, name)  # raises InputError with the problems
        raise


def make_plan(scenario: Any, seed: int = 0, parties: Sequence[str] | None = None,
              forecast: str | None = None, mediation: str | None = None,
              mediation_rounds: int | None = None) -> SweepPlan:
    """The plan of a sweep over `scenario`'s uncertain inputs; checks the options."""
    problems = []
    if not scenario.uncertain_inputs:
        problems.append(Problem("", "has no uncertain inputs to sweep: write a number as a "
                                    "distribution, e.g. batna: {low: 0.4, high: 0.6} (see "
                                    "docs/uncertainty.md)", scenario.id))
    if forecast is not None and forecast not in FORECAST_MODELS:
        problems.append(Problem("--forecast", f"unknown model '{forecast}' (use "
                                              f"{', '.join(FORECAST_MODELS)})"))
    if mediation is not None and mediation not in MEDIATION_PROTOCOLS:
        problems.append(Problem("--mediation", f"unknown protocol '{mediation}' (use "
                                               f"{', '.join(MEDIATION_PROTOCOLS)})"))
    if problems:
        raise InputError(problems)
    from ..space import compile_space

    space = compile_space(scenario)
    if parties:
        space.resolve_actors(list(parties))  # names unknown parties
    plan = SweepPlan(scenario.id, scenario.nominal_data, tuple(scenario.uncertain_inputs),
                     int(seed), tuple(parties) if parties else None, forecast, mediation,
                     mediation_rounds)
    from ..bargaining.proposals import proposal_index

    deals = tuple((pr.id, proposal_index(space, pr.id)) for pr in scenario.proposals)
    return replace(plan, columns=tuple(_columns(plan, space)), proposals=deals)


def _columns(plan: SweepPlan, space: Any) -> list[Column]:
    cols = [Column("draw", "int")]
    for u in plan.inputs:
        d = u.distribution
        if d.kind == "normal":  # the histogram spans 5 sd either side, within the field
            mean, sd = d.params
            lo, hi = max(d.lower, mean - 5 * sd), min(d.upper, mean + 5 * sd)
        else:
            lo, hi = min(d.params), max(d.params)
        cols.append(Column(f"in:{u.name}", "input", (lo, hi if hi > lo else lo + 1)))
    cols += [Column("zopa", "bool"), Column("zopa_margin", "float", (-1.0, 1.0)),
             Column("nash_deal", "label")]
    cols += [Column(f"nash:{a}", "float") for a in space.actor_ids]
    for p in space.scenario.proposals:
        cols += [Column(f"accept:{p.id}:{a}", "bool") for a in space.actor_ids]
        cols += [Column(f"agree:{p.id}", "bool"), Column(f"margin:{p.id}", "float", (-1, 1))]
    if plan.forecast is not None:
        for issue in space.scenario.issues:
            lo, hi = issue.range if issue.range is not None else (0.0, 100.0)
            cols.append(Column(f"forecast:{issue.id}", "float", (lo, hi)))
    if plan.mediation is not None:
        cols.append(Column("mediation:agreement", "bool"))
        cols += [Column(f"mediation:{a}", "float") for a in space.actor_ids]
    return cols


def _derived_seed(seed: int, draw: int) -> int:
    """A seed for a draw's own random process (mediation), from (seed, draw)."""
    return int(np.random.SeedSequence([seed, draw, 1]).generate_state(1)[0])


UNIT_FREE = ("batna", "capability", "position", "war")
"""Actor fields that do not enter the utility units: when every uncertain input is one of
these, every draw has the nominal scenario's utilities and Pareto frontier, and only the
BATNAs (and capabilities and positions, which bargaining does not read) change."""


def utilities_fixed(plan: SweepPlan) -> bool:
    """True when no input changes a utility (the fast path of `evaluate_chunk`)."""
    return plan.forecast is None and plan.mediation is None and all(
        u.key[2] in UNIT_FREE for u in plan.inputs)


def _batnas(plan: SweepPlan, base: Any, values: np.ndarray) -> np.ndarray:
    """The BATNA of every actor in a draw that changes no utility: the drawn `batna`, or the
    war lottery of the drawn `war` fields when the actor gives no `batna` (as the scenario
    model derives it)."""
    from ..scenario import WarLottery

    batna = np.array(base.batna, dtype=float)
    data = apply_values(plan.data, plan.inputs, values)
    for i in sorted({int(u.key[1]) for u in plan.inputs if u.key[2] in ("batna", "war")}):
        actor = data["actors"][i]
        if "batna" in actor:
            batna[i] = float(actor["batna"])
        else:
            batna[i] = WarLottery.model_validate(actor["war"]).value
    batna.setflags(write=False)
    return batna


def evaluate_draw(plan: SweepPlan, draw: int, values: np.ndarray,
                  base: tuple[Any, Any] | None = None) -> dict[str, Any]:
    """The outcomes of one draw (see the module doc) as {column: value}.

    `base` (the nominal space and its Pareto frontier) takes the fast path when no input
    changes a utility (`utilities_fixed`): the draw is the nominal space with its BATNAs
    replaced, and the same functions decide the ZOPA, the Nash deal and acceptance.
    """
    from ..bargaining.pareto import pareto_frontier
    from ..bargaining.solutions import nash_solution
    from ..bargaining.zopa import zopa

    parties = list(plan.parties) if plan.parties else None
    if base is not None:
        space = replace(base[0], batna=_batnas(plan, base[0], values))
        f = base[1]
    else:
        space = _space(apply_values(plan.data, plan.inputs, values),
                       f"{plan.scenario_id} (draw {draw}, seed {plan.seed})")
        f = pareto_frontier(space, parties)
    row: dict[str, Any] = {"draw": draw}
    for u, v in zip(plan.inputs, values, strict=True):
        row[f"in:{u.name}"] = float(v)
    z = zopa(space, frontier=f, count_limit=0)
    row["zopa"] = z.exists
    row["zopa_margin"] = z.best_min_gain
    nash = nash_solution(space, frontier=f)
    ids = space.actor_ids
    if nash is None:
        row["nash_deal"] = ""
        for a in ids:
            row[f"nash:{a}"] = math.nan
    else:
        row["nash_deal"] = deal_label(space, nash.deal)
        u = space.utilities(np.asarray([nash.deal]))[0]
        for a, x in zip(ids, u, strict=True):
            row[f"nash:{a}"] = float(x)
    veto = np.asarray(space.veto, dtype=bool)
    for pid, index in plan.proposals:
        deal = np.asarray([index])
        acc = space.accepts(space.utility_units(deal))[0]
        gains = space.utilities(deal)[0] - space.batna
        for a, ok in zip(ids, acc, strict=True):
            row[f"accept:{pid}:{a}"] = bool(ok)
        row[f"agree:{pid}"] = bool(acc[veto].all())
        row[f"margin:{pid}"] = float(gains[veto].min()) if veto.any() else math.nan
    if plan.forecast is not None:
        row.update(_forecast(plan, space, draw))
    if plan.mediation is not None:
        row.update(_mediation(plan, space, draw))
    return row


def deal_label(space: Any, deal: Sequence[int]) -> str:
    """A deal as `issue=option;issue=option` (how deals appear in sweep files)."""
    return ";".join(f"{k}={v}" for k, v in space.deal_mapping(deal).items())


def _forecast(plan: SweepPlan, space: Any, draw: int) -> dict[str, float]:
    from ..forecast.data import StakeholderData
    from ..forecast.models import run_forecast

    data = StakeholderData.from_scenario(space.scenario)
    result = run_forecast(data, plan.forecast or "compromise", None, _derived_seed(plan.seed,
                                                                                    draw))
    if hasattr(result, "internal"):
        internal = [result.internal[i] for i in data.issues]
    else:
        internal = list(result.forecast)
    return {f"forecast:{i}": (math.nan if v is None or math.isnan(v)
                              else float(data.to_original(k, v)))
            for k, (i, v) in enumerate(zip(data.issues, internal, strict=True))}


def _mediation(plan: SweepPlan, space: Any, draw: int) -> dict[str, Any]:
    seed = _derived_seed(plan.seed, draw)
    parties = list(plan.parties) if plan.parties else None
    rounds = plan.mediation_rounds
    if plan.mediation == "single-text":
        from ..mediation.single_text import single_text

        r = single_text(space, "hill-climber", "annealing", rounds or 500, "middle",
                        parties=parties, seed=seed)
    elif plan.mediation == "alternating":
        from ..mediation.alternating import alternating_offers

        r = alternating_offers(space, ["boulware"], rounds or 100, 1.0, parties, seed)
    else:
        from ..mediation.mediator import mediate_with_interests

        r = mediate_with_interests(space, None, 0.0, 1.0, {}, 0.05, rounds or 20, parties, seed)
    out: dict[str, Any] = {"mediation:agreement": bool(r.agreement)}
    if r.outcome is None:
        for a in space.actor_ids:
            out[f"mediation:{a}"] = math.nan
    else:
        u = space.utilities(np.asarray([space.deal_index(r.outcome.deal)]))[0]
        for a, x in zip(space.actor_ids, u, strict=True):
            out[f"mediation:{a}"] = float(x)
    return out


def nominal_base(plan: SweepPlan) -> tuple[Any, Any]:
    """The nominal space and its Pareto frontier (for the fast path)."""
    from ..bargaining.pareto import pareto_frontier

    space = _space(plan.data, plan.scenario_id)
    return space, pareto_frontier(space, list(plan.parties) if plan.parties else None)


def evaluate_chunk(plan: SweepPlan, start: int, stop: int, fast: bool = True
                   ) -> dict[str, np.ndarray]:
    """Draws start..stop-1 as columns ({name: array}, in `plan.columns` order). With `fast`
    (default), a plan whose inputs change no utility compiles the scenario and its frontier
    once per chunk instead of once per draw; the results are the same."""
    values = draw_values(plan.inputs, plan.seed, start, stop)
    base = nominal_base(plan) if fast and utilities_fixed(plan) and stop > start else None
    rows = [evaluate_draw(plan, start + r, values[r], base) for r in range(stop - start)]
    out: dict[str, np.ndarray] = {}
    for c in plan.columns:
        col = [row[c.name] for row in rows]
        if c.kind == "label":
            out[c.name] = np.asarray(col, dtype=object)
        elif c.kind == "bool":
            out[c.name] = np.asarray(col, dtype=bool)
        elif c.kind == "int":
            out[c.name] = np.asarray(col, dtype=np.int64)
        else:
            out[c.name] = np.asarray(col, dtype=float)
    return out


def evaluate_values(plan: SweepPlan, values: np.ndarray) -> dict[str, Any]:
    """The outcomes of the scenario with the inputs at `values` (for one-at-a-time
    sensitivity), as {column: value}."""
    return evaluate_draw(plan, -1, np.asarray(values, dtype=float))
