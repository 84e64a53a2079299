"""Bueno de Mesquita's expected-utility (EU) forecast model, one issue at a time.

The model of Bueno de Mesquita (1994), "Political forecasting: an expected utility method"
(in Bueno de Mesquita & Stokman (eds), *European Community Decision Making*, Yale UP), in the
form reconstructed by Scholz, Calbert & Smith (2011), "Unravelling Bueno De Mesquita's group
decision model", *Journal of Theoretical Politics* 23(4): 510-531,
doi:10.1177/0951629811418142. The model is one-dimensional: every issue of the data is run on
its own, with the actors that have a position on it.

Notation (one issue): actor i has position x_i, capability c_i, salience s_i in [0, 1] (read
as the probability that i resists a challenge) and risk exponent r_i. W = max x - min x over
the *initial* positions (fixed for the whole run); d_ij = |x_i - x_j| / W.

One round (all actors move simultaneously at its end):

1. Probability that i beats j. Voter k's support for i against j is
   v_k(i, j) = c_k s_k (u_k(x_j) - u_k(x_i)) with u_k(y) = (|x_k - y| / W)^rho_k, and
   N_ij = sum_k max(0, v_k(i, j)) (everyone who prefers x_i to x_j).
2. Utilities of i in a contest with j, with exponent r:
   U_s = 2 - 4 (0.5 - 0.5 d_ij)^r (success), U_f = 2 - 4 (0.5 + 0.5 d_ij)^r (failure),
   U_sq = 2 - 4 (0.5)^r (status quo), U_b = 2 - 4 (0.5 - 0.25 (|x_i - mu| + |x_i - x_j|)/W)^r
   and U_w the same with + (things get better / worse without a challenge; mu is the median).
3. Expected utility to i of challenging j: j resists with probability s_j, so
   E(U_ij) = s_j (P_ij U_s + (1 - P_ij) U_f) + (1 - s_j) U_s - Q U_sq
             - (1 - Q)(T U_b + (1 - T) U_w).
4. Risk. With every r = 1, i's "danger" is D_i = sum_{j != i, x_j != x_i} E(U_ji), how much the
   others expect to gain by challenging i. R_i = (2 D_i - max D - min D) / (max D - min D) in
   [-1, 1] and r_i = (1 - R_i/3) / (1 + R_i/3) in [0.5, 2]: the most threatened actor gets
   r = 0.5, the safest r = 2 (when every D_i is equal, R_i = 0 and r_i = 1).
5. With those r_i, receiver i compares, for each j with x_j != x_i, a = E^i(U_ij) (i's gain
   from challenging j) and b = E^i(U_ji) (j's gain from challenging i, as i sees it), and gets
   an offer from j:
   * conflict (i loses a confrontation) when b > a > 0: move to x_j;
   * compromise when b > 0 > a and b > |a|: move to x_i + (x_j - x_i) |a / b|;
   * capitulation when b > 0 > a and b < |a|: move to x_j.
   Each actor accepts one offer (see the variants) and everybody moves at once.

The predicted outcome of a round is the c.s-weighted mean sum c_i s_i x_i / sum c_i s_i of the
positions after it, as BDM and the replications report it; `details` also gives the median
(the Condorcet winner among the positions under linear, c.s-weighted votes, i.e. the c.s
weighted median; the lower of the two on an exact split).

Variants (`variant=`):

* ``"replication"`` reproduces the public replication that matches Scholz et al.'s published
  trajectory (`jmckib/bdm-scholz-expected-utility-model`, commit 55f63e9), quirks included:
  - P_ij = N_ij / Z with one constant Z = sum_k sum_{a, b} |v_k(a, b)| over all voters and
    all *ordered pairs of actors*, so P_ij is small and P_ij + P_ji != 1; P_ii = 0;
  - the votes use each voter's current exponent, rho_k = r_k (1 in the risk pass);
  - every expected utility i evaluates uses i's own r_i, also for j's gain b;
  - only the Q U_sq term is kept (the (1 - Q)(T U_b + (1 - T) U_w) term is dropped; Q = 1 by
    default, where both forms agree);
  - choice of offer: a conflict offer if there is one (the nearest x_j), else the compromise
    with the smallest EU-weighted position (|a| x_i + |b| x_j) / (|a| + |b|), which is not
    the smallest move (Belgium's jump to the Netherlands in round 4 of the EC case);
  - the capitulation test compares b with |b| and so never fires: capitulations never
    happen (harmless for the EC case).
  The replication's order-dependent median scan is not reproduced (the median is only
  reported here); where it would divide by zero (all dangers equal, all positions equal) this
  module uses r = 1 and d = 0 instead of failing.
* ``"clean"`` follows the equations as BDM and Scholz et al. state them:
  - P_ij = N_ij / (N_ij + N_ji) with linear votes (rho_k = 1), so P_ij + P_ji = 1 (0.5 when
    nobody prefers either);
  - each actor's utilities use its own exponent: a with r_i, b with r_j;
  - the full status-quo term with Q and T (parameters q and t, default 1 and 1) and mu the
    c.s-weighted median of the round's starting positions;
  - capitulation as stated (b > 0 > a, b < |a|);
  - each actor accepts the offer that requires the smallest move (ties: conflict, then
    compromise, then capitulation, then the proposer listed first).
  Both variants fix W at the initial width, skip challenges between actors at the same
  position and compute the risk exponents afresh each round from r = 1.

Parameters (`**params`): ``q`` (probability that the status quo holds without a challenge,
default 1.0), ``t`` (probability that things then get better, default 1.0; only used by
"clean" when q < 1) and ``max_matrix_actors`` (default 20: issues with at most that many
actors also get the full P, E(U_ij), E(U_ji) matrices and every offer in `details`). The model
is deterministic; `seed` is only recorded.

`details["issues"][issue]` of round 0 holds the median and mean of the input; of round t >= 1,
the risk exponents used in that round, the dangers D_i, the accepted moves (actor, proposer,
type, from, to, a = eu_challenge, b = eu_proposer), how many offers of each type were made, the
median and mean after the round and, for small issues, the matrices `probability` (the P of the
offer pass), `eu_challenge` (a[i][j] = E^i(U_ij)) and `eu_challenged_by` (b[i][j] = E^i(U_ji)),
in actor order, and every offer. Positions in `details` are in the issue's original units, like
`ForecastResult.to_dict()`. "conflict" is what the replication calls a confrontation.

The model runs on the internal 0..100 scale; it is scale-free (only differences over W enter),
so results in original units are the same up to rounding. Actors with salience 0 but a position
stay in the issue (targets that never resist, with no vote); actors without a position on an
issue are left out of it and keep NaN there.

Cost: per issue and round, O(n^2 log n) time and O(n^2) memory. The support sums N_ij, which
a direct port evaluates in O(n^3) per probability (O(n^6) for the risk step of the
replication, which recomputes Z inside every probability), come from prefix sums over the
voters sorted by position: in one dimension k prefers x_i to x_j exactly when it lies on x_i's
side of their midpoint. Z is a sum over the sorted rows of the vote matrix.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..budget import Budget, check
from ..errors import InputError, Problem
from .compromise import compromise
from .data import StakeholderData
from .result import ForecastResult, ForecastRound

VARIANTS = ("replication", "clean")
OFFER_TYPES = ("conflict", "compromise", "capitulation")
_DEFAULTS: dict[str, Any] = {"q": 1.0, "t": 1.0, "max_matrix_actors": 20}


def run_eu(data: StakeholderData, rounds: int = 10, variant: str = "replication",
           seed: int | None = 0, *, budget: Budget | None = None, **params: Any
           ) -> ForecastResult:
    """Run BDM's expected-utility model (Bueno de Mesquita 1994; Scholz, Calbert & Smith 2011)
    for `rounds` rounds on every issue of `data`, each issue on its own.

    Each round: risk exponents r_i = (1 - R_i/3)/(1 + R_i/3) from the dangers
    D_i = sum_j E(U_ji) computed with r = 1; then every actor i weighs a = E^i(U_ij) against
    b = E^i(U_ji) for each j, with E(U_ij) = s_j (P_ij U_s + (1 - P_ij) U_f) + (1 - s_j) U_s
    - Q U_sq [- (1 - Q)(T U_b + (1 - T) U_w)], gets conflict / compromise / capitulation offers,
    accepts one, and all actors move at once. The round's outcome is the c.s-weighted mean.

    `variant="replication"` (default) reproduces the jmckib replication of Scholz et al.
    (global probability denominator, own-r perspective, Q-only status quo, EU-weighted
    compromise choice, no capitulations); `variant="clean"` uses the pairwise probability,
    each actor's own r, the full Q/T term and the smallest-move choice. The module docstring
    gives every formula and difference. `params`: q, t (default 1.0), max_matrix_actors (20).
    The model is deterministic; `seed` is only recorded in the result. `budget` is polled
    every round of every issue (`BudgetExceeded` when it runs out).

    Cost: O(n^2 log n) time and O(n^2) memory per issue and round (n actors on the issue).
    Raises `InputError` for a bad variant, round count or parameter, a salience outside 0..1,
    or an issue that the compromise baseline rejects (zero total weight).

    References: Bueno de Mesquita, B. (1994) "Political forecasting: an expected utility
    method", in Bueno de Mesquita, B. and Stokman, F. N. (eds.) *European Community Decision
    Making*, Yale University Press, pp. 71-104 (a book; no DOI); Scholz, J. B., Calbert,
    G. J. and Smith, G. A. (2011) "Unravelling Bueno De Mesquita's group decision model",
    Journal of Theoretical Politics 23(4):510-531, doi:10.1177/0951629811418142.
    """
    p = _parameters(rounds, variant, params)
    compromise(data)  # the same checks: every issue needs weight, weighted actors a position
    problems = [Problem(f"{data.actors[i]}.{data.issues[k]}",
                        f"salience {data.salience[i, k]:g} is outside 0..1 (the EU model reads "
                        "it as a probability)", data.source)
                for i, k in np.argwhere((data.salience < 0) | (data.salience > 1 + 1e-9))]
    if problems:
        raise InputError(problems)
    n, d = data.n_actors, data.n_issues
    positions = np.full((rounds + 1, n, d), np.nan)
    issue_details: list[list[dict[str, Any]]] = []
    for k in range(d):
        active = np.flatnonzero(np.isfinite(data.position[:, k]))
        path, det = _run_issue(data, k, active, rounds, variant, p, budget)
        positions[:, active, k] = path
        issue_details.append(det)
    w = data.capability[:, None] * data.salience
    w = w / w.max(axis=0)  # scaled, so that tiny weights do not underflow
    out: list[ForecastRound] = []
    for t in range(rounds + 1):
        x = positions[t]
        outcome = (w * np.where(w > 0, x, 0.0)).sum(axis=0) / w.sum(axis=0)
        details = {"issues": {issue: issue_details[k][t] for k, issue in enumerate(data.issues)}}
        out.append(ForecastRound(round=t, positions=x, outcome=outcome, details=details))
    return ForecastResult(model="eu", data=data, parameters={"rounds": rounds, "variant": variant,
                                                             **p}, rounds=out, seed=seed)


def _parameters(rounds: int, variant: str, params: dict[str, Any]) -> dict[str, Any]:
    problems = []
    if variant not in VARIANTS:
        problems.append(Problem.of_parameter(
            "variant", f"{variant!r} is not one of {', '.join(VARIANTS)}"))
    if isinstance(rounds, bool) or not isinstance(rounds, (int, np.integer)) or rounds < 0:
        problems.append(Problem.of_parameter("rounds", f"{rounds!r} is not a whole number >= 0"))
    unknown = sorted(set(params) - set(_DEFAULTS))
    if unknown:
        problems.append(Problem("params", f"unknown parameter(s) {', '.join(unknown)} (the EU "
                                "model takes " + ", ".join(_DEFAULTS) + ")"))
    p = {**_DEFAULTS, **{key: v for key, v in params.items() if key in _DEFAULTS}}
    for key in ("q", "t"):
        try:
            p[key] = float(p[key])
        except (TypeError, ValueError):
            p[key] = float("nan")
        if not 0.0 <= p[key] <= 1.0:
            problems.append(Problem(key, f"{params[key]!r} is not a probability in 0..1"))
    m = p["max_matrix_actors"]
    if isinstance(m, bool) or not isinstance(m, (int, np.integer)) or m < 0:
        problems.append(Problem.of_parameter(
            "max_matrix_actors", f"{m!r} is not a whole number >= 0"))
    if problems:
        raise InputError(problems)
    p["max_matrix_actors"] = int(m)
    return p


# --- the pieces of one round ----------------------------------------------------------------


def _ranks(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The voters' order by position and, for every pair (i, j), how many voters lie strictly
    left of the midpoint of x_i and x_j (`left`) and how many lie at or left of it (`right`)."""
    order = np.argsort(x, kind="stable")
    xs = x[order]
    # query the midpoints in sorted order (numpy's search is faster on sorted keys)
    mid = (xs[:, None] + xs[None, :]) / 2.0
    left = np.empty((x.size, x.size), dtype=np.intp)
    right = np.empty_like(left)
    grid = np.ix_(order, order)
    left[grid] = np.searchsorted(xs, mid, side="left")
    right[grid] = np.searchsorted(xs, mid, side="right")
    return order, left, right


