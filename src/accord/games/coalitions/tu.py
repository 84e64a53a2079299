"""Transferable-utility (TU) games: who owns a settlement, and which coalitions object.

A TU game (N, v) gives every coalition S of the players the total value v(S) its members
can secure together and share as they like; v(empty) = 0. `TUGame` holds v for all 2^n
coalitions, indexed by bitmask (bit i set when player i is a member), for n <= 20.

* `shapley_value`: phi_i = sum_{S not containing i} |S|! (n - |S| - 1)! / n! *
  (v(S + i) - v(S)), over all coalitions, O(2^n n). When the values are rationals (typed
  decimals, integers, Fractions) the game keeps them as integers over a common denominator
  and the Shapley value is also returned exactly, as Fractions.
* `core`: the core is {x : x(N) = v(N), x(S) >= v(S) for all S}. One LP (HiGHS, through
  `scipy.optimize.linprog`) finds the least core: the smallest e such that some x with
  x(N) = v(N) has v(S) - x(S) <= e for every proper coalition S. The core is non-empty
  exactly when e <= 0; the LP's x is then a point of the core (else of the least core).
* `nucleolus` (Schmeidler 1969): the imputation (x(N) = v(N), x_i >= v({i})) whose vector
  of excesses e(S, x) = v(S) - x(S), sorted in decreasing order, is lexicographically
  smallest. Computed by the standard sequence of LPs (Kopelowitz 1967; Maschler, Peleg &
  Shapley 1979), see `nucleolus`. It lies in the core when the core is non-empty.
* `scenario_game`: the coalition game of a scenario, v(S) = the largest total gain over
  their BATNAs that the members of S can secure with a deal each of them accepts (see
  there), so that a mediator's credit and leverage come out of the scenario's own data.

Tolerance: LPs are solved in floating point on values scaled to max |v| = 1. Two excesses
within `TOL` (1e-7 of the largest |v|) count as equal; a dual value above `DUAL_TOL`
(1e-9) counts as positive. For rational games the nucleolus found is then confirmed exactly:
its tight coalitions give a linear system that is solved in Fractions and checked
(`Nucleolus.exact`; None when the check fails or n > `EXACT_NUCLEOLUS_PLAYERS`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from ...budget import Budget, check
from ...errors import InputError, Problem
from ...numeric import exact_number
from .power import PowerIndices, WeightedVotingGame, power_indices

MAX_PLAYERS = 20
"""Most players a `TUGame` holds (2^20 coalition values)."""

MAX_LP_PLAYERS = 16
"""Most players for which the CLI and `analyze_game` run the core and nucleolus LPs (each
LP has 2^n - 2 rows); the functions themselves accept up to `MAX_PLAYERS`."""

MAX_SCENARIO_ACTORS = 12
"""Most actors `scenario_game` builds a game over (2^n coalitions, one search each)."""

EXACT_NUCLEOLUS_PLAYERS = 16
"""Most players for which the nucleolus is confirmed in exact arithmetic."""

TOL = 1e-7
"""Excesses (relative to the largest |v|) closer than this count as equal."""

DUAL_TOL = 1e-9
"""A dual value above this counts as positive (its constraint is tight at every optimum)."""

_EXACT_DENOMINATOR_LIMIT = 2**62


def _tidy(x: float, scale: float = 1.0) -> float:
    """An LP result rounded to 10 significant digits of `scale` (and -0.0 made 0.0)."""
    digits = 10 - math.floor(math.log10(max(scale, 1e-300)))
    return round(float(x), digits) + 0.0


# ---------------------------------------------------------------------------------------
# The game


@dataclass(frozen=True, eq=False)
class TUGame:
    """A TU game over `players`: `values[mask]` = v(S) for the coalition S with bitmask
    `mask` (bit i = player i), `values[0] = 0`.

    When every value is a rational number the game is exact: `numerators[mask] /
    denominator` = v(S) as integers (int64 or Python ints). Build it with `tu_game`,
    `game_from_function` or `simple_game`.
    """

    players: tuple[str, ...]
    values: np.ndarray
    numerators: np.ndarray | None = None
    denominator: int = 1
    title: str = ""

    @property
    def n(self) -> int:
        return len(self.players)

    @property
    def grand(self) -> int:
        """Bitmask of the grand coalition N."""
        return (1 << self.n) - 1

    @property
    def exact(self) -> bool:
        return self.numerators is not None

    def mask(self, members: Iterable[str] | Iterable[int] | int) -> int:
        """Bitmask of a coalition given as player ids, player indices or a bitmask."""
        if isinstance(members, int | np.integer):
            return int(members)
        m = 0
        for p in members:
            i = self.players.index(p) if isinstance(p, str) else int(p)
            m |= 1 << i
        return m

    def members(self, mask: int) -> tuple[str, ...]:
        return tuple(p for i, p in enumerate(self.players) if mask >> i & 1)

    def value(self, coalition: Iterable[str] | Iterable[int] | int) -> float:
        return float(self.values[self.mask(coalition)])

    def exact_value(self, coalition: Iterable[str] | Iterable[int] | int) -> Fraction:
        if self.numerators is None:
            raise ValueError("the game's values are not held exactly")
        return Fraction(int(self.numerators[self.mask(coalition)]), self.denominator)

    @property
    def scale(self) -> float:
        """max(1, max |v|): the unit of the tolerances."""
        return max(1.0, float(np.abs(self.values).max()))


def _to_fraction(x: object) -> Fraction | None:
    """A number as a Fraction (floats by their decimal repr: what was typed), or None."""
    if isinstance(x, bool):
        return None
    if isinstance(x, Fraction | int | np.integer):
        return Fraction(int(x)) if isinstance(x, np.integer) else Fraction(x)
    if isinstance(x, float | np.floating):
        return Fraction(repr(float(x))) if math.isfinite(x) else None
    return None


def _exact_parts(fracs: Sequence[Fraction]) -> tuple[np.ndarray, int] | None:
    den = 1
    for f in fracs:
        den = math.lcm(den, f.denominator)
        if den > _EXACT_DENOMINATOR_LIMIT:
            return None
    nums = [f.numerator * (den // f.denominator) for f in fracs]
    big = max((abs(v) for v in nums), default=0)
    arr = np.array(nums, dtype=np.int64 if big < 2**62 else object)
    return arr, den


def tu_game(players: Sequence[str], values: Mapping[object, object] | Sequence[object],
            title: str = "", exact: bool = True) -> TUGame:
    """A TU game from its values.

    `values` is either a sequence of 2^n numbers indexed by bitmask, or a mapping from
    coalitions (tuples/sets of player ids or indices, or bitmasks) to numbers; coalitions
    not listed are worth 0. Numbers may be ints, floats (read as the decimal they print
    as), Fractions. With `exact=True` (default) rational values are kept exactly.
    """
    players = tuple(str(p) for p in players)
    n = len(players)
    if n == 0:
        raise ValueError("a game needs at least one player")
    if n > MAX_PLAYERS:
        raise ValueError(f"{n} players: a TU game holds at most {MAX_PLAYERS} (2^n values)")
    if len(set(players)) != n:
        raise ValueError("duplicate player ids")
    size = 1 << n
    raw: list[object] = [0] * size
    if isinstance(values, Mapping):
        tmp = TUGame(players, np.zeros(1))
        for k, v in values.items():
            raw[tmp.mask(k)] = v  # type: ignore[arg-type]
    else:
        if len(values) != size:
            raise ValueError(f"{len(values)} values for {n} players: give 2^n = {size}")
        arr = np.asarray(values) if isinstance(values, np.ndarray) else None
        if arr is not None and arr.dtype.kind in "iu":  # integers: exact as they are
            if arr[0] != 0:
                raise ValueError("the empty coalition is worth 0")
            nums = arr.astype(np.int64)
            floats = nums.astype(float)
            nums.setflags(write=False)
            floats.setflags(write=False)
            return TUGame(players, floats, nums if exact else None, 1, title)
        raw = list(values)
    if raw[0] not in (0, 0.0) and _to_fraction(raw[0]) != 0:
        raise ValueError("the empty coalition is worth 0")
    floats = np.array([float(v) for v in raw], dtype=float)  # type: ignore[arg-type]
    if not np.isfinite(floats).all():
        raise ValueError("values must be finite numbers")
    nums, den = None, 1
    if exact:
        fracs = [_to_fraction(v) for v in raw]
        if all(f is not None for f in fracs):
            parts = _exact_parts(fracs)  # type: ignore[arg-type]
            if parts is not None:
                nums, den = parts
                floats = np.array([float(f) for f in fracs], dtype=float)  # type: ignore[arg-type]
    floats.setflags(write=False)
    if nums is not None:
        nums.setflags(write=False)
    return TUGame(players, floats, nums, den, title)


def game_from_function(players: Sequence[str], fn: Callable[[frozenset[str]], object],
                       title: str = "", exact: bool = True) -> TUGame:
    """A TU game with v(S) = fn(frozenset of the ids in S) (fn(empty set) is ignored)."""
    players = tuple(players)
    n = len(players)
    if n > MAX_PLAYERS:
        raise ValueError(f"{n} players: a TU game holds at most {MAX_PLAYERS} (2^n values)")
    vals: list[object] = [0]
    for m in range(1, 1 << n):
        vals.append(fn(frozenset(p for i, p in enumerate(players) if m >> i & 1)))
    return tu_game(players, vals, title, exact)


def simple_game(game: WeightedVotingGame) -> TUGame:
    """The 0/1 TU game of a weighted voting game (v(S) = 1 when S wins); n <= 20."""
    n = game.n
    if n > MAX_PLAYERS:
        raise ValueError(f"{n} players: a TU game holds at most {MAX_PLAYERS}")
    masks = np.arange(1 << n, dtype=np.int64)
    weight = np.zeros(1 << n, dtype=np.int64)
    for i, w in enumerate(game.weights):
        weight += ((masks >> i) & 1) * w
    nums = (weight >= game.quota).astype(np.int64)
    vals = nums.astype(float)
    vals.setflags(write=False)
    nums.setflags(write=False)
    return TUGame(game.players, vals, nums, 1, game.title)


# ---------------------------------------------------------------------------------------
# Bit tables


def _popcount(n: int) -> np.ndarray:
    pc = np.zeros(1 << n, dtype=np.int64)
    for i in range(n):
        pc[1 << i : 1 << (i + 1)] = pc[: 1 << i] + 1
    return pc


def _without(n: int, i: int) -> np.ndarray:
    """Bitmasks of the coalitions that do not contain player i, ascending."""
    masks = np.arange(1 << n, dtype=np.int64)
    return masks[((masks >> i) & 1) == 0]


def is_monotone(game: TUGame) -> bool:
    """v(S) <= v(T) whenever S is a subset of T. O(2^n n)."""
    tol = TOL * game.scale
    v = game.values
    return all(bool((v[s | (1 << i)] >= v[s] - tol).all())
               for i in range(game.n) for s in [_without(game.n, i)])


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
            s = _without(n, i)
            s = s[((s >> j) & 1) == 0]
            bi, bj = 1 << i, 1 << j
            if (v[s | bi] - v[s] > v[s | bi | bj] - v[s | bj] + tol).any():
                return False
    return True


# ---------------------------------------------------------------------------------------
# Allocations and the Shapley value


@dataclass(frozen=True)
class Allocation:
    """A payoff vector: `values[i]` for `players[i]`; `exact` the same as Fractions when
    known."""

    name: str
    players: tuple[str, ...]
    values: tuple[float, ...]
    exact: tuple[Fraction, ...] | None = None

    def __getitem__(self, player: str) -> float:
        return self.values[self.players.index(player)]

    def as_dict(self) -> dict[str, float]:
        return dict(zip(self.players, self.values, strict=True))

    def to_dict(self) -> dict:
        return {"values": self.as_dict(),
                "exact": None if self.exact is None
                else {p: str(x) for p, x in zip(self.players, self.exact, strict=True)}}


def shapley_value(game: TUGame) -> Allocation:
    """The Shapley value (1953): each player's marginal contribution v(S + i) - v(S)
    averaged over the n! orders in which the grand coalition can form. O(2^n n).

    Exact (Fractions in `Allocation.exact`) when the game is: n! * denominator * phi_i is
    an integer sum, computed in int64 when it cannot overflow and in Python integers
    otherwise."""
    n = game.n
    pc = _popcount(n)
    fact = [math.factorial(k) for k in range(n + 1)]
    weight = np.array([fact[k] * fact[n - k - 1] / fact[n] for k in range(n)])
    out, exact = [], []
    nums = game.numerators
    if nums is not None:
        big = int(np.abs(nums).max()) if len(nums) else 0
        if nums.dtype == object or big >= 2**62 // (1 << n):
            nums = nums.astype(object)
    for i in range(n):
        s = _without(n, i)
        t = s | (1 << i)
        marg = game.values[t] - game.values[s]
        out.append(float((weight[pc[s]] * marg).sum()))
        if nums is not None:
            # integer sums of the marginals by coalition size (every size 0..n-1 occurs)
            order = np.argsort(pc[s], kind="stable")
            bounds = np.searchsorted(pc[s][order], np.arange(n))
            by_size = np.add.reduceat((nums[t] - nums[s])[order], bounds)
            num = sum(fact[k] * fact[n - k - 1] * int(by_size[k]) for k in range(n))
            exact.append(Fraction(num, fact[n] * game.denominator))
    if nums is not None:
        out = [float(x) for x in exact]
    return Allocation("shapley", game.players, tuple(out), tuple(exact) if exact else None)


def excesses(game: TUGame, x: Sequence[float]) -> np.ndarray:
    """e(S, x) = v(S) - x(S) for every bitmask S (index 0: the empty coalition, 0)."""
    n = game.n
    xs = np.zeros(1 << n)
    for i in range(n):
        xs[1 << i : 1 << (i + 1)] = xs[: 1 << i] + float(x[i])
    return game.values - xs


@dataclass(frozen=True)
class Objection:
    """A coalition that can secure more on its own than an allocation gives it."""

    coalition: tuple[str, ...]
    value: float
    allocated: float

    @property
    def excess(self) -> float:
        return self.value - self.allocated

    def to_dict(self) -> dict:
        return {"coalition": list(self.coalition), "value": self.value,
                "allocated": self.allocated, "excess": self.excess}


def objections(game: TUGame, x: Sequence[float], limit: int | None = None) -> list[Objection]:
    """Coalitions S with v(S) > x(S) (beyond the tolerance), largest excess first: the
    coalitions that block the allocation x (it is in the core when there are none)."""
    e = excesses(game, x)
    e[0] = -np.inf
    tol = TOL * game.scale
    idx = np.flatnonzero(e > tol)
    idx = idx[np.lexsort((idx, -e[idx]))]
    if limit is not None:
        idx = idx[:limit]
    return [Objection(game.members(int(m)), float(game.values[m]),
                      float(game.values[m] - e[m])) for m in idx]


# ---------------------------------------------------------------------------------------
# LPs: the least core and the nucleolus


def _incidence(n: int, masks: np.ndarray):
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


def _proper(n: int) -> np.ndarray:
    return np.arange(1, (1 << n) - 1, dtype=np.int64)


def _linprog(c, A_ub, b_ub, A_eq, b_eq, bounds):
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
    masks = _proper(n)
    from scipy.sparse import hstack

    M = _incidence(n, masks)
    A_ub = hstack([-M, -np.ones((len(masks), 1))]).tocsr()
    b_ub = -game.values[masks] / s
    A_eq = np.append(np.ones(n), 0.0)[None, :]
    c = np.zeros(n + 1)
    c[-1] = 1.0
    res = _linprog(c, A_ub, b_ub, A_eq, [vN / s], [(None, None)] * (n + 1))
    eps = _tidy(float(res.x[-1]) * s, s)
    x = tuple(_tidy(float(v) * s, s) for v in res.x[:n])
    return Core(eps <= TOL * s, eps, Allocation("core", game.players, x))


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
    free = _proper(n)
    levels: list[float] = []
    bounds = [(None, None)] * n if pre else [(float(b), None) for b in singles]
    lps = 0
    while span.rank < n:
        M = _incidence(n, free)
        A_ub = hstack([-M, -np.ones((len(free), 1))]).tocsr()
        A_eq = np.hstack([np.array(eq_rows), np.zeros((len(eq_rows), 1))])
        c = np.zeros(n + 1)
        c[-1] = 1.0
        res = _linprog(c, A_ub, -v[free], A_eq, eq_rhs, [*bounds, (None, None)])
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
        xs = tuple(_tidy(a, s) for a in x)
        lv = tuple(_tidy(t * s, s) for t in levels)
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
    masks = _proper(n)
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


# ---------------------------------------------------------------------------------------
# The coalition game of a scenario


@dataclass(frozen=True)
class CoalitionDeal:
    """What one coalition can do: its value and the deal that reaches it (None when no deal
    is acceptable to all its members, or it lacks a veto actor)."""

    coalition: tuple[str, ...]
    value: float
    exact: Fraction | None
    deal: dict[str, str | float] | None
    gains: dict[str, float] | None
    reason: str = ""

    def to_dict(self) -> dict:
        return {"coalition": list(self.coalition), "value": self.value,
                "exact": None if self.exact is None else str(self.exact),
                "deal": self.deal, "gains": self.gains,
                **({"reason": self.reason} if self.reason else {})}


@dataclass(frozen=True, eq=False)
class ScenarioGame:
    """The TU game of a scenario and, per coalition, the deal behind its value."""

    game: TUGame
    deals: dict[int, CoalitionDeal]
    veto: tuple[str, ...]
    respect_veto: bool


SCENARIO_METHODS = ("auto", "direct", "frontier")


def scenario_game(space, actors: Sequence[str] | None = None, respect_veto: bool = True,
                  max_actors: int = MAX_SCENARIO_ACTORS, budget: Budget | None = None,
                  method: str = "auto") -> ScenarioGame:
    """The coalition game of a scenario, with transferable utility.

    v(S) = max over deals that every member of S accepts (U_i >= BATNA_i) of
    sum_{i in S} (U_i - BATNA_i): the largest total gain the members can secure together.
    Members outside S keep their BATNAs and are not counted: they get nothing from S's
    deal. A single actor is worth 0 (alone it has its BATNA), and so is a coalition with no
    acceptable deal. With `respect_veto` (default), a coalition that leaves out an actor
    with a veto (among `actors`) cannot make an agreement and is worth 0 too: this is what
    makes a mediator worth its added value and no more (v(party + mediator) = 0).

    The deal shown for a coalition is, of the acceptable deals that reach v(S), the one
    with the lowest option indices (issue by issue). `method` "direct" finds it with one
    exact search per coalition (`accord.bargaining.search`: max of the sum of gains over
    the deals the members accept), "frontier" reads it off the Pareto frontier of the
    members (the maximum of a sum of gains over acceptable deals is attained there; the
    oracle in the tests, and the method when a block of interacting issues is too large to
    search); "auto" (default) answers directly when the space is searchable
    (`Space.searchable`). Both give the same values and deals. Values are exact
    (Fractions) when every member's utilities are (see
    `accord.space`). Cost: 2^n coalitions for n <= `max_actors` actors, those without a
    veto actor free; `budget` is polled before each coalition and during its search
    (`BudgetExceeded` when it runs out).
    """
    if method not in SCENARIO_METHODS:
        raise InputError([Problem("method", f"unknown method '{method}' (methods: "
                                            f"{', '.join(SCENARIO_METHODS)})")])
    if method == "auto":
        method = "direct" if space.searchable else "frontier"
    if method == "direct" and not space.searchable:
        raise space.unsearchable("method", "frontier")
    if actors is None:
        idx = list(range(space.n_actors))
    else:
        idx = list(space.resolve_actors(list(actors)))
    n = len(idx)
    if n < 1:
        raise InputError([Problem("--actors", "name at least one actor")])
    if n > max_actors:
        raise InputError([Problem("--actors", f"{n} actors: the coalition game is built for "
                                              f"at most {max_actors} (2^n coalitions, one "
                                              "search each); choose the actors with --actors")])
    names = tuple(space.actor_ids[a] for a in idx)
    veto_bits = sum(1 << k for k, a in enumerate(idx) if space.veto[a]) if respect_veto else 0
    deals: dict[int, CoalitionDeal] = {}
    values: list[object] = [0] * (1 << n)
    steps = (1 << n) - 1
    for mask in range(1, 1 << n):
        check(budget, mask - 1, steps, _VALUES, _ADVICE)
        members = [k for k in range(n) if mask >> k & 1]
        who = tuple(names[k] for k in members)
        if len(members) == 1:
            deals[mask] = CoalitionDeal(who, 0.0, Fraction(0), None, None,
                                        "alone: its BATNA")
            continue
        if mask & veto_bits != veto_bits:
            missing = [names[k] for k in range(n) if veto_bits >> k & 1 and not mask >> k & 1]
            deals[mask] = CoalitionDeal(who, 0.0, Fraction(0), None, None,
                                        "without " + ", ".join(missing) + " (veto)")
            values[mask] = Fraction(0)
            continue
        acts = [idx[k] for k in members]
        if method == "direct":
            best = _best_direct(space, acts, _Share(budget, mask - 1, steps))
        else:
            best = _best_frontier(space, acts)
        if best is None:
            deals[mask] = CoalitionDeal(who, 0.0, Fraction(0), None, None,
                                        "no deal every member accepts")
            values[mask] = Fraction(0)
            continue
        val, deal, units = best
        g = space.to_utility(units, acts) - space.batna[acts]
        deals[mask] = CoalitionDeal(
            who, float(val), val if isinstance(val, Fraction) else None,
            space.deal_mapping(deal),
            {names[k]: round(float(x), 10) for k, x in zip(members, g, strict=True)})
        values[mask] = val
    game = tu_game(names, values, title=space.scenario.title)
    veto = tuple(names[k] for k in range(n) if veto_bits >> k & 1)
    return ScenarioGame(game, deals, veto, respect_veto)


_VALUES = "coalition values"
_ADVICE = "name fewer actors with --actors"


class _Share:
    """The budget as one coalition's search sees it: its progress (a fraction of the
    search tree) is reported as progress within that coalition's step."""

    def __init__(self, budget: Budget | None, step: int, steps: int):
        self.budget, self.step, self.steps = budget, step, steps

    def check(self, done: float = 0.0, total: float | None = None, what: str | None = None,
              advice: str = "", partial: object | None = None) -> None:
        frac = min(1.0, done / total) if total else 0.0
        check(self.budget, self.step + frac, self.steps, _VALUES, _ADVICE)


