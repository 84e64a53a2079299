"""The nucleolus (Schmeidler 1969): the imputation (x(N) = v(N), x_i >= v({i})) whose vector
of excesses e(S, x) = v(S) - x(S), sorted in decreasing order, is lexicographically
smallest; it lies in the core when the core is non-empty. Computed by the standard sequence
of LPs (Kopelowitz 1967; Maschler, Peleg & Shapley 1979), see `nucleolus`, and for rational
games confirmed exactly: its tight coalitions give a linear system that is solved in
Fractions and checked (`Nucleolus.exact`; None when the check fails or n >
`EXACT_NUCLEOLUS_PLAYERS`). A dual value above `DUAL_TOL` (1e-9) counts as positive.

Schmeidler, D. (1969) The nucleolus of a characteristic function game. SIAM Journal on
Applied Mathematics 17(6):1163-1170. doi:10.1137/0117107
Kopelowitz, A. (1967) Computation of the kernels of simple games and the nucleolus of
n-person games. Research Memorandum 31, Hebrew University of Jerusalem.
Maschler, M., Peleg, B. and Shapley, L. S. (1979) Geometric properties of the kernel,
nucleolus, and related solution concepts. Mathematics of Operations Research 4(4):303-338.
doi:10.1287/moor.4.4.303
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .allocations import Allocation, excesses
from .least_core import incidence, linprog, proper, tidy
from .tu import TOL, TUGame

EXACT_NUCLEOLUS_PLAYERS = 16
"""Most players for which the nucleolus is confirmed in exact arithmetic."""

DUAL_TOL = 1e-9
"""A dual value above this counts as positive (its constraint is tight at every optimum)."""


@dataclass(frozen=True)
class Nucleolus:
    """The nucleolus (or pre-nucleolus when `pre`), its excess levels (the optimal values
    of the successive LPs, in the game's units, decreasing) and how many LPs it took."""

    allocation: Allocation
    levels: tuple[float, ...]
    lps: int
    pre: bool = False

    @property
    def values(self) -> tuple[float, ...]:
        return self.allocation.values

    @property
    def exact(self) -> tuple[Fraction, ...] | None:
        return self.allocation.exact

    def to_dict(self) -> dict:
        return {**self.allocation.to_dict(), "levels": list(self.levels), "lps": self.lps,
                "prenucleolus": self.pre}


class _Span:
    """An orthonormal basis of the span of some 0/1 vectors (Gram-Schmidt)."""

    def __init__(self, n: int):
        self.n = n
        self.q = np.zeros((0, n))

    @property
    def rank(self) -> int:
        return len(self.q)

    def residual(self, rows: np.ndarray) -> np.ndarray:
        if not len(self.q):
            return np.linalg.norm(rows, axis=1)
        return np.linalg.norm(rows - (rows @ self.q.T) @ self.q, axis=1)

    def add(self, row: np.ndarray) -> bool:
        r = row - (row @ self.q.T) @ self.q if len(self.q) else row.astype(float)
        norm = float(np.linalg.norm(r))
        if norm < 1e-9:
            return False
        self.q = np.vstack([self.q, r / norm])
        return True


def _rows(n: int, masks: np.ndarray) -> np.ndarray:
    return ((masks[:, None] >> np.arange(n)[None, :]) & 1).astype(float)


def nucleolus(game: TUGame, pre: bool = False) -> Nucleolus:
    """The nucleolus by the standard sequence of LPs (HiGHS dual simplex).

    LP k minimises t over x with x(N) = v(N), x_i >= v({i}) (imputations; left out for
    the pre-nucleolus), v(S) - x(S) = t_j for the coalitions fixed at earlier levels j, and
    v(S) - x(S) <= t for the others. A coalition whose constraint has a positive dual value
    is tight at every optimum, so it is fixed at level t_k (Kopelowitz 1967); so is an
    imputation bound with a positive dual (x_i = v({i})). Coalitions whose indicator
    vectors lie in the span of the fixed ones (and of N) have a determined excess and are
    dropped. Each LP raises that span's rank by at least one, so at most n - 1 LPs are
    solved; x is then the unique solution of the fixed equations. Raises ValueError when
    the imputation set is empty (v(N) < sum_i v({i})): use `pre=True`.
    """
    n = game.n
    s = game.scale
    v = game.values / s
    vN = float(v[game.grand])
    singles = np.array([v[1 << i] for i in range(n)])
    if not pre and vN < singles.sum() - TOL:
        raise ValueError("the imputation set is empty (v(N) < the sum of the players' "
                         "values alone); the pre-nucleolus exists: use pre=True")
    if n == 1:
        x1 = (float(game.values[1]),)
        ex = (game.exact_value(1),) if game.exact else None
        return Nucleolus(Allocation("nucleolus", game.players, x1, ex), (), 0, pre)
    from scipy.sparse import hstack

    span = _Span(n)
    span.add(np.ones(n))
    eq_rows: list[np.ndarray] = [np.ones(n)]
    eq_rhs: list[float] = [vN]
    fixed_ir: list[int] = []
    free = proper(n)
    levels: list[float] = []
    bounds = [(None, None)] * n if pre else [(float(b), None) for b in singles]
    lps = 0
    while span.rank < n:
        M = incidence(n, free)
        A_ub = hstack([-M, -np.ones((len(free), 1))]).tocsr()
        A_eq = np.hstack([np.array(eq_rows), np.zeros((len(eq_rows), 1))])
        c = np.zeros(n + 1)
        c[-1] = 1.0
        res = linprog(c, A_ub, -v[free], A_eq, eq_rhs, [*bounds, (None, None)])
        lps += 1
        t = float(res.x[-1])
        duals = -np.asarray(res.ineqlin.marginals)
        order = np.argsort(-duals, kind="stable")
        rank0 = span.rank
        for r in order[duals[order] > DUAL_TOL]:
            row = _rows(n, free[r : r + 1])[0]
            if span.add(row):
                eq_rows.append(row)
                eq_rhs.append(float(v[free[r]]) - t)
        if not pre:
            low = np.asarray(res.lower.marginals)[:n]
            for i in np.flatnonzero(low > DUAL_TOL):
                e = np.zeros(n)
                e[i] = 1.0
                if span.add(e):
                    eq_rows.append(e)
                    eq_rhs.append(float(singles[i]))
                    fixed_ir.append(int(i))
        if span.rank == rank0:
            # Duals too degenerate to read: fix the coalitions tight at this optimum.
            x = res.x[:n]
            e = v[free] - _rows(n, free) @ x
            for r in np.flatnonzero(e >= t - TOL):
                row = _rows(n, free[r : r + 1])[0]
                if span.add(row):
                    eq_rows.append(row)
                    eq_rhs.append(float(v[free[r]]) - t)
            if span.rank == rank0:
                raise RuntimeError("nucleolus: no constraint could be fixed (numerical "
                                   "trouble in the LP)")
        levels.append(t)
        if span.rank < n:
            free = free[span.residual(_rows(n, free)) > 1e-9]
    x = np.linalg.solve(np.array(eq_rows), np.array(eq_rhs)) * s
    # imputation bounds that hold with equality (the fixed ones and any others that bind)
    bound = sorted(set(fixed_ir) | ({i for i in range(n)
                                     if abs(x[i] - singles[i] * s) <= TOL * s} if not pre
                                    else set()))
    found = _exact_nucleolus(game, x, levels, bound) if game.exact else None
    if found is not None:
        exact, exact_levels = found
        xs = tuple(float(f) for f in exact)
        lv = tuple(float(t) for t in exact_levels)
    else:
        exact = None
        xs = tuple(tidy(a, s) for a in x)
        lv = tuple(tidy(t * s, s) for t in levels)
    alloc = Allocation("prenucleolus" if pre else "nucleolus", game.players, xs, exact)
    return Nucleolus(alloc, lv, lps, pre)


def _exact_nucleolus(game: TUGame, x: np.ndarray, levels: list[float], fixed_ir: list[int]
                     ) -> tuple[tuple[Fraction, ...], tuple[Fraction, ...]] | None:
    """Confirm a float nucleolus exactly: every coalition whose excess equals one of the
    LP levels, x(N) = v(N) and the fixed imputation bounds give linear equations in x and
    the levels; solve a full-rank subset in Fractions, check all of them and the
    imputation bounds, and require agreement with the float answer."""
    n = game.n
    if n > EXACT_NUCLEOLUS_PLAYERS or game.numerators is None:
        return None
    from scipy.linalg import qr

    s = game.scale
    lv: list[float] = []
    for t in sorted(levels, reverse=True):
        if not lv or abs(lv[-1] - t * s) > TOL * s:
            lv.append(t * s)
    m = len(lv)
    masks = proper(n)
    e = excesses(game, x)[masks]
    rows: list[list[int]] = []  # coefficients over (x_1..x_n, t_1..t_m)
    rhs: list[Fraction] = []
    full = [1] * n + [0] * m
    rows.append(full)
    rhs.append(game.exact_value(game.grand))
    for i in fixed_ir:
        r = [0] * (n + m)
        r[i] = 1
        rows.append(r)
        rhs.append(game.exact_value(1 << i))
    for j, t in enumerate(lv):
        for mk in masks[np.abs(e - t) <= TOL * s]:
            r = [int(mk >> i & 1) for i in range(n)] + [0] * m
            r[n + j] = 1
            rows.append(r)
            rhs.append(game.exact_value(int(mk)))
    a = np.array(rows, dtype=float)
    _, rr, piv = qr(a.T, pivoting=True, mode="economic")
    diag = np.abs(np.diag(rr))
    rank = int((diag > 1e-9 * max(1.0, diag.max())).sum())
    if rank < n + m:
        return None
    pick = sorted(piv[:rank].tolist())
    sol = _solve_fractions([rows[k] for k in pick], [rhs[k] for k in pick])
    if sol is None:
        return None
    for r, b in zip(rows, rhs, strict=True):
        if sum(c * y for c, y in zip(r, sol, strict=True) if c) != b:
            return None
    xs = sol[:n]
    if any(abs(float(a) - b) > 1e-6 * s for a, b in zip(xs, x, strict=True)):
        return None
    by_level = dict(zip(lv, sol[n:], strict=True))
    exact_levels = []
    for t in levels:
        key = min(lv, key=lambda u, t=t: abs(u - t * s))
        exact_levels.append(by_level[key])
    return tuple(xs), tuple(exact_levels)


def _solve_fractions(a: list[list[int]], b: list[Fraction]) -> list[Fraction] | None:
    """Solve the square system a y = b exactly (Gauss-Jordan in Fractions)."""
    k = len(a)
    m = [[Fraction(v) for v in row] + [rhs] for row, rhs in zip(a, b, strict=True)]
    for col in range(k):
        piv = next((r for r in range(col, k) if m[r][col] != 0), None)
        if piv is None:
            return None
        m[col], m[piv] = m[piv], m[col]
        p = m[col][col]
        m[col] = [v / p for v in m[col]]
        for r in range(k):
            if r != col and m[r][col] != 0:
                f = m[r][col]
                m[r] = [v - f * w for v, w in zip(m[r], m[col], strict=True)]
    return [m[r][k] for r in range(k)]
