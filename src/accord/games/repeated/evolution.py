"""Which strategies spread: replicator dynamics and the Moran process on a payoff matrix
(usually `Tournament.matrix`, the exact payoff per round of each strategy against each).

* Replicator dynamics (Taylor & Jonker 1978): shares x of an infinite population change as
  dx_i/dt = x_i ((A x)_i - x.A x). `replicator` integrates it; `rest_points` lists its rest
  points (one per support where the payoffs can be equalised) with their stability from
  the eigenvalues of the Jacobian on the simplex.
* The Moran process (Nowak, Sasaki, Taylor & Fudenberg 2004): a population of N, one
  birth (in proportion to fitness) and one death (at random) per step. A single mutant j in
  a population of i takes over with probability
  rho = 1 / (1 + sum_{k=1}^{N-1} prod_{m=1}^{k} g_m / f_m), with f_m, g_m the fitness of
  mutants and residents when there are m mutants, each playing the N - 1 others. A
  neutral mutant fixes with probability 1/N; with constant relative fitness r,
  rho = (1 - 1/r) / (1 - 1/r^N). With rare mutations the population sits almost always at
  one strategy and moves between them at those rates (Fudenberg & Imhof 2006); its
  stationary distribution says where it spends its time.

Fitness is `1 - s + s * payoff` (linear; s = 1 makes fitness the payoff itself) or
`exp(s * payoff)` (exponential), for selection intensity s.

References: Taylor, P. D. and Jonker, L. B. (1978) Evolutionarily stable strategies and game
dynamics. Mathematical Biosciences 40:145-156. Nowak, M. A., Sasaki, A., Taylor, C. and
Fudenberg, D. (2004) Emergence of cooperation and evolutionary stability in finite
populations. Nature 428:646-650, doi:10.1038/nature02414. Fudenberg, D. and Imhof, L. A.
(2006) Imitation processes with small mutations. Journal of Economic Theory 131:251-262,
doi:10.1016/j.jet.2005.04.006.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ...errors import InputError, Problem

_TOL = 1e-9


def _matrix(A) -> np.ndarray:
    A = np.asarray(A, dtype=float)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or A.shape[0] == 0:
        raise InputError([Problem("matrix", "a payoff matrix must be square and non-empty")])
    if not np.isfinite(A).all():
        raise InputError([Problem("matrix", "payoffs must be finite numbers")])
    return A


def _names(names: Sequence[str] | None, n: int) -> tuple[str, ...]:
    return tuple(names) if names is not None else tuple(f"s{k}" for k in range(n))


# --- replicator dynamics ------------------------------------------------------------------


@dataclass(frozen=True)
class Replicator:
    """A trajectory of the replicator dynamics: `shares[t]` at `times[t]`."""

    names: tuple[str, ...]
    times: np.ndarray
    shares: np.ndarray

    @property
    def final(self) -> np.ndarray:
        return self.shares[-1]

    def to_dict(self) -> dict:
        return {"names": list(self.names), "time": float(self.times[-1]),
                "start": dict(zip(self.names, map(float, self.shares[0]), strict=True)),
                "final": dict(zip(self.names, map(float, self.final), strict=True))}


def replicator(matrix, names: Sequence[str] | None = None, start: Sequence[float] | None = None,
               time: float = 100.0, points: int = 101) -> Replicator:
    """Integrate dx_i/dt = x_i ((A x)_i - x.A x) from `start` (default: equal shares) for
    `time` (in units of payoff^-1), with scipy's RK45 at rtol 1e-10."""
    from scipy.integrate import solve_ivp

    A = _matrix(matrix)
    n = len(A)
    x0 = np.full(n, 1.0 / n) if start is None else np.asarray(start, dtype=float)
    if x0.shape != (n,) or (x0 < 0).any() or not math.isclose(x0.sum(), 1.0, abs_tol=1e-9):
        raise InputError([Problem("start", f"give {n} non-negative shares summing to 1")])
    if not time > 0:
        raise InputError([Problem("time", "must be positive")])

    def rhs(_t, x):
        ax = A @ x
        return x * (ax - x @ ax)

    times = np.linspace(0.0, time, points)
    sol = solve_ivp(rhs, (0.0, time), x0, t_eval=times, rtol=1e-10, atol=1e-13)
    shares = np.clip(sol.y.T, 0.0, None)
    shares /= shares.sum(axis=1, keepdims=True)
    return Replicator(names=_names(names, n), times=sol.t, shares=shares)


