"""Bueno de Mesquita's expected-utility model (`accord.forecast.eu.run_eu`).

Reference runs: `tests/data/forecast/bdm/*_run*.csv` were made by the jmckib replication of
Scholz, Calbert & Smith (2011) (commit 55f63e9, Python 2.7, 10 rounds); they print 6 decimals,
so the tolerance is 1e-6 in the files' own units.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.errors import InputError
from accord.forecast import StakeholderData, compromise, load_stakeholders
from accord.forecast.eu import run_eu

BDM = Path(__file__).parent / "data" / "forecast" / "bdm"
EC = BDM / "ec_emission_standards_bdm1994.csv"

RUNS = [
    ("ec_emission_standards_bdm1994.csv", "ec_emission_standards_scholz_replication_run.csv"),
    ("iran_2013_election_preana.csv", "jmckib_regression_run_iran2013.csv"),
    ("china_1989_leadership_dmasad.csv", "jmckib_regression_run_china.csv"),
    ("honduras_nicaragua_crisis.csv", "jmckib_regression_run_honduras.csv"),
    ("saudi_oil_sultan_bdm.csv", "jmckib_regression_run_sultan.csv"),
    ("ww1_july1914_bdm.csv", "jmckib_regression_run_ww1_bdm.csv"),
]


def _reference(path: Path) -> tuple[list[str], dict[int, list[float]], dict[int, list[float]],
                                     dict[int, float]]:
    """(actors, positions by round, risk exponents by round, weighted mean by round)."""
    positions: dict[int, list[float]] = {}
    risk: dict[int, list[float]] = {}
    means: dict[int, float] = {}
    with path.open() as f:
        reader = csv.reader(f)
        header = next(reader)
        actors = header[2:-1]
        for row in reader:
            t, kind, values = int(row[0]), row[1], [float(v) for v in row[2:2 + len(actors)]]
            if kind == "position":
                positions[t] = values
                means[t] = float(row[-1])
            else:
                assert kind == "risk_exponent_r_used_this_round"
                risk[t] = values
    return actors, positions, risk, means


def _issue(result, t: int) -> dict:
    (det,) = result.rounds[t].details["issues"].values()
    return det


def _original(result) -> np.ndarray:
    """Positions (rounds + 1, n) of a one-issue result in the issue's own units."""
    lo, hi = result.data.scales[0]
    return lo + np.array([r.positions[:, 0] for r in result.rounds]) / 100.0 * (hi - lo)


# --- the reference runs ---------------------------------------------------------------------


@pytest.mark.parametrize(("data_file", "run_file"), RUNS)
def test_replication_reproduces_jmckib_runs_round_by_round(data_file, run_file):
    data = load_stakeholders(BDM / data_file)
    actors, positions, risk, means = _reference(BDM / run_file)
    assert list(data.actors) == actors
    result = run_eu(data, rounds=10)
    assert result.model == "eu" and len(result.rounds) == 11
    x = _original(result)
    for t in range(11):
        np.testing.assert_allclose(x[t], positions[t], rtol=0, atol=1e-6, err_msg=f"round {t}")
        assert _issue(result, t)["mean"] == pytest.approx(means[t], abs=1e-6)
        lo, hi = data.scales[0]
        assert data.to_original(0, result.rounds[t].outcome[0]) == pytest.approx(means[t],
                                                                                 abs=1e-6)
        assert lo + result.rounds[t].outcome[0] / 100 * (hi - lo) == pytest.approx(
            _issue(result, t)["mean"], abs=1e-9)
    for t in range(1, 11):
        r = list(_issue(result, t)["risk_exponents"].values())
        np.testing.assert_allclose(r, risk[t], rtol=0, atol=1e-6, err_msg=f"round {t}")


