"""Repeated games and trust (`accord.games.repeated`, `trust_evolution`, `trust_track2`,
`accord trust`): closed-form thresholds against exact best replies, hand-computed payoffs,
the exact Markov-chain values against an independent seeded simulation, replicator and
Moran closed forms, the Track-II contact model, input files and the command line."""

from __future__ import annotations

import json
import math
import random
import time
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from accord.cli import app
from accord.errors import InputError
from accord.games.repeated import (
    DEFAULT_STRATEGIES,
    MEMORY_ONE,
    STRATEGIES,
    ContactModel,
    Payoffs,
    TrustAnalysis,
    analyze_trust,
    as_fraction,
    best_response,
    contact_needed,
    equilibrium,
    fixation_probability,
    grim_threshold,
    gtft_generosity,
    jacobian_eigenvalues,
    load_trust,
    markov_chain,
    match,
    memory_one,
    moran,
    parse_trust,
    replicator,
    rest_points,
    simulate,
    strategies,
    strategy,
    tft_threshold,
    tournament,
    window_tft,
)

DATA = Path(__file__).parent / "data" / "games" / "trust"
AXELROD = Payoffs(5, 3, 1, 0)


# --- thresholds ---------------------------------------------------------------------------


def test_closed_form_thresholds_for_axelrod_payoffs():
    assert grim_threshold(AXELROD) == 0.5
    assert tft_threshold(AXELROD) == pytest.approx(2 / 3, abs=1e-15)
    assert as_fraction(grim_threshold()) == "1/2"
    assert as_fraction(tft_threshold()) == "2/3"
    # other payoffs: (T-R)/(T-P) and (T-R)/(R-S) by hand
    assert grim_threshold(Payoffs(4, 3, 1, 0)) == pytest.approx(1 / 3)
    assert tft_threshold(Payoffs(4, 3, 1, 0)) == pytest.approx(1 / 3)
    assert tft_threshold(Payoffs(6, 3, 1, 0)) == pytest.approx(1.0)  # (T-R)/(R-S) = 1


@pytest.mark.parametrize("name, threshold", [("tft", Fraction(2, 3)), ("grim", Fraction(1, 2)),
                                             ("grim-m1", Fraction(1, 2)),
                                             ("ctft", Fraction(2, 3))])
def test_thresholds_are_where_the_exact_best_reply_stops_paying(name, threshold):
    w = float(threshold)
    assert equilibrium(name, AXELROD, continuation=w).stable  # "iff w >= ...": weakly at w
    assert equilibrium(name, AXELROD, continuation=w + 1e-6).stable
    below = equilibrium(name, AXELROD, continuation=w - 1e-6)
    assert not below.stable and below.gain > 0


def test_what_breaks_tft_below_its_threshold():
    # between 1/2 and 2/3 always-defect no longer pays but alternating D, C does
    e = equilibrium("tft", continuation=0.6)
    assert not e.stable
    assert "stft" in e.deviations and "alld" not in e.deviations
    w = 0.6
    assert e.best == pytest.approx((5 + w * 0) / (1 - w * w))  # (T + w S) / (1 - w^2)
    assert e.own == pytest.approx(3 / (1 - w))
    e = equilibrium("tft", continuation=0.1)  # short shadow: always-defect is best
    assert "alld" in e.deviations
    assert e.best == pytest.approx(5 + 0.1 * 1 / 0.9)  # T + w P / (1 - w)


@given(st.floats(0.1, 5), st.floats(0.1, 5), st.floats(0.1, 5), st.floats(0.02, 0.98))
@settings(max_examples=60, deadline=None)
def test_tft_and_grim_thresholds_hold_for_any_payoffs(d1, d2, d3, w):
    S = 0.0
    P, R, T = S + d3, S + d3 + d2, S + d3 + d2 + d1
    p = Payoffs(T, R, P, S)
    for name, thr in (("tft", tft_threshold(p)), ("grim", grim_threshold(p))):
        if abs(w - thr) < 1e-4:
            continue
        assert equilibrium(name, p, continuation=w).stable == (w > thr), (name, p, w, thr)


