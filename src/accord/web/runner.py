"""Compute requests under the server's budget: estimate, run in a worker, or refuse.

Every compute route (analyze, evaluate, repair, inverse, mediate, tournament, forecast,
sweep, the games, runs and their replays)
goes through `Runner.compute`:

1. when the request needs a Pareto frontier, `accord.estimate.estimate_seconds` guesses its
   cost; a guess above the budget is refused at once (422, no work started);
2. otherwise the computation runs in a worker process (`accord.web.workers`) for at most
   the budget; when the budget runs out, or the client goes away, the worker is killed;
3. a request that ran out of time gets a 422 whose error names the field `time_limit` and
   says what to ask for instead; a server with every worker busy answers 503.

The budget is `accord serve --budget SECONDS`, else the `ACCORD_BUDGET` environment
variable, else `DEFAULT_BUDGET`.
"""

from __future__ import annotations

import math
import os
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from ..budget import BudgetExceeded
from ..errors import InputError, Problem
from . import limits
from .jobs import ScenarioText, compute_job, validate_job
from .scenarios import Resolved
from .workers import JobTimeout, WorkerPool, shared_pool

DEFAULT_BUDGET = 20.0
"""Seconds a compute request may take when neither --budget nor ACCORD_BUDGET says."""

ENV = "ACCORD_BUDGET"
FIELD = "time_limit"
"""The field an out-of-time error names."""

CLI = "or run it with the command line (`accord ... --time-limit SECONDS`), which has no " \
      "server budget"
WHAT: dict[str, tuple[str, str]] = {
    "analysis": ("analysis", "name fewer parties"),
    "evaluate": ("evaluation", "name fewer parties"),
    "mediation": ("mediation", "ask for fewer rounds or name fewer parties"),
    "forecast": ("forecast", "ask for fewer rounds"),
    "sweep": ("sweep", "ask for fewer samples or name fewer parties"),
    "deals": ("utility cloud", "ask for fewer deals (limit)"),
    "repair": ("repair", "name fewer parties"),
    "inverse": ("inverse questions", "name fewer parties"),
    "tournament": ("tournament", "give fewer strategies, repetitions or rounds, or name "
                                 "fewer parties"),
    "game": ("equilibria", "try another method, or fewer starts"),
    "trust": ("trust analysis", "ask for fewer strategies, turns or a smaller population"),
    "crisis": ("crisis analysis", "give fewer cases"),
    "coalition": ("coalition game", "name fewer actors"),
}
"""Per kind of computation: what it is called in messages, and what to change."""

DIRECT = ("analysis", "evaluate", "repair", "inverse")
"""Kinds answered by the direct exact search when the space is searchable."""

QUICK = ("deals",)
"""Kinds run in the quick pool (with validations), not among the long computations."""

NO_FRONTIER = ("forecast", "deals", "game", "trust", "crisis", "coalition")
"""Kinds that never compute a Pareto frontier (nothing to estimate first); only these may
come without a scenario (the games read a model's file, a classic game or the textbook
model instead)."""


def budget_seconds(value: float | str | None = None) -> float:
    """The budget: `value` if given, else $ACCORD_BUDGET, else `DEFAULT_BUDGET`. Raises
    `InputError` (naming `--budget`) for anything but a number of seconds above 0."""
    if value is None:
        value = os.environ.get(ENV) or DEFAULT_BUDGET
    try:
        seconds = float(value)
    except ValueError:
        seconds = float("nan")
    if not 0 < seconds < math.inf:
        raise InputError([Problem.of_parameter(
            "budget", f"'{value}' is not a number of seconds above 0 "
                      f"(from --budget or ${ENV})")])
    return seconds


class Runner:
    """Runs the app's computations within `budget` seconds each, in `pool`, or when None in
    the process's shared pool of `workers` workers (`shared_pool`); validations and the
    utility cloud (quick, bounded work the page asks for as you edit) run in `quick`, a
    pool of their own (default: the process's shared one of `limits.QUICK_WORKERS`), so
    that long computations never make the editor wait."""

    def __init__(self, budget: float, pool: WorkerPool | None = None, workers: int = 2,
                 quick: WorkerPool | None = None):
        self.budget = budget
        self.workers = pool.size if pool is not None else workers
        self._pool = pool
        self._quick = quick

    @property
    def pool(self) -> WorkerPool:
        return self._pool if self._pool is not None else shared_pool(self.workers)

    @property
    def quick(self) -> WorkerPool:
        if self._quick is not None:
            return self._quick
        return shared_pool(limits.QUICK_WORKERS, "quick", limits.QUICK_QUEUE)

    @property
    def owns_pool(self) -> bool:
        """Whether the pools are this app's own (closed with it), not the shared ones."""
        return self._pool is not None

    async def compute(self, request: Request, kind: str, resolved: Resolved | None,
                      params: Any) -> dict[str, Any]:
        """The JSON-ready result of `kind` ("evaluate", "deals" or a kind of
        `compute.execute`) on `resolved` (None for a game that names no scenario) with the
        request's `params` (see the module doc)."""
        what, advice = WHAT.get(kind, (kind, "ask for less"))
        # analyses and evaluations of searchable scenarios are answered directly (no
        # frontier to estimate); the budget still bounds them
        direct = kind in DIRECT and resolved.space.searchable
        if kind not in NO_FRONTIER and not direct:
            guess = await run_in_threadpool(_estimate, resolved, getattr(params, "parties",
                                                                         None))
            if guess is not None and guess > self.budget:
                raise InputError([Problem(FIELD, (
                    f"{what}: the Pareto frontier alone would take about {guess:.2g} s, more "
                    f"than the server's budget of {self.budget:g} s, so it was not started; "
                    f"{advice}, {CLI}"))])
        pool = self.quick if kind in QUICK else self.pool
        try:
            ref = None if resolved is None else ScenarioText.of(resolved)
            return await pool.run(compute_job, (kind, ref, params),
                                  timeout=self.budget, cancelled=request.is_disconnected)
        except JobTimeout:
            raise BudgetExceeded(what, self.budget, "the server's budget", f"{advice}, {CLI}",
                                 parameter=FIELD) from None


    async def validate(self, request: Request, text: str, fmt: str) -> dict[str, Any]:
        """`POST /api/validate` (and the check of every scenario sent as text) in the
        validation worker, within `limits.VALIDATE_SECONDS` (whatever the computations'
        budget), so that no scenario text can hold a thread of the server."""
        seconds = limits.VALIDATE_SECONDS
        try:
            return await self.quick.run(validate_job, (text, fmt), timeout=seconds,
                                        cancelled=request.is_disconnected)
        except JobTimeout:
            raise InputError([Problem("text", f"validation stopped after {seconds:g} s: "
                                              "the scenario is too large for the web app; "
                                              f"{CLI}")]) from None


def _estimate(resolved: Resolved, parties: Any) -> float | None:
    from ..estimate import estimate_seconds

    return estimate_seconds(resolved.space, parties,
                            max_candidates=limits.MAX_FRONTIER_CANDIDATES)