def _support(x: np.ndarray, votes: np.ndarray,
             ranks: tuple[np.ndarray, np.ndarray, np.ndarray]) -> np.ndarray:
    """N[i, j] = sum_k max(0, votes[k, j] - votes[k, i]), where votes[k, a] is voter k's weighted
    distance (loss) of position x_a and grows with |x_k - x_a|.

    Voter k prefers x_i to x_j exactly when it is on x_i's side of their midpoint, so with the
    voters sorted by position N is a difference of prefix sums: O(n^2) given `_ranks(x)`
    (O(n^2 log n)), instead of O(n^3). Voters at the midpoint add nothing either way.
    """
    n = x.size
    order, left, right = ranks
    cum = np.zeros((n + 1, n))
    np.cumsum(votes[order], axis=0, out=cum[1:])
    rows = np.arange(n)[:, None]
    cols = np.arange(n)[None, :]
    low = cum[left, cols] - cum[left, rows]  # x_i < x_j: the voters left of the midpoint
    high = (cum[n][None, :] - cum[right, cols]) - (cum[n][:, None] - cum[right, rows])
    out = np.where(x[:, None] < x[None, :], low, np.where(x[:, None] > x[None, :], high, 0.0))
    return np.maximum(out, 0.0)


def _vote_matrix(x: np.ndarray, cs: np.ndarray, rho: np.ndarray, width: float) -> np.ndarray:
    """votes[k, a] = c_k s_k (|x_k - x_a| / W)^rho_k."""
    return cs[:, None] * (np.abs(x[:, None] - x[None, :]) / width) ** rho[:, None]