def test_with_noise_tft_and_grim_are_never_equilibria_but_contrite_tft_is():
    for e in (1e-4, 0.01, 0.1):
        for w in np.linspace(0.05, 0.99, 20):
            assert not equilibrium("tft", continuation=w, noise=e).stable
            assert not equilibrium("grim", continuation=w, noise=e).stable
        assert equilibrium("ctft", continuation=0.9, noise=e).stable
        assert not equilibrium("ctft", continuation=0.6, noise=e).stable
    # at noise 1/2 moves are coin flips: every reply earns the same
    assert equilibrium("tft", continuation=0.9, noise=0.5).stable


def test_in_a_finite_game_defecting_in_the_last_round_pays():
    e = equilibrium("tft", turns=10)
    assert not e.stable
    assert e.gain == pytest.approx(2.0)  # T - R, once
    assert equilibrium("alld", turns=10).stable


def test_best_replies_by_hand():
    w = 0.8
    assert best_response("alld", continuation=w)[0] == pytest.approx(1 / (1 - w))  # P/(1-w)
    assert best_response("allc", continuation=w)[0] == pytest.approx(5 / (1 - w))  # T/(1-w)
    assert best_response("allc", turns=7)[0] == pytest.approx(35)


# --- payoffs by hand ----------------------------------------------------------------------


def test_axelrod_sanity_arithmetic_200_turns():
    assert match("tft", "tft").totals == (600.0, 600.0)
    assert match("alld", "tft").totals == (204.0, 199.0)
    assert match("tft", "alld").totals == (199.0, 204.0)


@pytest.mark.parametrize("a, b, totals", [
    ("tft", "stft", (500, 500)),     # CD, DC, CD, ... : 100 x (0 + 5)
    ("wsls", "alld", (100, 600)),    # WSLS: C, D, C, D ... : 100 x S + 100 x P
    ("allc", "alld", (0, 1000)),
    ("grim", "alld", (199, 204)),
    ("tf2t", "alld", (198, 208)),    # TF2T cooperates twice (S, S), then 198 x P
    ("alternator", "allc", (800, 300)),  # C, D, C, D against C: 100 x (R + T), 100 x R
])
def test_hand_computed_totals(a, b, totals):
    assert match(a, b).totals == pytest.approx(totals, abs=1e-9)


def test_gtft_against_alld_by_hand():
    g = gtft_generosity(AXELROD)
    assert g == pytest.approx(1 / 3)
    m = match("gtft", "alld")
    # round 1: S / T; then GTFT cooperates with probability g
    assert m.totals[0] == pytest.approx(199 * (1 - g) * 1, abs=1e-9)  # 398/3
    assert m.totals[1] == pytest.approx(5 + 199 * (g * 5 + (1 - g) * 1), abs=1e-9)  # 1408/3


def test_noise_by_hand():
    e = 0.1
    m = match("alld", "allc", noise=e, turns=1)
    # ALLD's move is D w.p. 1 - e, ALLC's is C w.p. 1 - e
    expect = (1 - e) * ((1 - e) * 5 + e * 1) + e * ((1 - e) * 3 + e * 0)
    assert m.scores[0] == pytest.approx(expect)
    assert match("alld", "allc", noise=e, turns=50).scores[0] == pytest.approx(expect)


def test_continuation_game_by_hand():
    w = 0.9
    m = match("tft", "alld", continuation=w)
    assert m.totals == pytest.approx((w * 1 / (1 - w), 5 + w * 1 / (1 - w)))
    assert m.scores == pytest.approx(((1 - w) * m.totals[0], (1 - w) * m.totals[1]))
    assert match("tft", "tft", continuation=w).totals == pytest.approx((30, 30))


@pytest.mark.parametrize("e", [0.001, 0.05, 0.3])
def test_tft_echo_under_noise_is_uniform_in_the_long_run(e):
    # noise flips TFT's intended moves, a doubly stochastic chain: all outcomes equally
    # frequent, so the long-run payoff is (R + S + T + P) / 4 = 2.25 whatever the noise
    m = match("tft", "tft", noise=e, continuation=1.0)
    assert m.outcomes == pytest.approx((0.25,) * 4)
    assert m.scores == pytest.approx((2.25, 2.25))
    assert m.unique is True and m.totals is None


