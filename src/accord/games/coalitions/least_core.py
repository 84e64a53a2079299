"""The core and the least core of a TU game, by one LP (HiGHS, through
`scipy.optimize.linprog`): the core is {x : x(N) = v(N), x(S) >= v(S) for all S}; the least
core is the smallest e such that some x with x(N) = v(N) has v(S) - x(S) <= e for every
proper coalition S. The core is non-empty exactly when e <= 0; the LP's x is then a point of
the core (else of the least core). Also the LP helpers the nucleolus shares.

LPs are solved in floating point on values scaled to max |v| = 1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .allocations import Allocation
from .tu import TOL, TUGame


def tidy(x: float, scale: float = 1.0) -> float:
    """An LP result rounded to 10 significant digits of `scale` (and -0.0 made 0.0)."""
    digits = 10 - math.floor(math.log10(max(scale, 1e-300)))
    return round(float(x), digits) + 0.0


def incidence(n: int, masks: np.ndarray):
    """Sparse 0/1 matrix: row r has a 1 in column i when player i is in masks[r]."""
    from scipy.sparse import csr_matrix

    rows, cols = [], []
    for i in range(n):
        sel = np.flatnonzero((masks >> i) & 1)
        rows.append(sel)
        cols.append(np.full(len(sel), i))
    r = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    c = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
    return csr_matrix((np.ones(len(r)), (r, c)), shape=(len(masks), n))


def proper(n: int) -> np.ndarray:
    return np.arange(1, (1 << n) - 1, dtype=np.int64)


def linprog(c, A_ub, b_ub, A_eq, b_eq, bounds):
    from scipy.optimize import linprog

    res = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=bounds,
                  method="highs-ds")
    if res.status != 0:
        raise RuntimeError(f"HiGHS did not solve the LP: {res.message}")
    return res


@dataclass(frozen=True)
class Core:
    """The core and least core. `epsilon` is the least-core value min_x max_S (v(S) - x(S))
    over proper coalitions S and x(N) = v(N); the core is non-empty iff epsilon <= 0 (to
    the tolerance). `point` is an x attaining it: a point of the core when it is
    non-empty."""

    nonempty: bool
    epsilon: float
    point: Allocation

    def to_dict(self) -> dict:
        return {"nonempty": self.nonempty, "least_core_epsilon": self.epsilon,
                "point": self.point.as_dict()}


def core(game: TUGame) -> Core:
    """Whether the core is empty, and a point in it (else the least core); one LP, 2^n - 2
    rows (HiGHS dual simplex)."""
    n = game.n
    vN = float(game.values[game.grand])
    if n == 1:
        return Core(True, 0.0, Allocation("core", game.players, (vN,)))
    s = game.scale
    masks = proper(n)
    from scipy.sparse import hstack

    M = incidence(n, masks)
    A_ub = hstack([-M, -np.ones((len(masks), 1))]).tocsr()
    b_ub = -game.values[masks] / s
    A_eq = np.append(np.ones(n), 0.0)[None, :]
    c = np.zeros(n + 1)
    c[-1] = 1.0
    res = linprog(c, A_ub, b_ub, A_eq, [vN / s], [(None, None)] * (n + 1))
    eps = tidy(float(res.x[-1]) * s, s)
    x = tuple(tidy(float(v) * s, s) for v in res.x[:n])
    return Core(eps <= TOL * s, eps, Allocation("core", game.players, x))
