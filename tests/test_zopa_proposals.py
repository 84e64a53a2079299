"""ZOPA counts and proposal evaluation against the brute-force oracle."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.bargaining import count_acceptable, evaluate, zopa
from accord.errors import InputError
from accord.generate import random_scenario
from accord.space import compile_space

from . import oracle
from .test_pareto import small_scenarios


@given(small_scenarios())
@settings(max_examples=150, deadline=None)
def test_zopa_count_existence_and_nearest_miss(scenario):
    space = compile_space(scenario)
    parties = list(range(space.n_actors))
    us = oracle.utilities(scenario)
    batna = [Fraction(repr(a.batna)) for a in scenario.actors]
    inside = oracle.zopa(us, parties, batna)
    z = zopa(space)
    assert z.count == len(inside)
    assert z.exists == bool(inside)
    best = max(min(u[p] - batna[p] for p in parties) for u in us.values())
    assert z.best_min_gain == pytest.approx(float(best), abs=1e-12)
    assert z.shortfall == (0.0 if inside else pytest.approx(float(-best), abs=1e-12))
    strict = any(all(u[p] > batna[p] for p in parties) for u in us.values())
    assert z.win_win == strict


def test_count_is_skipped_above_the_limit():
    space = compile_space(random_scenario(2, 8, 10, seed=1))
    assert space.outcomes == 10**8
    assert count_acceptable(space, (0, 1)) is None
    assert zopa(space).count is None
    small = compile_space(random_scenario(2, 4, 10, seed=1))
    assert count_acceptable(small, (0, 1), limit=10**4) is not None
    assert count_acceptable(small, (0, 1), limit=10**4 - 1) is None


@given(small_scenarios(), st.data())
@settings(max_examples=150, deadline=None)
def test_evaluation_matches_brute_force(scenario, data):
    space = compile_space(scenario)
    parties = list(range(space.n_actors))
    us = oracle.utilities(scenario)
    batna = [Fraction(repr(a.batna)) for a in scenario.actors]
    deal = tuple(data.draw(st.integers(0, n - 1)) for n in space.n_options)
    e = evaluate(space, deal)
    u = us[deal]
    assert e.accepted_by == tuple(a.id for k, a in enumerate(scenario.actors) if u[k] >= batna[k])
    assert set(e.accepted_by) | set(e.rejected_by) == set(space.actor_ids)
    assert e.agreement == all(u[k] >= batna[k] for k in parties)
    assert e.point.utilities == {a.id: pytest.approx(float(u[k]), abs=1e-10)
                                 for k, a in enumerate(scenario.actors)}
    better = [v for v in us.values() if oracle.dominates(v, u)]
    assert e.pareto_optimal == (not better)
    if better:
        # Raiffa's improvement: dominates the proposal, with the largest smallest gain
        v = us[e.improvement.index]
        assert oracle.dominates(v, u)
        best = max(min(w[k] - u[k] for k in parties) for w in better)
        assert min(v[k] - u[k] for k in parties) == best
    else:
        assert e.improvement is None


def test_agreement_needs_every_veto_actor(space_from_tables):
    space = space_from_tables(
        {"a": {"i": [0, 100]}, "b": {"i": [100, 40]}, "m": {"i": [0, 100]}},
        batna={"a": 0.5, "b": 0.5, "m": 0.5}, roles={"m": "mediator"})
    e = evaluate(space, (1,))
    assert e.accepted_by == ("a", "m") and e.rejected_by == ("b",)
    assert e.vetoed_by == ("b",) and not e.agreement
    assert not e.win_win


def test_a_batna_met_exactly_is_accepted(space_from_tables):
    # 0.3 * 70 + 0.7 * 30 = 42: equal to the BATNA as rationals, so it is accepted
    space = space_from_tables({"a": {"i": [70, 0], "j": [30, 0]}, "b": {"i": [0, 1], "j": [0, 1]}},
                              weights={"a": {"i": 0.3, "j": 0.7}}, batna={"a": 0.42})
    assert space.exact.all()
    assert evaluate(space, (0, 0)).accepted_by[0] == "a"


def test_unknown_proposal_and_bad_deal_are_input_errors(space_from_tables):
    from accord.bargaining import evaluate_proposal

    space = space_from_tables({"a": {"i": [0, 100]}, "b": {"i": [100, 0]}})
    with pytest.raises(InputError, match="unknown proposal 'nope'"):
        evaluate_proposal(space, "nope")
    with pytest.raises(InputError, match="option 'o7' is not an option of issue 'i'"):
        space.deal_index({"i": "o7"})
    with pytest.raises(InputError, match=r"does not settle issue\(s\) 'i'"):
        space.deal_index({})


def test_units_are_exact_for_typed_decimals():
    space = compile_space(random_scenario(3, 5, 4, seed=3))
    assert space.exact.all()
    units = space.utility_units(np.zeros((1, 5), dtype=int))
    assert np.array_equal(units, np.round(units))


def test_batna_derived_from_a_war_lottery():
    from accord.io import scenario_from_text

    text = """
accord: 1
id: w
title: w
issues: [{id: x, options: [a, b]}]
actors:
  - {id: p, war: {win_probability: 0.6, cost: 0.1}, preferences: {x: {a: 0, b: 100}}}
  - {id: q, war: {win_probability: 0.4, cost: 0.15, win: 0.9, loss: 0.1},
     preferences: {x: {a: 100, b: 0}}}
"""
    s = scenario_from_text(text, "w.yaml")
    # Fearon: p - c for A (0.6 - 0.1); 0.4 * 0.9 + 0.6 * 0.1 - 0.15 = 0.27 for B
    assert [a.batna for a in s.actors] == [0.5, 0.27]
    with pytest.raises(InputError, match=r"w.yaml: actors\[0\].war: give batna or war"):
        scenario_from_text(text.replace("cost: 0.1}", "cost: 0.1}, batna: 0.2"), "w.yaml")
