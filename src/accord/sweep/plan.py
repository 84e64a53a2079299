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

How. When the direct search applies (`Space.searchable`) the ZOPA, its margin and the
Nash deal come from exact searches (`accord.bargaining.search`, with the tie rules of
`accord.bargaining.questions`): the largest smallest gain over all deals, then the Nash
product over the ZOPA, on the draw's question model. They are the answers of the frontier
method they replace (`zopa` and `nash_solution` on the Pareto frontier, still used for
scenarios with interaction terms), the margin to the last bit of its float (see
`_float_margin`). What the draws of a plan share is computed once per process
(`nominal`): the nominal space; its question model, which draws that change only BATNAs
search on; and the deals found so far, from which every search starts (with the nominal
answers, `SweepPlan.hints`, computed once by `make_plan`), which usually leaves little
for the search to prove. Actors whose salience weights were drawn are rescaled from the
nominal space rather than compiled anew (`_reweighted`). A warm start changes how long a
search takes, never its answer, so a draw's results do not depend on the draws its
process saw before.
"""

from __future__ import annotations

import hashlib
import math
import pickle
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

import numpy as np

from ..budget import Budget
from ..errors import InputError, Problem
from ..uncertainty import UncertainInput, apply_values, draw_values


@dataclass(frozen=True)
class Column:
    """One output column: `kind` is input | int | bool | float | label (int: the draw
    number); `bounds` the range used by the histogram of a float or input column."""

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
    hints: tuple[tuple[int, ...], ...] = field(default=())
    """Deals the nominal scenario's searches found (its best smallest gain and its Nash
    deal): each draw's exact searches start from the best of them. A warm start only: the
    answers do not depend on it."""


def _space(data: dict, name: str = "draw", base: Any = None) -> Any:
    """Compile drawn data. A draw is checked only by the models' own bounds (fast); when it
    fails to compile (all of an actor's weights drawn as 0, say), the full validation says
    why, naming the draw. With `base` (the nominal space), actors whose salience weights
    alone were drawn are rescaled from it (`_reweighted`) rather than compiled anew."""
    from ..scenario import Scenario
    from ..space import compile_space
    from ..validation import validate_scenario

    try:
        scenario = Scenario.model_validate(data)
        space = None if base is None else _reweighted(base, scenario)
        return compile_space(scenario) if space is None else space
    except (ArithmeticError, ValueError, InputError):
        validate_scenario(data, name)  # raises InputError with the problems
        raise


def _reweighted(base: Any, scenario: Any) -> Any:
    """`compile_space(scenario)`, derived from `base`, the space of a scenario that differs
    from it at most in salience weights and in numbers that enter no utility (BATNAs,
    capabilities, ...); None when it differs otherwise, or when an actor whose weights
    changed has interaction terms, inexact units or a weight that was 0.

    Compiling an actor costs rational arithmetic on every option (see `accord.space`);
    here its score fractions are read back from its exact units: an issue term is
    w_i s(o) / (100 W) = U[i][o] / K, so under weights w' (total W') it is c_i U[i][o]
    with c_i = w'_i W / (w_i W' K), and the new K' is the least common denominator of
    those, lcm_i of den(c_i) / gcd(den(c_i), gcd_o U[i][o]). Beyond `EXACT_LIMIT` the
    actor falls back to the float grid as `compile_space` does. O(options) integer
    arithmetic per changed actor; the result equals `compile_space`'s array for array."""
    from ..space import EXACT_LIMIT, FALLBACK_SCALE, _actor_terms

    issues = list(scenario.issues)
    old = base.scenario
    if (not base.additive or old.issues != scenario.issues
            or [a.id for a in old.actors] != [a.id for a in scenario.actors]):
        return None
    weights = np.array(base.weights)
    units = [np.array(u) for u in base.units]
    scale = np.array(base.scale)
    exact = np.array(base.exact)
    for a, (was, actor) in enumerate(zip(old.actors, scenario.actors, strict=True)):
        if was.preferences != actor.preferences or was.interactions != actor.interactions:
            return None
        if was.salience == actor.salience:
            continue
        if actor.interactions or not base.exact[a]:
            return None
        w0, _, total0 = _actor_terms(was, issues)
        w1, _, total1 = _actor_terms(actor, issues)
        if total1 == 0:
            return None
        weights[a] = [float(w / total1) for w in w1]
        factors: list[Fraction | None] = []
        dens = [1]
        for i in range(len(issues)):
            if w1[i] == 0:
                factors.append(None)
                continue
            if w0[i] == 0:
                return None
            c = w1[i] * total0 / (w0[i] * total1 * int(base.scale[a]))
            g = int(np.gcd.reduce(base.units[i][a].astype(np.int64)))
            dens.append(c.denominator // math.gcd(c.denominator, g))
            factors.append(c)
        k = math.lcm(*dens)
        if k > EXACT_LIMIT:
            for i in range(len(issues)):
                units[i][a] = np.round(weights[a, i] * base.scores[i][a] / 100.0
                                       * FALLBACK_SCALE)
            scale[a], exact[a] = FALLBACK_SCALE, False
            continue
        for i, c in enumerate(factors):
            # c U k is an integer of at most k <= EXACT_LIMIT = 2**50: the float product is
            # within 2**50 * 2.3e-16 < 0.5 of it, so rounding gives it exactly
            units[i][a] = 0.0 if c is None else np.rint(
                base.units[i][a] * (c.numerator * k / c.denominator))
        scale[a], exact[a] = float(k), True
    actors = scenario.actors
    out = {"weights": weights, "units": units, "scale": scale, "exact": exact,
           "contributions": [u / scale[:, None] for u in units],
           "batna": np.array([a.batna for a in actors], dtype=float),
           "veto": np.array([a.has_veto for a in actors], dtype=bool),
           "capability": np.array([a.capability for a in actors], dtype=float)}
    for v in out.values():
        for arr in v if isinstance(v, list) else [v]:
            arr.setflags(write=False)
    return replace(base, scenario=scenario, roles=tuple(a.role for a in actors),
                   **{k: tuple(v) if isinstance(v, list) else v for k, v in out.items()})


def make_plan(scenario: Any, seed: int = 0, parties: Sequence[str] | None = None,
              forecast: str | None = None, mediation: str | None = None,
              mediation_rounds: int | None = None, budget: Budget | None = None
              ) -> SweepPlan:
    """The plan of a sweep over `scenario`'s uncertain inputs; checks the options. For a
    searchable scenario it answers the nominal scenario's bargaining questions once (polling
    `budget`), so that every draw's searches start from those deals (`SweepPlan.hints`).

    Cost: one compile (`accord.space.compile_space`) and, when searchable, the nominal
    ZOPA and Nash searches (exponential in the worst case, see `accord.bargaining.search`).

    References: Land, A. H. and Doig, A. G. (1960) Econometrica 28(3):497-520,
    doi:10.2307/1910129 (the exact searches); Nash, J. F. (1950) "The bargaining problem",
    Econometrica 18(2):155-162, doi:10.2307/1907266 (the Nash deal).
    """
    problems = []
    if not scenario.uncertain_inputs:
        problems.append(Problem("", "has no uncertain inputs to sweep: write a number as a "
                                    "distribution, e.g. batna: {low: 0.4, high: 0.6} (see "
                                    "docs/uncertainty.md)", scenario.id))
    from ..forecast.models import NAMES
    from ..ops.mediation import PROTOCOLS

    if forecast is not None and forecast not in NAMES:
        problems.append(Problem.of_parameter("forecast", f"unknown model '{forecast}' (use "
                                                         f"{', '.join(NAMES)})"))
    if mediation is not None and mediation not in PROTOCOLS:
        problems.append(Problem.of_parameter("mediation", f"unknown protocol '{mediation}' (use "
                                                          f"{', '.join(PROTOCOLS)})"))
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
    hints: tuple[tuple[int, ...], ...] = ()
    if space.searchable:
        answer = _direct(space, _gains(space, plan.parties), (), budget)
        hints = tuple(dict.fromkeys(answer.deals))
    return replace(plan, columns=tuple(_columns(plan, space)), proposals=deals, hints=hints)


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
                  base: Nominal | None = None) -> dict[str, Any]:
    """The outcomes of one draw (see the module doc) as {column: value}.

    `base` (what the plan's draws share in this process, see `nominal`) takes the fast
    paths, with the same results: when no input changes a utility (`utilities_fixed`) the
    draw is the nominal space with its BATNAs replaced, and its questions are searched on
    the nominal question model (or read off the nominal frontier); when salience weights
    change, the actors concerned are rescaled from the nominal space (`_reweighted`). And
    the searches start from the deals found so far. Without `base` the draw is compiled
    and answered from scratch (starting from `SweepPlan.hints`).

    Cost: a compile or a rescaling, two or three exact searches (or O(|F| * parties) on the
    nominal frontier for scenarios with interaction terms), O(issues * actors) per
    proposal, plus the forecast or mediation when asked.

    References: Land, A. H. and Doig, A. G. (1960) Econometrica 28(3):497-520,
    doi:10.2307/1910129 (the exact searches); Nash, J. F. (1950) "The bargaining problem",
    Econometrica 18(2):155-162, doi:10.2307/1907266 (the Nash deal).
    """
    if base is not None and utilities_fixed(plan):
        space = replace(base.space, batna=_batnas(plan, base.space, values))
        reuse = base.reuse(plan)
    else:
        space = _space(apply_values(plan.data, plan.inputs, values),
                       f"{plan.scenario_id} (draw {draw}, seed {plan.seed})",
                       None if base is None else base.space)
        reuse = None
    row: dict[str, Any] = {"draw": draw}
    for u, v in zip(plan.inputs, values, strict=True):
        row[f"in:{u.name}"] = float(v)
    answer = _bargain(space, plan.parties, plan.hints if base is None else base.known.deals(),
                      reuse)
    if base is not None:
        base.known.add(answer.deals)
    row["zopa"] = answer.exists
    row["zopa_margin"] = answer.margin
    ids = space.actor_ids
    if answer.nash is None:
        row["nash_deal"] = ""
        for a in ids:
            row[f"nash:{a}"] = math.nan
    else:
        row["nash_deal"] = deal_label(space, answer.nash)
        u = space.utilities(np.asarray([answer.nash]))[0]
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


