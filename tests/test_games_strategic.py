"""Strategic-form games: the classics' textbook equilibria, random games against pygambit
(a GPL test oracle, never imported from src/), brute force for pure equilibria, Pareto and
win-win outcomes, dominance, the YAML and .nfg readers, and `accord game` end to end."""

from __future__ import annotations

import itertools
import json
import math
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from accord.cli import app
from accord.errors import InputError
from accord.games import classics
from accord.games.nfg import parse_nfg, read_nfg, to_nfg
from accord.games.strategic import (
    StrategicGame,
    analyze_game,
    dominated_actions,
    expected_payoffs,
    game_from_data,
    load_game,
    nash_equilibria,
    pareto_outcomes,
    pure_equilibria,
    verify,
    win_win_outcomes,
)

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data" / "games" / "strategic"
runner = CliRunner()


@pytest.fixture(scope="module")
def gbt():
    return pytest.importorskip("pygambit")


def catalog(gbt, name: str) -> Path:
    path = Path(gbt.__file__).parent / "catalog_data" / "journals" / name
    if not path.exists():
        pytest.skip(f"pygambit catalog file {name} not installed")
    return path


def key(strategies) -> tuple:
    """An equilibrium as a hashable, rounded probability vector."""
    return tuple(round(float(p), 6) + 0.0 for s in strategies for p in s)


def keys(result) -> set:
    return {key(e.strategies) for e in result}


def gambit_game(gbt, game: StrategicGame):
    return gbt.Game.from_arrays(*[game.exact_payoffs[..., i].tolist()
                                  for i in range(game.n_players)])


def gambit_keys(g, result) -> set:
    return {tuple(round(float(eq[s]), 6) + 0.0 for p in g.players for s in p.strategies)
            for eq in result.equilibria}


def random_game(rng, shape, hi) -> StrategicGame:
    arrays = [rng.integers(0, hi, shape).tolist() for _ in shape]
    return StrategicGame.from_matrices(*arrays)


def assert_all_verified(game, result, tol=1e-8):
    for e in result:
        check = verify(game, e.strategies, tol)
        assert check.ok, check.problems
        assert e.regret <= tol * game.scale
        for s in e.strategies:
            assert min(s) >= 0 and sum(s) == pytest.approx(1, abs=1e-12)
        assert np.allclose(expected_payoffs(game, e.strategies), e.payoffs)


# ---------------------------------------------------------------------------------------
# The classics


@pytest.mark.parametrize("game_id", [k for k, c in classics.CLASSICS.items()
                                     if len(c.players) == 2])
def test_classic_two_player_equilibria_are_the_textbook_ones(game_id):
    c = classics.CLASSICS[game_id]
    result = nash_equilibria(c.game())
    assert result.method == "vertex" and result.complete
    assert keys(result) == {key(e) for e in c.equilibria}
    # every textbook equilibrium is exact in rationals, and Accord finds it exactly
    assert {e.exact for e in result} == {tuple(tuple(s) for s in e) for e in c.equilibria}
    assert_all_verified(c.game(), result)


def test_prisoners_dilemma_unique_defection_and_the_win_win_over_it():
    g = classics.classic("prisoners-dilemma")
    r = analyze_game(g)
    assert [e.pure for e in r.equilibria] == [(1, 1)]
    assert r.equilibria[0].payoffs == (1.0, 1.0)
    assert {(d.player, d.action, d.kind, d.by) for d in r.dominance.dominated} == {
        (0, 0, "strict", ((1, 1.0),)), (1, 0, "strict", ((1, 1.0),))}
    assert r.dominance.strict_survivors == ((1,), (1,))
    assert [o.profile for o in r.pareto] == [(0, 0), (0, 1), (1, 0)]
    (ww,) = r.win_win
    assert ww.equilibrium == 0
    assert [(o.profile, o.gains, o.pareto_efficient) for o in ww.outcomes] == [
        ((0, 0), (2.0, 2.0), True)]


def test_chicken_two_pure_one_mixed_and_the_win_win_over_the_mixed_one():
    g = classics.classic("chicken")
    r = nash_equilibria(g)
    assert [e.pure for e in r] == [(0, 1), (1, 0), None]
    mixed = r[2]
    assert mixed.exact == ((Fraction(1, 2), Fraction(1, 2)), (Fraction(1, 2), Fraction(1, 2)))
    assert mixed.payoffs == (2.5, 2.5)
    ww = win_win_outcomes(g, r)
    assert [len(w.outcomes) for w in ww] == [0, 0, 1]   # the pure ones are efficient
    assert ww[2].outcomes[0].profile == (0, 0) and ww[2].outcomes[0].gains == (0.5, 0.5)