def _probability(x: np.ndarray, cs: np.ndarray, rho: np.ndarray, width: float,
                 variant: str, ranks: tuple[np.ndarray, np.ndarray, np.ndarray]) -> np.ndarray:
    """P[i, j], the probability that i beats j (step 1 of the module docstring)."""
    votes = _vote_matrix(x, cs, rho, width)
    n_ij = _support(x, votes, ranks)
    if variant == "replication":
        # sum over ordered pairs (a, b) of |u_a - u_b| for one sorted row u:
        # 2 sum_p u_(p) (2p - n + 1)
        srt = np.sort(votes, axis=1)
        n = x.size
        total = 2.0 * float((srt * (2.0 * np.arange(n) - n + 1.0)).sum())
        prob = n_ij / total if total > 0 else np.zeros_like(n_ij)
        prob[x[:, None] == x[None, :]] = 0.0
        return prob
    both = n_ij + n_ij.T
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(both > 0, n_ij / np.where(both > 0, both, 1.0), 0.5)


def _utility(val: np.ndarray, r: np.ndarray) -> np.ndarray:
    return 2.0 - 4.0 * val ** r


def _expected(prob: np.ndarray, dist: np.ndarray, s_target: np.ndarray, r: np.ndarray,
              q: float, t: float, to_median: np.ndarray | None) -> np.ndarray:
    """Expected utility of challenging (step 3): challenger's P, the normalised distance d, the
    target's salience, the exponent to use and, for the clean variant, the challenger's
    |x - mu| / W (None: drop the (1 - Q) term, as the replication does)."""
    u_s = _utility(0.5 - 0.5 * dist, r)
    u_f = _utility(0.5 + 0.5 * dist, r)
    u_sq = _utility(np.full_like(r, 0.5), r)
    eu = s_target * (prob * u_s + (1.0 - prob) * u_f) + (1.0 - s_target) * u_s - q * u_sq
    if to_median is not None and q < 1.0:
        spread = 0.25 * (to_median + dist)
        eu = eu - (1.0 - q) * (t * _utility(0.5 - spread, r)
                               + (1.0 - t) * _utility(0.5 + spread, r))
    return eu