_Best = tuple[Fraction | float, np.ndarray, np.ndarray]
"""A coalition's value, the deal (option indices) that reaches it and the members' units."""


def _value(space, acts: list[int], units: np.ndarray, exact: Fraction) -> Fraction | float:
    """The value of a coalition's best deal: exact when every member's utilities are, else
    the float sum of the members' gains."""
    if space.exact[acts].all():
        return exact
    return float((space.to_utility(units, acts) - space.batna[acts]).sum())


def _best_direct(space, acts: list[int], budget: _Share) -> _Best | None:
    """max sum of gains over the deals every member of `acts` accepts (exact on the
    integer units; ties: the lowest option indices) by one search, or None when no deal is
    acceptable to all."""
    from ...bargaining.questions import prepare
    from ...bargaining.search import search

    g = prepare(space, acts)
    r = search(g.model, g.sum_gain(), list(g.T),
               budget=budget if budget.budget is not None else None)  # type: ignore[arg-type]
    if r is None:
        return None
    units = np.array(r.units, dtype=float)
    return _value(space, acts, units, r.value), np.array(r.deal), units


def _best_frontier(space, acts: list[int]) -> _Best | None:
    """The same as `_best_direct`, read off the members' Pareto frontier (its rows are in
    lexicographic deal order): of the acceptable rows whose float sum is within 1e-9 of the
    largest, the first with the largest exact sum."""
    from ...bargaining.pareto import pareto_frontier

    fr = pareto_frontier(space, acts)
    ok = space.accepts(fr.units, fr.actors).all(axis=1)
    if not ok.any():
        return None
    rows = np.flatnonzero(ok)
    total = (fr.utilities[rows] - space.batna[acts][None, :]).sum(axis=1)
    near = rows[total >= float(total.max()) - 1e-9]
    batna = [Fraction(repr(float(space.batna[a]))) for a in acts]
    ex = [sum((Fraction(int(fr.units[r, c]), int(space.scale[a])) - batna[c]
               for c, a in enumerate(acts)), Fraction(0)) for r in near]
    top = max(ex)
    r = int(near[ex.index(top)])
    return _value(space, acts, fr.units[r], top), fr.deals[r], fr.units[r]