def test_stag_hunt_two_pure_one_mixed_and_safe_versus_efficient():
    g = classics.classic("stag-hunt")
    r = nash_equilibria(g)
    assert [e.pure for e in r] == [(0, 0), (1, 1), None]
    assert r[2].exact == ((Fraction(1, 2), Fraction(1, 2)),) * 2
    ww = win_win_outcomes(g, r)
    assert [[o.profile for o in w.outcomes] for w in ww] == [[], [(0, 0)], [(0, 0)]]
    assert dominated_actions(g).dominated == ()


def test_deadlock_has_nothing_to_mediate():
    g = classics.classic("deadlock")
    r = analyze_game(g)
    assert [e.pure for e in r.equilibria] == [(1, 1)]
    assert (1, 1) in {o.profile for o in r.pareto}
    assert r.win_win[0].outcomes == ()


def test_security_dilemma_is_a_prisoners_dilemma():
    g = classics.classic("security-dilemma")
    r = analyze_game(g)
    assert [e.pure for e in r.equilibria] == [(1, 1)]                 # both arm
    assert [o.profile for o in r.win_win[0].outcomes] == [(0, 0)]    # mutual restraint


def test_escalation_is_degenerate_with_components_of_equilibria():
    g = classics.classic("escalation")
    r = nash_equilibria(g)
    assert r.degenerate is True
    assert [e.pure for e in r] == [(0, 2), (2, 0), (2, 2)]
    # row mixes concede/hold-2 against hold-2, and vice versa
    assert r.components == ((0, 2), (1, 2))
    for comp in r.components:
        mid = [np.mean([r[k].strategies[i] for k in comp], axis=0) for i in range(2)]
        assert verify(g, mid).ok
    d = dominated_actions(g)
    assert {(x.player, x.action, x.kind) for x in d.dominated} == {
        (0, 0, "weak"), (0, 1, "weak"), (1, 0, "weak"), (1, 1, "weak")}
    assert d.strict_rounds == () and d.weak_survivors == ((2,), (2,))
    ww = win_win_outcomes(g, r)[2]
    assert ww.outcomes[0].profile == (0, 0) and ww.outcomes[0].gains == (2.0, 2.0)


def test_volunteers_dilemma_pure_equilibria_and_symmetric_mixed(gbt):
    c = classics.CLASSICS["volunteers-dilemma"]
    g = c.game()
    known = {key(e) for e in c.equilibria}
    assert len(known) == 7
    # pygambit's polynomial solver finds exactly the textbook list
    gg = gambit_game(gbt, g)
    assert gambit_keys(gg, gbt.nash.enumpoly_solve(gg)) == known
    r = nash_equilibria(g, starts=10)
    assert r.method == "mclennan-tourky" and not r.complete
    found = keys(r)
    assert found <= known
    assert {key(e) for e in c.equilibria[:3]} <= found          # every pure equilibrium
    q = 1 / math.sqrt(2)
    assert key(((1 - q, q),) * 3) in found                       # Diekmann's symmetric one
    assert_all_verified(g, r)


def test_classic_ids_and_sources():
    assert set(classics.CLASSICS) >= {"prisoners-dilemma", "chicken", "stag-hunt", "deadlock",
                                      "security-dilemma", "escalation"}
    for c in classics.list_classics():
        assert c.source and c.description
        g = c.game()
        assert g.title == c.title and g.source == c.source


# ---------------------------------------------------------------------------------------
# Two players: all equilibria against pygambit's enummixed


SMALL = [(1, 1), (1, 3), (3, 1), (2, 2), (2, 3), (2, 5), (3, 3), (4, 2), (3, 5), (4, 4),
         (5, 5), (6, 4), (6, 6)]


@pytest.mark.parametrize("hi", [2, 3, 10, 1000], ids=lambda h: f"payoffs0-{h - 1}")
@pytest.mark.parametrize("shape", SMALL, ids=lambda s: f"{s[0]}x{s[1]}")
def test_all_extreme_equilibria_match_gambit_enummixed(gbt, shape, hi):
    """Small payoff ranges make most of these games degenerate (ties, payoff-equivalent
    actions, continua of equilibria); the extreme equilibria still match exactly."""
    rng = np.random.default_rng(1000 * shape[0] + 10 * shape[1] + hi)
    for _ in range(3):
        g = random_game(rng, shape, hi)
        r = nash_equilibria(g)
        assert r.method == "vertex" and r.complete and r.rejected == 0
        gg = gambit_game(gbt, g)
        expected = gbt.nash.enummixed_solve(gg, rational=True)
        assert keys(r) == gambit_keys(gg, expected)
        # exact agreement where Accord could rationalise the equilibrium
        exact = {tuple(Fraction(x) for s in eq for x in s) for eq in
                 ([[[eq[s] for s in p.strategies] for p in gg.players]
                   for eq in expected.equilibria])}
        for e in r:
            if e.exact is not None:
                assert tuple(x for s in e.exact for x in s) in exact
        assert_all_verified(g, r)


