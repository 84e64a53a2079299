"""Gather every result a report shows, computed once: the analysis, a cloud of deals for the
utility-space plot, two forecasts, two mediation runs and, when asked, the uncertainty sweep.

Nothing here renders; `accord.report.html` turns a `ReportData` into a page, and the web app
can reuse the same object. A section whose model refuses the scenario (an `InputError`) is
kept as its message, so that one unsuitable model does not sink the whole report.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..analysis import Analysis
from ..budget import Budget, BudgetExceeded, check
from ..errors import InputError, Problem
from ..ops.bargaining import analyze
from ..ops.source import scenario_of
from ..scenario import Scenario
from ..space import Space, compile_space, sample_deals

CLOUD_LIMIT = 20_000
"""Outcome spaces up to this size are plotted in full; larger ones as a seeded sample."""

FORECAST_MODELS = ("compromise", "eu")
SECTIONS = 4
"""Steps of `collect` reported to a budget: analysis, sweep, cloud and forecasts,
negotiations."""
REPORT = "report sections"
MEDIATIONS = {"single-text": "single-text", "alternating-offers": "alternating"}
"""The negotiations a report simulates (its section names: protocols of `accord.ops`, each
with its defaults)."""


@dataclass(frozen=True)
class DealCloud:
    """Deals for the utility-space plot: option indices (m, n_issues) and every actor's
    utility (m, n_actors). `sampled` says whether they are a sample of `total` deals."""

    deals: np.ndarray
    utilities: np.ndarray
    total: int
    sampled: bool
    seed: int | None


@dataclass(frozen=True)
class ReportData:
    """Everything a report shows. `forecasts` and `mediation` map a model or protocol name to
    its result, or to the message explaining why it could not run."""

    scenario: Scenario
    space: Space
    analysis: Analysis
    cloud: DealCloud
    forecasts: dict[str, dict | str]
    mediation: dict[str, Any]
    sweep: dict | None
    seed: int
    parties_given: bool = False

    @property
    def parties(self) -> tuple[str, ...]:
        return self.analysis.parties


def deal_cloud(space: Space, limit: int = CLOUD_LIMIT, seed: int | None = 0) -> DealCloud:
    """Every deal with every actor's utility when the space holds at most `limit` deals, else
    a seeded sample of `limit` distinct deals (`accord.space.sample_deals`). Cost
    O(m * issues * actors)."""
    deals, sampled = sample_deals(space, limit, seed)
    return DealCloud(deals=deals, utilities=space.utilities(deals), total=space.outcomes,
                     sampled=sampled, seed=seed if sampled else None)


def _forecasts(scenario: Scenario, seed: int, budget: Budget | None = None
               ) -> dict[str, dict | str]:
    from ..ops.forecasting import forecast

    out: dict[str, dict | str] = {}
    for model in FORECAST_MODELS:
        try:
            out[model] = forecast(scenario, model=model, seed=seed, budget=budget).to_dict()
        except BudgetExceeded:
            raise
        except InputError as exc:
            out[model] = "; ".join(str(p) for p in exc.problems)
    return out


def _mediation(space: Space, parties: Sequence[str], seed: int, frontier,
               budget: Budget | None = None) -> dict[str, Any]:
    from ..mediation.core import Context
    from ..ops.mediation import mediate

    out: dict[str, Any] = {}
    for name, protocol in MEDIATIONS.items():
        try:
            out[name] = mediate(space, protocol=protocol, parties=list(parties), seed=seed,
                                context=Context(space, list(parties), seed,
                                                frontier=frontier), budget=budget)
        except BudgetExceeded:
            raise
        except InputError as exc:
            out[name] = "; ".join(str(p) for p in exc.problems)
    return out


def run_sweep_dict(scenario: Scenario, samples: int, seed: int,
                   parties: Sequence[str] | None = None, budget: Budget | None = None
                   ) -> dict:
    """Run the uncertainty sweep (`accord.ops.sweeps`, imported only now) and return its
    dict."""
    from ..ops.sweeps import sweep

    return sweep(scenario, samples=samples, seed=seed, parties=parties,
                 budget=budget).to_dict()


def collect(scenario: Scenario | str | os.PathLike[str], *,
            parties: Sequence[str] | None = None,
            sweep: int | Mapping[str, Any] | None = None, seed: int = 0,
            budget: Budget | None = None) -> ReportData:
    """Compute every result of the report for `scenario` (see the module doc).

    `parties` (default: the actors with a veto) are the axes of the utility-space plot and
    whose frontier, ZOPA and solutions are reported; at least two are needed. `sweep` is a
    number of samples to run the uncertainty sweep with, or a sweep result's dict already
    computed (the web app's case), or None to leave the sweep out. `seed` seeds everything
    random: the deal sample, the forecasts, both negotiations and the sweep. `budget` is
    polled between the sections and inside the forecasts, negotiations and sweep
    (`BudgetExceeded` when it runs out).
    """
    from ..bargaining.pareto import pareto_frontier

    sc = scenario_of(scenario)
    space = compile_space(sc)
    idx = space.resolve_actors(list(parties) if parties is not None else None)
    if len(idx) < 2:
        names = ", ".join(space.actor_ids)
        raise InputError([Problem.of_parameter(
            "parties", "the report plots the parties against each "
                       f"other: name at least two actors ({names})")])
    advice = "leave out --sweep, or give it fewer samples" if sweep else ""
    check(budget, 0, SECTIONS, REPORT, advice)
    frontier = pareto_frontier(space, idx)
    analysis = analyze(space, parties=idx, frontier=frontier)
    ids = analysis.parties
    check(budget, 1, SECTIONS, REPORT, advice)
    sweep_dict: dict | None
    if sweep is None:
        sweep_dict = None
    elif isinstance(sweep, Mapping):
        sweep_dict = dict(sweep)
    else:
        if isinstance(sweep, bool) or int(sweep) < 1:
            raise InputError([Problem.of_parameter(
                "sweep", "give a number of samples of at least 1")])
        sweep_dict = run_sweep_dict(sc, int(sweep), seed,
                                    list(parties) if parties is not None else None,
                                    budget.sub("report: sweep draws") if budget else None)
    check(budget, 2, SECTIONS, REPORT, advice)
    cloud = deal_cloud(space, seed=seed)
    forecasts = _forecasts(sc, seed, budget.sub("report: forecasts") if budget else None)
    check(budget, 3, SECTIONS, REPORT, advice)
    mediation = _mediation(space, ids, seed, frontier,
                           budget.sub("report: negotiations") if budget else None)
    check(budget, SECTIONS, SECTIONS, REPORT, advice)
    return ReportData(
        scenario=sc, space=space, analysis=analysis, cloud=cloud, forecasts=forecasts,
        mediation=mediation, sweep=sweep_dict, seed=seed, parties_given=parties is not None)


def fmt_count(n: int) -> str:
    """A deal count for prose: 19,440, or 1.2e+30 when it is too long to read."""
    return f"{n:,}" if n < 10**12 else f"{n:.2e}" if math.isfinite(float(n)) else str(n)
