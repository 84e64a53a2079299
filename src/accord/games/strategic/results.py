"""What the equilibrium methods return: one `Equilibrium` (a mixed action per player, the
payoffs, the regret found when it was verified, the exact fractions when it checks
exactly) and the `EquilibriumSet` (in the manner of Gambit's `NashComputationResult`: the
method, its implementation and parameters, and the equilibria)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from .game import StrategicGame, rounded


@dataclass(frozen=True)
class Equilibrium:
    """One Nash equilibrium: a mixed action per player, the expected payoffs, the largest
    regret found when it was verified, and the exact fractions when it checks exactly."""

    strategies: tuple[tuple[float, ...], ...]
    payoffs: tuple[float, ...]
    regret: float
    exact: tuple[tuple[Fraction, ...], ...] | None = None

    @property
    def pure(self) -> tuple[int, ...] | None:
        """The action profile when every player plays one action for sure."""
        out = []
        for s in self.strategies:
            k = int(np.argmax(s))
            if s[k] < 1 - 1e-9:
                return None
            out.append(k)
        return tuple(out)

    def supports(self) -> tuple[tuple[int, ...], ...]:
        return tuple(tuple(int(k) for k in np.flatnonzero(np.asarray(s) > 1e-12))
                     for s in self.strategies)

    def to_dict(self, game: StrategicGame) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": "pure" if self.pure is not None else "mixed",
            "strategies": {p: {a: rounded(x) for a, x in zip(game.actions[i], self.strategies[i],
                                                         strict=True)}
                           for i, p in enumerate(game.players)},
            "payoffs": {p: rounded(v) for p, v in zip(game.players, self.payoffs, strict=True)},
            "regret": float(self.regret),
            "exact": None,
        }
        if self.pure is not None:
            out["profile"] = game.profile_names(self.pure)
        if self.exact is not None:
            out["exact"] = {p: {a: str(x) for a, x in zip(game.actions[i], self.exact[i],
                                                           strict=True)}
                            for i, p in enumerate(game.players)}
        return out


@dataclass(frozen=True)
class EquilibriumSet:
    """What `nash_equilibria` found, and how (in the manner of Gambit's
    `NashComputationResult`: method, parameters, equilibria)."""

    game: StrategicGame
    method: str
    implementation: str
    parameters: dict[str, Any]
    equilibria: tuple[Equilibrium, ...]
    complete: bool
    """True when the list holds every extreme equilibrium (every equilibrium when the game
    is nondegenerate); for `pure`, every pure equilibrium."""
    degenerate: bool | None = None
    components: tuple[tuple[int, ...], ...] | None = None
    """Degenerate 2-player games, vertex enumeration: maximal Nash subsets ("cliques"), each
    a list of equilibrium indices whose row strategies and column strategies mix freely:
    any mixture of its row strategies against any mixture of its column strategies is an
    equilibrium."""
    rejected: int = 0
    notes: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.equilibria)

    def __iter__(self):
        return iter(self.equilibria)

    def __getitem__(self, k: int) -> Equilibrium:
        return self.equilibria[k]

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "implementation": self.implementation,
            "parameters": dict(self.parameters),
            "complete": self.complete,
            "degenerate": self.degenerate,
            "count": len(self.equilibria),
            "equilibria": [e.to_dict(self.game) for e in self.equilibria],
            "components": None if self.components is None else [list(c)
                                                                 for c in self.components],
            "rejected": self.rejected,
            "notes": list(self.notes),
        }
