"""Coalitions and power: TU games (Shapley value, core, nucleolus), weighted voting power
(Shapley-Shubik, Banzhaf), the coalition game of a scenario, and `accord coalition`.

Known answers come from the bargaining reference (section 9) and hand-solved games; the
oracles (permutations, grid searches, Kohlberg's criterion, deal enumeration) share no code
with the module under test."""

from __future__ import annotations

import itertools
import json
import math
from fractions import Fraction
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog
from typer.testing import CliRunner

from accord.cli import app
from accord.errors import InputError
from accord.games.coalitions import (
    analyze_game,
    banzhaf,
    coalition_report,
    core,
    game_from_function,
    is_convex,
    nucleolus,
    objections,
    parse_game,
    power_indices,
    scenario_game,
    shapley_shubik,
    shapley_value,
    simple_game,
    tu_game,
    weighted_voting_game,
)
from accord.io import load_scenario
from accord.space import compile_space
from accord.validation import validate_scenario

from .conftest import scenario_from_tables
from .oracle import dec, utilities

DATA = Path(__file__).parent / "data" / "games" / "coalition"
F = Fraction
runner = CliRunner()


def unsc():
    weights = {p: 7 for p in ("china", "france", "russia", "uk", "usa")}
    weights.update({f"elected-{k}": 1 for k in range(1, 11)})
    return weighted_voting_game(weights, 39, title="UN Security Council")


def mediation_game():
    return tu_game(["R", "U", "M"], {("R", "U"): 60, ("R", "U", "M"): 100})


def glove_game():
    return tu_game(["L", "A", "B"], {("L", "A"): 1, ("L", "B"): 1, ("L", "A", "B"): 1})


# ---------------------------------------------------------------------------------------
# Known answers


def test_unsc_power_indices_are_exact():
    g = unsc()
    for method in ("dp", "enumerate"):
        pw = power_indices(g, method)
        assert pw.shapley_shubik[:5] == (F(421, 2145),) * 5
        assert pw.shapley_shubik[5:] == (F(4, 2145),) * 10
        assert pw.swings == (848,) * 5 + (84,) * 10
        assert pw.banzhaf[:5] == (F(106, 635),) * 5
        assert pw.banzhaf[5:] == (F(21, 1270),) * 10
        assert pw.banzhaf_absolute[0] == F(848, 2**14)
        assert float(pw.banzhaf_absolute[5]) == pytest.approx(0.005127, abs=5e-7)
    # the published pivot count for an elected member: 84 * 8! * 6! orderings
    assert power_indices(g).pivots[5] == 84 * math.factorial(8) * math.factorial(6)
    assert g.veto_players == ("china", "france", "russia", "uk", "usa")
    assert sum(power_indices(g).shapley_shubik) == 1
    assert shapley_shubik(g)[0] == F(421, 2145) and banzhaf(g)[14] == F(21, 1270)
    assert banzhaf(g, absolute=True)[0] == F(53, 1024)


def test_unsc_as_a_tu_game():
    sg = simple_game(unsc())
    sh = shapley_value(sg)
    assert sh.exact == (F(421, 2145),) * 5 + (F(4, 2145),) * 10  # Shapley = Shapley-Shubik
    nu = nucleolus(sg)
    assert nu.exact == (F(1, 5),) * 5 + (F(0),) * 10  # the veto players share it
    c = core(sg)
    assert c.nonempty and c.epsilon == pytest.approx(0, abs=1e-9)
    assert objections(sg, nu.values) == []


def test_glove_game():
    g = glove_game()
    assert shapley_value(g).exact == (F(2, 3), F(1, 6), F(1, 6))
    assert nucleolus(g).exact == (F(1), F(0), F(0))
    c = core(g)
    assert c.nonempty and c.epsilon == pytest.approx(0, abs=1e-9)
    assert c.point.values == pytest.approx((1, 0, 0), abs=1e-9)  # the core is one point
    assert [o.coalition for o in objections(g, shapley_value(g).values)] == [
        ("L", "A"), ("L", "B")]


def test_mediation_credit_game():
    g = mediation_game()
    assert shapley_value(g).exact == (F(130, 3), F(130, 3), F(40, 3))
    nu = nucleolus(g)
    assert nu.exact == (F(40), F(40), F(20))
    assert nu.levels == (-20, -40)
    c = core(g)
    assert c.nonempty and c.epsilon == pytest.approx(-20)
    x = c.point.values
    assert sum(x) == pytest.approx(100) and x[0] + x[1] >= 60 - 1e-9 and x[2] <= 40 + 1e-9
    r = analyze_game(g, ["M"])
    assert r.leverage == {"R": 100, "U": 100, "M": 40}  # the mediator adds 40
    assert r.mediator_shares()["M"]["shapley"] == pytest.approx(40 / 300)
    assert r.mediator_shares()["M"]["nucleolus"] == pytest.approx(0.2)
    assert r.objection_counts == {"shapley": 0, "nucleolus": 0}


