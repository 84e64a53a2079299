"""Uncertainty operation: `sweep`, how robust each conclusion is to the uncertain inputs.

Draws scenarios from the distributions written in the scenario (`accord.uncertainty`) and
answers the bargaining questions for each (`accord.sweep`), optionally a forecast model and
a mediation protocol too (through `accord.ops.forecasting` and `accord.ops.mediation`, with
their defaults), locally or on Dask.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..defaults import SEED, SWEEP_SAMPLES
from .source import Source, scenario_of

if TYPE_CHECKING:
    from ..budget import Budget
    from ..sweep.result import SweepResult


def sweep(source: Source, *, samples: int = SWEEP_SAMPLES, seed: int = SEED,
          parties: Sequence[str] | None = None, workers: int = 1,
          scheduler: str | None = None, out: str | None = None, force: bool = False,
          forecast: str | None = None, mediation: str | None = None,
          sensitivity: bool = True, budget: Budget | None = None) -> SweepResult:
    """`samples` draws reproducible from `seed` on any executor (`workers` local processes,
    or Dask at `scheduler`, "local" for a LocalCluster): the probability of a ZOPA and of
    each proposal's acceptance (with Wilson intervals), the Nash deal's distribution, and
    the one-at-a-time tornado when `sensitivity`; every draw streamed to `out` (.csv or
    .parquet; an existing file is replaced only with `force`). See `accord.sweep.run`."""
    from ..sweep.run import run_sweep

    return run_sweep(scenario_of(source), samples, seed, parties=parties, workers=workers,
                     scheduler=scheduler, out=out, force=force, forecast=forecast,
                     mediation=mediation, sensitivity=sensitivity, budget=budget)