def test_ec_round_one_offers_as_published():
    """Round 1 of the EC case (reference section 4.5): Belgium compromises with France
    (a = -0.1148, b = 0.2433) to 8.41593, Luxembourg loses a confrontation to Belgium (-> 7),
    Ireland loses to Luxembourg (-> 4); nobody else moves. Initial median 7, mean 7.38996."""
    result = run_eu(load_stakeholders(EC), rounds=1)
    start = _issue(result, 0)
    assert start["median"] == 7.0
    assert start["mean"] == pytest.approx(7.389956, abs=1e-6)
    moves = {m["actor"]: m for m in _issue(result, 1)["moves"]}
    assert set(moves) == {"Belgium", "Luxembourg", "Ireland"}
    be = moves["Belgium"]
    assert (be["proposer"], be["type"]) == ("France", "compromise")
    assert be["eu_challenge"] == pytest.approx(-0.1148, abs=5e-5)
    assert be["eu_proposer"] == pytest.approx(0.2433, abs=5e-5)
    assert be["to"] == pytest.approx(8.41593, abs=5e-6)
    assert (moves["Luxembourg"]["proposer"], moves["Luxembourg"]["type"],
            moves["Luxembourg"]["to"]) == ("Belgium", "conflict", 7.0)
    assert (moves["Ireland"]["proposer"], moves["Ireland"]["type"],
            moves["Ireland"]["to"]) == ("Luxembourg", "conflict", 4.0)
    r = _issue(result, 1)["risk_exponents"]
    assert r["Ireland"] == pytest.approx(0.5, abs=1e-12)
    assert r["Denmark"] == pytest.approx(2.0, abs=1e-12)


def test_ec_belgium_path_and_the_scholz_figure():
    """Belgium 7 -> 8.42 -> 9.61 -> 9.96 -> 4.80 -> 5.52 -> 7.47 -> 8.82 -> 9.67 -> 4.14 -> 4.29,
    with the round-4 jump being a compromise with the Netherlands (the replication's
    EU-weighted choice); only Belgium, Luxembourg and Ireland ever move; the mean stays within
    0.065 of Scholz et al.'s published curve (read off at 0.1)."""
    data = load_stakeholders(EC)
    result = run_eu(data)
    x = _original(result)
    be = data.actors.index("Belgium")
    np.testing.assert_allclose(x[:, be], [7, 8.42, 9.61, 9.96, 4.80, 5.52, 7.47, 8.82, 9.67,
                                          4.14, 4.29], atol=0.005)
    movers = {a for t in range(1, 11) for a in (m["actor"] for m in _issue(result, t)["moves"])}
    assert movers == {"Belgium", "Luxembourg", "Ireland"}
    jump = next(m for m in _issue(result, 4)["moves"] if m["actor"] == "Belgium")
    assert (jump["proposer"], jump["type"]) == ("Netherlands", "compromise")
    with (BDM / "ec_emission_standards_mean_by_round.csv").open() as f:
        for row in csv.DictReader(f):
            t = int(row["round"])
            mean = _issue(result, t)["mean"]
            assert mean == pytest.approx(float(row["scholz2011_published_mean_approx"]), abs=0.065)
            assert mean == pytest.approx(float(row["jmckib_replication_weighted_mean"]),
                                         abs=5e-5)
    for t in range(1, 11):
        assert _issue(result, t)["offers_made"]["capitulation"] == 0  # the dead branch


# --- hand-checked first step ------------------------------------------------------------------


def _three() -> StakeholderData:
    return StakeholderData(actors=("A", "B", "C"), issues=("x",),
                           capability=np.array([1.0, 1.0, 2.0]),
                           position=np.array([[0.0], [50.0], [100.0]]),
                           salience=np.array([[0.5], [0.5], [0.5]]),
                           scales=((0.0, 100.0),), source="hand")