# ---------------------------------------------------------------------------------------
# Game files


@dataclass(frozen=True, eq=False)
class GameInput:
    """A coalition game as read from a file or a scenario's `games.coalition`."""

    game: TUGame | WeightedVotingGame
    title: str = ""
    mediators: tuple[str, ...] = ()


_TU_KEYS = {"players", "values"}
_WVG_KEYS = {"quota", "weights"}
_INFO_KEYS = {"title", "summary", "notes", "sources", "id", "mediators"}


def parse_game(data: object, file: str | None = None, where: str = "") -> GameInput:
    """Read a coalition game from plain data (a parsed YAML/JSON file).

    Either a characteristic function::

        players: [R, U, M]
        values:                      # coalitions not listed are worth 0
          - {coalition: [R, U], value: 60}
          - {coalition: [R, U, M], value: 100}

    or a weighted voting game::

        quota: 39
        weights: {china: 7, france: 7, ...}   # or a list, with `players` beside it

    with optional `title` and `mediators` (players whose share the report singles out).
    Numbers may be integers, decimals or strings such as "130/3". Raises `InputError`
    with every problem, located under `where` in `file`.
    """
    pre = f"{where}." if where else ""
    problems: list[Problem] = []

    def bad(path: str, msg: str) -> None:
        problems.append(Problem(f"{pre}{path}" if path else where, msg, file))

    if not isinstance(data, dict):
        raise InputError([Problem(where, "expected a mapping with `players` and `values` (a "
                                         "characteristic function) or `quota` and `weights` "
                                         "(a weighted voting game)", file)])
    keys = set(data)
    unknown = keys - _TU_KEYS - _WVG_KEYS - _INFO_KEYS
    for k in sorted(unknown, key=str):
        bad(str(k), "unknown field (expected players, values, quota, weights, title, "
                    "mediators)")
    is_wvg = bool(keys & _WVG_KEYS)
    is_tu = "values" in keys
    if is_wvg and is_tu:
        bad("values", "give either values (a characteristic function) or quota and weights "
                      "(a weighted voting game), not both")
    elif not is_wvg and not is_tu:
        bad("", "expected `players` and `values` (a characteristic function) or `quota` and "
                "`weights` (a weighted voting game)")
    title = data.get("title", "")
    if not isinstance(title, str):
        bad("title", "expected text")
        title = ""
    if problems:
        raise InputError(problems)
    game: TUGame | WeightedVotingGame
    if is_wvg:
        for k in ("quota", "weights"):
            if k not in data:
                bad(k, "missing (a weighted voting game needs quota and weights)")
        w = data.get("weights")
        if "weights" in data and not isinstance(w, dict | list):
            bad("weights", "expected a mapping {player: weight} or a list of weights")
        players = data.get("players")
        if players is not None and not (isinstance(players, list)
                                        and all(isinstance(p, str | int) for p in players)):
            bad("players", "expected a list of player ids")
            players = None
        if problems:
            raise InputError(problems)
        from .power import weighted_voting_game

        if isinstance(w, dict):
            w = {str(k): x for k, x in w.items()}
        game = weighted_voting_game(w, data["quota"],  # type: ignore[arg-type]
                                    [str(p) for p in players] if players is not None else None,
                                    title, where, file)
    else:
        game = _parse_tu(data, title, bad)
        if problems:
            raise InputError(problems)
    mediators = data.get("mediators", [])
    if not isinstance(mediators, list):
        bad("mediators", "expected a list of player ids")
        mediators = []
    for k, m in enumerate(mediators):
        if str(m) not in game.players:
            bad(f"mediators[{k}]", f"unknown player '{m}' (players: {', '.join(game.players)})")
    if problems:
        raise InputError(problems)
    return GameInput(game, title, tuple(str(m) for m in mediators))


