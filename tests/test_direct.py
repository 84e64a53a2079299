"""The direct answers (exact branch and bound, no frontier) against the frontier method
and an exact brute force, on random scenarios with ties, numeric issues and 2-6 parties.

The search's size thresholds are shrunk in most tests so that small problems go through
every part of it (relaxations, reduced-cost fixing, interval branching on numeric issues,
the MIP heuristic, leaves of one deal) rather than being enumerated in one leaf.
"""

from __future__ import annotations

from contextlib import contextmanager
from fractions import Fraction
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.analysis import analyze
from accord.bargaining import search
from accord.bargaining.questions import improvement_direct, prepare, zopa_direct
from accord.budget import Budget, BudgetExceeded
from accord.errors import InputError
from accord.generate import random_scenario
from accord.io import load_scenario
from accord.space import compile_space
from accord.validation import validate_scenario

from . import oracle


@contextmanager
def tiny_tree():
    """Make every node of a small problem a real node (see the module doc)."""
    with mock.patch.object(search, "LEAF", 1), mock.patch.object(search, "LP_MIN", 2), \
            mock.patch.object(search, "SPLIT", 2), mock.patch.object(search, "MILP_AFTER", 3), \
            mock.patch.object(search, "MILP_AFTER_STARTED", 4), \
            mock.patch.object(search, "MILP_DELAY", 0.0):
        yield


@st.composite
def scenarios(draw, max_parties: int = 5):
    """Random scenarios: 2..max_parties parties, discrete issues whose scores come from a
    few values (so ties are common), sometimes a numeric issue, BATNAs on a coarse grid
    (deals often land exactly on a BATNA), some non-party actors, and sometimes
    interaction terms between discrete issues (also between issues that are not next to
    each other, so that a block of interacting issues is not a run of the scenario order
    and the lowest-indices tie rule is tested across blocks)."""
    n_parties = draw(st.integers(2, max_parties))
    n_discrete = draw(st.integers(1, 3))
    numeric = draw(st.booleans())
    issues = [{"id": f"i{i}", "options": [f"o{o}" for o in range(draw(st.integers(2, 4)))]}
              for i in range(n_discrete)]
    if numeric:
        issues.append({"id": "x", "range": [0, 10], "step": draw(st.sampled_from([1, 2, 5]))})
    actors = []
    for a in range(n_parties + draw(st.integers(0, 1))):
        prefs: dict = {}
        for issue in issues:
            if "options" in issue:
                prefs[issue["id"]] = {o: 25 * draw(st.integers(0, 4)) for o in issue["options"]}
            else:
                prefs[issue["id"]] = {"ideal": draw(st.sampled_from([0, 2.5, 5, 7, 10]))}
        actors.append({
            "id": f"a{a}",
            "role": "party" if a < n_parties else "stakeholder",
            "batna": draw(st.integers(0, 8)) / 10,
            "salience": {issue["id"]: draw(st.integers(1, 3)) for issue in issues},
            "preferences": prefs,
        })
    discrete = [i for i in issues if "options" in i]
    if len(discrete) >= 2:
        for actor in actors:
            if not draw(st.integers(0, 2)):
                continue
            a, b = draw(st.sampled_from([(x, y) for x in range(len(discrete))
                                         for y in range(len(discrete)) if x != y]))
            ia, ib = discrete[a], discrete[b]
            actor["interactions"] = [{
                "issues": [ia["id"], ib["id"]], "weight": draw(st.integers(1, 2)),
                "scores": {oa: {ob: 50 * draw(st.integers(0, 2)) for ob in ib["options"]}
                           for oa in ia["options"]}}]
    deal = {issue["id"]: (issue["options"][0] if "options" in issue else 0)
            for issue in issues}
    return validate_scenario({"accord": 1, "id": "h", "title": "h", "issues": issues,
                              "actors": actors,
                              "proposals": [{"id": "p", "deal": deal}]}, "<hypothesis>")


