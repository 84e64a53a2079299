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
    """A deal with every actor's utility and the parties' gains over their BATNAs."""

    index: tuple[int, ...]
    deal: dict[str, str | float]
    utilities: dict[str, float]
    gains: dict[str, float]

    def to_dict(self) -> dict:
        return {"deal": dict(self.deal), "utilities": dict(self.utilities),
                "gains": dict(self.gains)}


def deal_point(space: Space, index: Sequence[int], parties: Sequence[int],
               utilities: np.ndarray | None = None) -> DealPoint:
    """Build a `DealPoint` for the deal with option indices `index`."""
    u = space.utilities(np.asarray(index)[None, :])[0] if utilities is None else utilities
    return DealPoint(
        index=tuple(int(x) for x in index),
        deal=space.deal_mapping(index),
        utilities={a: _r(u[k]) for k, a in enumerate(space.actor_ids)},
        gains={space.actor_ids[p]: _r(u[p] - space.batna[p]) for p in parties},
    )


def deal_points(space: Space, deals: np.ndarray, parties: Sequence[int]) -> list[DealPoint]:
    """`DealPoint`s for a batch of deals (m, n_issues), utilities computed in one pass."""
    if len(deals) == 0:
        return []
    u = space.utilities(deals)
    return [deal_point(space, deals[r], parties, u[r]) for r in range(len(deals))]
