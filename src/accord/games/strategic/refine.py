"""Newton's method on the support equations of an approximate equilibrium (u_i(a, s_-i) =
v_i for a in the support, probabilities summing to 1): the McLennan-Tourky method's
epsilon-equilibria refined to verified ones."""

from __future__ import annotations

import numpy as np

from .game import StrategicGame
from .profiles import action_values, verify


def refine(game: StrategicGame, strategies: list[np.ndarray], tol: float
            ) -> list[np.ndarray] | None:
    """Solve the indifference equations on the support of an approximate equilibrium
    (u_i(a, s_-i) = v_i for a in the support, probabilities summing to 1) from the
    approximate point; return the solution if it is a verified equilibrium."""
    from scipy.optimize import root

    n = game.n_players
    for cut in (1e-4, 1e-6, 1e-3):
        supports = [np.flatnonzero(s > cut) for s in strategies]
        if any(len(su) == 0 for su in supports):
            continue
        sizes = [len(su) for su in supports]
        offsets = np.cumsum([0, *sizes])

        def unpack(z: np.ndarray, supports=supports, offsets=offsets) -> list[np.ndarray]:
            out = []
            for i in range(n):
                v = np.zeros(game.shape[i])
                v[supports[i]] = z[offsets[i]:offsets[i + 1]]
                out.append(v)
            return out

        def F(z: np.ndarray, supports=supports, offsets=offsets, unpack=unpack) -> np.ndarray:
            s = unpack(z[:offsets[-1]])
            vals = z[offsets[-1]:]
            eqs = []
            for i in range(n):
                u = action_values(game, s, i)[supports[i]]
                eqs.append(u - vals[i])
                eqs.append([s[i].sum() - 1.0])
            return np.concatenate(eqs)

        z0 = np.concatenate([*(s[su] for s, su in zip(strategies, supports, strict=True)),
                             [float(action_values(game, strategies, i).max())
                              for i in range(n)]])
        sol = root(F, z0, method="hybr", options={"xtol": 1e-14})
        cand = unpack(sol.x[:offsets[-1]])
        if any(c.min() < -1e-9 for c in cand):
            continue
        cand = [np.clip(c, 0, None) / np.clip(c, 0, None).sum() for c in cand]
        if verify(game, cand, tol).ok:
            return cand
    return None