def answers(space, method: str) -> dict:
    d = analyze(space, method=method, frontier_limit=None).to_dict()
    return {"zopa": {k: v for k, v in d["zopa"].items() if k != "frontier_count"},
            "solutions": {n: None if s is None else s["deal"]
                          for n, s in d["solutions"].items()},
            "proposals": [{k: p[k] for k in ("improvement", "improvement_in_zopa",
                                             "pareto_optimal", "agreement")}
                          for p in d["proposals"]],
            "pareto": d["pareto"]["size"]}


@given(scenarios())
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_direct_equals_frontier_method(scenario):
    space = compile_space(scenario)
    expected = answers(space, "frontier")
    with tiny_tree():
        got = answers(space, "direct")
    assert got == expected  # (== also treats a gain of -0.0 as 0.0)


@given(scenarios(max_parties=6))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_direct_equals_brute_force(scenario):
    """Largest smallest gain, ZOPA existence and the improvement over the proposal against
    an exact enumeration that shares no code with the engine."""
    space = compile_space(scenario)
    parties = list(space.veto_indices)
    util = oracle.utilities(scenario)
    batna = [oracle.dec(space.batna[a]) for a in parties]
    mins = {d: min(u[a] - b for a, b in zip(parties, batna, strict=True))
            for d, u in util.items()}
    best = max(mins.values())
    with tiny_tree():
        g = prepare(space)
        z = zopa_direct(g)
        assert z.best_min_gain == best
        assert z.exists == (best >= 0)
        tied = [d for d, v in mins.items() if v == best]
        top = max(sum(util[d][a] for a in parties) for d in tied)
        assert z.deal == min(d for d in tied if sum(util[d][a] for a in parties) == top)
        # the improvement over the proposal (all first options)
        p = tuple(0 for _ in space.issue_ids)
        base = [util[p][a] for a in parties]
        better = [d for d, u in util.items()
                  if all(u[a] >= b for a, b in zip(parties, base, strict=True))
                  and any(u[a] > b for a, b in zip(parties, base, strict=True))]
        got = improvement_direct(g, p)
    if not better:
        assert got is None
        return

    def key(d):
        gains = [util[d][a] - b for a, b in zip(parties, base, strict=True)]
        return (min(gains), sum(gains))

    top_key = max(key(d) for d in better)
    assert got == min(d for d in better if key(d) == top_key)


@pytest.mark.parametrize("seed", range(6))
def test_many_parties_random_against_frontier(seed):
    """5 and 6 parties at default thresholds (the real tree, with its MIP heuristic)."""
    n = 5 + seed % 2
    space = compile_space(random_scenario(n, 6, 4, seed=seed, batna=0.35))
    assert answers(space, "direct") == answers(space, "frontier")


def test_weighted_nash_matches_frontier():
    space = compile_space(random_scenario(4, 6, 4, seed=11, batna=0.3))
    w = {"p0": 2.0, "p2": 0.5}
    a = analyze(space, nash_weights=w, method="direct").solutions["nash"]
    b = analyze(space, nash_weights=w, method="frontier").solutions["nash"]
    assert a is not None and a.deal == b.deal


@pytest.mark.parametrize("sid", ["ukraine-2023", "camp-david-1978", "logrolling",
                                 "england-zimbabwe"])
def test_builtins_same_answers(sid):
    space = compile_space(load_scenario(sid))
    assert answers(space, "direct") == answers(space, "frontier")


def test_textbook_logroll():
    """Raiffa's logroll: Nash (0.7, 0.8) and egalitarian 8/11 (as in test_solutions)."""
    space = compile_space(load_scenario("logrolling"))
    r = analyze(space, method="direct")
    f = analyze(space, method="frontier")
    assert r.solutions == f.solutions
    assert r.criteria == f.criteria


def _interacting(seed: int = 4) -> dict:
    from accord.generate import random_scenario_data

    data = random_scenario_data(3, 4, 3, seed=seed, batna=0.3)
    table = {f"o{x}": {f"o{y}": 100 if x == y == 0 else 20 * y for y in range(3)}
             for x in range(3)}
    data["actors"][0]["interactions"] = [{"issues": ["i2", "i0"], "weight": 1,
                                          "scores": table}]
    data["actors"][1]["interactions"] = [{"issues": ["i3", "i0"], "weight": 2,
                                          "scores": table}]
    return data


