"""Where the chunks of a sweep run: in this process, in a local process pool, or on Dask.

All executors have one method, `imap(fn, tasks)`: call `fn(*task)` for every task and
yield the results *in task order*, keeping at most `window` tasks in flight so that
finished results do not pile up in memory. A sweep's results do not depend on the
executor (draws depend only on the seed and their index).

- `LocalExecutor(workers=1)`: in this process when workers is 1, else a
  `concurrent.futures.ProcessPoolExecutor` with the spawn start method (safe beside
  threads, the same on every platform).
- `DaskExecutor(address)`: a running `dask.distributed` scheduler at `address`
  (`tcp://host:8786`), or with address "local" a `LocalCluster` of `workers` single-
  threaded worker processes started for the sweep and closed after it.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Protocol

from ..errors import InputError, Problem

CONNECT_TIMEOUT = 10
"""Seconds to wait for a Dask scheduler given by address."""


class Executor(Protocol):
    """What a sweep needs from an executor (see the module doc)."""

    workers: int
    name: str

    def imap(self, fn: Callable[..., Any], tasks: Iterable[tuple]) -> Iterator[Any]: ...

    def close(self) -> None: ...


def _ordered(submit: Callable[[tuple], Any], result: Callable[[Any], Any],
             tasks: Iterable[tuple], window: int) -> Iterator[Any]:
    pending: deque = deque()
    for task in tasks:
        pending.append(submit(task))
        if len(pending) >= window:
            yield result(pending.popleft())
    while pending:
        yield result(pending.popleft())


class LocalExecutor:
    """This process (workers = 1) or a pool of `workers` local processes."""

    def __init__(self, workers: int = 1) -> None:
        if workers < 1:
            raise InputError([Problem.of_parameter("workers", f"must be 1 or more, got {workers}")])
        self.workers = workers
        self.name = "local" if workers == 1 else "process-pool"
        self._pool: ProcessPoolExecutor | None = None
        if workers > 1:
            self._pool = ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context("spawn"))

    def imap(self, fn: Callable[..., Any], tasks: Iterable[tuple]) -> Iterator[Any]:
        if self._pool is None:
            for task in tasks:
                yield fn(*task)
            return
        pool = self._pool
        yield from _ordered(lambda t: pool.submit(fn, *t), Future.result, tasks,
                            2 * self.workers)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class DaskExecutor:
    """A dask.distributed cluster: an existing scheduler, or a LocalCluster ("local").

    References: Rocklin, M. (2015) "Dask: parallel computation with blocked algorithms and
    task scheduling", Proc. 14th Python in Science Conf. (SciPy 2015),
    doi:10.25080/Majora-7b98e3ed-013.
    """

    def __init__(self, address: str = "local", workers: int = 2) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise InputError([Problem.of_parameter(
                "scheduler", "Dask is not installed: pip install "
                             "'accord[scale]'")]) from None
        self._cluster = None
        if address == "local":
            if workers < 1:
                raise InputError([Problem.of_parameter(
                    "workers", f"must be 1 or more, got {workers}")])
            self._cluster = LocalCluster(n_workers=workers, threads_per_worker=1,
                                         processes=True, dashboard_address=None)
            self._client = Client(self._cluster)
        else:
            try:
                self._client = Client(address, timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError, ValueError) as exc:
                raise InputError([Problem.of_parameter(
                    "scheduler", f"cannot reach a Dask scheduler at "
                                 f"{address}: {exc}")]) from None
        self.workers = max(1, sum(self._client.nthreads().values()))
        self.name = "dask-local" if self._cluster is not None else f"dask {address}"

    def imap(self, fn: Callable[..., Any], tasks: Iterable[tuple]) -> Iterator[Any]:
        client = self._client
        yield from _ordered(lambda t: client.submit(fn, *t, pure=False),
                            lambda f: f.result(), tasks, 2 * self.workers)

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def make_executor(workers: int = 1, scheduler: str | None = None) -> LocalExecutor | DaskExecutor:
    """`workers` alone (the CLI's `--workers`): this process or a local pool; `scheduler`
    (`--scheduler`): Dask at that address, or a LocalCluster of `workers` workers when it is
    "local"."""
    if scheduler is None:
        return LocalExecutor(workers)
    return DaskExecutor(scheduler, workers)
