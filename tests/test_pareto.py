"""The frontier: maxima filtering and the issue-by-issue merge against brute force."""

from __future__ import annotations

import time
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.bargaining import pareto
from accord.bargaining.pareto import (
    FrontierTooLarge,
    constant_sum,
    first_distinct,
    nondominated,
    pareto_frontier,
    spread_sample,
)
from accord.budget import Budget, BudgetExceeded
from accord.errors import InputError
from accord.generate import random_scenario
from accord.space import compile_space

from . import oracle


def brute_nondominated(points: np.ndarray) -> list[int]:
    keep = []
    for i, p in enumerate(points):
        beaten = any((q >= p).all() and ((q > p).any() or j < i)
                     for j, q in enumerate(points) if j != i)
        if not beaten:
            keep.append(i)
    return keep


def pairwise_nondominated(points: np.ndarray) -> list[int]:
    """`brute_nondominated` with one vectorised comparison table, for larger inputs."""
    ge = (points[:, None, :] >= points[None, :, :]).all(axis=2)  # ge[j, i]: row j >= row i
    equal = ge & ge.T
    beaten = (ge & ~equal) | (equal & np.tri(len(points), k=-1, dtype=bool).T)
    return np.flatnonzero(~beaten.any(axis=0)).tolist()


@given(st.integers(1, 8), st.integers(1, 90), st.integers(2, 5), st.integers(0, 2**32 - 1))
@settings(max_examples=300, deadline=None)
def test_nondominated_matches_pairwise_comparison(k, m, levels, seed):
    rng = np.random.default_rng(seed)
    pts = rng.integers(0, levels, size=(m, k)).astype(float)  # many ties on purpose
    assert nondominated(pts).tolist() == brute_nondominated(pts)


@given(st.integers(4, 8), st.integers(2, 120), st.integers(2, 6), st.integers(1, 6),
       st.integers(0, 40), st.integers(1, 40), st.integers(0, 2**32 - 1))
@settings(max_examples=250, deadline=None)
def test_divide_and_conquer_matches_brute_force_at_every_level(k, m, levels, leaf, brute,
                                                               pivots, seed):
    # tiny thresholds, so that small inputs go through every branch of the recursion
    rng = np.random.default_rng(seed)
    pts = rng.integers(0, levels, size=(m, k)).astype(float)
    with mock.patch.object(pareto, "_LEAF", leaf), mock.patch.object(pareto, "_BRUTE", brute), \
            mock.patch.object(pareto, "_PIVOTS", pivots):
        got = nondominated(pts).tolist()
    assert got == brute_nondominated(pts)


@pytest.mark.parametrize("k", [4, 5, 6, 8])
def test_nondominated_many_dimensions_large(k):
    rng = np.random.default_rng(k)
    for pts in (rng.integers(0, 4, size=(1500, k)).astype(float),  # ties everywhere
                rng.integers(0, 10**6, size=(1500, k)).astype(float)):
        assert nondominated(pts).tolist() == pairwise_nondominated(pts)
    # points on a simplex: all are maxima (but the repeated ones)
    simplex = rng.integers(0, 50, size=(1500, k)).astype(float)
    simplex[:, -1] = 1000 - simplex[:, :-1].sum(axis=1)
    assert nondominated(simplex).tolist() == pairwise_nondominated(simplex)
    assert len(nondominated(simplex)) == len(np.unique(simplex, axis=0))


def test_nondominated_with_infinite_coordinates():
    rng = np.random.default_rng(3)
    values = np.array([-np.inf, -1e308, -1.0, 0.0, 2.0, 1e308, np.inf])
    for k in (4, 6):
        pts = rng.choice(values, size=(400, k))
        with mock.patch.object(pareto, "_LEAF", 4), mock.patch.object(pareto, "_BRUTE", 8):
            assert nondominated(pts).tolist() == pairwise_nondominated(pts)


def test_nondominated_three_dimensions_large():
    rng = np.random.default_rng(7)
    pts = rng.integers(0, 30, size=(600, 3)).astype(float)
    assert nondominated(pts).tolist() == brute_nondominated(pts)


@st.composite
def small_scenarios(draw):
    n_actors = draw(st.integers(2, 4))
    n_issues = draw(st.integers(1, 4))
    opts = [draw(st.integers(2, 4)) for _ in range(n_issues)]
    issues = [{"id": f"i{i}", "options": [f"o{o}" for o in range(n)]}
              for i, n in enumerate(opts)]
    actors = []
    for a in range(n_actors):
        actors.append({
            "id": f"a{a}",
            "batna": draw(st.integers(0, 10)) / 20,
            "salience": {f"i{i}": draw(st.integers(0, 4)) + (1 if i == 0 else 0)
                         for i in range(n_issues)},
            "preferences": {f"i{i}": {f"o{o}": 10 * draw(st.integers(0, 10)) for o in range(n)}
                            for i, n in enumerate(opts)},
        })
    from accord.validation import validate_scenario

    return validate_scenario({"accord": 1, "id": "h", "title": "h", "issues": issues,
                              "actors": actors}, "<hypothesis>")


