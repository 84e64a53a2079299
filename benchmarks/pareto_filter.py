"""The maxima filter for four or more parties, before and after (`nondominated`, k >= 4).

`accord.bargaining.pareto.nondominated` sorts the points in decreasing lexicographic order
and, for k >= 4, asks which rows an earlier row dominates. Before, that question was
answered block by block against every maximum found so far (`blocked_filter` below, the
code as it was): O(m * h) for h maxima, quadratic when most points are maxima. Now it is
a Kung-Luccio-Preparata divide and conquer (`pareto._dominated_dc`). Both run here through
the same `nondominated` (the old filter patched in for its rows), on the same points, in
one process; every pair of answers must be identical.

    .venv/bin/python benchmarks/pareto_filter.py            # prints a markdown table
    .venv/bin/python benchmarks/run.py --only pareto --write  # section of RESULTS.md

Cases: uniform random integer points; correlated points (a common term plus a small one:
few maxima); anti-correlated points on the simplex sum u = 10**6 (all maxima, equal
sums); points on the positive orthant of a sphere (all maxima, unequal sums: the worst
case for the new filter); the largest merge step of a real frontier and the whole
frontier of that scenario (`pareto_frontier`, which calls `nondominated` once per issue).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from unittest import mock

import common
import numpy as np

from accord.bargaining import pareto
from accord.generate import random_scenario
from accord.space import Space, compile_space

SCENARIO = (6, 7, 6, 0)
"""Parties, issues, options, seed of the real-valued random scenario of the merge rows."""


def blocked_filter(ranked: np.ndarray, block: int = 512) -> np.ndarray:
    """The k >= 4 filter before the change (pareto._dominated_blocked, verbatim): rows in
    decreasing lexicographic order, each block compared with the maxima found so far and
    with the earlier rows of the block."""
    m, _ = ranked.shape
    dominated = np.zeros(m, dtype=bool)
    kept = np.empty((0, ranked.shape[1]))
    for s in range(0, m, block):
        blk = ranked[s : s + block]
        dom = np.zeros(len(blk), dtype=bool)
        for c in range(0, len(kept), 2048):
            ref = kept[c : c + 2048]
            dom |= (ref[:, None, :] >= blk[None, :, :]).all(axis=2).any(axis=0)
        inner = (blk[:, None, :] >= blk[None, :, :]).all(axis=2)
        dom |= np.triu(inner, 1).any(axis=0)
        dominated[s : s + block] = dom
        kept = np.concatenate([kept, blk[~dom]])
    return dominated


def uniform(m: int, k: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 10**6, size=(m, k)).astype(float)


def correlated(m: int, k: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (rng.integers(0, 10**6, size=(m, 1)) + rng.integers(0, 10**5, size=(m, k))
            ).astype(float)


def simplex(m: int, k: int, seed: int) -> np.ndarray:
    """Integer points with sum exactly 10**6: no point dominates another."""
    pts = np.floor(np.random.default_rng(seed).dirichlet(np.ones(k), size=m) * 10**6)
    pts[:, -1] = 10**6 - pts[:, :-1].sum(axis=1)
    return pts


def sphere(m: int, k: int, seed: int) -> np.ndarray:
    """|N(0, 1)| directions scaled to length 10**6 and rounded: almost all maxima."""
    x = np.abs(np.random.default_rng(seed).normal(size=(m, k)))
    return np.round(x / np.linalg.norm(x, axis=1, keepdims=True) * 10**6)


def scenario_space() -> Space:
    a, i, o, seed = SCENARIO
    return compile_space(random_scenario(a, i, o, seed=seed, integer_scores=False))


def largest_merge_step(space: Space) -> np.ndarray:
    """The candidate points of the largest merge step of `pareto_frontier(space)`."""
    seen: list[np.ndarray] = []
    real = pareto.nondominated

    def spy(points: np.ndarray) -> np.ndarray:
        seen.append(np.asarray(points, dtype=float))
        return real(points)

    with mock.patch.object(pareto, "nondominated", spy):
        pareto.pareto_frontier(space)
    return max(seen, key=len)


def cases() -> list[tuple[str, int, int, Callable[[], object]]]:
    """(case, points, k, job) where job() returns what must agree between the filters."""
    out = []
    data = [("uniform", uniform, 32_000, 4, 0)]
    data += [("uniform", uniform, 100_000, k, k) for k in (4, 5, 6)]
    data += [("correlated", correlated, 20_000, k, k) for k in (4, 6)]
    data += [("anti-correlated (simplex)", simplex, 20_000, k, k) for k in (4, 5, 6)]
    data += [("anti-correlated (sphere)", sphere, 20_000, k, k) for k in (4, 6)]
    for name, make, m, k, seed in data:
        pts = make(m, k, seed)
        out.append((name, m, k, lambda pts=pts: pareto.nondominated(pts)))
    space = scenario_space()
    step = largest_merge_step(space)
    label = "random_scenario({}, {}, {}, seed={}, integer_scores=False)".format(*SCENARIO)
    out.append((f"largest merge step of {label}", len(step), step.shape[1],
                lambda: pareto.nondominated(step)))
    out.append((f"whole `pareto_frontier` of {label} ({space.outcomes:,} deals)",
                space.outcomes, space.n_actors, lambda: pareto.pareto_frontier(space).deals))
    return out


def run(old_runs: int = 3, new_runs: int = 5) -> list[dict]:
    rows = []
    for case, m, k, job in cases():
        with mock.patch.object(pareto, "_dominated_dc", blocked_filter):
            old_s, old_n, old = common.measure(job, min_reps=old_runs, max_reps=old_runs,
                                               warmup=False)
        new_s, new_n, new = common.measure(job, min_reps=new_runs, max_reps=new_runs)
        rows.append({"case": case, "points": m, "k": k, "kept": len(new),
                     "old_s": old_s, "old_runs": old_n, "new_s": new_s, "new_runs": new_n,
                     "ratio": old_s / new_s, "same": np.array_equal(old, new)})
        print(f"  {case}, {m:,} x {k}: old {old_s:.3f} s, new {new_s:.3f} s", flush=True)
    return rows


def table(rows: list[dict]) -> str:
    out = ["| case | points | k | kept | old s | new s | ratio | same |",
           "|---|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        out.append(f"| {r['case']} | {r['points']:,} | {r['k']} | {r['kept']:,} | "
                   f"{r['old_s']:.3f} ({r['old_runs']}) | {r['new_s']:.3f} ({r['new_runs']}) "
                   f"| {r['ratio']:,.1f}x | {'yes' if r['same'] else 'NO'} |")
    return "\n".join(out) + "\n"


def markdown(rows: list[dict], info: dict[str, str], command: str) -> str:
    return f"""## Pareto maxima filter, four or more parties (`benchmarks/pareto_filter.py`)