def _parse_tu(data: dict, title: str, bad: Callable[[str, str], None]) -> TUGame:
    players = data.get("players")
    if not isinstance(players, list) or not players:
        bad("players", "expected a non-empty list of player ids")
        return TUGame((), np.zeros(1))
    names = [str(p) for p in players]
    if any(not isinstance(p, str | int) or isinstance(p, bool) for p in players):
        bad("players", "player ids must be text")
    dup = sorted({p for p in names if names.count(p) > 1})
    if dup:
        bad("players", f"duplicate players: {', '.join(dup)}")
    if len(names) > MAX_PLAYERS:
        bad("players", f"{len(names)} players: a characteristic function is limited to "
                       f"{MAX_PLAYERS} (2^n values)")
        return TUGame((), np.zeros(1))
    values = data.get("values")
    if not isinstance(values, list):
        bad("values", "expected a list of {coalition: [players], value: number}")
        return TUGame((), np.zeros(1))
    seen: dict[frozenset[str], int] = {}
    table: dict[frozenset[str], object] = {}
    for k, item in enumerate(values):
        here = f"values[{k}]"
        if not isinstance(item, dict) or set(item) != {"coalition", "value"}:
            bad(here, "expected {coalition: [players], value: number}")
            continue
        coal = item["coalition"]
        if not isinstance(coal, list):
            bad(f"{here}.coalition", "expected a list of players")
            continue
        members = [str(p) for p in coal]
        unknown = [p for p in members if p not in names]
        for p in unknown:
            bad(f"{here}.coalition", f"unknown player '{p}' (players: {', '.join(names)})")
        if len(set(members)) != len(members):
            bad(f"{here}.coalition", "a player is listed twice")
        if unknown:
            continue
        key = frozenset(members)
        if key in seen:
            bad(f"{here}.coalition", f"the coalition is already given at values[{seen[key]}]")
            continue
        seen[key] = k
        val = exact_number(item["value"])
        if val is None:
            bad(f"{here}.value", f"expected a number, got {item['value']!r}")
            continue
        if not key and val != 0:
            bad(f"{here}.coalition", "the empty coalition is worth 0")
            continue
        table[key] = val
    if dup:
        return TUGame((), np.zeros(1))
    return tu_game(names, {tuple(k): v for k, v in table.items()}, title)





