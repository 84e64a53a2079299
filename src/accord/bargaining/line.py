"""Two parties whose utilities sum to a constant: every question on one line, by meeting
in the middle.

When two parties' utilities add up to the same total on every deal (a constant-sum, or
zero-sum, negotiation: every option of every issue splits the same amount between them),
every deal is Pareto-optimal and each bargaining question is a question about party 0's
units u_0 alone: u_1 = (S - K_1 u_0) / K_0 exactly, where K_a are the parties' scales and
S = sum_i (K_1 U_i0 + K_0 U_i1) is the same for every deal. On such problems the branch and
bound of `accord.bargaining.search` degenerates into a subset-sum search (its relaxation is
tight everywhere but no deal is exactly at the relaxed optimum), and the frontier, which
is every distinct value of u_0, can have as many points as there are deals.

Method. Every objective the search knows (`Objective`: the smallest of affine terms, a
linear function, a weighted sum of logarithms) is concave in u_0 on the line, and every
constraint (lower bounds on the units, rows with non-negative coefficients) is an interval
lo <= u_0 <= hi. So the best deal has u_0 equal to the largest achievable value at most x*
or the smallest at least x*, where x* is the maximiser of the objective over the real
interval [lo, hi] (computed exactly in rationals). The achievable values are sums a + b
of a value of the first issues and one of the others (Horowitz & Sahni 1974, "Computing
partitions with applications to the knapsack problem", J. ACM 21(2),
doi:10.1145/321812.321823): both halves are enumerated, the second sorted once, and each
query is one vectorised binary search per value of the first half. The two candidates are
compared exactly; the tie rule (lowest option indices, issue by issue) is a range query
over the halves in their lexicographic order. Units are integers below 2**53, so every
comparison in floats here is exact.

Cost: O(H log H) once per model, with H the size of the larger half (at most
`HALF_LIMIT`; beyond it, or when the blocks of the model are not runs of consecutive
issues, `line_for` returns None and the branch and bound answers), then O(H log H) per
question.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .pareto import constant_sum
from .search_result import SearchResult

HALF_LIMIT = 2_000_000
"""Largest number of partial deals enumerated for one half."""


@dataclass
class Line:
    """The two halves of a constant-sum two-party model (see the module doc): party 0's
    units of every partial deal of each half, the second sorted (Horowitz & Sahni 1974)."""

    model: object  # accord.bargaining.search.Model
    K: tuple[int, int]
    S: int  # K1 u0 + K0 u1 on every deal
    split: int  # model issues [0, split) form the first half
    a0: np.ndarray  # party 0's units of each first-half partial deal, lexicographic order
    b_sorted: np.ndarray  # the second half's, sorted (stable)
    b_order: np.ndarray  # positions of b_sorted in the second half's lexicographic order

    def u1(self, u0: int) -> int:
        return (self.S - self.K[1] * u0) // self.K[0]

    def below(self, x: int, lo: int) -> int | None:
        """The largest achievable u0 <= x, if it is >= lo."""
        j = np.searchsorted(self.b_sorted, x - self.a0, side="right") - 1
        ok = j >= 0
        if not ok.any():
            return None
        best = int((self.a0[ok] + self.b_sorted[j[ok]]).max())
        return best if best >= lo else None

    def above(self, x: int, hi: int) -> int | None:
        """The smallest achievable u0 >= x, if it is <= hi."""
        j = np.searchsorted(self.b_sorted, x - self.a0, side="left")
        ok = j < len(self.b_sorted)
        if not ok.any():
            return None
        best = int((self.a0[ok] + self.b_sorted[j[ok]]).min())
        return best if best <= hi else None

    def first_deal(self, lo: int, hi: int) -> tuple[int, ...] | None:
        """The deal with the lowest option indices among those with lo <= u0 <= hi."""
        start = np.searchsorted(self.b_sorted, lo - self.a0, side="left")
        stop = np.searchsorted(self.b_sorted, hi - self.a0, side="right")
        hits = np.flatnonzero(stop > start)
        if not len(hits):
            return None
        a = int(hits[0])
        b = int(self.b_order[start[a]:stop[a]].min())
        mo = self.model
        first = [len(o) for o in mo.opts[: self.split]]  # type: ignore[attr-defined]
        second = [len(o) for o in mo.opts[self.split:]]  # type: ignore[attr-defined]
        local = [*np.unravel_index(a, first), *np.unravel_index(b, second)] if second else \
            list(np.unravel_index(a, first))
        return mo.full_deal([int(x) for x in local])  # type: ignore[attr-defined]


def line_for(model) -> Line | None:
    """The halves of `model` when it has two parties (no extra columns) whose units sum to
    a constant on every deal and its blocks are runs of consecutive issues; else None.
    Cached on the model. O(H log H), see the module doc.

    References: Horowitz, E. and Sahni, S. (1974) "Computing partitions with applications to
    the knapsack problem", J. ACM 21(2):277-292, doi:10.1145/321812.321823.
    """
    return cached(model, "_line", _build)


def cached(model, attr: str, build):
    """`build(model)`, computed once per model and kept on it as `attr`."""
    got = getattr(model, attr, False)
    if got is False:
        got = build(model)
        setattr(model, attr, got)
    return got


def halves(model, parties: int, limit: int) -> int | None:
    """Where to split the model's issues in two halves of at most `limit` partial deals
    each (the most even such split), for a model of `parties` parties (no extra columns)
    whose blocks are runs of consecutive issues; None when there is none.

    Cost: O(m^2) for m model issues. The split of Horowitz and Sahni (1974),
    doi:10.1145/321812.321823.
    """
    if len(model.parties) != parties or model.n != parties or model.m < 2:
        return None
    flat = [k for mem in model.members for k in mem]
    if flat != list(range(len(flat))):
        return None
    sizes = [len(o) for o in model.opts]
    best = None
    for split in range(1, model.m):
        h = max(math.prod(sizes[:split]), math.prod(sizes[split:]))
        if h <= limit and (best is None or h < best[0]):
            best = (h, split)
    return None if best is None else best[1]


def _build(model) -> Line | None:
    split = halves(model, 2, HALF_LIMIT)
    if split is None:
        return None
    if not constant_sum(model.space, model.parties):
        return None
    K0, K1 = (int(k) for k in model.scale)
    S = sum(K1 * int(u[0, 0]) + K0 * int(u[0, 1]) for u in model.U)
    a0 = partial_sums(model.U[:split])[:, 0]
    b0 = partial_sums(model.U[split:])[:, 0]
    order = np.argsort(b0, kind="stable")
    return Line(model, (K0, K1), S, split, a0, b0[order], order)


def partial_sums(U: Sequence[np.ndarray]) -> np.ndarray:
    """The units of every partial deal over the model issues of `U` (per issue, (options,
    columns)), in lexicographic order of the deals: (product of options, columns). Exact
    (integers held in floats). Cost: O(product of options x columns) time and memory."""
    out = np.zeros((1, U[0].shape[1]))
    for u in U:
        out = (out[:, None, :] + np.asarray(u, dtype=float)[None, :, :]).reshape(
            -1, out.shape[1])
    return out


# ---------------------------------------------------------------------------------------
# One question on the line


def _ceil(x: Fraction) -> int:
    return -((-x.numerator) // x.denominator)


def _floor(x: Fraction) -> int:
    return x.numerator // x.denominator


def _affine(line: Line, t: int) -> tuple[Fraction, Fraction]:
    """(p, q) with u_t = p u0 + q on the line."""
    K0, K1 = line.K
    return (Fraction(1), Fraction(0)) if t == 0 else (Fraction(-K1, K0), Fraction(line.S, K0))


def _window(line: Line, lower: Sequence[int | None],
            rows: Sequence[tuple[Sequence[Fraction], Fraction]]) -> tuple[int, int] | None:
    """The integer interval of u0 that meets every constraint (None when empty)."""
    lo, hi = -math.inf, math.inf
    cons = [((Fraction(int(a == 0)), Fraction(int(a == 1))), Fraction(b))
            for a, b in enumerate(lower) if b is not None]
    cons += [((Fraction(c[0]), Fraction(c[1])), Fraction(r)) for c, r in rows]
    for (c0, c1), rhs in cons:
        p1, q1 = _affine(line, 1)
        p, q = c0 + c1 * p1, c1 * q1  # c0 u0 + c1 u1 = p u0 + q >= rhs
        if p > 0:
            lo = max(lo, _ceil((rhs - q) / p))
        elif p < 0:
            hi = min(hi, _floor((rhs - q) / p))
        elif q < rhs:
            return None
    total = (int(line.a0.max() + line.b_sorted[-1]) if len(line.a0) else 0)
    least = int(line.a0.min() + line.b_sorted[0])
    lo, hi = max(lo, least), min(hi, total)
    return None if lo > hi else (int(lo), int(hi))


def _slope(line: Line, obj) -> Fraction:
    """d objective / d u0 of a linear objective on the line."""
    return sum((al * _affine(line, t)[0] for t, al in zip(obj.terms, obj.alpha, strict=True)),
               Fraction(0))


def _peak(line: Line, obj, lo: int, hi: int) -> Fraction:
    """The maximiser over the real interval [lo, hi] of the objective on the line."""
    terms = [(_affine(line, t), al, be) for t, al, be in
             zip(obj.terms, obj.alpha, obj.beta or [Fraction(0)] * len(obj.terms),
                 strict=True)]
    lines = [(al * p, al * q + be) for (p, q), al, be in terms]  # term = P u0 + Q
    L, H = Fraction(lo), Fraction(hi)
    if obj.kind == "linear":
        return H if _slope(line, obj) > 0 else L
    if obj.kind == "minaff":
        points = {L, H}
        for i, (P1, Q1) in enumerate(lines):
            for P2, Q2 in lines[i + 1:]:
                if P1 != P2:
                    x = (Q2 - Q1) / (P1 - P2)
                    if L <= x <= H:
                        points.add(x)
        return max(sorted(points), key=lambda x: min(P * x + Q for P, Q in lines))
    # nash: sum w log(P u0 + Q), concave where every term is positive
    w = list(obj.weights)
    up = [P for P, _ in lines]
    if all(P > 0 for P in up):
        return H
    if all(P < 0 for P in up):
        return L
    # two terms (one per party) of opposite slopes: sum w P / (P x + Q) = 0
    (P0, Q0), (P1, Q1) = lines
    x = -(w[0] * P0 * Q1 + w[1] * P1 * Q0) / (P0 * P1 * (w[0] + w[1]))
    return min(H, max(L, x))


def line_search(line: Line, obj, lower: Sequence[int | None],
                rows: Sequence[tuple[Sequence[Fraction], Fraction]], lex: bool,
                keep_ties: bool):
    """`accord.bargaining.search.search` on a line (same arguments and result).

    The best u_0 is the achievable value nearest below or above the real maximiser of the
    objective on the interval the constraints leave. Cost: O(H log H) per question (H the
    larger half), one vectorised binary search per first-half value.

    References: Horowitz, E. and Sahni, S. (1974) "Computing partitions with applications to
    the knapsack problem", J. ACM 21(2):277-292, doi:10.1145/321812.321823.
    """
    win = _window(line, lower, rows)
    if win is None:
        return None
    lo, hi = win
    if obj.kind == "linear" and _slope(line, obj) == 0:  # constant: the whole window ties
        deal = line.first_deal(lo, hi)
        if deal is None:
            return None
        v = int(line.model.space.utility_units(  # type: ignore[attr-defined]
            np.asarray(deal)[None, :], line.model.parties)[0][0])  # type: ignore[attr-defined]
        u = (v, line.u1(v))
        return SearchResult(obj.exact(u), deal, u, 0, 0, {u: deal} if keep_ties else {})
    x = _peak(line, obj, lo, hi)
    cands = {v for v in (line.below(_floor(x), lo), line.above(_ceil(x), hi))
             if v is not None}
    scored = []
    for v in sorted(cands):
        u = (v, line.u1(v))
        value = obj.exact(u)
        if obj.kind == "nash" and value <= 0:
            continue
        scored.append((value, v, u))
    if not scored:
        return None
    best = max(s[0] for s in scored)
    top = [(v, u) for value, v, u in scored if value == best]
    deals = {u: line.first_deal(v, v) for v, u in top}
    if not lex:
        deals = dict(list(deals.items())[:1])
    u, deal = min(deals.items(), key=lambda kv: kv[1])  # type: ignore[arg-type,return-value]
    return SearchResult(best, deal, u, 0, 0,  # type: ignore[arg-type]
                        dict(deals) if keep_ties else {})