@dataclass(frozen=True)
class RestPoint:
    """A rest point of the replicator dynamics: the shares, the mean payoff there, the
    eigenvalues of the Jacobian on the simplex, and `stability`: "stable" (all real parts
    < 0: an attractor), "unstable" (one > 0) or "neutral" (none > 0, some = 0)."""

    names: tuple[str, ...]
    shares: np.ndarray
    payoff: float
    eigenvalues: np.ndarray
    stability: str

    @property
    def support(self) -> tuple[str, ...]:
        return tuple(n for n, x in zip(self.names, self.shares, strict=True) if x > 0)

    def to_dict(self) -> dict:
        return {"shares": {n: float(x) for n, x in zip(self.names, self.shares, strict=True)
                           if x > 0},
                "payoff": self.payoff, "stability": self.stability,
                "eigenvalues": [{"re": float(z.real), "im": float(z.imag)}
                                for z in self.eigenvalues]}


def jacobian_eigenvalues(matrix, x: Sequence[float]) -> np.ndarray:
    """Eigenvalues of the replicator dynamics' Jacobian at `x`, restricted to the simplex
    (n - 1 of them: the flow keeps sum(x) = 1, so its Jacobian maps the plane sum = 0 into
    itself)."""
    A = _matrix(matrix)
    x = np.asarray(x, dtype=float)
    n = len(A)
    if n == 1:
        return np.zeros(0)
    ax, atx = A @ x, A.T @ x
    J = np.diag(ax - x @ ax) + x[:, None] * (A - ax[None, :] - atx[None, :])
    # orthonormal basis of {v : sum v = 0}
    Q, _ = np.linalg.qr(np.column_stack([np.ones(n), np.eye(n)[:, : n - 1]]))
    V = Q[:, 1:]
    return np.linalg.eigvals(V.T @ J @ V)


def rest_points(matrix, names: Sequence[str] | None = None,
                max_strategies: int = 12) -> list[RestPoint]:
    """Every isolated rest point of the replicator dynamics: for each support, the shares
    that equalise the payoffs of the strategies in it (when that system has one positive
    solution). Supports whose system is singular (e.g. strategies that earn the same
    against everybody, which give a continuum of rest points) are skipped. Cost: 2^n small
    solves, so n is capped by `max_strategies`."""
    A = _matrix(matrix)
    n = len(A)
    if n > max_strategies:
        raise InputError([Problem("strategies", f"rest points of {n} strategies means 2^{n} "
                                                f"supports; at most {max_strategies}")])
    labels = _names(names, n)
    out = []
    for size in range(1, n + 1):
        for support in itertools.combinations(range(n), size):
            S = list(support)
            # A_SS x_S - v 1 = 0, sum x_S = 1
            Msys = np.zeros((size + 1, size + 1))
            Msys[:size, :size] = A[np.ix_(S, S)]
            Msys[:size, size] = -1.0
            Msys[size, :size] = 1.0
            rhs = np.zeros(size + 1)
            rhs[size] = 1.0
            if np.linalg.matrix_rank(Msys) < size + 1:
                continue
            sol = np.linalg.solve(Msys, rhs)
            xs = sol[:size]
            if (xs <= _TOL).any():
                continue
            x = np.zeros(n)
            x[S] = xs
            x /= x.sum()
            ev = jacobian_eigenvalues(A, x)
            scale = _TOL * max(1.0, float(np.abs(A).max()))
            if (ev.real > scale).any():
                stability = "unstable"
            elif (ev.real < -scale).all():
                stability = "stable"
            else:
                stability = "neutral"
            out.append(RestPoint(names=labels, shares=x, payoff=float(x @ A @ x),
                                 eigenvalues=ev, stability=stability))
    return out


# --- the Moran process --------------------------------------------------------------------