# Three-player games solved by hand (and a four-player apex game): (values, Shapley,
# nucleolus, core non-empty). Derivations are in docs/coalitions.md.
HAND = [
    # v(12)=4, v(13)=3, v(23)=2, v(N)=6: equalise the pair excesses x3-2 = x2-3 = x1-4
    ({(0, 1): 4, (0, 2): 3, (1, 2): 2, (0, 1, 2): 6}, (F(5, 2), F(2), F(3, 2)),
     (F(3), F(2), F(1)), True),
    # symmetric majority: any two of three share 1; the core is empty (epsilon 1/3)
    ({(0, 1): 1, (0, 2): 1, (1, 2): 1, (0, 1, 2): 1}, (F(1, 3),) * 3, (F(1, 3),) * 3, False),
    # v(1)=1, v(12)=v(13)=2, v(N)=3: x2 = x3 = a, max(2a-2, a-1, -a, -2a) is least at 1/2
    ({(0,): 1, (0, 1): 2, (0, 2): 2, (0, 1, 2): 3}, (F(2), F(1, 2), F(1, 2)),
     (F(2), F(1, 2), F(1, 2)), True),
    # apex game [3; 2, 1, 1, 1]: minors a each, max(2a, 1 - 3a) is least at a = 1/5
    ({s: 1 for s in [(0, 1), (0, 2), (0, 3), (1, 2, 3), (0, 1, 2), (0, 1, 3), (0, 2, 3),
                     (0, 1, 2, 3)]}, (F(1, 2), F(1, 6), F(1, 6), F(1, 6)),
     (F(2, 5), F(1, 5), F(1, 5), F(1, 5)), False),
]


@pytest.mark.parametrize("values,shapley,nucl,nonempty", HAND)
def test_hand_solved_games(values, shapley, nucl, nonempty):
    n = max(max(k) for k in values) + 1
    g = tu_game([f"p{i}" for i in range(n)], values)
    assert shapley_value(g).exact == shapley
    assert nucleolus(g).exact == nucl
    assert core(g).nonempty is nonempty
    if n == 3:
        assert grid_lexmin(g, 12) == nucl


def test_apex_game_from_weights_matches():
    g = simple_game(weighted_voting_game([2, 1, 1, 1], 3))
    assert nucleolus(g).exact == (F(2, 5), F(1, 5), F(1, 5), F(1, 5))


# ---------------------------------------------------------------------------------------
# Oracles


def sorted_excesses(values: dict[int, Fraction], n: int, x: tuple[Fraction, ...]):
    out = []
    for m in range(1, (1 << n) - 1):
        out.append(values.get(m, F(0)) - sum(x[i] for i in range(n) if m >> i & 1))
    return sorted(out, reverse=True)


def exact_values(g) -> dict[int, Fraction]:
    return {m: g.exact_value(m) for m in range(1 << g.n)}


def grid_lexmin(g, k: int) -> tuple[Fraction, ...]:
    """The lexicographic minimiser of the sorted excesses over the imputations of a
    three-player game whose coordinates are multiples of 1/k (exact arithmetic)."""
    v = exact_values(g)
    lo = [v[1 << i] for i in range(3)]
    total = v[7] - sum(lo)
    steps = math.floor(total * k)
    best, best_key = None, None
    for a in range(steps + 1):
        for b in range(steps + 1 - a):
            x1, x2 = lo[0] + F(a, k), lo[1] + F(b, k)
            x = (x1, x2, v[7] - x1 - x2)
            if x[2] < lo[2]:
                continue
            key = sorted_excesses(v, 3, x)
            if best_key is None or key < best_key:
                best, best_key = x, key
    return best


def balanced(n: int, coalitions: list[int], optional: list[int] = ()) -> bool:
    """Is the collection balanced: weights w_S > 0 on `coalitions` and w_T >= 0 on
    `optional` with sum_S w_S 1_S = 1_N? (Kohlberg 1971; an LP, maximising the least
    weight on `coalitions`.)"""
    if not coalitions:
        return True
    cols = list(coalitions) + list(optional)
    k = len(coalitions)
    a_eq = np.array([[m >> i & 1 for m in cols] + [0] for i in range(n)], dtype=float)
    a_ub = np.zeros((k, len(cols) + 1))
    a_ub[:, :k] = -np.eye(k)
    a_ub[:, -1] = 1.0  # d <= w_S
    res = linprog(np.append(np.zeros(len(cols)), -1.0), A_ub=a_ub, b_ub=np.zeros(k),
                  A_eq=a_eq, b_eq=np.ones(n), bounds=[(0, None)] * len(cols) + [(None, 1)],
                  method="highs")
    return res.status == 0 and -res.fun > 1e-9


