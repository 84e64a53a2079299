"""The linear relaxation of a branch-and-bound node, solved with HiGHS and warm-started.

One model per search holds a column z[i, o] in [0, 1] for every kept option of every
issue, with sum_o z[i, o] = 1 per issue, the search's constraints sum_a R_ja u_a >= b_j
and, for a max-min objective, one row t <= alpha_a u_a + beta_a per term (the relaxation
of Accord's questions: Land & Doig 1960, doi:10.2307/1910129). A node fixes options and
removes others by changing column bounds only, so HiGHS' dual simplex restarts from the
previous basis and needs a few pivots per node (Huangfu & Hall 2018, "Parallelizing the
dual revised simplex method", doi:10.1007/s12532-017-0130-5).

The solver only proposes multipliers: `accord.bargaining.search` turns its dual values
into bounds that are valid for any non-negative multipliers and evaluates them exactly
when it matters, so a wrong or inaccurate LP answer can only slow the search, never
change its result. Utilities are scaled to [0, 1] here to keep the LP well conditioned.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csc_matrix

_BANNER_LOCK = threading.Lock()
_BANNER_DONE = False


def new_highs():
    """A silent `highspy.Highs`. HiGHS prints a banner on standard output when the first
    instance of a process is created; Accord's stdout is for results (`--json`), so the
    first construction runs with file descriptor 1 pointed at /dev/null.

    References: HiGHS, Huangfu, Q. and Hall, J. A. J. (2018) "Parallelizing the dual revised
    simplex method", Math. Prog. Comp. 10(1):119-142, doi:10.1007/s12532-017-0130-5.
    """
    import highspy

    global _BANNER_DONE
    with _BANNER_LOCK:
        if _BANNER_DONE:
            h = highspy.Highs()
        else:
            sys.stdout.flush()
            saved = os.dup(1)
            null = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(null, 1)
                h = highspy.Highs()
            finally:
                os.dup2(saved, 1)
                os.close(saved)
                os.close(null)
            _BANNER_DONE = True
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    return h


@dataclass
class Solution:
    """Dual values (>= 0) of the constraint rows and of the objective rows, and the
    largest column value per free issue (1 when the relaxation chose one option).

    The duals are the multipliers of the Lagrangian bounds of `accord.bargaining.search`
    (Fisher 1981, Management Science 27(1):1-18, doi:10.1287/mnsc.27.1.1).
    """

    row_duals: np.ndarray
    term_duals: np.ndarray
    top: dict[int, float]
    value: float


class Relaxation:
    """A warm-started LP over all kept options (see the module doc).

    `U` per issue (options, n) units; `K` (n,) scales; `rows` (coef (n,), rhs) in units;
    `terms` (coef (n,), const) for a max-min objective max min_j (coef_j . u + const_j),
    or None; `linear` (n,) the coefficients on units of a linear objective (used when
    `terms` is None).

    Cost: a node changes column bounds only, so the dual simplex restarts from the last
    basis (a few pivots per node; worst case exponential, as for any simplex method).

    References: Land, A. H. and Doig, A. G. (1960) Econometrica 28(3):497-520,
    doi:10.2307/1910129 (the relaxation of a branch-and-bound node); Huangfu, Q. and Hall,
    J. A. J. (2018) Math. Prog. Comp. 10(1):119-142, doi:10.1007/s12532-017-0130-5 (HiGHS'
    dual simplex).
    """

    def __init__(self, U: Sequence[np.ndarray], K: np.ndarray,
                 rows: Sequence[tuple[np.ndarray, float]],
                 terms: Sequence[tuple[np.ndarray, float]] | None,
                 linear: np.ndarray | None):
        import highspy

        self.U = U
        self.K = K
        self.sizes = [len(u) for u in U]
        self.offsets = np.concatenate([[0], np.cumsum(self.sizes)]).astype(np.int64)
        nz = int(self.offsets[-1])
        self.nz = nz
        C = np.concatenate([u / K for u in U], axis=0).T  # (n, nz) utilities
        m = len(U)
        mat_rows, lower, upper = [], [], []
        for i in range(m):  # one option per issue
            r = np.zeros(nz + 1)
            r[self.offsets[i] : self.offsets[i + 1]] = 1.0
            mat_rows.append(r)
            lower.append(1.0)
            upper.append(1.0)
        self.row_scale = []
        for coef, rhs in rows:  # coef . u >= rhs, scaled
            cu = np.asarray(coef, dtype=float) * K
            s = float(np.abs(cu).max()) or 1.0
            mat_rows.append(np.concatenate([cu @ C / s, [0.0]]))
            lower.append(float(rhs) / s)
            upper.append(np.inf)
            self.row_scale.append(s)
        self.n_rows = len(rows)
        self.n_terms = 0
        cost = np.zeros(nz + 1)
        col_lo = np.zeros(nz + 1)
        col_hi = np.ones(nz + 1)
        if terms is not None:  # t - (coef K) . util <= const
            for coef, const in terms:
                mat_rows.append(np.concatenate([-(np.asarray(coef) * K) @ C, [1.0]]))
                lower.append(-np.inf)
                upper.append(const)
            self.n_terms = len(terms)
            cost[-1] = -1.0
            col_lo[-1], col_hi[-1] = -np.inf, np.inf
        else:
            cost[:-1] = -(np.asarray(linear) * K) @ C
            col_hi[-1] = 0.0
        A = np.array(mat_rows)
        lp = highspy.HighsLp()
        lp.num_col_ = nz + 1
        lp.num_row_ = len(mat_rows)
        lp.col_cost_ = cost
        lp.col_lower_ = col_lo
        lp.col_upper_ = col_hi
        lp.row_lower_ = np.array(lower)
        lp.row_upper_ = np.array(upper)
        csc = csc_matrix(A)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = csc.indptr.astype(np.int32)
        lp.a_matrix_.index_ = csc.indices.astype(np.int32)
        lp.a_matrix_.value_ = csc.data.astype(float)
        self.C = C
        self.lp = lp
        self.cost = cost
        self.h = new_highs()
        self.h.passModel(lp)
        self._idx = np.arange(nz, dtype=np.int32)
        self._terms = terms is not None

    def set_linear(self, linear: np.ndarray) -> None:
        """New coefficients (on units) of a linear objective."""
        cost = -(np.asarray(linear) * self.K) @ self.C
        self.cost[:-1] = cost
        self.h.changeColsCost(self.nz, self._idx, cost)

    def integer_solution(self, seconds: float) -> np.ndarray | None:
        """Column values of a good integer solution of the whole problem found by HiGHS'
        mixed-integer solver within `seconds` (a heuristic: None when it found none)."""
        import highspy

        h = new_highs()
        h.passModel(self.lp)
        h.changeColsCost(self.nz + 1, np.arange(self.nz + 1, dtype=np.int32), self.cost)
        h.changeColsIntegrality(self.nz, self._idx,
                                np.full(self.nz, highspy.HighsVarType.kInteger))
        h.setOptionValue("time_limit", max(0.05, float(seconds)))
        h.setOptionValue("mip_rel_gap", 1e-6)
        h.run()
        sol = h.getSolution()
        return np.asarray(sol.col_value) if sol.value_valid else None

    def solve(self, x: Sequence[int], free: Sequence[int], dom: Sequence[np.ndarray]
              ) -> Solution | None:
        """Solve the node with options `x` fixed (-1 where free) and `dom[i]` allowed on
        the free issues. None when the relaxation is infeasible or the solver fails."""
        import highspy

        hi = np.zeros(self.nz)
        lo = np.zeros(self.nz)
        for i, xi in enumerate(x):
            off = self.offsets[i]
            if xi >= 0:
                hi[off + xi] = lo[off + xi] = 1.0
            else:
                hi[off + dom[i]] = 1.0
        self.h.changeColsBounds(self.nz, self._idx, lo, hi)
        self.h.run()
        if self.h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        sol = self.h.getSolution()
        duals = np.asarray(sol.row_dual)
        m = len(self.U)
        # a ">=" row at its bound has a dual >= 0, a "<=" row one <= 0 (minimisation)
        rd = np.maximum(duals[m : m + self.n_rows], 0.0) / np.array(
            self.row_scale or [1.0])[: self.n_rows]
        td = np.maximum(-duals[m + self.n_rows : m + self.n_rows + self.n_terms], 0.0)
        col = np.asarray(sol.col_value)
        top = {i: float(col[self.offsets[i] : self.offsets[i + 1]].max()) for i in free}
        return Solution(rd, td, top, -float(self.h.getInfo().objective_function_value))
