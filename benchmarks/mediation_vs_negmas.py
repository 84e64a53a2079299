"""Mediation: Accord's negotiation protocols against negmas on the same 3x7x5 problems.

The problem is `random_scenario(3, 7, 5, seed=s)` (parties p0, p1, p2; 7 issues of 5
options; 78,125 deals), built in negmas as in `frontier_vs_negmas.py`: one discrete issue per
Accord issue (values "o0".."o4"), and per party a `LinearAdditiveUtilityFunction` with weight
1 per issue and a value table equal to Accord's weighted contribution
`space.contributions[i][a, o]`, here with `reserved_value` = the party's BATNA
(`space.batna[a]`).

1. Alternating offers, p0 against p1, both Boulware, 100 rounds. Timed per negotiation,
   median of repeated runs (`time.perf_counter`), one library after the other:

   * negmas: set-up (issues, outcome space, two ufuns, an `SAOMechanism(n_steps=100)` and
     two `BoulwareTBNegotiator`s) + `mechanism.run()`;
   * accord: the whole call `alternating_offers(space, ["boulware", "boulware"], rounds=100,
     parties=["p0", "p1"], seed=s, trace=False)`, which builds its own `Context` (frontier
     of p0 and p1, and a table of every deal with every party's utility);
   * accord, reused context: the same call with `context=Context(space, ["p0", "p1"], s)`
     built once beforehand (the set-up a tournament or a sweep pays once).

   The issue's target: accord at least 20x faster per negotiation (the full call, checked
   against the smallest ratio over the seeds). Both agreements are also checked for Pareto
   optimality for p0 and p1 by dominance against every deal (exact units).

2. Mediated single text with the three parties voting, 10 seeds; "on the frontier" means
   that no deal of the 78,125 dominates the final text for the three parties (checked by
   brute force on Accord's exact integer units, and against Accord's `pareto_frontier`):

   * accord: `single_text(space, voters="hill-climber", search="annealing", rounds=1000,
     seed=s, trace=False)` (start: the middle option of every issue), and the same with
     `search="hill-climbing"` for contrast;
   * negmas: `negmas.st.HillClimbingSTMechanism(n_steps=1000)` with three
     `BinaryComparatorNegotiator`s (its hill-climbing single-text mechanism: it proposes
     the neighbours of the text, one issue changed, in random order, adopts one when every
     voter finds it strictly better, and stops when no neighbour is left), from the same
     middle text and from a random text (its default); and `negmas.st.VetoSTMechanism`
     (a random outcome each step, adopted when every voter finds it strictly better), 1000
     steps from the middle text. negmas draws from Python's `random`, seeded with s; its
     hill climbing from the middle text is then reproducible, but its random start and
     VetoSTMechanism are not (they sample from a list built from a Python set of outcomes,
     whose order varies between runs), so their counts vary from one benchmark run to the
     next. Each run is timed 3 times; the first run's end point is the one counted.

   The issue's target: the annealing mediator's final text on the frontier in at least 9
   of 10 runs. The final text is counted whether or not the parties accept it against
   their BATNAs (accord: `.pareto_optimal`, or `.parameters["final_text_pareto_optimal"]`
   when the text was refused; negmas: `mechanism.current_offer`).

negmas is AGPL-3.0: it is used here only, as an oracle and a yardstick, never from src/.
Run: `.venv-bench/bin/python benchmarks/mediation_vs_negmas.py` (or `make bench`).
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from collections.abc import Sequence
from typing import Any

import numpy as np
from frontier_vs_negmas import all_units, measure, negmas_version

from accord.bargaining.pareto import dominating, pareto_frontier
from accord.generate import random_scenario
from accord.mediation import Context, alternating_offers, single_text
from accord.space import Space, compile_space

SHAPE = (3, 7, 5)
SEEDS: tuple[int, ...] = tuple(range(10))
PARTIES = ("p0", "p1")  # the two alternating-offers negotiators
AO_ROUNDS = 100
ST_ROUNDS = 1000
TARGET_RATIO = 20.0
TARGET_SHARE = 0.9  # of the single-text runs on the frontier (accord, annealing): 9 of 10
ST_REPS = 3  # timed repeats of each (seeded, deterministic) single-text run

# single-text methods, in table order: (key, label)
ST_METHODS = (
    ("acc_anneal", "accord annealing mediator"),
    ("acc_hill", "accord hill-climbing mediator"),
    ("neg_hill", "negmas HillClimbingSTMechanism (middle start)"),
    ("neg_hill_random", "negmas HillClimbingSTMechanism (random start)"),
    ("neg_veto", "negmas VetoSTMechanism (middle start)"),
)


def scenario_space(seed: int) -> Space:
    return compile_space(random_scenario(*SHAPE, seed=seed))


def negmas_parts(space: Space, actors: Sequence[int]) -> tuple[Any, list[Any]]:
    """negmas outcome space and one `LinearAdditiveUtilityFunction` per actor in `actors`
    (as `frontier_vs_negmas.negmas_problem`, with reserved value = the actor's BATNA)."""
    from negmas import make_issue
    from negmas.outcomes import make_os
    from negmas.preferences import LinearAdditiveUtilityFunction

    issues = [make_issue([str(x) for x in space.labels[i]], name=space.issue_ids[i])
              for i in range(space.n_issues)]
    outcome_space = make_os(issues)
    ufuns = []
    for a in actors:
        value_tables = [{str(label): float(space.contributions[i][a, o])
                         for o, label in enumerate(space.labels[i])}
                        for i in range(space.n_issues)]
        ufuns.append(LinearAdditiveUtilityFunction(
            values=value_tables, weights=[1.0] * space.n_issues, outcome_space=outcome_space,
            reserved_value=float(space.batna[a]), name=space.actor_ids[a]))
    return outcome_space, ufuns


def negmas_alternating(space: Space) -> Any:
    """Set up and run one negmas SAO negotiation, Boulware against Boulware (p0, p1)."""
    from negmas import BoulwareTBNegotiator, SAOMechanism

    outcome_space, ufuns = negmas_parts(space, [space.actor_index(p) for p in PARTIES])
    mechanism = SAOMechanism(outcome_space=outcome_space, n_steps=AO_ROUNDS)
    for u in ufuns:
        mechanism.add(BoulwareTBNegotiator(name=u.name), ufun=u)
    mechanism.run()
    return mechanism


def middle_text(space: Space) -> np.ndarray:
    """Accord's `start="middle"`: the middle option of every issue."""
    return np.array([(n - 1) // 2 for n in space.n_options])


def negmas_single_text(space: Space, kind: str, seed: int, start: np.ndarray | None) -> Any:
    """Set up and run a negmas single-text mechanism with all parties voting."""
    from negmas import BinaryComparatorNegotiator
    from negmas.st import HillClimbingSTMechanism, VetoSTMechanism

    random.seed(seed)  # negmas' single-text mechanisms draw from `random`
    outcome_space, ufuns = negmas_parts(space, range(space.n_actors))
    initial = None if start is None else tuple(str(space.labels[i][int(o)])
                                               for i, o in enumerate(start))
    cls = {"hill": HillClimbingSTMechanism, "veto": VetoSTMechanism}[kind]
    mechanism = cls(outcome_space=outcome_space, n_steps=ST_ROUNDS, initial_outcome=initial)
    for u in ufuns:
        mechanism.add(BinaryComparatorNegotiator(name=u.name), preferences=u)
    mechanism.run()
    return mechanism


def outcome_index(space: Space, outcome: Sequence[Any]) -> np.ndarray:
    """Option indices of a negmas outcome (a tuple of option labels)."""
    return np.array([space.labels[i].index(str(v)) for i, v in enumerate(outcome)])


class Oracle:
    """Every deal's exact units (Accord's enumerator) and the frontiers, to judge end points
    by brute-force dominance and by Accord's frontier."""

    def __init__(self, space: Space):
        self.space = space
        self.units = all_units(space)  # (78,125, 3)
        self.front3 = pareto_frontier(space)
        self.front2 = pareto_frontier(space, [space.actor_index(p) for p in PARTIES])

    def n_dominating(self, deal: np.ndarray, actors: Sequence[int]) -> int:
        """How many deals dominate `deal` for `actors` (0: Pareto-optimal)."""
        u = self.space.utility_units(np.asarray(deal)[None, :], actors)[0]
        pts = self.units[:, list(actors)]
        return int(((pts >= u).all(axis=1) & (pts > u).any(axis=1)).sum())

    def on_frontier3(self, deal: np.ndarray) -> tuple[bool, int, bool, float]:
        """(on the 3-party frontier by brute force, deals dominating it, the same by Accord's
        frontier, Euclidean distance in utility to the nearest frontier point)."""
        space = self.space
        n_dom = self.n_dominating(deal, range(space.n_actors))
        units = space.utility_units(np.asarray(deal)[None, :])[0]
        by_frontier = not len(dominating(self.front3, units))
        u = space.to_utility(units)
        dist = float(np.sqrt(((self.front3.utilities - u) ** 2).sum(axis=1)).min())
        return n_dom == 0, n_dom, by_frontier, 0.0 if n_dom == 0 else dist


# ---------------------------------------------------------------------------------------
# 1. Alternating offers


def run_alternating(seed: int, oracle: Oracle) -> dict:
    space = oracle.space
    pair = [space.actor_index(p) for p in PARTIES]

    def accord_full():
        return alternating_offers(space, ["boulware", "boulware"], rounds=AO_ROUNDS,
                                  parties=list(PARTIES), seed=seed, trace=False)

    t_acc, n_acc, res = measure(accord_full, min_reps=20, min_seconds=0.5, max_reps=200)
    ctx = Context(space, list(PARTIES), seed)

    def accord_ctx():
        return alternating_offers(space, ["boulware", "boulware"], rounds=AO_ROUNDS,
                                  parties=list(PARTIES), seed=seed, trace=False, context=ctx)

    t_ctx, n_ctx, res_ctx = measure(accord_ctx, min_reps=20, min_seconds=0.3, max_reps=1000)
    t_compile, _, _ = measure(lambda: scenario_space(seed), min_reps=20, min_seconds=0.1,
                              max_reps=200)
    # negmas: about 0.5 s per negotiation; no extra warm-up (the process warmed up first)
    t_neg, n_neg, mech = measure(lambda: negmas_alternating(space), min_reps=5,
                                 min_seconds=2.0, warmup=False)

    acc_deal = (None if res.outcome is None
                else np.array(space.deal_index(res.outcome.deal)))
    neg_deal = None if mech.agreement is None else outcome_index(space, mech.agreement)
    acc_dom = None if acc_deal is None else oracle.n_dominating(acc_deal, pair)
    neg_dom = None if neg_deal is None else oracle.n_dominating(neg_deal, pair)
    return {
        "seed": seed,
        "accord_s": t_acc, "accord_runs": n_acc,
        "ctx_s": t_ctx, "ctx_runs": n_ctx,
        "compile_s": t_compile,
        "negmas_s": t_neg, "negmas_runs": n_neg,
        "ratio": t_neg / t_acc, "ratio_ctx": t_neg / t_ctx,
        "accord_agreement": res.agreement, "accord_rounds": res.rounds,
        "negmas_agreement": mech.agreement is not None, "negmas_steps": mech.state.step,
        "accord_dominated_by": acc_dom, "negmas_dominated_by": neg_dom,
        # Accord's own Pareto flag must agree with brute force; the reused context must give
        # the same negotiation
        "accord_flag_ok": (res.pareto_optimal is None) == (acc_dom is None)
                          and (acc_dom is None or res.pareto_optimal == (acc_dom == 0)),
        "ctx_same": res_ctx.to_dict(trace=False) == res.to_dict(trace=False),
    }


# ---------------------------------------------------------------------------------------
# 2. Single text


def _accord_cell(space: Space, oracle: Oracle, res: Any, seconds: float) -> dict:
    if res.outcome is not None:
        deal = np.array(space.deal_index(res.outcome.deal))
        flag = res.pareto_optimal
    else:
        deal = np.array(space.deal_index(res.parameters["final_text"]))
        flag = res.parameters["final_text_pareto_optimal"]
    on, n_dom, by_front, dist = oracle.on_frontier3(deal)
    return {"on": on, "dominated_by": n_dom, "distance": dist, "agreement": res.agreement,
            "steps": res.parameters["drafts"], "unit": "drafts", "seconds": seconds,
            "check": flag == on and by_front == on}


def _negmas_cell(space: Space, oracle: Oracle, mech: Any, seconds: float) -> dict:
    text = outcome_index(space, mech.current_offer)
    on, n_dom, by_front, dist = oracle.on_frontier3(text)
    # accepted by every voter against its reserved value (HillClimbingSTMechanism leaves a
    # 1-tuple wrapping the text as its agreement when the text is refused)
    accepted = (mech.agreement is not None and len(mech.agreement) == space.n_issues
                and tuple(mech.agreement) == tuple(mech.current_offer))
    return {"on": on, "dominated_by": n_dom, "distance": dist, "agreement": accepted,
            "steps": mech.state.step, "unit": "steps", "seconds": seconds,
            "check": by_front == on}


def _timed(fn, reps: int = ST_REPS) -> tuple[float, Any]:
    """Median time of `reps` calls and the FIRST call's result (negmas' VetoSTMechanism and
    random start are not reproducible even when `random` is seeded, see the module doc)."""
    times, first = [], None
    for k in range(reps):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
        if k == 0:
            first = out
    return statistics.median(times), first


def run_single_text(seed: int, oracle: Oracle) -> dict:
    space = oracle.space
    row: dict[str, Any] = {"seed": seed}
    for key, mediator in (("acc_anneal", "annealing"), ("acc_hill", "hill-climbing")):
        t, res = _timed(lambda m=mediator: single_text(
            space, voters="hill-climber", search=m, rounds=ST_ROUNDS, seed=seed,
            trace=False))
        row[key] = _accord_cell(space, oracle, res, t)
    middle = middle_text(space)
    for key, kind, start in (("neg_hill", "hill", middle), ("neg_hill_random", "hill", None),
                             ("neg_veto", "veto", middle)):
        t, mech = _timed(lambda k=kind, s=start: negmas_single_text(space, k, seed, s))
        row[key] = _negmas_cell(space, oracle, mech, t)
    return row


# ---------------------------------------------------------------------------------------


def warm_up_negmas() -> None:
    """One small untimed negotiation of each kind, so import and first-call costs stay out."""
    space = compile_space(random_scenario(3, 3, 3, seed=99))
    negmas_alternating(space)
    negmas_single_text(space, "hill", 0, middle_text(space))
    negmas_single_text(space, "veto", 0, middle_text(space))
    alternating_offers(space, ["boulware", "boulware"], rounds=10, parties=list(PARTIES),
                       trace=False)
    single_text(space, search="annealing", rounds=10, trace=False)


def run(seeds: Sequence[int] = SEEDS, verbose: bool = True) -> dict[str, list[dict]]:
    """Both parts for every seed: {"alternating": rows, "single_text": rows}."""
    warm_up_negmas()
    ao_rows, st_rows = [], []
    for seed in seeds:
        oracle = Oracle(scenario_space(seed))
        ao = run_alternating(seed, oracle)
        st = run_single_text(seed, oracle)
        if verbose:
            ons = " ".join(f"{k}={'y' if st[k]['on'] else 'n'}" for k, _ in ST_METHODS)
            print(f"  3x7x5 seed {seed}: alternating accord {ao['accord_s'] * 1e3:.1f} ms "
                  f"(reused context {ao['ctx_s'] * 1e3:.2f} ms), negmas {ao['negmas_s']:.3f} s,"
                  f" x{ao['ratio']:.1f}; single text on frontier: {ons}",
                  file=sys.stderr, flush=True)
        ao_rows.append(ao)
        st_rows.append(st)
    return {"alternating": ao_rows, "single_text": st_rows}


def summary(rows: dict[str, list[dict]]) -> dict:
    ao, st = rows["alternating"], rows["single_text"]
    ratios = [r["ratio"] for r in ao]
    ctx_ratios = [r["ratio_ctx"] for r in ao]
    out: dict[str, Any] = {
        "seeds": len(ao),
        "negmas_s": statistics.median(r["negmas_s"] for r in ao),
        "accord_s": statistics.median(r["accord_s"] for r in ao),
        "ctx_s": statistics.median(r["ctx_s"] for r in ao),
        "compile_s": statistics.median(r["compile_s"] for r in ao),
        "median_ratio": statistics.median(ratios), "min_ratio": min(ratios),
        "median_ratio_ctx": statistics.median(ctx_ratios), "min_ratio_ctx": min(ctx_ratios),
        "ratio_met": min(ratios) >= TARGET_RATIO,
        "ao_pareto": {"accord": sum(r["accord_dominated_by"] == 0 for r in ao),
                      "negmas": sum(r["negmas_dominated_by"] == 0 for r in ao)},
        "ao_agreements": {"accord": sum(r["accord_agreement"] for r in ao),
                          "negmas": sum(r["negmas_agreement"] for r in ao)},
        "st": {},
    }
    for key, label in ST_METHODS:
        cells = [r[key] for r in st]
        out["st"][key] = {
            "label": label,
            "runs": len(cells),
            "on": sum(c["on"] for c in cells),
            "agreements": sum(c["agreement"] for c in cells),
            "median_dominated_by": statistics.median(c["dominated_by"] for c in cells),
            "median_distance": statistics.median(c["distance"] for c in cells),
            "median_steps": statistics.median(c["steps"] for c in cells),
            "unit": cells[0]["unit"],
            "median_s": statistics.median(c["seconds"] for c in cells),
            "need": math.ceil(TARGET_SHARE * len(cells) - 1e-9),
            "met": (sum(c["on"] for c in cells) >= math.ceil(TARGET_SHARE * len(cells) - 1e-9)
                    if key == "acc_anneal" else None),
        }
    return out


def problems(rows: dict[str, list[dict]]) -> list[str]:
    """Failed correctness checks (not speed or quality targets)."""
    out = []
    for r in rows["alternating"]:
        if not r["accord_flag_ok"]:
            out.append(f"mediation seed {r['seed']}: Accord's pareto_optimal of the "
                       f"alternating-offers deal disagrees with brute-force dominance")
        if not r["ctx_same"]:
            out.append(f"mediation seed {r['seed']}: alternating offers with a reused "
                       f"Context ended differently")
    for r in rows["single_text"]:
        for key, label in ST_METHODS:
            if not r[key]["check"]:
                out.append(f"mediation seed {r['seed']}: {label}: frontier flag disagrees "
                           f"with brute-force dominance")
    return out


def missed(rows: dict[str, list[dict]]) -> list[str]:
    s = summary(rows)
    out = []
    if not s["ratio_met"]:
        out.append(f"mediation: alternating offers, smallest speed-up {s['min_ratio']:.1f}x "
                   f"< {TARGET_RATIO:.0f}x (median {s['median_ratio']:.1f}x)")
    a = s["st"]["acc_anneal"]
    if not a["met"]:
        out.append(f"mediation: single text (annealing) on the frontier in {a['on']} of "
                   f"{a['runs']} runs < {a['need']}")
    return out


def _ms(s: float) -> str:
    return f"{s * 1e3:.2f}" if s < 0.01 else f"{s * 1e3:.1f}"


def _ratio(x: float) -> str:
    return f"{x:,.0f}x" if x >= 100 else f"{x:.1f}x"


def _pareto(n: int | None) -> str:
    if n is None:
        return "no deal"
    return "yes" if n == 0 else f"no ({n:,} dominate)"


def markdown_alternating(rows: dict[str, list[dict]]) -> str:
    head = ["seed", "negmas set-up + run ms (runs)", "accord full call ms (runs)",
            "negmas / accord", "accord reused Context ms (runs)", "negmas / accord (reused)",
            "compile_space ms", "negmas agreed at round", "accord agreed at turn",
            "negmas deal Pareto-optimal (p0, p1)", "accord deal Pareto-optimal (p0, p1)"]
    lines = ["| " + " | ".join(head) + " |",
             "|---|" + "---:|" * 8 + "---|---|"]
    for r in rows["alternating"]:
        cells = [str(r["seed"]), f"{_ms(r['negmas_s'])} ({r['negmas_runs']})",
                 f"{_ms(r['accord_s'])} ({r['accord_runs']})", _ratio(r["ratio"]),
                 f"{_ms(r['ctx_s'])} ({r['ctx_runs']})", _ratio(r["ratio_ctx"]),
                 _ms(r["compile_s"]),
                 str(r["negmas_steps"]) if r["negmas_agreement"] else "none",
                 str(r["accord_rounds"]) if r["accord_agreement"] else "none",
                 _pareto(r["negmas_dominated_by"]), _pareto(r["accord_dominated_by"])]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _st_cell(c: dict) -> str:
    where = "**yes**" if c["on"] else f"no: {c['dominated_by']:,} dominate, d={c['distance']:.3f}"
    return f"{where}; {'agreed' if c['agreement'] else 'refused'}; {c['steps']} {c['unit']}"


def markdown_single_text(rows: dict[str, list[dict]]) -> str:
    head = ["seed"] + [label for _, label in ST_METHODS]
    lines = ["| " + " | ".join(head) + " |", "|---|" + "---|" * len(ST_METHODS)]
    for r in rows["single_text"]:
        lines.append("| " + " | ".join([str(r["seed"])] + [_st_cell(r[k]) for k, _ in
                                                            ST_METHODS]) + " |")
    return "\n".join(lines)


def markdown_summary(rows: dict[str, list[dict]]) -> str:
    s = summary(rows)
    n = s["seeds"]
    lines = [
        "| alternating offers (p0 vs p1, Boulware, 100 rounds) | median over seeds |",
        "|---|---:|",
        f"| negmas set-up + run | {_ms(s['negmas_s'])} ms |",
        f"| accord full call (builds its Context) | {_ms(s['accord_s'])} ms |",
        f"| accord with a reused Context | {_ms(s['ctx_s'])} ms |",
        f"| accord `compile_space` (not in the times above) | {_ms(s['compile_s'])} ms |",
        f"| negmas / accord, full call | {_ratio(s['median_ratio'])} (smallest "
        f"{_ratio(s['min_ratio'])}); target >= {TARGET_RATIO:.0f}x: "
        f"{'met' if s['ratio_met'] else '**NOT MET**'} |",
        f"| negmas / accord, reused Context | {_ratio(s['median_ratio_ctx'])} (smallest "
        f"{_ratio(s['min_ratio_ctx'])}) |",
        f"| agreements (negmas / accord) | {s['ao_agreements']['negmas']} / "
        f"{s['ao_agreements']['accord']} of {n} |",
        f"| agreement Pareto-optimal for p0, p1 (negmas / accord) | "
        f"{s['ao_pareto']['negmas']} / {s['ao_pareto']['accord']} of {n} |",
        "",
        "| single text (3 voters) | final text on the 3-party frontier | target | "
        "accepted vs BATNAs | median deals dominating it | median distance to frontier | "
        "median drafts adopted (accord) / steps run (negmas) | median ms |",
        "|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for key, _ in ST_METHODS:
        m = s["st"][key]
        target = ("-" if m["met"] is None else
                  f">= {m['need']} of {m['runs']}: {'met' if m['met'] else '**NOT MET**'}")
        lines.append(f"| {m['label']} | **{m['on']} of {m['runs']}** | {target} | "
                     f"{m['agreements']} of {m['runs']} | {m['median_dominated_by']:,.0f} | "
                     f"{m['median_distance']:.3f} | {m['median_steps']:.0f} {m['unit']} | "
                     f"{_ms(m['median_s'])} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS))
    args = p.parse_args(argv)
    print(f"negmas {negmas_version()}, numpy {np.__version__}", file=sys.stderr)
    rows = run(seeds=args.seeds)
    print(markdown_alternating(rows))
    print()
    print(markdown_single_text(rows))
    print()
    print(markdown_summary(rows))
    for m in missed(rows):
        print(f"TARGET MISSED: {m}")
    bad = problems(rows)
    for m in bad:
        print(f"CHECK FAILED: {m}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
