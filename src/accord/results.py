"""Result objects shared by every front end (CLI tables, `--json`, HTML report, web API).

Algorithms return index arrays; these objects carry ids and labels so that rendering never
recomputes anything. Each has `to_dict()` giving plain JSON-ready data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .space import Space

DIGITS = 10
"""Utilities are printed to 10 decimals: they are exact to about 1e-11 (see accord.space)."""


def _r(x: float) -> float:
    return round(float(x), DIGITS)


@dataclass(frozen=True)
class DealPoint:
    """A deal with every actor's utility and the parties' gains over their BATNAs.

    `in_zopa` says whether every party accepts it (utility at least its BATNA), decided on
    the exact utility units (`Space.accepts`), never on the rounded gains.
    """

    index: tuple[int, ...]
    deal: dict[str, str | float]
    utilities: dict[str, float]
    gains: dict[str, float]
    in_zopa: bool = False

    def to_dict(self) -> dict:
        return {"deal": dict(self.deal), "utilities": dict(self.utilities),
                "gains": dict(self.gains), "in_zopa": self.in_zopa}


def deal_point(space: Space, index: Sequence[int], parties: Sequence[int],
               utilities: np.ndarray | None = None) -> DealPoint:
    """Build a `DealPoint` for the deal with option indices `index`."""
    return deal_points(space, np.asarray(index, dtype=np.int64)[None, :], parties,
                       None if utilities is None else np.asarray(utilities)[None, :])[0]


def deal_points(space: Space, deals: np.ndarray, parties: Sequence[int],
                utilities: np.ndarray | None = None) -> list[DealPoint]:
    """`DealPoint`s for a batch of deals (m, n_issues), utilities computed in one pass."""
    if len(deals) == 0:
        return []
    deals = np.asarray(deals, dtype=np.int64)
    units = space.utility_units(deals)
    u = space.to_utility(units) if utilities is None else utilities
    inside = space.accepts(units[:, list(parties)], parties).all(axis=1)
    ids = space.actor_ids
    return [DealPoint(index=tuple(int(x) for x in deals[r]),
                      deal=space.deal_mapping(deals[r]),
                      utilities={a: _r(u[r, k]) for k, a in enumerate(ids)},
                      gains={ids[p]: _r(u[r, p] - space.batna[p]) for p in parties},
                      in_zopa=bool(inside[r]))
            for r in range(len(deals))]