def test_interaction_terms_are_searched_as_blocks():
    """Issues linked by interaction terms (i0-i2, i0-i3) form one compound issue; the
    direct answers equal the frontier method's, also with the real tree."""
    space = compile_space(validate_scenario(_interacting(), "<test>"))
    assert not space.additive and space.searchable
    assert space.blocks == ((0, 2, 3), (1,))
    assert answers(space, "direct") == answers(space, "frontier")
    with tiny_tree():
        assert answers(space, "direct") == answers(space, "frontier")


def test_interaction_blocks_too_large_need_the_frontier():
    import accord.space as space_module

    space = compile_space(validate_scenario(_interacting(), "<test>"))
    with mock.patch.object(space_module, "BLOCK_LIMIT", 20):  # the block has 27 options
        assert not space.searchable
        assert analyze(space).method["answers"] == "frontier"
        with pytest.raises(InputError, match="joint options"):
            analyze(space, method="direct")


def test_frontier_listing_limited_and_counted():
    space = compile_space(load_scenario("ukraine-2023"))
    full = analyze(space, method="frontier", frontier_limit=None)
    r = analyze(space, frontier_limit=7).to_dict()["pareto"]
    assert r["size"] == len(full.frontier) == 111
    assert r["listed"] == 7 and r["sampled"] is True
    every = {tuple(p.index) for p in full.frontier}
    assert {tuple(space.deal_index(d["deal"])) for d in r["deals"]} <= every
    assert r["note"].startswith("7 of 111")


def test_frontier_too_large_is_sampled_with_a_bound():
    """Four parties with real-valued scores: the merge would exceed a small candidate cap,
    so the listing samples Pareto-optimal deals directly and says so."""
    from accord.bargaining.listing import frontier_listing
    from accord.bargaining.pareto import pareto_frontier

    space = compile_space(random_scenario(4, 5, 5, seed=3, integer_scores=False))
    lst = frontier_listing(space, list(space.veto_indices), limit=8, max_candidates=50)
    assert lst.method == "weighted-sums" and lst.sampled and lst.count is None
    f = pareto_frontier(space)
    every = {tuple(int(x) for x in d) for d in f.deals}
    assert {tuple(int(x) for x in d) for d in lst.deals} <= every
    assert lst.lower_bound is not None and lst.lower_bound <= len(f)


def test_expired_budget_stops_the_search():
    space = compile_space(random_scenario(5, 12, 6, seed=1))
    budget = Budget(time_limit=1e-9)
    with pytest.raises(BudgetExceeded) as exc:
        analyze(space, budget=budget)
    assert exc.value.problems[0].path == "time_limit"


def test_bad_parameters_are_named():
    space = compile_space(load_scenario("logrolling"))
    with pytest.raises(InputError, match="method"):
        analyze(space, method="magic")
    with pytest.raises(InputError, match="frontier_limit"):
        analyze(space, frontier_limit=0)
    with pytest.raises(InputError, match="nash_weights"):
        analyze(space, nash_weights={"nobody": 1.0})


def test_exact_threshold_matches_accepts():
    """The integer thresholds the search uses decide acceptance like `Space.accepts`."""
    space = compile_space(random_scenario(3, 4, 4, seed=5, batna=0.5))
    g = prepare(space)
    deals = np.array(np.meshgrid(*[range(k) for k in space.n_options])).reshape(
        space.n_issues, -1).T
    u = space.utility_units(deals, g.model.parties)
    by_threshold = (u >= np.array(g.T)).all(axis=1)
    assert np.array_equal(by_threshold, space.accepts(u, g.model.parties).all(axis=1))
    assert all(isinstance(t, int) for t in g.T)
    assert tuple(Fraction(repr(float(space.batna[a]))) for a in g.model.parties) == g.D


