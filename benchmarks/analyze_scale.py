"""`accord analyze` on outcome spaces far too large to enumerate.

Two random linear-additive scenarios from `accord.generate.random_scenario_data`, written as
YAML files in a temporary directory:

* 2 parties x 30 issues x 10 options: 10**30 deals (target: under 2 s);
* 3 parties x 12 issues x 6 options: 6**12 = 2,176,782,336 deals (target: under 5 s).

Timed, median of repeated runs (`time.perf_counter`):

* CLI: the whole command `accord analyze FILE --json` as a subprocess (the `accord`
  executable next to `sys.executable`), interpreter start-up and imports included, after
  one untimed warm-up run (so .pyc compilation and a cold file cache stay out);
* start-up alone: `python -c "import accord.cli, accord.analysis, ..."`, to show how much of
  the CLI time is the interpreter and its imports rather than the analysis;
* in-process: load (YAML parse + validation), compile, analyze, and JSON serialisation.

The frontier size is read from the CLI's JSON (`pareto.size`) and checked against the
in-process run. Run: `python benchmarks/analyze_scale.py` with Accord installed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import yaml
from common import accord_executable as _accord_executable
from common import measure

from accord.analysis import analyze
from accord.generate import random_scenario_data
from accord.io import load_scenario
from accord.space import compile_space

# (parties, issues, options, target seconds for the CLI)
CASES: tuple[tuple[int, int, int, float], ...] = ((2, 30, 10, 2.0), (3, 12, 6, 5.0))
CLI_RUNS = 5
IMPORTS = "import accord.cli, accord.analysis, accord.io, accord.space"



def accord_executable() -> str:
    return _accord_executable()


def _run_cli(exe: str, path: str) -> dict:
    proc = subprocess.run([exe, "analyze", path, "--json"], capture_output=True, text=True,
                          check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"accord analyze {path} exited {proc.returncode}: {proc.stderr}")
    return json.loads(proc.stdout)


def _in_process(path: str) -> dict[str, float | int]:
    t0 = time.perf_counter()
    scenario = load_scenario(path)
    t1 = time.perf_counter()
    space = compile_space(scenario)
    t2 = time.perf_counter()
    result = analyze(space)
    t3 = time.perf_counter()
    json.dumps(result.to_dict(), ensure_ascii=False)
    t4 = time.perf_counter()
    return {"load": t1 - t0, "compile": t2 - t1, "analyze": t3 - t2, "json": t4 - t3,
            "total": t4 - t0, "size": len(result.frontier)}


def run_case(parties: int, issues: int, options: int, target: float, directory: str,
             seed: int = 0, runs: int = CLI_RUNS, verbose: bool = True) -> dict:
    data = random_scenario_data(parties, issues, options, seed=seed)
    path = os.path.join(directory, f"{data['id']}.yaml")
    Path(path).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    exe = accord_executable()

    t_cli, n_cli, out = measure(lambda: _run_cli(exe, path), min_reps=runs)
    t_start, n_start, _ = measure(
        lambda: subprocess.run([sys.executable, "-c", IMPORTS], check=True), min_reps=runs)

    # in-process: median of each stage over the same runs
    _in_process(path)  # warm-up
    stages = [_in_process(path) for _ in range(max(runs, 10))]
    med = {k: statistics.median(s[k] for s in stages)
           for k in ("load", "compile", "analyze", "json", "total")}
    size = int(out["pareto"]["size"])
    row = {
        "case": f"{parties}x{issues}x{options}",
        "seed": seed,
        "deals": int(out["outcomes"]),
        "frontier": size,
        "frontier_in_process": int(stages[-1]["size"]),
        "zopa_count": out["zopa"]["count"],
        "cli_s": t_cli,
        "cli_runs": n_cli,
        "startup_s": t_start,
        "startup_runs": n_start,
        "analysis_seconds_reported": out["method"]["seconds"],
        "in_process_runs": len(stages),
        **{f"{k}_s": v for k, v in med.items()},
        "target_s": target,
        "met": t_cli < target,
        "file_bytes": os.path.getsize(path),
    }
    if verbose:
        print(f"  {row['case']}: CLI {t_cli:.3f} s (start-up {t_start:.3f} s), in-process "
              f"{med['total'] * 1e3:.1f} ms, frontier {size}", file=sys.stderr, flush=True)
    return row


def run(cases: Sequence[tuple[int, int, int, float]] = CASES, seed: int = 0,
        runs: int = CLI_RUNS, verbose: bool = True) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="accord-bench-") as d:
        return [run_case(p, i, o, t, d, seed=seed, runs=runs, verbose=verbose)
                for p, i, o, t in cases]


def _deals(n: int) -> str:
    return f"{n:,}" if n < 10**12 else f"{n:.2e}".replace("e+", "e")


def markdown_table(rows: Sequence[dict]) -> str:
    lines = ["| case | deals | frontier | CLI `analyze --json` s (runs) | target | met "
             "| start-up + imports s | in-process total ms | load ms | compile ms "
             "| analyze ms | to JSON ms |",
             "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(
            f"| {r['case']} | {_deals(r['deals'])} | {r['frontier']} | {r['cli_s']:.3f} "
            f"({r['cli_runs']}) | < {r['target_s']:.0f} s | {'yes' if r['met'] else 'NO'} | "
            f"{r['startup_s']:.3f} | {r['total_s'] * 1e3:.1f} | {r['load_s'] * 1e3:.1f} | "
            f"{r['compile_s'] * 1e3:.2f} | {r['analyze_s'] * 1e3:.1f} | "
            f"{r['json_s'] * 1e3:.1f} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--runs", type=int, default=CLI_RUNS)
    args = p.parse_args(argv)
    rows = run(seed=args.seed, runs=args.runs)
    print(markdown_table(rows))
    ok = all(r["frontier"] == r["frontier_in_process"] for r in rows)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
