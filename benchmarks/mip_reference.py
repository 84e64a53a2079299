"""How hard is the Kalai-Smorodinsky question with many parties? Accord's exact search
against HiGHS' mixed-integer solver on the same question.

The target "random 10 parties x 50 issues x 5 options: ZOPA and the four solutions under
30 s" (issue 11) is missed on the Kalai-Smorodinsky solution. This benchmark asks whether
that is a weakness of Accord's search or of the question: on each seed it builds the first
stage of that question exactly as `accord.bargaining.questions.solutions_direct` does
(max min_a g_a / (a_a - d_a) over the deals every party accepts, a_a each party's best
utility in the ZOPA), and gives it, one after the other in one process, to

* **accord**: `accord.bargaining.search.search` (exact branch and bound, started from the
  egalitarian deal, as in `analyze`), with `--limit` seconds;
* **highs**: HiGHS' branch and cut (highspy, one thread, gaps 0) on the same mixed-integer
  model (one binary per option, one row per party; the LP of
  `accord.bargaining.relaxation.Relaxation` with integrality), with the same limit.

Each row gives the time to a proof of optimality, or the best value and proven bound when
the limit ran out (HiGHS' are floating point; Accord's are its stop message). Run:

    .venv/bin/python benchmarks/mip_reference.py [--seeds 0 1 2] [--limit 150]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

SIZE = (10, 50, 5)
SEEDS = (0, 1, 2)
LIMIT = 150.0


def ks_question(seed: int):
    """(model, objective, thresholds, egalitarian deal) of the first Kalai-Smorodinsky
    stage of the random problem of `SIZE` and `seed`."""
    from accord.bargaining.questions import best_for_each, prepare, zopa_direct
    from accord.bargaining.search import Objective
    from accord.generate import random_scenario
    from accord.space import compile_space

    space = compile_space(random_scenario(*SIZE, seed=seed))
    g = prepare(space)
    z = zopa_direct(g)
    best = best_for_each(g, z.deal, deals=False)
    span = [max(a - d, Fraction(0)) for (a, _), d in zip(best, g.D, strict=True)]
    live = tuple(a for a in range(g.n) if span[a] > 0)
    ks = Objective("minaff", live, tuple(1 / (g.K[a] * span[a]) for a in live),
                   tuple(-g.D[a] / span[a] for a in live))
    return g, ks, list(g.T), z.deal


def run_accord(g, ks, T, start, limit: float) -> dict:
    from accord.bargaining.search import Unproven, search
    from accord.budget import Budget, BudgetExceeded

    t0 = time.perf_counter()
    try:
        r = search(g.model, ks, T, lex=False, start=start, budget=Budget(time_limit=limit))
    except BudgetExceeded as exc:
        u = exc.partial
        assert isinstance(u, Unproven)
        return {"proven": False, "seconds": time.perf_counter() - t0, "value": u.value,
                "bound": u.bound}
    return {"proven": True, "seconds": time.perf_counter() - t0, "value": float(r.value),
            "bound": float(r.value), "nodes": r.nodes}


def run_highs(g, ks, T, limit: float) -> dict:
    import highspy

    from accord.bargaining.search import _Search

    s = _Search(g.model, ks, T, [], False, None, None, False)
    rel = s._relaxation()
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(rel.lp)
    h.changeColsIntegrality(rel.nz, rel._idx, np.full(rel.nz, highspy.HighsVarType.kInteger))
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 0.0)
    h.setOptionValue("threads", 1)
    h.setOptionValue("time_limit", float(limit))
    t0 = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - t0
    info = h.getInfo()
    proven = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return {"proven": proven, "seconds": seconds, "value": -info.objective_function_value,
            "bound": -info.mip_dual_bound, "nodes": info.mip_node_count}


def _cell(r: dict, limit: float) -> str:
    if r["proven"]:
        return f"{r['seconds']:.1f} s, optimum {r['value']:.6f}"
    value = "none" if r["value"] is None else f"{r['value']:.6f}"
    bound = "none" if r["bound"] is None else f"{r['bound']:.6f}"
    return f"stopped at {limit:g} s: best {value}, bound {bound}"


def run(seeds: Sequence[int] = SEEDS, limit: float = LIMIT) -> str:
    rows = []
    for seed in seeds:
        g, ks, T, start = ks_question(seed)
        a = run_accord(g, ks, T, start, limit)
        h = run_highs(g, ks, T, limit)
        rows.append((seed, a, h))
        print(f"seed {seed}: accord {_cell(a, limit)}; highs {_cell(h, limit)}",
              file=sys.stderr, flush=True)
    out = ["| seed | Accord's exact search | HiGHS branch and cut (1 thread) |",
           "|---|---|---|"]
    for seed, a, h in rows:
        out.append(f"| {seed} | {_cell(a, limit)} | {_cell(h, limit)} |")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS))
    p.add_argument("--limit", type=float, default=LIMIT)
    args = p.parse_args(argv)
    print(run(args.seeds, args.limit))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
