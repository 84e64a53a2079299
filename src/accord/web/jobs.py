"""What runs inside a web worker process (see `accord.web.workers`).

`serve(conn)` is a worker's main loop: it imports the library, says it is ready, then runs
one job at a time, `fn(*args)`, and sends back the outcome as plain data:
`("ok", result)`, `("input", problems, lines)` for an `InputError` (its problems as
`(path, message, file)` triples; `lines` those of a `ScenarioError`, else None) or
`("error", message)` for anything else (a bug: the server logs it and answers 500).

`compute_job(kind, ref, params)` is the job of every compute route: it rebuilds the request's
scenario from its text (parsed and compiled once per worker, cached by text) and calls
`accord.web.compute`; `validate_job(text, fmt)` is that of `POST /api/validate`. A worker
caps its memory (`limit_memory`); a job that runs out of it is answered like bad input.
"""

from __future__ import annotations

import contextlib
import os
import signal
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from ..errors import InputError
from . import compute, limits
from .scenarios import Resolved, ScenarioError, parse, summary


@dataclass(frozen=True)
class ScenarioText:
    """A resolved scenario as it crosses to a worker: its origin and its text."""

    source: str
    name: str
    version: int | None
    text: str
    format: str

    @classmethod
    def of(cls, r: Resolved) -> ScenarioText:
        return cls(r.source, r.name, r.version, r.text, r.format)

    def resolved(self) -> Resolved:
        return Resolved(parse(self.text, self.format), self.source, self.name, self.version,
                        self.text, self.format)


def compute_job(kind: str, ref: ScenarioText | None, params: Any) -> dict[str, Any]:
    """Run one computation of the API: "evaluate", "deals", or a kind of
    `compute.execute` (analysis, mediation, forecast, sweep, repair, inverse, tournament,
    and the games, whose `ref` is None when the request names no scenario)."""
    if ref is None:
        return compute.execute(kind, None, params)
    r = ref.resolved()
    if kind == "evaluate":
        return compute.run_evaluate(r.space, params.deal, params.proposal, params.parties)
    if kind == "deals":
        return compute.deal_cloud(r.space, params.parties, params.limit, params.seed)
    return compute.execute(kind, r, params)


def validate_job(text: str, fmt: str) -> dict[str, Any]:
    """The answer of `POST /api/validate`: valid or not, the problems with their lines,
    and a summary of a valid scenario."""
    from .errors import problem_items

    try:
        scenario = parse(text, fmt)
    except ScenarioError as exc:
        return {"valid": False, "errors": problem_items(exc.problems, exc.lines),
                "scenario": None}
    return {"valid": True, "errors": [], "scenario": summary(scenario)}


def limit_memory(megabytes: int | None = None) -> None:
    """Cap this process's data segment (`limits.WORKER_MEMORY_MB`, or
    $ACCORD_WORKER_MEMORY_MB), so that a computation that would exhaust the machine's
    memory fails here with a MemoryError instead (where the platform allows it)."""
    try:
        import resource
    except ImportError:  # not on this platform
        return
    if megabytes is None:
        megabytes = int(os.environ.get("ACCORD_WORKER_MEMORY_MB") or limits.WORKER_MEMORY_MB)
    cap = megabytes * 1024 * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_DATA, (cap, hard))


def serve(conn: Connection) -> None:
    """A worker's main loop (see the module doc). Ctrl-C reaches every process of the
    terminal's group: the worker ignores it and lets the server stop it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    limit_memory()
    try:
        conn.send(("ready",))
        while True:
            job = conn.recv()
            if job is None:
                return
            fn, args = job
            conn.send(_outcome(fn, args))
    except (EOFError, OSError):  # the server went away
        return


def _outcome(fn: Any, args: tuple[Any, ...]) -> tuple[Any, ...]:
    try:
        return ("ok", fn(*args))
    except InputError as exc:
        problems = [(p.path, p.message, p.file) for p in exc.problems]
        return ("input", problems, exc.lines if isinstance(exc, ScenarioError) else None)
    except MemoryError:
        return ("input", [("", "the computation needed more memory than a worker of this "
                               "server may use; ask for less, or run it with the command "
                               "line", None)], None)
    except Exception as exc:  # noqa: BLE001 - reported to the server, which logs it
        return ("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}")
