"""The direct method against the frontier method: ZOPA, solutions and proposals at scale.

`accord analyze` answers the ZOPA, the four bargaining solutions and the proposals'
improvements in one of three ways (`analyze(space, method=M)`, `--method M` on the CLI):
`"direct"`, by exact branch and bound per question (`accord.bargaining.questions`), the
frontier listed up to a limit; `"frontier"`, every answer read off the whole Pareto frontier
(`accord.bargaining.pareto.pareto_frontier`), the previous method; and `"auto"`, the default
(`accord analyze` without `--method`), which computes the frontier when that is cheap (a
merge within a candidate cap and a few seconds, `accord.bargaining.listing.
affordable_frontier`) and answers off it, else answers directly. They run here side by side,
in one run, on:

1. **Iran** (`benchmarks/data/iran-2015.yaml`: 4 veto parties, 11 issues, 6,006,000,000
   deals; and `iran-2015-coarse.yaml`, 246,000,000 deals): the whole command
   `accord analyze FILE --json` as a subprocess (the `accord` executable next to
   `sys.executable`), with the default method (no `--method`) and with `--method
   frontier`, and `accord evaluate FILE --proposal jcpoa-2015 --json`. One untimed warm-up,
   then the median of 5 runs (3 when a run takes over 30 s); a command still running after
   600 s is stopped and reported as "> 600 s". The two `analyze` JSON documents must agree
   on `zopa.exists`, `zopa.shortfall`, the four solutions' deals and every proposal's
   improvements (also inside the ZOPA); the `evaluate` document must agree with the frontier
   method's evaluation of the same proposal. The same table times, the same way (warm-up,
   median, stop):
   * `accord repair iran-2015.yaml --proposal us-opening --json` (target < 2 s); its
     `zopa.exists` and `zopa.shortfall` must equal those of the direct `analyze` document;
   * `accord inverse iran-2015.yaml --proposal us-opening --json` (`inverse` needs a
     proposal or a deal; no target, the time is reported);
   * `accord coalition iran-2015.yaml --json`, the game of all 7 actors (target < 10 s);
   * `accord sweep iran-2015-sweep.yaml --samples 60 --workers 1 --seed 1 --json`
     (`benchmarks/data/iran-2015-sweep.yaml`: iran-2015 with triangular ranges on the four
     parties' BATNAs and three salience weights, so utilities change from draw to draw): the
     whole command's time and the throughput of its draws, `method.draws_per_second` (the
     draws alone, without start-up, the nominal plan or the tornado), median over the timed
     runs, target >= 20 draws/s. The summary (the document without `method`) must be the
     same in every run (the draws depend only on the seed).

   The previous method of each command (`PREVIOUS`): `analyze --method frontier`, `repair
   --method milp` (the mixed-integer program it used before the search); `coalition` has
   no option to force its frontier method, so its direct time is reported alone, marked
   "no CLI option". Whether a command offers its previous method is read off its `--help`
   at run time: when it does, it is run that way too, the ratio is reported and the
   answers (`ANSWER_KEYS`) must agree. `--only-iran` runs this table alone.
2. **Random problems** (`random_scenario(parties, issues, options, seed)`, integer scores and
   3-decimal weights, so utilities are exact), seeds 0, 1, 2: 6 x 30 x 8 (target: ZOPA and the
   four solutions under 10 s) and 10 x 50 x 5 (under 30 s).
3. **Constant-sum problems** (every deal Pareto-optimal, ties everywhere: the hard case for
   every method), equal weights on every issue, seeds 0, 1, 2, target 5 s, with two kinds of
   scores (`scores` in a case's spec, `constant_sum_data(..., scores=...)`): "integer"
   (integers 0..100: few distinct utility vectors, so a small frontier) and "real" (three
   decimals: many distinct utility vectors);
   * 2 x 10 x 10: party p0's scores s0 are random integers 0..100 ("integer") or
     round(uniform(0, 100), 3) ("real"), and p1's are 100 - s0 (rounded to 3 decimals), so
     U0 + U1 = 1 on every deal; BATNAs 0.35;
   * 3 x 12 x 6: each option's three scores are a random composition of 100: two cut points
     drawn uniformly (integers from 0..100, or reals on [0, 100] rounded to 3 decimals) and
     sorted, s0 = c1, s1 = c2 - c1, s2 = 100 - c2 (rounded to 3 decimals, so they still sum
     to exactly 100), so U0 + U1 + U2 = 1 on every deal; BATNAs 0.233.

   Each case runs three ways: `method="auto"` (the default a user gets), `"direct"` and
   `"frontier"`. The target is judged on the default: the ZOPA and the four solutions
   with `method="auto"` under 5 s (the whole call when it read them off the frontier; else
   up to the direct solutions, its failed attempt at the frontier included), whichever
   method it chose (reported, from `to_dict()["method"]["answers"]`); the whole call is
   shown beside it, with the direct method's ZOPA + solutions time and the frontier's size
   (or "too large" when the frontier method gives up on it). The answers must agree
   between every pair of methods that finished.
   `--only-constant-sum` runs this table alone.

Random and constant-sum problems are timed in-process: `analyze(space, method=M,
frontier_limit=50, budget=Budget(time_limit=L))`, each run in a fresh Python process (so a
run past its limit can be stopped for sure: a `Budget` is polled, and the frontier merge polls
it only once per issue) after an untimed warm-up on a tiny problem; the time is measured
inside that process around the `analyze` call only. "ZOPA + solutions" is the part of that
call up to the return of `solutions_direct` (the rest lists the frontier: an exact merge for
at most 5 s, then deals found directly); with `method="auto"` it exists only when the direct
path runs, so otherwise the whole call counts. Median of 5 runs, 3 when the first takes over 5 s.
The direct and the default (auto) methods are stopped at 4x the target (their `Budget`, and
the process killed 30 s later), the frontier method at 120 s; a stopped case is reported as
"> N s" after one run. Where two methods finish, their answers must agree: `zopa.exists`,
the largest smallest gain (`best_min_gain`, within 1e-9) and the deals of the four
solutions.

    .venv/bin/python benchmarks/direct_scale.py                 # prints the tables
    .venv/bin/python benchmarks/direct_scale.py --only-iran     # the Iran table, a few minutes
    .venv/bin/python benchmarks/direct_scale.py --only-constant-sum   # the constant-sum table
    .venv/bin/python benchmarks/run.py --only direct --write    # section 8 of RESULTS.md

Needs only Accord (no negmas). A full run takes about half an hour on a 2-core machine,
most of it cases stopped at their limits.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from unittest import mock

import common
import numpy as np

HERE = Path(__file__).resolve().parent
IRAN = HERE / "data" / "iran-2015.yaml"
IRAN_COARSE = HERE / "data" / "iran-2015-coarse.yaml"
IRAN_SWEEP = HERE / "data" / "iran-2015-sweep.yaml"
PROPOSAL = "jcpoa-2015"
REPAIR_PROPOSAL = "us-opening"
IRAN_TARGETS = {"analyze": 10.0, "evaluate": 2.0, "repair": 2.0, "coalition": 10.0}
"""Seconds, the whole command; `inverse` has no target."""
SWEEP_ARGS = ("--samples", "60", "--workers", "1", "--seed", "1")
SWEEP_RATE = 20.0
"""Target of the sweep: at least this many draws per second (`method.draws_per_second`)."""
ANSWER_KEYS = {"repair": ("found", "changes", "changed", "repaired", "smallest_gain_exact"),
               "coalition": ("grand_coalition", "shapley", "nucleolus", "core")}
"""The answers that must agree between the default and the previous method, for a command
whose `--help` offers the previous method."""
PREVIOUS = {"repair": "milp", "coalition": "frontier"}
"""`--method` value of each command's previous method (besides `analyze`'s frontier)."""
CLI_TIMEOUT = 600.0
CLI_RUNS = 5
SLOW_CLI = 30.0
"""A command slower than this (its warm-up) is timed 3 times instead of `CLI_RUNS`."""

RANDOM_CASES: tuple[tuple[int, int, int, float], ...] = ((6, 30, 8, 10.0), (10, 50, 5, 30.0))
CONSTANT_SUM_CASES: tuple[tuple[int, int, int, float], ...] = ((2, 10, 10, 5.0),
                                                               (3, 12, 6, 5.0))
SCORES = ("integer", "real")
"""The kinds of scores of the constant-sum problems (see the module doc)."""
SEEDS = (0, 1, 2)
LISTED = 50
"""`frontier_limit` of the in-process runs."""
STOP_FACTOR = 4.0
"""The direct method is stopped at this multiple of its target."""
FRONTIER_SECONDS = 120.0
"""The frontier method is stopped after this long."""
GRACE = 30.0
"""Seconds a trial process may take beyond its limit (start-up, build, warm-up, a Budget
polled late) before it is killed."""
RUNS, FAST_RUNS, FAST_BELOW = 3, 5, 5.0
SOLUTIONS = ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian")
METHODS = ("auto", "direct", "frontier")
"""The methods of `analyze`, "auto" its default; random problems run the last two."""


# -- problems ------------------------------------------------------------------------------

def constant_sum_data(n_parties: int, n_issues: int, n_options: int, seed: int = 0,
                      scores: str = "integer") -> dict:
    """A scenario whose parties' utilities sum to 1 on every deal, with integer scores
    0..100 or `scores="real"` ones with three decimals (see the module doc)."""
    if n_parties not in (2, 3):
        raise ValueError("constant-sum problems are built for 2 or 3 parties")
    if scores not in SCORES:
        raise ValueError(f"scores must be one of {', '.join(SCORES)}")
    rng = np.random.default_rng(seed)

    def draw(*size: int) -> np.ndarray:
        if scores == "integer":
            return rng.integers(0, 101, size=size)
        return np.round(rng.uniform(0.0, 100.0, size=size), 3)

    if n_parties == 2:
        s0 = draw(n_issues, n_options)
        tables = [s0, 100 - s0]
    else:
        cut = np.sort(draw(n_issues, n_options, 2), axis=2)
        tables = [cut[..., 0], cut[..., 1] - cut[..., 0], 100 - cut[..., 1]]
    if scores == "real":  # differences of 3-decimal numbers, back to their 3 decimals
        tables = [np.round(t, 3) for t in tables]
    batna = round(0.7 / n_parties, 3)
    issues = [{"id": f"i{i}", "options": [f"o{o}" for o in range(n_options)]}
              for i in range(n_issues)]
    actors = [{"id": f"p{a}", "role": "party", "batna": batna,
               "salience": {f"i{i}": 1.0 for i in range(n_issues)},
               "preferences": {f"i{i}": {f"o{o}": float(t[i, o]) for o in range(n_options)}
                               for i in range(n_issues)}}
              for a, t in enumerate(tables)]
    name = f"constant-sum-{n_parties}x{n_issues}x{n_options}-s{seed}" + (
        "" if scores == "integer" else f"-{scores}")
    return {"accord": 1, "id": name, "title": f"Constant-sum {name}",
            "issues": issues, "actors": actors}


def build_space(spec: dict):
    from accord.generate import random_scenario_data
    from accord.space import compile_space
    from accord.validation import validate_scenario

    size = (spec["parties"], spec["issues"], spec["options"])
    if spec["kind"] == "constant-sum":
        data = constant_sum_data(*size, seed=spec["seed"],
                                 scores=spec.get("scores", "integer"))
    else:
        data = random_scenario_data(*size, seed=spec["seed"])
    return compile_space(validate_scenario(data, "<benchmark>"))


# -- one in-process run, in its own process -----------------------------------------------

def _warm_up() -> None:
    from accord.analysis import analyze
    from accord.generate import random_scenario
    from accord.space import compile_space

    space = compile_space(random_scenario(3, 4, 3, seed=0))
    for method in METHODS:
        analyze(space, method=method, frontier_limit=LISTED)


def trial(spec: dict) -> dict:
    """Time one `analyze` call of `spec` ({kind, parties, issues, options, seed, method,
    limit}, and scores for a constant-sum problem) in this process; the answers, the method
    that answered and the listing as plain data."""
    from accord.analysis import analyze
    from accord.bargaining import questions
    from accord.bargaining.pareto import FrontierTooLarge
    from accord.budget import Budget
    from accord.errors import InputError

    _warm_up()
    space = build_space(spec)
    marks: dict[str, float] = {}
    real = questions.solutions_direct

    def solutions_direct(*args, **kwargs):
        out = real(*args, **kwargs)
        marks["solutions"] = time.perf_counter()
        return out

    row: dict = {"deals": int(space.outcomes)}
    with mock.patch.object(questions, "solutions_direct", solutions_direct):
        t0 = time.perf_counter()
        try:
            r = analyze(space, method=spec["method"], frontier_limit=LISTED,
                        budget=Budget(time_limit=spec["limit"]))
        except InputError as exc:  # BudgetExceeded, or FrontierTooLarge
            row.update(status="stopped", seconds=time.perf_counter() - t0,
                       message=str(exc).splitlines()[0][:300])
            if "solutions" in marks:
                row["questions_s"] = marks["solutions"] - t0
            if isinstance(exc, FrontierTooLarge):
                row.update(too_large=True, lower_bound=exc.lower_bound)
            return row
        t1 = time.perf_counter()
    d = r.to_dict()
    row.update(
        status="ok", seconds=t1 - t0, answers=d["method"]["answers"],
        questions_s=(marks["solutions"] - t0) if "solutions" in marks else None,
        exists=r.zopa.exists, best_min_gain=float(r.zopa.best_min_gain),
        deals_of={n: None if p is None else list(p.index) for n, p in r.solutions.items()},
        pareto={k: d["pareto"][k] for k in ("size", "listed", "lower_bound", "note")},
        listing=d["method"]["frontier"])
    return row


def _child(spec: dict) -> dict:
    """`trial(spec)` in a fresh process, killed `GRACE` seconds after its limit."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--trial", json.dumps(spec)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False,
                              timeout=spec["limit"] + GRACE)
    except subprocess.TimeoutExpired:
        return {"status": "stopped", "seconds": spec["limit"],
                "message": f"killed {GRACE:g} s after its {spec['limit']:g} s limit"}
    if proc.returncode != 0:
        return {"status": "error", "message": (proc.stderr or proc.stdout)[-600:]}
    return json.loads(proc.stdout.splitlines()[-1])


