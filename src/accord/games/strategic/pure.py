"""Pure-strategy Nash equilibria, vectorised over all profiles."""

from __future__ import annotations

import numpy as np

from .game import DEFAULT_TOL, StrategicGame


def pure_equilibria(game: StrategicGame, tol: float = DEFAULT_TOL) -> list[tuple[int, ...]]:
    """Every pure-strategy Nash equilibrium, as action-index profiles in lexicographic order.

    Vectorised: for each player, one max over its own axis of its payoff array marks the
    profiles where it best-responds (within `tol * scale`); the equilibria are the profiles
    where every player does. Cost O(N * prod(actions)) time and memory. Complete: a profile
    is returned iff `verify` accepts it with the same `tol`.
    """
    atol = tol * game.scale
    best = np.ones(game.shape, dtype=bool)
    for i in range(game.n_players):
        u = game.payoffs[..., i]
        best &= u >= u.max(axis=i, keepdims=True) - atol
    return [tuple(int(x) for x in idx) for idx in np.argwhere(best)]


def pure_candidates(game: StrategicGame, tol: float) -> list[list[np.ndarray]]:
    """The pure equilibria as candidate profiles (a 0/1 probability vector per player)."""
    out = []
    for prof in pure_equilibria(game, tol):
        s = []
        for i, a in enumerate(prof):
            v = np.zeros(game.shape[i])
            v[a] = 1.0
            s.append(v)
        out.append(s)
    return out