def test_long_run_without_a_unique_stationary_distribution():
    # TFT vs TFT without noise: CC, DD and the CD/DC cycle are closed classes
    m = match("tft", "tft", continuation=1.0)
    assert m.unique is False and m.scores == (3.0, 3.0)
    m = match("tft", "stft", continuation=1.0)  # the CD/DC cycle: period 2
    assert m.scores == pytest.approx((2.5, 2.5)) and m.unique is False
    m = match("alld", "tft", continuation=1.0)
    assert m.scores == pytest.approx((1.0, 1.0))
    # the long run is the limit of the continuation game as w -> 1
    for a, b in [("gtft", "wsls"), ("grim", "random"), ("joss", "tf2t")]:
        lim = match(a, b, continuation=1.0, noise=0.02).scores
        near = match(a, b, continuation=1 - 1e-7, noise=0.02).scores
        assert lim == pytest.approx(near, abs=1e-5)


def test_markov_chain():
    v1, M = markov_chain("tft", "alld")
    assert v1.tolist() == [0, 1, 0, 0]  # CD
    assert np.allclose(M.sum(axis=1), 1)
    v1, M = markov_chain("wsls", "tft", noise=0.1)
    assert np.allclose(M.sum(axis=1), 1) and v1.sum() == pytest.approx(1)
    # from CD, WSLS (lost) switches to D and TFT copies C: DC w.p. 0.9 * 0.9
    assert M[1, 2] == pytest.approx(0.81)
    with pytest.raises(InputError):
        markov_chain("grim", "tft")


def test_variance_by_hand():
    m = match("tft", "random", turns=1)  # TFT C; Random C or D: payoff 3 or 0
    assert m.sd[0] == pytest.approx(1.5)
    w = 0.8  # ALLD vs ALLD: total = P * L, L geometric: var = w / (1 - w)^2
    m = match("alld", "alld", continuation=w)
    assert m.sd[0] == pytest.approx(math.sqrt(w) / (1 - w))
    assert match("tft", "alld").sd == (0.0, 0.0)


def test_grim_and_memory_one_grim():
    # identical without noise against every strategy, different with noise
    for other in STRATEGIES:
        a = match("grim", other, turns=60)
        b = match("grim-m1", other, turns=60)
        assert a.totals == pytest.approx(b.totals, abs=1e-9), other
    a = match("grim", "tft", turns=60, noise=0.05)
    b = match("grim-m1", "tft", turns=60, noise=0.05)
    assert abs(a.totals[0] - b.totals[0]) > 1


def test_memory_one_chain_and_automaton_chain_agree():
    # TFT written as a window automaton goes through the joint-state chain
    tft_auto = window_tft(1, "tft-automaton")
    assert not tft_auto.memory_one
    for other in ["gtft", "wsls", "random", "joss", "stft"]:
        for kw in (dict(turns=37, noise=0.03), dict(continuation=0.87, noise=0.03),
                   dict(continuation=1.0, noise=0.03), dict(turns=200)):
            a = match("tft", other, **kw)
            b = match(tft_auto, other, **kw)
            assert a.scores == pytest.approx(b.scores, abs=1e-12), (other, kw)
            if a.sd is not None:
                assert a.sd == pytest.approx(b.sd, abs=1e-9)


# --- exact against simulation -------------------------------------------------------------


def _oracle_rule(name):
    """History-based rules, written independently of the automata in accord."""
    def m1(vec, first):
        def rule(own, opp, rng):
            if not own:
                return "C" if rng.random() < first else "D"
            p = vec[{"CC": 0, "CD": 1, "DC": 2, "DD": 3}[own[-1] + opp[-1]]]
            return "C" if rng.random() < p else "D"
        return rule

    def ctft(own, opp, rng):
        me_good, op_good = True, True
        for x, y in zip(own, opp, strict=True):
            me_next = x == "C" or (me_good and not op_good)
            op_next = y == "C" or (op_good and not me_good)
            me_good, op_good = me_next, op_next
        return "D" if me_good and not op_good else "C"

    rules = {
        "tft": m1((1, 0, 1, 0), 1), "gtft": m1((1, 1 / 3, 1, 1 / 3), 1),
        "wsls": m1((1, 0, 0, 1), 1), "random": m1((0.5,) * 4, 0.5),
        "alld": m1((0,) * 4, 0),
        "grim": lambda own, opp, rng: "D" if "D" in opp else "C",
        "tf2t": lambda own, opp, rng: "D" if opp[-2:] == ["D", "D"] else "C",
        "hard-tft": lambda own, opp, rng: "D" if "D" in opp[-3:] else "C",
        "ctft": ctft,
    }
    return rules[name]