def _fitness(payoff: np.ndarray, intensity: float, fitness: str) -> np.ndarray:
    if fitness == "linear":
        return 1.0 - intensity + intensity * payoff
    if fitness == "exponential":
        return np.exp(intensity * payoff)
    raise InputError([Problem("fitness", f"unknown fitness '{fitness}' (use linear or "
                                         "exponential)")])


def _check_moran(population: int, intensity: float) -> None:
    problems = []
    if isinstance(population, bool) or int(population) != population or population < 2:
        problems.append(Problem("population", "must be a whole number >= 2"))
    if not (intensity >= 0 and math.isfinite(intensity)):
        problems.append(Problem("intensity", "selection intensity must be >= 0"))
    if problems:
        raise InputError(problems)


def fixation_probability(a: float, b: float, c: float, d: float, population: int,
                         intensity: float = 1.0, fitness: str = "linear") -> float:
    """Probability that one mutant fixes in a Moran process of `population` residents.

    Payoffs (to the first-named strategy against the second): mutant-mutant `a`,
    mutant-resident `b`, resident-mutant `c`, resident-resident `d`. With m mutants a
    mutant earns (a (m-1) + b (N-m)) / (N-1) and a resident (c m + d (N-m-1)) / (N-1).
    Computed in log space (no overflow for large N)."""
    _check_moran(population, intensity)
    N = int(population)
    m = np.arange(1, N)
    f = (a * (m - 1) + b * (N - m)) / (N - 1)
    g = (c * m + d * (N - m - 1)) / (N - 1)
    F, G = _fitness(f, intensity, fitness), _fitness(g, intensity, fitness)
    if (F <= 0).any() or (G <= 0).any():
        raise InputError([Problem("intensity", "fitness 1 - s + s * payoff must stay "
                                               "positive; lower the selection intensity s "
                                               "or use exponential fitness")])
    logs = np.concatenate([[0.0], np.cumsum(np.log(G) - np.log(F))])
    top = logs.max()
    return float(math.exp(-(top + math.log(np.exp(logs - top).sum()))))


@dataclass(frozen=True)
class Moran:
    """Pairwise fixation probabilities and the rare-mutation stationary distribution.

    `fixation[i, j]`: probability that a single j mutant takes over a population of i
    (1/N on the diagonal: a neutral mutant). `stationary[i]`: the long-run share of time the
    population is all-i when mutations are rare and every other strategy is an equally
    likely mutant."""

    names: tuple[str, ...]
    population: int
    intensity: float
    fitness: str
    fixation: np.ndarray
    stationary: np.ndarray

    @property
    def neutral(self) -> float:
        return 1.0 / self.population

    def to_dict(self) -> dict:
        return {"population": self.population, "intensity": self.intensity,
                "fitness": self.fitness, "neutral": self.neutral,
                "stationary": dict(zip(self.names, map(float, self.stationary), strict=True)),
                "fixation": {r: {m: float(self.fixation[i, j])
                                 for j, m in enumerate(self.names)}
                             for i, r in enumerate(self.names)}}


def moran(matrix, names: Sequence[str] | None = None, population: int = 50,
          intensity: float = 0.1, fitness: str = "linear") -> Moran:
    """Fixation probabilities of every strategy invading every other in a Moran process of
    `population`, and where a population with rare mutations spends its time."""
    A = _matrix(matrix)
    n = len(A)
    _check_moran(population, intensity)
    rho = np.full((n, n), 1.0 / population)
    for i in range(n):
        for j in range(n):
            if i != j:
                rho[i, j] = fixation_probability(A[j, j], A[j, i], A[i, j], A[i, i],
                                                 population, intensity, fitness)
    if n == 1:
        stat = np.ones(1)
    else:
        T = rho / (n - 1)
        np.fill_diagonal(T, 0.0)
        np.fill_diagonal(T, 1.0 - T.sum(axis=1))
        Msys = T.T - np.eye(n)
        Msys[-1, :] = 1.0
        rhs = np.zeros(n)
        rhs[-1] = 1.0
        stat = np.linalg.lstsq(Msys, rhs, rcond=None)[0]
        stat = np.clip(stat, 0.0, None)
        stat /= stat.sum()
    return Moran(names=_names(names, n), population=int(population),
                 intensity=float(intensity), fitness=fitness, fixation=rho, stationary=stat)
