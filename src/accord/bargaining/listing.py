"""The Pareto frontier when it is asked for: listed up to a limit, with its count.

No bargaining answer needs the whole frontier (see `accord.bargaining.questions`); a
listing, a plot or a count does. `frontier_listing` computes the exact frontier by the
issue-by-issue merge when that stays within `max_candidates` points and the time budget,
and returns every deal when there are at most `limit`, else an evenly spread sample
(`accord.bargaining.pareto.spread_sample`) with the exact count. When the frontier is too
large to compute, it returns a sample of Pareto-optimal deals found directly, each the
maximiser of a weighted sum of gains with positive weights (so Pareto-optimal; Geoffrion
1968, doi:10.1016/0022-247X(68)90201-1), with a proven lower bound on the count when one
is known. The result says which of these it is.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..budget import Budget, BudgetExceeded
from ..defaults import FRONTIER_LIMIT
from ..space import Space
from .pareto import Frontier, FrontierTooLarge, pareto_frontier, spread_sample

LISTING_CANDIDATES = 2_000_000
"""Largest merge step tried for a listing: beyond it the frontier is sampled directly."""

LISTING_SECONDS = 5.0
"""Time a listing may spend on the exact frontier before it samples instead."""


@dataclass(frozen=True)
class FrontierListing:
    """Frontier deals (option indices, (p, n_issues)) in lexicographic order, with what is
    known of the whole frontier: `count` (exact, or None), `lower_bound` (proven, or None),
    `sampled` (True when `deals` is not the whole frontier) and `method`: "exact" (all
    deals), "spread" (a spread sample of the exact frontier) or "weighted-sums" (deals
    found directly; the frontier was too large to compute).

    References: as `frontier_listing`.
    """

    parties: tuple[int, ...]
    deals: np.ndarray
    count: int | None
    lower_bound: int | None
    sampled: bool
    method: str
    note: str = ""
    in_zopa: int | None = None
    """How many frontier deals every party accepts (None when the frontier is unknown)."""


def affordable_frontier(space: Space, parties: Sequence[int], budget: Budget | None = None,
                        max_candidates: int = LISTING_CANDIDATES,
                        seconds: float = LISTING_SECONDS
                        ) -> tuple[Frontier | None, str, int | None]:
    """The exact frontier when the merge stays within `max_candidates` points and
    `seconds` (and the budget); else (None, why not, a proven lower bound on its size or
    None). Cost: `pareto_frontier`, bounded by `max_candidates` points and `seconds`.

    References: Kung, H. T., Luccio, F. and Preparata, F. P. (1975) "On finding the maxima of
    a set of vectors", J. ACM 22(4):469-476, doi:10.1145/321906.321910 (the pruning).
    """
    idx = tuple(parties)
    if budget is not None:
        budget.check(what="Pareto frontier")
    sub = Budget(seconds if budget is None or budget.remaining is None
                 else max(1e-6, min(seconds, budget.remaining)), what="Pareto frontier")
    try:
        return pareto_frontier(space, idx, max_candidates=max_candidates, budget=sub), "", None
    except FrontierTooLarge as exc:
        return None, (f"more than {max_candidates:,} candidates after {exc.issues_merged} "
                      f"of {exc.n_issues} issues"), exc.lower_bound
    except BudgetExceeded:
        if budget is not None:
            budget.check(what="Pareto frontier")  # the caller's own limit: its message
        return None, f"not computed within {sub.time_limit:.3g} s", None


def frontier_listing(space: Space, parties: Sequence[int], limit: int = FRONTIER_LIMIT,
                     budget: Budget | None = None,
                     max_candidates: int = LISTING_CANDIDATES,
                     seconds: float = LISTING_SECONDS) -> FrontierListing:
    """List the Pareto frontier of `space` for `parties` up to `limit` deals (see the
    module doc). Cost: the merge (bounded by `max_candidates` and `seconds`), else one
    direct search per sampled deal.

    References: Kung, Luccio and Preparata (1975), doi:10.1145/321906.321910 (the frontier);
    Gonzalez, T. F. (1985) "Clustering to minimize the maximum intercluster distance",
    Theoret. Comput. Sci. 38:293-306, doi:10.1016/0304-3975(85)90224-5 (the spread sample);
    Geoffrion, A. M. (1968) "Proper efficiency and the theory of vector maximization",
    J. Math. Anal. Appl. 22(3):618-630, doi:10.1016/0022-247X(68)90201-1 (weighted sums).
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    f, reason, lower = affordable_frontier(space, parties, budget, max_candidates, seconds)
    if f is not None:
        return list_frontier(space, f, limit)
    return sampled_listing(space, parties, limit, reason, lower, budget)


