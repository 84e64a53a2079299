"""Exact Pareto frontiers of multi-issue outcome spaces.

With additive utilities, a deal is Pareto-optimal only if each of its options is
Pareto-optimal on its own issue (else swapping that option for one that dominates it makes
every actor at least as well off). More strongly, the set of utility vectors of the
frontier of issues 1..k is contained in the Minkowski sum of the frontier of issues 1..k-1
with the per-issue frontier of issue k. `pareto_frontier` therefore merges issue by issue
and prunes after every merge (the maxima filtering of Kung, Luccio & Preparata 1975, see
`nondominated`), so its cost is governed by frontier sizes, not by the number of deals;
`pareto_frontier_enumerated` walks every deal and is kept as the fallback and the test
oracle.

Conventions (both methods give the same answer, element for element):

* dominance is weak: y dominates x when y >= x for every actor and y != x;
* a frontier lists each utility vector once; among deals with the same utilities for the
  frontier's actors it keeps the one with the lowest option indices, compared issue by
  issue in scenario order (the lexicographically smallest deal);
* deals are returned in that lexicographic order.

Utilities are exact (see `accord.space`), so ties are real ties. `spread_sample` picks an
even sample of a frontier for front ends that list it only up to a limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from ..errors import InputError, Problem
from ..space import Space, iter_deal_blocks

if TYPE_CHECKING:
    from ..budget import Budget


@dataclass(frozen=True, eq=False)
class Frontier:
    """The Pareto frontier of a space over some actors.

    `deals` (p, n_issues) holds option indices, `units` (p, len(actors)) the frontier
    actors' exact utility units (see `accord.space`), `utilities` the same in [0, 1]; all
    in lexicographic order of the deals.

    References: as `pareto_frontier` (Kung, Luccio & Preparata 1975).
    """

    actors: tuple[int, ...]
    deals: np.ndarray
    units: np.ndarray
    utilities: np.ndarray
    method: str

    def __len__(self) -> int:
        return len(self.deals)


# ---------------------------------------------------------------------------------------
# Maxima of a point set


def nondominated(points: np.ndarray, budget: Budget | None = None) -> np.ndarray:
    """Indices (ascending) of the rows of `points` (m, k) that no other row dominates.

    Weak dominance; of identical rows only the first is kept. Rows are sorted in decreasing
    lexicographic order (stable, so ties keep their input order); a row can then only be
    dominated by an earlier one, and row i is dropped exactly when some earlier row j has
    p_j >= p_i in every coordinate. Comparisons are exact (no tolerance).

    Cost, after the O(k m log m) sort:

    * k = 1, 2: O(m), a running maximum;
    * k = 3: O(m log^2 m), a divide-and-conquer dominance query over positions (Kung,
      Luccio & Preparata 1975) vectorised level by level (`_earlier_cover`);
    * k >= 4: the divide and conquer of Kung, Luccio & Preparata (1975, "On finding the
      maxima of a set of vectors", J. ACM 22(4), doi:10.1145/321906.321910) as laid out by
      Bentley (1980, "Multidimensional divide-and-conquer", Commun. ACM 23(4),
      doi:10.1145/358841.358850): split the sorted rows in two halves, find the maxima of
      each, and drop the right half's maxima that one of the left half's maxima dominates
      in coordinates 2..k (coordinate 1 is ordered by the sort), a bichromatic dominance
      query solved by the same splitting one dimension lower down to 3 dimensions, where
      `_earlier_cover` answers it in O(n log^2 n). Worst case (every row a maximum)
      O(m log^(k-1) m). Only maxima travel up the recursion, so with few maxima the cost
      approaches the sort; before it, the rows that one of a few strong rows dominates
      are dropped in O(m k) per strong row (`_pivot_filter`). Small subproblems are
      compared pairwise, vectorised.
    """
    points = np.asarray(points, dtype=float)
    m, k = points.shape
    if m <= 1:
        return np.arange(m)
    if k == 1:
        return np.array([int(np.argmax(points[:, 0]))])
    order = np.lexsort(tuple(-points[:, j] for j in range(k - 1, -1, -1)))
    ranked = points[order]
    if k == 2:
        u2 = ranked[:, 1]
        before = np.concatenate(([-np.inf], np.maximum.accumulate(u2)[:-1]))
        dominated = u2 <= before
    elif k == 3:
        dominated = _dominated_3d(ranked)
    else:
        dominated = _dominated_dc(ranked, budget)
    return np.sort(order[~dominated])


def constant_sum(space: Space, actors: Sequence[int]) -> bool:
    """True when the actors' utilities sum to the same value on every deal: on every issue
    sum_a U_a(o) = sum_a u_a(o) / K_a is the same for every option (exact rationals).
    Then no deal dominates another unless their utilities are equal (a dominating deal
    would have a larger sum), so the maxima of any set of deals are its distinct points.
    O(options x actors) exact additions; false for scenarios with interaction terms."""
    if not space.additive or len(actors) < 2:
        return False
    K = [int(space.scale[a]) for a in actors]
    for i in range(space.n_issues):
        u = space.units[i][list(actors)]
        sums = {sum((Fraction(int(x), k) for x, k in zip(u[:, o], K, strict=True)),
                    Fraction(0)) for o in range(u.shape[1])}
        if len(sums) > 1:
            return False
    return True


def first_distinct(points: np.ndarray) -> np.ndarray:
    """Indices (ascending) of the first occurrence of each distinct row of `points`:
    the maxima of a set of points that lie on one hyperplane with a positive normal (see
    `constant_sum`), equal to `nondominated` there. One stable lexicographic sort,
    O(k m log m)."""
    m = len(points)
    if m <= 1:
        return np.arange(m)
    order = np.lexsort(tuple(points[:, j] for j in range(points.shape[1] - 1, -1, -1)))
    ranked = points[order]
    new = np.ones(m, dtype=bool)
    new[1:] = (ranked[1:] != ranked[:-1]).any(axis=1)
    return np.sort(order[new])


def _dense_rank(x: np.ndarray) -> np.ndarray:
    return np.unique(x, return_inverse=True)[1].astype(np.int64)


def _dominated_3d(ranked: np.ndarray) -> np.ndarray:
    """For rows in decreasing lexicographic order: is there an earlier row j with
    (u2_j, u3_j) >= (u2_i, u3_i)?"""
    return _earlier_cover(ranked[:, 1], ranked[:, 2])


def _earlier_cover(y: np.ndarray, z: np.ndarray, data: np.ndarray | None = None
                   ) -> np.ndarray:
    """For each position i: is there an earlier position j (a data row when `data` is
    given, else any) with y_j >= y_i and z_j >= z_i?

    Bottom-up divide and conquer over positions: at level s, each right half queries its
    left half for the largest z among data rows with y >= its own, all segments at once
    through one sort and a segmented running maximum. O(n log^2 n): log n sorts."""
    m = len(y)
    r2 = _dense_rank(y)
    r3 = _dense_rank(z)
    top2 = int(r2.max()) + 1
    best = np.full(m, -1, dtype=np.int64)
    pos = np.arange(m, dtype=np.int64)
    span = m + 1
    s = 1
    while s < m:
        seg = pos // (2 * s)
        right = (pos // s) % 2 == 1
        key = (seg * (top2 + 1) + (top2 - r2)) * 2 + right
        order = np.argsort(key, kind="stable")
        seg_o = seg[order]
        right_o = right[order]
        silent = right_o if data is None else right_o | ~data[order]
        base = seg_o * span
        vals = np.where(silent, base, base + r3[order] + 1)
        acc = np.maximum.accumulate(vals)
        found = acc - base - 1
        rows = order[right_o]
        best[rows] = np.maximum(best[rows], found[right_o])
        s *= 2
    return best >= r3


_LEAF = 256
"""`_maxima_dc` compares at most this many rows pairwise instead of splitting them."""
_BRUTE = 1 << 16
"""`_covered` compares pairwise when (data rows) x (query rows) is at most this."""
_PIVOTS = 32
"""Strong rows `_pivot_filter` tries, in batches of `_PIVOT_BATCH`."""
_PIVOT_BATCH = 8


def _dominated_dc(ranked: np.ndarray, budget: Budget | None = None) -> np.ndarray:
    """`nondominated` for k >= 4: rows in decreasing lexicographic order -> is some earlier
    row >= this one in every coordinate?"""
    dominated = _pivot_filter(ranked)
    alive = np.flatnonzero(~dominated)
    dominated[alive[_maxima_dc(ranked[alive], budget)]] = True
    return dominated


def _pivot_filter(ranked: np.ndarray) -> np.ndarray:
    """Rows dominated by one of a few strong earlier rows: those with the largest
    sum_c log(normalised u_c + 1/m) (close to every coordinate's top at once, so each
    dominates much of the set). Batches of `_PIVOT_BATCH` rows, each O(alive * k); stops
    when a batch removes under 2% of the rows still alive. Dropping rows that an earlier
    row dominates never changes the answer for the others (dominance is transitive)."""
    m, k = ranked.shape
    score = np.zeros(m)
    with np.errstate(all="ignore"):  # infinite coordinates give a useless score, no harm
        lo = ranked.min(axis=0)
        span = ranked.max(axis=0) - lo
        span[~(span > 0)] = 1.0
        for c in range(k):
            score += np.log((ranked[:, c] - lo[c]) / span[c] + 1.0 / m)
    n = min(_PIVOTS, m)
    score = np.nan_to_num(score, nan=-np.inf)
    top = np.argpartition(-score, n - 1)[:n]
    top = top[np.argsort(-score[top], kind="stable")]
    alive = np.arange(m)
    for s in range(0, n, _PIVOT_BATCH):
        rest = ranked[alive]
        hit = np.zeros(len(alive), dtype=bool)
        for j in top[s : s + _PIVOT_BATCH]:
            hit |= (ranked[j] >= rest).all(axis=1) & (alive > j)
        alive = alive[~hit]
        if np.count_nonzero(hit) < 0.02 * len(hit):
            break
    dominated = np.ones(m, dtype=bool)
    dominated[alive] = False
    return dominated


def _maxima_dc(p: np.ndarray, budget: Budget | None = None) -> np.ndarray:
    """Kung-Luccio-Preparata maxima of rows in decreasing lexicographic order: is some
    earlier row >= this one? Left half first, right half, then the right half's maxima
    against the left half's maxima in coordinates 2..k."""
    m = len(p)
    if m <= _LEAF:
        return np.triu(_ge_table(p, p), 1).any(axis=0)
    _poll(budget)
    h = m // 2
    left = _maxima_dc(p[:h], budget)
    right = _maxima_dc(p[h:], budget)
    queries = np.flatnonzero(~right)
    hit = _covered(p[:h][~left, 1:], p[h:][queries, 1:], budget)
    right[queries[hit]] = True
    return np.concatenate([left, right])


def _ge_table(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(len(a), len(b)) table of a_i >= b_j in every coordinate."""
    ge = a[:, None, 0] >= b[None, :, 0]
    for c in range(1, a.shape[1]):
        ge &= a[:, None, c] >= b[None, :, c]
    return ge


def _row_sums(p: np.ndarray) -> np.ndarray:
    """Row sums added column by column, so that a >= b implies sum(a) >= sum(b) in floating
    point too (rounding is monotone and every row is added in the same order)."""
    s = p[:, 0].copy()
    with np.errstate(all="ignore"):  # overflow to inf keeps the order; inf - inf is caught
        for c in range(1, p.shape[1]):
            s += p[:, c]
    return s


def _poll(budget: Budget | None) -> None:
    if budget is not None and budget.expired():
        budget.check(what="Pareto frontier")


def _covered(a: np.ndarray, b: np.ndarray, budget: Budget | None = None) -> np.ndarray:
    """Bichromatic dominance: for each row of `b` (queries), is some row of `a` (data) >= it
    in every one of the d >= 3 coordinates?

    Queries outside the data's bounding box or with a larger coordinate sum than every
    data row are dropped first, then data rows below the queries' box. Small problems are
    compared pairwise; d = 3 goes to `_earlier_cover` after sorting on the first coordinate
    (data before queries on ties, so a data row precedes a query exactly when its first
    coordinate is >=). Larger d splits that order at its middle (Bentley 1980): queries
    in the first half ask the data of the first half (d coordinates), queries in the
    second half ask the data of the first half in the last d - 1 coordinates (the first
    is then >= by construction) and, for those still open, the data of the second half.
    O(n log^(d-1) n) for n = len(a) + len(b)."""
    out = np.zeros(len(b), dtype=bool)
    if len(a) == 0 or len(b) == 0:
        return out
    if len(a) * len(b) <= _BRUTE:
        return _brute_cover(a, b)
    sa, sb = _row_sums(a), _row_sums(b)
    sums = not (np.isnan(sa).any() or np.isnan(sb).any())  # no inf - inf
    box = (b <= a.max(axis=0)).all(axis=1)
    if sums:
        box &= sb <= sa.max()
    qi = np.flatnonzero(box)
    if len(qi) == 0:
        return out
    b = b[qi]
    useful = (a >= b.min(axis=0)).all(axis=1)
    if sums:
        useful &= sa >= sb[qi].min()
    a = a[useful]
    if len(a) * len(b) <= _BRUTE:
        out[qi] = _brute_cover(a, b)
        return out
    _poll(budget)
    both = np.concatenate([a, b])
    is_query = np.arange(len(both)) >= len(a)
    order = np.lexsort((is_query, -both[:, 0]))
    if a.shape[1] == 3:
        hit = np.empty(len(both), dtype=bool)
        hit[order] = _earlier_cover(both[order, 1], both[order, 2], ~is_query[order])
        out[qi] = hit[len(a):]
        return out
    first, second = order[: len(order) // 2], order[len(order) // 2 :]
    a_first = both[first[~is_query[first]]]
    a_second = both[second[~is_query[second]]]
    q_first = first[is_query[first]] - len(a)
    q_second = second[is_query[second]] - len(a)
    hit = np.zeros(len(b), dtype=bool)
    hit[q_first] = _covered(a_first, b[q_first], budget)
    lower = _covered(a_first[:, 1:], b[q_second, 1:], budget)
    hit[q_second[lower]] = True
    still_open = q_second[~lower]
    hit[still_open] = _covered(a_second, b[still_open], budget)
    out[qi] = hit
    return out


def _brute_cover(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """`_covered` by comparing every pair, in slices of about 2**20 pairs."""
    out = np.zeros(len(b), dtype=bool)
    step = max(1, (1 << 20) // max(1, len(a)))
    for s in range(0, len(b), step):
        out[s : s + step] = _ge_table(a, b[s : s + step]).any(axis=0)
    return out


# ---------------------------------------------------------------------------------------
# Frontiers of a space


MAX_CANDIDATES = 20_000_000
"""Largest merge step `pareto_frontier` attempts (frontier size x options of an issue)."""


class FrontierTooLarge(InputError):
    """The issue-by-issue merge would need more than `max_candidates` points: the frontier
    is too large to list.

    `issues_merged`: issues merged before the step that would exceed the limit;
    `lower_bound`: a proven lower bound on the number of frontier deals, or None.
    `lower_bound_actors` names the pair of actors whose own frontier gives that bound: a
    frontier over a set of actors is at least as large as the frontier over any subset of
    them (each point of the smaller frontier is the projection of a point of the larger
    one, found by maximising the other actors' utilities among the deals that reach it)."""

    def __init__(self, n_actors: int, issues_merged: int, n_issues: int, max_candidates: int,
                 lower_bound: int | None = None,
                 lower_bound_actors: tuple[str, str] | None = None):
        text = (f"the Pareto frontier over {n_actors} actors needs more than "
                f"{max_candidates:,} candidates after {issues_merged} of {n_issues} issues: "
                "too large to list")
        if lower_bound is not None:
            text += f"; it has at least {lower_bound:,} deals"
            if lower_bound_actors is not None:
                text += (f" (the frontier over {lower_bound_actors[0]} and "
                         f"{lower_bound_actors[1]} alone has {lower_bound:,})")
        text += ("; list a sample with --frontier-limit, or ask the question directly (ZOPA, "
                 "solutions) without the frontier")
        super().__init__([Problem.of_parameter("parties", text)])
        self.n_actors = n_actors
        self.issues_merged = issues_merged
        self.n_issues = n_issues
        self.max_candidates = max_candidates
        self.lower_bound = lower_bound
        self.lower_bound_actors = lower_bound_actors


def pareto_frontier(space: Space, actors: Sequence[str] | Sequence[int] | None = None,
                    method: str = "auto", max_candidates: int = MAX_CANDIDATES,
                    budget: Budget | None = None) -> Frontier:
    """The exact Pareto frontier of `space` for `actors` (default: the veto actors): the
    deals x with no deal y such that U_a(y) >= U_a(x) for every actor a and U(y) != U(x).

    `method="auto"` (default) merges when utilities are additive and enumerates when the
    scenario has interaction terms. `method="merge"` merges issue by issue with pruning
    (see the module doc): its cost is about sum over issues of |F| * |P_i| * log, where |F|
    is the running frontier size and |P_i| the number of Pareto-optimal options of issue i;
    it never enumerates the outcome space. `method="enumerate"` walks all deals (the
    oracle; O(outcomes)).

    With many actors almost every deal can be Pareto-optimal; when a merge step would
    exceed `max_candidates` points, `FrontierTooLarge` (an `InputError` on `parties`) says
    so, with a proven lower bound on the frontier size when the two-actor frontiers give
    one. `budget` (see `accord.budget`) is checked once per merged issue (once per block of
    deals when enumerating) and raises `BudgetExceeded` when the time is up.

    References: Kung, H. T., Luccio, F. and Preparata, F. P. (1975) "On finding the maxima of
    a set of vectors", J. ACM 22(4):469-476, doi:10.1145/321906.321910 (the pruning, see
    `nondominated`).
    """
    idx = space.resolve_actors(actors)
    if method == "auto":
        method = "merge" if space.additive else "enumerate"
    if method == "enumerate":
        if space.outcomes > max_candidates:
            raise InputError([Problem(
                "interactions", f"{space.outcomes:,} deals with interaction terms: the exact "
                                "frontier needs enumeration, and that is too many deals")])
        return pareto_frontier_enumerated(space, idx, budget=budget)
    if method != "merge":
        raise ValueError(f"unknown method {method!r}: use 'auto', 'merge' or 'enumerate'")
    if not space.additive:
        raise ValueError("the merge needs additive utilities: use method='auto' or "
                         "'enumerate' for scenarios with interaction terms")
    try:
        deals, values = _merge(space, idx, max_candidates, budget)
    except FrontierTooLarge as exc:
        bound, pair = _pair_lower_bound(space, idx, max_candidates, budget)
        raise FrontierTooLarge(len(idx), exc.issues_merged, space.n_issues, max_candidates,
                               bound, pair) from None
    return Frontier(idx, deals, values, space.to_utility(values, idx), "merge")


def _merge(space: Space, idx: tuple[int, ...], max_candidates: int, budget: Budget | None
           ) -> tuple[np.ndarray, np.ndarray]:
    """Deals and utility units of the frontier by the issue-by-issue merge (see the module
    doc); `FrontierTooLarge` without a bound when a step would exceed `max_candidates`."""
    deals = np.zeros((1, 0), dtype=np.int32)
    values = np.zeros((1, len(idx)))
    flat = constant_sum(space, idx)
    for i in range(space.n_issues):
        if budget is not None:
            budget.check(done=i, total=space.n_issues, what="Pareto frontier")
        c = space.units[i][list(idx), :].T  # (options, actors)
        opts = nondominated(c)
        if len(values) * len(opts) > max_candidates:
            raise FrontierTooLarge(len(idx), i, space.n_issues, max_candidates)
        cand = (values[:, None, :] + c[opts][None, :, :]).reshape(-1, len(idx))
        keep = first_distinct(cand) if flat else nondominated(cand, budget)
        rows, col = np.divmod(keep, len(opts))
        deals = np.concatenate([deals[rows], opts[col].astype(np.int32)[:, None]], axis=1)
        values = cand[keep]
    return deals, values


def _pair_lower_bound(space: Space, idx: tuple[int, ...], max_candidates: int,
                      budget: Budget | None) -> tuple[int | None, tuple[str, str] | None]:
    """The largest frontier over two of the actors `idx`, with that pair: a lower bound on
    the size of their frontier (see `FrontierTooLarge`). Pairs whose own merge would exceed
    `max_candidates` are skipped, and so are the remaining pairs once `budget` has run out;
    (None, None) when no pair was computed or there are fewer than three actors."""
    best: tuple[int | None, tuple[str, str] | None] = (None, None)
    if len(idx) < 3:
        return best
    for x, a in enumerate(idx):
        for b in idx[x + 1:]:
            if budget is not None and budget.expired():
                return best
            try:
                size = len(_merge(space, (a, b), max_candidates, None)[1])
            except FrontierTooLarge:
                continue
            if best[0] is None or size > best[0]:
                best = (size, (space.actor_ids[a], space.actor_ids[b]))
    return best


def pareto_frontier_enumerated(space: Space, actors: Sequence[int], block: int = 1 << 18,
                               budget: Budget | None = None) -> Frontier:
    """The Pareto frontier by walking every deal (blocks of `block` deals, pruned as it goes;
    `budget` checked once per block). Cost O(outcomes * (issues + actors)) plus the maxima
    filtering.

    References: the maxima filtering of Kung, Luccio and Preparata (1975), J. ACM
    22(4):469-476, doi:10.1145/321906.321910 (`nondominated`).
    """
    idx = tuple(actors)
    best_d = np.zeros((0, space.n_issues), dtype=np.int32)
    best_u = np.zeros((0, len(idx)))
    walked = 0
    for deals, u in iter_deal_blocks(space, idx, block):
        if budget is not None:
            budget.check(done=walked, total=space.outcomes, what="Pareto frontier")
        walked += len(deals)
        keep = nondominated(u, budget)
        all_d = np.concatenate([best_d, deals[keep]])
        all_u = np.concatenate([best_u, u[keep]])
        keep = nondominated(all_u, budget)  # earlier blocks come first: lexicographic ties hold
        best_d, best_u = all_d[keep], all_u[keep]
    return Frontier(idx, best_d, best_u, space.to_utility(best_u, idx), "enumerate")


def dominating(frontier: Frontier, units: np.ndarray) -> np.ndarray:
    """Indices of frontier rows that dominate a deal whose utility units for the frontier's
    actors are `units` (exact comparison): rows y with y >= units everywhere and y > units
    somewhere. Cost: O(|F| * actors)."""
    ge = (frontier.units >= units).all(axis=1)
    gt = (frontier.units > units).any(axis=1)
    return np.flatnonzero(ge & gt)


# ---------------------------------------------------------------------------------------
# Listing a frontier up to a limit


def spread_sample(units: np.ndarray, limit: int) -> np.ndarray:
    """At most `limit` row indices (ascending) of the frontier points `units` (m, k), spread
    evenly along the frontier; all rows when m <= limit.

    Coordinates are first scaled to [0, 1] over the given points (u - min) / (max - min), so
    that every party counts alike whatever its units. The sample starts from each party's
    best point (the first row with the largest u_c, coordinate by coordinate, each row
    once; only the first `limit` of them when limit < k), then adds, one at a time, the
    point farthest (Euclidean distance in the scaled space) from every point chosen so far,
    the first such row on ties: the farthest-point traversal of Gonzalez (1985, "Clustering
    to minimize the maximum intercluster distance", Theoretical Computer Science 38,
    293-306, doi:10.1016/0304-3975(85)90224-5), which from a single seed makes its first n
    points cover the set within twice the smallest radius any n points achieve.
    Deterministic; O(m * limit * k) time, O(m) memory beyond the scaled copy.
    """
    units = np.asarray(units, dtype=float)
    if units.ndim != 2:
        raise ValueError("units must be an (m, k) array")
    if limit < 0:
        raise ValueError("limit must be at least 0")
    m, k = units.shape
    if m <= limit:
        return np.arange(m)
    lo = units.min(axis=0)
    span = units.max(axis=0) - lo
    scaled = (units - lo) / np.where(span > 0, span, 1.0)
    chosen: list[int] = []
    for c in range(k):
        best = int(np.argmax(units[:, c]))
        if best not in chosen:
            chosen.append(best)
    chosen = chosen[:limit]
    gap = np.full(m, np.inf)

    def add(row: int) -> None:
        np.minimum(gap, ((scaled - scaled[row]) ** 2).sum(axis=1), out=gap)
        gap[row] = -1.0  # never chosen twice, even among identical points

    for row in chosen:
        add(row)
    while len(chosen) < limit:
        row = int(np.argmax(gap))
        chosen.append(row)
        add(row)
    return np.sort(np.array(chosen, dtype=np.int64))