def kohlberg(g, x, pre: bool) -> bool:
    """Kohlberg's criterion: x is the pre-nucleolus iff every upper set of coalitions by
    excess is balanced; the nucleolus iff each is balanced once the singletons held at
    their values alone may be added with weight >= 0."""
    n = g.n
    e = {m: g.values[m] - sum(x[i] for i in range(n) if m >> i & 1)
         for m in range(1, (1 << n) - 1)}
    at_bound = [] if pre else [1 << i for i in range(n)
                                if abs(x[i] - g.values[1 << i]) < 1e-7]
    levels = sorted(set(round(v, 7) for v in e.values()), reverse=True)
    return all(balanced(n, [m for m, v in e.items() if v >= t - 1e-7], at_bound)
               for t in levels)


def shapley_by_permutations(g) -> tuple[Fraction, ...]:
    n = g.n
    out = [F(0)] * n
    perms = list(itertools.permutations(range(n)))
    for p in perms:
        m = 0
        for i in p:
            out[i] += g.exact_value(m | 1 << i) - g.exact_value(m)
            m |= 1 << i
    return tuple(x / len(perms) for x in out)


def power_by_permutations(weights: list[int], quota: int):
    n = len(weights)
    piv = [0] * n
    for p in itertools.permutations(range(n)):
        s = 0
        for i in p:
            if s < quota <= s + weights[i]:
                piv[i] += 1
            s += weights[i]
    swings = [sum(1 for m in range(1 << n) if not m >> i & 1
                  and quota - weights[i] <= sum(weights[j] for j in range(n) if m >> j & 1)
                  < quota) for i in range(n)]
    return tuple(F(c, math.factorial(n)) for c in piv), tuple(swings)


games = st.integers(min_value=2, max_value=5).flatmap(
    lambda n: st.tuples(st.just(n), st.lists(st.integers(-5, 20), min_size=(1 << n) - 1,
                                             max_size=(1 << n) - 1)))


def make(n_vals) -> object:
    n, vals = n_vals
    return tu_game([f"p{i}" for i in range(n)], [0, *vals])


# ---------------------------------------------------------------------------------------
# Properties on random games


@settings(max_examples=60, deadline=None)
@given(games)
def test_shapley_efficiency_and_permutation_definition(nv):
    g = make(nv)
    sh = shapley_value(g)
    assert sum(sh.exact) == g.exact_value(g.grand)
    if g.n <= 5:
        assert sh.exact == shapley_by_permutations(g)
    assert sh.values == pytest.approx([float(x) for x in sh.exact])


@settings(max_examples=60, deadline=None)
@given(games, st.data())
def test_shapley_symmetry_and_null_player(nv, data):
    n, vals = nv
    v = [0, *vals]
    i, j = data.draw(st.sampled_from([(a, b) for a in range(n) for b in range(a + 1, n)]))
    null = data.draw(st.sampled_from([k for k in range(n) if k not in (i, j)] or [None]))
    bi, bj = 1 << i, 1 << j
    for m in range(1 << n):  # make i and j symmetric
        if m & bi and not m & bj:
            v[m ^ bi | bj] = v[m]
    if null is not None:  # and `null` a null player
        for m in range(1 << n):
            if m >> null & 1:
                v[m] = v[m ^ (1 << null)]
    g = tu_game([f"p{k}" for k in range(n)], v)
    sh = shapley_value(g).exact
    assert sh[i] == sh[j]
    if null is not None:
        assert sh[null] == 0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(games)
def test_prenucleolus_satisfies_kohlberg(nv):
    g = make(nv)
    pn = nucleolus(g, pre=True)
    assert sum(pn.values) == pytest.approx(g.values[g.grand])
    assert kohlberg(g, pn.values, pre=True)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(games)
def test_nucleolus_is_in_the_core_when_the_core_is_not_empty(nv):
    n, vals = nv
    v = [0, *vals]
    v[-1] = max(v[-1], sum(v[1 << i] for i in range(n)))  # some imputation exists
    g = tu_game([f"p{i}" for i in range(n)], v)
    c = core(g)
    if c.nonempty:
        assert objections(g, c.point.values) == []
    nu = nucleolus(g)
    assert all(nu.values[i] >= g.values[1 << i] - 1e-9 for i in range(g.n))
    assert kohlberg(g, nu.values, pre=False)
    if c.nonempty:
        assert objections(g, nu.values) == []
        assert nu.values == pytest.approx(nucleolus(g, pre=True).values, abs=1e-7)
    # the largest excess is the least-core value when the core is not empty
    if c.nonempty:
        assert nu.levels[0] == pytest.approx(c.epsilon, abs=1e-7)
    if nu.exact is not None:
        assert nu.values == tuple(float(x) for x in nu.exact)