def _median(x: np.ndarray, w: np.ndarray) -> float:
    """The c.s-weighted median: the Condorcet winner among the positions under linear votes
    (the lower one on an exact split)."""
    keep = w > 0
    xs, ws = x[keep], w[keep]
    order = np.argsort(xs, kind="stable")
    cum = np.cumsum(ws[order])
    k = int(np.searchsorted(cum, 0.5 * cum[-1] * (1.0 - 1e-12)))
    return float(xs[order][min(k, xs.size - 1)])


def _risk_exponents(danger: np.ndarray) -> np.ndarray:
    hi, lo = float(danger.max()), float(danger.min())
    if not hi > lo:
        return np.ones_like(danger)
    big_r = (2.0 * danger - hi - lo) / (hi - lo)
    return (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)


def _round(x: np.ndarray, cs: np.ndarray, s: np.ndarray, width: float, variant: str,
           q: float, t: float) -> dict[str, Any]:
    """One round on one issue: the risk exponents, the offers and the new positions."""
    n = x.size
    clean = variant == "clean"
    dist = np.abs(x[:, None] - x[None, :]) / width
    apart = x[:, None] != x[None, :]
    mu = _median(x, cs) if clean else 0.0
    to_mu = (np.abs(x - mu) / width) if clean else None
    ones = np.ones(n)
    ranks = _ranks(x)

    # Risk pass (r = 1): b[i, j] = E^i(U_ji), j challenging target i.
    prob1 = _probability(x, cs, ones, width, variant, ranks)
    b1 = _expected(prob1.T, dist, s[:, None], ones[:, None], q, t,
                   None if to_mu is None else to_mu[None, :])
    danger = np.where(apart, b1, 0.0).sum(axis=1)
    r = _risk_exponents(danger)

    # Offer pass with the new exponents.
    prob = prob1 if clean else _probability(x, cs, r, width, variant, ranks)
    r_i = r[:, None]
    a = _expected(prob, dist, s[None, :], r_i, q, t, None if to_mu is None else to_mu[:, None])
    b = _expected(prob.T, dist, s[:, None], r[None, :] if clean else r_i, q, t,
                  None if to_mu is None else to_mu[None, :])
    a = np.where(apart, a, 0.0)  # no contest between actors at the same position
    b = np.where(apart, b, 0.0)
    conflict = apart & (b > a) & (a > 0)
    comp = apart & (b > 0) & (a < 0) & (b > np.abs(a))
    cap = apart & (b > 0) & (a < 0) & (b < (np.abs(a) if clean else np.abs(b)))
    with np.errstate(divide="ignore", invalid="ignore"):
        target = np.where(comp, x[:, None] + (x[None, :] - x[:, None]) * np.abs(a / b),
                          x[None, :])
    kind = np.where(conflict, 0, np.where(comp, 1, np.where(cap, 2, -1)))
    move = np.abs(target - x[:, None])
    idx = np.arange(n)
    if clean:
        cost = np.where(kind >= 0, move, np.inf)
        best = cost.min(axis=1, keepdims=True)
        score = np.where((kind >= 0) & (cost == best), kind * n + idx[None, :], 3 * n)
        choice = score.argmin(axis=1)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            weighted = ((np.abs(a) * x[:, None] + np.abs(b) * x[None, :])
                        / (np.abs(a) + np.abs(b)))
        by_conflict = np.where(conflict, move, np.inf).argmin(axis=1)
        by_comp = np.where(comp, weighted, np.inf).argmin(axis=1)
        by_cap = np.where(cap, move, np.inf).argmin(axis=1)
        choice = np.where(conflict.any(axis=1), by_conflict,
                          np.where(comp.any(axis=1), by_comp, by_cap))
    chosen_kind = kind[idx, choice]
    moves = chosen_kind >= 0
    new_x = np.where(moves, target[idx, choice], x)
    return {"x": new_x, "r": r, "danger": danger, "prob": prob, "a": a, "b": b,
            "kind": kind, "target": target, "choice": choice, "moves": moves}