@pytest.mark.parametrize("n", [8, 10])
def test_larger_random_games_match_gambit(gbt, n):
    rng = np.random.default_rng(n)
    g = StrategicGame.from_matrices(rng.random((n, n)), rng.random((n, n)))
    r = nash_equilibria(g)
    assert r.method == "vertex" and r.degenerate is False
    gg = gambit_game(gbt, g)
    assert keys(r) == gambit_keys(gg, gbt.nash.enummixed_solve(gg, rational=False))
    assert_all_verified(g, r)


def test_degenerate_game_with_a_continuum_matches_gambit_and_lists_cliques(gbt):
    # Column's two actions pay Column the same: a continuum of equilibria.
    g = StrategicGame.from_matrices([[3, 0], [0, 2], [1, 1]], [[1, 1], [1, 1], [1, 1]])
    r = nash_equilibria(g)
    gg = gambit_game(gbt, g)
    assert keys(r) == gambit_keys(gg, gbt.nash.enummixed_solve(gg))
    assert r.degenerate and r.components
    for comp in r.components:
        for w in (0.25, 0.5, 0.75):
            # mix the first and last extreme equilibria of the clique, player by player
            a, b = r[comp[0]].strategies, r[comp[-1]].strategies
            mix = [w * np.asarray(a[i]) + (1 - w) * np.asarray(b[i]) for i in range(2)]
            assert verify(g, mix).ok


def test_quantecon_methods_agree_on_nondegenerate_games():
    rng = np.random.default_rng(7)
    for m, n in [(3, 3), (4, 5), (6, 6)]:
        g = StrategicGame.from_matrices(rng.random((m, n)), rng.random((m, n)))
        ours = keys(nash_equilibria(g, "vertex"))
        assert keys(nash_equilibria(g, "qe-vertex")) == ours
        assert keys(nash_equilibria(g, "support")) == ours


def test_lemke_howson_on_large_games_is_verified_by_gambit(gbt):
    rng = np.random.default_rng(3)
    for n in (20, 40):
        g = StrategicGame.from_matrices(rng.random((n, n)), rng.random((n, n)))
        r = nash_equilibria(g)
        assert r.method == "lemke-howson" and not r.complete and len(r) >= 1
        gg = gambit_game(gbt, g)
        for e in r:
            prof = gg.mixed_strategy_profile(data=[list(s) for s in e.strategies])
            assert float(prof.max_regret()) < 1e-9
        # and Accord's verify accepts what Gambit's LCP solver finds
        for eq in gbt.nash.lcp_solve(gg, rational=False, stop_after=3).equilibria:
            s = [[float(eq[x]) for x in p.strategies] for p in gg.players]
            assert verify(g, s, 1e-7).ok


def test_shapley_game_has_equilibria_lemke_howson_cannot_reach(gbt):
    g = read_nfg(catalog(gbt, "other/shapley1974/fig3.nfg"))
    gg = gbt.read_nfg(str(catalog(gbt, "other/shapley1974/fig3.nfg")))
    every = nash_equilibria(g)
    assert keys(every) == gambit_keys(gg, gbt.nash.enummixed_solve(gg))
    assert len(every) == 3
    lh = nash_equilibria(g, "lemke-howson")
    assert len(lh) < len(every) and keys(lh) <= keys(every)


def test_unconverged_or_bad_candidates_are_dropped_not_shown():
    from accord.games import strategic as S

    g = classics.classic("chicken")
    bogus = [[np.array([0.9, 0.1]), np.array([0.9, 0.1])],       # not an equilibrium
             [np.array([0.5, 0.6]), np.array([0.5, 0.5])],       # not a probability vector
             [np.array([0.0, 1.0]), np.array([1.0, 0.0])]]
    eqs, rejected, kept = S._finish(g, bogus, 1e-8)
    assert rejected == 2 and kept == [2] and eqs[0].pure == (1, 0)


