"""Exact Pareto frontiers of multi-issue outcome spaces.

With additive utilities, a deal is Pareto-optimal only if each of its options is
Pareto-optimal on its own issue (else swapping that option for one that dominates it makes
every actor at least as well off). More strongly, the set of utility vectors of the
frontier of issues 1..k is contained in the Minkowski sum of the frontier of issues 1..k-1
with the per-issue frontier of issue k. `pareto_frontier` therefore merges issue by issue
and prunes after every merge (Lee & Preparata style maxima filtering), so its cost is
governed by frontier sizes, not by the number of deals; `pareto_frontier_enumerated` walks
every deal and is kept as the fallback and the test oracle.

Conventions (both methods give the same answer, element for element):

* dominance is weak: y dominates x when y >= x for every actor and y != x;
* a frontier lists each utility vector once; among deals with the same utilities for the
  frontier's actors it keeps the one with the lowest option indices, compared issue by
  issue in scenario order (the lexicographically smallest deal);
* deals are returned in that lexicographic order.

Utilities are exact (see `accord.space`), so ties are real ties.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import InputError, Problem
from ..space import Space, iter_deal_blocks


@dataclass(frozen=True, eq=False)
class Frontier:
    """The Pareto frontier of a space over some actors.

    `deals` (p, n_issues) holds option indices, `units` (p, len(actors)) the frontier
    actors' exact utility units (see `accord.space`), `utilities` the same in [0, 1]; all
    in lexicographic order of the deals.
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