def test_three_actors_replication_by_hand():
    """A (c 1, x 0), B (c 1, x 50), C (c 2, x 100), all s = 0.5; W = 100.

    Risk pass (r = 1). Votes v[k, a] = c_k s_k |x_k - x_a| / W: A [0, .25, .5], B [.25, 0, .25],
    C [1, .5, 0]. The replication's denominator sums |v[k, a] - v[k, b]| over all ordered pairs:
    A 2(.25 + .5 + .25) = 2, B 2(.25 + .25) = 1, C 2(.5 + 1 + .5) = 4, Z = 7. Supports
    N[i, j] = sum_k max(0, v[k, j] - v[k, i]): N_AB = .25, N_BA = .75, N_AC = .5, N_CA = 1,
    N_BC = .5, N_CB = .5, so P = N / 7.
    With r = 1 and s = .5: U_s = 2d, U_f = -2d, U_sq = 0 and E(U_ij) = 2 d_ij P_ij.
    Dangers D_i = sum_j E(U_ji): D_A = 2(.5)(3/28) + 2(1)(4/28) = 11/28, D_B = 2(.5)(1/28 + 2/28)
    = 3/28, D_C = 2(1)(2/28) + 2(.5)(2/28) = 6/28. R = (2D - 11/28 - 3/28) / (8/28):
    R_A = 1, R_B = -1, R_C = -1/4, so r = (1 - R/3) / (1 + R/3) = 1/2, 2, 13/11.

    Offer pass. Votes now use each voter's r: A [0, .5 sqrt(.5), .5], B [.125, 0, .125],
    C [1, h, 0] with h = .5^(13/11). Z = 4(.5) + 4(.125) + 4(1) = 6.5 (three values: twice the
    sum of the three gaps = 4 (max - min)). N_AB = .5 sqrt(.5), N_BA = 1.125 - h, N_AC = .5,
    N_CA = 1.
    A (r = .5) against B (d = .5): U_s = 2 - 4 sqrt(.25) = 0, U_f = 2 - 4 sqrt(.75),
    U_sq = 2 - 4 sqrt(.5); a = .5 (1 - P_AB) U_f - U_sq = 0.13619, b = .5 (1 - P_BA) U_f - U_sq
    = 0.17343 > a > 0: B makes A a conflict offer (move to 50).
    A against C (d = 1): U_s = 2, U_f = -2, a = 2 P_AC - U_sq = 2/13 + 4 sqrt(.5) - 2, b = 2 P_CA
    - U_sq = 4/13 + 4 sqrt(.5) - 2 > a > 0: another conflict offer (move to 100).
    A takes the nearer one and moves to 50; these two are the only offers.
    """
    result = run_eu(_three(), rounds=1)
    det = _issue(result, 1)
    np.testing.assert_allclose(list(det["danger"].values()), [11 / 28, 3 / 28, 6 / 28],
                               rtol=1e-12)
    np.testing.assert_allclose(list(det["risk_exponents"].values()), [0.5, 2.0, 13 / 11],
                               rtol=1e-12)
    h = 0.5 ** (13 / 11)
    p = det["probability"]
    np.testing.assert_allclose([p[0][1], p[1][0], p[0][2], p[2][0]],
                               [0.5 * math.sqrt(0.5) / 6.5, (1.125 - h) / 6.5, 0.5 / 6.5,
                                1 / 6.5], rtol=1e-12)
    u_f = 2 - 4 * math.sqrt(0.75)
    u_sq = 2 - 4 * math.sqrt(0.5)
    a_ab = 0.5 * (1 - p[0][1]) * u_f - u_sq
    b_ab = 0.5 * (1 - p[1][0]) * u_f - u_sq
    assert det["eu_challenge"][0][1] == pytest.approx(a_ab, rel=1e-12)
    assert det["eu_challenged_by"][0][1] == pytest.approx(b_ab, rel=1e-12)
    assert (a_ab, b_ab) == pytest.approx((0.13619, 0.17343), abs=1e-5)
    assert det["eu_challenge"][0][2] == pytest.approx(2 / 13 - u_sq, rel=1e-12)
    assert det["eu_challenged_by"][0][2] == pytest.approx(4 / 13 - u_sq, rel=1e-12)
    assert det["offers"] == [
        {"actor": "A", "proposer": "B", "type": "conflict", "to": 50.0},
        {"actor": "A", "proposer": "C", "type": "conflict", "to": 100.0}]
    assert det["moves"][0]["actor"] == "A" and len(det["moves"]) == 1
    assert result.rounds[1].positions[:, 0].tolist() == [50.0, 50.0, 100.0]
    assert det["mean"] == pytest.approx(75.0) and det["median"] == 50.0