Command: `{command}`. Machine: {info['nproc']} CPUs ({info['cpu']}), Python
{info['python']}, numpy {info['numpy']}; 1-minute load {info['load']} at the start.

`nondominated(points)` with its k >= 4 filter as it was ("old": each block of 512 sorted
rows against every maximum found so far, O(m h) for h maxima) and as it is ("new": the
Kung-Luccio-Preparata divide and conquer, `pareto._dominated_dc`), in one process on the
same points. Seconds are medians over the number of runs in parentheses (old without a
warm-up, new after one). "kept": the maxima (rows of the frontier for the last row);
"same": both answers identical, element for element. The last two rows are a real
frontier of 6 parties: the largest candidate set its issue-by-issue merge filters, and the
whole `pareto_frontier` call.

{table(rows)}"""


def problems(rows: list[dict]) -> list[str]:
    return [f"pareto filter: old and new answers differ on {r['case']} ({r['points']:,} x "
            f"{r['k']})" for r in rows if not r["same"]]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--old-runs", type=int, default=3, help="timed runs of the old filter")
    p.add_argument("--new-runs", type=int, default=5, help="timed runs of the new filter")
    args = p.parse_args(argv)
    rows = run(args.old_runs, args.new_runs)
    print(markdown(rows, common.machine(), "python benchmarks/pareto_filter.py"))
    for line in problems(rows):
        print(f"CHECK FAILED: {line}")
    return 1 if problems(rows) else 0


if __name__ == "__main__":
    sys.exit(main())
