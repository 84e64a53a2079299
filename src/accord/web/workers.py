"""Worker processes that can be killed: where the web app computes.

A thread cannot be stopped, so every compute request runs in a worker *process*, which the
server kills when the request's budget runs out, when its client goes away, or when the
server stops.

`WorkerPool(size)` keeps at most `size` worker processes (started with multiprocessing's
'spawn' method: a fresh interpreter, safe beside the server's threads). Each is started
ahead of its first job (it imports the library, then says it is ready) and a killed one is
replaced at once, so a request rarely waits for an interpreter to start.
`await pool.run(fn, args, timeout=..., cancelled=...)` hands `fn(*args)` to an idle worker
and waits for the answer without blocking the event loop, polling every `POLL` seconds:

* the answer comes back: its value (a JSON-ready dict), or the `InputError` it raised,
  rebuilt with its problems (and a `ScenarioError`'s lines);
* `timeout` seconds pass: the worker is killed and `JobTimeout` raised;
* `cancelled()` turns true (the client went away): the worker is killed and `JobCancelled`
  raised;
* every worker is busy and `queue` requests already wait, or none frees up within
  `timeout`, or the pool is closed: `ServerBusy` (the server answers 503 at once).

`close()` kills every worker; requests waiting on one get `ServerBusy` straight away.
Nothing here depends on the web framework.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import multiprocessing
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

from ..errors import InputError, Problem

POLL = 0.02
"""Seconds between two looks at a busy worker (and at the client's connection)."""

START_TIMEOUT = 120.0
"""Seconds a new worker may take to import the library before it counts as broken."""


class ServerBusy(Exception):
    """No worker could take the request (all busy, or the server is stopping)."""

    def __init__(self, message: str, retry_after: int = 5):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class JobTimeout(Exception):
    """The job ran out of time; its worker was killed."""

    def __init__(self, seconds: float):
        super().__init__(f"stopped after {seconds:g} s")
        self.seconds = seconds


class JobCancelled(Exception):
    """The job was cancelled (its client went away); its worker was killed."""


class WorkerFailed(Exception):
    """The job failed inside its worker with an error that is not bad input (a bug), or the
    worker process died."""


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, ctx: Any) -> None:
        from .jobs import serve

        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=serve, args=(child,), daemon=True,
                                   name="accord-web-worker")
        self.process.start()
        child.close()
        self.ready = False
        self.started = time.monotonic()

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.is_alive()

    def kill(self, wait: float = 5.0) -> None:
        """SIGKILL the process, reap it (up to `wait` seconds) and close the pipe."""
        with contextlib.suppress(OSError, ValueError):  # gone already, or never started
            self.process.kill()
        if wait > 0:
            self.process.join(wait)
        with contextlib.suppress(OSError):
            self.conn.close()