# ---------------------------------------------------------------------------------------
# The bargaining answers of a draw


@dataclass(frozen=True)
class Answer:
    """A draw's ZOPA (`exists`; `margin`, the largest smallest gain over the BATNAs, as
    `accord.bargaining.zopa.zopa` computes it: in floats, from the exact units) and its
    Nash deal (None without a ZOPA); `deals` the deals the searches found (warm starts).
    References: as `evaluate_draw` (Nash 1950, doi:10.2307/1907266)."""

    exists: bool
    margin: float
    nash: tuple[int, ...] | None
    deals: tuple[tuple[int, ...], ...] = ()


class _Known:
    """The deals this process's draws of one plan found, newest first (at most `size`),
    after the plan's own hints: every draw's searches start from the best of them. Only a
    warm start, so the answers do not depend on which draws a process saw before."""

    size = 32

    def __init__(self, hints: Sequence[tuple[int, ...]]) -> None:
        self.hints = list(hints)
        self.found: list[tuple[int, ...]] = []
        self.lock = threading.Lock()

    def deals(self) -> list[tuple[int, ...]]:
        with self.lock:
            return list(dict.fromkeys([*self.hints, *self.found]))

    def add(self, deals: Sequence[tuple[int, ...]]) -> None:
        with self.lock:
            for d in deals:
                if d not in self.hints:
                    if d in self.found:
                        self.found.remove(d)
                    self.found.insert(0, d)
            del self.found[self.size:]