def _oracle_play(a, b, runs, seed, noise, turns=None, w=None):
    rng = random.Random(seed)
    ra, rb = _oracle_rule(a), _oracle_rule(b)
    pay = {"CC": (3, 3), "CD": (0, 5), "DC": (5, 0), "DD": (1, 1)}
    flip = {"C": "D", "D": "C"}
    totals = []
    for _ in range(runs):
        ha, hb, tot = [], [], [0, 0]
        t = 0
        while True:
            x, y = ra(ha, hb, rng), rb(hb, ha, rng)
            if rng.random() < noise:
                x = flip[x]
            if rng.random() < noise:
                y = flip[y]
            ha.append(x)
            hb.append(y)
            pa, pb = pay[x + y]
            tot[0] += pa
            tot[1] += pb
            t += 1
            if (turns is not None and t >= turns) or (w is not None and rng.random() >= w):
                break
        totals.append(tot)
    return np.array(totals, dtype=float)


@pytest.mark.parametrize("a, b, kw", [
    ("tft", "gtft", dict(turns=30)),
    ("grim", "wsls", dict(turns=30)),
    ("ctft", "tft", dict(turns=30)),
    ("tf2t", "random", dict(w=0.8)),
    ("hard-tft", "ctft", dict(w=0.85)),
])
def test_exact_matches_an_independent_simulation(a, b, kw):
    runs, noise = 3000, 0.05
    sims = _oracle_play(a, b, runs, seed=7, noise=noise, **kw)
    game = {"turns": kw["turns"]} if "turns" in kw else {"continuation": kw["w"]}
    m = match(a, b, noise=noise, **game)
    se = np.array(m.sd) / math.sqrt(runs)
    z = (sims.mean(axis=0) - np.array(m.totals)) / se
    assert np.all(np.abs(z) < 4), z
    # the exact standard deviation against the sample one
    assert sims.std(axis=0, ddof=1) == pytest.approx(m.sd, rel=0.1)


def test_exact_tournament_matches_vectorised_simulation():
    names = ["tft", "gtft", "wsls", "grim", "ctft", "tf2t", "random", "joss", "alld"]
    for game in (dict(turns=40), dict(continuation=0.9)):
        t = tournament(names, noise=0.03, sd=True, **game)
        zs = []
        for i in range(t.n):
            for j in range(i, t.n):
                s = simulate(names[i], names[j], noise=0.03, runs=4000, seed=100 * i + j,
                             **game)
                rounds = 40 if "turns" in game else 1 / (1 - game["continuation"])
                exact = np.array([t.matrix[i, j], t.matrix[j, i]]) * rounds
                se = np.array([t.sd[i, j], t.sd[j, i]]) / math.sqrt(4000)
                zs.extend(((s.mean() - exact) / np.where(se > 0, se, 1)).tolist())
        assert max(abs(z) for z in zs) < 4.5, max(zs, key=abs)


# --- tournaments --------------------------------------------------------------------------


def test_tournament_matches_individual_matches():
    names = list(DEFAULT_STRATEGIES) + ["joss", "m1:0.9/0.2/0.7/0.1/0.5"]
    t = tournament(names, noise=0.02, turns=123)
    for i, a in enumerate(names):
        for j, b in enumerate(names):
            m = match(a, b, noise=0.02, turns=123, sd=False)
            assert t.matrix[i, j] == pytest.approx(m.scores[0], abs=1e-12)
            assert t.cooperation[i, j] == pytest.approx(m.cooperation[0], abs=1e-12)
    n = t.n
    assert t.scores == pytest.approx(t.matrix.mean(axis=1))
    assert t.scores_vs_others == pytest.approx((t.matrix.sum(1) - np.diag(t.matrix)) / (n - 1))
    d = t.to_dict()
    assert [r["rank"] for r in d["ranking"]] == list(range(1, n + 1))
    json.dumps(d)


def test_tft_never_outscores_an_opponent():
    # Axelrod (1980): TFT won its tournament while beating nobody head to head. It can
    # never score more than its opponent in a match: each of its exploitations follows one
    # of the opponent's; so its wins are always 0.
    for game in (dict(turns=200), dict(turns=200, noise=0.0), dict(continuation=0.95)):
        t = tournament(list(STRATEGIES), **game)
        i = t.names.index("tft")
        assert t.wins[i] == 0
        assert (t.matrix[i] <= t.matrix[:, i] + 1e-12).all()