# ---------------------------------------------------------------------------------------
# n players: pure equilibria against brute force and pygambit; McLennan-Tourky


def brute_pure(game: StrategicGame) -> list[tuple[int, ...]]:
    out = []
    for prof in itertools.product(*(range(k) for k in game.shape)):
        ok = True
        for i in range(game.n_players):
            mine = game.exact_payoffs[prof][i]
            for a in range(game.shape[i]):
                dev = list(prof)
                dev[i] = a
                if game.exact_payoffs[tuple(dev)][i] > mine:
                    ok = False
        if ok:
            out.append(prof)
    return out


@pytest.mark.parametrize("shape", [(2, 2, 2), (2, 3, 2), (3, 3, 3), (2, 2, 2, 2), (3, 2, 2, 3),
                                   (2, 2, 2, 2, 2)])
@pytest.mark.parametrize("hi", [2, 4, 100])
def test_pure_equilibria_match_brute_force_and_gambit(gbt, shape, hi):
    rng = np.random.default_rng(sum(shape) * hi)
    for _ in range(3):
        g = random_game(rng, shape, hi)
        ours = pure_equilibria(g)
        assert ours == brute_pure(g)
        gg = gambit_game(gbt, g)
        theirs = {tuple(int(np.argmax([float(eq[s]) for s in p.strategies]))
                        for p in gg.players) for eq in gbt.nash.enumpure_solve(gg).equilibria}
        assert set(ours) == theirs
        r = nash_equilibria(g, "pure")
        assert r.complete and [e.pure for e in r] == ours


def test_three_player_irrational_equilibrium_matches_gambit_enumpoly(gbt):
    """Nau et al. (2004), section 4: a unique equilibrium in irrational mixed strategies."""
    path = catalog(gbt, "ijgt/nau2004/sec4.nfg")
    g = read_nfg(path)
    r = nash_equilibria(g)
    gg = gbt.read_nfg(str(path))
    (eq,) = gbt.nash.enumpoly_solve(gg).equilibria
    expected = [[float(eq[s]) for s in p.strategies] for p in gg.players]
    assert len(r) == 1
    for mine, theirs in zip(r[0].strategies, expected, strict=True):
        assert mine == pytest.approx(theirs, abs=1e-9)
    assert r[0].regret < 1e-12 and r[0].exact is None
    assert_all_verified(g, r)


def test_mclennan_tourky_is_seeded_and_reproducible():
    g = StrategicGame.from_matrices(*[np.random.default_rng(5).random((3, 3, 3))
                                      for _ in range(3)])
    a = nash_equilibria(g, seed=11, starts=5)
    b = nash_equilibria(g, seed=11, starts=5)
    assert keys(a) == keys(b) and a.parameters["seed"] == 11
    assert_all_verified(g, a)


def test_two_player_methods_refuse_n_player_games():
    g = classics.classic("volunteers-dilemma")
    with pytest.raises(InputError, match="for 2-player games"):
        nash_equilibria(g, "vertex")
    with pytest.raises(InputError, match="unknown method"):
        nash_equilibria(g, "nashpy")


# ---------------------------------------------------------------------------------------
# verify


def test_verify_accepts_equilibria_in_any_form_and_reports_regret():
    g = classics.classic("chicken")
    assert verify(g, ["swerve", "straight"]).ok
    assert verify(g, [0, 1]).ok
    assert verify(g, {"Row": {"swerve": 0.5, "straight": 0.5},
                      "Column": [0.5, 0.5]}).ok
    v = verify(g, ["swerve", "swerve"])
    assert not v.ok and v.max_regret == pytest.approx(1.0)
    assert "gains 1 by deviating" in v.problems[0]
    v = verify(g, [[0.7, 0.7], [0.5, 0.5]])
    assert not v.ok and "sum to 1.4" in v.problems[0]
    v = verify(g, [[1.5, -0.5], [0.5, 0.5]])
    assert not v.ok and "negative probability" in v.problems[0]
    # tolerance is relative to the largest absolute payoff
    big = StrategicGame.from_matrices([[1e6, 0], [0, 1e6]], [[1e6, 0], [0, 1e6]])
    assert verify(big, [[1, 0], [1 - 1e-12, 1e-12]]).ok


# ---------------------------------------------------------------------------------------
# Dominance


