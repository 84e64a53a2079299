"""Bargaining solutions: textbook values, brute-force optima, axioms."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.bargaining import (
    all_solutions,
    egalitarian_solution,
    kalai_smorodinsky_solution,
    nash_solution,
    pareto_frontier,
    utilitarian_solution,
)
from accord.space import compile_space
from accord.validation import validate_scenario

from . import oracle
from .test_pareto import small_scenarios


def one_issue_space(f1, f2, n=1000):
    """Split a unit of value: option k gives party 1 the share x = k/n; scores 100*f(x)."""
    xs = [k / n for k in range(n + 1)]
    opts = [f"x{k}" for k in range(n + 1)]
    data = {"accord": 1, "id": "split", "title": "split",
            "issues": [{"id": "share", "options": opts}],
            "actors": [{"id": "one", "preferences": {"share": {o: 100 * f1(x) for o, x in
                                                               zip(opts, xs, strict=True)}}},
                       {"id": "two", "preferences": {"share": {o: 100 * f2(x) for o, x in
                                                               zip(opts, xs, strict=True)}}}]}
    return compile_space(validate_scenario(data, "<test>"))


@pytest.fixture(scope="module")
def dollar():
    # E1 (bargaining-and-mediation.md 1.7): u1 = x (risk neutral), u2 = sqrt(1 - x)
    return one_issue_space(lambda x: x, lambda x: math.sqrt(1 - x))


def share(point) -> float:
    return point.deal[0] / 1000


def test_nash_splits_a_dollar_two_thirds_to_the_risk_neutral_side(dollar):
    p = nash_solution(dollar)
    assert share(p) == pytest.approx(2 / 3, abs=1e-3)
    assert p.utilities == pytest.approx((0.666667, 0.577350), abs=1e-3)


def test_weighted_nash_with_weight_0_6_gives_three_quarters(dollar):
    # x = 2a / (1 + a) = 0.75 for a = 0.6
    assert share(nash_solution(dollar, weights=[0.6, 0.4])) == pytest.approx(0.75, abs=1e-3)
    assert share(nash_solution(dollar, weights=[0.75, 0.25])) == pytest.approx(0.857143,
                                                                                abs=1e-3)


def test_kalai_smorodinsky_and_egalitarian_give_the_golden_section(dollar):
    golden = (math.sqrt(5) - 1) / 2
    assert share(kalai_smorodinsky_solution(dollar)) == pytest.approx(golden, abs=1e-3)
    assert share(egalitarian_solution(dollar)) == pytest.approx(golden, abs=1e-3)


def test_utilitarian_gives_three_quarters(dollar):
    p = utilitarian_solution(dollar)
    assert share(p) == 0.75
    assert p.utilities == pytest.approx((0.75, 0.5), abs=1e-12)


@pytest.fixture(scope="module")
def logroll():
    # E2: u1 = 0.7x + 0.3y, u2 = 0.2(1 - x) + 0.8(1 - y), shares on a grid of 1/22
    data = {"accord": 1, "id": "e2", "title": "e2",
            "issues": [{"id": "x", "range": [0, 22], "step": 1},
                       {"id": "y", "range": [0, 22], "step": 1}],
            "actors": [{"id": "one", "salience": {"x": 0.7, "y": 0.3},
                        "preferences": {"x": {"ideal": 22}, "y": {"ideal": 22}}},
                       {"id": "two", "salience": {"x": 0.2, "y": 0.8},
                        "preferences": {"x": {"ideal": 0}, "y": {"ideal": 0}}}]}
    return compile_space(validate_scenario(data, "<test>"))


def test_logrolling_textbook_values(logroll):
    nash = nash_solution(logroll)
    assert nash.deal == (22, 0) and nash.utilities == pytest.approx((0.7, 0.8), abs=1e-12)
    assert nash.criterion == pytest.approx(0.56, abs=1e-12)
    assert utilitarian_solution(logroll).deal == (22, 0)
    for p in (kalai_smorodinsky_solution(logroll), egalitarian_solution(logroll)):
        assert p.deal == (22, 2)  # y = 1/11
        assert p.utilities == pytest.approx((8 / 11, 8 / 11), abs=1e-12)


def test_no_zopa_means_no_solution(space_from_tables):
    space = space_from_tables({"a": {"i": [0, 100]}, "b": {"i": [100, 0]}},
                              batna={"a": 0.6, "b": 0.6})
    assert all(v is None for v in all_solutions(space).values())


def test_ties_break_to_the_lowest_option_indices(space_from_tables):
    # options 1 and 2 give the same utilities to both: the lower index wins
    space = space_from_tables({"a": {"i": [0, 60, 60, 100]}, "b": {"i": [100, 60, 60, 0]}})
    for p in all_solutions(space).values():
        assert p.deal == (1,)


# --- brute force: each solution attains the optimum of its criterion over the ZOPA ---------


def _criteria(us: dict, parties: list[int], batna: list[Fraction]):
    zopa = oracle.zopa(us, parties, batna)
    gains = {d: [us[d][p] - batna[p] for p in parties] for d in zopa}
    if not gains:
        return gains, {}
    ideal = [max(g[k] for g in gains.values()) for k in range(len(parties))]
    live = [k for k in range(len(parties)) if ideal[k] > 0]

    def ks(g):
        return min((g[k] / ideal[k] for k in live), default=Fraction(1))

    def nash(g):
        return math.prod(g[k] for k in live) if live else 0

    return gains, {"nash": nash, "kalai_smorodinsky": ks, "egalitarian": min,
                   "utilitarian": sum}


@given(small_scenarios())
@settings(max_examples=150, deadline=None)
def test_solutions_are_optimal_rational_and_pareto_optimal(scenario):
    space = compile_space(scenario)
    parties = list(range(space.n_actors))
    us = oracle.utilities(scenario)
    batna = [Fraction(repr(a.batna)) for a in scenario.actors]
    sols = all_solutions(space)
    gains, crit = _criteria(us, parties, batna)
    if not gains:
        assert all(v is None for v in sols.values())
        return
    frontier_vectors = set(oracle.frontier(us, parties))
    for name, p in sols.items():
        assert p is not None
        exact = us[p.deal]
        assert all(exact[k] >= batna[k] for k in parties), name  # individually rational
        assert exact in frontier_vectors, name  # Pareto-optimal
        best = max(crit[name](g) for g in gains.values())
        assert float(crit[name](gains[p.deal])) == pytest.approx(float(best), abs=1e-12), name


# --- invariance of Nash and Kalai-Smorodinsky under positive affine rescaling ------------


@given(st.integers(0, 10**6), st.floats(0.2, 1.0), st.floats(0.0, 1.0))
@settings(max_examples=60, deadline=None)
def test_nash_and_ks_invariant_under_affine_rescaling(seed, alpha, shift):
    from accord.generate import random_scenario_data

    data = random_scenario_data(2, 4, 4, seed=seed, integer_scores=False)
    base = compile_space(validate_scenario(data, "<a>"))
    # U' = alpha * U + c / 100 for party 0: scores s' = alpha * s + c, batna alike
    c = shift * 100 * (1 - alpha)
    a0 = data["actors"][0]
    for table in a0["preferences"].values():
        for o in table:
            table[o] = alpha * table[o] + c
    a0["batna"] = alpha * a0["batna"] + c / 100
    moved = compile_space(validate_scenario(data, "<b>"))
    for fn in (nash_solution, kalai_smorodinsky_solution):
        p, q = fn(base), fn(moved)
        assert (p is None) == (q is None)
        if p is not None:
            assert p.deal == q.deal, fn.__name__


def test_solutions_share_one_frontier(logroll):
    f = pareto_frontier(logroll)
    assert nash_solution(logroll, frontier=f) == nash_solution(logroll)
    assert np.all(np.diff(f.deals[:, 0]) >= 0)  # lexicographic order