class Nominal:
    """What the draws of one plan share in a process: the nominal space, its question model
    (or Pareto frontier) for draws that change only BATNAs, built on first use, and the
    deals the draws' searches found (`_Known`)."""

    def __init__(self, plan: SweepPlan) -> None:
        self.space = _space(plan.data, plan.scenario_id)
        self.known = _Known(plan.hints)
        self._reuse: Any = None
        self._lock = threading.Lock()

    def reuse(self, plan: SweepPlan) -> Any:
        with self._lock:
            if self._reuse is None:
                parties = list(plan.parties) if plan.parties else None
                if self.space.searchable:
                    self._reuse = _gains(self.space, parties).model
                else:
                    from ..bargaining.pareto import pareto_frontier

                    self._reuse = pareto_frontier(self.space, parties)
            return self._reuse


_NOMINAL: dict[str, Nominal] = {}
_NOMINAL_LOCK = threading.Lock()


def nominal(plan: SweepPlan) -> Nominal:
    """The `Nominal` of `plan` in this process (the last few plans are remembered, by
    content)."""
    key = hashlib.sha256(pickle.dumps((plan.scenario_id, plan.data, plan.parties,
                                       plan.hints))).hexdigest()
    with _NOMINAL_LOCK:
        found = _NOMINAL.get(key)
    if found is None:
        found = Nominal(plan)
        with _NOMINAL_LOCK:
            while len(_NOMINAL) >= 4:
                _NOMINAL.pop(next(iter(_NOMINAL)))
            _NOMINAL[key] = found
    return found


