"""Uncertainty sweeps: draw scenarios from the distributions in a scenario file and say how
robust each conclusion is (see docs/uncertainty.md).

    >>> from accord.sweep import run_sweep
    >>> result = run_sweep(load_scenario("ukraine-2023"), samples=1000, seed=1)

Executors (`accord.sweep.executors`): this process, a local process pool, or Dask.
"""

from typing import TYPE_CHECKING

from ..lazy import lazy_exports

__getattr__, __dir__ = lazy_exports(__name__, {
    "DaskExecutor": ".executors", "LocalExecutor": ".executors", "make_executor": ".executors",
    "SweepPlan": ".plan", "evaluate_chunk": ".plan", "make_plan": ".plan",
    "SweepResult": ".result", "one_at_a_time": ".run", "run_sweep": ".run"})

if TYPE_CHECKING:
    from .executors import DaskExecutor, LocalExecutor, make_executor
    from .plan import SweepPlan, evaluate_chunk, make_plan
    from .result import SweepResult
    from .run import one_at_a_time, run_sweep

__all__ = ["DaskExecutor", "LocalExecutor", "make_executor", "SweepPlan", "evaluate_chunk",
           "make_plan", "SweepResult", "one_at_a_time", "run_sweep"]