def strictly_dominated_lp(u: np.ndarray, a: int) -> bool:
    """Independent oracle: is row a strictly dominated by a mix of the other rows?"""
    from scipy.optimize import linprog

    others = [k for k in range(u.shape[0]) if k != a]
    if not others:
        return False
    diff = u[others] - u[a]
    k = len(others)
    # max t s.t. diff^T s >= t, s in simplex
    c = np.zeros(k + 1)
    c[-1] = -1
    res = linprog(c, A_ub=np.hstack([-diff.T, np.ones((diff.shape[1], 1))]),
                  b_ub=np.zeros(diff.shape[1]), A_eq=[[1] * k + [0]], b_eq=[1],
                  bounds=[(0, None)] * k + [(None, None)], method="highs")
    return res.status == 0 and -res.fun > 1e-9


def test_strict_dominance_by_a_mixture_only():
    # bottom is beaten by the 50/50 mix of top and middle, by neither alone
    g = StrategicGame.from_matrices([[3, 0], [0, 3], [1, 1]], [[0, 0], [0, 0], [0, 0]])
    d = dominated_actions(g)
    (x,) = d.dominated
    assert (x.player, x.action, x.kind) == (0, 2, "strict")
    assert dict(x.by) == pytest.approx({0: 0.5, 1: 0.5}, abs=0.2)  # any mix in [1/3, 2/3]
    w = dict(x.by)
    assert 3 * w[0] > 1 and 3 * w[1] > 1


def test_weak_dominance_by_a_mixture_only():
    # bottom ties the mix on the left column and loses on the right one
    g = StrategicGame.from_matrices([[2, 2, 0], [0, 2, 2], [1, 2, 0.5]],
                                    np.zeros((3, 3)))
    d = dominated_actions(g)
    (x,) = d.dominated
    assert (x.player, x.action, x.kind) == (0, 2, "weak") and len(x.by) == 2


def test_iterated_strict_elimination_takes_several_rounds():
    # textbook example: Column's right is dominated; then Row's down; then Column's middle
    A = [[1, 1, 0], [0, 0, 2]]
    B = [[0, 2, 1], [3, 1, 0]]
    g = StrategicGame.from_matrices(A, B, actions=[["up", "down"], ["left", "middle", "right"]])
    d = dominated_actions(g)
    assert [[(x.player, x.action) for x in r] for r in d.strict_rounds] == [
        [(1, 2)], [(0, 1)], [(1, 0)]]
    assert d.strict_survivors == ((0,), (1,))
    assert [e.pure for e in nash_equilibria(g)] == [(0, 1)]


@pytest.mark.parametrize("seed", range(6))
def test_dominance_against_gambit_and_an_lp_oracle(gbt, seed):
    rng = np.random.default_rng(seed)
    g = random_game(rng, (4, 3), 4 if seed % 2 else 50)
    d = dominated_actions(g)
    strict = {(x.player, x.action) for x in d.dominated if x.kind == "strict"}
    weak = {(x.player, x.action) for x in d.dominated if x.kind == "weak"}
    for i in range(2):
        u = np.moveaxis(g.payoffs[..., i], i, 0).reshape(g.shape[i], -1)
        for a in range(g.shape[i]):
            assert ((i, a) in strict) == strictly_dominated_lp(u, a)
    gg = gambit_game(gbt, g)

    def eliminated(is_strict):
        kept = gbt.supports.undominated_strategies_solve(gg, strict=is_strict)
        kept = {(s.player.label, s.label) for s in kept}
        return {(pi, si) for pi, p in enumerate(gg.players)
                for si, s in enumerate(p.strategies) if (p.label, s.label) not in kept}

    # Gambit eliminates by pure dominators only: a subset of Accord's
    assert eliminated(True) <= strict
    assert eliminated(False) <= strict | weak
    for x in d.dominated:
        if len(x.by) == 1:
            assert (x.player, x.action) in eliminated(x.kind == "strict")


# ---------------------------------------------------------------------------------------
# Pareto and win-win outcomes against brute force


def brute_pareto(game):
    P = game.payoffs.reshape(-1, game.n_players)
    out = []
    for k, p in enumerate(P):
        if not any((q >= p).all() and (q > p).any() for q in P):
            out.append(tuple(int(x) for x in np.unravel_index(k, game.shape)))
    return out


@pytest.mark.parametrize("shape", [(2, 2), (5, 7), (3, 3, 3), (2, 2, 2, 2), (40, 40)])
@pytest.mark.parametrize("hi", [3, 1000])
def test_pareto_outcomes_match_brute_force(shape, hi):
    g = random_game(np.random.default_rng(len(shape) * hi + shape[0]), shape, hi)
    assert [o.profile for o in pareto_outcomes(g)] == brute_pareto(g)


