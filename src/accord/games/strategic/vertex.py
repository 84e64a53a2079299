"""Every extreme Nash equilibrium of a bimatrix game, degenerate games included: the vertices
of both best-response polytopes (qhull, through scipy) matched into completely labelled
pairs, with labels read with a tolerance so that degenerate vertices (more binding
constraints than the dimension) keep all their labels; and the maximal Nash subsets
("cliques") of a degenerate game.

von Stengel, B. (2007) Equilibrium computation for two-player games in strategic and
extensive form. Chapter 3 of Nisan, Roughgarden, Tardos and Vazirani (eds), Algorithmic Game
Theory, Cambridge University Press (Algorithm 3.5; a book chapter).
Avis, D., Rosenberg, G. D., Savani, R. and von Stengel, B. (2010) Enumeration of Nash
equilibria for two-player games. Economic Theory 42:9-37 (the maximal Nash subsets, as
Gambit's enummixed lists them). doi:10.1007/s00199-009-0449-x
"""

from __future__ import annotations

import numpy as np

from .game import StrategicGame

LABEL_TOL = 1e-9
"""Tolerance for a best-response polytope constraint to count as binding (payoffs rescaled
to [1, 2]). Payoffs that differ by less than about this, relative to their range, are ties."""


def _polytope(M: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray, bool]:
    """Vertices of {z >= 0, M^T z <= 1} (M: k x l, entries in [1, 2]) and their labels,
    a bool array (V, k + l): first z_i = 0, then (M^T z)_j = 1. Returns also whether qhull
    needed joggling."""
    k, cons = M.shape
    joggled = False
    if k == 1:
        verts = np.array([[0.0], [1.0 / M.max()]])
    else:
        from scipy.spatial import HalfspaceIntersection, QhullError

        hs = np.zeros((k + cons, k + 1))
        hs[:k, :k] = -np.eye(k)
        hs[k:, :k] = M.T
        hs[k:, k] = -1.0
        inner = np.full(k, 0.5 / M.sum(axis=0).max())
        try:
            verts = HalfspaceIntersection(hs, inner).intersections
        except QhullError:
            joggled = True
            verts = HalfspaceIntersection(hs, inner, qhull_options="QJ").intersections
    labels = np.concatenate([verts <= tol, np.abs(verts @ M - 1.0) <= tol], axis=1)
    if joggled:
        verts, labels = _polish(verts, labels, M, tol)
    # Distinct vertices have distinct sets of binding constraints: dedupe on the labels.
    packed = np.packbits(labels, axis=1)
    _, first = np.unique(packed, axis=0, return_index=True)
    first.sort()
    verts, labels = verts[first], labels[first]
    feasible = (verts >= -tol).all(axis=1) & (verts @ M <= 1 + tol).all(axis=1)
    enough = labels.sum(axis=1) >= k
    keep = feasible & enough
    return verts[keep], labels[keep], joggled


def _polish(verts: np.ndarray, labels: np.ndarray, M: np.ndarray, tol: float
            ) -> tuple[np.ndarray, np.ndarray]:
    """Re-solve each vertex from its binding constraints (after joggled qhull)."""
    k = M.shape[0]
    G = np.vstack([-np.eye(k), M.T])
    h = np.concatenate([np.zeros(k), np.ones(M.shape[1])])
    out = verts.copy()
    for r in range(len(verts)):
        t = labels[r]
        if t.sum() >= k:
            z, *_ = np.linalg.lstsq(G[t], h[t], rcond=None)
            out[r] = z
    labels = np.concatenate([out <= tol, np.abs(out @ M - 1.0) <= tol], axis=1)
    return out, labels