def test_empty_imputation_set_gives_the_prenucleolus():
    g = tu_game(["a", "b", "c"], {("a",): 2, ("b",): 2, ("a", "b", "c"): 3})
    with pytest.raises(ValueError, match="imputation set is empty"):
        nucleolus(g)
    pn = nucleolus(g, pre=True)
    # x_a = x_b = y, x_c = 3 - 2y: the largest excesses 2 - y (a, b) and 2y - 3 (c) meet
    # at y = 5/3
    assert pn.exact == (F(5, 3), F(5, 3), F(-1, 3)) and pn.pre
    r = analyze_game(g)
    assert r.nucleolus.pre and "pre-nucleolus" in r.notes[0]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 8), min_size=7, max_size=7))
def test_three_player_nucleolus_is_the_grid_lexmin(vals):
    g = tu_game(["a", "b", "c"], [0, *vals])
    v = exact_values(g)
    if v[7] < v[1] + v[2] + v[4]:
        return
    nu = nucleolus(g)
    assert nu.exact is not None
    x = nu.exact
    best = grid_lexmin(g, 12)
    # the nucleolus is lexicographically no worse than any imputation on the grid, and
    # equals the grid's best when it lies on the grid
    assert sorted_excesses(v, 3, x) <= sorted_excesses(v, 3, best)
    if all((xi * 12).denominator == 1 for xi in x):
        assert x == best


def test_convex_game_has_shapley_in_core():
    g = game_from_function(["a", "b", "c", "d"], lambda s: len(s) ** 2)
    assert is_convex(g)
    assert objections(g, shapley_value(g).values) == []
    assert nucleolus(g).exact == (F(4),) * 4


def test_inexact_games_still_solve():
    g = tu_game(["R", "U", "M"], {("R", "U"): 60.0, ("R", "U", "M"): 100.0}, exact=False)
    assert g.numerators is None
    assert shapley_value(g).exact is None
    assert shapley_value(g).values == pytest.approx((130 / 3, 130 / 3, 40 / 3))
    assert nucleolus(g).values == pytest.approx((40, 40, 20))
    with pytest.raises(ValueError):
        g.exact_value(7)


def test_twenty_players_shapley_exact():
    # v(S) = w(S)^2 has Shapley value w_i * w(N): i's marginal is w_i^2 + 2 w_i w(P) and
    # each other player precedes i with probability 1/2
    n = 20
    w = np.arange(1, n + 1)
    masks = np.arange(1 << n)
    ws = sum(((masks >> i) & 1) * w[i] for i in range(n))
    g = tu_game([f"p{i}" for i in range(n)], ws**2)
    assert shapley_value(g).exact == tuple(F(int(x) * int(w.sum())) for x in w)


# ---------------------------------------------------------------------------------------
# Weighted voting: DP against the definitions


weighted = st.lists(st.integers(0, 12), min_size=1, max_size=8).flatmap(
    lambda ws: st.tuples(st.just(ws), st.integers(1, max(1, sum(ws)))))


@settings(max_examples=80, deadline=None)
@given(weighted)
def test_dp_power_indices_equal_brute_force(wq):
    ws, q = wq
    if sum(ws) == 0:
        return
    g = weighted_voting_game(ws, q)
    dp, en = power_indices(g, "dp"), power_indices(g, "enumerate")
    assert dp.shapley_shubik == en.shapley_shubik
    assert dp.swings == en.swings
    if len(ws) <= 6:
        assert (dp.shapley_shubik, dp.swings) == power_by_permutations(ws, q)
    assert sum(dp.shapley_shubik) == 1
    if len(ws) <= 8:
        assert shapley_value(simple_game(g)).exact == dp.shapley_shubik


def test_many_players_dp_is_fast_and_exact():
    ws = [1 + (k * 7919) % 23 for k in range(70)]  # past int64 (Python integers)
    q = sum(ws) // 2 + 1
    pw = power_indices(weighted_voting_game(ws, q))
    assert sum(pw.shapley_shubik) == 1
    # equal weights get equal power
    assert len({pw.swings[i] for i in range(70) if ws[i] == ws[0]}) == 1


def test_decimal_weights_are_scaled_exactly():
    g = weighted_voting_game({"a": 0.5, "b": 1.5, "c": "1/2"}, 1.6)
    assert g.weights == (1, 3, 1) and g.scale == 2 and g.quota == 4
    assert power_indices(g).shapley_shubik == (F(1, 6), F(2, 3), F(1, 6))


