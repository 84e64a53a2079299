"""Trust: Accord's exact round robin of repeated-PD strategies against an `axelrod`
simulated tournament of the same strategies.

Strategies: 20 memory-one strategies of the axelrod library (Cooperator, Defector,
TitForTat, SuspiciousTitForTat, GTFT, WinStayLoseShift, Random, Alternator, Bully,
FirmButFair, FirstByJoss, FirstByGrofman, StochasticCooperator, StochasticWSLS, SoftJoss,
WinShiftLoseStay, ZDExtort2, ZDGTFT2, ZDGen2, ZDSet2), each paired with Accord's strategy
of the same rule: a named one where Accord has it (its 4-vector and first move are checked
against axelrod's own `_four_vector` / `_initial` where axelrod has them), else a custom
memory-one rule built from axelrod's vector. A third case adds four longer-memory
strategies (Grudger, TitFor2Tats, TwoTitsForTat, HardTitForTat against Accord's grim,
tf2t, ttft, hard-tft automata).

Cases: 200 turns, 5 repetitions, payoffs 5/3/1/0, no noise; the same with noise 0.05; the
24 strategies with noise 0.05.

Timed in one process, one library after the other, median of N runs (`time.perf_counter`):

* axelrod `Tournament(players, turns=200, repetitions=5, seed=k).play(progress_bar=False)`,
  serial (its default), both in full (matches + its dask `ResultSet`) and with
  `build_results=False` (the matches alone: the smaller time, used for the ratio);
* accord `tournament(strategies, turns=200, noise=e)`: the exact expected payoff of every
  pairing from the Markov chain, no simulation (strategies built beforehand, as axelrod's
  players are).

Agreement: for each strategy, axelrod's mean score per turn against the other strategies
(`ResultSet.normalised_scores`, which leaves out self-play, averaged over repetitions)
against Accord's exact `Tournament.scores_vs_others`, as a z-score with the exact standard
error (from the exact variance of every match total, `tournament(..., sd=True)`, over the
repetitions). Reported for the first timed run (5 repetitions) and pooled over all timed
runs (N x 5 repetitions, different seeds), with the chi-square test of all z-scores.

axelrod pulls torch and takes seconds to import: it is imported here only, never by
Accord. Run: `.venv-bench/bin/python benchmarks/trust_vs_axelrod.py [--runs N]`.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import common
import numpy as np

from accord.games.repeated import Payoffs, Strategy, memory_one, strategy, tournament

TURNS = 200
REPETITIONS = 5
TARGET_RATIO = 50.0
Z_LIMIT = 4.0  # |z| above this for any strategy counts as a disagreement
CASES: tuple[tuple[str, float, bool], ...] = (
    ("20 memory-one, no noise", 0.0, False),
    ("20 memory-one, noise 0.05", 0.05, False),
    ("20 memory-one + 4 longer-memory, noise 0.05", 0.05, True),
)

# axelrod class -> Accord strategy (a name, or None: built from axelrod's own 4-vector)
MEMORY_ONE: tuple[tuple[str, str | None], ...] = (
    ("Cooperator", "allc"), ("Defector", "alld"), ("TitForTat", "tft"),
    ("SuspiciousTitForTat", "stft"), ("GTFT", "gtft"), ("WinStayLoseShift", "wsls"),
    ("Random", "random"), ("Alternator", "alternator"), ("Bully", "bully"),
    ("FirmButFair", "fbf"), ("FirstByJoss", "joss"), ("FirstByGrofman", "grofman"),
    ("StochasticCooperator", None), ("StochasticWSLS", None), ("SoftJoss", None),
    ("WinShiftLoseStay", None), ("ZDExtort2", None), ("ZDGTFT2", None), ("ZDGen2", None),
    ("ZDSet2", None),
)
LONGER: tuple[tuple[str, str], ...] = (
    ("Grudger", "grim"), ("TitFor2Tats", "tf2t"), ("TwoTitsForTat", "ttft"),
    ("HardTitForTat", "hard-tft"),
)


def measure(fn: Callable[[], Any], runs: int, warmup: bool = True) -> tuple[float, list[Any]]:
    """Median wall time of `runs` calls of `fn(k)` (k = 0..runs-1), and their results."""
    if warmup:
        fn(-1)
    times, results = [], []
    for k in range(runs):
        t0 = time.perf_counter()
        results.append(fn(k))
        times.append(time.perf_counter() - t0)
    return statistics.median(times), results


def pairs(extended: bool) -> list[tuple[Any, Strategy]]:
    """(axelrod player, Accord strategy) for every strategy of a case."""
    import axelrod as axl

    game = axl.Game()
    out = []
    for cls, name in MEMORY_ONE + (LONGER if extended else ()):
        player = getattr(axl, cls)()
        player.set_match_attributes(game=game)  # ZD and GTFT compute their vectors here
        four = getattr(player, "_four_vector", None)
        if four is not None:
            vec = [float(four[(a, b)]) for a in (axl.Action.C, axl.Action.D)
                   for b in (axl.Action.C, axl.Action.D)]
            first = 1.0 if player._initial == axl.Action.C else 0.0
        if name is None:
            st = memory_one(cls, vec, first, f"axelrod {cls}")
        else:
            st = strategy(name, Payoffs())
            # check Accord's named rule against axelrod's own vector
            if four is not None and not (np.allclose(st.vector, vec, atol=1e-12)
                                         and st.first == first):
                raise SystemExit(f"{cls}: axelrod {vec}, first {first} != accord "
                                     f"{name} {st.vector}, first {st.first}")
        out.append((player, st))
    return out


def run_case(label: str, noise: float, extended: bool, runs: int, accord_runs: int) -> dict:
    import axelrod as axl

    ps = pairs(extended)
    players = [p for p, _ in ps]
    strats = [s for _, s in ps]
    n = len(strats)

    def ax_full(k):
        return axl.Tournament(players, turns=TURNS, repetitions=REPETITIONS, noise=noise,
                              seed=1000 + k).play(progress_bar=False)

    def ax_matches(k):
        with warnings.catch_warnings():  # "results will not be accessible": that is the point
            warnings.simplefilter("ignore", UserWarning)
            return axl.Tournament(players, turns=TURNS, repetitions=REPETITIONS, noise=noise,
                                  seed=2000 + k).play(progress_bar=False, build_results=False)

    def acc(_k):
        return tournament(strats, turns=TURNS, noise=noise)

    print(f"  {label}: axelrod play() x{runs} ...", flush=True, file=sys.stderr)
    full_s, results = measure(ax_full, runs, warmup=False)
    print(f"  {label}: axelrod matches only x{runs} ...", flush=True, file=sys.stderr)
    matches_s, _ = measure(ax_matches, runs, warmup=False)
    acc_s, acc_results = measure(acc, accord_runs)
    exact = tournament(strats, turns=TURNS, noise=noise, sd=True)
    assert np.allclose(exact.matrix, acc_results[-1].matrix, rtol=0, atol=1e-12)

    # exact standard error of one repetition's mean score per turn (self-play left out)
    var = (exact.sd / TURNS) ** 2
    np.fill_diagonal(var, 0.0)
    se1 = np.sqrt(var.sum(axis=1)) / (n - 1)
    mu = exact.scores_vs_others

    def zscores(reps: list[list[float]]) -> np.ndarray:
        mean = np.array([np.mean(r) for r in reps])
        r = len(reps[0])
        se = se1 / math.sqrt(r)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(se > 0, (mean - mu) / np.where(se > 0, se, 1),
                         np.where(np.abs(mean - mu) < 1e-9, 0.0, np.inf))
        return z

    first = results[0].normalised_scores
    pooled = [sum((res.normalised_scores[i] for res in results), []) for i in range(n)]
    z1, zp = zscores(first), zscores(pooled)
    chi2_p = _chi2_sf(float((zp[se1 > 0] ** 2).sum()), int((se1 > 0).sum()))
    rows = []
    for i in range(n):
        rows.append({"axelrod": type(players[i]).__name__, "accord": strats[i].name,
                     "exact": float(mu[i]), "axelrod_first": float(np.mean(first[i])),
                     "z_first": float(z1[i]), "axelrod_pooled": float(np.mean(pooled[i])),
                     "z_pooled": float(zp[i]), "se_first": float(se1[i] / math.sqrt(
                         REPETITIONS))})
    return {
        "case": label, "strategies": n, "matches": n * (n + 1) // 2, "noise": noise,
        "runs": runs, "accord_runs": accord_runs, "axelrod_play_s": full_s,
        "axelrod_matches_s": matches_s, "accord_s": acc_s,
        "ratio_matches": matches_s / acc_s, "ratio_play": full_s / acc_s,
        "max_z_first": float(np.max(np.abs(z1))), "max_z_pooled": float(np.max(np.abs(zp))),
        "chi2_p": chi2_p, "agree": bool(np.max(np.abs(z1)) <= Z_LIMIT
                                        and np.max(np.abs(zp)) <= Z_LIMIT),
        "rows": rows,
    }


def _chi2_sf(x: float, k: int) -> float | None:
    try:
        from scipy.stats import chi2
    except ImportError:
        return None
    return float(chi2.sf(x, k))


def machine() -> dict[str, str]:
    return common.machine("axelrod")

def markdown(cases: Sequence[dict], info: dict[str, str], import_s: float,
             command: str) -> str:
    runs = cases[0]["runs"]
    lines = [
        "## Trust: exact round robin against axelrod (`benchmarks/trust_vs_axelrod.py`)",
        "",
        f"Command: `{command}`. Machine: {info['nproc']} CPUs ({info['cpu']}), Python "
        f"{info['python']}, accord {info['accord']}, axelrod {info['axelrod']}, numpy "
        f"{info['numpy']}; 1-minute load {info['load']} at the start. Importing axelrod "
        f"took {import_s:.1f} s (not counted below).",
        "",
        f"Round robin with self-play, {TURNS} turns, {REPETITIONS} repetitions, payoffs "
        "5/3/1/0. axelrod: `Tournament(players, turns=200, repetitions=5, noise=e, "
        "seed=k).play(progress_bar=False)`, serial, in full and with `build_results=False` "
        f"(matches only); median of {runs} runs each. accord: `tournament(strategies, "
        "turns=200, noise=e)`, exact expected payoffs from the Markov chain (no simulation), "
        f"median of {cases[0]['accord_runs']} runs after a warm-up. Ratio = axelrod matches "
        f"only / accord (target >= {TARGET_RATIO:g}x). Agreement: z = (axelrod mean score "
        "per turn against the others - accord's exact value) / exact standard error, per "
        f"strategy; max |z| over the strategies for the first run ({REPETITIONS} "
        f"repetitions) and pooled over the {runs} runs ({runs * REPETITIONS} repetitions), "
        f"agreeing when every |z| <= {Z_LIMIT:g}; chi-square p of the pooled z-scores.",
        "",
        "| case | matches | axelrod play() s | axelrod matches only s | accord ms | ratio "
        "(matches only) | ratio (play) | target met | max abs z, 5 reps | max abs z, pooled "
        "| chi-square p | agree |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---|",
    ]
    for c in cases:
        p = "-" if c["chi2_p"] is None else f"{c['chi2_p']:.2f}"
        lines.append(
            f"| {c['case']} | {c['matches']} | {c['axelrod_play_s']:.2f} | "
            f"{c['axelrod_matches_s']:.2f} | {c['accord_s'] * 1e3:.2f} | "
            f"{c['ratio_matches']:,.0f}x | {c['ratio_play']:,.0f}x | "
            f"{'yes' if c['ratio_matches'] >= TARGET_RATIO else 'no'} | "
            f"{c['max_z_first']:.2f} | {c['max_z_pooled']:.2f} | {p} | "
            f"{'yes' if c['agree'] else 'no'} |")
    for c in cases:
        lines += ["", f"Per strategy, {c['case']} (mean score per turn against the others):",
                  "", "| axelrod | accord | exact | axelrod, 5 reps | exact SE | z | axelrod, "
                      "pooled | z pooled |",
                  "|---|---|---:|---:|---:|---:|---:|---:|"]
        for r in c["rows"]:
            lines.append(f"| {r['axelrod']} | {r['accord']} | {r['exact']:.4f} | "
                         f"{r['axelrod_first']:.4f} | {r['se_first']:.4f} | "
                         f"{r['z_first']:+.2f} | {r['axelrod_pooled']:.4f} | "
                         f"{r['z_pooled']:+.2f} |")
    return "\n".join(lines) + "\n"


def run(runs: int = 5, accord_runs: int = 200,
        cases: Sequence[tuple[str, float, bool]] = CASES) -> tuple[list[dict], float]:
    t0 = time.perf_counter()
    import axelrod  # noqa: F401 - timed: it pulls torch

    import_s = time.perf_counter() - t0
    return [run_case(label, noise, ext, runs, accord_runs) for label, noise, ext in cases], \
        import_s


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="axelrod runs per case (default 5)")
    ap.add_argument("--accord-runs", type=int, default=200,
                    help="accord runs per case (default 200)")
    ap.add_argument("--quick", action="store_true", help="only the first case")
    args = ap.parse_args(argv)
    info = machine()
    if info["axelrod"] == "not installed":
        print("axelrod is not installed: `.venv-bench/bin/pip install \"axelrod>=4.13,<5\"` "
              "(or `make bench`)", file=sys.stderr)
        return 2
    cases, import_s = run(args.runs, args.accord_runs, CASES[:1] if args.quick else CASES)
    command = "python benchmarks/trust_vs_axelrod.py" + (
        f" --runs {args.runs}" if args.runs != 5 else "") + (" --quick" if args.quick else "")
    print(markdown(cases, info, import_s, command))
    ok = all(c["agree"] for c in cases)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
