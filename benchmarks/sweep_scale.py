"""Sweeps at scale: draws per second of `run_sweep` on each executor, and the peak memory of
`accord sweep` at growing N.

Scenario `ukraine-2023` (its uncertain inputs as written in the library file), seed 1, no
one-at-a-time sensitivity (the tornado costs 2 x inputs evaluations whatever N, so it would
only blur draws per second).

**Throughput**, in this process, for each executor: `LocalExecutor(1)` (in-process),
`LocalExecutor(2)` (a spawn process pool) and `DaskExecutor("local", workers=2)` (a Dask
LocalCluster of two single-threaded worker processes). The executor is created once; its
creation and a first, untimed sweep of 200 draws (which starts the pool's processes and
imports Accord in them) are reported as start-up; then `run_sweep(..., executor=ex,
sensitivity=False)` of 2000 draws is timed 3 times and the median of its own draws per
second (`method["draws_per_second"]`: the chunk loop, aggregation included; plan and
summary excluded) is reported, with the speed-up over local x1. Also measured over the
timed sweeps: the CPU time of this (the parent) process, of its child processes (the
workers; for Dask also the nannies), and of everything else on the machine (system-wide
busy time minus ours: other users' load), and the round trip of an empty task
(`evaluate_chunk(plan, 0, 0)`, which still ships the plan) through `imap`. The summaries
of the three executors' last sweeps must be identical (draws depend only on the seed).

**Memory**: `accord sweep ukraine-2023 --samples N --seed 1 --workers K --out FILE.parquet
--no-sensitivity --json` as a subprocess (the `accord` executable next to
`sys.executable`), for N = 1 (start-up alone), 10^4 and 10^5 and K = 2 and 1, sampling the
resident set size (RSS) of the process and of all its descendants (the pool's workers and
multiprocessing's resource tracker) every 0.15 s with psutil. Reported: the peak of the
tree's total RSS, of the parent alone and of the largest child, the growth of the tree's
peak from the second quarter of the run to the last, and the end-to-end draws per second
(interpreter start-up, imports, pool start and Parquet writing included). The target: the
peak RSS at the largest N within max(10%, 20 MB) of the peak at the smallest N, for the tree
and for the parent. Checks (exit status 1 from run.py when they fail): the Parquet file has
N rows whose `draw` column is 0..N-1, and the files written with different K for the same N
are equal.

**Probe**: where memory that grows with N comes from. `run_sweep(..., chunk_size=C)` of
2000 draws in-process, each in a fresh process, with no file, CSV and Parquet output, cut
into 40 and into 400 chunks (Parquet buffers them into row groups of about 4 MB); the peak
RSS per extra chunk says
whether, and through which output, memory grows with the number of chunks, hence with N.

Run: `.venv-bench/bin/python benchmarks/sweep_scale.py [--samples 10000,100000]
[--workers 2,1]`, or as step 6 of `benchmarks/run.py` (`--only sweep`). Needs the `scale`
extra (dask[distributed], pyarrow; psutil comes with distributed).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import common

SCENARIO = "ukraine-2023"
SEED = 1
SAMPLES = (10_000, 100_000)
MEMORY_WORKERS = (2, 1)
THROUGHPUT_DRAWS = 2000
WARMUP_DRAWS = 200
REPS = 3
EMPTY_TASKS = 200
IDLE_SECONDS = 5.0
INTERVAL = 0.15
TOLERANCE = 0.10
TOLERANCE_MB = 20.0
MB = 1024.0 * 1024.0
PROBE_DRAWS = 2000
PROBE_CHUNKS = (50, 5)  # 40 and 400 chunks for the same draws
PROBE_OUTPUTS = ("none", "csv", "parquet")


def machine() -> dict[str, str]:
    return common.machine("distributed", "pyarrow", "psutil")


def executors() -> list[tuple[str, Callable[[], Any]]]:
    from accord.sweep import DaskExecutor, LocalExecutor

    return [("local x1", lambda: LocalExecutor(1)),
            ("process pool x2", lambda: LocalExecutor(2)),
            ("Dask LocalCluster x2", lambda: DaskExecutor("local", workers=2))]


def _busy_seconds() -> float:
    """System-wide CPU time not idle (all CPUs), in seconds."""
    import psutil

    t = psutil.cpu_times()
    return sum(t) - t.idle - getattr(t, "iowait", 0.0)


def _tree_cpu() -> tuple[float, dict[int, float]]:
    """CPU seconds of this process and of each of its descendants (by pid)."""
    import psutil

    me = psutil.Process()
    t = me.cpu_times()
    children = {}
    for c in me.children(recursive=True):
        try:
            ct = c.cpu_times()
        except psutil.Error:
            continue
        children[c.pid] = ct.user + ct.system
    return t.user + t.system, children


def _cpu_delta(a: tuple[float, dict[int, float]], b: tuple[float, dict[int, float]]
               ) -> tuple[float, float]:
    """(parent, children) CPU seconds between two `_tree_cpu` snapshots."""
    return b[0] - a[0], sum(v - a[1].get(pid, 0.0) for pid, v in b[1].items())


def throughput_case(label: str, make: Callable[[], Any], draws: int, reps: int
                    ) -> dict[str, Any]:
    from accord.io import load_scenario
    from accord.sweep import evaluate_chunk, make_plan, run_sweep

    scenario = load_scenario(SCENARIO)
    plan = make_plan(scenario, SEED)
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    ex = make()
    t1 = time.perf_counter()
    with ex:
        run_sweep(scenario, WARMUP_DRAWS, SEED, executor=ex, sensitivity=False)
        t2 = time.perf_counter()
        # what the executor costs while it waits (Dask: heartbeats, event loops)
        c0 = _tree_cpu()
        time.sleep(IDLE_SECONDS)
        idle = sum(_cpu_delta(c0, _tree_cpu())) / IDLE_SECONDS
        results: list[Any] = []

        def sweep() -> None:
            results.append(run_sweep(scenario, draws, SEED, executor=ex, sensitivity=False))

        c0, busy0, w0 = _tree_cpu(), _busy_seconds(), time.perf_counter()
        wall, runs, _ = common.measure(sweep, min_reps=reps, max_reps=reps, warmup=False)
        c1, busy1, w1 = _tree_cpu(), _busy_seconds(), time.perf_counter()

        t3 = time.perf_counter()
        for _ in ex.imap(evaluate_chunk, [(plan, 0, 0)] * EMPTY_TASKS):
            pass
        empty_ms = (time.perf_counter() - t3) / EMPTY_TASKS * 1e3
    rates = [r.method["draws_per_second"] for r in results]
    rate = statistics.median(rates)
    span = w1 - w0
    parent, children = _cpu_delta(c0, c1)
    others = max(0.0, (busy1 - busy0) - parent - children)
    summary = results[-1].to_dict()
    summary.pop("method")
    return {
        "executor": label, "name": ex.name, "workers": ex.workers,
        "chunk": results[-1].method["chunk"], "draws": draws, "runs": runs, "load": load,
        "create_s": t1 - t0, "warmup_s": t2 - t1,
        # start-up: creation + what the warm-up took beyond its draws at the steady rate
        "startup_s": (t1 - t0) + max(0.0, (t2 - t1) - WARMUP_DRAWS / rate),
        "rate": rate, "rate_min": min(rates), "rate_max": max(rates), "wall_s": wall,
        "idle_cpu": idle, "parent_cpu": parent / span, "children_cpu": children / span,
        "others_cpu": others / span,
        "cpu_ms_per_draw": (parent + children) / (runs * draws) * 1e3,
        "empty_task_ms": empty_ms, "summary": summary,
    }


def same_summary(a: Any, b: Any, exact: bool) -> bool:
    """Two sweep summaries (`to_dict()` without "method") are equal: exactly when both were
    cut into chunks of the same size, else up to the 6-decimal rounding of the summaries
    (the streaming sums are added chunk by chunk, so the chunk size moves the last bits)."""
    if isinstance(a, dict):
        return (isinstance(b, dict) and a.keys() == b.keys()
                and all(same_summary(a[k], b[k], exact) for k in a))
    if isinstance(a, list):
        return (isinstance(b, list) and len(a) == len(b)
                and all(same_summary(x, y, exact) for x, y in zip(a, b, strict=True)))
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b or (not exact and math.isclose(a, b, rel_tol=1e-5, abs_tol=2e-6))
    return a == b


def run_throughput(draws: int = THROUGHPUT_DRAWS, reps: int = REPS) -> list[dict[str, Any]]:
    rows = []
    for label, make in executors():
        print(f"  throughput: {label}, {reps} x {draws} draws", flush=True)
        rows.append(throughput_case(label, make, draws, reps))
    base = rows[0]["rate"]
    for r in rows:
        r["speedup"] = r["rate"] / base
        r["same_summary"] = same_summary(r["summary"], rows[0]["summary"],
                                         exact=r["chunk"] == rows[0]["chunk"])
    return rows


def accord_executable() -> str:
    return common.accord_executable("[scale]")


def command(samples: int | str, workers: int | str, out: str = "FILE.parquet") -> list[str]:
    return ["accord", "sweep", SCENARIO, "--samples", str(samples), "--seed", str(SEED),
            "--workers", str(workers), "--out", out, "--no-sensitivity", "--json"]


def memory_case(samples: int, workers: int, out: Path) -> dict[str, Any]:
    """Run the CLI once, sampling the RSS of its process tree every INTERVAL seconds."""
    import numpy as np
    import psutil
    import pyarrow.parquet as pq

    load = os.getloadavg()[0]
    argv = [accord_executable(), *command(samples, workers, str(out))[1:]]
    samples_t: list[tuple[float, float, float, float, int]] = []
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=stdout, stderr=stderr)
        parent = psutil.Process(proc.pid)
        while proc.poll() is None:
            try:
                rss_parent = parent.memory_info().rss
                kids = parent.children(recursive=True)
            except psutil.Error:
                break
            rss_kids = []
            for k in kids:
                with contextlib.suppress(psutil.Error):
                    rss_kids.append(k.memory_info().rss)
            samples_t.append((time.perf_counter() - t0, rss_parent + sum(rss_kids),
                              rss_parent, max(rss_kids, default=0), 1 + len(rss_kids)))
            time.sleep(INTERVAL)
        proc.wait()
        wall = time.perf_counter() - t0
        stdout.seek(0)
        stderr.seek(0)
        out_text, err_text = stdout.read().decode(), stderr.read().decode()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {proc.returncode}: {err_text}")
    result = json.loads(out_text)
    meta = pq.ParquetFile(out).metadata
    draw = pq.read_table(out, columns=["draw"]).column("draw").to_numpy()
    rows_ok = (meta.num_rows == samples and len(draw) == samples
               and bool((draw == np.arange(samples)).all()))
    # growth while drawing: the tree's peak over the last quarter of the run minus its peak
    # over the second quarter (the first quarter holds start-up and imports)
    second_q = [s[1] for s in samples_t if wall / 4 <= s[0] < wall / 2]
    last_q = [s[1] for s in samples_t if s[0] >= 3 * wall / 4]
    return {
        "samples": samples, "workers": workers, "load": load, "wall_s": wall,
        "rate_e2e": samples / wall, "rate_run": result["method"]["draws_per_second"],
        "chunk": result["method"]["chunk"], "executor": result["method"]["executor"],
        "peak_tree_mb": max(s[1] for s in samples_t) / MB if samples_t else float("nan"),
        "peak_parent_mb": max(s[2] for s in samples_t) / MB if samples_t else float("nan"),
        "peak_child_mb": max(s[3] for s in samples_t) / MB if samples_t else float("nan"),
        "processes": max(s[4] for s in samples_t) if samples_t else 0,
        "growth_mb": (max(last_q) - max(second_q)) / MB if second_q and last_q else None,
        "n_samples": len(samples_t), "rows": meta.num_rows, "row_groups": meta.num_row_groups,
        "rows_ok": rows_ok, "json_samples": result["samples"], "path": str(out),
    }


def tables_equal(a: Any, b: Any) -> bool:
    """Two pyarrow tables with the same columns and values, NaN equal to NaN (pyarrow's own
    `Table.equals` says NaN != NaN, and the Nash utilities are NaN without a Nash deal)."""
    import numpy as np
    import pyarrow as pa

    if a.schema != b.schema or a.num_rows != b.num_rows:
        return False
    for name in a.column_names:
        x, y = a.column(name), b.column(name)
        if pa.types.is_floating(x.type):
            if x.null_count or y.null_count:
                if not x.is_null().equals(y.is_null()):
                    return False
                x, y = x.fill_null(0.0), y.fill_null(0.0)
            if not np.array_equal(x.to_numpy(), y.to_numpy(), equal_nan=True):
                return False
        elif not x.equals(y):
            return False
    return True


def run_memory(samples: Sequence[int] = SAMPLES, workers: Sequence[int] = MEMORY_WORKERS,
               baseline: bool = True, directory: str | None = None
               ) -> tuple[list[dict[str, Any]], list[dict]]:
    """Memory runs (first N = 1 per K when `baseline`: start-up and imports alone), and per N
    the comparison of the files written with each K."""
    import pyarrow.parquet as pq

    rows = []
    with tempfile.TemporaryDirectory(prefix="accord-sweep-bench-", dir=directory) as d:
        for k in workers:
            for n in ([1] if baseline else []) + list(samples):
                print(f"  memory: accord sweep --samples {n} --workers {k}", flush=True)
                r = memory_case(n, k, Path(d) / f"sweep-{n}-w{k}.parquet")
                r["baseline"] = n == 1 and baseline
                rows.append(r)
                print(f"    {r['wall_s']:.1f} s, {r['rate_e2e']:.0f} draws/s end to end, peak "
                      f"RSS {r['peak_tree_mb']:.0f} MB (parent {r['peak_parent_mb']:.0f} MB), "
                      f"{r['rows']} rows", flush=True)
        same = []
        for n in samples:
            files = [r for r in rows if r["samples"] == n and not r["baseline"]]
            if len(files) > 1:
                first = pq.read_table(files[0]["path"])
                equal = all(tables_equal(pq.read_table(r["path"]), first) for r in files[1:])
                same.append({"samples": n, "workers": [r["workers"] for r in files],
                             "equal": equal})
    return rows, same


def verdicts(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per K: peak RSS (tree and parent) at the largest N against the smallest N."""
    out = []
    for k in dict.fromkeys(r["workers"] for r in rows):
        mine = sorted((r for r in rows if r["workers"] == k and not r["baseline"]),
                      key=lambda r: r["samples"])
        if len(mine) < 2 or mine[0]["samples"] == mine[-1]["samples"]:
            continue
        lo, hi = mine[0], mine[-1]
        for what in ("tree", "parent"):
            a, b = lo[f"peak_{what}_mb"], hi[f"peak_{what}_mb"]
            limit = max(TOLERANCE * a, TOLERANCE_MB)
            out.append({"workers": k, "what": what, "n_lo": lo["samples"],
                        "n_hi": hi["samples"], "lo_mb": a, "hi_mb": b, "growth_mb": b - a,
                        "limit_mb": limit, "met": b - a <= limit})
    return out