def _bargain(space: Any, parties: Sequence[str] | None, hints: Sequence[tuple[int, ...]],
             reuse: Any = None) -> Answer:
    """The bargaining answers of a draw: by exact searches when the space is searchable (on
    `reuse`, the nominal question model, when only BATNAs changed), else off the Pareto
    frontier (`reuse`, the nominal frontier)."""
    names = list(parties) if parties else None
    if space.searchable:
        return _direct(space, _gains(space, parties, reuse), hints)
    from ..bargaining.pareto import pareto_frontier
    from ..bargaining.solutions import nash_solution
    from ..bargaining.zopa import zopa

    f = reuse if reuse is not None else pareto_frontier(space, names)
    z = zopa(space, frontier=f, count_limit=0)
    nash = nash_solution(space, frontier=f)
    return Answer(z.exists, z.best_min_gain, None if nash is None else nash.deal)


def _gains(space: Any, parties: Sequence[str] | None, model: Any = None) -> Any:
    """The question model of `space` (`accord.bargaining.questions.prepare`), or `model`
    (compiled for the same utilities) with `space`'s BATNAs."""
    from ..bargaining.questions import Gains, prepare
    from ..bargaining.search import exact_batna, exact_threshold

    if model is None:
        return prepare(space, list(parties) if parties else None)
    idx = model.parties
    return Gains(model, tuple(Fraction(int(k)) for k in space.scale[list(idx)]),
                 tuple(exact_batna(space, idx)), tuple(exact_threshold(space, idx)))


def _direct(space: Any, g: Any, hints: Sequence[tuple[int, ...]],
            budget: Budget | None = None) -> Answer:
    """ZOPA, best smallest gain and Nash deal by exact searches, with the answers and tie
    rules of `accord.bargaining.questions` (`zopa_direct`, the Nash deal of
    `solutions_direct`); each search starts from the best of `hints`."""
    from ..bargaining.questions import _TOL, _max_sum, _neg, best_for_each
    from ..bargaining.search import Objective, search

    n = g.n
    T = list(g.T)
    hints = list(hints)
    r1 = search(g.model, g.min_gain(), [None] * n, lex=False,
                start=_start(g, g.min_gain(), hints), budget=budget)
    assert r1 is not None  # unconstrained: there is always a deal
    best = r1.value
    if best >= 0:
        exists = True
    elif best >= -2 * _TOL:  # within the acceptance tolerance: ask the question exactly
        exists = search(g.model, g.min_gain(), T, lex=False, budget=budget) is not None
    else:
        exists = False
    margin = _float_margin(space, g, best, r1.units, r1.deal, budget)
    if not exists:
        return Answer(False, margin, None, (r1.deal,))
    # the Nash product over the parties that gain somewhere in the ZOPA (all of them when
    # the best smallest gain is positive)
    hints.append(r1.deal)
    if best > 0:
        live = tuple(range(n))
    else:
        tops = best_for_each(g, _start(g, g.sum_gain(), hints, T), budget, deals=False)
        assert tops is not None
        live = tuple(a for a in range(n) if tops[a][0] > g.D[a])
    nash = None
    if live:
        obj = Objective("nash", live, tuple(1 / g.K[a] for a in live),
                        tuple(-g.D[a] for a in live), (Fraction(1),) * len(live))
        r = search(g.model, obj, T, start=_start(g, obj, hints, T), keep_ties=True,
                   budget=budget)
        if r is not None:
            top = max(r.ties, key=lambda u: (sum(g.gains(u)), _neg(r.ties[u])))
            nash = r.ties[top]
    if nash is None:  # nobody can gain, or no deal gives every such party a gain
        nash = _max_sum(g, T, budget, _start(g, g.sum_gain(), hints, T))
    return Answer(True, margin, nash, (r1.deal, nash))