@st.composite
def constant_sum_pairs(draw):
    """Two parties whose scores on every option add up to 100 (so utilities add up to 1
    on every deal when their weights are equal, or to another constant), from a few
    values (many ties), with 2-5 issues and sometimes a third actor who is not a party."""
    n_issues = draw(st.integers(2, 5))
    issues = [{"id": f"i{i}", "options": [f"o{o}" for o in range(draw(st.integers(2, 4)))]}
              for i in range(n_issues)]
    s0 = {i["id"]: {o: draw(st.sampled_from([0, 12.5, 25, 40, 50, 62.5, 75, 100]))
                    for o in i["options"]} for i in issues}
    weights = draw(st.sampled_from(["equal", "same"]))
    sal = None if weights == "equal" else {i["id"]: draw(st.integers(1, 3)) for i in issues}
    actors = [{"id": f"p{a}", "role": "party", "batna": draw(st.integers(0, 6)) / 10,
               **({"salience": sal} if sal else {}),
               "preferences": {i: {o: (v if a == 0 else 100 - v) for o, v in t.items()}
                               for i, t in s0.items()}} for a in range(2)]
    return _with_bystander(draw, issues, actors, "stakeholder", -1)


def _with_bystander(draw, issues: list, actors: list, role: str, option: int):
    """The scenario, sometimes with a non-party actor indifferent to everything, and a
    proposal of each issue's option at position `option`."""
    if draw(st.booleans()):
        actors.append({"id": "s", "role": role, "batna": 0.2,
                       "preferences": {i["id"]: {o: 50 for o in i["options"]}
                                       for i in issues}})
    deal = {i["id"]: i["options"][option] for i in issues}
    return validate_scenario({"accord": 1, "id": "cs", "title": "cs", "issues": issues,
                              "actors": actors, "proposals": [{"id": "p", "deal": deal}]},
                             "<hypothesis>")


@given(constant_sum_pairs(), st.lists(st.floats(0.5, 3.0), min_size=2, max_size=2))
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_constant_sum_line_equals_frontier_method(scenario, w):
    """Two parties on a constant sum are answered on the line (`accord.bargaining.line`):
    the same answers as the frontier method, also for weighted Nash, and as the branch and
    bound."""
    from accord.bargaining.line import line_for

    space = compile_space(scenario)
    g = prepare(space)
    assert line_for(g.model) is not None
    assert answers(space, "direct") == answers(space, "frontier")
    nw = {"p0": round(w[0], 2), "p1": round(w[1], 2)}
    a = analyze(space, nash_weights=nw, method="direct").solutions["nash"]
    b = analyze(space, nash_weights=nw, method="frontier").solutions["nash"]
    assert (a is None) == (b is None) and (a is None or a.deal == b.deal)
    with mock.patch.object(search, "LINE", False):
        assert answers(space, "direct") == answers(space, "frontier")


def test_constant_sum_real_valued_against_enumeration():
    """2 x 6 x 10 with 3-decimal scores (10^6 deals, nearly all with distinct utilities):
    answered on the line; the ZOPA's largest smallest gain, the egalitarian and the Nash
    deals against an exact enumeration in integer thousandths (u0 = X / 6000 with X the
    sum of the chosen scores in thousandths; u1 = 1 - u0)."""
    rng = np.random.default_rng(7)
    s0 = rng.integers(0, 100_001, size=(6, 10))  # thousandths
    issues = [{"id": f"i{i}", "options": [f"o{o}" for o in range(10)]} for i in range(6)]
    actors = [{"id": f"p{a}", "role": "party", "batna": 0.35,
               "preferences": {f"i{i}": {f"o{o}": (int(s0[i, o]) if a == 0
                                                   else 100_000 - int(s0[i, o])) / 1000
                                         for o in range(10)} for i in range(6)}}
              for a in range(2)]
    space = compile_space(validate_scenario({"accord": 1, "id": "r", "title": "r",
                                             "issues": issues, "actors": actors}, "<t>"))
    r = analyze(space, method="direct", frontier_limit=5)
    deals = np.array(np.meshgrid(*[range(10)] * 6, indexing="ij")).reshape(6, -1).T
    X = s0[np.arange(6), deals].sum(axis=1)  # lexicographic order of the deals
    # min gain = min(u0, 1 - u0) - 0.35, largest where X is nearest 3000 * 100 (u0 = 1/2)
    dist = np.abs(2 * X - 600_000)
    best = dist.min()
    first = tuple(int(v) for v in deals[np.flatnonzero(dist == best)[0]])
    x = int(X[np.flatnonzero(dist == best)[0]])
    want = min(Fraction(x, 600_000), 1 - Fraction(x, 600_000)) - Fraction(35, 100)
    assert r.zopa.exists and r.criteria is not None
    g = prepare(space)
    assert zopa_direct(g).best_min_gain == want
    assert r.solutions["egalitarian"].index == first  # nearest 1/2, then lowest indices
    assert r.solutions["nash"].index == first  # symmetric: the same deal