@pytest.mark.parametrize("seed", range(5))
def test_win_win_outcomes_match_brute_force(seed):
    g = random_game(np.random.default_rng(seed), (4, 4), 5)
    r = nash_equilibria(g)
    ww = win_win_outcomes(g, r)
    assert [w.equilibrium for w in ww] == list(range(len(r)))
    efficient = set(brute_pareto(g))
    for w, e in zip(ww, r, strict=True):
        v = np.array(e.payoffs)
        expected = {prof for prof in itertools.product(range(4), range(4))
                    if (g.payoffs[prof] >= v - 1e-9).all() and (g.payoffs[prof] > v + 1e-9).any()}
        assert {o.profile for o in w.outcomes} == expected
        for o in w.outcomes:
            assert o.pareto_efficient == (o.profile in efficient)
            assert min(o.gains) >= -1e-9 and max(o.gains) > 0


# ---------------------------------------------------------------------------------------
# The YAML format


def test_table_and_matrices_forms_read_the_same_game():
    t = load_game(str(DATA / "prisoners_dilemma.yaml"))
    m = game_from_data({"players": {"Row": ["cooperate", "defect"],
                                    "Column": ["cooperate", "defect"]},
                        "matrices": {"Row": [[3, 0], [5, 1]], "Column": [[3, 5], [0, 1]]}})
    assert t.players == m.players and t.actions == m.actions
    assert np.array_equal(t.payoffs, m.payoffs)
    assert t.title == "Prisoner's Dilemma" and "Axelrod" in t.source
    again = game_from_data(t.to_dict())          # to_dict is the file format
    assert np.array_equal(again.payoffs, t.payoffs) and again.actions == t.actions


def test_three_player_table_and_exact_ratios():
    g = load_game(str(DATA / "three_powers.yaml"))
    assert g.shape == (2, 2, 2)
    assert tuple(g.payoffs[0, 1, 0]) == (2, 3, 2)
    assert pure_equilibria(g) == [(0, 0, 1), (0, 1, 0), (1, 0, 0), (1, 1, 1)]
    r = load_game(str(DATA / "exact_payoffs.yaml"))
    assert r.exact_payoffs[0, 0, 0] == Fraction(1, 3) and r.exact_payoffs[0, 1, 1] == Fraction(1, 2)
    (eq,) = nash_equilibria(r)
    assert eq.exact == ((Fraction(3, 4), Fraction(1, 4)), (Fraction(2, 3), Fraction(1, 3)))


def test_scenario_games_section():
    g = load_game(str(DATA / "scenario_with_game.yaml"))
    assert g.players == ("north", "south") and pure_equilibria(g) == [(1, 1)]
    with pytest.raises(InputError, match="has no strategic game"):
        load_game("logrolling")                   # a built-in scenario without one
    assert load_game("chicken").title == "Chicken"   # a classic id


def test_every_problem_is_reported_at_once():
    with pytest.raises(InputError) as exc:
        game_from_data({"players": [{"name": "A", "actions": ["x", "y"]},
                                    {"name": "B", "actions": ["x", "x"]}],
                        "payoffs": {}, "colour": "red"}, "f.yaml")
    text = [str(p) for p in exc.value.problems]
    assert "f.yaml: colour: unknown field" in text[0]
    assert any("players[1].actions[1]: action 'x' appears twice" in t for t in text)


# ---------------------------------------------------------------------------------------
# The .nfg reader


def test_reads_a_file_pygambit_wrote(gbt, tmp_path):
    gg = gbt.Game.from_arrays([[3, 0, Fraction(1, 2)], [5, 1, -2]],
                              [[3, 5, 0], [0, 1, Fraction(7, 3)]], title="Written by pygambit")
    p0, p1 = list(gg.players)
    p0.label, p1.label = "Kyiv", "Moscow"
    for s, lab in zip(p1.strategies, ["talk", "fight", "wait"], strict=True):
        s.label = lab
    path = tmp_path / "written.nfg"
    path.write_text(gg.to_nfg())
    g = read_nfg(path)
    assert g.title == "Written by pygambit" and g.players == ("Kyiv", "Moscow")
    assert g.actions == (("1", "2"), ("talk", "fight", "wait"))
    for i, arr in enumerate(gg.to_arrays()):
        assert (np.vectorize(Fraction)(arr) == g.exact_payoffs[..., i]).all()
    assert keys(nash_equilibria(g)) == gambit_keys(gg, gbt.nash.enummixed_solve(gg))