def test_axelrod_library_memory_one_rules():
    # the 4-vectors of the axelrod library's versions of these strategies
    assert strategy("gtft").vector == pytest.approx((1, 1 / 3, 1, 1 / 3))
    assert strategy("fbf").vector == pytest.approx((1, 0, 1, 2 / 3))
    assert strategy("joss").vector == (0.9, 0, 0.9, 0)
    assert strategy("grofman").vector == pytest.approx((1, 2 / 7, 2 / 7, 1))
    assert strategy("bully").vector == (0, 1, 0, 1) and strategy("bully").first == 0
    assert set(MEMORY_ONE) <= set(STRATEGIES)
    assert all(strategy(n).memory_one for n in MEMORY_ONE)


def test_a_memory_one_round_robin_is_fast():
    names = list(MEMORY_ONE) + [f"m1:{a}/{b}/0.5/0.2" for a, b in
                                [(0.9, 0.1), (0.8, 0.3), (0.7, 0.2), (1, 0.4), (0.6, 0.6),
                                 (0.95, 0), (0.85, 0.15)]]
    assert len(names) == 20
    strats = strategies(names)
    tournament(strats)
    t0 = time.perf_counter()
    for _ in range(10):
        tournament(strats, turns=200)
    # axelrod needs about a second for this; the exact computation about half a millisecond
    assert (time.perf_counter() - t0) / 10 < 0.05


# --- strategies ---------------------------------------------------------------------------


def test_strategy_names():
    assert strategy("Tit-For-Tat").name == "tft"
    assert strategy("pavlov").name == "wsls"
    assert strategy("grudger").name == "grim"
    assert strategy("gtft:0.2").vector == (1, 0.2, 1, 0.2)
    assert strategy("random:0.3").first == 0.3
    s = strategy("m1:1/0.5/1/0.5/0")
    assert s.vector == (1, 0.5, 1, 0.5) and s.first == 0
    with pytest.raises(InputError, match="did you mean"):
        strategy("titfortatt")
    with pytest.raises(InputError, match="probability"):
        strategy("gtft:2")
    with pytest.raises(InputError, match="m1:"):
        strategy("m1:1/2")
    with pytest.raises(InputError, match="only gtft"):
        strategy("tft:0.5")
    with pytest.raises(InputError) as exc:
        strategies(["tft", "nope", "tft", "zzz"])
    assert len(exc.value.problems) == 3
    with pytest.raises(InputError):
        memory_one("bad", (1, 0, 1.5, 0))
    with pytest.raises(InputError):
        Payoffs(3, 5, 1, 0)


def test_game_arguments_are_checked():
    for kw in (dict(turns=0), dict(turns=10, continuation=0.5), dict(continuation=1.2),
               dict(noise=0.6)):
        with pytest.raises(InputError):
            match("tft", "tft", **kw)
    with pytest.raises(InputError):
        best_response("tft", continuation=1.0)
    with pytest.raises(InputError):
        simulate("tft", "tft", continuation=1.0)


# --- evolution ----------------------------------------------------------------------------


def test_replicator_rest_points_of_a_hawk_dove_game():
    # a=0, b=3, c=1, d=2: interior x* = (d - b) / (a - b - c + d) = 1/2, stable
    pts = {tuple(np.round(p.shares, 12)): p for p in rest_points([[0, 3], [1, 2]])}
    assert pts[(0.5, 0.5)].stability == "stable"
    assert pts[(0.5, 0.5)].eigenvalues[0].real == pytest.approx(-0.5)  # x*(1-x*)(a-b-c+d)
    assert pts[(1.0, 0.0)].stability == "unstable"
    assert pts[(0.0, 1.0)].stability == "unstable"
    r = replicator([[0, 3], [1, 2]], start=[0.05, 0.95], time=60)
    assert r.final == pytest.approx([0.5, 0.5], abs=1e-6)