@st.composite
def constant_sum_triples(draw):
    """Three parties whose scores on every option add up to 100, from a few values (many
    ties), 2-4 issues, equal or shared weights, sometimes a fourth actor not a party."""
    n_issues = draw(st.integers(2, 4))
    issues = [{"id": f"i{i}", "options": [f"o{o}" for o in range(draw(st.integers(2, 4)))]}
              for i in range(n_issues)]
    split = {}
    for i in issues:
        for o in i["options"]:
            a = draw(st.sampled_from([0, 10, 25, 40, 50, 60, 75, 100]))
            b = draw(st.sampled_from([x for x in (0, 10, 25, 40, 50, 60, 75, 100)
                                      if x <= 100 - a]))
            split[(i["id"], o)] = (a, b, 100 - a - b)
    sal = None if draw(st.booleans()) else {i["id"]: draw(st.integers(1, 3)) for i in issues}
    actors = [{"id": f"p{k}", "role": "party", "batna": draw(st.integers(0, 4)) / 10,
               **({"salience": sal} if sal else {}),
               "preferences": {i["id"]: {o: split[(i["id"], o)][k] for o in i["options"]}
                               for i in issues}} for k in range(3)]
    return _with_bystander(draw, issues, actors, "mediator", 0)


@given(constant_sum_triples(), st.lists(st.floats(0.5, 3.0), min_size=3, max_size=3))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_constant_sum_plane_equals_frontier_method(scenario, w):
    """Three parties on a constant sum are answered on the plane
    (`accord.bargaining.plane`): the same answers as the frontier method, also for
    weighted Nash, and when every proof is refused (the branch and bound answers)."""
    from accord.bargaining import plane
    from accord.bargaining.plane import plane_for

    space = compile_space(scenario)
    assert plane_for(prepare(space).model) is not None
    assert answers(space, "direct") == answers(space, "frontier")
    nw = {"p0": round(w[0], 2), "p1": round(w[1], 2), "p2": round(w[2], 2)}
    a = analyze(space, nash_weights=nw, method="direct").solutions["nash"]
    b = analyze(space, nash_weights=nw, method="frontier").solutions["nash"]
    assert (a is None) == (b is None) and (a is None or a.deal == b.deal)
    with mock.patch.object(plane, "PAIR_LIMIT", 0):
        assert answers(space, "direct") == answers(space, "frontier")


@pytest.mark.parametrize("seed", range(3))
def test_constant_sum_plane_real_valued(seed):
    """3 parties x 7 issues x 5 options with 3-decimal splits of 100 (78,125 deals, nearly
    all with distinct utilities): the plane's answers equal the frontier method's."""
    rng = np.random.default_rng(seed)
    cuts = np.sort(np.round(rng.uniform(0, 100, size=(7, 5, 2)), 3), axis=2)
    split = np.stack([cuts[..., 0], cuts[..., 1] - cuts[..., 0], 100 - cuts[..., 1]], axis=2)
    issues = [{"id": f"i{i}", "options": [f"o{o}" for o in range(5)]} for i in range(7)]
    actors = [{"id": f"p{k}", "role": "party", "batna": 0.25,
               "preferences": {f"i{i}": {f"o{o}": round(float(split[i, o, k]), 3)
                                         for o in range(5)} for i in range(7)}}
              for k in range(3)]
    space = compile_space(validate_scenario({"accord": 1, "id": "r3", "title": "r3",
                                             "issues": issues, "actors": actors}, "<t>"))
    from accord.bargaining.plane import plane_for

    assert plane_for(prepare(space).model) is not None
    assert answers(space, "direct") == answers(space, "frontier")