def test_reads_the_committed_file_pygambit_wrote():
    """tests/data/games/strategic/written_by_pygambit.nfg is `Game.to_nfg()` output of
    pygambit 16.7; its one equilibrium, by `enummixed_solve`, is hard-coded here."""
    g = read_nfg(DATA / "written_by_pygambit.nfg")
    assert g.players == ("Kyiv", "Moscow")
    assert g.actions == (("talk", "fight"), ("talk", "fight", "wait"))
    assert g.exact_payoffs[0, 2].tolist() == [Fraction(1, 2), 0]
    assert g.exact_payoffs[1, 2].tolist() == [-2, Fraction(7, 3)]
    (eq,) = nash_equilibria(g)
    assert eq.exact == ((Fraction(4, 19), Fraction(15, 19)),
                        (Fraction(0), Fraction(5, 7), Fraction(2, 7)))


def test_reads_the_committed_files_as_pygambit_does(gbt):
    for name in ("diplomacy_outcomes.nfg", "payoff_version.nfg", "written_by_pygambit.nfg"):
        g = read_nfg(DATA / name)
        gg = gbt.read_nfg(str(DATA / name))
        assert g.title == gg.title and list(g.players) == [p.label for p in gg.players]
        for i, arr in enumerate(gg.to_arrays()):
            assert (np.vectorize(Fraction)(arr) == g.exact_payoffs[..., i]).all()
    g = read_nfg(DATA / "payoff_version.nfg")
    assert g.exact_payoffs[1, 1, 0, 2] == 3 and g.exact_payoffs[1, 1, 0, 0] == Fraction(1, 2)


def test_writes_files_pygambit_reads_back(gbt, tmp_path):
    for game in (classics.classic("escalation"), classics.classic("volunteers-dilemma"),
                 load_game(str(DATA / "exact_payoffs.yaml"))):
        text = to_nfg(game)
        path = tmp_path / "out.nfg"
        path.write_text(text)
        gg = gbt.read_nfg(str(path))
        assert [p.label for p in gg.players] == list(game.players)
        assert [[s.label for s in p.strategies] for p in gg.players] == [list(a) for a in
                                                                          game.actions]
        for i, arr in enumerate(gg.to_arrays()):
            assert (np.vectorize(Fraction)(arr) == game.exact_payoffs[..., i]).all()
        back = parse_nfg(text)
        assert (back.exact_payoffs == game.exact_payoffs).all()


def test_reads_the_pygambit_catalog_nfg_files(gbt):
    root = Path(gbt.__file__).parent / "catalog_data"
    files = sorted(root.rglob("*.nfg"))
    if not files:
        pytest.skip("no catalog files")
    for path in files:
        g = read_nfg(path)
        gg = gbt.read_nfg(str(path))
        assert g.shape == tuple(len(p.strategies) for p in gg.players)
        for i, arr in enumerate(gg.to_arrays()):
            assert (np.vectorize(Fraction)(arr) == g.exact_payoffs[..., i]).all()


def test_nfg_escapes_and_null_outcomes():
    g = parse_nfg('NFG 1 R "a \\"quoted\\" title" { "P1" "" } { { "x" "x" } { "y" } }\n'
                  '{ { "" 1 2 } }\n1 0\n')
    assert g.title == 'a "quoted" title'
    assert g.players == ("P1", "Player 2") and g.actions == (("x", "x (2)"), ("y",))
    assert g.payoffs[1, 0].tolist() == [0, 0]


# ---------------------------------------------------------------------------------------
# accord game


def game_json(*args: str) -> dict:
    r = runner.invoke(app, ["game", *args, "--json"])
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def test_cli_json_records_method_parameters_and_results():
    out = game_json(str(DATA / "prisoners_dilemma.yaml"))
    eq = out["equilibria"]
    assert eq["method"] == "vertex" and eq["complete"] is True and eq["count"] == 1
    assert eq["parameters"]["tol"] == 1e-8 and eq["parameters"]["requested"] == "auto"
    assert eq["equilibria"][0]["profile"] == {"Row": "defect", "Column": "defect"}
    assert eq["equilibria"][0]["exact"]["Row"] == {"cooperate": "0", "defect": "1"}
    assert out["win_win"][0]["outcomes"][0]["profile"] == {"Row": "cooperate",
                                                          "Column": "cooperate"}
    assert out["dominance"]["dominated"][0] == {"player": "Row", "action": "cooperate",
                                                "kind": "strict", "round": 1,
                                                "by": {"defect": 1.0}}
    assert out["game"]["matrices"]["Column"] == [[3, 5], [0, 1]]