# ---------------------------------------------------------------------------------------
# The report: credit, leverage, objections, power


@dataclass(frozen=True, eq=False)
class CoalitionReport:
    """Everything `accord coalition` shows, for a TU game, a weighted voting game or a
    scenario's coalition game.

    `leverage[p]` = v(N) - v(N - p): what the grand coalition loses without p (a player
    with a veto has leverage v(N)). `objections[name]` lists the coalitions that get less
    from the allocation `name` than they can secure alone (they block it)."""

    kind: str
    title: str
    game: TUGame | None
    shapley: Allocation | None
    nucleolus: Nucleolus | None
    core: Core | None
    leverage: dict[str, float] = field(default_factory=dict)
    objections: dict[str, list[Objection]] = field(default_factory=dict)
    objection_counts: dict[str, int] = field(default_factory=dict)
    mediators: tuple[str, ...] = ()
    properties: dict[str, bool | None] = field(default_factory=dict)
    power: PowerIndices | None = None
    scenario: ScenarioGame | None = None
    notes: tuple[str, ...] = ()

    @property
    def players(self) -> tuple[str, ...]:
        if self.game is not None:
            return self.game.players
        return self.power.game.players if self.power is not None else ()

    @property
    def grand_value(self) -> float | None:
        return None if self.game is None else float(self.game.values[self.game.grand])

    def mediator_shares(self) -> dict[str, dict[str, float | None]]:
        """Each mediator's Shapley and nucleolus payoff as a share of v(N)."""
        out: dict[str, dict[str, float | None]] = {}
        vN = self.grand_value
        for m in self.mediators:
            row: dict[str, float | None] = {}
            for name, alloc in (("shapley", self.shapley),
                                ("nucleolus", self.nucleolus.allocation
                                 if self.nucleolus else None)):
                row[name] = (alloc[m] / vN if alloc is not None and vN else None)
            row["leverage"] = self.leverage.get(m)
            out[m] = row
        return out

    def to_dict(self) -> dict:
        g = self.game
        d: dict = {"kind": self.kind, "title": self.title, "players": list(self.players)}
        if g is not None:
            d["grand_coalition"] = {"value": float(g.values[g.grand]),
                                    "exact": str(g.exact_value(g.grand)) if g.exact else None}
            if self.scenario is not None:
                d["values"] = [self.scenario.deals[m].to_dict() if m in self.scenario.deals
                               else {"coalition": list(g.members(m)), "value": 0.0,
                                     "exact": "0", "deal": None, "gains": None}
                               for m in range(1, 1 << g.n)]
                d["veto"] = list(self.scenario.veto)
                d["respect_veto"] = self.scenario.respect_veto
            elif g.n <= 12:
                d["values"] = [{"coalition": list(g.members(m)), "value": float(g.values[m]),
                                "exact": str(g.exact_value(m)) if g.exact else None}
                               for m in range(1, 1 << g.n)]
        d["shapley"] = None if self.shapley is None else self.shapley.to_dict()
        d["nucleolus"] = None if self.nucleolus is None else self.nucleolus.to_dict()
        d["core"] = None if self.core is None else self.core.to_dict()
        d["leverage"] = dict(self.leverage)
        d["objections"] = {k: {"count": self.objection_counts.get(k, len(v)),
                               "largest": [o.to_dict() for o in v]}
                           for k, v in self.objections.items()}
        d["mediators"] = list(self.mediators)
        d["mediator_shares"] = self.mediator_shares()
        d["properties"] = dict(self.properties)
        d["power"] = None if self.power is None else self.power.to_dict()
        d["notes"] = list(self.notes)
        return d