def test_weighted_game_problems_are_listed():
    with pytest.raises(InputError) as e:
        weighted_voting_game({"a": -1, "b": "x"}, 0)
    msgs = [str(p) for p in e.value.problems]
    assert "weights.a: a weight must be >= 0, got -1" in msgs
    assert "weights.b: expected a number, got 'x'" in msgs
    assert any(m.startswith("quota: the quota must be > 0") for m in msgs)


# ---------------------------------------------------------------------------------------
# The coalition game of a scenario, against an enumeration of deals


def brute_force_values(scenario, veto: bool) -> dict[tuple[str, ...], Fraction]:
    table = utilities(scenario)
    ids = [a.id for a in scenario.actors]
    batna = [dec(a.batna) for a in scenario.actors]
    vetoes = {k for k, a in enumerate(scenario.actors) if a.has_veto}
    out = {}
    for r in range(1, len(ids) + 1):
        for members in itertools.combinations(range(len(ids)), r):
            best = F(0)
            if r > 1 and (not veto or vetoes <= set(members)):
                for u in table.values():
                    gains = [u[k] - batna[k] for k in members]
                    if all(x >= 0 for x in gains):
                        best = max(best, sum(gains))
            out[tuple(ids[k] for k in members)] = best
    return out


@pytest.mark.parametrize("sid", ["logrolling", "camp-david-1978"])
@pytest.mark.parametrize("veto", [True, False])
def test_scenario_game_equals_deal_enumeration(sid, veto):
    scenario = load_scenario(sid)
    sg = scenario_game(compile_space(scenario), respect_veto=veto)
    expected = brute_force_values(scenario, veto)
    g = sg.game
    assert g.exact
    for members, value in expected.items():
        assert g.exact_value(members) == value, members
    for mask, d in sg.deals.items():  # the deal shown reaches the value
        if d.deal is not None:
            assert sum(F(str(x)) for x in d.gains.values()) == pytest.approx(
                float(g.exact_value(mask)), abs=1e-9)


def test_logrolling_and_camp_david_credit():
    g = scenario_game(compile_space(load_scenario("logrolling"))).game
    assert g.exact_value(g.grand) == F(3, 2)  # the logroll: 0.7 + 0.8
    assert shapley_value(g).exact == (F(3, 4), F(3, 4))
    cd = scenario_game(compile_space(load_scenario("camp-david-1978")))
    g = cd.game
    assert cd.veto == ("egypt", "israel")
    assert g.value(["egypt", "usa"]) == 0 and g.value(["israel", "usa"]) == 0
    direct, full = g.exact_value(["egypt", "israel"]), g.exact_value(g.grand)
    # the shape of the mediation credit game: the mediator gets a third (Shapley) or a half
    # (nucleolus) of what it adds
    sh = shapley_value(g).exact
    assert sh[2] == (full - direct) / 3
    assert nucleolus(g).exact[2] == (full - direct) / 2
    deal = cd.deals[0b011].deal
    assert deal == {"sovereignty": "full", "security": "demilitarised",
                    "settlements": "evacuated-us-bases", "relations": "full",
                    "palestinian": "autonomy-talks"}  # the accords' package


def test_scenario_game_limits_and_unknown_actors(space_from_tables):
    tables = {f"a{k}": {"x": [0, 100]} for k in range(13)}
    space = compile_space(scenario_from_tables(tables))
    with pytest.raises(InputError, match="at most 12"):
        scenario_game(space)
    sg = scenario_game(space, ["a0", "a1"])
    assert sg.game.players == ("a0", "a1")
    with pytest.raises(InputError, match="unknown actor 'zz'"):
        scenario_game(space, ["a0", "zz"])


# ---------------------------------------------------------------------------------------
# The direct method (one exact search per coalition) against the frontier method


def same_game(a, b) -> None:
    """Two scenario games agree exactly: values (floats and exact parts), deals, gains."""
    assert a.game.players == b.game.players
    assert a.game.values.tolist() == b.game.values.tolist()
    assert a.game.exact == b.game.exact
    if a.game.exact:
        assert a.game.numerators.tolist() == b.game.numerators.tolist()
        assert a.game.denominator == b.game.denominator
    assert {m: d.to_dict() for m, d in a.deals.items()} == \
        {m: d.to_dict() for m, d in b.deals.items()}
    assert (a.veto, a.respect_veto) == (b.veto, b.respect_veto)


# saliences and scores with many digits put an actor on the fallback grid (space.exact)
_ODD_SALIENCE = (0.1234567890131, 0.9876543210971, 0.3141592653597, 0.2718281828459)


