"""Exact branch and bound over issues: one bargaining question answered without the frontier.

Every question Accord asks of an outcome space (is there a ZOPA, the Nash deal,
the best deal every party prefers to a proposal, ...) is an optimisation over the deals
x = (x_1, ..., x_m), one option per issue, of an objective of the parties' utility units

    u_a(x) = sum_i U[i][x_i, a]          (exact integers, see `accord.space`)

subject to linear lower bounds ``R_j . u(x) >= b_j`` with non-negative coefficients
(acceptance: u_a >= T_a; "at least as good as the proposal"; "at least the optimum of an
earlier stage"). Three objectives cover every question:

* ``minaff``: max min_{a in S} (alpha_a u_a + beta_a)  (egalitarian, Kalai-Smorodinsky,
  the nearest miss of a ZOPA, the improvement over a proposal);
* ``linear``: max sum_a alpha_a u_a + beta              (utilitarian, one party's best);
* ``nash``: max sum_{a in S} w_a log(alpha_a u_a + beta_a)  (the (weighted) Nash product).

Method (Land & Doig 1960, doi:10.2307/1910129; with Lagrangian bounds, Fisher 1981,
doi:10.1287/mnsc.27.1.1). Depth-first search that fixes the issues in scenario order.
A node fixes x_1..x_d; its deals reach at most, for any multipliers,

    B(node) = r . u(prefix) + sum_{i > d} max_o r . U[i][o] + k,

which is an upper bound of the objective whenever (r, k) is built from non-negative
multipliers of the objective's terms and of the constraints (min_a f_a <= sum_a pi_a f_a /
sum pi for pi >= 0; R_j u - b_j >= 0 on feasible deals; log g <= log g0 + g / g0 - 1, the
tangent of a concave function). The bound is separable over issues, so a node costs
O(options x certificates) with suffix sums. HiGHS (through scipy) solves the linear
relaxation at the root and at large nodes, and its dual values become new multipliers;
the solver only *suggests* multipliers: any non-negative ones give a valid bound, and the
bound is evaluated in exact rational arithmetic whenever the floating-point value is within
a safety margin of the decision. Leaves (at most `LEAF` deals) are enumerated with numpy
and every candidate within the margin of the best is compared exactly (Fractions). So an
answer is a deal checked exactly, and "nothing better exists" is a proof by exhausted
search whose every pruning decision was exact; the solver never has the last word.

Reductions that keep the answer. On each issue only the options that are Pareto-optimal
for the parties are searched (of identical ones, the first): every tie rule here ends with
"the larger sum of gains", so a deal using a strictly dominated option is never chosen.
On a numeric issue with ideal points the utilities are piecewise linear in the value with
kinks at the ideals, so max_o r . U[i][o] over the whole grid is reached at a grid point
next to an ideal or at an end (`Model.cand`): certificates are summarised in O(parties)
per numeric issue, not O(grid), and exact maxima are taken over those points only. A
numeric issue is branched on by halving its range of grid values (`SPLIT`), not by fixing
one value per child, so its grid costs O(log grid) levels. (The relaxation itself keeps
one column per option: warm-started, the extra columns cost little.)

Ties. The search returns the largest objective value, compared exactly, and among the
deals that reach it the one with the lowest option indices, issue by issue (a node whose
bound only equals the best value is pruned when its deals all come after the best deal in
that order). Later tie rules (sum of gains, ...) are separate stages, each constrained to
the optimum of the stages before (see `accord.bargaining.questions`).

Cost: exponential in the worst case (the questions are NP-hard: a ZOPA with two parties
of equal and opposite interests is a subset-sum problem), but on real and random problems
the relaxation is tight and few nodes are visited. `budget` (see `accord.budget`) bounds
the time; the search reports its progress as the fraction of the tree it has settled.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from ..budget import Budget, BudgetExceeded
from ..space import BLOCK_LIMIT, Space, typed_fraction
from .pareto import nondominated
from .search_result import SearchResult

LEAF = 4096
"""Nodes with at most this many deals left are enumerated in one numpy block."""

LP_MIN = 20_000
"""A node solves its own relaxation only when it holds more deals than this."""

MILP_SECONDS = 1.0
"""Time given to HiGHS' mixed-integer solver for a better deal in a long search."""

MILP_AFTER = 30
"""Nodes a search visits before it asks the mixed-integer solver for a better deal."""

MILP_AFTER_STARTED = 150
"""The same for a search given a starting deal (usually a good one)."""

MILP_DELAY = 0.3
"""Seconds a search runs before it asks the mixed-integer solver (with `MILP_AFTER`
nodes): most searches finish sooner, and the heuristic costs a few tenths of a second."""

ADVICE = "allow more time, use a coarser step on numeric issues, or name fewer parties"
"""What to change when a search runs out of time."""

SPLIT = 8
"""Issues with more options than this left (numeric ones) are branched on by halving
their domain rather than by fixing one option."""

LINE = True
"""Answer two- and three-party constant-sum questions on a line or a plane
(`accord.bargaining.line`, `accord.bargaining.plane`)."""

MARGIN = 1e-10
"""Relative safety margin of a floating-point bound; within it the bound is recomputed
exactly."""

_NOPE = -math.inf


def exact_batna(space: Space, actors: Sequence[int]) -> list[Fraction]:
    """The BATNAs as the decimals the user typed (Fraction('0.35'); see
    `accord.space.typed_fraction`)."""
    return [typed_fraction(space.batna[a]) for a in actors]


def exact_threshold(space: Space, actors: Sequence[int]) -> list[int]:
    """Integer acceptance thresholds: actor a accepts exactly when u_a >= T_a (the same
    test as `Space.accepts`, made exact on integer units)."""
    return [math.ceil(t) for t in space.threshold_units(list(actors))]


