"""Allocations of a TU game's value, their excesses, and the coalitions that object to
them (block them: they can secure more alone)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .tu import TOL, TUGame


@dataclass(frozen=True)
class Allocation:
    """A payoff vector: `values[i]` for `players[i]`; `exact` the same as Fractions when
    known."""

    name: str
    players: tuple[str, ...]
    values: tuple[float, ...]
    exact: tuple[Fraction, ...] | None = None

    def __getitem__(self, player: str) -> float:
        return self.values[self.players.index(player)]

    def as_dict(self) -> dict[str, float]:
        return dict(zip(self.players, self.values, strict=True))

    def to_dict(self) -> dict:
        return {"values": self.as_dict(),
                "exact": None if self.exact is None
                else {p: str(x) for p, x in zip(self.players, self.exact, strict=True)}}


def excesses(game: TUGame, x: Sequence[float]) -> np.ndarray:
    """e(S, x) = v(S) - x(S) for every bitmask S (index 0: the empty coalition, 0)."""
    n = game.n
    xs = np.zeros(1 << n)
    for i in range(n):
        xs[1 << i : 1 << (i + 1)] = xs[: 1 << i] + float(x[i])
    return game.values - xs


@dataclass(frozen=True)
class Objection:
    """A coalition that can secure more on its own than an allocation gives it."""

    coalition: tuple[str, ...]
    value: float
    allocated: float

    @property
    def excess(self) -> float:
        return self.value - self.allocated

    def to_dict(self) -> dict:
        return {"coalition": list(self.coalition), "value": self.value,
                "allocated": self.allocated, "excess": self.excess}


def objections(game: TUGame, x: Sequence[float], limit: int | None = None) -> list[Objection]:
    """Coalitions S with v(S) > x(S) (beyond the tolerance), largest excess first: the
    coalitions that block the allocation x (it is in the core when there are none)."""
    e = excesses(game, x)
    e[0] = -np.inf
    tol = TOL * game.scale
    idx = np.flatnonzero(e > tol)
    idx = idx[np.lexsort((idx, -e[idx]))]
    if limit is not None:
        idx = idx[:limit]
    return [Objection(game.members(int(m)), float(game.values[m]),
                      float(game.values[m] - e[m])) for m in idx]