@given(small_scenarios())
@settings(max_examples=150, deadline=None)
def test_merge_equals_brute_force_frontier(scenario):
    space = compile_space(scenario)
    parties = list(range(space.n_actors))
    expected = oracle.frontier(oracle.utilities(scenario), parties)
    f = pareto_frontier(space)
    got = {tuple(int(x) for x in d) for d in f.deals}
    assert got == set(expected.values())
    for d, u in zip(f.deals, f.utilities, strict=True):
        exact = next(v for v, dd in expected.items() if dd == tuple(int(x) for x in d))
        assert np.allclose(u, [float(x) for x in exact], atol=1e-10)


@given(small_scenarios())
@settings(max_examples=100, deadline=None)
def test_merge_equals_enumeration_element_for_element(scenario):
    space = compile_space(scenario)
    a = pareto_frontier(space, method="merge")
    b = pareto_frontier(space, method="enumerate")
    assert np.array_equal(a.deals, b.deals)
    assert np.array_equal(a.utilities, b.utilities)


def test_merge_equals_enumeration_on_random_real_valued_problems():
    for parties, issues, options in [(2, 6, 5), (3, 5, 4), (4, 4, 4)]:
        for seed in range(3):
            sc = random_scenario(parties, issues, options, seed=seed, integer_scores=False)
            space = compile_space(sc)
            a = pareto_frontier(space)
            b = pareto_frontier(space, method="enumerate")
            assert np.array_equal(a.deals, b.deals) and len(a) > 1


@given(st.integers(2, 4), st.integers(1, 300), st.integers(2, 6), st.integers(0, 10**6))
@settings(max_examples=80, deadline=None)
def test_first_distinct_is_the_maxima_on_a_hyperplane(k, m, levels, seed):
    """Points with equal coordinate sums (many repeated): no point dominates another
    unless equal, so the maxima are the first of each distinct point."""
    rng = np.random.default_rng(seed)
    free = rng.integers(0, levels, size=(m, k - 1)).astype(float)
    pts = np.concatenate([free, (levels * k - free.sum(axis=1))[:, None]], axis=1)
    assert np.array_equal(first_distinct(pts), nondominated(pts))


def _constant_sum_space(parties: int, seed: int, real: bool):
    """Each option's scores split 100 among the parties (real-valued or integers)."""
    from accord.validation import validate_scenario

    rng = np.random.default_rng(seed)
    issues = [{"id": f"i{i}", "options": [f"o{o}" for o in range(3)]} for i in range(4)]
    cuts = np.sort(rng.uniform(0, 100, size=(4, 3, parties - 1)), axis=2)
    cuts = np.round(cuts, 3) if real else np.round(cuts)
    edges = np.concatenate([np.zeros((4, 3, 1)), cuts, np.full((4, 3, 1), 100.0)], axis=2)
    scores = np.diff(edges, axis=2)
    actors = [{"id": f"p{a}", "role": "party", "batna": 0.2,
               "preferences": {f"i{i}": {f"o{o}": round(float(scores[i, o, a]), 3)
                                         for o in range(3)} for i in range(4)}}
              for a in range(parties)]
    return compile_space(validate_scenario({"accord": 1, "id": "cs", "title": "cs",
                                            "issues": issues, "actors": actors}, "<t>"))


@pytest.mark.parametrize("parties", [2, 3, 4])
@pytest.mark.parametrize("real", [False, True])
def test_constant_sum_frontier_by_distinct_points(parties, real):
    """Constant-sum spaces are detected exactly, and their merge (distinct points only)
    gives the enumeration's frontier; a random space is not constant-sum."""
    for seed in range(3):
        space = _constant_sum_space(parties, seed, real)
        assert constant_sum(space, list(space.veto_indices))
        a = pareto_frontier(space, method="merge")
        b = pareto_frontier(space, method="enumerate")
        assert np.array_equal(a.deals, b.deals)
    other = compile_space(random_scenario(parties, 4, 3, seed=1))
    assert not constant_sum(other, list(other.veto_indices))