# ---------------------------------------------------------------------------------------
# Objectives


@dataclass(frozen=True)
class Objective:
    """What to maximise (see the module doc). `terms` are party positions (into the
    model's parties); `alpha`, `beta` exact rationals per term (alpha > 0); `weights` the
    Nash exponents (exact, > 0), `const` the constant of a linear objective."""

    kind: str  # "minaff" | "linear" | "nash"
    terms: tuple[int, ...]
    alpha: tuple[Fraction, ...]
    beta: tuple[Fraction, ...] = ()
    weights: tuple[Fraction, ...] = ()
    const: Fraction = Fraction(0)

    def exact(self, u: Sequence[int]) -> Fraction:
        """Exact value at integer units `u` (the parties' units). For "nash" the value is
        the product prod g_a ** W_a with integer exponents W proportional to the weights
        (order-preserving; -1 when some gain is not positive)."""
        if self.kind == "linear":
            return sum((al * u[t] for t, al in zip(self.terms, self.alpha, strict=True)),
                       self.const)
        g = [al * u[t] + be for t, al, be in zip(self.terms, self.alpha, self.beta,
                                                 strict=True)]
        if self.kind == "minaff":
            return min(g)
        if any(x <= 0 for x in g):
            return Fraction(-1)
        out = Fraction(1)
        for x, e in zip(g, self._exponents, strict=True):
            out *= x ** e
        return out

    @property
    def _exponents(self) -> tuple[int, ...]:
        den = math.lcm(*(w.denominator for w in self.weights))
        return tuple(int(w * den) for w in self.weights)

    def floats(self, u: np.ndarray) -> np.ndarray:
        """Floating-point value for a batch of unit rows (m, parties) (for nash, the log of
        the product; -inf where a gain is not positive). Monotone like `exact`."""
        t = list(self.terms)
        a = np.array([float(x) for x in self.alpha])
        if self.kind == "linear":
            return u[:, t] @ a + float(self.const)
        g = u[:, t] * a + np.array([float(x) for x in self.beta])
        if self.kind == "minaff":
            return g.min(axis=1)
        w = np.array([float(x) for x in self.weights])
        with np.errstate(divide="ignore", invalid="ignore"):
            out = (np.log(np.where(g > 0, g, 1.0)) * w).sum(axis=1)
        return np.where((g > 0).all(axis=1), out, _NOPE)

    def exact_float(self, value: Fraction) -> float:
        """The float (for nash the log-sum sum_a w_a log g_a) of an exact value, comparable
        with `floats`."""
        if self.kind != "nash":
            return float(value)
        if value <= 0:
            return _NOPE
        den = math.lcm(*(w.denominator for w in self.weights))
        return (math.log(value.numerator) - math.log(value.denominator)) / den


# ---------------------------------------------------------------------------------------
# The compiled problem


@dataclass
class Model:
    """The parties' units per (compound) issue, reduced to Pareto-optimal options (see the
    module doc). Built once per (space, parties) by `build_model`; shared by every search.

    Model issue i is the block `members[i]` of scenario issues (one issue, or several linked
    by interaction terms, `accord.space.Space.blocks`); its options are joint options,
    numbered in the order of the product of the members' options (first member slowest),
    and `joint[i]` (len(opts[i]), len(members[i])) gives the members' options of each kept
    one."""

    space: Space
    parties: tuple[int, ...]
    opts: list[np.ndarray]  # per model issue: kept (joint) option indices (ascending)
    U: list[np.ndarray]  # per model issue: (len(opts), n) units of the kept options
    cand: list[np.ndarray]  # per model issue: positions in opts that can maximise r . U
    scale: np.ndarray  # (n,) K_a
    umax_suffix: np.ndarray  # (m + 1, n): sum over issues >= d of the largest units
    size_suffix: list[int]  # deals left below depth d
    members: list[tuple[int, ...]] = field(default_factory=list)
    joint: list[np.ndarray] = field(default_factory=list)

    @property
    def n(self) -> int:
        """Columns of the units: the parties, then any extra columns."""
        return len(self.scale)

    @property
    def m(self) -> int:
        return len(self.U)

    def full_deal(self, local: Sequence[int]) -> tuple[int, ...]:
        """The scenario deal (option per scenario issue) of kept positions `local`."""
        out = [0] * self.space.n_issues
        for i, o in enumerate(local):
            for k, o_k in zip(self.members[i], self.joint[i][o], strict=True):
                out[k] = int(o_k)
        return tuple(out)

    def partial(self, local: Sequence[int]) -> list[int]:
        """Like `full_deal` for a node: -1 on the scenario issues of free model issues."""
        out = [-1] * self.space.n_issues
        for i, o in enumerate(local):
            if o >= 0:
                for k, o_k in zip(self.members[i], self.joint[i][o], strict=True):
                    out[k] = int(o_k)
        return out

    def local(self, deal: Sequence[int]) -> list[int] | None:
        """Kept positions of a scenario deal; None when it uses a dominated option."""
        out = []
        for i, mem in enumerate(self.members):
            shape = [self.space.n_options[k] for k in mem]
            o = int(np.ravel_multi_index(tuple(int(deal[k]) for k in mem), shape))
            pos = int(np.searchsorted(self.opts[i], o))
            if pos >= len(self.opts[i]) or self.opts[i][pos] != o:
                return None
            out.append(pos)
        return out