def test_three_actors_clean_by_hand():
    """The same three actors, clean variant. Linear votes, P_ij = N_ij / (N_ij + N_ji):
    P_AB = .25 / 1 = 1/4, P_AC = .5 / 1.5 = 1/3, P_BC = .5 / 1 = 1/2 (and P_ji = 1 - P_ij).
    With r = 1, s = .5: E(U_ij) = 2 d_ij P_ij, so D_A = 2(.5)(3/4) + 2(1)(2/3) = 25/12,
    D_B = 2(.5)(1/4) + 2(.5)(1/2) = 9/12, D_C = 2(1)(1/3) + 2(.5)(1/2) = 14/12;
    R = (2D - 34/12) / (16/12): R_A = 1, R_B = -1, R_C = -3/8; r = 1/2, 2, 9/7.
    b now uses the challenger's own exponent. A vs B: a (r_A = .5) = .5 (3/4) U_f - U_sq with
    U_f = 2 - 4 sqrt(.75), U_sq = 2 - 4 sqrt(.5): 0.27939; b (r_B = 2): U_s = 2 - 4(.25)^2 = 1.75,
    U_f = 2 - 4(.75)^2 = -.25, U_sq = 1, b = .5(.75 (1.75) + .25 (-.25)) + .5 (1.75) - 1 = 0.5.
    b > a > 0: conflict, A moves to 50; likewise B to 100 and C to 0 (a rotation).
    """
    result = run_eu(_three(), rounds=2, variant="clean")
    det = _issue(result, 1)
    p = np.array(det["probability"])
    np.testing.assert_allclose([p[0, 1], p[0, 2], p[1, 2]], [1 / 4, 1 / 3, 1 / 2], rtol=1e-12)
    np.testing.assert_allclose(p + p.T, 1.0, rtol=1e-12)
    np.testing.assert_allclose(list(det["danger"].values()), [25 / 12, 9 / 12, 14 / 12],
                               rtol=1e-12)
    np.testing.assert_allclose(list(det["risk_exponents"].values()), [0.5, 2.0, 9 / 7],
                               rtol=1e-12)
    a = 0.5 * 0.75 * (2 - 4 * math.sqrt(0.75)) - (2 - 4 * math.sqrt(0.5))
    assert det["eu_challenge"][0][1] == pytest.approx(a, rel=1e-12)
    assert det["eu_challenged_by"][0][1] == pytest.approx(0.5, rel=1e-12)
    assert result.rounds[1].positions[:, 0].tolist() == [50.0, 100.0, 0.0]
    assert {m["actor"]: m["type"] for m in det["moves"]} == {"A": "conflict", "B": "conflict",
                                                              "C": "conflict"}


# --- against a direct, loop-by-loop reading of the equations ---------------------------------


