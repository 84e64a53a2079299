"""Three parties whose utilities sum to a constant: every question on a plane, by meeting
in the middle and a proof by region.

When three parties' utilities U_0 + U_1 + U_2 add up to the same total C on every deal,
a deal is a point y = (U_0, U_1) of a plane (U_2 = C - U_0 - U_1), every deal is
Pareto-optimal, and the branch and bound of `accord.bargaining.search` degenerates into a
subset-sum search (see `accord.bargaining.line` for two parties). Here:

1. The deals are split into two halves of issues (Horowitz & Sahni 1974, doi:10.1145/
   321812.321823): y = a + b with a a point of the first half's partial deals and b one
   of the second's; the second half goes into a k-d tree (`scipy.spatial.cKDTree`;
   Bentley 1975, doi:10.1145/361002.361007).
2. A first deal: the real maximiser y* of the objective over the constraints (exact
   for a max-min or linear objective: the best vertex of the arrangement of the constraint
   lines and the lines where two terms are equal; for the Nash product a floating-point
   guess), then for every a the second-half points nearest y* - a; the best of those pairs,
   compared exactly, is the incumbent, of value v.
3. The proof: every deal at least as good as v lies in the convex region R = {y meeting
   the constraints, objective(y) >= v} (for the Nash product, a polygon containing it: the
   tangent of the log-sum at y* bounds it from above). R is a polygon whose vertices are
   computed exactly (Fractions); a disc containing it, slightly enlarged, is queried
   around y* - a for every a, and every pair found is evaluated exactly. The best of them
   is the answer, with the lowest option indices among exact ties (pairs are ordered by
   their first-half index, then their second-half index: the lexicographic order of deals).

Nothing is decided in floating point: the disc contains R with a margin far above
rounding, and every comparison that picks a deal is exact. When the disc holds too many
pairs (`PAIR_LIMIT`; a weak incumbent or an objective that ties on a large region), the
plane gives up and the branch and bound answers.

Cost: O(H log H) to build (H the larger half, at most `HALF_LIMIT`), then per question
O(H log H) for the queries plus the pairs in the disc.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .line import cached, halves, partial_sums
from .pareto import constant_sum
from .search_result import SearchResult

HALF_LIMIT = 500_000
"""Largest number of partial deals in one half."""

PAIR_LIMIT = 2_000_000
"""Largest number of pairs examined for one proof."""

NEAREST = 4
"""Second-half points tried per first-half point for the incumbent."""

RING = 12
"""Tangent cuts around the peak that enclose the deals reaching a Nash product."""

RING_MIN = 1e-4
"""Smallest distance (in utility) from the peak of a point where a tangent cut is taken."""


@dataclass
class Plane:
    """The halves of a constant-sum three-party model (see the module doc): the units of
    every partial deal of each half, the second half's (U_0, U_1) in a k-d tree."""

    model: object  # accord.bargaining.search.Model
    K: tuple[int, int, int]
    C: Fraction  # U_0 + U_1 + U_2 on every deal
    split: int
    A: np.ndarray  # (|A|, 3) units of the first half's partial deals, lexicographic order
    B: np.ndarray  # (|B|, 3) units of the second half's, lexicographic order
    tree: object  # cKDTree of B's (U_0, U_1)

    def units(self, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
        """(m, 3) exact units of pairs (integers held in floats)."""
        return self.A[ia] + self.B[ib]

    def deal(self, ia: int, ib: int) -> tuple[int, ...]:
        mo = self.model
        first = [len(o) for o in mo.opts[: self.split]]  # type: ignore[attr-defined]
        second = [len(o) for o in mo.opts[self.split:]]  # type: ignore[attr-defined]
        local = [*np.unravel_index(ia, first), *np.unravel_index(ib, second)]
        return mo.full_deal([int(x) for x in local])  # type: ignore[attr-defined]


def plane_for(model) -> Plane | None:
    """The halves of `model` when it has three parties (no extra columns) whose utilities
    sum to a constant and its blocks are runs of consecutive issues; else None. Cached.

    Cost: O(H log H) to build (H the larger half, at most `HALF_LIMIT`).

    References: Horowitz, E. and Sahni, S. (1974) "Computing partitions with applications to
    the knapsack problem", J. ACM 21(2):277-292, doi:10.1145/321812.321823; Bentley, J. L.
    (1975) "Multidimensional binary search trees used for associative searching", Commun.
    ACM 18(9):509-517, doi:10.1145/361002.361007.
    """
    return cached(model, "_plane", _build)


def _build(model) -> Plane | None:
    split = halves(model, 3, HALF_LIMIT)
    if split is None:
        return None
    if not constant_sum(model.space, model.parties):
        return None
    K = tuple(int(k) for k in model.scale)
    C = sum((Fraction(int(x), k) for u in model.U for x, k in zip(u[0], K, strict=True)),
            Fraction(0))
    from scipy.spatial import cKDTree

    A = partial_sums(model.U[:split])
    B = partial_sums(model.U[split:])
    scale = np.array([1.0 / K[0], 1.0 / K[1]])
    return Plane(model, K, C, split, A, B, cKDTree(B[:, :2] * scale))  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------
# Geometry in utilities y = (U_0, U_1), exact


Line = tuple[Fraction, Fraction, Fraction]  # p0 y0 + p1 y1 + q >= 0


def _utility_affine(plane: Plane, t: int) -> tuple[Fraction, Fraction, Fraction]:
    """U_t = p0 y0 + p1 y1 + q."""
    if t == 0:
        return Fraction(1), Fraction(0), Fraction(0)
    if t == 1:
        return Fraction(0), Fraction(1), Fraction(0)
    return Fraction(-1), Fraction(-1), plane.C


def _terms(plane: Plane, obj) -> list[Line]:
    """The objective's terms alpha u_t + beta as affine functions of y."""
    out = []
    betas = obj.beta or (Fraction(0),) * len(obj.terms)
    for t, al, be in zip(obj.terms, obj.alpha, betas, strict=True):
        p0, p1, q = _utility_affine(plane, t)
        k = al * plane.K[t]
        out.append((k * p0, k * p1, k * q + be))
    return out


Check = tuple[tuple[Fraction, Fraction, Fraction], Fraction]  # c . u >= rhs, in units


def _constraints(plane: Plane, lower, rows) -> tuple[list[Line], list[Check]] | None:
    """Half-planes of the constraints (with the box of achievable points), and the same
    constraints on units for checking deals; None when one of them can never hold.
    Constraints that hold on the whole plane (a row on the constant sum) are dropped."""
    cons: list[Line] = []
    checks: list[Check] = []
    items = [((Fraction(int(a == 0)), Fraction(int(a == 1)), Fraction(int(a == 2))),
              Fraction(b)) for a, b in enumerate(lower) if b is not None]
    items += [(tuple(Fraction(c) for c in coef), Fraction(r)) for coef, r in rows]
    for coef, rhs in items:  # sum_a c_a K_a U_a >= rhs
        p0 = p1 = q = Fraction(0)
        for a, c in enumerate(coef):
            if c:
                a0, a1, aq = _utility_affine(plane, a)
                k = c * plane.K[a]
                p0, p1, q = p0 + k * a0, p1 + k * a1, q + k * aq
        if p0 == p1 == 0:
            if q < rhs:
                return None
            continue
        cons.append((p0, p1, q - rhs))
        checks.append((coef, rhs))  # type: ignore[arg-type]
    lo = plane.A.min(axis=0) + plane.B.min(axis=0)
    hi = plane.A.max(axis=0) + plane.B.max(axis=0)
    for j in range(3):  # lo_j <= U_j <= hi_j for the achievable points
        a0, a1, aq = _utility_affine(plane, j)
        cons.append((a0, a1, aq - Fraction(int(lo[j]), plane.K[j])))
        cons.append((-a0, -a1, Fraction(int(hi[j]), plane.K[j]) - aq))
    return cons, checks


def _vertices(lines: list[Line]) -> list[tuple[Fraction, Fraction]]:
    """Vertices of the polygon {y: every line >= 0} (exact; empty when it is empty)."""
    return [v for v in _vertices_any(lines) if _inside(lines, v)]


def _value(terms: list[Line], kind: str, y) -> Fraction | float:
    f = [p0 * y[0] + p1 * y[1] + q for p0, p1, q in terms]
    if kind == "linear":
        return sum(f, Fraction(0))
    return min(f)


def _peak(plane: Plane, obj, cons: list[Line]) -> tuple[float, float] | None:
    """A point of the feasible polygon where the objective is (nearly) largest."""
    terms = _terms(plane, obj)
    poly = _vertices(cons)
    if not poly:
        return None
    if obj.kind in ("linear", "minaff"):
        # the maximum of a concave piecewise-linear function over a polygon is at a vertex
        # of the arrangement of its constraint lines and the lines where two terms meet
        lines = list(cons)
        if obj.kind == "minaff":
            lines += [(a0 - b0, a1 - b1, aq - bq) for i, (a0, a1, aq) in enumerate(terms)
                      for b0, b1, bq in terms[i + 1:]]
        pts = [v for v in _vertices_any(lines) if _inside(cons, v)]  # poly among them
        y = max(pts, key=lambda v: _value(terms, obj.kind, v))
        return float(y[0]), float(y[1])
    # Nash: maximise sum w log f over the polygon, from its centre (a guess only)
    from scipy.optimize import minimize

    c = np.mean([[float(a), float(b)] for a, b in poly], axis=0)
    T = np.array([[float(a), float(b), float(q)] for a, b, q in terms])
    w = np.array([float(x) for x in obj.weights])
    G = np.array([[float(a), float(b), float(q)] for a, b, q in cons])

    def neg(y):
        f = T[:, :2] @ y + T[:, 2]
        return 1e9 if (f <= 0).any() else -float(w @ np.log(f))

    res = minimize(neg, c, method="SLSQP",
                   constraints=[{"type": "ineq", "fun": lambda y: G[:, :2] @ y + G[:, 2]}])
    y = res.x if res.success and neg(res.x) < 1e9 else c
    return float(y[0]), float(y[1])


def _vertices_any(lines: list[Line]) -> list[tuple[Fraction, Fraction]]:
    """The intersection points of every two lines that are not parallel (exact)."""
    out = []
    for i, (a0, a1, aq) in enumerate(lines):
        for b0, b1, bq in lines[i + 1:]:
            det = a0 * b1 - a1 * b0
            if det != 0:
                out.append(((a1 * bq - aq * b1) / det, (aq * b0 - a0 * bq) / det))
    return out


def _inside(cons: list[Line], y) -> bool:
    return all(p0 * y[0] + p1 * y[1] + q >= 0 for p0, p1, q in cons)


def _region(plane: Plane, obj, cons: list[Line], v: Fraction, peak) -> list[Line] | None:
    """Half-planes of a polygon containing every feasible y whose objective reaches v."""
    terms = _terms(plane, obj)
    if obj.kind == "linear":
        p0 = sum((t[0] for t in terms), Fraction(0))
        p1 = sum((t[1] for t in terms), Fraction(0))
        q = sum((t[2] for t in terms), Fraction(0)) + obj.const
        return [*cons, (p0, p1, q - v)]
    if obj.kind == "minaff":
        return [*cons, *[(p0, p1, q - v) for p0, p1, q in terms]]
    # nash: phi(y) = sum_t w_t log f_t(y) is concave and v = prod f_t ** W_t with W = den w
    # (see Objective.exact), so the deals reaching v have phi >= L = log(v) / den. For any
    # z with every f_t(z) > 0, phi(y) <= phi(z) + grad(z) . (y - z): the region lies in
    # the half-plane grad(z) . (y - z) >= L - phi(z). Points z on a ring around the peak,
    # just outside the boundary phi = L, give a polygon around it. grad(z) = sum_t w_t p_t /
    # f_t(z) is exact; phi(z) is bounded above and L below with a margin.
    out = [*cons, *[(p0, p1, q) for p0, p1, q in terms]]
    if v <= 0:
        return out
    den = math.lcm(*(w.denominator for w in obj.weights))
    L = (math.log(v.numerator) - math.log(v.denominator)) / den
    L_low = L - 1e-9 * (1 + abs(L))
    T = np.array([[float(a), float(b), float(q)] for a, b, q in terms])
    w = np.array([float(x) for x in obj.weights])

    def phi(y: np.ndarray) -> float:
        f = T[:, :2] @ y + T[:, 2]
        return -math.inf if (f <= 0).any() else float(w @ np.log(f))

    y0 = np.asarray(peak, dtype=float)
    if phi(y0) < L_low:
        return out
    for k in range(RING):
        d = np.array([math.cos(2 * math.pi * k / RING), math.sin(2 * math.pi * k / RING)])
        lo_r, hi_r = 0.0, 4.0
        if phi(y0 + hi_r * d) >= L_low:
            continue
        for _ in range(60):
            mid = (lo_r + hi_r) / 2
            lo_r, hi_r = (mid, hi_r) if phi(y0 + mid * d) >= L_low else (lo_r, mid)
        # just outside the boundary, and not so near the peak that the gradient vanishes
        z = [Fraction(float(x)) for x in y0 + max(hi_r * 1.01, RING_MIN) * d]
        fz = [p0 * z[0] + p1 * z[1] + q for p0, p1, q in terms]
        if any(f <= 0 for f in fz):
            continue
        g0 = sum((wt * t[0] / f for wt, t, f in zip(obj.weights, terms, fz, strict=True)),
                 Fraction(0))
        g1 = sum((wt * t[1] / f for wt, t, f in zip(obj.weights, terms, fz, strict=True)),
                 Fraction(0))
        phi_z = float(sum(float(wt) * math.log(f) for wt, f in zip(obj.weights, fz,
                                                                   strict=True)))
        phi_up = Fraction(phi_z + 1e-9 * (1 + abs(phi_z)))
        out.append((g0, g1, -(g0 * z[0] + g1 * z[1]) - Fraction(L_low) + phi_up))
    return out


# ---------------------------------------------------------------------------------------
# One question on the plane


def plane_search(plane: Plane, obj, lower, rows, lex: bool, keep_ties: bool):
    """`accord.bargaining.search.search` on a plane (same arguments and result), or
    `NotImplemented` when the proof would need more than `PAIR_LIMIT` pairs.

    A first deal near the real maximiser y*, then every pair inside a disc around the
    exact region {y feasible, objective(y) >= incumbent}, compared exactly. Cost: O(H log H)
    for the k-d tree queries plus the pairs found in the disc.

    References: Horowitz and Sahni (1974), doi:10.1145/321812.321823 (the halves); Bentley
    (1975), doi:10.1145/361002.361007 (the k-d tree).
    """
    got = _constraints(plane, lower, rows)
    if got is None:
        return None
    cons, checks = got
    poly = _vertices(cons)
    if not poly:
        return None
    scale = np.array([1.0 / plane.K[0], 1.0 / plane.K[1]])
    A2 = plane.A[:, :2]
    if obj.kind == "linear":
        terms = _terms(plane, obj)
        if all(sum((t[j] for t in terms), Fraction(0)) == 0 for j in range(2)):
            centre, radius = _disc(poly)  # constant: every feasible deal ties
            return _first_feasible(plane, checks, A2 * scale, centre, radius, obj, lex)
    peak = _peak(plane, obj, cons)
    if peak is None:
        return None
    Ay = A2 * scale
    # incumbent: for every a, the second-half points nearest the peak
    _, nb = plane.tree.query(np.asarray(peak)[None, :] - Ay,  # type: ignore[attr-defined]
                             k=min(NEAREST, len(plane.B)))
    nb = np.asarray(nb).reshape(len(Ay), -1)
    ia = np.repeat(np.arange(len(Ay)), nb.shape[1])
    ib = nb.reshape(-1)
    best = _best(plane, obj, checks, ia, ib, lex=False, keep_ties=False, limit=64)
    if best is None:
        v = None
        region = cons
    else:
        v = best[0]
        region = _region(plane, obj, cons, v, peak)
        if region is None:
            return NotImplemented
    verts = _vertices(region)
    if not verts:  # nothing reaches v (cannot happen: the incumbent does) or infeasible
        verts = _vertices(cons)
        if not verts:
            return None
    centre, radius = _disc(verts)
    pairs = _pairs(plane, centre[None, :] - Ay, radius)
    if pairs is None:
        return NotImplemented
    ia, ib = pairs
    found = _best(plane, obj, checks, ia, ib, lex=lex, keep_ties=keep_ties, limit=None)
    if found is None:
        return None
    value, pair, u, ties = found
    return SearchResult(value, plane.deal(*pair), u, 0, 0, ties)


def _pairs(plane: Plane, centres: np.ndarray, radius: float, first: int = 0
           ) -> tuple[np.ndarray, np.ndarray] | None:
    """The pairs (first + row of `centres`, second-half point) with the point within
    `radius` of the row's centre; None when there are more than `PAIR_LIMIT` (counted
    before any is listed)."""
    tree = plane.tree
    counts = np.asarray(tree.query_ball_point(centres, radius,  # type: ignore[attr-defined]
                                              return_length=True), dtype=np.int64)
    total = int(counts.sum())
    if total > PAIR_LIMIT:
        return None
    hits = tree.query_ball_point(centres[counts > 0], radius)  # type: ignore[attr-defined]
    ia = first + np.repeat(np.flatnonzero(counts), counts[counts > 0])
    ib = np.fromiter((j for h in hits for j in h), dtype=np.int64, count=total)
    return ia, ib


def _disc(verts) -> tuple[np.ndarray, float]:
    """A disc (centre, radius, in floats) containing the exact points `verts`, with a
    margin far above rounding."""
    lo = [min(p[j] for p in verts) for j in range(2)]
    hi = [max(p[j] for p in verts) for j in range(2)]
    centre = np.array([float((lo[j] + hi[j]) / 2) for j in range(2)])
    radius = math.hypot(float(hi[0] - lo[0]), float(hi[1] - lo[1])) / 2
    return centre, radius * (1 + 1e-9) + 1e-9


def _feasible(checks: list[Check], u: np.ndarray) -> np.ndarray:
    """Which unit rows `u` (exact integers in floats) meet the constraints. Integer
    constraints are decided in floats, where they are exact; others in floats where the
    margin is far above rounding, and exactly (once per distinct row) near the boundary."""
    ok = np.ones(len(u), dtype=bool)
    border = np.zeros(len(u), dtype=bool)
    for coef, rhs in checks:
        c = np.array([float(x) for x in coef])
        val = u @ c - float(rhs)
        if all(x.denominator == 1 for x in coef) and rhs.denominator == 1:
            ok &= val >= 0
        else:
            margin = 1e-12 * (float(np.abs(c) @ np.abs(u).max(axis=0)) + abs(float(rhs)) + 1)
            ok &= val >= -margin
            border |= np.abs(val) <= margin
    rows = np.flatnonzero(border & ok)
    if len(rows):
        uniq, inv = np.unique(u[rows], axis=0, return_inverse=True)
        good = np.array([all(sum((a * int(x) for a, x in zip(coef, r, strict=True)),
                                 Fraction(0)) >= rhs for coef, rhs in checks)
                         for r in uniq], dtype=bool)
        ok[rows] = good[np.asarray(inv).reshape(-1)]
    return ok


def _first_feasible(plane: Plane, checks: list[Check], Ay: np.ndarray, centre: np.ndarray,
                    radius: float, obj, lex: bool):
    """The feasible pair with the lowest indices (a constant objective: every feasible
    deal ties; without `lex`, the first found), walking the first half in order, in
    blocks of growing size."""
    start, step = 0, 1
    while start < len(Ay):
        pairs = _pairs(plane, centre[None, :] - Ay[start:start + step], radius, start)
        if pairs is None:
            if step == 1:
                return NotImplemented
            step //= 4
            continue
        start, step = start + step, min(4 * step, 4096)
        ia, ib = pairs
        if not len(ia):
            continue
        ok = np.flatnonzero(_feasible(checks, plane.units(ia, ib)))
        if len(ok):
            first = min(zip(ia[ok].tolist(), ib[ok].tolist(), strict=True))
            u = tuple(int(x) for x in plane.units(np.array([first[0]]),
                                                  np.array([first[1]]))[0])
            return SearchResult(obj.exact(u), plane.deal(*first), u, 0, 0, {})
    return None


def _best(plane: Plane, obj, checks: list[Check], ia: np.ndarray, ib: np.ndarray, lex: bool,
          keep_ties: bool, limit: int | None):
    """The exactly best feasible pair among (ia, ib): pairs within a float margin of the
    best float (at most `limit` of them, best first, when given) are compared exactly, once
    per distinct unit vector; among exact ties the lowest (ia, ib). Returns (value,
    (ia, ib), units, ties) or None."""
    if not len(ia):
        return None
    u = plane.units(ia, ib)
    ok = _feasible(checks, u)
    if not ok.any():
        return None
    ia, ib, u = ia[ok], ib[ok], u[ok]
    f = obj.floats(u)
    top = f.max()
    if not np.isfinite(top) and obj.kind == "nash":
        return None
    near = np.flatnonzero(f >= top - 1e-9 * (1 + abs(top)))
    if limit is not None:
        near = near[np.argsort(-f[near], kind="stable")[:limit]]
    uniq, inv = np.unique(u[near], axis=0, return_inverse=True)
    inv = np.asarray(inv).reshape(-1)
    best_v = None
    tops: list[int] = []
    for k, row in enumerate(uniq):
        uu = tuple(int(x) for x in row)
        val = obj.exact(uu)
        if obj.kind == "nash" and val <= 0:
            continue
        if best_v is None or val > best_v:
            best_v, tops = val, [k]
        elif val == best_v:
            tops.append(k)
    if best_v is None:
        return None
    ties: dict = {}
    firsts = []
    for k in tops:
        rows = near[inv == k]
        pair = min(zip(ia[rows].tolist(), ib[rows].tolist(), strict=True))
        uu = tuple(int(x) for x in uniq[k])
        firsts.append((pair, uu))
        if keep_ties:
            ties[uu] = plane.deal(*pair)
    pair, uu = min(firsts)
    return best_v, pair, uu, ties