def timed(spec: dict) -> dict:
    """Median over runs of `trial(spec)` (see the module doc); it stops at the first run
    that does not finish."""
    done: list[dict] = []
    stop = None
    wanted = 1
    while len(done) < wanted:
        r = _child(spec)
        if r["status"] != "ok":
            stop = r
            break
        done.append(r)
        if len(done) == 1:
            wanted = FAST_RUNS if r["seconds"] < FAST_BELOW else RUNS
    if stop is not None:
        return {**stop, "seconds": None, "runs": len(done), "after": stop.get("seconds"),
                "deals": stop.get("deals", done[0]["deals"] if done else None)}
    out = dict(done[0])
    out["seconds"] = statistics.median(r["seconds"] for r in done)
    q = [r["questions_s"] for r in done if r.get("questions_s") is not None]
    out["questions_s"] = statistics.median(q) if q else None
    out["runs"] = len(done)
    out["answered"] = {m: sum(r["answers"] == m for r in done)
                       for m in sorted({r["answers"] for r in done})}
    out["stable"] = all(r["deals_of"] == done[0]["deals_of"] for r in done)
    return out


def agree(a: dict, b: dict) -> list[str]:
    """What differs between two finished trials' answers (empty: they agree)."""
    diff = []
    if a["exists"] != b["exists"]:
        diff.append("zopa.exists")
    if abs(a["best_min_gain"] - b["best_min_gain"]) > 1e-9:
        diff.append("best_min_gain")
    diff += [n for n in SOLUTIONS if a["deals_of"].get(n) != b["deals_of"].get(n)]
    return diff