def _start(g: Any, obj: Any, hints: Sequence[tuple[int, ...]],
           lower: Sequence[int] | None = None) -> tuple[int, ...] | None:
    """A first deal for a search of `obj` (with u >= `lower`): the hint with the best exact
    value among those that meet `lower` (the first of equals; exact comparisons only near
    the best float), improved by `_ascend`; or None."""
    if not hints:
        return None
    units = g.model.space.utility_units(np.asarray(hints), g.model.parties)
    if lower is not None:
        ok = np.flatnonzero((units >= np.asarray(lower, dtype=float)).all(axis=1))
        if not len(ok):
            return None
        hints, units = [hints[k] for k in ok], units[ok]
    f = obj.floats(units)
    top = float(f.max())
    near = np.flatnonzero(f >= top - 1e-9 * (1.0 + abs(top))) if top > -math.inf else [0]
    exact = [obj.exact([int(x) for x in units[k]]) for k in near]
    best = max(exact)
    pick = hints[int(near[exact.index(best)])]
    better = _ascend(g, obj, pick, lower)
    u = [int(x) for x in g.model.space.utility_units(np.asarray([better]),
                                                     g.model.parties)[0]]
    if lower is not None and any(x < t for x, t in zip(u, lower, strict=True)):
        return pick
    return better if obj.exact(u) > best else pick