@st.composite
def coalition_scenarios(draw):
    """2..5 actors, any of them with a veto; discrete issues scored from a few values (ties
    are common), sometimes a numeric issue; BATNAs on a coarse grid (deals land on them);
    sometimes an actor whose utilities are held on the fallback grid."""
    n_actors = draw(st.integers(2, 5))
    issues = [{"id": f"i{i}", "options": [f"o{o}" for o in range(draw(st.integers(2, 4)))]}
              for i in range(draw(st.integers(1, 3)))]
    if draw(st.booleans()):
        issues.append({"id": "x", "range": [0, 10], "step": draw(st.sampled_from([1, 2, 5]))})
    odd = draw(st.booleans())
    actors = []
    for a in range(n_actors):
        prefs: dict = {}
        for issue in issues:
            if "options" in issue:
                prefs[issue["id"]] = {o: 25 * draw(st.integers(0, 4))
                                      for o in issue["options"]}
            else:
                prefs[issue["id"]] = {"ideal": draw(st.sampled_from([0, 3, 5, 10]))}
        salience = {issue["id"]: draw(st.integers(1, 3)) for issue in issues}
        if odd and a == 0:
            salience = {i["id"]: w for i, w in zip(issues, _ODD_SALIENCE[:len(issues)],
                                                   strict=True)}
            first = issues[0]["options"][0]
            prefs[issues[0]["id"]][first] = 17.7777777
        actors.append({"id": f"a{a}", "veto": draw(st.booleans()),
                       "batna": draw(st.integers(0, 8)) / 10, "salience": salience,
                       "preferences": prefs})
    return validate_scenario({"accord": 1, "id": "h", "title": "h", "issues": issues,
                              "actors": actors}, "<hypothesis>")


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(coalition_scenarios(), st.booleans(), st.booleans())
def test_direct_scenario_game_equals_the_frontier_method(scenario, veto, tiny):
    from unittest import mock

    from accord.bargaining import search

    space = compile_space(scenario)
    frontier = scenario_game(space, respect_veto=veto, method="frontier")
    # tiny: every node of these small problems is a real node of the search (relaxations,
    # interval branching, the MIP heuristic), not one enumerated leaf
    with mock.patch.object(search, "LEAF", 1 if tiny else search.LEAF), \
            mock.patch.object(search, "LP_MIN", 2 if tiny else search.LP_MIN), \
            mock.patch.object(search, "SPLIT", 2 if tiny else search.SPLIT), \
            mock.patch.object(search, "MILP_AFTER", 3 if tiny else search.MILP_AFTER), \
            mock.patch.object(search, "MILP_AFTER_STARTED",
                              4 if tiny else search.MILP_AFTER_STARTED), \
            mock.patch.object(search, "MILP_DELAY", 0.0 if tiny else search.MILP_DELAY):
        direct = scenario_game(space, respect_veto=veto, method="direct")
    same_game(direct, frontier)
    assert scenario_game(space, respect_veto=veto).game.values.tolist() == \
        direct.game.values.tolist()  # auto: direct on additive scenarios


@pytest.mark.parametrize("sid", ["logrolling", "camp-david-1978", "england-zimbabwe",
                                 "ukraine-2023"])
@pytest.mark.parametrize("veto", [True, False])
def test_direct_scenario_game_on_the_built_ins(sid, veto):
    space = compile_space(load_scenario(sid))
    same_game(scenario_game(space, respect_veto=veto, method="direct"),
              scenario_game(space, respect_veto=veto, method="frontier"))


def test_direct_scenario_game_on_iran_subsets():
    from accord.io import read_data

    path = Path(__file__).parent.parent / "benchmarks" / "data" / "iran-2015.yaml"
    space = compile_space(validate_scenario(read_data(str(path))[0], str(path)))
    for actors, veto in ((["iran", "usa", "eu"], True),
                         (["iran", "usa", "e3", "russia-china"], False)):
        same_game(scenario_game(space, actors, respect_veto=veto, method="direct"),
                  scenario_game(space, actors, respect_veto=veto, method="frontier"))


def test_interaction_terms_searched_as_blocks():
    tables = {"a": {"x": [100, 0, 50], "y": [0, 100]}, "b": {"x": [0, 100, 50], "y": [100, 0]}}
    data = scenario_from_tables(tables).model_dump(mode="json", exclude_none=True)
    scores = {f"o{i}": {f"o{j}": 100 if (i, j) == (2, 1) else 0 for j in range(2)}
              for i in range(3)}
    data["actors"][0]["interactions"] = [{"issues": ["x", "y"], "weight": 1,
                                          "scores": scores}]
    space = compile_space(validate_scenario(data, "<test>"))
    assert not space.additive
    assert space.blocks == ((0, 1),)  # x and y form one compound issue of 6 options
    sg = scenario_game(space)
    assert sg.game.values.tolist() == \
        scenario_game(space, method="frontier").game.values.tolist()
    import accord.space as space_module

    with mock.patch.object(space_module, "BLOCK_LIMIT", 5), \
            pytest.raises(InputError, match="joint options"):
        scenario_game(space, method="direct")
    with pytest.raises(InputError, match="unknown method 'pareto'"):
        scenario_game(space, method="pareto")