def _direct_round(x, c, s, variant, q=1.0, t=1.0):
    """One round written straight from the equations, O(n^3) per probability (no numpy
    tricks): returns (danger, r, P, a, b, new positions)."""
    n = len(x)
    w = max(x) - min(x)
    clean = variant == "clean"
    order = sorted(range(n), key=lambda i: x[i])
    cum, mu = 0.0, None
    for i in order:  # c.s-weighted median, lower on a split
        cum += c[i] * s[i]
        if mu is None and cum >= 0.5 * sum(c[k] * s[k] for k in range(n)) * (1 - 1e-12):
            mu = x[i]

    def prob(rho):
        def vote(k, i, j):  # k's support for x_i against x_j
            return c[k] * s[k] * ((abs(x[k] - x[j]) / w) ** rho[k]
                                  - (abs(x[k] - x[i]) / w) ** rho[k])
        p = [[0.0] * n for _ in range(n)]
        if clean:
            for i in range(n):
                for j in range(n):
                    num = sum(max(0.0, vote(k, i, j)) for k in range(n))
                    den = sum(abs(vote(k, i, j)) for k in range(n))
                    p[i][j] = num / den if den > 0 else 0.5
            return p
        z = sum(abs(vote(k, i, j)) for k in range(n) for i in range(n) for j in range(n))
        for i in range(n):
            for j in range(n):
                if x[i] != x[j]:
                    p[i][j] = sum(max(0.0, vote(k, i, j)) for k in range(n)) / z
        return p

    def eu(p, ch, tg, r):  # E(U_{ch, tg}) with exponent r
        d = abs(x[ch] - x[tg]) / w
        u_s, u_f, u_sq = (2 - 4 * (0.5 - 0.5 * d) ** r, 2 - 4 * (0.5 + 0.5 * d) ** r,
                          2 - 4 * 0.5 ** r)
        e = s[tg] * (p[ch][tg] * u_s + (1 - p[ch][tg]) * u_f) + (1 - s[tg]) * u_s - q * u_sq
        if clean:
            m = 0.25 * (abs(x[ch] - mu) + abs(x[ch] - x[tg])) / w
            e -= (1 - q) * (t * (2 - 4 * (0.5 - m) ** r) + (1 - t) * (2 - 4 * (0.5 + m) ** r))
        return e

    p1 = prob([1.0] * n)
    danger = [sum(eu(p1, j, i, 1.0) for j in range(n) if x[j] != x[i]) for i in range(n)]
    hi, lo = max(danger), min(danger)
    big_r = [(2 * dd - hi - lo) / (hi - lo) for dd in danger]
    r = [(1 - v / 3) / (1 + v / 3) for v in big_r]
    p = p1 if clean else prob(r)
    a = [[eu(p, i, j, r[i]) if x[i] != x[j] else 0.0 for j in range(n)] for i in range(n)]
    b = [[eu(p, j, i, r[j] if clean else r[i]) if x[i] != x[j] else 0.0 for j in range(n)]
         for i in range(n)]
    new = list(x)
    for i in range(n):
        offers = []  # (rank key, position)
        for j in range(n):
            if x[i] == x[j]:
                continue
            aa, bb = a[i][j], b[i][j]
            if bb > aa > 0:
                offers.append((0, x[j]))
            elif bb > 0 > aa and bb > abs(aa):
                offers.append((1, x[i] + (x[j] - x[i]) * abs(aa / bb),
                               (abs(aa) * x[i] + abs(bb) * x[j]) / (abs(aa) + abs(bb))))
            elif clean and bb > 0 > aa and bb < abs(aa):
                offers.append((2, x[j]))
        if not offers:
            continue
        if clean:
            new[i] = min(offers, key=lambda o: (abs(o[1] - x[i]), o[0]))[1]
        elif any(o[0] == 0 for o in offers):
            new[i] = min((o for o in offers if o[0] == 0), key=lambda o: abs(o[1] - x[i]))[1]
        else:
            new[i] = min(offers, key=lambda o: o[2])[1]
    return danger, r, p, a, b, new