def sampled_listing(space: Space, parties: Sequence[int], limit: int, reason: str,
                    lower: int | None, budget: Budget | None = None) -> FrontierListing:
    """A listing of Pareto-optimal deals found directly, for a frontier too large to
    compute (`reason` says why; `lower` is a proven lower bound on its size, or None).

    Each deal maximises sum_a w_a u_a / K_a for weights w > 0, hence is Pareto-optimal.
    Cost: up to min(`limit`, 2 * parties + 10) exact searches (`accord.bargaining.search`).

    References: Geoffrion, A. M. (1968) "Proper efficiency and the theory of vector
    maximization", J. Math. Anal. Appl. 22(3):618-630, doi:10.1016/0022-247X(68)90201-1.
    """
    idx = tuple(parties)
    if not space.searchable:
        raise FrontierTooLarge(len(idx), 0, space.n_issues, LISTING_CANDIDATES, lower)
    deals = _weighted_sums(space, idx, min(limit, 2 * len(idx) + 10), budget)
    found = len(deals)
    lower = max(lower or 0, found) or None
    return FrontierListing(idx, deals, None, lower, True, "weighted-sums",
                           f"the frontier is too large to compute ({reason}): {found} of its "
                           "deals found directly, each the best for a weighted sum of gains")


def list_frontier(space: Space, f: Frontier, limit: int | None) -> FrontierListing:
    """The listing of a frontier already computed (all of it when `limit` is None).

    Cost: O(|F| * parties), plus `spread_sample` (O(|F| * limit * parties)) when the
    frontier F has more than `limit` deals. References: Gonzalez, T. F. (1985) Theoret.
    Comput. Sci. 38:293-306, doi:10.1016/0304-3975(85)90224-5 (the spread sample).
    """
    n = len(f)
    inside = int(space.accepts(f.units, f.actors).all(axis=1).sum())
    if limit is None or n <= limit:
        return FrontierListing(f.actors, f.deals, n, n, False, "exact", "", inside)
    keep = spread_sample(f.units, limit)
    return FrontierListing(f.actors, f.deals[keep], n, n, True, "spread",
                           f"{limit} of {n:,} deals, spread evenly along the frontier", inside)


def _weighted_sums(space: Space, parties: tuple[int, ...], k: int,
                   budget: Budget | None) -> np.ndarray:
    """Up to k distinct Pareto-optimal deals maximising sum_a w_a u_a / K_a for weights
    spread over the simplex (each party's best first, then mixtures), deterministic."""
    from .questions import prepare
    from .search import Objective, search

    g = prepare(space, parties)
    n = g.n
    weights: list[tuple[Fraction, ...]] = []
    eps = Fraction(1, 1000)
    for a in range(n):  # each party's best (with a small weight on the others)
        weights.append(tuple(Fraction(1) if b == a else eps for b in range(n)))
    weights.append(tuple(Fraction(1) for _ in range(n)))
    steps = max(1, math.ceil((k - len(weights)) / max(1, n * (n - 1) // 2)))
    for a in range(n):
        for b in range(a + 1, n):
            for s in range(1, steps + 1):
                t = Fraction(s, steps + 1)
                weights.append(tuple(t if c == a else (1 - t) if c == b else eps
                                     for c in range(n)))
    seen: dict[tuple[int, ...], None] = {}
    for w in weights:
        if len(seen) >= k:
            break
        obj = Objective("linear", tuple(range(n)), tuple(x / kk for x, kk in zip(w, g.K,
                                                                             strict=True)))
        r = search(g.model, obj, lex=True, budget=budget)
        if r is not None:
            seen.setdefault(r.deal)
    return np.array(sorted(seen), dtype=np.int32).reshape(-1, space.n_issues)
