"""Budgets and progress for long work: one object that algorithms poll.

An algorithm that may run long takes `budget: Budget | None = None` and calls
`budget.check(done, total)` from time to time (every few milliseconds of work, not in an
inner loop). `check` reports progress to the callback, if any, and raises
`BudgetExceeded` once the time limit has passed or the budget was cancelled (the web app
cancels a request whose client went away). Algorithms never print: the front end decides
how to show progress (a rich bar on stderr in the CLI) and what to do on `BudgetExceeded`
(exit 2 with what was done and what to change; a 422 in the web app).

`BudgetExceeded` is an `InputError`: running out of time is a consequence of the input
(a finer grid, more parties) and of the limit the user set, and every front end already
turns an `InputError` into exit 2 or a 4xx with the problem named.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import InputError, Problem

ProgressFn = Callable[[float, float | None, str], None]
"""progress(done, total or None, what): called by `Budget.check`."""


class BudgetExceeded(InputError):
    """The time limit ran out (or the work was cancelled) before the answer was proven.

    `done` says what was finished, `advice` what to change; `partial` may hold what was
    proven so far (labelled as such by whoever renders it)."""

    def __init__(self, what: str, seconds: float | None, done: str = "", advice: str = "",
                 partial: object | None = None, parameter: str = "time_limit"):
        limit = "" if seconds is None else f" after {seconds:g} s"
        text = f"{what}: stopped{limit} before the answer was proven"
        if done:
            text += f" ({done})"
        if advice:
            text += f"; {advice}"
        super().__init__([Problem.of_parameter(parameter, text)])
        self.what = what
        self.seconds = seconds
        self.done = done
        self.advice = advice
        self.partial = partial
        self.parameter = parameter

    def again(self, done: str, partial: object | None = None,
              budget: Budget | None = None) -> BudgetExceeded:
        """The same stop, saying `done` (what was finished) and holding `partial`; with
        `budget`, the limit named is that budget's (a stop of a share of it)."""
        seconds = self.seconds if budget is None or self.seconds is None else \
            budget.time_limit
        return BudgetExceeded(self.what, seconds, done, self.advice, partial,
                              self.parameter)


@dataclass
class Budget:
    """A wall-clock limit, an optional progress callback and a cancel flag.

    `time_limit` in seconds (None: no limit). `Budget.start()` is implied on creation.
    Thread-safe for `cancel()`; `check` is meant for the thread doing the work.
    """

    time_limit: float | None = None
    progress: ProgressFn | None = None
    what: str = "the computation"
    started: float = field(default_factory=time.perf_counter)
    _cancelled: threading.Event = field(default_factory=threading.Event, repr=False)
    _last_report: float = field(default=0.0, repr=False)

    def __post_init__(self) -> None:
        if self.time_limit is not None and not self.time_limit > 0:
            raise InputError([Problem.of_parameter(
                "time_limit", "must be a number of seconds above 0")])

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    @property
    def remaining(self) -> float | None:
        if self.time_limit is None:
            return None
        return max(0.0, self.time_limit - self.elapsed)

    def expired(self) -> bool:
        return self._cancelled.is_set() or (
            self.time_limit is not None and self.elapsed > self.time_limit)

    def cancel(self) -> None:
        self._cancelled.set()

    def check(self, done: float = 0.0, total: float | None = None, what: str | None = None,
              advice: str = "", partial: object | None = None) -> None:
        """Report progress (at most 10 times a second) and raise `BudgetExceeded` when the
        time is up or the budget was cancelled."""
        if self.progress is not None:
            now = time.perf_counter()
            if now - self._last_report >= 0.1 or (total is not None and done >= total):
                self._last_report = now
                self.progress(done, total, what or self.what)
        if self.expired():
            stage = what or self.what
            if total:
                finished = f"{_fmt(done)} of {_fmt(total)} steps done"
            elif done:
                finished = f"{_fmt(done)} steps done"
            else:
                finished = ""
            if self._cancelled.is_set():
                raise BudgetExceeded(stage, None, "cancelled; " + finished if finished
                                     else "cancelled", advice, partial)
            raise BudgetExceeded(stage, self.time_limit, finished, advice, partial)

    def share(self, fraction: float) -> Budget:
        """A budget on the same clock and cancel flag that runs out after `fraction` of
        the time that is left (no limit when this one has none), so one long step leaves
        the steps after it their time."""
        limit = None if self.time_limit is None else max(
            1e-6, self.elapsed + fraction * (self.remaining or 0.0))
        return Budget(limit, self.progress, self.what, self.started,
                      self._cancelled, self._last_report)

    def sub(self, what: str) -> Budget:
        """The same clock and cancel flag, reporting under another name."""
        return Budget(self.time_limit, self.progress, what, self.started, self._cancelled,
                      self._last_report)


def check(budget: Budget | None, done: float = 0.0, total: float | None = None,
          what: str | None = None, advice: str = "") -> None:
    """`budget.check(...)` when there is a budget; nothing otherwise."""
    if budget is not None:
        budget.check(done, total, what, advice)


def _fmt(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,.1f}"