def _match(Lx: np.ndarray, Ly: np.ndarray, m: int, n: int) -> list[tuple[int, int]]:
    """Pairs (x, y) of vertices whose labels together cover every label."""
    cx, cy = Lx.sum(axis=1), Ly.sum(axis=1)
    pairs: list[tuple[int, int]] = []
    # Nondegenerate x and y: y's labels are exactly the complement of x's.
    table: dict[bytes, list[int]] = {}
    for j in np.flatnonzero(cy == n):
        table.setdefault(np.packbits(Ly[j]).tobytes(), []).append(int(j))
    nondeg_x = np.flatnonzero(cx == m)
    for i in nondeg_x:
        for j in table.get(np.packbits(~Lx[i]).tobytes(), ()):
            pairs.append((int(i), j))
    # Any pair with a degenerate vertex: y's labels contain the complement of x's.
    deg_x = np.flatnonzero(cx > m)
    deg_y = np.flatnonzero(cy > n)

    def superset(xs: np.ndarray, ys: np.ndarray) -> None:
        if not len(xs) or not len(ys):
            return
        missing_y = (~Ly[ys]).astype(np.float32)
        step = max(1, 5_000_000 // max(1, len(ys)))
        for s in range(0, len(xs), step):
            chunk = xs[s:s + step]
            need = (~Lx[chunk]).astype(np.float32)
            clash = need @ missing_y.T
            for a, b in zip(*np.nonzero(clash == 0), strict=True):
                pairs.append((int(chunk[a]), int(ys[b])))

    superset(nondeg_x, deg_y)
    superset(deg_x, np.arange(len(Ly)))
    return sorted(set(pairs))


def vertex_enumeration(game: StrategicGame, tol: float
                        ) -> tuple[list[tuple[np.ndarray, np.ndarray]], bool,
                                   list[tuple[int, int]], list[str]]:
    """Extreme equilibria of a bimatrix game by enumerating the vertices of both
    best-response polytopes and matching completely labelled pairs (von Stengel 2007,
    Algorithm 3.5), with labels read with a tolerance so that degenerate vertices (more
    binding constraints than the dimension) keep all their labels."""
    A = game.payoffs[..., 0]
    B = game.payoffs[..., 1]
    m, n = A.shape

    def unit(X: np.ndarray) -> np.ndarray:
        span = X.max() - X.min()
        return 1.0 + (X - X.min()) / (span if span > 0 else 1.0)

    A1, B1 = unit(A), unit(B)
    X, Lx, jx = _polytope(B1, tol)        # x in R^m: labels [x_i = 0 | (B^T x)_j = 1]
    Y, Ly0, jy = _polytope(A1.T, tol)     # y in R^n: labels [y_j = 0 | (A y)_i = 1]
    Ly = np.concatenate([Ly0[:, n:], Ly0[:, :n]], axis=1)
    zero_x = X.sum(axis=1) <= tol
    zero_y = Y.sum(axis=1) <= tol
    degenerate = bool((Lx.sum(axis=1) > m).any() or (Ly.sum(axis=1) > n).any())
    notes = []
    if jx or jy:
        notes.append("qhull needed joggling (QJ); vertices were re-solved from their "
                     "binding constraints")
    vx = np.flatnonzero(~zero_x)
    vy = np.flatnonzero(~zero_y)
    pairs = [(int(vx[a]), int(vy[b])) for a, b in _match(Lx[vx], Ly[vy], m, n)]
    eqs = [(X[i] / X[i].sum(), Y[j] / Y[j].sum()) for i, j in pairs]
    return eqs, degenerate, pairs, notes


def cliques(pairs: list[tuple[int, int]], limit: int = 10_000
             ) -> list[tuple[list[int], list[int]]] | None:
    """Maximal bicliques of the bipartite graph of equilibrium vertex pairs (Gambit's
    enummixed "cliques"): closed sets of the neighbourhood intersections."""
    nbrs: dict[int, frozenset[int]] = {}
    for x, y in pairs:
        nbrs[x] = nbrs.get(x, frozenset()) | {y}
    base = set(nbrs.values())
    closed = set(base)
    frontier = set(base)
    while frontier:
        new = set()
        for a in frontier:
            for b in base:
                c = a & b
                if c and c not in closed:
                    new.add(c)
        closed |= new
        frontier = new
        if len(closed) > limit:
            return None
    out = []
    for ys in closed:
        xs = [x for x, ny in nbrs.items() if ys <= ny]
        inter = frozenset.intersection(*(nbrs[x] for x in xs))
        if inter == ys:
            out.append((sorted(xs), sorted(ys)))
    out.sort()
    return out