def build_model(space: Space, parties: Sequence[int],
                extra: Sequence[np.ndarray] = ()) -> Model:
    """Reduce every issue (every block of interacting issues, taken as one compound issue
    with its joint options) to its Pareto-optimal options for `parties` and find the
    options that can maximise a non-negative combination (the hull candidates).
    O(options log options), joint options for blocks.

    References: the maxima of each issue's options as in Kung, H. T., Luccio, F. and
    Preparata, F. P. (1975) "On finding the maxima of a set of vectors", J. ACM
    22(4):469-476, doi:10.1145/321906.321910 (`accord.bargaining.pareto.nondominated`).

    `extra`, when given, holds per scenario issue an (options, e) array of non-negative
    integers appended to the parties' units as e more columns, which objectives and rows
    can use like a party's units (`accord.bargaining.repair` counts the issues a deal
    keeps from a proposal this way); the options with a non-zero extra entry are added to
    the hull candidates, since r . U can peak there."""
    if not space.searchable:
        raise ValueError("the direct search needs blocks of interacting issues with at most "
                         f"{BLOCK_LIMIT} joint options")
    parties = tuple(int(a) for a in parties)
    sel = list(parties)
    opts, U, cand, joint = [], [], [], []
    members = list(space.blocks)
    for mem in members:
        c = _block_units(space, mem, sel, extra)
        keep = nondominated(c)
        opts.append(keep)
        U.append(c[keep])
        shape = [space.n_options[k] for k in mem]
        joint.append(np.stack(np.unravel_index(keep, shape), axis=1))
        if len(mem) == 1:
            cd = _candidates(space, mem[0], keep, c[keep])
            if len(extra):
                cd = np.union1d(cd, np.flatnonzero(c[keep][:, len(sel):].any(axis=1)))
        else:
            cd = np.arange(len(keep))
        cand.append(cd)
    m, n = len(U), U[0].shape[1] if U else len(parties)
    umax = np.zeros((m + 1, n))
    for i in range(m - 1, -1, -1):
        umax[i] = umax[i + 1] + U[i].max(axis=0)
    sizes = [1] * (m + 1)
    for i in range(m - 1, -1, -1):
        sizes[i] = sizes[i + 1] * len(opts[i])
    scale = np.concatenate([space.scale[sel], np.maximum(umax[0][len(sel):], 1.0)])
    return Model(space, parties, opts, U, cand, scale, umax, sizes, members, joint)


def _block_units(space: Space, mem: Sequence[int], sel: list[int],
                 extra: Sequence[np.ndarray] = ()) -> np.ndarray:
    """(joint options, parties + extra columns) units of a block: its issues' terms plus
    the interaction terms between them, the joint options in the order of the product
    (first issue slowest). Exact: sums of integers held in floats."""
    shape = [space.n_options[k] for k in mem]
    cols = len(sel) + (extra[0].shape[1] if len(extra) else 0)
    total = np.zeros((*shape, cols))
    for pos, k in enumerate(mem):
        view = [1] * len(mem)
        view[pos] = shape[pos]
        own = space.units[k][sel, :].T
        if len(extra):
            own = np.concatenate([own, np.asarray(extra[k], dtype=float)], axis=1)
        total = total + own.reshape(*view, cols)
    where = {k: pos for pos, k in enumerate(mem)}
    for i, j, u in space.pairs:
        if i in where:
            view = [1] * len(mem)
            view[where[i]], view[where[j]] = shape[where[i]], shape[where[j]]
            pair = np.moveaxis(u[sel], 0, -1)
            if cols > len(sel):
                pair = np.concatenate([pair, np.zeros((*pair.shape[:2], cols - len(sel)))],
                                      axis=2)
            total = total + pair.reshape(*view, cols)
    return np.ascontiguousarray(total.reshape(-1, cols))