def nondominated(points: np.ndarray) -> np.ndarray:
    """Indices (ascending) of the rows of `points` (m, k) that no other row dominates.

    Weak dominance; of identical rows only the first is kept. Rows are sorted in decreasing
    lexicographic order (stable, so ties keep their input order); a row can then only be
    dominated by an earlier one. Cost: k = 1, 2: O(m log m) (a running maximum); k = 3:
    O(m log^2 m), a divide-and-conquer dominance query (Kung, Luccio & Preparata 1975)
    vectorised level by level; k >= 4: O(m * h * k) against the h maxima found so far.
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
        dominated = _dominated_blocked(ranked)
    return np.sort(order[~dominated])


def _dense_rank(x: np.ndarray) -> np.ndarray:
    return np.unique(x, return_inverse=True)[1].astype(np.int64)


def _dominated_3d(ranked: np.ndarray) -> np.ndarray:
    """For rows in decreasing lexicographic order: is there an earlier row j with
    (u2_j, u3_j) >= (u2_i, u3_i)? Bottom-up divide and conquer over positions: at level s,
    each right half queries its left half for the largest u3 among rows with u2 >= its own,
    all segments at once through one sort and a segmented running maximum."""
    m = len(ranked)
    r2 = _dense_rank(ranked[:, 1])
    r3 = _dense_rank(ranked[:, 2])
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
        base = seg_o * span
        vals = np.where(right_o, base, base + r3[order] + 1)
        acc = np.maximum.accumulate(vals)
        found = acc - base - 1
        rows = order[right_o]
        best[rows] = np.maximum(best[rows], found[right_o])
        s *= 2
    return best >= r3


def _dominated_blocked(ranked: np.ndarray, block: int = 512) -> np.ndarray:
    """Generic k-dimensional check for rows in decreasing lexicographic order: compare each
    block with the maxima found so far and with the earlier rows of the block."""
    m, _ = ranked.shape
    dominated = np.zeros(m, dtype=bool)
    kept = np.empty((0, ranked.shape[1]))
    for s in range(0, m, block):
        blk = ranked[s : s + block]
        dom = np.zeros(len(blk), dtype=bool)
        for c in range(0, len(kept), 2048):
            ref = kept[c : c + 2048]
            dom |= (ref[:, None, :] >= blk[None, :, :]).all(axis=2).any(axis=0)
        inner = (blk[:, None, :] >= blk[None, :, :]).all(axis=2)
        dom |= np.triu(inner, 1).any(axis=0)
        dominated[s : s + block] = dom
        kept = np.concatenate([kept, blk[~dom]])
    return dominated


# ---------------------------------------------------------------------------------------
# Frontiers of a space


MAX_CANDIDATES = 20_000_000
"""Largest merge step `pareto_frontier` attempts (frontier size x options of an issue)."""


def pareto_frontier(space: Space, actors: Sequence[str] | Sequence[int] | None = None,
                    method: str = "auto", max_candidates: int = MAX_CANDIDATES) -> Frontier:
    """The exact Pareto frontier of `space` for `actors` (default: the veto actors).

    `method="auto"` (default) merges when utilities are additive and enumerates when the
    scenario has interaction terms. `method="merge"` merges issue by issue with pruning
    (see the module doc): its cost is about sum over issues of |F| * |P_i| * log, where |F|
    is the running frontier size and |P_i| the number of Pareto-optimal options of issue i;
    it never enumerates the outcome space. `method="enumerate"` walks all deals (the
    oracle; O(outcomes)).

    With many actors almost every deal can be Pareto-optimal; when a merge step would
    exceed `max_candidates` points an `InputError` says so (restrict the actors).
    """
    idx = space.resolve_actors(actors)
    if method == "auto":
        method = "merge" if space.additive else "enumerate"
    if method == "enumerate":
        if space.outcomes > max_candidates:
            raise InputError([Problem(
                "interactions", f"{space.outcomes:,} deals with interaction terms: the exact "
                                "frontier needs enumeration, and that is too many deals")])
        return pareto_frontier_enumerated(space, idx)
    if method != "merge":
        raise ValueError(f"unknown method {method!r}: use 'auto', 'merge' or 'enumerate'")
    if not space.additive:
        raise ValueError("the merge needs additive utilities: use method='auto' or "
                         "'enumerate' for scenarios with interaction terms")
    deals = np.zeros((1, 0), dtype=np.int32)
    values = np.zeros((1, len(idx)))
    for i in range(space.n_issues):
        c = space.units[i][list(idx), :].T  # (options, actors)
        opts = nondominated(c)
        if len(values) * len(opts) > max_candidates:
            raise InputError([Problem(
                "--parties", f"the Pareto frontier over {len(idx)} actors grows past "
                             f"{len(values):,} deals after {i} of {space.n_issues} issues: too "
                             "large to list; analyse fewer actors at a time")])
        cand = (values[:, None, :] + c[opts][None, :, :]).reshape(-1, len(idx))
        keep = nondominated(cand)
        rows, col = np.divmod(keep, len(opts))
        deals = np.concatenate([deals[rows], opts[col].astype(np.int32)[:, None]], axis=1)
        values = cand[keep]
    return Frontier(idx, deals, values, space.to_utility(values, idx), "merge")


def pareto_frontier_enumerated(space: Space, actors: Sequence[int], block: int = 1 << 18
                               ) -> Frontier:
    """The Pareto frontier by walking every deal (blocks of `block` deals, pruned as it goes).
    Cost O(outcomes * (issues + actors)) plus the maxima filtering."""
    idx = tuple(actors)
    best_d = np.zeros((0, space.n_issues), dtype=np.int32)
    best_u = np.zeros((0, len(idx)))
    for deals, u in iter_deal_blocks(space, idx, block):
        keep = nondominated(u)
        all_d = np.concatenate([best_d, deals[keep]])
        all_u = np.concatenate([best_u, u[keep]])
        keep = nondominated(all_u)  # earlier blocks come first: lexicographic ties hold
        best_d, best_u = all_d[keep], all_u[keep]
    return Frontier(idx, best_d, best_u, space.to_utility(best_u, idx), "enumerate")


def dominating(frontier: Frontier, units: np.ndarray) -> np.ndarray:
    """Indices of frontier rows that dominate a deal whose utility units for the frontier's
    actors are `units` (exact comparison)."""
    ge = (frontier.units >= units).all(axis=1)
    gt = (frontier.units > units).any(axis=1)
    return np.flatnonzero(ge & gt)