def test_replicator_tft_against_alld_is_a_coordination_game():
    t = tournament(["tft", "alld"])  # per round: 3, 199/200, 204/200, 1
    assert t.matrix == pytest.approx(np.array([[3, 0.995], [1.02, 1]]))
    pts = rest_points(t.matrix, t.names)
    interior = [p for p in pts if len(p.support) == 2]
    assert len(interior) == 1
    assert interior[0].shares[0] == pytest.approx(1 / 397)  # (1 - .995)/(3 - .995 - 1.02 + 1)
    assert interior[0].stability == "unstable"
    assert {p.support for p in pts if p.stability == "stable"} == {("tft",), ("alld",)}
    assert replicator(t.matrix, start=[0.003, 0.997], time=400).final[0] > 0.99
    assert replicator(t.matrix, start=[0.002, 0.998], time=400).final[0] < 0.01


def test_rock_paper_scissors_centre_is_neutral():
    A = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]
    centre = [p for p in rest_points(A) if len(p.support) == 3][0]
    assert centre.shares == pytest.approx([1 / 3] * 3)
    assert centre.stability == "neutral"
    ev = jacobian_eigenvalues(A, [1 / 3] * 3)
    assert np.allclose(ev.real, 0) and np.allclose(sorted(np.abs(ev.imag)), [1 / math.sqrt(3)] * 2)


@pytest.mark.parametrize("N", [2, 5, 10, 100])
def test_moran_neutral_mutant_fixes_with_probability_one_over_n(N):
    assert fixation_probability(2, 2, 2, 2, N, intensity=0.7) == pytest.approx(1 / N)
    assert fixation_probability(2, 2, 2, 2, N, fitness="exponential") == pytest.approx(1 / N)


@pytest.mark.parametrize("r, N", [(2, 10), (1.1, 50), (0.8, 20), (1.5, 1000)])
def test_moran_constant_fitness_closed_form(r, N):
    # fitness = payoff (intensity 1): mutants r, residents 1
    expect = (1 - 1 / r) / (1 - 1 / r**N)
    assert fixation_probability(r, r, 1, 1, N, intensity=1.0) == pytest.approx(expect,
                                                                              rel=1e-12)


def _moran_simulation(a, b, c, d, N, s, runs, seed):
    rng = random.Random(seed)
    fixed = 0
    for _ in range(runs):
        i = 1
        while 0 < i < N:
            f = 1 - s + s * (a * (i - 1) + b * (N - i)) / (N - 1)
            g = 1 - s + s * (c * i + d * (N - i - 1)) / (N - 1)
            born_mutant = rng.random() < i * f / (i * f + (N - i) * g)
            dies_mutant = rng.random() < i / N
            i += int(born_mutant) - int(dies_mutant)
        fixed += i == N
    return fixed / runs


def test_moran_frequency_dependent_against_simulation():
    t = tournament(["tft", "alld"], turns=10)
    A = t.matrix
    N, s, runs = 8, 0.5, 20000
    # one TFT mutant among ALLD
    rho = fixation_probability(A[0, 0], A[0, 1], A[1, 0], A[1, 1], N, s)
    sim = _moran_simulation(A[0, 0], A[0, 1], A[1, 0], A[1, 1], N, s, runs, seed=3)
    assert abs(sim - rho) < 4 * math.sqrt(rho * (1 - rho) / runs)
    m = moran(A, t.names, population=N, intensity=s)
    assert m.fixation[1, 0] == pytest.approx(rho)
    assert np.diag(m.fixation) == pytest.approx([1 / N] * 2)
    assert m.stationary.sum() == pytest.approx(1)
    # two-state rare-mutation chain: pi_tft / pi_alld = rho(alld->tft) / rho(tft->alld)
    assert m.stationary[0] / m.stationary[1] == pytest.approx(m.fixation[1, 0] /
                                                              m.fixation[0, 1])


def test_moran_rejects_non_positive_fitness():
    with pytest.raises(InputError):
        fixation_probability(0, 0, 5, 5, 10, intensity=1.0)
    with pytest.raises(InputError):
        fixation_probability(1, 1, 1, 1, 1)


# --- Track II -----------------------------------------------------------------------------


def test_track2_without_noise_is_the_closed_form():
    model = ContactModel(w0=0.3, w_max=0.9, w_rate=0.2, noise0=0.0)
    r = contact_needed(AXELROD, ["grim", "tft", "ctft"], model, max_contact=40)
    for name, thr in (("grim", 0.5), ("tft", 2 / 3), ("ctft", 2 / 3)):
        closed = -math.log((0.9 - thr) / (0.9 - 0.3)) / 0.2
        assert r.closed_form[name] == pytest.approx(closed)
        assert r.needed[name] == pytest.approx(closed, abs=1e-6)
        assert r.holds[name]
    assert model.continuation(r.closed_form["tft"]) == pytest.approx(2 / 3)


