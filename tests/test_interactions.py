"""Pairwise interaction terms: utilities, frontier and solutions against the exact oracle."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.bargaining import all_solutions, evaluate, pareto_frontier, zopa
from accord.errors import InputError
from accord.space import compile_space
from accord.validation import validate_scenario

from . import oracle


@st.composite
def interacting(draw):
    n_issues = draw(st.integers(2, 4))
    opts = [draw(st.integers(2, 3)) for _ in range(n_issues)]
    issues = [{"id": f"i{i}", "options": [f"o{o}" for o in range(n)]}
              for i, n in enumerate(opts)]
    actors = []
    for a in range(draw(st.integers(2, 3))):
        terms = []
        for _ in range(draw(st.integers(0, 2))):
            i, j = draw(st.lists(st.integers(0, n_issues - 1), min_size=2, max_size=2,
                                 unique=True))
            terms.append({"issues": [f"i{i}", f"i{j}"], "weight": draw(st.integers(1, 3)),
                          "scores": {f"o{x}": {f"o{y}": 10 * draw(st.integers(0, 10))
                                               for y in range(opts[j])}
                                     for x in range(opts[i])}})
        actors.append({
            "id": f"a{a}", "batna": draw(st.integers(0, 8)) / 20,
            "salience": {f"i{i}": draw(st.integers(1, 3)) for i in range(n_issues)},
            "preferences": {f"i{i}": {f"o{o}": 10 * draw(st.integers(0, 10)) for o in range(n)}
                            for i, n in enumerate(opts)},
            "interactions": terms})
    return validate_scenario({"accord": 1, "id": "x", "title": "x", "issues": issues,
                              "actors": actors}, "<hypothesis>")


@given(interacting(), st.data())
@settings(max_examples=120, deadline=None)
def test_interactions_match_the_oracle(scenario, data):
    space = compile_space(scenario)
    us = oracle.utilities(scenario)
    parties = list(range(space.n_actors))
    deal = tuple(data.draw(st.integers(0, n - 1)) for n in space.n_options)
    assert space.utilities([deal])[0] == pytest.approx([float(x) for x in us[deal]], abs=1e-12)
    f = pareto_frontier(space)
    assert f.method == ("merge" if space.additive else "enumerate")
    assert {tuple(int(x) for x in d) for d in f.deals} == set(
        oracle.frontier(us, parties).values())
    batna = [Fraction(repr(a.batna)) for a in scenario.actors]
    assert zopa(space).count == len(oracle.zopa(us, parties, batna))
    for p in all_solutions(space).values():
        if p is not None:
            assert all(us[p.deal][k] >= batna[k] for k in parties)
    e = evaluate(space, deal)
    assert e.pareto_optimal == (not any(oracle.dominates(v, us[deal]) for v in us.values()))


def test_interaction_makes_a_package_worth_more():
    data = {"accord": 1, "id": "x", "title": "x",
            "issues": [{"id": "ceasefire", "options": ["no", "yes"]},
                       {"id": "guarantees", "options": ["no", "yes"]}],
            "actors": [{"id": "a", "salience": {"ceasefire": 1, "guarantees": 1},
                        "preferences": {"ceasefire": {"no": 0, "yes": 50},
                                        "guarantees": {"no": 0, "yes": 50}},
                        "interactions": [{"issues": ["ceasefire", "guarantees"], "weight": 2,
                                          "scores": {"no": {"no": 0, "yes": 0},
                                                     "yes": {"no": 0, "yes": 100}}}]}]}
    space = compile_space(validate_scenario(data, "<t>"))
    u = space.utilities([[0, 0], [1, 0], [0, 1], [1, 1]])[:, 0]
    # (1*50 + 1*50 + 2*100) / (100 * 4) = 0.75 for both; 50 / 400 for one alone
    assert u.tolist() == pytest.approx([0, 0.125, 0.125, 0.75])
    assert not space.additive


def test_bad_interactions_are_reported_with_paths():
    data = {"accord": 1, "id": "x", "title": "x",
            "issues": [{"id": "a", "options": ["p", "q"]}, {"id": "n", "range": [0, 10]}],
            "actors": [{"id": "z", "preferences": {"a": {"p": 0, "q": 1}, "n": {"ideal": 0}},
                        "interactions": [
                            {"issues": ["a", "a"], "weight": 1, "scores": {}},
                            {"issues": ["a", "n"], "weight": 1, "scores": {}},
                            {"issues": ["a", "zz"], "weight": -1, "scores": {}}]}]}
    with pytest.raises(InputError) as err:
        validate_scenario(data, "f.yaml")
    text = str(err.value)
    assert "f.yaml: actors[0].interactions[0].issues: an interaction needs two different" in text
    assert "actors[0].interactions[1].issues: issue 'n' is numeric" in text
    assert "actors[0].interactions[2].issues: unknown issue 'zz'" in text
    assert "actors[0].interactions[2].weight: must be at least 0, got -1" in text
