"""Time limits and progress bars of the compute commands (`--time-limit SECONDS`).

`budget_for(time_limit, what)` yields the `Budget` a command hands to the library. Its
progress callback drives a transient rich bar on stderr, started lazily: only once the work
has run for `SHOW_AFTER` seconds (quick commands never flash a bar) and only when stderr is
a terminal. Nothing is ever written to stdout, so `--json` output stays one document.

When the time runs out the library raises `BudgetExceeded` naming the parameter
`time_limit`; the `guarded` decorator of the command shows it as `--time-limit: ...` and
exits with 2.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..budget import Budget

SHOW_AFTER = 2.0
"""Seconds of work before the progress bar appears."""

class LazyBar:
    """A progress callback (`done, total, what`) that starts a transient rich bar on the
    first call made `show_after` seconds or more after it was created."""

    def __init__(self, console: Any, show_after: float = SHOW_AFTER) -> None:
        self.console = console
        self.show_after = show_after
        self.started = time.perf_counter()
        self.enabled = bool(getattr(console, "is_terminal", False))
        self._progress: Any = None
        self._task: Any = None

    @property
    def shown(self) -> bool:
        """Whether the bar has been started."""
        return self._progress is not None

    def __call__(self, done: float, total: float | None, what: str) -> None:
        if self._progress is None:
            if not self.enabled or time.perf_counter() - self.started < self.show_after:
                return
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self._progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                      MofNCompleteColumn(), TimeElapsedColumn(),
                                      console=self.console, transient=True)
            self._progress.start()
            self._task = self._progress.add_task(what, total=total)
        self._progress.update(self._task, description=what, completed=done, total=total)

    def close(self) -> None:
        """Remove the bar (if it was shown)."""
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


@contextmanager
def budget_for(time_limit: float | None, what: str, console: Any = None
               ) -> Iterator[Budget]:
    """A `Budget` of `time_limit` seconds (None: no limit) reporting to a lazy progress bar
    on stderr (`console`, default the CLI's stderr console); the bar is removed however the
    work ends."""
    if console is None:
        from .common import console as make

        console = make(stderr=True)
    bar = LazyBar(console)
    try:
        yield Budget(time_limit, bar, what)
    finally:
        bar.close()