def run_problems(kind: str, cases: Sequence[tuple[int, int, int, float]],
                 seeds: Sequence[int] = SEEDS, frontier_seconds: float = FRONTIER_SECONDS,
                 verbose: bool = True) -> list[dict]:
    """One row per case and seed (and, for "constant-sum", per kind of `SCORES`): the
    direct and the frontier method, and for "constant-sum" the default (auto) too."""
    constant_sum = kind == "constant-sum"
    rows = []
    for p, i, o, target in cases:
        for scores in SCORES if constant_sum else (None,):
            for seed in seeds:
                base = {"kind": kind, "parties": p, "issues": i, "options": o, "seed": seed}
                if scores is not None:
                    base["scores"] = scores
                limits = {"direct": STOP_FACTOR * target, "frontier": frontier_seconds}
                if constant_sum:
                    limits = {"auto": STOP_FACTOR * target, **limits}
                trials = {m: timed({**base, "method": m, "limit": limit})
                          for m, limit in limits.items()}
                row = {"kind": kind, "case": f"{p}x{i}x{o}", "seed": seed,
                       "deals": next((t["deals"] for t in trials.values()
                                      if t.get("deals") is not None), None),
                       "target_s": target, **trials,
                       **{f"{m}_limit": limit for m, limit in limits.items()}}
                if constant_sum:
                    a = trials["auto"]
                    row.update(scores=scores, **_pairwise(trials),
                               met=a["status"] == "ok" and _answers_s(a) < target)
                else:
                    d, f = trials["direct"], trials["frontier"]
                    q = d.get("questions_s")
                    both = d["status"] == "ok" and f["status"] == "ok"
                    row.update(differ=agree(d, f) if both else None,
                               met=q is not None and q < target)
                rows.append(row)
                if verbose:
                    print(f"  {_label(row)}: " + ", ".join(
                        f"{m} {_trial_s(t, 'seconds', limits[m])} s"
                        + (f" (ZOPA + solutions {_trial_s(t, 'questions_s', limits[m])} s)"
                           if m == "direct" else "")
                        + (f" (answered by {_answered(t)})" if m == "auto" else "")
                        for m, t in trials.items()), file=sys.stderr, flush=True)
    return rows