@pytest.mark.parametrize("variant", ["replication", "clean"])
@pytest.mark.parametrize("seed", range(6))
def test_one_round_matches_the_equations_read_directly(variant, seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 9))
    grid = seed % 2 == 0  # some cases with actors sharing positions
    x = (rng.integers(0, 5, n) * 25.0 if grid else rng.uniform(0, 100, n))
    x[0], x[1] = 0.0, 100.0
    c = rng.uniform(0.1, 1.0, n)
    s = rng.uniform(0.05, 1.0, n)
    q, t = (1.0, 1.0) if seed < 2 else (float(rng.uniform(0.3, 1)), float(rng.integers(0, 2)))
    data = StakeholderData(actors=tuple(f"a{i}" for i in range(n)), issues=("x",),
                           capability=c, position=x[:, None], salience=s[:, None],
                           scales=((0.0, 100.0),), source="random")
    result = run_eu(data, rounds=1, variant=variant, q=q, t=t)
    det = _issue(result, 1)
    danger, r, p, a, b, new = _direct_round(list(x), list(c), list(s), variant, q, t)
    np.testing.assert_allclose(list(det["danger"].values()), danger, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(list(det["risk_exponents"].values()), r, rtol=1e-9)
    np.testing.assert_allclose(det["probability"], p, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(det["eu_challenge"], a, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(det["eu_challenged_by"], b, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(result.rounds[1].positions[:, 0], new, rtol=1e-9, atol=1e-9)


def test_large_problem_matches_direct_probabilities():
    """The prefix-sum supports agree with the O(n^3) definition on 40 actors (ties included)."""
    from accord.forecast.eu import _probability, _ranks

    rng = np.random.default_rng(7)
    n = 40
    x = np.round(rng.uniform(0, 100, n), 0)
    cs = rng.uniform(0.01, 1, n)
    rho = rng.uniform(0.5, 2, n)
    v = cs[:, None] * (np.abs(x[:, None] - x[None, :]) / 100.0) ** rho[:, None]
    diff = v[:, None, :] - v[:, :, None]  # diff[k, i, j] = v[k, j] - v[k, i]
    num = np.maximum(diff, 0).sum(axis=0)
    z = np.abs(diff).sum()
    expected = np.where(x[:, None] == x[None, :], 0.0, num / z)
    got = _probability(x, cs, rho, 100.0, "replication", _ranks(x))
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-15)
    clean = _probability(x, cs, rho, 100.0, "clean", _ranks(x))
    both = num + num.T
    np.testing.assert_allclose(clean, np.where(both > 0, num / np.where(both > 0, both, 1), 0.5),
                               rtol=1e-10, atol=1e-15)


# --- behaviour --------------------------------------------------------------------------------


def test_deterministic_and_json_ready():
    data = load_stakeholders(EC)
    one, two = run_eu(data, seed=1), run_eu(data, seed=99)
    assert one.seed == 1 and two.seed == 99
    for r1, r2 in zip(one.rounds, two.rounds, strict=True):
        assert np.array_equal(r1.positions, r2.positions)
        assert r1.details == r2.details
    text = json.dumps(one.to_dict(), allow_nan=False)
    assert json.loads(text)["model"] == "eu"
    assert one.parameters == {"rounds": 10, "variant": "replication", "q": 1.0, "t": 1.0,
                              "max_matrix_actors": 20}
    assert one.forecast[0] == one.rounds[10].outcome[0]


def test_round_zero_is_the_input_and_the_compromise():
    data = load_stakeholders(EC)
    result = run_eu(data, rounds=0)
    assert len(result.rounds) == 1
    assert np.array_equal(result.rounds[0].positions, data.position)
    (base,) = compromise(data).internal.values()
    assert result.forecast[0] == pytest.approx(base, rel=1e-12)


def test_issues_run_independently_and_missing_actors_stay_out():
    ec = load_stakeholders(EC)
    n = ec.n_actors
    rng = np.random.default_rng(3)
    second = rng.uniform(0, 100, n)
    second[0] = np.nan  # the Netherlands has no position on the second issue
    sal2 = rng.uniform(0.1, 1, n)
    sal2[0] = 0.0
    both = StakeholderData(actors=ec.actors, issues=("ec", "other"), capability=ec.capability,
                           position=np.column_stack([ec.position[:, 0], second]),
                           salience=np.column_stack([ec.salience[:, 0], sal2]),
                           scales=(ec.scales[0], (0.0, 100.0)), source="two issues")
    other = StakeholderData(actors=ec.actors[1:], issues=("other",),
                            capability=ec.capability[1:], position=second[1:, None],
                            salience=sal2[1:, None], scales=((0.0, 100.0),), source="one")
    joint = run_eu(both, rounds=6)
    alone_ec, alone_other = run_eu(ec, rounds=6), run_eu(other, rounds=6)
    for t in range(7):
        np.testing.assert_allclose(joint.rounds[t].positions[:, 0],
                                   alone_ec.rounds[t].positions[:, 0], rtol=0, atol=1e-12)
        assert np.isnan(joint.rounds[t].positions[0, 1])
        np.testing.assert_allclose(joint.rounds[t].positions[1:, 1],
                                   alone_other.rounds[t].positions[:, 0], rtol=0, atol=1e-12)
        assert joint.rounds[t].outcome[1] == pytest.approx(alone_other.rounds[t].outcome[0])
    assert "Netherlands" not in joint.rounds[1].details["issues"]["other"]["risk_exponents"]


def test_matrices_only_for_small_issues():
    data = load_stakeholders(EC)
    assert "probability" in _issue(run_eu(data, rounds=1), 1)
    det = _issue(run_eu(data, rounds=1, max_matrix_actors=5), 1)
    assert "probability" not in det and "offers" not in det
    assert len(det["risk_exponents"]) == 10 and det["moves"]


def test_q_only_matters_through_the_status_quo_term():
    """With q < 1 the replication keeps only q U_sq; the clean variant adds the (1 - q) terms,
    so the two disagree at q < 1 in a way that the direct reading above checks; here: t does
    nothing in the replication and something in the clean variant."""
    data = load_stakeholders(EC)
    rep = [run_eu(data, rounds=3, q=0.5, t=tt) for tt in (0.0, 1.0)]
    assert np.array_equal(rep[0].rounds[3].positions, rep[1].rounds[3].positions)
    cl = [run_eu(data, rounds=1, variant="clean", q=0.5, t=tt) for tt in (0.0, 1.0)]
    assert _issue(cl[0], 1)["eu_challenge"] != _issue(cl[1], 1)["eu_challenge"]


@pytest.mark.parametrize(("kwargs", "where"), [
    ({"variant": "scholz"}, "variant"),
    ({"rounds": -1}, "rounds"),
    ({"rounds": 2.5}, "rounds"),
    ({"q": 1.5}, "q"),
    ({"t": "x"}, "t"),
    ({"gamma": 1}, "params"),
    ({"max_matrix_actors": -1}, "max_matrix_actors"),
])
def test_bad_arguments(kwargs, where):
    with pytest.raises(InputError) as err:
        run_eu(load_stakeholders(EC), **kwargs)
    assert err.value.problems[0].path == where


def test_salience_above_one_is_refused():
    data = _three()
    bad = StakeholderData(actors=data.actors, issues=data.issues, capability=data.capability,
                          position=data.position, salience=np.array([[0.5], [1.5], [0.5]]),
                          scales=data.scales, source="bad")
    with pytest.raises(InputError, match="outside 0..1"):
        run_eu(bad)


def test_everyone_at_one_position_stays_put():
    data = StakeholderData(actors=("a", "b"), issues=("x",), capability=np.array([1.0, 2.0]),
                           position=np.array([[40.0], [40.0]]),
                           salience=np.array([[0.3], [0.9]]), scales=((0.0, 100.0),),
                           source="flat")
    for variant in ("replication", "clean"):
        result = run_eu(data, rounds=3, variant=variant)
        assert all(np.array_equal(r.positions, data.position) for r in result.rounds)
        assert list(_issue(result, 1)["risk_exponents"].values()) == [1.0, 1.0]


@settings(max_examples=60, deadline=None)
@given(actors=st.lists(st.tuples(st.floats(0.01, 10), st.floats(0, 100), st.floats(0, 1)),
                       min_size=2, max_size=9),
       variant=st.sampled_from(["replication", "clean"]),
       q=st.sampled_from([1.0, 0.5]))
def test_positions_stay_in_the_initial_range(actors, variant, q):
    """Every offer is a move to another actor's position or between the two, so positions never
    leave [min, max] of the input; risk exponents stay in [0.5, 2] and P in [0, 1]."""
    c, x, s = (np.array(v) for v in zip(*actors, strict=True))
    data = StakeholderData(actors=tuple(f"a{i}" for i in range(len(c))), issues=("x",),
                           capability=c, position=x[:, None], salience=s[:, None],
                           scales=((0.0, 100.0),), source="hypothesis")
    if not (c * s).sum() > 0:
        return
    result = run_eu(data, rounds=6, variant=variant, q=q)
    lo, hi = x.min(), x.max()
    for rnd in result.rounds:
        assert np.all(rnd.positions >= lo - 1e-9) and np.all(rnd.positions <= hi + 1e-9)
        assert lo - 1e-9 <= rnd.outcome[0] <= hi + 1e-9
    for rnd in result.rounds[1:]:
        det = rnd.details["issues"]["x"]
        r = np.array(list(det["risk_exponents"].values()))
        assert np.all((r >= 0.5 - 1e-12) & (r <= 2 + 1e-12))
        p = np.array(det["probability"])
        assert np.all((p >= 0) & (p <= 1 + 1e-12))
