"""The web app under hostile load, and validation time against file size.

Two measurements for the hardening of issue 12:

* **Load**: the app on uvicorn (in this process, its own worker pool of 2, budget 20 s),
  then `--requests` requests at once from as many threads, mixed in turn from: a hostile
  validation (`step: 1e-300`, which once made validation run forever), a legal validation,
  `GET /api/info`, an analysis and a utility cloud of a built-in scenario, and a mediation.
  Reported: how many answered with each status, and the median, 90th and 99th percentile
  latency per kind and overall. A 503 is the server's documented answer when every worker
  and its queue are taken (with Retry-After); any other 5xx or a failed connection is a
  failure (exit 1).
* **Validation size**: `accord validate` (a fresh process each time) on scenarios of
  10,000, 30,000 and 100,000 options with two full score tables; seconds per 10,000
  options stay flat if validation is linear. With `--previous SRC` (another checkout's
  src/ folder, e.g. a `git worktree` of the commit before the hardening) the same files up
  to 30,000 options are validated by that code too, side by side.

Run: `.venv/bin/python benchmarks/hostile_load.py [--requests 200] [--previous SRC]`
(about a minute, plus the previous code's time).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

import yaml

SIZES = (10_000, 30_000, 100_000)
PREVIOUS_UP_TO = 30_000
"""The previous validation (quadratic) is timed up to this many options."""

HOSTILE = ("accord: 1\nid: h\ntitle: H\nissues:\n  - id: x\n    range: [0, 1]\n"
           "    step: 1e-300\nactors:\n  - id: a\n    preferences: {x: {ideal: 0.5}}\n")


def _legal_text() -> str:
    from accord.io import builtin_path

    return builtin_path("camp-david-1978").read_text(encoding="utf-8")


def _requests() -> list[tuple[str, str, str, dict | None]]:
    """(kind, method, url, body) in the order they are handed out."""
    logroll = {"builtin": "logrolling"}
    return [
        ("validate-hostile", "POST", "/api/validate", {"text": HOSTILE}),
        ("validate-legal", "POST", "/api/validate", {"text": _legal_text()}),
        ("info", "GET", "/api/info", None),
        ("analyze", "POST", "/api/analyze", {"scenario": logroll}),
        ("deals", "POST", "/api/deals", {"scenario": {"builtin": "camp-david-1978"}}),
        ("mediate", "POST", "/api/mediate", {"scenario": logroll, "rounds": 200}),
    ]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def load(n: int) -> tuple[dict, bool]:
    import uvicorn

    from accord.web import create_app
    from accord.web.workers import WorkerPool

    tmp = Path(tempfile.mkdtemp())
    pool = WorkerPool(2)
    port = _free_port()
    app = create_app(tmp / "load.db", budget=20.0, pool=pool)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    pool.start()
    kinds = _requests()
    results: list[tuple[str, int | None, float]] = []
    lock = threading.Lock()
    start = threading.Barrier(n)

    def one(k: int) -> None:
        kind, method, url, body = kinds[k % len(kinds)]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        start.wait()
        t0 = time.perf_counter()
        try:
            conn.request(method, url, body=None if body is None else json.dumps(body),
                         headers={"Content-Type": "application/json"})
            status: int | None = conn.getresponse().status
        except OSError:
            status = None
        with lock:
            results.append((kind, status, time.perf_counter() - t0))

    threads = [threading.Thread(target=one, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    pool.close()
    server.should_exit = True
    thread.join(30)
    by_kind: dict[str, list[float]] = defaultdict(list)
    statuses: dict[str, Counter] = defaultdict(Counter)
    for kind, status, seconds in results:
        by_kind[kind].append(seconds)
        statuses[kind][str(status)] += 1
    everything = [s for _, _, s in results]
    ok = all(st is not None and (st < 500 or st == 503) for _, st, _ in results)
    return {"kinds": {k: {"statuses": dict(statuses[k]), **_pct(v)}
                      for k, v in by_kind.items()},
            "all": _pct(everything)}, ok


def _pct(values: Sequence[float]) -> dict[str, float]:
    v = sorted(values)

    def q(p: float) -> float:
        return v[min(len(v) - 1, int(round(p * (len(v) - 1))))]

    return {"n": len(v), "median": statistics.median(v), "p90": q(0.9), "p99": q(0.99)}


def _validate_seconds(path: Path, src: str | None, timeout: float) -> float | None:
    """Seconds of `accord validate PATH` in a fresh process (median of 3), with the
    package from `src` (another checkout's src/) when given; None past `timeout`."""
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = src
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        try:
            done = subprocess.run([sys.executable, "-m", "accord.cli", "validate", str(path)],
                                  env=env, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
        runs.append(time.perf_counter() - t0)
        assert done.returncode == 0, done.stderr
    return statistics.median(runs)


def validation_sizes(sizes: Sequence[int] = SIZES, previous: str | None = None,
                     timeout: float = 300.0) -> list[dict]:
    rows = []
    folder = Path(tempfile.mkdtemp())
    for n in sizes:
        opts = [f"o{i}" for i in range(n)]
        data = {"accord": 1, "id": "big", "title": "Big",
                "issues": [{"id": "x", "options": opts}],
                "actors": [{"id": a, "preferences": {"x": {o: (i * k) % 101
                                                           for i, o in enumerate(opts)}}}
                           for k, a in ((1, "p"), (3, "q"))]}
        path = folder / f"s{n}.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        now = _validate_seconds(path, None, timeout)
        before = (_validate_seconds(path, previous, timeout)
                  if previous is not None and n <= PREVIOUS_UP_TO else None)
        rows.append({"options": n, "bytes": path.stat().st_size, "seconds": now,
                     "previous": before})
    return rows


def markdown(load_result: dict, sizes: list[dict], n: int) -> str:
    out = [f"**Load**: {n} requests at once (one thread each), mixed in turn.", "",
           "| kind | requests | statuses | median s | p90 s | p99 s |",
           "|---|---:|---|---:|---:|---:|"]
    for kind, r in sorted(load_result["kinds"].items()):
        st = ", ".join(f"{k}: {v}" for k, v in sorted(r["statuses"].items()))
        out.append(f"| {kind} | {r['n']} | {st} | {r['median']:.3f} | {r['p90']:.3f} | "
                   f"{r['p99']:.3f} |")
    a = load_result["all"]
    out.append(f"| all | {a['n']} | | {a['median']:.3f} | {a['p90']:.3f} | {a['p99']:.3f} |")
    out += ["", "**Validation size** (`accord validate FILE` in a fresh process, start-up "
            "included, median of 3):", "",
            "| options | file bytes | now s | now s per 10,000 options | previous s | "
            "previous / now |", "|---:|---:|---:|---:|---:|---:|"]
    for r in sizes:
        prev = "not run" if r["previous"] is None else f"{r['previous']:.2f}"
        ratio = "" if r["previous"] is None else f"{r['previous'] / r['seconds']:.1f}"
        out.append(f"| {r['options']:,} | {r['bytes']:,} | {r['seconds']:.2f} | "
                   f"{r['seconds'] / (r['options'] / 10_000):.2f} | {prev} | {ratio} |")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--requests", type=int, default=200)
    p.add_argument("--previous", metavar="SRC",
                   help="the src/ folder of another checkout (say the commit before the "
                        "hardening) to time its validation beside this one's")
    args = p.parse_args(argv)
    result, ok = load(args.requests)
    sizes = validation_sizes(previous=args.previous)
    print(markdown(result, sizes, args.requests))
    if not ok:
        print("FAILED: a 5xx other than 503, or a failed connection", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