def _candidates(space: Space, i: int, keep: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Positions (into `keep`) of the options that can maximise r . u for some r >= 0:
    all of them on a discrete issue; on a numeric one, the grid points next to the
    parties' ideal points (utilities are linear in the value between them)."""
    issue = space.scenario.issues[i]
    if not issue.is_numeric or len(keep) <= 16:
        return np.arange(len(keep))
    lo, hi = issue.range  # type: ignore[misc]
    step = issue.grid_step
    last = len(space.labels[i]) - 1
    points = {0, last}
    for actor in space.scenario.actors:
        pref = actor.preferences.get(issue.id)
        if pref is None:
            continue
        pos = (float(pref.ideal) - lo) / step  # type: ignore[union-attr]
        for p in (math.floor(pos), math.ceil(pos)):
            points.add(min(last, max(0, p)))
    # the kept options are the grid points between the extreme ideals: keep the points we
    # found that survived, plus the first and last survivor
    pos = np.searchsorted(keep, sorted(points))
    ok = [p for p, g in zip(pos, sorted(points), strict=True) if p < len(keep)
          and keep[p] == g]
    return np.unique(np.array([0, len(keep) - 1, *ok], dtype=np.int64))


# ---------------------------------------------------------------------------------------
# Certificates: r . u + k bounds (see the module doc)


@dataclass
class _Cert:
    """A linear bound: for feasible deals, r . u(x) + k bounds the objective (kind "obj"),
    or must be >= 0 (kind "row"), or bounds log-sum minus `base` (kind "nash", tangent at
    the vector `point`)."""

    kind: str
    rq: tuple[Fraction, ...]
    kq: Fraction
    r: np.ndarray
    k: float
    V: list[np.ndarray]  # per issue: U[i] @ r over kept options
    M: np.ndarray  # (m,): max over the candidates of V[i]
    scale: float  # magnitude for the float safety margin (0: exact in floats)
    base: float = 0.0
    point: tuple[int, ...] | None = None
    _Mq: dict[tuple[int, bytes], Fraction] = field(default_factory=dict)

    def exact_free(self, model: Model, free: Sequence[int],
                   dom: Sequence[np.ndarray] | None = None) -> Fraction:
        """Exact sum over the issues `free` of max_o r . U[i][o], o in `dom[i]` (default:
        every kept option)."""
        total = Fraction(0)
        for i in free:
            opts = model.cand[i] if dom is None else dom[i]
            key = (i, opts.tobytes())
            if key not in self._Mq:
                vals = self.V[i][opts]
                top = vals.max()
                near = opts[vals >= top - 1e-9 * max(1.0, abs(top))]
                self._Mq[key] = max(_dot(self.rq, model.U[i][o]) for o in near)
            total += self._Mq[key]
        return total


def _dot(rq: Sequence[Fraction], u: np.ndarray) -> Fraction:
    return sum((r * int(x) for r, x in zip(rq, u, strict=True) if r), Fraction(0))


def _make_cert(model: Model, kind: str, rq: Sequence[Fraction], kq: Fraction,
               base: float = 0.0, point: tuple[int, ...] | None = None) -> _Cert:
    r = np.array([float(x) for x in rq])
    V = [u @ r for u in model.U]
    M = np.array([v[c].max() for v, c in zip(V, model.cand, strict=True)])
    integral = all(x.denominator == 1 for x in rq) and kq.denominator == 1
    scale = 0.0 if integral else float(np.abs(r) @ model.umax_suffix[0]) + abs(float(kq))
    return _Cert(kind, tuple(rq), kq, r, float(kq), V, M, scale, base, point)


# ---------------------------------------------------------------------------------------
# The search


@dataclass(frozen=True)
class Unproven:
    """What a search stopped by its budget had proven: the best deal found (None: none
    yet) with its value, and an upper bound of the optimum (None: none yet). Values are
    floats of the objective (for nash, sum_a w_a log g_a, the log of the weighted product);
    the bound holds up to the floating-point margin of the certificates (`MARGIN`).

    The bound is the largest bound among the nodes still open (Lagrangian bounds, Fisher
    1981; see `search`).
    """

    kind: str
    value: float | None
    deal: tuple[int, ...] | None
    bound: float | None


class _Search:
    def __init__(self, model: Model, obj: Objective, lower: Sequence[int | None],
                 rows: Sequence[tuple[Sequence[Fraction], Fraction]], lex: bool,
                 budget: Budget | None, start: tuple[int, ...] | None, keep_ties: bool):
        self.mo, self.obj, self.lex, self.budget = model, obj, lex, budget
        self.keep_ties = keep_ties
        n = model.n
        self.rows: list[tuple[tuple[Fraction, ...], Fraction]] = []
        for a, b in enumerate(lower):
            if b is not None:
                self.rows.append((tuple(Fraction(int(a == j)) for j in range(n)),
                                  Fraction(b)))
        for coef, rhs in rows:
            self.rows.append((tuple(Fraction(c) for c in coef), Fraction(rhs)))
        self.certs: list[_Cert] = []
        self.offsets = np.concatenate([[0], np.cumsum([len(o) for o in model.opts])]
                                      ).astype(np.int64)
        self.Vall = np.zeros((int(self.offsets[-1]), 16))
        self.Rmat = np.zeros((16, n))
        self.kvec = np.zeros(16)
        for c, b in self.rows:
            self._add(_make_cert(model, "row", c, -b))
        # rows with integer coefficients are decided exactly in floats while every sum
        # stays below 2**53 (units are integers); only the others need a Fraction check at
        # the leaves
        umax = model.umax_suffix[0]

        def exact_in_floats(coef, const) -> bool:
            return (all(x.denominator == 1 for x in coef) and const.denominator == 1
                    and sum(abs(int(x)) * float(m) for x, m in zip(coef, umax, strict=True))
                    + abs(int(const)) < 2.0**52)

        self._inexact = [(c, b) for c, b in self.rows if not exact_in_floats(c, b)]
        # an objective whose floats are exact needs no exact comparison at the leaves
        coef = [Fraction(0)] * n
        for t, al in zip(obj.terms, obj.alpha, strict=True):
            coef[t] += al
        self._obj_exact = obj.kind == "linear" and exact_in_floats(coef, obj.const)
        self.best: Fraction | None = None
        self.best_f = _NOPE
        self.best_deal: tuple[int, ...] | None = None
        self.best_u: tuple[int, ...] | None = None
        self.ties: dict[tuple[int, ...], tuple[int, ...]] = {}
        self.nodes = 0
        self.lps = 0
        self.settled = 0.0
        self._tangent: _Cert | None = None
        self._frac: list[int] = []
        self._tangent_id = -1
        self._rel = None
        self._feas = None
        self._feas_scale: list[float] = []
        self._x: list[int] = []
        # per level of the recursion, the largest bound of the children not yet settled
        # (the current one included): with the incumbent, what a stopped search has proven
        self._open: list[float] = []
        if start is not None:
            self._offer_full(start)
        # a search that starts from a good deal asks the MIP heuristics later
        self._milp_after = MILP_AFTER if self.best is None else MILP_AFTER_STARTED

    # -- incumbents --------------------------------------------------------------------

    def _feasible(self, u: Sequence[int]) -> bool:
        return all(_dot(c, np.asarray(u)) >= b for c, b in self.rows)

    def _offer_full(self, deal: tuple[int, ...]) -> None:
        local = self.mo.local(deal)
        if local is None:
            return  # a dominated option: not a candidate answer
        u = sum(self.mo.U[i][o] for i, o in enumerate(local))
        u = tuple(int(x) for x in np.atleast_1d(u))
        if self._feasible(u):
            self._offer(u, self.mo.full_deal(local), self.obj.exact(u))

    def _offer(self, u: tuple[int, ...], deal: tuple[int, ...], value: Fraction) -> None:
        if self.best is not None and value < self.best:
            return
        if self.obj.kind == "nash" and value <= 0:
            return  # some gain is not positive: no Nash product to compare
        if self.best is None or value > self.best:
            self.best, self.best_deal, self.best_u = value, deal, u
            self.best_f = self.obj.exact_float(value)
            self.ties = {u: deal}
            if self.obj.kind == "nash":
                self._tangent = None
            return
        if deal < self.best_deal:  # type: ignore[operator]
            self.best_deal, self.best_u = deal, u
        if self.keep_ties and (u not in self.ties or deal < self.ties[u]):
            self.ties[u] = deal

    # -- bounds ------------------------------------------------------------------------

    def _ref(self, c: _Cert) -> tuple[float, Fraction | None]:
        """What the bound of certificate c must reach for a node to stay: its float and,
        where the comparison can be exact, its exact value (None: never exact)."""
        if c.kind == "row":
            return 0.0, Fraction(0)
        if self.best is None:
            return _NOPE, None
        if c.kind == "obj":
            return self.best_f, self.best
        if c.point is not None and c.point == self.best_u:
            return 0.0, Fraction(0)
        return self.best_f - c.base, None

    def _after(self, x: list[int], d: int, o: int) -> bool:
        """True when every deal with the fixed options `x` (-1: free) and option o on
        issue d comes after the best deal (lowest option indices first, issue by issue),
        so an equal bound cannot change the answer."""
        if self.best_deal is None:
            return False
        if not self.lex:
            return True
        local = list(x)
        if d >= 0:
            local[d] = o
        for f, b in zip(self.mo.partial(local), self.best_deal, strict=True):
            if f < 0:
                return False
            if f != b:
                return f > b
        return True  # the best deal itself

    # -- relaxation --------------------------------------------------------------------

    def _milp_start(self, seconds: float) -> None:
        """A good first deal from HiGHS' mixed-integer solver (a heuristic only: the deal
        is checked exactly, and the search still proves what is best)."""
        mo = self.mo
        if self.obj.kind == "nash" and self.best_u is None:
            return
        rel = self._relaxation()
        if self.obj.kind == "nash":
            rel.set_linear(self._tangent_coef()[0])
        x = rel.integer_solution(seconds)
        self.lps += 1
        if x is None:
            return
        local = []
        pos = 0
        for i in range(mo.m):
            k = len(mo.opts[i])
            local.append(int(np.argmax(x[pos : pos + k])))
            pos += k
        self._offer_full(mo.full_deal(local))

    def _lp(self, free: Sequence[int], P: np.ndarray, dom: Sequence[np.ndarray]
            ) -> _Cert | None:
        """Solve the linear relaxation of the node (free issues over the hull of their
        options left) and turn its dual values into a certificate (None when it fails)."""
        mo, obj = self.mo, self.obj
        n = mo.n
        rel = self._relaxation()
        if obj.kind == "nash":
            rel.set_linear(self._tangent_coef()[0])
        sol = rel.solve(self._x, free, dom)
        self.lps += 1
        self._frac = []
        if sol is None:
            return self._farkas(free, dom) if self.rows else None
        # branch first on the issues the relaxation leaves most fractional
        self._frac = [i for t, i in sorted((t, i) for i, t in sol.top.items())
                      if t < 1 - 1e-7]
        mu = [Fraction(float(y)) if y > 0 else Fraction(0) for y in sol.row_duals]
        pi = [Fraction(float(y)) if y > 0 else Fraction(0) for y in sol.term_duals]
        mode = "minaff" if obj.kind == "minaff" else "linear"
        if mode == "minaff":
            tot = sum(pi)
            if tot <= 0:
                return None
            return self._obj_cert(pi, mu, tot)
        if obj.kind == "linear":
            rq = [Fraction(0)] * n
            for t, al in zip(obj.terms, obj.alpha, strict=True):
                rq[t] += al
            kq = obj.const
            for (coef, rhs), y in zip(self.rows, mu, strict=True):
                if y:
                    rq = [x + y * c for x, c in zip(rq, coef, strict=True)]
                    kq -= y * rhs
            return _make_cert(mo, "obj", rq, kq)
        return self._tangent_cert(mu)

    def _relaxation(self):
        """The search's warm-started LP (built on first use)."""
        if self._rel is None:
            from .relaxation import Relaxation

            obj, mo = self.obj, self.mo
            rows = [(np.array([float(c) for c in coef]), float(rhs))
                    for coef, rhs in self.rows]
            if obj.kind == "minaff":
                terms = [(np.eye(mo.n)[a] * float(al), float(be))
                         for a, al, be in zip(obj.terms, obj.alpha, obj.beta, strict=True)]
                self._rel = Relaxation(mo.U, mo.scale, rows, terms, None)
            else:
                lin = np.zeros(mo.n)
                if obj.kind == "linear":
                    for t, al in zip(obj.terms, obj.alpha, strict=True):
                        lin[t] += float(al)
                self._rel = Relaxation(mo.U, mo.scale, rows, None, lin)
        return self._rel

    def _obj_cert(self, pi: list[Fraction], mu: list[Fraction], tot: Fraction) -> _Cert:
        obj, n = self.obj, self.mo.n
        rq = [Fraction(0)] * n
        kq = Fraction(0)
        for t, y in enumerate(pi):
            if y:
                rq[obj.terms[t]] += y * obj.alpha[t]
                kq += y * obj.beta[t]
        for (coef, rhs), y in zip(self.rows, mu, strict=True):
            if y:
                rq = [x + y * c for x, c in zip(rq, coef, strict=True)]
                kq -= y * rhs
        rq = [x / tot for x in rq]
        kq /= tot
        return _make_cert(self.mo, "obj", rq, kq)

    def _farkas(self, free: Sequence[int], dom: Sequence[np.ndarray]) -> _Cert | None:
        """An infeasible relaxation: maximise the smallest scaled slack of the constraints;
        when it is negative, its duals combine them into one row that no deal of the node
        can satisfy (checked like any certificate)."""
        mo = self.mo
        if self._feas is None:
            from .relaxation import Relaxation

            terms = []
            self._feas_scale = []
            for coef, rhs in self.rows:
                c = np.array([float(x) for x in coef])
                sc = float(np.abs(c * mo.scale).max()) or 1.0
                terms.append((c / sc, -float(rhs) / sc))
                self._feas_scale.append(sc)
            self._feas = Relaxation(mo.U, mo.scale, [], terms, None)
        sol = self._feas.solve(self._x, free, dom)
        self.lps += 1
        if sol is None or sol.value >= 0:
            return None
        rq = [Fraction(0)] * mo.n
        kq = Fraction(0)
        for (coef, rhs), y, sc in zip(self.rows, sol.term_duals, self._feas_scale,
                                      strict=True):
            if y > 0:
                w = Fraction(float(y)) / Fraction(sc)
                rq = [x + w * c for x, c in zip(rq, coef, strict=True)]
                kq -= w * rhs
        if not any(rq):
            return None
        return _make_cert(mo, "row", rq, kq)

    def _tangent_coef(self) -> tuple[np.ndarray, list[Fraction], Fraction]:
        """Coefficients of the tangent of sum w log g at the incumbent: L(u) = sum_a w_a
        (g_a(u) / g*_a - 1) = rq . u + kq (exact), and their floats."""
        obj, n = self.obj, self.mo.n
        u = self.best_u
        rq = [Fraction(0)] * n
        kq = Fraction(0)
        for t, a in enumerate(obj.terms):
            g = obj.alpha[t] * u[a] + obj.beta[t]  # type: ignore[index]
            rq[a] += obj.weights[t] * obj.alpha[t] / g
            kq += obj.weights[t] * (obj.beta[t] / g - 1)
        return np.array([float(x) for x in rq]), rq, kq

    def _tangent_cert(self, mu: Sequence[Fraction]) -> _Cert:
        _, rq, kq = self._tangent_coef()
        for (coef, rhs), y in zip(self.rows, mu, strict=True):
            if y:
                rq = [x + y * c for x, c in zip(rq, coef, strict=True)]
                kq -= y * rhs
        return _make_cert(self.mo, "nash", rq, kq, base=self.best_f, point=self.best_u)

    # -- the tree ----------------------------------------------------------------------

    def _add(self, c: _Cert) -> int:
        """Register a certificate: its values per option go in column j of `Vall` (all
        issues' kept options stacked), its r and k in row j of `Rmat`, `kvec`."""
        j = len(self.certs)
        if j == self.Vall.shape[1]:  # grow by doubling
            self.Vall = np.concatenate([self.Vall, np.zeros_like(self.Vall)], axis=1)
            self.Rmat = np.concatenate([self.Rmat, np.zeros_like(self.Rmat)], axis=0)
            self.kvec = np.concatenate([self.kvec, np.zeros_like(self.kvec)])
        self.certs.append(c)
        self.Vall[:, j] = np.concatenate(c.V)
        self.Rmat[j] = c.r
        self.kvec[j] = c.k
        return j

    def unproven(self) -> Unproven:
        """The best deal so far and a bound on the optimum (for a stopped search)."""
        bound = max(self._open, default=None)
        if bound is not None and math.isinf(bound):
            # +inf: nothing bounds the objective yet; -inf: nothing is left but the best
            bound = self.best_f if bound < 0 and self.best is not None else None
        elif bound is not None:
            bound += MARGIN * (1.0 + abs(bound))
            if self.best is not None:
                bound = max(bound, self.best_f)
        return Unproven(self.obj.kind, None if self.best is None else self.best_f,
                        self.best_deal, bound)

    def _caps(self, A: np.ndarray, S: np.ndarray) -> np.ndarray:
        """Per row of child bounds S (children, certificates `A`): the smallest bound
        the objective's certificates give (+inf when none bounds the objective)."""
        kinds = [self.certs[ci] for ci in A]
        cols = [j for j, c in enumerate(kinds) if c.kind != "row"]
        if not cols:
            return np.full(len(S), math.inf)
        base = np.array([kinds[j].base for j in cols])
        return (S[:, cols] + base).min(axis=1)

    def run(self) -> None:
        mo = self.mo
        self._milp_done = mo.size_suffix[0] <= LP_MIN
        self._t0 = time.perf_counter()
        dom = [np.arange(len(o)) for o in mo.opts]
        self._node([-1] * mo.m, list(range(mo.m)), dom, np.zeros(mo.n),
                   list(range(len(self.certs))), [], 1.0)

    def _refs(self, active: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """Per active certificate: the value its bound must reach, and the float margin."""
        ref = np.empty(len(active))
        margin = np.empty(len(active))
        for j, ci in enumerate(active):
            c = self.certs[ci]
            ref[j] = self._ref(c)[0]
            margin[j] = MARGIN * (c.scale + abs(ref[j])) if c.scale and ref[j] > _NOPE else 0
        return ref, margin

    def _cut_exact(self, ci: int, P: np.ndarray, x: list[int], free: Sequence[int],
                   dom: Sequence[np.ndarray], d: int | None = None, o: int = -1) -> bool:
        """Exact test of certificate ci on a node (or on its child with option o on issue
        d): True when no deal there can beat (or, after the best deal, tie) the best."""
        c = self.certs[ci]
        _, ref_q = self._ref(c)
        if ref_q is None:
            return False
        rest = [i for i in free if i != d]
        val = _dot(c.rq, P) + c.exact_free(self.mo, rest, dom) + c.kq
        if d is not None:
            val += _dot(c.rq, self.mo.U[d][o])
        if val < ref_q:
            return True
        return val == ref_q and c.kind != "row" and self._after(x, -1 if d is None else d, o)

    def _node(self, x: list[int], free: list[int], dom: list[np.ndarray], P: np.ndarray,
              active: list[int], order: list[int], share: float) -> None:
        """Search the deals with the options `x` fixed (-1 on the `free` issues, which may
        take the options `dom[i]`; P the units of the fixed part). `order` ranks the free
        issues to branch on (from the nearest relaxation); `share` is this node's part of
        the tree, for progress."""
        mo = self.mo
        self.nodes += 1
        if self.budget is not None and self.nodes % 16 == 0:
            self.budget.check(round(100 * self.settled, 1), 100.0,
                              what="exact search (% of the tree settled)",
                              advice=ADVICE)
        if (self.nodes >= self._milp_after and not self._milp_done
                and time.perf_counter() - self._t0 >= MILP_DELAY):
            # a long search: ask HiGHS' MIP heuristics for a better deal to prune with
            self._milp_done = True
            self._milp_start(MILP_SECONDS)
        if self.obj.kind == "nash" and self.best_u is not None:
            if self._tangent is None:  # the tangent at the newest incumbent
                _, rq, kq = self._tangent_coef()
                self._tangent = _make_cert(mo, "nash", rq, kq, base=self.best_f,
                                           point=self.best_u)
                self._tangent_id = self._add(self._tangent)
            if self._tangent_id not in active:
                active = [*active, self._tangent_id]
        size = math.prod(len(dom[i]) for i in free)
        if size > LP_MIN and self._wants_lp():
            self._x = x
            cert = self._lp(free, P, dom)
            if cert is not None:
                active = [*active, self._add(cert)]
                order = list(self._frac)
        # bounds of every active certificate, and options no good deal can use (reduced-
        # cost fixing, repeated while it removes something)
        A = np.asarray(active, dtype=np.int64)
        ref, margin = self._refs(active)
        base = self.Rmat[A] @ P + self.kvec[A]
        dom = list(dom)
        if not free:  # one deal: it is its own leaf
            self._leaf(x, free, dom, P)
            self.settled += share
            return
        for _ in range(4):
            lens = np.array([len(dom[i]) for i in free])
            rows = np.concatenate([self.offsets[i] + dom[i] for i in free])
            V = self.Vall[np.ix_(rows, A)]  # (options left, certificates)
            starts = np.concatenate([[0], np.cumsum(lens)[:-1]])
            Ms = np.maximum.reduceat(V, starts, axis=0)  # (free issues, certificates)
            total = base + Ms.sum(axis=0)
            below = total < ref - margin
            if below.any():
                self.settled += share
                return
            close = np.flatnonzero(total <= ref + margin)
            if any(self._cut_exact(int(A[j]), P, x, free, dom) for j in close):
                self.settled += share
                return
            keep = (total - np.repeat(Ms, lens, axis=0) + V >= ref - margin).all(axis=1)
            if keep.all():
                break
            parts = np.split(keep, np.cumsum(lens)[:-1])
            for i, kp in zip(free, parts, strict=True):
                dom[i] = dom[i][kp]
            if any(not len(dom[i]) for i in free):
                self.settled += share
                return
        size = math.prod(len(dom[i]) for i in free)
        if size <= LEAF:
            self._leaf(x, free, dom, P)
            self.settled += share
            return
        objective = np.array([self.certs[ci].kind != "row" for ci in active])
        # a node whose bound only reaches the best value can only tie: what matters is its
        # first feasible deal in the order of the tie rule, so walk it in that order
        tie_only = self.lex and self.best is not None and bool(
            (objective & (total <= ref + margin)).any())
        order = [i for i in order if x[i] < 0 and len(dom[i]) > 1]
        if tie_only:
            d = min(i for i in free if len(dom[i]) > 1)
        else:
            d = order[0] if order else max(free, key=lambda i: len(dom[i]))
        rest = [i for i in free if i != d]
        Vd = self.Vall[np.ix_(self.offsets[d] + dom[d], A)]
        if not keep.all():  # the last pass removed options: recompute the bounds
            Ms = np.stack([self.Vall[np.ix_(self.offsets[i] + dom[i], A)].max(axis=0)
                           for i in free])
            total = base + Ms.sum(axis=0)
        S = total - Ms[free.index(d)] + Vd  # (options, certs)
        if tie_only:
            score = -np.arange(len(dom[d]), dtype=float)  # lowest options first
        elif objective.any():
            score = (S[:, objective] - np.where(ref[objective] > _NOPE, ref[objective], 0)
                     ).min(axis=1)
        else:
            score = np.zeros(len(dom[d]))
        k = len(dom[d])
        if k > SPLIT:  # a long domain (a numeric issue): split it in two halves
            halves = [np.arange(k // 2), np.arange(k // 2, k)]
            halves.sort(key=lambda h: -float(score[h].max()))
            caps = [float(self._caps(A, S[h].max(axis=0)[None, :])[0]) for h in halves]
            level = len(self._open)
            self._open.append(max(caps))
            for pos, h in enumerate(halves):
                sub = list(dom)
                sub[d] = dom[d][h]
                ref, margin = self._refs(active)
                if (S[h].max(axis=0) < ref - margin).any():
                    self.settled += share / 2
                    continue
                self._open[level] = max(caps[pos:])
                self._node(x, free, sub, P, active, order, share / 2)
            self._open.pop()
            return
        order = [i for i in order if i != d]
        js = np.argsort(-score, kind="stable")
        # what is left of this node after each child, for a stopped search
        left = np.maximum.accumulate(self._caps(A, S)[js][::-1])[::-1]
        level = len(self._open)
        self._open.append(float(left[0]))
        for pos, j in enumerate(js):
            o = int(dom[d][j])
            # the incumbent may have improved since the children were scored
            ref, margin = self._refs(active)
            if (S[j] < ref - margin).any() or any(
                    self._cut_exact(int(A[c]), P, x, free, dom, d, o)
                    for c in np.flatnonzero(S[j] <= ref + margin)):
                self.settled += share / k
                continue
            child = list(x)
            child[d] = o
            self._open[level] = float(left[pos])
            self._node(child, rest, dom, P + mo.U[d][o], active, order, share / k)
        self._open.pop()

    def _wants_lp(self) -> bool:
        return self.obj.kind != "nash" or self.best_u is not None

    def _leaf(self, x: list[int], free: list[int], dom: Sequence[np.ndarray],
              P: np.ndarray) -> None:
        """Enumerate the node's deals (free issues in scenario order, so the rows come in
        the order of the deals) and offer the best, compared exactly."""
        mo, obj = self.mo, self.obj
        local = np.zeros((1, 0), dtype=np.int64)
        u = P[None, :].copy()
        for i in free:
            k = len(dom[i])
            local = np.concatenate([np.repeat(local, k, axis=0),
                                    np.tile(dom[i], len(local))[:, None]], axis=1)
            u = (u[:, None, :] + mo.U[i][dom[i]][None, :, :]).reshape(-1, mo.n)
        ok = np.ones(len(u), dtype=bool)
        for c in self.certs[: len(self.rows)]:
            val = u @ c.r + c.k
            margin = MARGIN * c.scale if c.scale else 0.0
            ok &= val >= -margin
        rows = np.flatnonzero(ok)
        if not len(rows):
            return
        f = obj.floats(u[rows])
        top = f.max()
        if top == _NOPE and obj.kind == "nash":
            return
        floor = max(top, self.best_f) if self.best is not None else top
        if self._obj_exact:  # exact floats: the best rows, compared as they are
            near = rows[f >= floor]
            if not self.lex and not self.keep_ties:  # any one deal of the best value
                near = near[:1] if self.best is None or top > self.best_f else near[:0]
        else:
            near = rows[f >= floor - MARGIN * (1.0 + abs(floor)) * 100]
        full = np.array(x)
        for r in near:  # in the order of the deals
            ur = tuple(int(v) for v in u[r])
            if self._inexact and not all(_dot(c, np.asarray(ur)) >= b
                                         for c, b in self._inexact):
                continue
            value = obj.exact(ur)
            if self.best is not None and value < self.best:
                continue
            full[free] = local[r]
            self._offer(ur, mo.full_deal(full), value)


def unproven_text(u: Unproven) -> str:
    """What a stopped search had proven, in words (a Nash value as the product)."""
    if u.value is None:
        return "no deal found yet"

    def show(v: float) -> str:
        return f"{math.exp(min(v, 700.0)) if u.kind == 'nash' else v:.6g}"

    if u.bound is None:
        return f"best value found {show(u.value)}, no bound on the optimum yet"
    if u.bound == u.value:
        return (f"its value {show(u.value)} is proven, the choice among the deals that "
                "reach it (the tie rule) is not")
    return f"best value found {show(u.value)}, the optimum is at most {show(u.bound)}"


def search(model: Model, objective: Objective, lower: Sequence[int | None] | None = None,
           rows: Sequence[tuple[Sequence[Fraction], Fraction]] = (), *, lex: bool = True,
           start: Sequence[int] | None = None, keep_ties: bool = False,
           budget: Budget | None = None) -> SearchResult | None:
    """Maximise `objective` over the deals of `model` with u_a >= lower[a] (None: no bound)
    and sum_a coef_a u_a >= rhs for each (coef, rhs) in `rows` (coefficients >= 0).

    Returns None when no deal meets the constraints. With `lex` the deal is the one with
    the lowest option indices among those reaching the best value; without it, any of
    them (faster when only the value is wanted). `start` is a deal to begin with (a known
    good one speeds up the proof). See the module doc for the method and its guarantee.

    Cost: exponential in the worst case (subset sum is a special case); a node costs
    O(options x certificates), and HiGHS solves an LP at the root and at large nodes. Two
    or three parties on a constant sum go to `accord.bargaining.line` or `.plane`,
    O(H log H) with H the larger half of the issues' partial deals.

    References: Land, A. H. and Doig, A. G. (1960) "An automatic method of solving discrete
    programming problems", Econometrica 28(3):497-520, doi:10.2307/1910129; Fisher, M. L.
    (1981) "The Lagrangian relaxation method for solving integer programming problems",
    Management Science 27(1):1-18, doi:10.1287/mnsc.27.1.1.
    """
    lower = [None] * model.n if lower is None else list(lower)
    from .line import line_for, line_search
    from .plane import plane_for, plane_search

    line = line_for(model) if LINE else None
    if line is not None:  # two parties on a constant sum: one dimension (see .line)
        return line_search(line, objective, lower, rows, lex, keep_ties)
    plane = plane_for(model) if LINE else None
    if plane is not None:  # three parties on a constant sum: a plane (see .plane)
        found = plane_search(plane, objective, lower, rows, lex, keep_ties)
        if found is not NotImplemented:
            return found
    s = _Search(model, objective, lower, rows, lex, budget,
                None if start is None else tuple(int(x) for x in start), keep_ties)
    try:
        s.run()
    except BudgetExceeded as exc:  # say what the search had proven
        found = s.unproven()
        raise exc.again(unproven_text(found), found) from None
    if s.best is None:
        return None
    return SearchResult(s.best, s.best_deal, s.best_u, s.nodes, s.lps,  # type: ignore[arg-type]
                        dict(s.ties))