# -- a stop says what was proven ---------------------------------------------------------------

def stop_messages(run, budgets):
    """The message of each stop of `run(budget)`, for the budgets in turn, until a run
    finishes."""
    for b in budgets:
        try:
            run(b)
        except BudgetExceeded as exc:
            yield exc.problems[0].message
        else:
            return


class _StopAfter(Budget):
    """A budget that runs out at its `calls`-th check (the search checks every 16 nodes)."""

    def __init__(self, calls: int):
        super().__init__()
        self.left = calls

    def check(self, *args, **kwargs) -> None:
        self.left -= 1
        if self.left < 0:
            raise BudgetExceeded("exact search", 1.0)


@given(scenarios(max_parties=4), st.integers(0, 3))
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_stopped_search_brackets_the_optimum(scenario, calls):
    """The best value a stopped search reports is reached by its deal, and the bound it
    reports is at least the optimum (exact brute force over every deal)."""
    space = compile_space(scenario)
    if not space.searchable:
        return
    g = prepare(space)
    us = oracle.utilities(scenario)
    batna = [oracle.dec(scenario.actors[a].batna) for a in g.model.parties]
    best = max(min(u[a] - d for a, d in zip(g.model.parties, batna, strict=True))
               for u in us.values())
    with tiny_tree():
        try:
            r = search.search(g.model, g.min_gain(), lex=False, budget=_StopAfter(calls))
        except BudgetExceeded as exc:
            found = exc.partial
            assert isinstance(found, search.Unproven)
            if found.value is not None:
                u = us[found.deal]
                assert found.value == pytest.approx(float(min(
                    u[a] - d for a, d in zip(g.model.parties, batna, strict=True))))
                assert found.value <= float(best) + 1e-12
                assert search.unproven_text(found) in exc.problems[0].message
            if found.bound is not None:
                assert found.bound >= float(best) - 1e-12
            return
    assert r.value == best


def test_a_stopped_analysis_says_what_it_proved(monkeypatch):
    """Stopped at every point of its work (a clock that ticks once per look), `analyze`
    names the questions it proved, and the best value and bound it gives for the question
    it was stopped in bracket that solution's criterion (from the unstopped analysis)."""
    import itertools
    import re

    from accord import budget as budget_module

    space = compile_space(random_scenario(5, 8, 4, seed=3))
    with tiny_tree():
        full = analyze(space, method="direct", frontier_limit=5)
    names = {"egalitarian": "egalitarian", "utilitarian": "utilitarian",
             "Kalai-Smorodinsky": "kalai_smorodinsky", "Nash": "nash"}
    seen = set()

    def ticking(limit: int) -> Budget:  # a fresh clock for each run
        monkeypatch.setattr(budget_module, "time",
                            mock.Mock(perf_counter=itertools.count().__next__))
        return Budget(time_limit=limit, started=0.0)

    with tiny_tree():
        messages = list(stop_messages(
            lambda b: analyze(space, method="direct", frontier_limit=5, budget=b),
            (ticking(limit) for limit in range(1, 200, 3))))
    for message in messages:
        m = re.search(r"(\w[\w-]*) not proven: best value found ([\d.e+-]+), the optimum "
                      r"is at most ([\d.e+-]+)", message)
        if m and m.group(1) in names:
            crit = full.criteria[names[m.group(1)]]
            assert float(m.group(2)) <= crit + 1e-6 <= float(m.group(3)) + 2e-6
            seen.add(m.group(1))
        if "proven: the ZOPA exists" in message:
            assert full.zopa.exists
            proven = message.split("proven: the ZOPA exists", 1)[1].split(";")[0]
            for name in names:
                if name in proven:
                    assert full.solutions[names[name]] is not None
    assert seen  # some stop fell inside a solution's search