def _pairwise(trials: dict[str, dict]) -> dict:
    """`differ`: what differs between every pair of the finished trials, each item prefixed
    with the pair (None when fewer than two finished); `compared`: the finished ones."""
    done = [m for m, t in trials.items() if t["status"] == "ok"]
    if len(done) < 2:
        return {"differ": None, "compared": done}
    return {"differ": [f"{a} vs {b}: {x}" for a, b in itertools.combinations(done, 2)
                       for x in agree(trials[a], trials[b])], "compared": done}


def _methods(row: dict) -> list[str]:
    """The methods a problem row ran."""
    return [m for m in METHODS if m in row]


def _label(row: dict) -> str:
    scores = f" {row['scores']}" if row.get("scores") else ""
    return f"{row['kind']} {row['case']}{scores} seed {row['seed']}"


def _answered(t: dict) -> str:
    """Which method answered a finished default (auto) trial, with counts if runs differ."""
    by = t.get("answered") or {}
    if t["status"] != "ok" or not by:
        return "-"
    if len(by) == 1:
        return next(iter(by))
    return ", ".join(f"{m} in {n} runs" for m, n in by.items())


# -- the CLI on the Iran files -------------------------------------------------------------

def _cli_once(args: Sequence[str], timeout: float) -> tuple[float | None, dict | None, str]:
    t0 = time.perf_counter()
    try:
        proc = subprocess.run([common.accord_executable(), *args], capture_output=True,
                              text=True, check=False, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, None, f"> {timeout:g} s"
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        return None, None, f"exit {proc.returncode}: {proc.stderr.strip()[:300]}"
    return seconds, json.loads(proc.stdout), ""


def cli_case(args: Sequence[str], timeout: float = CLI_TIMEOUT, runs: int = CLI_RUNS,
             verbose: bool = True, rate: Callable[[dict], float] | None = None,
             answer: Callable[[dict], object] | None = None) -> dict:
    """Median time of `accord ARGS` after one untimed warm-up; its JSON output. With `rate`,
    also the median of `rate(document)` over the timed runs (`rate`); with `answer`,
    whether `answer(document)` is the same in every timed run (`stable`)."""
    label = "accord " + " ".join(_short(a) for a in args)
    warm, out, failed = _cli_once(args, timeout)
    times: list[float] = []
    docs: list[dict] = []
    if not failed:
        n = RUNS if warm is not None and warm > SLOW_CLI else runs
        for _ in range(n):
            t, out, failed = _cli_once(args, timeout)
            if failed:
                break
            times.append(t)  # type: ignore[arg-type]
            docs.append(out)  # type: ignore[arg-type]
    row = {"command": label, "seconds": None if failed else statistics.median(times),
           "runs": len(times), "failed": failed, "json": None if failed else out}
    if rate is not None:
        rates = [rate(d) for d in docs]
        row["rates"] = rates
        row["rate"] = None if failed else statistics.median(rates)
    if answer is not None:
        row["stable"] = None if failed else all(answer(d) == answer(docs[0]) for d in docs)
    if verbose:
        shown = failed or f"{row['seconds']:.2f} s ({len(times)} runs)"
        if row.get("rate") is not None:
            shown += f", {row['rate']:.1f} draws/s (runs: " \
                     + ", ".join(f"{r:g}" for r in row["rates"]) + ")"
        print(f"  {label}: {shown}", file=sys.stderr, flush=True)
    return row


def offers_method(command: str, value: str) -> bool:
    """Whether `accord COMMAND --help` offers `--method` with `value` (the previous
    method)."""
    proc = subprocess.run([common.accord_executable(), command, "--help"],
                          capture_output=True, text=True, check=False, timeout=60)
    return "--method" in proc.stdout and value in proc.stdout


def _short(arg: str) -> str:
    p = Path(arg)
    return str(p.relative_to(HERE.parent)) if p.is_absolute() and HERE.parent in p.parents \
        else arg


def _deal_of(x: dict | None) -> dict | None:
    return None if x is None else x["deal"]


def json_differences(a: dict, b: dict) -> list[str]:
    """Where two `analyze --json` documents differ on the answers (see the module doc)."""
    diff = [f"zopa.{k}" for k in ("exists", "shortfall") if a["zopa"][k] != b["zopa"][k]]
    diff += [f"solutions.{n}" for n in SOLUTIONS
             if _deal_of(a["solutions"][n]) != _deal_of(b["solutions"][n])]
    pa = {p["id"]: p for p in a["proposals"]}
    pb = {p["id"]: p for p in b["proposals"]}
    if set(pa) != set(pb):
        diff.append("proposal ids")
    for pid in sorted(set(pa) & set(pb)):
        diff += [f"proposals.{pid}.{k}" for k in ("improvement", "improvement_in_zopa")
                 if _deal_of(pa[pid][k]) != _deal_of(pb[pid][k])]
        if pa[pid]["pareto_optimal"] != pb[pid]["pareto_optimal"]:
            diff.append(f"proposals.{pid}.pareto_optimal")
    return diff


def evaluation_differences(ev: dict, analysis: dict) -> list[str]:
    """Where an `evaluate --json` document differs from the same proposal in an `analyze`
    document."""
    mine = [p for p in analysis["proposals"] if p["id"] == ev["id"]]
    if not mine:
        return [f"{ev['id']} missing from analyze"]
    p = mine[0]
    diff = [k for k in ("improvement", "improvement_in_zopa") if _deal_of(ev[k]) !=
            _deal_of(p[k])]
    diff += [k for k in ("pareto_optimal", "agreement", "win_win") if ev[k] != p[k]]
    return diff


def _answers(doc: dict, keys: Sequence[str]) -> dict:
    return {k: doc.get(k) for k in keys}


def run_command(name: str, args: Sequence[str], runs: int, timeout: float,
                verbose: bool, note: str = "") -> dict:
    """`accord NAME FILE ARGS --json` on iran-2015 with the default method and, when the
    command offers it, with its previous method (`PREVIOUS`; see the module doc)."""
    f = str(IRAN)
    direct = cli_case([name, f, *args, "--json"], timeout, runs, verbose)
    frontier, differ = None, None
    previous = PREVIOUS.get(name)
    if previous is not None and offers_method(name, previous):
        frontier = cli_case([name, f, *args, "--method", previous, "--json"], timeout, runs,
                            verbose)
        keys = ANSWER_KEYS.get(name, ())
        if direct["json"] is not None and frontier["json"] is not None and keys:
            a, b = _answers(direct["json"], keys), _answers(frontier["json"], keys)
            differ = [k for k in keys if a[k] != b[k]]
    label = f"`{' '.join([name, *args])}`" + (f" ({note})" if note else "")
    return {"kind": "command", "name": name, "file": IRAN.name, "label": label,
            "direct": direct, "frontier": frontier, "differ": differ,
            "target_s": IRAN_TARGETS.get(name), "timeout": timeout}


def run_sweep(runs: int, timeout: float, verbose: bool) -> dict:
    """`accord sweep` on iran-2015-sweep: whole-command time and draws per second."""
    run = cli_case(["sweep", str(IRAN_SWEEP), *SWEEP_ARGS, "--json"], timeout, runs, verbose,
                   rate=lambda d: d["method"]["draws_per_second"],
                   answer=lambda d: {k: v for k, v in d.items() if k != "method"})
    return {"kind": "sweep", "file": IRAN_SWEEP.name, "label": " ".join(["sweep",
                                                                          *SWEEP_ARGS]),
            "run": run, "target_rate": SWEEP_RATE}


def _analyze_rows(rows: Sequence[dict]) -> list[dict]:
    return [r for r in rows if r.get("kind", "analyze") == "analyze"]


def _other_rows(rows: Sequence[dict], kind: str) -> list[dict]:
    return [r for r in rows if r.get("kind") == kind]


def run_iran(runs: int = CLI_RUNS, timeout: float = CLI_TIMEOUT,
             verbose: bool = True) -> list[dict]:
    """The rows of the Iran table: `analyze` (and `evaluate`) on both files (kind
    "analyze"), then `repair`, `inverse` and `coalition` (kind "command") and the sweep
    (kind "sweep")."""
    rows = []
    for path, with_eval in ((IRAN, True), (IRAN_COARSE, False)):
        f = str(path)
        direct = cli_case(["analyze", f, "--json"], timeout, runs, verbose)
        frontier = cli_case(["analyze", f, "--method", "frontier", "--json"], timeout, runs,
                            verbose)
        row = {"file": path.name, "direct": direct, "frontier": frontier,
               "target_s": IRAN_TARGETS["analyze"], "timeout": timeout,
               "deals": None if direct["json"] is None else direct["json"]["outcomes"],
               "differ": None, "evaluate": None, "evaluate_differ": None}
        if direct["json"] is not None and frontier["json"] is not None:
            row["differ"] = json_differences(direct["json"], frontier["json"])
        if with_eval:
            ev = cli_case(["evaluate", f, "--proposal", PROPOSAL, "--json"], timeout, runs,
                          verbose)
            row["evaluate"] = ev
            ref = frontier["json"] or direct["json"]
            if ev["json"] is not None and ref is not None:
                row["evaluate_differ"] = evaluation_differences(ev["json"], ref)
                row["evaluate_against"] = "frontier" if frontier["json"] else "direct"
        rows.append(row)
    reference = rows[0]["direct"]["json"]
    for name, args, note in (("repair", ["--proposal", REPAIR_PROPOSAL], ""),
                             ("inverse", ["--proposal", REPAIR_PROPOSAL], ""),
                             ("coalition", [], "7 actors")):
        row = run_command(name, args, runs, timeout, verbose, note)
        if name == "repair" and row["direct"]["json"] is not None and reference is not None:
            mine, ref = row["direct"]["json"]["zopa"], reference["zopa"]
            row["zopa_differ"] = [f"zopa.{k}" for k in ("exists", "shortfall")
                                  if mine[k] != ref[k]]
        rows.append(row)
    rows.append(run_sweep(runs, timeout, verbose))
    return rows


# -- tables --------------------------------------------------------------------------------

def _cli_s(r: dict) -> str:
    if r["failed"]:
        return r["failed"]
    return f"{_sec(r['seconds'])} ({r['runs']})"


def _yes(differ: list[str] | None) -> str:
    if differ is None:
        return "not compared"
    return "yes" if not differ else "NO: " + ", ".join(differ)


def iran_table(rows: Sequence[dict]) -> str:
    out = ["| file | deals | direct (default) s (runs) | frontier method s (runs) "
           "| frontier / direct | answers agree | target | met |",
           "|---|---:|---:|---:|---:|---|---:|---|"]
    analyze_rows = _analyze_rows(rows)
    for r in analyze_rows:
        d, f = r["direct"], r["frontier"]
        ratio = _ratio(d["seconds"], f["seconds"], r["timeout"], r["timeout"])
        met = d["seconds"] is not None and d["seconds"] < r["target_s"]
        deals = "-" if r["deals"] is None else f"{r['deals']:,}"
        out.append(f"| {r['file']} | {deals} | {_cli_s(d)} | {_cli_s(f)} | {ratio} | "
                   f"{_yes(r['differ'])} | < {r['target_s']:g} s | {'yes' if met else 'NO'} |")
    for r in analyze_rows:
        ev = r["evaluate"]
        if ev is None:
            continue
        met = ev["seconds"] is not None and ev["seconds"] < IRAN_TARGETS["evaluate"]
        against = r.get("evaluate_against", "-")
        out.append(f"| {r['file']}: `evaluate --proposal {PROPOSAL}` | | {_cli_s(ev)} | | | "
                   f"{_yes(r['evaluate_differ'])} (vs {against} `analyze`) | "
                   f"< {IRAN_TARGETS['evaluate']:g} s | {'yes' if met else 'NO'} |")
    cmds = [c for r in analyze_rows for c in
            [r["direct"]["command"], r["frontier"]["command"]]
            + ([r["evaluate"]["command"]] if r["evaluate"] else [])]
    for r in _other_rows(rows, "command"):
        d, f = r["direct"], r["frontier"]
        cmds += [d["command"]] + ([f["command"]] if f else [])
        target = r["target_s"]
        if f is None:
            shown_f, ratio = "no CLI option", "-"
        else:
            shown_f = _cli_s(f)
            ratio = _ratio(d["seconds"], f["seconds"], r["timeout"], r["timeout"])
        if "zopa_differ" in r:
            agree = _yes(r["zopa_differ"]) + " (`zopa` vs direct `analyze`)"
            if f is not None:
                agree += f"; {_yes(r['differ'])} (repair vs `--method {PREVIOUS[r['name']]}`)"
        else:
            agree = _yes(r["differ"])
        met = "-" if target is None else \
            ("yes" if d["seconds"] is not None and d["seconds"] < target else "NO")
        out.append(f"| {r['file']}: {r['label']} | | {_cli_s(d)} | {shown_f} | {ratio} | "
                   f"{agree} | {'-' if target is None else f'< {target:g} s'} | {met} |")
    for r in _other_rows(rows, "sweep"):
        s = r["run"]
        cmds.append(s["command"])
        if s["failed"]:
            shown = s["failed"]
        else:
            shown = (f"{s['rate']:.1f} draws/s (median of {s['runs']}; whole command "
                     f"{_cli_s(s)})")
        met = s.get("rate") is not None and s["rate"] >= r["target_rate"]
        stable = {None: "not compared", True: "same summary in every run",
                  False: "NO: the summary changes between runs"}[s.get("stable")]
        out.append(f"| {r['file']}: `{r['label']}` | | {shown} | | | {stable} | "
                   f">= {r['target_rate']:g} draws/s | {'yes' if met else 'NO'} |")
    cmds = sorted(set(cmds))
    return "\n".join(out) + "\n\nCommands:\n\n" + "\n".join(f"    {c}" for c in cmds) + "\n"


def _sec(v: float) -> str:
    return f"{v:.3f}" if v < 1 else f"{v:.2f}"


def _ratio(direct: float | None, frontier: float | None, direct_limit: float,
           frontier_limit: float) -> str:
    """frontier / direct, or a bound on it when one of them was stopped at its limit."""
    if direct and frontier:
        return f"{frontier / direct:.3g}x"
    if direct:
        return f"> {frontier_limit / direct:.3g}x"
    if frontier:
        return f"< {frontier / direct_limit:.3g}x"
    return "-"


def _trial_s(r: dict, key: str, limit: float) -> str:
    if r["status"] == "ok":
        v = r[key] if key == "seconds" else r.get(key)
        return "-" if v is None else _sec(v) + (f" ({r['runs']})" if key == "seconds"
                                                else "")
    if r["status"] == "stopped":
        v = r.get(key) if key == "questions_s" else None
        if v is None and r.get("too_large") and r.get("after") is not None:
            return f"too large after {_sec(r['after'])}"  # FrontierTooLarge, not the limit
        return _sec(v) if v is not None else f"> {limit:g}"
    return "error"


def _deals(n: int | None) -> str:
    if n is None:
        return "-"
    return f"{n:,}" if n < 10**12 else f"{n:.2e}".replace("e+", "e")


def problems_table(rows: Sequence[dict]) -> str:
    """The random problems: the direct and the frontier method."""
    out = ["| case | seed | deals | direct `analyze` s (runs) | ZOPA + 4 solutions s "
           "| frontier method s (runs) | frontier / direct | answers agree | target | met |",
           "|---|---:|---:|---:|---:|---:|---:|---|---:|---|"]
    for r in rows:
        d, f = r["direct"], r["frontier"]
        ratio = _ratio(d.get("seconds"), f.get("seconds"), r["direct_limit"],
                       r["frontier_limit"])
        out.append(f"| {r['case']} | {r['seed']} | {_deals(r['deals'])} | "
                   f"{_trial_s(d, 'seconds', r['direct_limit'])} | "
                   f"{_trial_s(d, 'questions_s', r['direct_limit'])} | "
                   f"{_trial_s(f, 'seconds', r['frontier_limit'])} | {ratio} | "
                   f"{_yes(r['differ'])} | < {r['target_s']:g} s | "
                   f"{'yes' if r['met'] else 'NO'} |")
    return "\n".join(out) + "\n"


def _frontier_size(row: dict) -> str:
    """The frontier's exact size from the first method that computed it, else "too large"
    (the frontier method gave up: the merge would exceed its candidate cap) or "unknown",
    with the largest proven lower bound any method found."""
    trials = [row[m] for m in ("frontier", "auto", "direct") if m in row]
    for t in trials:
        size = (t.get("pareto") or {}).get("size") if t["status"] == "ok" else None
        if size is not None:
            return f"{size:,}"
    bounds = [b for t in trials for b in (t.get("lower_bound"),
                                          (t.get("pareto") or {}).get("lower_bound")) if b]
    shown = "too large" if row["frontier"].get("too_large") else "unknown"
    return shown + (f" (>= {max(bounds):,})" if bounds else "")


def _answers_s(t: dict) -> float:
    """Seconds until the ZOPA and the four solutions were known in a finished trial: the
    mark after the direct solutions (the failed frontier attempt of `auto` included), or
    the whole call when the answers were read off the frontier."""
    q = t.get("questions_s")
    return t["seconds"] if q is None else q


def constant_sum_table(rows: Sequence[dict]) -> str:
    """The constant-sum problems: the default (auto), direct and frontier methods."""
    out = ["| case | scores | seed | deals | default (auto): ZOPA + 4 solutions s "
           "| default (auto) `analyze` s (runs) | answered by "
           "| direct: ZOPA + 4 solutions s | frontier method s (runs) | frontier size "
           "| answers agree | target (default) | met |",
           "|---|---|---:|---:|---:|---:|---|---:|---:|---:|---|---:|---|"]
    for r in rows:
        a, d, f = r["auto"], r["direct"], r["frontier"]
        agreed = _yes(r["differ"])
        if r["differ"] is not None and len(r["compared"]) < len(_methods(r)):
            agreed += f" (compared: {', '.join(r['compared'])})"
        shown = (f"{_answers_s(a):.3g}" if a["status"] == "ok"
                 else f"> {r['auto_limit']:g}")
        out.append(f"| {r['case']} | {r['scores']} | {r['seed']} | {_deals(r['deals'])} | "
                   f"{shown} | {_trial_s(a, 'seconds', r['auto_limit'])} | {_answered(a)} | "
                   f"{_trial_s(d, 'questions_s', r['direct_limit'])} | "
                   f"{_trial_s(f, 'seconds', r['frontier_limit'])} | {_frontier_size(r)} | "
                   f"{agreed} | < {r['target_s']:g} s | {'yes' if r['met'] else 'NO'} |")
    return "\n".join(out) + "\n"


def stopped_notes(rows: Sequence[dict]) -> str:
    """The messages of the runs that were stopped or failed."""
    lines = []
    for r in rows:
        for method in _methods(r):
            t = r[method]
            if t["status"] != "ok":
                lines.append(f"* {_label(r)}, {method}: {t['status']}: "
                             f"{t.get('message', '')}")
    return "\n".join(lines) + ("\n" if lines else "")


def markdown(iran: Sequence[dict], random_rows: Sequence[dict], cs_rows: Sequence[dict],
             info: dict[str, str], command: str) -> str:
    """The section of RESULTS.md; a table without rows (`--only-iran`,
    `--only-constant-sum`) is left out."""
    notes = stopped_notes([*random_rows, *cs_rows])
    iran_part = "" if not iran else f"""
**Iran, the whole CLI command** (subprocess, after one untimed warm-up; stopped at
{CLI_TIMEOUT:g} s). "answers agree": `zopa.exists`, `zopa.shortfall`, the four solutions'
deals and every proposal's improvements (and Pareto flag) are identical in the two JSON
documents; for `evaluate`, against the same proposal in the frontier method's `analyze`;
for `repair`, its `zopa.exists` and `zopa.shortfall` against the direct `analyze`, and its
repair against `--method milp`. The "frontier method" column holds each command's
previous method: `analyze --method frontier`, `repair --method milp` (the mixed-integer
program). "no CLI option": the command has no `--method` to force its previous method, so
only the default is timed. The sweep (`iran-2015-sweep.yaml`: iran-2015 with triangular
ranges on the four parties' BATNAs and three salience weights) reports
`method.draws_per_second` (the draws alone), median over the runs, and the whole command's
time; its summary must be the same in every run. Targets: `analyze` under 10 s, `evaluate`
and `repair` under 2 s, `coalition` (7 actors) under 10 s, the sweep at least
{SWEEP_RATE:g} draws/s; `inverse` has none.

{iran_table(iran)}"""
    random_part = "" if not random_rows else f"""
**Random problems, in-process** (`analyze(space, method=..., frontier_limit={LISTED},
budget=Budget(...))`; the direct method stopped at {STOP_FACTOR:g}x its target, the frontier
method at {FRONTIER_SECONDS:g} s). "ZOPA + 4 solutions": the part of the direct call up to
the four solutions (the rest lists the frontier); the target applies to it. "answers agree":
`zopa.exists`, `best_min_gain` (within 1e-9) and the four solutions' deals.

{problems_table(random_rows)}"""
    cs_part = "" if not cs_rows else f"""
**Constant-sum problems, in-process** (the same calls, and with `method="auto"`, the
default; every deal is Pareto-optimal and every deal has the same sum of utilities; the
default and the direct method stopped at {STOP_FACTOR:g}x the target, the frontier method at
{cs_rows[0]["frontier_limit"]:g} s, or "too large after N s" when it gives up: its merge
would exceed the candidate cap). "scores": integers 0..100, or "real" ones with three
decimals. The target applies to the default, `method="auto"`: the time until its ZOPA and
four solutions are known (the whole call when it read them off the frontier; else up to the
direct solutions, its failed attempt at the frontier included), whichever method it chose
("answered by": `method["answers"]`, with the number of runs when they differ); the whole
call is shown beside it. "direct: ZOPA + 4 solutions": the part of the direct call
up to the four solutions (the rest lists the frontier). "frontier size": `pareto.size` of
the first method that computed the frontier, else "too large" (the frontier method gave
up), with the largest proven lower bound found. "answers agree": as above, between every
pair of the methods that finished (listed after "compared" when not all three did).

{constant_sum_table(cs_rows)}"""
    return f"""## Direct answers against the frontier method (`benchmarks/direct_scale.py`)

Command: `{command}`. Machine: {info['nproc']} CPUs ({info['cpu']}), Python
{info['python']}, numpy {info['numpy']}; 1-minute load {info['load']} at the start.

The direct method (exact branch and bound per question, frontier listed up to a limit) and
the frontier method (`--method frontier`: every answer read off the whole Pareto frontier)
side by side; `analyze`'s default (`auto`) takes the frontier when it is cheap to compute
and answers directly otherwise. Seconds are medians over the runs in parentheses.
"frontier / direct" is the ratio of the two medians. See the module doc for the problems
and the stopping rules.
{iran_part}{random_part}{cs_part}
{"Stopped runs:" + chr(10) + chr(10) + notes if notes else ""}"""


def problems(iran: Sequence[dict], random_rows: Sequence[dict],
             cs_rows: Sequence[dict]) -> list[str]:
    """Correctness failures: answers that differ between the methods, or a failed run."""
    out = []
    for r in _analyze_rows(iran):
        if r["differ"]:
            out.append(f"direct: {r['file']}: analyze direct and frontier differ on "
                       + ", ".join(r["differ"]))
        if r["evaluate_differ"]:
            out.append(f"direct: {r['file']}: evaluate differs from analyze on "
                       + ", ".join(r["evaluate_differ"]))
    for r in _other_rows(iran, "command"):
        if r["differ"]:
            out.append(f"direct: {r['file']}: {r['name']} default and previous method "
                       "differ on " + ", ".join(r["differ"]))
        if r.get("zopa_differ"):
            out.append(f"direct: {r['file']}: {r['name']} differs from analyze on "
                       + ", ".join(r["zopa_differ"]))
        for run in (r["direct"], r["frontier"]):
            if run is not None and run["failed"].startswith("exit"):
                out.append(f"direct: {run['command']} failed: {run['failed']}")
    for r in _other_rows(iran, "sweep"):
        s = r["run"]
        if s["failed"].startswith("exit"):
            out.append(f"direct: {s['command']} failed: {s['failed']}")
        if s.get("stable") is False:
            out.append(f"direct: {r['file']}: the sweep's summary changes between runs "
                       "with the same seed")
    for r in [*random_rows, *cs_rows]:
        if r["differ"]:
            out.append(f"direct: {_label(r)}: methods differ on " + ", ".join(r["differ"]))
        for m in _methods(r):
            if r[m]["status"] == "error":
                out.append(f"direct: {_label(r)}: {m} failed: "
                           f"{r[m].get('message', '')[-200:]}")
            if r[m]["status"] == "ok" and not r[m].get("stable", True):
                out.append(f"direct: {_label(r)}: {m} answers change between runs")
    return out


def missed(iran: Sequence[dict], random_rows: Sequence[dict],
           cs_rows: Sequence[dict]) -> list[str]:
    out = []
    for r in _analyze_rows(iran):
        d = r["direct"]
        if d["seconds"] is None or d["seconds"] >= r["target_s"]:
            out.append(f"direct: {r['file']} analyze {_cli_s(d)}, target < "
                       f"{r['target_s']:g} s")
        ev = r["evaluate"]
        if ev is not None and (ev["seconds"] is None
                               or ev["seconds"] >= IRAN_TARGETS["evaluate"]):
            out.append(f"direct: {r['file']} evaluate {_cli_s(ev)}, target < "
                       f"{IRAN_TARGETS['evaluate']:g} s")
    for r in _other_rows(iran, "command"):
        d = r["direct"]
        if r["target_s"] is not None and (d["seconds"] is None
                                          or d["seconds"] >= r["target_s"]):
            out.append(f"direct: {r['file']} {r['name']} {_cli_s(d)}, target < "
                       f"{r['target_s']:g} s")
    for r in _other_rows(iran, "sweep"):
        s = r["run"]
        if s.get("rate") is None or s["rate"] < r["target_rate"]:
            shown = s["failed"] or f"{s['rate']:.1f} draws/s"
            out.append(f"direct: {r['file']} sweep {shown}, target >= "
                       f"{r['target_rate']:g} draws/s")
    for r in random_rows:
        if not r["met"]:
            q = r["direct"].get("questions_s")
            shown = f"{q:.2f} s" if q is not None else f"> {r['direct_limit']:g} s"
            out.append(f"direct: {_label(r)}: ZOPA + solutions {shown}, target < "
                       f"{r['target_s']:g} s")
    for r in cs_rows:
        if not r["met"]:
            a = r["auto"]
            shown = (f"{_answers_s(a):.2f} s (answered by {_answered(a)})"
                     if a["status"] == "ok" else f"> {r['auto_limit']:g} s ({a['status']})")
            out.append(f"direct: {_label(r)}: default (auto) ZOPA + solutions {shown}, "
                       f"target < {r['target_s']:g} s")
    return out


def run(seeds: Sequence[int] = SEEDS, cli_runs: int = CLI_RUNS,
        frontier_seconds: float = FRONTIER_SECONDS, verbose: bool = True,
        only_iran: bool = False, only_constant_sum: bool = False,
        constant_sum_cases: Sequence[tuple[int, int, int, float]] = CONSTANT_SUM_CASES
        ) -> tuple[list[dict], list[dict], list[dict]]:
    """(Iran rows, random rows, constant-sum rows); with `only_iran`, the last two empty;
    with `only_constant_sum`, the first two."""
    if only_iran and only_constant_sum:
        raise ValueError("only_iran and only_constant_sum exclude each other")
    iran = [] if only_constant_sum else run_iran(cli_runs, verbose=verbose)
    if only_iran:
        return iran, [], []
    random_rows = [] if only_constant_sum else run_problems(
        "random", RANDOM_CASES, seeds, frontier_seconds, verbose)
    cs_rows = run_problems("constant-sum", constant_sum_cases, seeds, frontier_seconds,
                           verbose)
    return iran, random_rows, cs_rows


def _case(text: str) -> tuple[int, int, int, float]:
    """"PxIxO" or "PxIxO:TARGET" (seconds, default 5) -> a constant-sum case."""
    size, _, target = text.partition(":")
    p, i, o = (int(v) for v in size.split("x"))
    return p, i, o, float(target or 5.0)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS))
    p.add_argument("--runs", type=int, default=CLI_RUNS, help="CLI runs per command")
    p.add_argument("--frontier-seconds", type=float, default=FRONTIER_SECONDS,
                   help="stop the frontier method on random and constant-sum problems after "
                        "this long")
    only = p.add_mutually_exclusive_group()
    only.add_argument("--only-iran", action="store_true",
                      help="run only the Iran table (the whole CLI commands), a few minutes")
    only.add_argument("--only-constant-sum", action="store_true",
                      help="run only the constant-sum table (default, direct and frontier "
                           "methods, integer and real scores)")
    # constant-sum cases other than CONSTANT_SUM_CASES (PxIxO[:TARGET]), for a quick check
    p.add_argument("--cases", type=_case, nargs="+", help=argparse.SUPPRESS)
    p.add_argument("--trial", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.trial:
        print(json.dumps(trial(json.loads(args.trial))))
        return 0
    info = common.machine()
    iran, random_rows, cs_rows = run(args.seeds, args.runs, args.frontier_seconds,
                                     only_iran=args.only_iran,
                                     only_constant_sum=args.only_constant_sum,
                                     constant_sum_cases=args.cases or CONSTANT_SUM_CASES)
    command = "python benchmarks/direct_scale.py" + (" --only-iran" if args.only_iran else "")
    if args.only_constant_sum:
        command += " --only-constant-sum"
    if args.runs != CLI_RUNS:
        command += f" --runs {args.runs}"
    if list(args.seeds) != list(SEEDS):
        command += " --seeds " + " ".join(map(str, args.seeds))
    if args.frontier_seconds != FRONTIER_SECONDS:
        command += f" --frontier-seconds {args.frontier_seconds:g}"
    if args.cases:
        command += " --cases " + " ".join(f"{n}x{i}x{o}:{t:g}" for n, i, o, t in args.cases)
    print(markdown(iran, random_rows, cs_rows, info, command))
    for m in missed(iran, random_rows, cs_rows):
        print(f"TARGET MISSED: {m}")
    found = problems(iran, random_rows, cs_rows)
    for m in found:
        print(f"CHECK FAILED: {m}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
