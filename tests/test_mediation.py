"""Mediation processes: Rubinstein's closed form and equilibrium, the Klein et al. pattern,
determinism, individual rationality, traces, the interested mediator, tournaments."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from accord import compile_space, load_scenario
from accord.cli import app
from accord.generate import random_scenario
from accord.mediation import (
    Context,
    alternating_offers,
    frontier_equilibrium,
    klein_scenario,
    mediate_with_interests,
    rubinstein_share,
    single_text,
    tournament,
)
from accord.validation import validate_scenario

# --- Rubinstein ---------------------------------------------------------------------------


@pytest.mark.parametrize("d1, d2, share", [(0.9, 0.9, 0.526316), (0.9, 0.8, 0.714286),
                                           (0.95, 0.9, 0.689655), (0.99, 0.99, 0.502513)])
def test_rubinstein_closed_form(d1, d2, share):
    assert rubinstein_share(d1, d2) == pytest.approx(share, abs=5e-7)


def test_rubinstein_continuous_time_limit():
    # delta_i = exp(-r_i * step), r = (0.05, 0.10): shares 0.683188, 0.668332, 0.666833 -> 2/3
    for step, share in [(1, 0.683188), (0.1, 0.668332), (0.01, 0.666833)]:
        assert rubinstein_share(np.exp(-0.05 * step), np.exp(-0.10 * step)) == pytest.approx(
            share, abs=5e-7)


@given(st.floats(0.05, 0.99), st.floats(0.05, 0.99))
@settings(max_examples=200, deadline=None)
def test_frontier_equilibrium_on_the_pie_is_the_closed_form(d1, d2):
    pie = np.array([[x, 1 - x] for x in np.linspace(0, 1, 11)])
    x1, y2 = frontier_equilibrium(pie, d1, d2)
    assert x1 == pytest.approx(rubinstein_share(d1, d2), abs=1e-9)
    assert y2 == pytest.approx(rubinstein_share(d2, d1), abs=1e-9)


@given(st.lists(st.floats(0.01, 1), min_size=3, max_size=12, unique=True),
       st.floats(0.1, 0.98), st.floats(0.1, 0.98))
@settings(max_examples=100, deadline=None)
def test_frontier_equilibrium_makes_each_responder_indifferent(xs, d1, d2):
    g1 = np.sort(np.array(xs))
    g2 = np.sqrt(1 - g1**2)  # a concave decreasing frontier
    x1, y2 = frontier_equilibrium(np.column_stack([g1, g2]), d1, d2)

    def f(x):
        return np.interp(x, np.concatenate([[0], g1]), np.concatenate([[g2[0]], g2]))

    assert y2 == pytest.approx(f(d1 * x1), abs=1e-12)
    if x1 < g1[-1] - 1e-9:  # interior: the responder is indifferent
        assert f(x1) == pytest.approx(d2 * y2, abs=1e-9)
    else:  # corner: the proposer takes its best and the responder still prefers to accept
        assert f(x1) >= d2 * y2 - 1e-9


@pytest.fixture(scope="module")
def pie():
    data = {"accord": 1, "id": "pie", "title": "pie",
            "issues": [{"id": "share", "range": [0, 1], "step": 1e-5}],
            "actors": [{"id": "one", "preferences": {"share": {"ideal": 1}}},
                       {"id": "two", "preferences": {"share": {"ideal": 0}}}]}
    return compile_space(validate_scenario(data, "<pie>"))


@pytest.mark.parametrize("d1, d2", [(0.9, 0.9), (0.9, 0.8), (0.6, 0.95)])
def test_equilibrium_strategies_attain_the_rubinstein_share(pie, d1, d2):
    r = alternating_offers(pie, ["spe"], rounds=10, discounts=(d1, d2))
    assert r.agreement and r.rounds == 2  # offered in round 0, accepted at once
    assert r.outcome.deal["share"] == pytest.approx(rubinstein_share(d1, d2), abs=1e-5)
    # the second mover opening instead gets its own first-proposer share
    r2 = alternating_offers(pie, ["spe"], rounds=10, discounts=(d1, d2), first=1)
    assert 1 - r2.outcome.deal["share"] == pytest.approx(rubinstein_share(d2, d1), abs=1e-5)


# --- the single negotiating text (Klein et al.) -------------------------------------------


@pytest.fixture(scope="module")
def klein_runs():
    """Average final utilities over 16 random complex contracts (12 binary issues, pairwise
    interactions), for every pairing of voter types, and the annealing mediator's welfare
    normalised as (W - mean W) / (max W - mean W) over all 4096 contracts."""
    pairs, welfare = {}, {}
    for seed in range(16):
        space = compile_space(klein_scenario(12, seed=seed))
        ctx = Context(space, seed=seed)
        w_all = ctx.candidate_utilities.sum(axis=1)
        best, mean = w_all.max(), w_all.mean()
        for va in ("hill-climber", "annealer"):
            for vb in ("hill-climber", "annealer"):
                r = single_text(space, [va, vb], search="hill-climbing", rounds=800,
                                start="random", temperature=0.05, mutation="single",
                                seed=seed, context=ctx, trace=False)
                pairs.setdefault((va, vb), []).append(list(r.outcome.utilities.values()))
        r = single_text(space, "hill-climber", search="annealing", rounds=800,
                        start="random", mutation="single", seed=seed, context=ctx,
                        trace=False)
        welfare.setdefault("mediator", []).append(
            (sum(r.outcome.utilities.values()) - mean) / (best - mean))
        for k in pairs:
            if len(pairs[k]) == seed + 1:
                u = pairs[k][-1]
                welfare.setdefault(k, []).append((sum(u) - mean) / (best - mean))
    return ({k: np.mean(v, axis=0) for k, v in pairs.items()},
            {k: float(np.mean(v)) for k, v in welfare.items()})


def test_annealing_parties_face_a_prisoners_dilemma(klein_runs):
    u, _ = klein_runs
    hh, aa = u[("hill-climber", "hill-climber")], u[("annealer", "annealer")]
    ha, ah = u[("hill-climber", "annealer")], u[("annealer", "hill-climber")]
    # hill-climbing dominates: better against an annealer and against a hill-climber
    assert ha[0] > aa[0] and ah[1] > aa[1]
    assert hh[0] > ah[0] and hh[1] > ha[1]
    # yet mutual annealing beats mutual hill-climbing for both
    assert aa[0] > hh[0] and aa[1] > hh[1]


def test_annealing_mediator_with_truthful_voters_is_near_optimal(klein_runs):
    _, w = klein_runs
    assert w["mediator"] >= 0.95
    assert w["mediator"] > w[("annealer", "annealer")] > w[("hill-climber", "hill-climber")]


def test_single_text_on_additive_problems_ends_on_the_frontier():
    on = 0
    for seed in range(10):
        space = compile_space(random_scenario(3, 7, 5, seed=seed))
        r = single_text(space, rounds=1000, seed=seed, trace=False)
        on += bool(r.pareto_optimal if r.agreement
                   else r.parameters["final_text_pareto_optimal"])
    assert on >= 9


# --- determinism, rationality, traces --------------------------------------------------


@pytest.mark.parametrize("protocol", ["single-text", "alternating", "mediator"])
def test_same_seed_same_trace(protocol):
    args = ["mediate", "camp-david-1978", "--protocol", protocol, "--json", "--seed", "3"]
    a = CliRunner().invoke(app, args)
    b = CliRunner().invoke(app, args)
    assert a.exit_code == 0, a.stderr
    assert json.loads(a.stdout) == json.loads(b.stdout)


def test_another_seed_gives_another_single_text_trace():
    space = compile_space(load_scenario("ukraine-2023"))
    a = single_text(space, seed=1, start="random")
    b = single_text(space, seed=2, start="random")
    assert [s.deal for s in a.trace] != [s.deal for s in b.trace]


@given(st.integers(0, 10**6), st.sampled_from(["boulware", "linear", "conceder", "tit-for-tat",
                                               "hardliner", "acceptor", "spe"]),
       st.sampled_from(["boulware", "conceder", "acceptor", "spe"]), st.floats(0.5, 1.0))
@settings(max_examples=60, deadline=None)
def test_agreements_are_individually_rational_and_traces_consistent(seed, s1, s2, delta):
    space = compile_space(random_scenario(2, 4, 4, seed=seed))
    r = alternating_offers(space, [s1, s2], rounds=40, discounts=delta, seed=seed)
    for p in space.veto_indices:
        if r.agreement:
            assert r.outcome.utilities[space.actor_ids[p]] >= space.batna[p] - 1e-9
            assert r.gains[space.actor_ids[p]] >= -1e-9
    for step in r.trace:
        u = space.utilities([space.deal_index(step.deal)])[0]
        assert list(step.utilities.values()) == pytest.approx(u.tolist(), abs=1e-9)
    t = single_text(space, rounds=100, seed=seed)
    if t.agreement:
        assert all(g >= -1e-9 for g in t.gains.values())


def test_breakdown_leaves_every_party_at_its_batna():
    space = compile_space(load_scenario("ukraine-2023"))
    r = alternating_offers(space, ["hardliner"], rounds=20)
    assert not r.agreement and all(g == 0 for g in r.gains.values())
    assert r.distance_to_nash is None  # no ZOPA, no Nash solution


# --- the interested mediator -------------------------------------------------------------


def _first(space, **kw):
    r = mediate_with_interests(space, rounds=1, **kw)
    step = r.trace[0]
    return step.utilities, float(step.note.split("=")[1])


@pytest.mark.parametrize("sid, favoured", [("camp-david-1978", "israel"),
                                           ("logrolling", "dept-a")])
def test_bias_moves_the_proposal_towards_the_favoured_party_and_lowers_its_chance(sid,
                                                                                 favoured):
    space = compile_space(load_scenario(sid))
    seen = [_first(space, bias={favoured: b}, sigma=0.1) for b in (0, 0.5, 1, 2, 4, 8)]
    u_fav = [u[favoured] for u, _ in seen]
    probs = [p for _, p in seen]
    assert u_fav == sorted(u_fav) and u_fav[-1] > u_fav[0]
    assert probs == sorted(probs, reverse=True)
    # more prestige (a deal matters more) brings the chance back up under the same bias
    p_low = _first(space, bias={favoured: 2}, prestige=0.2, sigma=0.1)[1]
    p_high = _first(space, bias={favoured: 2}, prestige=5, sigma=0.1)[1]
    assert p_high >= p_low


def test_neutral_mediator_lands_on_the_nash_deal_in_camp_david():
    space = compile_space(load_scenario("camp-david-1978"))
    r = mediate_with_interests(space, sigma=0.1)
    assert r.agreement and r.distance_to_nash == 0


# --- tournament --------------------------------------------------------------------------


def test_tournament_counts_and_ranking():
    space = compile_space(load_scenario("logrolling"))
    names = ["boulware", "conceder", "hardliner"]
    t = tournament(space, names, repetitions=2)
    assert len(t.pairings) == 9
    assert all(row["negotiations"] == 2 * 2 * 3 for row in t.ranking)  # 2 seats x 3 x 2 reps
    gains = [row["mean_gain"] for row in t.ranking]
    assert gains == sorted(gains, reverse=True)
    hh = next(p for p in t.pairings if set(p["strategies"].values()) == {"hardliner"})
    assert hh["agreement_rate"] == 0.0


def test_tournament_and_mediate_cli():
    r = CliRunner().invoke(app, ["tournament", "logrolling", "--strategies",
                                 "boulware,linear", "--json"])
    assert r.exit_code == 0
    assert [row["rank"] for row in json.loads(r.stdout)["ranking"]] == [1, 2]
    for args, msg in [(["mediate", "logrolling", "--protocol", "x"], "unknown protocol"),
                      (["mediate", "logrolling", "--protocol", "alternating", "--strategy",
                        "nope"], "unknown strategy 'nope'"),
                      (["tournament", "logrolling", "--strategies", "boulware,zzz"],
                       "unknown strategy 'zzz'"),
                      (["mediate", "logrolling", "--protocol", "mediator", "--bias",
                        "atlantis=1"], "'atlantis' is not a party"),
                      (["mediate", "logrolling", "--start", "nope"], "unknown start 'nope'")]:
        out = CliRunner().invoke(app, args)
        assert out.exit_code == 2 and msg in out.stderr, (args, out.stderr)


def test_a_party_whose_best_deal_is_below_its_batna_walks_away():
    # seed 290: p0's best deal is worth 0.48065 to it, its BATNA 0.48093 (found by hypothesis)
    space = compile_space(random_scenario(2, 4, 4, seed=290))
    r = alternating_offers(space, ["boulware", "boulware"], rounds=40, seed=290)
    assert not r.agreement
    assert r.trace[-1].responses == {"p0": "walk away"}