class WorkerPool:
    """At most `size` worker processes and at most `queue` requests waiting for one (see
    the module doc). `context`: the multiprocessing start method ('spawn' or
    'forkserver'; never 'fork' in a server with threads)."""

    def __init__(self, size: int = 2, queue: int | None = None, context: str = "spawn"):
        if size < 1:
            raise ValueError("a pool needs at least one worker")
        self.size = size
        self.queue = 4 * size if queue is None else queue
        self._ctx = multiprocessing.get_context(context)
        self._lock = threading.RLock()  # re-entrant: close() may run in a signal handler
        self._idle: list[_Worker] = []
        self._busy: dict[int, _Worker] = {}
        self._waiting = 0
        self._closed = False
        self._stopped: list[_Worker] = []  # killed by close(), maybe not reaped yet
        self.counts: Counter[str] = Counter()
        """started, jobs, timeouts, cancelled, crashed, refused: what the pool has done."""
        self.killed: list[int] = []
        """Process ids of the workers killed so far (newest last)."""

    # -- bookkeeping ---------------------------------------------------------------------

    def start(self) -> None:
        """Start the missing workers now (otherwise they start with the first request)."""
        with self._lock:
            self._fill()

    def _fill(self) -> None:
        """Replace dead idle workers and start workers up to `size` (holding the lock)."""
        if self._closed:
            return
        self._idle = [w for w in self._idle if w.alive() or self._reap(w)]
        while len(self._idle) + len(self._busy) < self.size:
            self._idle.append(_Worker(self._ctx))
            self.counts["started"] += 1

    @staticmethod
    def _reap(worker: _Worker) -> bool:
        worker.kill(wait=0.5)
        return False

    def pids(self) -> dict[str, list[int]]:
        """Process ids of the idle and the busy workers."""
        with self._lock:
            return {"idle": [w.pid for w in self._idle if w.pid is not None],
                    "busy": [w.pid for w in self._busy.values() if w.pid is not None]}

    @property
    def busy(self) -> int:
        """Workers running a job now."""
        return len(self._busy)

    @property
    def waiting(self) -> int:
        """Requests waiting for a worker now."""
        return self._waiting

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self, wait: float = 5.0) -> None:
        """Kill every worker (reaping each for up to `wait` seconds); requests waiting on
        the pool get `ServerBusy`. Safe to call twice, and from a signal handler with
        `wait=0`."""
        with self._lock:
            self._closed = True
            self._stopped += self._idle
            self._idle = []
            idle = list(self._stopped)
            busy = list(self._busy.values())
        for w in busy:  # their requests reap them (and close their pipes) as they answer
            with contextlib.suppress(OSError, ValueError):
                w.process.kill()
        for w in idle:
            w.kill(wait)
        if wait > 0:
            with self._lock:
                self._stopped = [w for w in self._stopped if w.alive()]

    # -- running a job -------------------------------------------------------------------

    async def run(self, fn: Callable[..., Any], args: tuple[Any, ...], *, timeout: float,
                  cancelled: Callable[[], Awaitable[bool]] | None = None) -> Any:
        """`fn(*args)` in a worker, within `timeout` seconds (see the module doc). `fn` must
        be a module-level function (it is pickled by name)."""
        worker = await self._acquire(timeout, cancelled)
        try:
            while not worker.ready:  # a new worker says so once it has imported the library
                message = await self._receive(worker, cancelled,
                                              worker.started + START_TIMEOUT, None)
                worker.ready = message == ("ready",)
            try:
                await asyncio.to_thread(worker.conn.send, (fn, args))
            except OSError:
                await self._discard(worker, "crashed")
                raise WorkerFailed("the worker process stopped") from None
            self.counts["jobs"] += 1
            kind, *payload = await self._receive(worker, cancelled,
                                                 time.monotonic() + timeout, timeout)
        except BaseException:
            self._drop(worker)  # killed already, unless the waiting itself was interrupted
            raise
        self._release(worker)
        return _answer(kind, payload)

    async def _receive(self, worker: _Worker, cancelled: Callable[[], Awaitable[bool]] | None,
                       deadline: float, timeout: float | None) -> Any:
        """The worker's next message. On the way, kill the worker and raise when the pool
        closes (`ServerBusy`), the client goes away (`JobCancelled`), the process dies
        (`WorkerFailed`) or `deadline` passes (`JobTimeout` for a job's `timeout`; a worker
        that does not start is a `WorkerFailed`). Only this coroutine closes the pipe."""
        while True:
            if self._closed:
                raise ServerBusy("the server is stopping")
            if cancelled is not None and await cancelled():
                await self._discard(worker, "cancelled")
                raise JobCancelled
            if worker.conn.poll():
                try:
                    return worker.conn.recv()
                except (EOFError, OSError):
                    if self._closed:
                        raise ServerBusy("the server is stopping") from None
                    await self._discard(worker, "crashed")
                    raise WorkerFailed("the worker process stopped") from None
            if not worker.alive():
                await self._discard(worker, "crashed")
                raise WorkerFailed("the worker process stopped")
            if time.monotonic() > deadline:
                if timeout is None:
                    await self._discard(worker, "crashed")
                    raise WorkerFailed(f"a worker process did not start in {START_TIMEOUT:g} s")
                await self._discard(worker, "timeouts")
                raise JobTimeout(timeout)
            await asyncio.sleep(POLL)

    async def _acquire(self, timeout: float,
                       cancelled: Callable[[], Awaitable[bool]] | None) -> _Worker:
        with self._lock:
            worker = self._take()
            if worker is None:
                if self._waiting >= self.queue:
                    self.counts["refused"] += 1
                    raise ServerBusy(f"the server is busy: {len(self._busy)} requests are "
                                     f"computing and {self._waiting} are waiting; try again "
                                     "shortly")
                self._waiting += 1
        if worker is not None:
            return worker
        try:
            deadline = time.monotonic() + timeout
            while True:
                await asyncio.sleep(POLL)
                with self._lock:
                    worker = self._take()
                if worker is not None:
                    return worker
                if cancelled is not None and await cancelled():
                    self.counts["cancelled"] += 1
                    raise JobCancelled
                if time.monotonic() > deadline:
                    self.counts["refused"] += 1
                    raise ServerBusy(f"the server is busy: no worker was free within "
                                     f"{timeout:g} s; try again shortly")
        finally:
            with self._lock:
                self._waiting -= 1

    def _take(self) -> _Worker | None:
        """An idle worker, now marked busy (holding the lock); None when there is none."""
        if self._closed:
            raise ServerBusy("the server is stopping")
        self._fill()
        if not self._idle:
            return None
        worker = self._idle.pop()
        self._busy[id(worker)] = worker
        return worker

    async def _discard(self, worker: _Worker, reason: str) -> None:
        """Kill a busy worker and start its replacement (in a thread: the loop goes on)."""
        self.counts[reason] += 1
        await asyncio.to_thread(self._replace, worker)

    def _replace(self, worker: _Worker) -> None:
        self._drop(worker)
        with self._lock:
            self._fill()

    def _drop(self, worker: _Worker) -> None:
        """Forget a busy worker and make sure its process is gone."""
        with self._lock:
            known = self._busy.pop(id(worker), None) is not None
        if known:
            worker.kill()
            if worker.pid is not None:
                self.killed.append(worker.pid)

    def _release(self, worker: _Worker) -> None:
        with self._lock:
            self._busy.pop(id(worker), None)
            if self._closed:
                worker.kill(0)
            else:
                self._idle.append(worker)


_shared: dict[tuple[str, int], WorkerPool] = {}
_shared_lock = threading.Lock()


def shared_pool(size: int = 2, name: str = "compute", queue: int | None = None
                ) -> WorkerPool:
    """One pool of `size` workers per `name` for the whole process, made anew once closed:
    the apps built in one process (a test run) share their workers. Closed when Python
    exits."""
    with _shared_lock:
        pool = _shared.get((name, size))
        if pool is None or pool.closed:
            pool = _shared[(name, size)] = WorkerPool(size, queue)
        return pool


@atexit.register
def _close_shared() -> None:
    for pool in list(_shared.values()):
        pool.close(wait=1.0)


def _answer(kind: str, payload: list[Any]) -> Any:
    """A worker's message as a value or the exception it stands for."""
    if kind == "ok":
        return payload[0]
    if kind == "input":
        problems = [Problem(path, message, file) for path, message, file in payload[0]]
        lines = payload[1]
        if lines is not None:
            from .scenarios import ScenarioError

            raise ScenarioError(problems, lines)
        raise InputError(problems)
    raise WorkerFailed(payload[0] if payload else "the worker failed")
