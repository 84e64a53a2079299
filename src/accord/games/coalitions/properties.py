"""Properties of a TU game: monotone, superadditive, convex (supermodular; then the Shapley
value lies in the core: Shapley 1971, Cores of convex games, International Journal of Game
Theory 1:11-26)."""

from __future__ import annotations

from .tu import TOL, TUGame, without


def is_monotone(game: TUGame) -> bool:
    """v(S) <= v(T) whenever S is a subset of T. O(2^n n)."""
    tol = TOL * game.scale
    v = game.values
    return all(bool((v[s | (1 << i)] >= v[s] - tol).all())
               for i in range(game.n) for s in [without(game.n, i)])


def is_superadditive(game: TUGame) -> bool | None:
    """v(S + T) >= v(S) + v(T) for disjoint S, T. O(3^n); None when n > 12."""
    n = game.n
    if n > 12:
        return None
    tol = TOL * game.scale
    v = game.values
    for s in range(1, 1 << n):
        t = (s - 1) & s
        while t:
            if v[s] < v[t] + v[s ^ t] - tol:
                return False
            t = (t - 1) & s
    return True


def is_convex(game: TUGame) -> bool | None:
    """Supermodular: v(S + i) - v(S) <= v(S + i + j) - v(S + j); then the Shapley value is
    in the core. O(2^n n^2); None when n > 16."""
    n = game.n
    if n > 16:
        return None
    tol = TOL * game.scale
    v = game.values
    for i in range(n):
        for j in range(i + 1, n):
            s = without(n, i)
            s = s[((s >> j) & 1) == 0]
            bi, bj = 1 << i, 1 << j
            if (v[s | bi] - v[s] > v[s | bi | bj] - v[s | bj] + tol).any():
                return False
    return True