def test_cli_classic_nfg_scenario_and_methods():
    out = game_json("chicken")
    assert out["equilibria"]["equilibria"][2]["exact"]["Row"] == {"swerve": "1/2",
                                                                  "straight": "1/2"}
    out = game_json(str(DATA / "diplomacy_outcomes.nfg"))
    assert out["game"]["players"][0] == {"name": "Kyiv", "actions": ["talk", "fight"]}
    out = game_json(str(DATA / "scenario_with_game.yaml"), "--method", "lemke-howson")
    assert out["equilibria"]["method"] == "lemke-howson"
    out = game_json(str(DATA / "three_powers.yaml"), "--method", "pure")
    assert out["equilibria"]["count"] == 4 and out["equilibria"]["complete"] is True
    out = game_json("volunteers-dilemma", "--starts", "6", "--seed", "3")
    assert out["equilibria"]["parameters"]["starts"] == 6
    r = runner.invoke(app, ["game", "--list", "--json"])
    assert r.exit_code == 0 and "escalation" in {x["id"] for x in json.loads(r.stdout)}


def test_cli_tables():
    r = runner.invoke(app, ["game", "escalation"])
    assert r.exit_code == 0, r.stderr
    assert "degenerate game" in r.stdout and "Any mixture within equilibria 1, 3" in r.stdout
    assert "weakly dominated by hold-2" in r.stdout
    r = runner.invoke(app, ["game", "volunteers-dilemma"])
    assert r.exit_code == 0 and "McLennan-Tourky" in r.stdout


BAD_NFG = {
    "truncated.nfg": "line 4: the payoff list stops after 7 numbers; a 2x2 game of 2 players "
                     "needs 8 (the file ends here)",
    "bad_outcome.nfg": "line 5, column 5: profile 3 names outcome 5, but the file defines "
                       "outcomes 1 to 2 (0 for none)",
    "outcome_payoffs.nfg": "line 4, column 26: outcome 2 has 1 payoff; the game has 2 players",
    "extensive.nfg": "line 1, column 1: an extensive-form Gambit game (EFG)",
    "unclosed_quote.nfg": "line 1, column 24: a label opens a quote that never closes",
    "strategy_count.nfg": "line 1, column 77: the file lists strategies for 3 players but "
                          "names 2 players",
    "trailing.nfg": "line 2, column 9: unexpected text after the end of the game",
}
BAD_YAML = sorted(p.name for p in (DATA / "bad").glob("*.yaml"))


@pytest.mark.parametrize("name", BAD_YAML + sorted(BAD_NFG))
def test_cli_bad_input_exits_2_with_the_place_and_the_problem(name):
    path = DATA / "bad" / name
    if name in BAD_NFG:
        expected = BAD_NFG[name]
    else:
        expected = path.read_text().splitlines()[0].removeprefix("# expect: ")
    r = runner.invoke(app, ["game", str(path)])
    assert r.exit_code == 2, r.stdout
    assert r.stdout == ""
    assert f"{path}: {expected}" in r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("args, message", [
    (["no-such-game"], "no-such-game: no such file, classic game or built-in scenario"),
    (["chicken", "--method", "nashpy"], "--method: unknown method 'nashpy'"),
    (["chicken", "--tol", "0"], "--tol: must be a positive number"),
    (["volunteers-dilemma", "--method", "vertex"], "'vertex' is for 2-player games"),
    ([], "FILE: give a game file"),
])
def test_cli_bad_arguments_exit_2(args, message):
    r = runner.invoke(app, ["game", *args])
    assert r.exit_code == 2 and message in r.stderr


# ---------------------------------------------------------------------------------------
# Hygiene


def test_src_never_imports_pygambit():
    for path in (ROOT / "src").rglob("*.py"):
        text = path.read_text()
        assert "import pygambit" not in text and "from pygambit" not in text, path


def test_importing_the_games_modules_does_not_import_quantecon():
    code = ("import sys\n"
            "import accord.games.cli_strategic, accord.games.strategic, accord.games.nfg\n"
            "import accord.games.classics\n"
            "assert 'quantecon' not in sys.modules and 'scipy.spatial' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_nash_equilibria_poll_their_budget():
    import time

    from accord.budget import Budget, BudgetExceeded

    late = Budget(1.0, started=time.perf_counter() - 3600)
    game = classics.classic("chicken")
    with pytest.raises(BudgetExceeded, match="Lemke-Howson pivots"):
        nash_equilibria(game, "lemke-howson", budget=late)
    with pytest.raises(BudgetExceeded, match="game analysis"):
        analyze_game(game, "vertex", budget=late)