# ---------------------------------------------------------------------------------------
# Files and the command line


def test_parse_game_problems():
    with pytest.raises(InputError) as e:
        parse_game({"players": ["a", "b"], "values": [{"coalition": ["a", "c"], "value": 1},
                                                      {"coalition": ["b"], "value": "1/0"},
                                                      {"coalition": "a", "value": 1},
                                                      {"value": 2}],
                    "colour": "red"}, "g.yaml")
    msgs = [str(p) for p in e.value.problems]
    assert msgs == [
        "g.yaml: colour: unknown field (expected players, values, quota, weights, title, "
        "mediators)"]
    with pytest.raises(InputError) as e:
        parse_game({"players": ["a", "b"], "values": [{"coalition": ["a", "c"], "value": 1},
                                                      {"coalition": ["b"], "value": "1/0"},
                                                      {"coalition": "a", "value": 1},
                                                      {"value": 2}]}, "g.yaml")
    assert [str(p) for p in e.value.problems] == [
        "g.yaml: values[0].coalition: unknown player 'c' (players: a, b)",
        "g.yaml: values[1].value: expected a number, got '1/0'",
        "g.yaml: values[2].coalition: expected a list of players",
        "g.yaml: values[3]: expected {coalition: [players], value: number}",
    ]
    gi = parse_game({"players": ["x", "y"], "values": [{"coalition": ["x", "y"],
                                                        "value": "7/3"}]})
    assert gi.game.exact_value(3) == F(7, 3)


def invoke(*args: str):
    return runner.invoke(app, ["coalition", *args])


def as_json(*args: str) -> dict:
    r = invoke(*args, "--json")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def test_cli_mediation_game():
    d = as_json(str(DATA / "mediation.yaml"))
    assert d["kind"] == "tu" and d["players"] == ["R", "U", "M"]
    assert d["shapley"]["exact"] == {"R": "130/3", "U": "130/3", "M": "40/3"}
    assert d["nucleolus"]["exact"] == {"R": "40", "U": "40", "M": "20"}
    assert d["core"]["nonempty"] and d["core"]["least_core_epsilon"] == -20
    assert d["mediators"] == ["M"] and d["leverage"]["M"] == 40
    assert d["mediator_shares"]["M"]["nucleolus"] == pytest.approx(0.2)
    r = invoke(str(DATA / "mediation.yaml"))
    assert r.exit_code == 0
    assert "130/3" in r.stdout and "Mediator M" in r.stdout


def test_cli_glove_and_unsc():
    d = as_json(str(DATA / "glove.yaml"))
    assert d["nucleolus"]["exact"] == {"L": "1", "A": "0", "B": "0"}
    assert d["objections"]["shapley"]["count"] == 2
    d = as_json(str(DATA / "unsc.yaml"))
    p = d["power"]
    assert p["shapley_shubik_exact"]["china"] == "421/2145"
    assert p["shapley_shubik_exact"]["elected-1"] == "4/2145"
    assert p["banzhaf_exact"]["usa"] == "106/635"
    assert p["banzhaf_exact"]["elected-10"] == "21/1270"
    assert p["banzhaf_swings"]["uk"] == 848 and p["banzhaf_swings"]["elected-3"] == 84
    assert p["veto_players"] == ["china", "france", "russia", "uk", "usa"]
    assert d["nucleolus"]["exact"]["russia"] == "1/5"
    r = invoke(str(DATA / "unsc.yaml"))
    assert r.exit_code == 0 and "421/2145" in r.stdout and "21/1270" in r.stdout


def test_cli_scenarios():
    d = as_json("camp-david-1978")
    assert d["kind"] == "scenario" and d["mediators"] == ["usa"]
    assert d["grand_coalition"]["exact"] == "1793/2000"
    assert d["veto"] == ["egypt", "israel"] and d["respect_veto"] is True
    assert {tuple(v["coalition"]): v["exact"] for v in d["values"]}[("egypt", "usa")] == "0"
    d2 = as_json("camp-david-1978", "--no-veto")
    assert d2["respect_veto"] is False and d2["core"]["nonempty"] is False
    d3 = as_json("camp-david-1978", "--actors", "egypt,israel")
    assert d3["players"] == ["egypt", "israel"] and d3["mediators"] == []
    d4 = as_json("logrolling")
    assert d4["shapley"]["exact"] == {"dept-a": "3/4", "dept-b": "3/4"}


