"""Helpers every benchmark shares: the machine description and median timing."""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any


def package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def blas() -> str:
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "unknown"
    info = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    if not info:
        return "unknown"
    i = info[0]
    return f"{i.get('internal_api')} {i.get('version')} ({i.get('architecture')})"


def machine(*packages: str) -> dict[str, str]:
    """Date, cores, CPU, OS, Python, the versions of accord, numpy and `packages`, the BLAS,
    and the 1-minute load average when the run started."""
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": str(nproc),
        "cpu": cpu_model(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "accord": package_version("accord"),
        **{p: package_version(p) for p in packages},
        "numpy": package_version("numpy"),
        "blas": blas(),
        "load": f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "unknown",
    }


def measure(fn: Callable[[], Any], min_reps: int = 5, min_seconds: float = 0.0,
            max_reps: int = 100, warmup: bool = True) -> tuple[float, int, Any]:
    """Median wall time of `fn()` over at least `min_reps` calls, repeating (up to
    `max_reps`) until `min_seconds` of timed calls have accumulated, after one untimed
    warm-up call when `warmup`. Returns (median seconds, number of timed runs, last result)."""
    if warmup:
        fn()
    times: list[float] = []
    result = None
    while len(times) < min_reps or (sum(times) < min_seconds and len(times) < max_reps):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), len(times), result


def accord_executable(extra: str = "") -> str:
    """The `accord` console script of the running environment (exit with a hint if absent)."""
    exe = Path(sys.executable).parent / "accord"
    if not exe.exists():
        raise SystemExit(f"no `accord` executable next to {sys.executable}: "
                         f"install Accord in this environment (pip install -e '.{extra}')")
    return str(exe)
