"""The zone of possible agreement (ZOPA): deals that every party accepts (U_i >= BATNA_i).

Existence comes from the Pareto frontier: if any deal is acceptable to all, a frontier
deal that dominates it is too. The count is exact, by enumeration, when the outcome space
is small enough (default at most 10**7 deals); otherwise it is None. When the ZOPA is
empty, `closest` is the deal with the largest smallest gain (ties: the larger sum of gains,
then the lowest option indices; the smallest uniform drop in
every party's BATNA that would open a ZOPA is minus that gain).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..defaults import COUNT_LIMIT
from ..space import ACCEPT_TOL, Space, iter_deal_blocks
from .pareto import Frontier, pareto_frontier


@dataclass(frozen=True)
class ZopaResult:
    """Whether a ZOPA exists, how many deals it holds, and the frontier's view of it.

    `count` is exact or None (outcome space above `COUNT_LIMIT`); `frontier_count` is the
    number of distinct Pareto-optimal utility vectors inside it (None when the frontier was
    too large to compute); `win_win` says whether
    some deal gives every party strictly more than its BATNA; `closest` (frontier row) and
    `shortfall` describe the nearest miss when the ZOPA is empty (shortfall = the uniform
    BATNA drop that opens it; 0 when it exists).

    References: the zone of agreement of Raiffa, H. (1982) *The Art and Science of
    Negotiation*, Belknap Press of Harvard University Press (a book; no DOI).
    """

    exists: bool
    count: int | None
    frontier_count: int | None
    win_win: bool
    best_min_gain: float
    closest: int
    shortfall: float


def count_acceptable(space: Space, parties: Sequence[int], limit: int = COUNT_LIMIT
                     ) -> int | None:
    """Exact number of deals every party in `parties` accepts, by enumeration in blocks;
    None when the outcome space exceeds `limit`. Cost O(outcomes * (issues + parties))."""
    if space.outcomes > limit:
        return None
    threshold = space.threshold_units(parties)
    total = 0
    for _, units in iter_deal_blocks(space, parties):
        total += int((units >= threshold).all(axis=1).sum())
    return total


def zopa(space: Space, parties: Sequence[str] | Sequence[int] | None = None,
         frontier: Frontier | None = None, count_limit: int = COUNT_LIMIT) -> ZopaResult:
    """The ZOPA of `space` for `parties` (default: the veto actors). See the module doc.

    Exists when some deal has min_i (U_i - d_i) >= 0; `best_min_gain` = max over the frontier
    of min_i (U_i - d_i). Cost: `pareto_frontier` (when `frontier` is None), O(|F| *
    parties) on the frontier F, and `count_acceptable` (up to `count_limit` deals).

    References: Raiffa, H. (1982) *The Art and Science of Negotiation*, Belknap Press of
    Harvard University Press (the zone of agreement; a book, no DOI).
    """
    f = frontier if frontier is not None else pareto_frontier(space, parties)
    d = space.batna[list(f.actors)]
    gains = f.utilities - d
    inside = space.accepts(f.units, f.actors).all(axis=1)
    min_gain = gains.min(axis=1)
    best = float(min_gain.max())
    # ties: the larger sum of gains, then the lowest option indices (rows are in that order)
    # (within 1e-12: equal gains of different parties can differ in the last bit)
    tied = np.flatnonzero(min_gain >= best - 1e-12 * max(1.0, abs(best)))
    sums = gains[tied].sum(axis=1)
    closest = int(tied[sums >= sums.max() - 1e-12 * max(1.0, abs(sums.max()))][0])
    exists = bool(inside.any())
    return ZopaResult(
        exists=exists,
        count=count_acceptable(space, f.actors, count_limit),
        frontier_count=int(inside.sum()),
        win_win=bool((gains > ACCEPT_TOL).all(axis=1).any()),
        best_min_gain=best,
        closest=closest,
        shortfall=0.0 if exists else -best,
    )