def test_track2_with_noise():
    r = contact_needed(AXELROD, ["grim", "tft", "ctft"])  # the default model
    assert r.needed["grim"] is None and r.needed["tft"] is None  # echoes never stop paying
    c = r.needed["ctft"]
    assert c is not None and c > r.closed_form["ctft"]  # noise makes it need more contact
    m = r.model
    assert equilibrium("ctft", continuation=m.continuation(c + 1e-6),
                       noise=m.noise(c + 1e-6)).stable
    assert not equilibrium("ctft", continuation=m.continuation(c - 1e-3),
                           noise=m.noise(c - 1e-3)).stable
    json.dumps(r.to_dict())


def test_contact_model_is_checked():
    with pytest.raises(InputError):
        ContactModel(w0=0.9, w_max=0.5)
    with pytest.raises(InputError):
        ContactModel(noise0=0.7)
    assert ContactModel(w0=0.5).contact_for(0.4) == 0.0
    assert ContactModel(w_max=0.6).contact_for(2 / 3) is None


# --- files and the command line -----------------------------------------------------------


def test_trust_file():
    spec = load_trust(str(DATA / "border.yaml"))
    assert spec.continuation == 0.9 and spec.noise == 0.02 and spec.population == 30
    names = [s.name for s in spec.strategies()]
    assert names == ["tft", "grim", "ctft", "gtft", "alld", "wary"]
    assert spec.custom["wary"].vector == (1, 0, 0.5, 0.1)
    assert spec.track2 is not None and spec.track2_strategies == ("grim", "tft", "ctft")


def test_trust_in_a_scenario():
    spec = load_trust(str(DATA / "scenario.yaml"))
    assert spec.payoffs == Payoffs(4, 3, 1, 0) and spec.turns == 50
    assert spec.title.startswith("Water-sharing")
    with pytest.raises(InputError, match="no trust section"):
        load_trust(str(DATA / "no_trust_scenario.yaml"))


def test_bad_trust_file_reports_every_problem():
    with pytest.raises(InputError) as exc:
        load_trust(str(DATA / "bad.yaml"))
    paths = {p.path for p in exc.value.problems}
    assert {"evolutoin", "payoffs.S", "strategies[1]", "strategies[2].vector",
            "strategies[3].first", "turns", "continuation", "noise", "track2"} <= paths
    assert all(p.file.endswith("bad.yaml") for p in exc.value.problems)
    with pytest.raises(InputError, match="T > R > P > S"):
        parse_trust({"payoffs": {"T": 1, "R": 3, "P": 2, "S": 0}})
    with pytest.raises(InputError, match="listed twice"):
        parse_trust({"strategies": ["tft", "tft"]})


def _run(*args):
    return CliRunner().invoke(app, list(args))


def test_cli_default_run():
    r = _run("trust")
    assert r.exit_code == 0, r.stderr
    assert "1/2" in r.stdout and "2/3" in r.stdout and "tft" in r.stdout


def test_cli_json():
    r = _run("trust", "--strategies", "tft,alld,grim,ctft", "--json")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    m = d["tournament"]["matrix"]
    assert m["tft"]["alld"] == pytest.approx(199 / 200) and m["alld"]["tft"] == 1.02
    assert d["thresholds"]["grim"]["fraction"] == "1/2"
    assert d["thresholds"]["tft"]["fraction"] == "2/3"
    assert d["game"] == {"turns": 200, "continuation": None, "noise": 0.0, "self_play": True}
    assert d["track2"] is None
    assert sum(d["evolution"]["moran"]["stationary"].values()) == pytest.approx(1)


