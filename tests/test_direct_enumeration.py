"""The direct questions against every deal of a 4-party problem with 282,475,249 deals.

`accord.bargaining.questions` answers the ZOPA and the solutions by branch and bound; here
the same answers come from a vectorised enumeration of all 7**10 deals of a random 4-party
problem (integer scores, 3-decimal weights and BATNAs: utilities are exact rationals). The
enumeration works on the exact integer units of `compile_space(...).units` in int64: the
last issues are one precomputed block of 7**7 deals, and the first three issues are looped
over (343 blocks). Acceptance is decided on integers (u_a >= ceil(threshold_units)); the
smallest gain and the sum of gains are screened in floats, and every row within 1e-9 of
the best is then compared exactly with `fractions.Fraction`. Two sets of BATNAs share the
one pass: a ZOPA of a handful of deals, and no ZOPA at all.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest

from accord.bargaining.questions import prepare, solutions_direct, zopa_direct
from accord.generate import random_scenario_data
from accord.space import Space, compile_space
from accord.validation import validate_scenario

PARTIES, ISSUES, OPTIONS, SEED = 4, 10, 7, 0
HEAD = 3
"""Issues looped over; the other ISSUES - HEAD are one vectorised block."""
TOL = 1e-9
"""Float screen: rows within this of the best are compared exactly."""

BATNAS = {
    # 6 of the 282,475,249 deals are acceptable to all four parties; the unconstrained
    # utilitarian deal is not one of them
    "tight": (0.675, 0.66, 0.68, 0.645),
    "none": (0.695, 0.68, 0.7, 0.665),  # no deal is acceptable to all
}


def _space(batna: tuple[float, ...]) -> Space:
    data = random_scenario_data(PARTIES, ISSUES, OPTIONS, seed=SEED)
    for actor, b in zip(data["actors"], batna, strict=True):
        actor["batna"] = b
    return compile_space(validate_scenario(data, "<test>"))


def _exact_gains(units, K, D) -> list[Fraction]:
    return [Fraction(int(u)) / k - d for u, k, d in zip(units, K, D, strict=True)]


def _enumerate(spaces: dict[str, Space]) -> dict[str, dict]:
    """For each space (same units, different BATNAs): whether a ZOPA exists, how many deals
    it holds, max over all deals of min_a gain_a, and max over the ZOPA of sum_a gain_a,
    exactly."""
    first = next(iter(spaces.values()))
    parties = list(range(PARTIES))
    U = []
    for i in range(ISSUES):
        table = first.units[i][parties].T  # (options, parties)
        assert np.array_equal(table, np.round(table)) and np.abs(table).max() < 2**53
        U.append(table.astype(np.int64))
    K = np.array([int(k) for k in first.scale[parties]], dtype=np.int64)
    tail = np.zeros((PARTIES, 1), dtype=np.int64)  # units of every tail deal, (parties, N)
    for i in range(HEAD, ISSUES):
        tail = (tail[:, :, None] + U[i].T[:, None, :]).reshape(PARTIES, -1)
    tail_f = tail / K[:, None]
    tail_sum = tail_f.sum(axis=0)

    state = {}
    for name, space in spaces.items():
        assert np.array_equal(space.scale[parties], first.scale[parties])
        d = np.array([float(Fraction(repr(float(b)))) for b in space.batna[parties]])
        T = np.array([math.ceil(t) for t in space.threshold_units(parties)], dtype=np.int64)
        state[name] = {"d": d, "T": T, "best": -np.inf, "cand": [], "util": -np.inf,
                       "ucand": [], "count": 0}
    for head in itertools.product(*(range(OPTIONS) for _ in range(HEAD))):
        P = sum(U[i][o] for i, o in enumerate(head))
        for s in state.values():
            c = P / K - s["d"]
            low = tail_f[0] + c[0]
            for a in range(1, PARTIES):
                np.minimum(low, tail_f[a] + c[a], out=low)
            top = float(low.max())
            if top >= s["best"] - TOL:
                s["cand"].append((top, P, np.flatnonzero(low >= top - TOL)))
                s["best"] = max(s["best"], top)
            free = s["T"] - P
            ok = tail[0] >= free[0]
            for a in range(1, PARTIES):
                ok &= tail[a] >= free[a]
            n_ok = int(np.count_nonzero(ok))
            if n_ok:
                s["count"] += n_ok
                sums = np.where(ok, tail_sum, -np.inf)
                top = float(sums.max())
                whole = top + float(c.sum())
                if whole >= s["util"] - TOL:
                    s["ucand"].append((whole, P, np.flatnonzero(sums >= top - TOL)))
                    s["util"] = max(s["util"], whole)

    Kq = [Fraction(int(k)) for k in K]
    out = {}
    for name, s in state.items():
        Dq = [Fraction(repr(float(b))) for b in spaces[name].batna[parties]]
        best = max(min(_exact_gains(P + tail[:, r], Kq, Dq))
                   for top, P, rows in s["cand"] if top >= s["best"] - TOL for r in rows)
        util = None
        if s["count"]:
            util = max(sum(_exact_gains(P + tail[:, r], Kq, Dq))
                       for top, P, rows in s["ucand"] if top >= s["util"] - TOL for r in rows)
        out[name] = {"exists": s["count"] > 0, "count": s["count"], "best_min_gain": best,
                     "utilitarian": util}
    return out


@pytest.fixture(scope="module")
def cases():
    spaces = {name: _space(b) for name, b in BATNAS.items()}
    return spaces, _enumerate(spaces)


def _deal_gains(space: Space, g, deal) -> list[Fraction]:
    units = space.utility_units(np.asarray(deal)[None, :], g.model.parties)[0]
    return g.gains([int(u) for u in units])


def test_the_problem_is_large_and_exact(cases):
    spaces, _ = cases
    for space in spaces.values():
        assert space.outcomes == OPTIONS**ISSUES >= 10**8
        assert space.exact.all()
        assert space.n_actors == PARTIES


def test_zopa_and_utilitarian_against_enumeration_tight_zopa(cases):
    spaces, truth = cases
    space, want = spaces["tight"], truth["tight"]
    assert want["exists"] and 0 < want["count"] < 100  # a needle in 2.8e8 deals
    g = prepare(space)
    z = zopa_direct(g)
    assert z.exists is True
    assert z.best_min_gain == want["best_min_gain"]
    assert min(_deal_gains(space, g, z.deal)) == want["best_min_gain"]
    sols = solutions_direct(g, z)
    util = sols["utilitarian"]
    assert util is not None
    gains = _deal_gains(space, g, util.deal)
    assert min(gains) >= 0  # inside the ZOPA (exact BATNAs: no tolerance needed here)
    assert sum(gains) == want["utilitarian"]
    assert util.criterion == pytest.approx(float(want["utilitarian"]), abs=1e-12)
    egal = sols["egalitarian"]
    assert egal is not None and min(_deal_gains(space, g, egal.deal)) == want["best_min_gain"]


def test_zopa_against_enumeration_no_zopa(cases):
    spaces, truth = cases
    space, want = spaces["none"], truth["none"]
    assert not want["exists"] and want["utilitarian"] is None
    g = prepare(space)
    z = zopa_direct(g)
    assert z.exists is False
    assert z.best_min_gain == want["best_min_gain"] < 0
    assert min(_deal_gains(space, g, z.deal)) == want["best_min_gain"]
    assert z.shortfall == pytest.approx(float(-want["best_min_gain"]))
    assert all(s is None for s in solutions_direct(g, z).values())