def analyze_game(game: TUGame, mediators: Sequence[str] = (), kind: str = "tu",
                 title: str = "", lp_players: int = MAX_LP_PLAYERS, show: int = 10,
                 power: PowerIndices | None = None, scenario: ScenarioGame | None = None,
                 notes: Sequence[str] = ()) -> CoalitionReport:
    """Shapley value, core, nucleolus, leverage and objections of a TU game. The LPs run
    when n <= `lp_players`; `show` caps the objections listed per allocation."""
    notes = list(notes)
    sh = shapley_value(game)
    nu: Nucleolus | None = None
    co: Core | None = None
    if game.n <= lp_players:
        co = core(game)
        try:
            nu = nucleolus(game)
        except ValueError:
            nu = nucleolus(game, pre=True)
            notes.append("The imputation set is empty (v(N) is less than the players' "
                         "values alone): the pre-nucleolus is shown instead.")
    else:
        notes.append(f"Core and nucleolus skipped: {game.n} players (the LPs run for at most "
                     f"{lp_players}).")
    vN = float(game.values[game.grand])
    lev = {p: vN - float(game.values[game.grand ^ (1 << i)])
           for i, p in enumerate(game.players)}
    objs: dict[str, list[Objection]] = {}
    counts: dict[str, int] = {}
    for name, alloc in (("shapley", sh), ("nucleolus", nu.allocation if nu else None)):
        if alloc is None:
            continue
        allobj = objections(game, alloc.values)
        objs[name] = allobj[:show]
        counts[name] = len(allobj)
    props = {"monotone": is_monotone(game), "superadditive": is_superadditive(game),
             "convex": is_convex(game)}
    return CoalitionReport(kind, title or game.title, game, sh, nu, co, lev, objs, counts,
                           tuple(mediators), props, power, scenario, tuple(notes))


