"""`run_sweep`: draw N scenarios from the uncertain inputs and say how robust each conclusion
is.

Cost: the nominal scenario's bargaining answers once (`make_plan`), then N draws x (a
compile, or a rescaling of the nominal one when only salience weights and BATNAs are
drawn; two or three exact searches started from the deals found so far, see
`accord.sweep.plan`; one evaluation per proposal; plus a forecast or a mediation when
asked), spread over the executor's workers in chunks. Scenarios with interaction terms
read each draw's answers off a Pareto frontier instead (one per process when only BATNAs
are drawn). Memory is O(chunk x columns + inputs x outcomes + histogram bins), whatever
N. The one-at-a-time sensitivity adds 2 x inputs evaluations.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from ..budget import Budget, check
from ..errors import InputError, Problem
from .executors import Executor, make_executor
from .plan import SweepPlan, evaluate_chunk, evaluate_values, make_plan
from .result import (
    DrawnInput,
    ForecastSection,
    MediationSection,
    NashDeal,
    NashSection,
    ProposalSection,
    SweepResult,
    Tornado,
    TornadoRow,
    ZopaSection,
)
from .sinks import check_target, open_sink
from .stats import BINS, Correlations, Proportion, Summary

MAX_CHUNK = 250
MIN_CHUNKS = 16
"""Draws are cut into at least this many chunks (of at most MAX_CHUNK draws), whatever the
number of workers."""
TOP_DEALS = 20
"""The most frequent Nash deals listed in a result (all are counted; the files have every
draw's deal)."""
QUANTILES = (0.05, 0.95)
"""The one-at-a-time sweep sets each input to these quantiles of its distribution."""
DRAWS = "sweep draws"
ADVICE = "give fewer --samples, or more --workers"


class Aggregator:
    """Streaming summaries of every column of a plan (see `accord.sweep.stats`): O(chunk x
    columns + inputs x outcomes) per chunk, memory independent of the number of draws."""

    def __init__(self, plan: SweepPlan) -> None:
        self.plan = plan
        self.inputs = [c.name for c in plan.columns if c.kind == "input"]
        self.outcomes = [c.name for c in plan.columns if c.kind == "float"]
        self.props = {c.name: Proportion() for c in plan.columns if c.kind == "bool"}
        self.summaries = {c.name: Summary(*c.bounds) for c in plan.columns
                          if c.kind in ("float", "input")}
        self.nash_exists = Proportion()
        self.nash_deals: Counter[str] = Counter()
        self.corr = Correlations(len(self.inputs), len(self.outcomes))
        self.n = 0

    def add(self, chunk: dict[str, np.ndarray]) -> None:
        for name, p in self.props.items():
            p.add(chunk[name])
        for name, s in self.summaries.items():
            s.add(chunk[name])
        labels = chunk["nash_deal"]
        self.nash_exists.add(labels != "")
        self.nash_deals.update(x for x in labels.tolist() if x)
        x = np.column_stack([chunk[c] for c in self.inputs])
        y = (np.column_stack([chunk[c] for c in self.outcomes]) if self.outcomes
             else np.zeros((len(x), 0)))
        self.corr.add(x, y)
        self.n += len(labels)


def _chunks(samples: int, size: int) -> list[tuple[int, int]]:
    return [(s, min(samples, s + size)) for s in range(0, samples, size)]


def run_sweep(scenario: Any, samples: int, seed: int = 0, *,
              parties: Sequence[str] | None = None, workers: int = 1,
              scheduler: str | None = None, executor: Executor | None = None,
              out: str | None = None, force: bool = False, forecast: str | None = None,
              mediation: str | None = None, mediation_rounds: int | None = None,
              sensitivity: bool = True, chunk_size: int | None = None,
              progress: Callable[[int, int], None] | None = None,
              budget: Budget | None = None) -> SweepResult:
    """Draw `samples` scenarios (reproducible from `seed`, whatever the executor) and
    summarise them; stream every draw to `out` (.csv or .parquet) when given.

    Executors: `executor` if given, else `workers` local processes, or Dask with
    `scheduler` (an address, or "local" for a LocalCluster of `workers` workers).
    `progress(done, samples)` is called after every chunk; `budget` is polled before the
    first chunk, after every chunk and in the sensitivity sweep (`BudgetExceeded` when it
    runs out; a partial `out` file is removed).

    Cost: the nominal answers once (`make_plan`), then `samples` draws of `evaluate_chunk`
    (a compile or a rescaling and two or three exact searches each; see the module doc),
    spread over the executor's workers, plus 2 x inputs evaluations for the sensitivity.

    References: Wilson, E. B. (1927) J. Amer. Statist. Assoc. 22(158):209-212,
    doi:10.1080/01621459.1927.10502953 (the intervals); Saltelli, A. et al. (2008) *Global
    Sensitivity Analysis: The Primer*, Wiley, doi:10.1002/9780470725184 (the sensitivity).
    """
    if samples < 1:
        raise InputError([Problem.of_parameter("samples", f"must be 1 or more, got {samples}")])
    if seed < 0:
        raise InputError([Problem.of_parameter("seed", f"must be 0 or more, got {seed}")])
    plan = make_plan(scenario, seed, parties, forecast, mediation, mediation_rounds,
                     budget=None if budget is None else budget.sub("nominal scenario"))
    check(budget, 0, samples, DRAWS, ADVICE)
    target = check_target(out, force) if out is not None else None
    t0 = time.perf_counter()
    own = executor is None
    ex = make_executor(workers, scheduler) if executor is None else executor
    # the chunking depends on N only, never on the workers, so the streaming summaries are
    # merged in the same order (and agree to the last digit) on every executor
    size = chunk_size or max(1, min(MAX_CHUNK, math.ceil(samples / MIN_CHUNKS)))
    tasks = [(plan, a, b) for a, b in _chunks(samples, size)]
    agg = Aggregator(plan)
    sink = None
    try:
        sink = open_sink(target, plan.columns) if target is not None else None
        t_draws = time.perf_counter()
        for chunk in ex.imap(evaluate_chunk, tasks):
            agg.add(chunk)
            if sink is not None:
                sink.write(chunk)
            if progress is not None:
                progress(agg.n, samples)
            check(budget, agg.n, samples, DRAWS, ADVICE)
        draw_seconds = time.perf_counter() - t_draws
        if sink is not None:
            sink.commit()
    except BaseException:
        if sink is not None:
            sink.abort()
        raise
    finally:
        if own:
            ex.close()
    tornado = one_at_a_time(plan, agg, budget) if sensitivity else []
    return _result(plan, agg, tornado, {
        "seed": seed, "executor": ex.name, "workers": ex.workers, "chunk": size,
        "draws": "numpy default_rng([seed, draw]) per draw; inputs in file order",
        "interval": "Wilson score, 95%",
        "quantiles": f"histogram of {BINS} bins over each column's range",
        "sensitivity": "one-at-a-time: each input at its 5% and 95% quantiles, the others "
                       "nominal; correlation: Pearson over the draws",
        "out": None if target is None else str(target),
        "seconds": round(time.perf_counter() - t0, 3),
        "draws_per_second": round(samples / draw_seconds, 1) if draw_seconds > 0 else None,
    })


def one_at_a_time(plan: SweepPlan, agg: Aggregator, budget: Budget | None = None
                  ) -> list[Tornado]:
    """Tornado tables: for each conclusion (the ZOPA margin, each proposal's margin), every
    input's swing when it alone moves from its 5% to its 95% quantile, ranked, with its
    correlation with the outcome over the draws. `budget` is polled for every input.

    swing_j = |y(x_j = q95) - y(x_j = q05)| with every other input nominal. Cost: 1 + 2 x
    inputs evaluations (`evaluate_values`).

    References: Saltelli, A. et al. (2008) *Global Sensitivity Analysis: The Primer*, Wiley,
    doi:10.1002/9780470725184 (one-at-a-time designs).
    """
    base_plan = replace(plan, forecast=None, mediation=None)
    nominal = np.array([u.distribution.nominal for u in plan.inputs], dtype=float)
    outcomes = ["zopa_margin"] + [c.name for c in plan.columns if c.name.startswith("margin:")]
    base = evaluate_values(base_plan, nominal)
    ends = []
    for j, u in enumerate(plan.inputs):
        check(budget, j, len(plan.inputs), "sensitivity (one input at a time)",
              "skip it with --no-sensitivity")
        lo_v, hi_v = (u.distribution.quantile(q) for q in QUANTILES)
        values = []
        for v in (lo_v, hi_v):
            x = nominal.copy()
            x[j] = v
            values.append(evaluate_values(base_plan, x))
        ends.append((lo_v, hi_v, values))
    corr = agg.corr.matrix()
    tables = []
    for name in outcomes:
        k = agg.outcomes.index(name)
        rows = []
        for j, u in enumerate(plan.inputs):
            lo_v, hi_v, (at_lo, at_hi) = ends[j]
            r = corr[j, k]
            rows.append(TornadoRow(u.name, lo_v, hi_v, _r(at_lo[name]), _r(at_hi[name]),
                                   _r(abs(at_hi[name] - at_lo[name])),
                                   None if np.isnan(r) else _r(float(r))))
        rows.sort(key=lambda t: (-(t.swing or 0.0), -abs(t.correlation or 0.0)))
        tables.append(Tornado(name, _r(base[name]), rows))
    return tables


def _r(x: float | None) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else round(float(x), 6)


def _deal(label: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in label.split(";"))


def _result(plan: SweepPlan, agg: Aggregator, tornado: list[Tornado], method: dict
            ) -> SweepResult:
    from ..scenario import Scenario

    scenario = Scenario.model_validate(plan.data)
    actors = [a.id for a in scenario.actors]
    inputs = [DrawnInput(u.name, {"kind": u.distribution.kind, **u.distribution.to_dict()},
                         float(u.distribution.nominal),
                         agg.summaries[f"in:{u.name}"].distribution()) for u in plan.inputs]
    proposals = [ProposalSection(
        p.id, p.title, agg.props[f"agree:{p.id}"].estimate(),
        {a: agg.props[f"accept:{p.id}:{a}"].estimate() for a in actors},
        agg.summaries[f"margin:{p.id}"].distribution()) for p in scenario.proposals]
    n = agg.n
    deals = [NashDeal(_deal(label), c, round(c / n, 6))
             for label, c in agg.nash_deals.most_common(TOP_DEALS)]
    nash = NashSection(agg.nash_exists.estimate(), deals, len(agg.nash_deals),
                       {a: agg.summaries[f"nash:{a}"].distribution() for a in actors})
    forecast = None
    if plan.forecast is not None:
        forecast = ForecastSection(plan.forecast, {
            i.id: agg.summaries[f"forecast:{i.id}"].distribution() for i in scenario.issues})
    mediation = None
    if plan.mediation is not None:
        mediation = MediationSection(
            plan.mediation, agg.props["mediation:agreement"].estimate(),
            {a: agg.summaries[f"mediation:{a}"].distribution() for a in actors})
    zopa = ZopaSection(agg.props["zopa"].estimate(), agg.summaries["zopa_margin"].distribution())
    return SweepResult(plan.scenario_id, n, plan.seed, inputs, zopa, proposals, nash,
                       forecast, mediation, tornado, method)