def _probe_in_process(draws: int, chunk: int, fmt: str) -> dict[str, Any]:
    """One in-process sweep (this process must be fresh): its peak RSS."""
    from accord.io import load_scenario
    from accord.sweep import run_sweep

    with tempfile.TemporaryDirectory(prefix="accord-sweep-probe-") as d:
        out = None if fmt == "none" else str(Path(d) / f"probe.{fmt}")
        run_sweep(load_scenario(SCENARIO), draws, SEED, chunk_size=chunk, out=out,
                  sensitivity=False)
    return {"peak_mb": _peak_rss_mb()}


def _peak_rss_mb() -> float:
    """This process's peak RSS: VmHWM on Linux (`ru_maxrss` would include the RSS of the
    parent that forked it, kept across exec), else `ru_maxrss`."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (MB if sys.platform == "darwin" else 1024.0)


def run_probe(draws: int = PROBE_DRAWS, chunks: Sequence[int] = PROBE_CHUNKS,
              outputs: Sequence[str] = PROBE_OUTPUTS) -> list[dict[str, Any]]:
    """Where memory that grows with N comes from: the same draws cut into few or many chunks
    (buffered into ~4 MB Parquet row groups), with no output file, CSV or Parquet, each in a fresh
    process (`run_sweep(..., chunk_size=C)` in-process, peak RSS)."""
    rows = []
    for fmt in outputs:
        row: dict[str, Any] = {"output": fmt, "draws": draws, "chunks": {}}
        for c in chunks:
            proc = subprocess.run([sys.executable, __file__, "--probe", str(draws), str(c), fmt],
                                  capture_output=True, text=True, check=False)
            if proc.returncode != 0:
                raise RuntimeError(f"sweep probe {fmt} chunk {c} failed: {proc.stderr}")
            row["chunks"][c] = json.loads(proc.stdout.strip().splitlines()[-1])["peak_mb"]
        few, many = (-(-draws // c) for c in (chunks[0], chunks[-1]))
        row["per_chunk_kb"] = ((row["chunks"][chunks[-1]] - row["chunks"][chunks[0]]) * 1024
                               / max(1, many - few))
        rows.append(row)
        print(f"  probe: {fmt}: " + ", ".join(f"{-(-draws // c)} chunks {v:.1f} MB"
                                              for c, v in row["chunks"].items()), flush=True)
    return rows


def run(samples: Sequence[int] = SAMPLES, workers: Sequence[int] = MEMORY_WORKERS,
        draws: int = THROUGHPUT_DRAWS, reps: int = REPS) -> dict[str, Any]:
    import pickle

    from accord.io import load_scenario
    from accord.sweep import make_plan

    info = machine()
    plan_kb = len(pickle.dumps(make_plan(load_scenario(SCENARIO), SEED))) / 1e3
    thr = run_throughput(draws, reps)
    mem, same = run_memory(samples, workers)
    probe = run_probe()
    return {"info": info, "throughput": thr, "memory": mem, "same_files": same, "probe": probe,
            "verdicts": verdicts(mem), "load_end": f"{os.getloadavg()[0]:.2f}",
            "plan_kb": plan_kb}


def problems(res: dict[str, Any]) -> list[str]:
    out = [f"sweep: {r['executor']} summary differs from local x1 (same seed)"
           for r in res["throughput"] if not r["same_summary"]]
    out += [f"sweep: --samples {r['samples']} --workers {r['workers']} wrote {r['rows']} rows "
            f"(draw column 0..N-1: {r['rows_ok']})" for r in res["memory"] if not r["rows_ok"]]
    out += [f"sweep: --samples {s['samples']}: the files written with --workers "
            f"{', '.join(map(str, s['workers']))} differ" for s in res["same_files"]
            if not s["equal"]]
    return out


def missed(res: dict[str, Any]) -> list[str]:
    return [f"sweep --workers {v['workers']}: peak RSS ({v['what']}) grew "
            f"{v['growth_mb']:.1f} MB from N={v['n_lo']:,} to N={v['n_hi']:,} (limit "
            f"{v['limit_mb']:.1f} MB)" for v in res["verdicts"] if not v["met"]]


def summary_lines(res: dict[str, Any]) -> list[str]:
    lines = [f"  sweep {r['executor']}: {r['rate']:.0f} draws/s ({r['speedup']:.2f}x local x1)"
             for r in res["throughput"]]
    lines += [f"  sweep memory --workers {v['workers']} ({v['what']}): {v['lo_mb']:.0f} MB at "
              f"N={v['n_lo']:,}, {v['hi_mb']:.0f} MB at N={v['n_hi']:,}: "
              f"{'pass' if v['met'] else 'FAIL'}" for v in res["verdicts"]]
    return lines


def markdown_probe(rows: Sequence[dict[str, Any]]) -> str:
    chunks = list(rows[0]["chunks"])
    draws = rows[0]["draws"]
    head = " | ".join(f"peak RSS MB, {-(-draws // c)} chunks of {c} draws" for c in chunks)
    lines = [f"| output | {head} | difference MB | per extra chunk kB |",
             "|---|" + "---:|" * (len(chunks) + 2)]
    for r in rows:
        vals = [r["chunks"][c] for c in chunks]
        lines.append(f"| {r['output']} | " + " | ".join(f"{v:.1f}" for v in vals)
                     + f" | {vals[-1] - vals[0]:+.1f} | {r['per_chunk_kb']:.1f} |")
    return "\n".join(lines)


def _fill(text: str) -> str:
    return textwrap.fill(text, width=92, break_on_hyphens=False)


def markdown_throughput(rows: Sequence[dict[str, Any]]) -> str:
    lines = [
        "| executor | workers | start-up s (create + warm-up excess) | draws/s (median) | "
        "min..max | speed-up vs local x1 | CPU ms per draw | parent CPU | children CPU | "
        "others' CPU | idle CPU | empty task ms | chunk | load at start |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['executor']} | {r['workers']} | {r['startup_s']:.2f} ({r['create_s']:.2f} + "
            f"{r['startup_s'] - r['create_s']:.2f}) | {r['rate']:.0f} | {r['rate_min']:.0f}.."
            f"{r['rate_max']:.0f} | {r['speedup']:.2f}x | {r['cpu_ms_per_draw']:.2f} | "
            f"{r['parent_cpu']:.2f} | {r['children_cpu']:.2f} | {r['others_cpu']:.2f} | "
            f"{r['idle_cpu']:.3f} | {r['empty_task_ms']:.2f} | {r['chunk']} | "
            f"{r['load']:.2f} |")
    return "\n".join(lines)


def markdown_memory(rows: Sequence[dict[str, Any]]) -> str:
    lines = [
        "| workers | N | wall s | draws/s end to end | draws/s (in run) | peak RSS, tree MB | "
        "peak RSS, parent MB | peak RSS, largest child MB | processes | growth, 2nd to 4th "
        "quarter MB | Parquet rows | load at start |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        n = "1 (start-up)" if r["baseline"] else f"{r['samples']:,}"
        rates = ("-", "-") if r["baseline"] else (f"{r['rate_e2e']:.0f}", f"{r['rate_run']:.0f}")
        growth = "-" if r["baseline"] or r["growth_mb"] is None else f"{r['growth_mb']:+.1f}"
        lines.append(
            f"| {r['workers']} | {n} | {r['wall_s']:.1f} | {rates[0]} | {rates[1]} | "
            f"{r['peak_tree_mb']:.1f} | {r['peak_parent_mb']:.1f} | {r['peak_child_mb']:.1f} | "
            f"{r['processes']} | {growth} | "
            f"{r['rows']:,}{'' if r['rows_ok'] else ' (WRONG)'} | {r['load']:.2f} |")
    return "\n".join(lines)


def markdown_verdicts(res: dict[str, Any]) -> str:
    lines = ["| workers | RSS of | peak at smaller N MB | peak at larger N MB | growth MB | "
             "limit MB | memory flat in N |", "|---:|---|---:|---:|---:|---:|---|"]
    for v in res["verdicts"]:
        lines.append(f"| {v['workers']} | {v['what']} | {v['lo_mb']:.1f} (N={v['n_lo']:,}) | "
                     f"{v['hi_mb']:.1f} (N={v['n_hi']:,}) | {v['growth_mb']:+.1f} | "
                     f"{v['limit_mb']:.1f} | {'pass' if v['met'] else 'FAIL'} |")
    checks = [f"N={s['samples']:,}: the Parquet files written with --workers "
              f"{' and '.join(map(str, s['workers']))} are "
              f"{'identical' if s['equal'] else 'DIFFERENT'}" for s in res["same_files"]]
    bad = [r for r in res["memory"] if not r["rows_ok"]]
    checks.append("every file has N rows with `draw` = 0..N-1" if not bad else
                  "WRONG row counts: " + ", ".join(f"N={r['samples']:,} --workers "
                                                   f"{r['workers']}: {r['rows']:,}" for r in bad))
    note = " (NaN equal to NaN)" if res["same_files"] else ""
    return "\n".join(lines) + "\n\n" + _fill("Checks: " + "; ".join(checks) + note + ".")


def _reading(res: dict[str, Any]) -> str:
    thr = {r["executor"]: r for r in res["throughput"]}
    one, pool, dask = (thr["local x1"], thr["process pool x2"], thr["Dask LocalCluster x2"])
    chunk_ms = dask["chunk"] * one["cpu_ms_per_draw"]
    paras = [
        f"**What scales.** A draw (compile the drawn scenario, merge the Pareto frontier, the "
        f"Nash solution, one evaluation per proposal) is Python and NumPy on small arrays, "
        f"{one['cpu_ms_per_draw']:.1f} ms of CPU in-process, and draws are independent: the "
        f"sweep is cut into chunks of {pool['chunk']} draws that share nothing but the plan, "
        f"and each worker process computes whole chunks. Two workers ran at "
        f"{pool['speedup']:.2f}x (process pool) and {dask['speedup']:.2f}x (Dask) the "
        f"in-process rate. The three executors' summaries of the same seed were "
        f"{_same_word(res['throughput'])}.",
        f"**How the two cores are shared.** A speed-up is, roughly, the cores a sweep got "
        f"(relative to the in-process one) times the in-process CPU per draw over its own. "
        f"The machine has 2 cores, and the parent process needs some: it unpickles each "
        f"chunk's columns and folds them into the streaming summaries (histograms, counts, "
        f"correlation sums), and writes them with `--out`; under Dask it also runs the "
        f"scheduler and the client's event loop, and each worker has a nanny process. Over "
        f"the timed sweeps the parent used {pool['parent_cpu']:.2f} of a core with the "
        f"process pool and {dask['parent_cpu']:.2f} with Dask; the two workers got "
        f"{pool['children_cpu']:.2f} and {dask['children_cpu']:.2f} cores between them, "
        f"against {one['parent_cpu']:.2f} for the in-process sweep; other processes (other "
        f"developers' test runs) took {one['others_cpu']:.2f}, {pool['others_cpu']:.2f} and "
        f"{dask['others_cpu']:.2f} of a core during the three measurements. CPU per draw, "
        f"parent and children together, was {pool['cpu_ms_per_draw']:.2f} ms (pool) and "
        f"{dask['cpu_ms_per_draw']:.2f} ms (Dask) against {one['cpu_ms_per_draw']:.2f} ms "
        f"in-process." + _cpu_notes(one, pool, dask) + " CPU per draw is the steadier "
        "figure; the speed-ups move with the machine's other load." + _contended(one),
        f"**Dask's overhead.** Starting the LocalCluster took {dask['create_s']:.1f} s, plus "
        f"{dask['startup_s'] - dask['create_s']:.1f} s in the first sweep (the workers import "
        f"Accord); the process pool starts lazily, {pool['startup_s']:.1f} s in all. Idle, "
        f"the cluster still used {dask['idle_cpu']:.3f} of a core (heartbeats and event "
        f"loops; the pool {pool['idle_cpu']:.3f}). An empty task (which still ships the "
        f"{res['plan_kb']:.0f} kB plan: every task carries it) took {dask['empty_task_ms']:.1f} "
        f"ms per task through Dask against {pool['empty_task_ms']:.2f} ms through the process "
        f"pool, {2 * dask['workers']} tasks in flight. A chunk of {dask['chunk']} draws is "
        f"about {chunk_ms / 1e3:.1f} s of work, so Dask's dispatch is about "
        f"{dask['empty_task_ms'] / chunk_ms:.1%} of it, and it overlaps the work since the "
        f"next task is already queued. Dask pays off across machines (`--scheduler "
        f"tcp://...`), not on one.",
    ]
    return "\n\n".join(_fill(p) for p in paras)


def _same_word(rows: Sequence[dict[str, Any]]) -> str:
    if not all(r["same_summary"] for r in rows):
        return "NOT the same"
    if len({r["chunk"] for r in rows}) == 1:
        return "identical"
    return "the same up to their 6-decimal rounding (their chunk sizes differ)"


def _cpu_notes(one: dict[str, Any], pool: dict[str, Any], dask: dict[str, Any]) -> str:
    text = ""
    if pool["speedup"] > 2.0 and pool["cpu_ms_per_draw"] < one["cpu_ms_per_draw"]:
        text += (" That, not extra parallelism, is how the pool passes 2x: its workers spent "
                 "less CPU per draw than the in-process sweep did inside this benchmark's own "
                 "process.")
    if dask["cpu_ms_per_draw"] > 1.05 * pool["cpu_ms_per_draw"]:
        text += (f" Dask spent {dask['cpu_ms_per_draw'] / pool['cpu_ms_per_draw'] - 1:.0%} "
                 "more CPU per draw than the pool (each worker's event loop, heartbeats and "
                 "resource monitor run beside the task, and the nannies: see the idle CPU), "
                 "which is most of the gap between the two.")
    return text


def _contended(one: dict[str, Any]) -> str:
    if one["parent_cpu"] >= 0.9:
        return ""
    return (f" Here the in-process sweep itself got only {one['parent_cpu']:.2f} of a core while "
            "it was timed (other processes took the rest), so its rate is understated and the "
            "speed-ups over it are overstated; a speed-up above 2x with 2 workers can only come "
            "from that.")


def _memory_reading(res: dict[str, Any]) -> str:
    v = res["verdicts"]
    if not v:
        return _fill("Only one N was run, so memory growth with N was not checked.")
    ok = all(x["met"] for x in v)
    worst = max(v, key=lambda x: x["growth_mb"])
    text = (f"**Memory.** {'Flat' if ok else 'NOT flat'} in N: from N={worst['n_lo']:,} to "
            f"N={worst['n_hi']:,} the largest change of a peak was {worst['growth_mb']:+.1f} MB "
            f"({worst['what']}, --workers {worst['workers']}; limit {worst['limit_mb']:.0f} "
            "MB).")
    base = {r["workers"]: r for r in res["memory"] if r["baseline"]}
    top = {}
    for r in res["memory"]:
        if not r["baseline"] and r["samples"] >= top.get(r["workers"], r)["samples"]:
            top[r["workers"]] = r
    parts = [f"--workers {k}: {base[k]['peak_parent_mb']:.0f} MB at N=1, "
             f"{top[k]['peak_parent_mb']:.0f} MB at N={top[k]['samples']:,}"
             for k in top if k in base]
    if parts:
        text += (" The parent's resident size is mostly start-up (the interpreter, NumPy and "
                 "SciPy, and pyarrow's libraries for the Parquet writer): " + "; ".join(parts)
                 + ".")
    if not ok:
        text += _growth_reading(res, worst)
    text += (" While drawing, the parent holds the streaming summaries (fixed-size histograms "
             "and sums), at most 2 x workers chunks in flight and the output file's writer; a "
             "worker holds its chunk and Accord's bounded compile cache (256 entries). RSS "
             "counts shared library pages in every process, so the tree's total overstates "
             "what the sweep takes from the machine, by the same amount at every N.")
    return _fill(text)


def _growth_reading(res: dict[str, Any], worst: dict[str, Any]) -> str:
    """Where the growth is: parent or workers, steady or one-off, and which output."""
    mem = [r for r in res["memory"] if not r["baseline"]]
    k = worst["workers"]
    lo = next(r for r in mem if r["workers"] == k and r["samples"] == worst["n_lo"])
    hi = next(r for r in mem if r["workers"] == k and r["samples"] == worst["n_hi"])
    parent = hi["peak_parent_mb"] - lo["peak_parent_mb"]
    child = hi["peak_child_mb"] - lo["peak_child_mb"]
    text = (f" The growth is in the {'parent' if parent >= child else 'workers'} process "
            f"(parent {parent:+.1f} MB, largest child {child:+.1f} MB at --workers {k})")
    if hi["growth_mb"] is not None:
        text += (f", and it goes on while drawing ({hi['growth_mb']:+.1f} MB from the second to "
                 f"the last quarter of the N={hi['samples']:,} run), so it grows with N rather "
                 "than being paid once")
    text += "."
    probe = {r["output"]: r for r in res.get("probe", [])}
    if probe:
        chunk = hi["chunk"]
        per = {f: r["per_chunk_kb"] for f, r in probe.items()}
        worst_out = max(per, key=lambda f: per[f])
        name = {"none": "no output file", "csv": "CSV", "parquet": "Parquet"}
        text += (f" The probe below finds it: with the draws fixed, cutting them into ten times "
                 f"as many chunks adds {round(per[worst_out])} kB per chunk with "
                 f"{name.get(worst_out, worst_out)}, against "
                 + " and ".join(f"{round(per[f])} kB with {name.get(f, f)}" for f in per
                                if f != worst_out) + ".")
        if worst_out == "parquet":
            text += (f" The Parquet sink writes one row group per chunk ({chunk} draws), and a "
                     "Parquet writer keeps the metadata of every row group until it writes the "
                     "file's footer at the end, so the parent grows by about "
                     f"{per['parquet']:.0f} kB per {chunk} draws, "
                     f"{per['parquet'] * 1e6 / chunk / 1024:.0f} MB per million draws.")
    return text


def markdown(res: dict[str, Any], command_line: str) -> str:
    info = res["info"]
    thr = res["throughput"]
    draws, runs = thr[0]["draws"], thr[0]["runs"]
    ns = sorted({r["samples"] for r in res["memory"] if not r["baseline"]})
    ks = list(dict.fromkeys(r["workers"] for r in res["memory"]))
    head = (f"Command: `{command_line}` (on its own: `.venv-bench/bin/python "
            f"benchmarks/sweep_scale.py --samples {','.join(map(str, ns))} --workers "
            f"{','.join(map(str, ks))}`; a quick trial: `run.py --only sweep --sweep-samples "
            f"2000,5000`). Machine: {info['nproc']} CPUs ({info['cpu']}), Python "
            f"{info['python']}, accord {info['accord']}, distributed {info['distributed']}, "
            f"pyarrow {info['pyarrow']}, numpy {info['numpy']}; {info['date']}; 1-minute load "
            f"{info['load']} at the start and {res['load_end']} at the end. Other developers' "
            "test runs share the machine, so the times are noisy: see the 'others' CPU' "
            "column.")
    thr_text = (f"**Throughput**, in-process: `run_sweep(load_scenario(\"{SCENARIO}\"), "
                f"{draws}, {SEED}, executor=ex, sensitivity=False)` on each executor, created "
                f"once. Start-up = creating it + what an untimed first sweep of {WARMUP_DRAWS} "
                f"draws took beyond {WARMUP_DRAWS} draws at the steady rate (the process pool "
                "spawns its workers there, and every worker imports Accord on its first task). "
                f"Draws/s: median of {runs} sweeps of {draws} draws (`method"
                "[\"draws_per_second\"]`, the chunk loop with aggregation). CPU columns are in "
                "cores (CPU seconds per wall second) over the timed sweeps: this process, its "
                "child processes, and every other process on the machine; idle CPU: the "
                f"executor's own use over {IDLE_SECONDS:g} s without work. Empty task: `imap` "
                f"of {EMPTY_TASKS} `evaluate_chunk(plan, 0, 0)` tasks, time per task.")
    mem_text = (f"**Memory**, end to end: `{' '.join(command('N', 'K', 'TMP.parquet'))}` for N = "
                f"{', '.join(f'{n:,}' for n in ns)} (and N = 1, start-up alone) and K = "
                f"{', '.join(map(str, ks))}, as a subprocess; the RSS of the process and of all "
                f"its descendants sampled every {INTERVAL} s with psutil (peak of the total, of "
                "the parent, of the largest child; growth: the tree's peak over the last "
                "quarter of the run minus its peak over the second quarter, after start-up). "
                "Draws/s end to end includes interpreter start-up, imports, the pool's start "
                "and the Parquet file; 'in run' is the command's own figure. Target: the peak "
                f"at N={ns[-1]:,} within "
                f"max({TOLERANCE:.0%}, {TOLERANCE_MB:g} MB) of the peak at N={ns[0]:,}, for the "
                "tree and for the parent.")
    return "\n".join([
        "## 6. Sweeps: throughput and memory (`benchmarks/sweep_scale.py`)",
        "",
        _fill(head),
        "",
        _fill(thr_text),
        "",
        markdown_throughput(thr),
        "",
        _fill(mem_text),
        "",
        markdown_memory(res["memory"]),
        "",
        markdown_verdicts(res),
        "",
        _reading(res),
        "",
        _memory_reading(res),
        "",
        _fill(f"**Probe** (where memory that grows with N comes from): `run_sweep(..., "
              f"chunk_size=C, out=FILE)` of {res['probe'][0]['draws']:,} draws, --workers 1, "
              "each in a fresh process, peak RSS (VmHWM); the same draws cut into few or "
              "many chunks. A cost per chunk near 0 means memory does not grow with the "
              "number of chunks. The Parquet sink buffers chunks into row groups of about "
              "4 MB (`accord.sweep.sinks.ROW_GROUP_BYTES`): its cost per chunk here is the "
              "buffer of small tables waiting for their row group, bounded by the row-group "
              "size, not by N (the memory table above is the test of that)."),
        "",
        markdown_probe(res["probe"]),
    ]) + "\n"


def int_list(text: str) -> list[int]:
    return [int(x) for x in text.replace(" ", "").split(",") if x]


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--samples", type=int_list, default=list(SAMPLES),
                   help="N of the memory runs, comma-separated (default: 10000,100000)")
    p.add_argument("--workers", type=int_list, default=list(MEMORY_WORKERS),
                   help="--workers of the memory runs, comma-separated (default: 2,1)")
    p.add_argument("--draws", type=int, default=THROUGHPUT_DRAWS,
                   help="draws per timed throughput sweep (default: %(default)s)")
    p.add_argument("--reps", type=int, default=REPS,
                   help="timed throughput sweeps per executor (default: %(default)s)")
    p.add_argument("--probe", nargs=3, metavar=("DRAWS", "CHUNK", "OUTPUT"),
                   help="internal: one in-process sweep (OUTPUT none|csv|parquet), print its "
                        "peak RSS as JSON")
    args = p.parse_args(argv)
    if args.probe:
        print(json.dumps(_probe_in_process(int(args.probe[0]), int(args.probe[1]),
                                           args.probe[2])))
        return 0
    res = run(args.samples, args.workers, args.draws, args.reps)
    print(markdown(res, "python benchmarks/sweep_scale.py"))
    for line in summary_lines(res):
        print(line)
    for m in missed(res):
        print(f"  TARGET MISSED: {m}")
    for m in problems(res):
        print(f"  CHECK FAILED: {m}")
    return 1 if problems(res) else 0


if __name__ == "__main__":
    sys.exit(main())