def analyze_weighted(game: WeightedVotingGame, mediators: Sequence[str] = (),
                     title: str = "", lp_players: int = MAX_LP_PLAYERS) -> CoalitionReport:
    """Power indices of a weighted voting game (exact, by DP) and, when n <= `lp_players`,
    the analysis of its 0/1 TU game too (Shapley value = Shapley-Shubik index; the core is
    non-empty exactly when some player has a veto)."""
    pw = power_indices(game)
    if game.n <= lp_players:
        return analyze_game(simple_game(game), mediators, "weighted", title or game.title,
                            lp_players, power=pw)
    note = (f"{game.n} players: power indices only (the core and nucleolus of the 0/1 game "
            f"are computed for at most {lp_players} players).")
    return CoalitionReport("weighted", title or game.title, None, None, None, None,
                           mediators=tuple(mediators), power=pw, notes=(note,))


def analyze_scenario(space, actors: Sequence[str] | None = None, respect_veto: bool = True,
                     budget: Budget | None = None) -> CoalitionReport:
    """The coalition game of a scenario (`scenario_game`, which polls `budget`) and its
    credit analysis; the scenario's mediators are singled out."""
    sg = scenario_game(space, actors, respect_veto, budget=budget)
    names = sg.game.players
    mediators = [a for a, r in zip(space.actor_ids, space.roles, strict=True)
                 if r == "mediator" and a in names]
    notes = ["v(S) = the largest total gain over the BATNAs that the members of S reach "
             "with a deal each of them accepts; outsiders are not counted"
             + ("; a coalition without every veto actor is worth 0." if respect_veto
                else "; vetoes ignored (--no-veto).")]
    if not np.any(sg.game.values):
        who = (" with every veto actor (" + ", ".join(sg.veto) + ")") if sg.veto else ""
        notes.append(f"Every coalition is worth 0: no coalition{who} has a deal all its "
                     "members accept, so there is no settlement to share (`accord analyze` "
                     "shows how far the parties are from a ZOPA).")
    return analyze_game(sg.game, mediators, "scenario", space.scenario.title,
                        scenario=sg, notes=notes)
