"""Start-up: the CPU time of short `accord` commands, this checkout beside another.

Most of a short command is import: `accord --version` once imported numpy, pydantic and
every algorithm. Each command runs `--runs` times in a fresh interpreter, with its bytecode
cached as an installed package has it (see `CACHE`), after one warm-up run; the CPU time
(user + system, of the child, from `resource.getrusage`) and the wall time are medians.
With `--previous SRC` (another checkout's src/ folder, e.g. a `git worktree` of an older
commit) the same commands run with that code too, and the ratio previous / now is given.
Issue 13's targets: `--version` and `--help` under 0.15 s of CPU, `analyze logrolling`
under 0.4 s.

Run: `.venv/bin/python benchmarks/startup.py [--runs 7] [--previous SRC]`.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence

COMMANDS = (("--version",), ("--help",), ("analyze", "logrolling"))
TARGETS = {"--version": 0.15, "--help": 0.15, "analyze logrolling": 0.4}


CACHE = tempfile.mkdtemp(prefix="accord-startup-pyc-")
"""Bytecode cache of the children: a command runs as from an installed package, whose
modules pip compiles at install time (a development shell may set PYTHONDONTWRITEBYTECODE,
which would make every run compile every module again)."""


def _once(args: Sequence[str], src: str | None) -> tuple[float, float]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = os.path.join(CACHE, "previous" if src else "now")
    if src is not None:
        env["PYTHONPATH"] = src
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from accord.cli import main; main()", *args],
                   env=env, check=True, capture_output=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def measure(args: Sequence[str], src: str | None, runs: int) -> dict[str, float]:
    _once(args, src)  # warm the file cache
    got = [_once(args, src) for _ in range(runs)]
    return {"cpu": statistics.median(c for c, _ in got),
            "wall": statistics.median(w for _, w in got)}


def run(runs: int = 7, previous: str | None = None) -> str:
    out = ["| command | CPU s (now) | wall s (now) | target CPU s | met | CPU s (previous) | "
           "previous / now |", "|---|---:|---:|---:|---|---:|---:|"]
    for args in COMMANDS:
        name = " ".join(args)
        now = measure(args, None, runs)
        prev = measure(args, previous, runs) if previous is not None else None
        target = TARGETS[name]
        p = "" if prev is None else f"{prev['cpu']:.3f}"
        r = "" if prev is None else f"{prev['cpu'] / now['cpu']:.1f}"
        out.append(f"| `accord {name}` | {now['cpu']:.3f} | {now['wall']:.3f} | < {target:g} | "
                   f"{'yes' if now['cpu'] < target else 'no'} | {p} | {r} |")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--previous", metavar="SRC")
    args = p.parse_args(argv)
    print(run(args.runs, args.previous))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