def test_frontier_over_a_subset_of_actors(space_from_tables):
    space = space_from_tables({"x": {"i": [0, 50, 100]}, "y": {"i": [100, 50, 0]},
                               "z": {"i": [0, 100, 0]}})
    assert pareto_frontier(space, ["x", "y"]).deals.ravel().tolist() == [0, 1, 2]
    assert pareto_frontier(space, ["x", "z"]).deals.ravel().tolist() == [1, 2]
    assert pareto_frontier(space, ["z"]).deals.ravel().tolist() == [1]


def test_identical_options_keep_the_first():
    # two options with the same utilities for everyone: one frontier point, the lower index
    from tests.conftest import scenario_from_tables

    space = compile_space(scenario_from_tables({"x": {"i": [30, 80, 80], "j": [0, 100]},
                                                "y": {"i": [90, 40, 40], "j": [100, 0]}}))
    f = pareto_frontier(space)
    assert [tuple(d) for d in f.deals] == [(0, 0), (0, 1), (1, 0), (1, 1)]


def test_a_frontier_too_large_to_list_is_refused_clearly():
    space = compile_space(random_scenario(6, 6, 6, seed=0))
    with pytest.raises(InputError, match="too large to list") as caught:
        pareto_frontier(space, max_candidates=1000)
    exc = caught.value
    assert isinstance(exc, FrontierTooLarge)
    assert [p.path for p in exc.problems] == ["parties"]
    assert "--frontier-limit" in str(exc) and "ZOPA" in str(exc)
    assert 0 < exc.issues_merged < space.n_issues
    # the bound is the largest two-party frontier, and it is a true lower bound
    pairs = [len(pareto_frontier(space, [a, b])) for a in range(6) for b in range(a + 1, 6)]
    assert exc.lower_bound == max(pairs)
    assert f"at least {exc.lower_bound:,} deals" in str(exc)
    assert exc.lower_bound <= len(pareto_frontier(space))


@given(small_scenarios(), st.integers(1, 40))
@settings(max_examples=100, deadline=None)
def test_the_stated_lower_bound_never_exceeds_the_frontier(scenario, limit):
    space = compile_space(scenario)
    try:
        pareto_frontier(space, max_candidates=limit)
    except FrontierTooLarge as exc:
        assert exc.lower_bound is None or exc.lower_bound <= len(pareto_frontier(space))


def test_an_expired_budget_stops_the_frontier():
    space = compile_space(random_scenario(3, 5, 4, seed=1))
    for method in ("merge", "enumerate"):
        budget = Budget(time_limit=1e-9)
        time.sleep(0.01)
        with pytest.raises(BudgetExceeded, match="Pareto frontier"):
            pareto_frontier(space, method=method, budget=budget)


def test_a_budget_with_time_left_changes_nothing_and_hears_progress():
    space = compile_space(random_scenario(3, 5, 4, seed=1))
    heard = []
    f = pareto_frontier(space, budget=Budget(progress=lambda *a: heard.append(a)))
    assert np.array_equal(f.deals, pareto_frontier(space).deals)
    assert heard and heard[0][1:] == (space.n_issues, "Pareto frontier")


# -- spread_sample ------------------------------------------------------------------------


def first_argmax_rows(units: np.ndarray) -> set[int]:
    return {int(np.flatnonzero(units[:, c] == units[:, c].max())[0])
            for c in range(units.shape[1])}


@given(st.integers(1, 6), st.integers(0, 80), st.integers(0, 30), st.integers(2, 50),
       st.integers(0, 2**32 - 1))
@settings(max_examples=200, deadline=None)
def test_spread_sample_properties(k, m, limit, levels, seed):
    rng = np.random.default_rng(seed)
    units = rng.integers(0, levels, size=(m, k)).astype(float)
    got = spread_sample(units, limit)
    assert got.tolist() == spread_sample(units.copy(), limit).tolist()  # deterministic
    assert len(got) == min(m, limit)
    assert got.tolist() == sorted(set(got.tolist()))
    assert all(0 <= i < m for i in got)
    if m <= limit:
        assert got.tolist() == list(range(m))
    if m and limit >= k:
        assert first_argmax_rows(units) <= set(got.tolist())


def test_spread_sample_spreads_along_a_line():
    units = np.array([[i, 100 - i] for i in range(101)], dtype=float)
    assert spread_sample(units, 2).tolist() == [0, 100]
    assert spread_sample(units, 3).tolist() == [0, 50, 100]
    assert spread_sample(units, 5).tolist() == [0, 25, 50, 75, 100]
    assert spread_sample(units, 1).tolist() == [100]  # the first party's best point
    assert spread_sample(units, 0).tolist() == []
    with pytest.raises(ValueError):
        spread_sample(units, -1)