def _ascend(g: Any, obj: Any, deal: tuple[int, ...], lower: Sequence[int] | None,
            rounds: int = 20) -> tuple[int, ...]:
    """Coordinate ascent from `deal` (a heuristic, in floats): change one issue at a time
    to the option that most improves `obj`, then the sum of gains, among those keeping
    u >= `lower`, until no issue improves. A better first deal lets a search prune at once.
    O(rounds x options)."""
    mo = g.model
    at = mo.local(deal)
    if at is None:
        return deal  # a dominated option: leave it to the search
    low = np.array([-math.inf if x is None else x for x in lower or [None] * mo.n])
    total = g.sum_gain()

    def values(u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        ok = (u >= low).all(axis=1)
        return np.where(ok, obj.floats(u), -math.inf), total.floats(u)

    u = sum(mo.U[i][p] for i, p in enumerate(at))
    first, second = (float(x[0]) for x in values(u[None, :]))
    tol = 1e-12 * (1.0 + abs(first))
    for _ in range(rounds):
        moved = False
        for i in range(mo.m):
            cand = u[None, :] - mo.U[i][at[i]] + mo.U[i]
            f1, f2 = values(cand)
            j = int(np.lexsort((-f2, -f1))[0])
            if f1[j] > first + tol or (f1[j] >= first - tol and f2[j] > second + tol):
                first, second, u, at[i], moved = float(f1[j]), float(f2[j]), cand[j], j, True
        if not moved:
            break
    return mo.full_deal(at)


def _float_margin(space: Any, g: Any, best: Fraction, units: Sequence[int],
                  deal: tuple[int, ...], budget: Budget | None = None) -> float:
    """The largest smallest gain as `accord.bargaining.zopa.zopa` computes it, F = max over
    deals of min_a f_a(u_a) with f_a(u) = u / K_a - batna_a in floating point, from the
    exact maximum `best` of min_a (u_a / K_a - D_a) and a deal (`units`) that reaches it.

    Each f_a is non-decreasing in u_a, so F >= w exactly when some deal has u_a >= t_a(w)
    (the least such units) for every a; and every such deal reaches `best` exactly. Start
    from v = F at `deal`; while the next float w above v is reachable, move up. It is not
    when the bounds t(w) force an exact smallest gain above `best` (the usual case: no
    search). Else (several parties tight at `best`, whose floats differ in the last digit)
    one search decides, started from the current deal: max min (u_a - t_a) / K_a over the
    parties a whose t_a lies above their units at `best`, among the deals that reach
    `best`."""
    from ..bargaining.search import Objective, search

    idx = list(g.model.parties)
    K = [float(k) for k in space.scale[idx]]
    b = [float(x) for x in space.batna[idx]]
    level = [math.ceil((best + d) * k) for d, k in zip(g.D, g.K, strict=True)]

    def f(a: int, u: int) -> float:
        return float(u) / K[a] - b[a]

    v = min(f(a, int(u)) for a, u in enumerate(units))
    while True:
        w = math.nextafter(v, math.inf)
        need = [_least_units(lambda u, a=a: f(a, u), w, K[a], b[a]) for a in range(g.n)]
        if min(Fraction(t) / k - d for t, k, d in zip(need, g.K, g.D, strict=True)) > best:
            return v
        over = tuple(a for a in range(g.n) if need[a] > level[a])
        if not over:  # cannot happen: `deal` reaches `best` and v < w
            return v
        obj = Objective("minaff", over, tuple(1 / g.K[a] for a in over),
                        tuple(-Fraction(need[a]) / g.K[a] for a in over))
        r = search(g.model, obj, [min(t, m) for t, m in zip(need, level, strict=True)],
                   lex=False, start=deal, budget=budget)
        if r is None or r.value < 0:
            return v
        v, deal = min(f(a, int(u)) for a, u in enumerate(r.units)), r.deal


def _least_units(f: Any, v: float, k: float, b: float) -> int:
    """The least integer u with f(u) >= v, for f(u) ~ u / k - b non-decreasing."""
    u = math.ceil((Fraction(v) + Fraction(b)) * Fraction(k))
    while f(u - 1) >= v:
        u -= 1
    while f(u) < v:
        u += 1
    return u


def deal_label(space: Any, deal: Sequence[int]) -> str:
    """A deal as `issue=option;issue=option` (how deals appear in sweep files)."""
    return ";".join(f"{k}={v}" for k, v in space.deal_mapping(deal).items())


def _forecast(plan: SweepPlan, space: Any, draw: int) -> dict[str, float]:
    from ..ops.forecasting import forecast

    result = forecast(space.scenario, model=plan.forecast or "compromise",
                      seed=_derived_seed(plan.seed, draw))
    return {f"forecast:{i}": math.nan if v is None else v for i, v in result.outcome.items()}


def _mediation(plan: SweepPlan, space: Any, draw: int) -> dict[str, Any]:
    from ..ops.mediation import mediate

    r = mediate(space, protocol=plan.mediation or "single-text",
                parties=list(plan.parties) if plan.parties else None,
                seed=_derived_seed(plan.seed, draw), rounds=plan.mediation_rounds)
    out: dict[str, Any] = {"mediation:agreement": bool(r.agreement)}
    if r.outcome is None:
        for a in space.actor_ids:
            out[f"mediation:{a}"] = math.nan
    else:
        u = space.utilities(np.asarray([space.deal_index(r.outcome.deal)]))[0]
        for a, x in zip(space.actor_ids, u, strict=True):
            out[f"mediation:{a}"] = float(x)
    return out


def evaluate_chunk(plan: SweepPlan, start: int, stop: int, fast: bool = True
                   ) -> dict[str, np.ndarray]:
    """Draws start..stop-1 as columns ({name: array}, in `plan.columns` order). With `fast`
    (default) the draws take the fast paths of `evaluate_draw` (what they share with the
    nominal scenario is computed once per process); the results are the same.
    Cost: (stop - start) x `evaluate_draw`. References: as `evaluate_draw`."""
    values = draw_values(plan.inputs, plan.seed, start, stop)
    base = nominal(plan) if fast and stop > start else None
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
    sensitivity), as {column: value}. Cost: one `evaluate_draw` on the plan's `Nominal`."""
    return evaluate_draw(plan, -1, np.asarray(values, dtype=float), nominal(plan))
