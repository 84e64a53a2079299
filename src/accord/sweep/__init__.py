"""Uncertainty sweeps: draw scenarios from the distributions in a scenario file and say how
robust each conclusion is (see docs/uncertainty.md).

    >>> from accord.sweep import run_sweep
    >>> result = run_sweep(load_scenario("ukraine-2023"), samples=1000, seed=1)

Executors (`accord.sweep.executors`): this process, a local process pool, or Dask.
"""

from .executors import DaskExecutor, LocalExecutor, make_executor
from .plan import SweepPlan, evaluate_chunk, make_plan
from .result import SweepResult
from .run import one_at_a_time, run_sweep

__all__ = ["DaskExecutor", "LocalExecutor", "make_executor", "SweepPlan", "evaluate_chunk",
           "make_plan", "SweepResult", "one_at_a_time", "run_sweep"]
