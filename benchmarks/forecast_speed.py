"""Speed of the forecast models against the issue's targets (medians of repeated runs).

* expected-utility model: 100 actors x 50 rounds (target: under 2 s);
* KTAB's spatial model: KTAB's 160-actor sample `dummyData-a160.csv`, time per turn
  (target: under 10 s per turn).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

from accord.forecast.data import StakeholderData
from accord.forecast.eu import run_eu
from accord.forecast.importers import load_stakeholders
from accord.forecast.smp import run_smp

ROOT = Path(__file__).resolve().parent.parent
A160 = ROOT / "tests" / "data" / "forecast" / "ktab" / "dummyData-a160.csv"


def random_data(n: int, seed: int = 0) -> StakeholderData:
    rng = np.random.default_rng(seed)
    return StakeholderData(actors=tuple(f"a{i}" for i in range(n)), issues=("x",),
                           capability=rng.uniform(1, 100, n),
                           position=rng.uniform(0, 100, (n, 1)),
                           salience=rng.uniform(0.1, 1, (n, 1)), scales=((0, 100),),
                           source="random")


def _median(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def run(runs: int = 5) -> list[dict]:
    rows = []
    data = random_data(100)
    run_eu(data, rounds=2)  # warm-up
    t = _median(lambda: run_eu(data, rounds=50), runs)
    rows.append({"case": "eu, 100 actors x 50 rounds (random, seed 0)", "seconds": t,
                 "unit": "per run", "target": 2.0, "met": t < 2.0, "runs": runs})
    a160 = load_stakeholders(A160)
    turns = []

    def one() -> None:
        res = run_smp(a160, rounds=1)
        turns.append(len(res.rounds) - 1)

    t = _median(one, max(3, runs // 2))
    per_turn = t / max(1, turns[-1])
    rows.append({"case": "smp, KTAB dummyData-a160 (160 actors, 1 dimension)",
                 "seconds": per_turn, "unit": "per turn", "target": 10.0,
                 "met": per_turn < 10.0, "runs": max(3, runs // 2)})
    return rows


def markdown(rows: list[dict]) -> str:
    out = ["### Forecast speed (`benchmarks/forecast_speed.py`)", "",
           "| case | median time | target | met | runs |", "|---|---:|---:|---|---:|"]
    for r in rows:
        out.append(f"| {r['case']} | {r['seconds']:.3f} s {r['unit']} | < {r['target']:.0f} s "
                   f"| {'yes' if r['met'] else 'no'} | {r['runs']} |")
    return "\n".join(out) + "\n"


def main() -> int:
    rows = run()
    print(markdown(rows))
    return 0 if all(r["met"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