def test_analyze_trust_is_what_the_command_prints():
    """`accord trust --json` prints `analyze_trust(spec).to_dict()`: the analysis lives in the
    library, the command only reads options and renders."""
    spec = load_trust(str(DATA / "border.yaml"))
    result = analyze_trust(spec)
    assert isinstance(result, TrustAnalysis) and result.track2 is not None
    r = _run("trust", str(DATA / "border.yaml"), "--json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout) == json.loads(json.dumps(result.to_dict()))
    assert [t.name for t in result.thresholds] == ["grim", "tft"]
    assert result.to_dict()["thresholds"]["tft"]["fraction"] == "2/3"


def test_trust_numbers_follow_the_one_rule_of_exact_numbers():
    """The trust file, strategy names and --payoffs read numbers as `exact_number` does:
    text such as "0.9" or "1/2" is a number, nan and booleans are not."""
    spec = parse_trust({"continuation": "9/10", "noise": "0.01",
                        "strategies": ["tft", {"name": "half", "vector": ["1/2", 0, 1, 0]}]})
    assert spec.continuation == 0.9 and spec.noise == 0.01
    assert spec.custom["half"].vector == (0.5, 0.0, 1.0, 0.0)
    assert strategy("m1:1/0/1/0").vector == strategy("tft").vector
    with pytest.raises(InputError, match="continuation"):
        parse_trust({"continuation": float("nan")})
    with pytest.raises(InputError, match="self_play"):
        parse_trust({"self_play": "yes"})
    r = _run("trust", "--payoffs", "5,3,1,nan")
    assert r.exit_code == 2 and "--payoffs" in r.stderr and "T,R,P,S" in r.stderr


def test_cli_continuation_noise_and_track2():
    r = _run("trust", "--strategies", "tft,ctft,alld", "--continuation", "0.9", "--noise",
             "0.02", "--track2", "--json")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    eq = d["tournament"]["equilibrium"]
    assert eq["ctft"]["stable"] and not eq["tft"]["stable"] and eq["alld"]["stable"]
    assert eq["tft"]["reply"] == "allc"
    assert d["thresholds"]["tft"]["met"] is True
    needed = {row["strategy"]: row["contact"] for row in d["track2"]["needed"]}
    assert needed["tft"] is None and needed["ctft"] > 4
    r = _run("trust", "--strategies", "tft,ctft,alld", "-w", "0.9", "--noise", "0.02",
             "--track2")
    assert r.exit_code == 0 and "Track II" in r.stdout


def test_cli_files_and_options_override():
    r = _run("trust", str(DATA / "border.yaml"), "--noise", "0", "--json")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["game"]["noise"] == 0 and d["game"]["continuation"] == 0.9
    assert d["title"] == "Border commissions, illustrative"
    assert [x["strategy"] for x in d["track2"]["needed"]] == ["grim", "tft", "ctft"]
    r = _run("trust", str(DATA / "border.yaml"), "--strategies", "wary,tft", "--turns",
             "10", "--json")
    d = json.loads(r.stdout)
    assert d["game"]["turns"] == 10 and d["game"]["continuation"] is None
    assert {x["strategy"] for x in d["tournament"]["ranking"]} == {"wary", "tft"}
    r = _run("trust", str(DATA / "scenario.yaml"), "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["payoffs"]["T"] == 4
    r = _run("trust", "-w", "1", "--strategies", "tft,stft", "--json")
    d = json.loads(r.stdout)
    assert d["tournament"]["matrix"]["tft"]["stft"] == pytest.approx(2.5)
    assert any("first rounds" in n for n in d["notes"])


def test_cli_list():
    r = _run("trust", "--list", "--json")
    assert r.exit_code == 0
    assert [x["name"] for x in json.loads(r.stdout)] == list(STRATEGIES)
    assert _run("trust", "--list").exit_code == 0


@pytest.mark.parametrize("args, message", [
    (["--strategies", "tft,foo"], "unknown strategy 'foo'"),
    (["--turns", "10", "--continuation", "0.5"], "not both"),
    (["--continuation", "1.5"], "[0, 1]"),
    (["--noise", "0.9"], "[0, 0.5]"),
    (["--payoffs", "1,2,3,4"], "T > R > P > S"),
    (["--payoffs", "5,3"], "T,R,P,S"),
    (["--strategies", ","], "comma-separated"),
    ([str(DATA / "bad.yaml")], "evolutoin"),
    ([str(DATA / "no_trust_scenario.yaml")], "no trust section"),
    (["no-such-file.yaml"], "no such file"),
])
def test_cli_bad_input_exits_2(args, message):
    r = _run("trust", *args)
    assert r.exit_code == 2
    assert message in r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""


def test_tournament_polls_its_budget():
    from accord.budget import Budget, BudgetExceeded

    with pytest.raises(BudgetExceeded, match="strategy pairs"):
        tournament(["tft", "tf2t", "grim"], budget=Budget(1.0, started=time.perf_counter() - 3600))