def _run_issue(data: StakeholderData, k: int, active: np.ndarray, rounds: int, variant: str,
               p: dict[str, Any], budget: Budget | None = None
               ) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """Positions (rounds + 1, n_active) on issue k, and the details of every round."""
    names = [data.actors[i] for i in active]
    x = data.position[active, k].astype(float)
    cs = data.capability[active] * data.salience[active, k]
    s = data.salience[active, k].astype(float)
    width = float(x.max() - x.min()) if x.size else 0.0
    width = width if width > 0 else 1.0  # all at one position: nobody can move anyway
    lo, hi = data.scales[k]

    def orig(v: float) -> float:
        return float(lo + v / 100.0 * (hi - lo))

    def summary(pos: np.ndarray) -> dict[str, Any]:
        keep = cs > 0
        ws = cs[keep] / cs[keep].max()
        mean = float((ws * pos[keep]).sum() / ws.sum())
        return {"median": orig(_median(pos, cs)), "mean": orig(mean)}

    path = np.empty((rounds + 1, x.size))
    path[0] = x
    details: list[dict[str, Any]] = [summary(x)]
    small = x.size <= p["max_matrix_actors"]
    for t in range(1, rounds + 1):
        check(budget, k * rounds + t - 1, data.n_issues * rounds, "eu forecast rounds",
              "give fewer --rounds or fewer actors and issues")
        res = _round(x, cs, s, width, variant, p["q"], p["t"])
        kind, target = res["kind"], res["target"]
        det: dict[str, Any] = {
            "risk_exponents": {a: float(v) for a, v in zip(names, res["r"], strict=True)},
            "danger": {a: float(v) for a, v in zip(names, res["danger"], strict=True)},
            "offers_made": {name: int((kind == code).sum())
                            for code, name in enumerate(OFFER_TYPES)},
            "moves": [{"actor": names[i], "proposer": names[j],
                       "type": OFFER_TYPES[kind[i, j]], "from": orig(x[i]),
                       "to": orig(target[i, j]), "eu_challenge": float(res["a"][i, j]),
                       "eu_proposer": float(res["b"][i, j])}
                      for i, j in enumerate(res["choice"]) if res["moves"][i]],
        }
        if small:
            det["probability"] = res["prob"].tolist()
            det["eu_challenge"] = res["a"].tolist()
            det["eu_challenged_by"] = res["b"].tolist()
            det["offers"] = [{"actor": names[i], "proposer": names[j],
                              "type": OFFER_TYPES[kind[i, j]], "to": orig(target[i, j])}
                             for i, j in np.argwhere(kind >= 0)]
        x = res["x"]
        path[t] = x
        det.update(summary(x))
        details.append(det)
    return path, details
