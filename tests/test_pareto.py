"""The frontier: maxima filtering and the issue-by-issue merge against brute force."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.bargaining.pareto import nondominated, pareto_frontier
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


@given(st.integers(1, 5), st.integers(1, 70), st.integers(2, 5), st.integers(0, 2**32 - 1))
@settings(max_examples=300, deadline=None)
def test_nondominated_matches_pairwise_comparison(k, m, levels, seed):
    rng = np.random.default_rng(seed)
    pts = rng.integers(0, levels, size=(m, k)).astype(float)  # many ties on purpose
    assert nondominated(pts).tolist() == brute_nondominated(pts)


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
    import pytest

    from accord.errors import InputError

    space = compile_space(random_scenario(6, 6, 6, seed=0))
    with pytest.raises(InputError, match="too large to list"):
        pareto_frontier(space, max_candidates=1000)