def test_cli_scenario_with_its_own_game():
    d = as_json(str(DATA / "summit.yaml"))
    assert d["kind"] == "weighted" and d["title"] == "Endorsement vote"
    assert d["mediators"] == ["broker"] and d["power"]["dummies"] == ["broker"]
    d = as_json(str(DATA / "summit.yaml"), "--from-deals")
    assert d["kind"] == "scenario"
    r = invoke(str(DATA / "summit.yaml"), "--no-veto")
    assert r.exit_code == 2 and "add --from-deals" in r.stderr


@pytest.mark.parametrize("name,messages", [
    ("unknown_player.yaml", ["values[0].coalition: unknown player 'X' (players: R, U, M)",
                             "values[1].value: expected a number, got 'ten'"]),
    ("both_kinds.yaml", ["values: give either values (a characteristic function) or quota "
                         "and weights (a weighted voting game), not both"]),
    ("bad_quota.yaml", ["weights.b: a weight must be >= 0, got -1",
                        "quota: the quota 10 exceeds the total weight 6: no coalition wins"]),
    ("duplicate_coalition.yaml", ["values[1].coalition: the coalition is already given at "
                                  "values[0]",
                                  "values[2].coalition: the empty coalition is worth 0"]),
])
def test_cli_bad_files(name, messages):
    path = DATA / "bad" / name
    r = invoke(str(path))
    assert r.exit_code == 2
    assert r.stdout == ""
    for m in messages:
        assert f"{path}: {m}" in r.stderr
    assert "Traceback" not in r.stderr


def test_coalition_report_is_what_the_command_prints():
    """`accord coalition --json` prints `coalition_report(...).to_dict()`; the command only
    splits --actors and renders."""
    cases = [((str(DATA / "summit.yaml"),), {}),
             ((str(DATA / "summit.yaml"), "--from-deals"), {"from_deals": True}),
             (("camp-david-1978", "--actors", "egypt,israel"), {"actors": ["egypt", "israel"]}),
             ((str(DATA / "unsc.yaml"),), {})]
    for args, kwargs in cases:
        report = coalition_report(args[0], **kwargs)
        assert as_json(*args) == json.loads(json.dumps(report.to_dict())), args


def test_library_errors_name_parameters():
    """scenario_game names its parameter `actors` (the command's flag is the front end's
    business); unknown actors are named in the library's words too."""
    space = compile_space(load_scenario("camp-david-1978"))
    with pytest.raises(InputError) as e:
        scenario_game(space, max_actors=2)
    assert [p.path for p in e.value.problems] == ["actors"]
    assert "--" not in str(e.value)
    with pytest.raises(InputError) as e:
        coalition_report("camp-david-1978", actors=["egypt", "nobody"])
    assert [p.path for p in e.value.problems] == ["actors"]
    for kwargs, name in (({"actors": ["L"]}, "actors"), ({"no_veto": True}, "no_veto"),
                         ({"from_deals": True}, "from_deals")):
        with pytest.raises(InputError) as e:
            coalition_report(str(DATA / "glove.yaml"), **kwargs)
        [p] = e.value.problems
        assert (p.path, p.parameter) == (name, True) and "scenarios only" in p.message
        flag = "--" + name.replace("_", "-")
        r = invoke(str(DATA / "glove.yaml"), *([flag, "L"] if name == "actors" else [flag]))
        assert r.exit_code == 2 and f"{flag}: applies to scenarios only" in r.stderr


def test_cli_bad_arguments(tmp_path):
    r = invoke(str(DATA / "glove.yaml"), "--actors", "L")
    assert r.exit_code == 2 and "--actors: applies to scenarios only" in r.stderr
    r = invoke("camp-david-1978", "--actors", "egypt,nobody")
    assert r.exit_code == 2 and "unknown actor 'nobody'" in r.stderr
    r = invoke(str(tmp_path / "missing.yaml"))
    assert r.exit_code == 2 and "no such file" in r.stderr
    (tmp_path / "list.yaml").write_text("- 1\n- 2\n")
    r = invoke(str(tmp_path / "list.yaml"))
    assert r.exit_code == 2 and "expected a mapping" in r.stderr
    big = {"players": [f"p{k}" for k in range(21)], "values": []}
    (tmp_path / "big.json").write_text(json.dumps(big))
    r = invoke(str(tmp_path / "big.json"))
    assert r.exit_code == 2 and "limited to 20" in r.stderr


def test_scenario_game_polls_its_budget():
    import time

    from accord.budget import Budget, BudgetExceeded
    from accord.games.coalitions import analyze_scenario
    from accord.io import load_scenario
    from accord.space import compile_space

    space = compile_space(load_scenario("camp-david-1978"))
    with pytest.raises(BudgetExceeded, match="coalition values.*--actors"):
        analyze_scenario(space, budget=Budget(1.0, started=time.perf_counter() - 3600))
