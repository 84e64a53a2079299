"""The compiled numeric form of a scenario: per issue, each actor's utility for each option.

For an actor a with normalised weights w (sum 1) and score tables s (0..100), the utility
of a deal x is additive over issues:

    U_a(x) = sum_i w_a,i * s_a,i(x_i) / 100,

so `Space.contributions[i][a, o] = w_a,i * s_a,i(o) / 100`, and the utility of a deal is
the sum of one entry per issue. An actor may add interaction terms between two discrete
issues, v_k * s_k(x_i, x_j) / 100, with the weights v normalised together with w; they are
held in `Space.pairs`, and `Space.additive` is then false.

Exact arithmetic. Numbers typed in a scenario are decimals (0.3, 70, 2.5), so every
contribution is a rational number. For each actor, `compile_space` finds the least common
denominator K_a of its contributions and stores `units[i][a, o] = K_a * contribution`, an
integer held in a float64. While K_a <= 2**50 every sum of units is an exact integer, so
two deals whose utilities are equal as rational numbers compare equal, and Pareto
dominance, ties and acceptance are decided exactly. (Dominance compares one actor's
utilities at a time, so actors may have different K_a.) When an actor's denominators are
larger (inputs with many digits), its units fall back to a grid of 2**-40: sums are still
exact and order-independent, but a tie between rationals closer than ~1e-11 is not seen.
`Space.exact[a]` says which mode each actor uses.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property, lru_cache

import numpy as np

from .errors import InputError, Problem, at
from .scenario import Actor, Issue, Scenario
from .validation import check_deal

EXACT_LIMIT = 2**50
"""Largest common denominator for which an actor's utilities are held exactly."""

FALLBACK_SCALE = 2.0**40
"""Scale of the fallback grid (see the module doc)."""

ACCEPT_TOL = 1e-9
"""An actor accepts a deal when U >= batna - ACCEPT_TOL. With exact units this only matters
in fallback mode, where rounding must not flip a decision."""

_FRACTION_GRID_LIMIT = 5000

BLOCK_LIMIT = 1 << 16
"""Largest number of joint options of a block of interacting issues that the direct search
treats as one compound issue (see `Space.blocks`)."""


@dataclass(frozen=True, eq=False)
class Space:
    """Immutable numeric form of a scenario (build it with `compile_space`).

    Attributes are numpy arrays indexed by actor (in scenario order), issue (in scenario
    order) and option (in issue order; numeric issues by grid value).

    References: the additive value model U_a(x) = sum_i w_a,i s_a,i(x_i) / 100 of Keeney,
    R. L. and Raiffa, H. (1976) *Decisions with Multiple Objectives: Preferences and Value
    Tradeoffs*, Wiley (a book; no DOI).
    """

    scenario: Scenario
    actor_ids: tuple[str, ...]
    issue_ids: tuple[str, ...]
    labels: tuple[tuple[str | float, ...], ...]
    weights: np.ndarray  # (n_actors, n_issues), rows sum to 1
    scores: tuple[np.ndarray, ...]  # per issue: (n_actors, n_options), 0..100
    contributions: tuple[np.ndarray, ...]  # per issue: (n_actors, n_options), real utility
    units: tuple[np.ndarray, ...]  # per issue: (n_actors, n_options), integers (see above)
    scale: np.ndarray  # (n_actors,): units per unit of utility, K_a
    exact: np.ndarray  # (n_actors,) bool: units are exact rationals for this actor
    batna: np.ndarray  # (n_actors,), real
    veto: np.ndarray  # (n_actors,) bool
    roles: tuple[str, ...]
    capability: np.ndarray  # (n_actors,)
    pairs: tuple[tuple[int, int, np.ndarray], ...] = ()
    """Interaction terms: (issue i, issue j, units (n_actors, n_options_i, n_options_j)),
    i < j. Empty for additive scenarios."""

    @property
    def additive(self) -> bool:
        """True when utilities are sums over issues (no interaction terms)."""
        return not self.pairs

    @cached_property
    def blocks(self) -> tuple[tuple[int, ...], ...]:
        """The issues grouped by interaction terms: the connected components of the graph
        whose edges are the pairs of `pairs`, each sorted, in the order of their first
        issue. Utilities are additive over blocks, so a block is one compound issue whose
        options are the joint options of its issues. O(issues + pairs)."""
        parent = list(range(self.n_issues))

        def root(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for i, j, _ in self.pairs:
            parent[root(j)] = root(i)
        groups: dict[int, list[int]] = {}
        for i in range(self.n_issues):
            groups.setdefault(root(i), []).append(i)
        return tuple(sorted(tuple(g) for g in groups.values()))

    @property
    def searchable(self) -> bool:
        """True when the direct search (`accord.bargaining.search`) can answer questions on
        this space: every block of interacting issues has at most `BLOCK_LIMIT` joint
        options (additive spaces always)."""
        return all(math.prod(self.n_options[i] for i in b) <= BLOCK_LIMIT
                   for b in self.blocks)

    def unsearchable(self, where: str, instead: str) -> InputError:
        """The error for a direct search asked of a space that is not `searchable`."""
        return InputError([Problem(where, "the direct search needs blocks of interacting "
                                          f"issues of at most {BLOCK_LIMIT:,} joint options: "
                                          f"use '{instead}'")])

    @property
    def n_actors(self) -> int:
        return len(self.actor_ids)

    @property
    def n_issues(self) -> int:
        return len(self.issue_ids)

    @cached_property
    def n_options(self) -> tuple[int, ...]:
        return tuple(len(lab) for lab in self.labels)

    @cached_property
    def outcomes(self) -> int:
        """Number of deals in the outcome space (an exact Python int; may exceed 2**63)."""
        return math.prod(self.n_options)

    @property
    def veto_indices(self) -> tuple[int, ...]:
        return tuple(int(a) for a in np.flatnonzero(self.veto))

    def actor_index(self, actor_id: str, where: str = "actors") -> int:
        try:
            return self.actor_ids.index(actor_id)
        except ValueError:
            raise InputError(at(where, [Problem(where, f"unknown actor '{actor_id}' (actors: "
                                                       f"{', '.join(self.actor_ids)})")])
                             ) from None

    def resolve_actors(self, actors: Sequence[str] | Sequence[int] | None) -> tuple[int, ...]:
        """Actor indices from ids or indices; None means the veto actors."""
        if actors is None:
            idx = self.veto_indices
            if not idx:
                raise InputError([Problem.of_parameter("parties", "no actor has a veto: name "
                                                                  "the parties")])
            return idx
        out = []
        for a in actors:
            i = self.actor_index(a, "parties") if isinstance(a, str) else int(a)
            if i not in out:
                out.append(i)
        if not out:
            raise InputError([Problem.of_parameter("parties", "name at least one actor")])
        return tuple(out)

    @cached_property
    def _terms(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """All utility terms flattened: units (n_actors, cells) and, per term, the issues it
        reads (a, b) and their strides, so that a deal's index into a term's cells is
        d[a] * stride_a + d[b] * stride_b (an issue term reads one issue, stride_b = 0)."""
        blocks = list(self.units) + [u.reshape(self.n_actors, -1) for _, _, u in self.pairs]
        a_ = list(range(self.n_issues)) + [i for i, _, _ in self.pairs]
        b_ = list(range(self.n_issues)) + [j for _, j, _ in self.pairs]
        sa = [1] * self.n_issues + [u.shape[2] for _, _, u in self.pairs]
        sb = [0] * self.n_issues + [1] * len(self.pairs)
        flat = np.concatenate(blocks, axis=1) if blocks else np.zeros((self.n_actors, 0))
        return flat, np.array(a_), np.array(b_), np.array(sa), np.array(sb)

    @cached_property
    def _term_offsets(self) -> np.ndarray:
        sizes = [u.shape[1] for u in self.units] + [u.shape[1] * u.shape[2]
                                                     for _, _, u in self.pairs]
        return np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)

    def utility_units(self, deals: np.ndarray, actors: Sequence[int] | None = None
                      ) -> np.ndarray:
        """Exact utilities in units (see the module doc) of a batch of deals: `deals`
        (m, n_issues) option indices -> (m, n_actors), or (m, len(actors)).
        Cost O(m * terms * actors), in chunks that bound memory."""
        deals = np.asarray(deals, dtype=np.int64)
        if deals.ndim == 1:
            deals = deals[None, :]
        flat, a_, b_, sa, sb = self._terms
        if actors is not None:
            flat = flat[list(actors)]
        off = self._term_offsets
        out = np.empty((deals.shape[0], flat.shape[0]))
        chunk = max(1, 4_000_000 // max(1, len(off) * flat.shape[0]))
        for s0 in range(0, deals.shape[0], chunk):
            d = deals[s0 : s0 + chunk]
            idx = off + d[:, a_] * sa + d[:, b_] * sb
            out[s0 : s0 + chunk] = flat[:, idx].sum(axis=2).T
        return out

    def to_utility(self, units: np.ndarray, actors: Sequence[int] | None = None) -> np.ndarray:
        """Units -> utilities in [0, 1] (columns are `actors`, default all)."""
        return units / (self.scale if actors is None else self.scale[list(actors)])

    def utilities(self, deals: np.ndarray, actors: Sequence[int] | None = None) -> np.ndarray:
        """Utilities in [0, 1] of a batch of deals: `deals` (m, n_issues) option indices ->
        (m, n_actors) (or (m, len(actors))). Cost O(m * n_issues * n_actors)."""
        return self.to_utility(self.utility_units(deals, actors), actors)

    def threshold_units(self, actors: Sequence[int] | None = None) -> np.ndarray:
        """Acceptance thresholds in units: an actor accepts when its units reach this."""
        sel = slice(None) if actors is None else list(actors)
        return (self.batna[sel] - ACCEPT_TOL) * self.scale[sel]

    def deal_index(self, deal: Mapping[str, object], where: str = "deal") -> tuple[int, ...]:
        """Option indices of a deal given as {issue: option id or number}; `InputError` when an
        issue is unknown, unsettled, or given a value it does not have."""
        problems = check_deal(dict(deal), self.scenario, where)
        if problems:
            raise InputError(at(where, problems))
        out = []
        for i, iid in enumerate(self.issue_ids):
            value = deal[iid]
            issue = self.scenario.issues[i]
            if issue.is_numeric:
                lo, _ = issue.range  # type: ignore[misc]
                out.append(round((float(value) - lo) / issue.grid_step))  # type: ignore[arg-type]
            else:
                out.append(self.labels[i].index(str(value)))
        return tuple(out)

    def deal_mapping(self, index: Sequence[int]) -> dict[str, str | float]:
        """{issue id: option id or grid value} for a deal given by option indices."""
        return {iid: self.labels[i][int(o)] for i, (iid, o) in enumerate(zip(self.issue_ids,
                                                                              index, strict=True))}

    def accepts(self, units: np.ndarray, actors: Sequence[int] | None = None) -> np.ndarray:
        """Which actors accept: `units` (..., n_actors or len(actors)) -> bool array,
        U >= batna - ACCEPT_TOL, decided on exact units."""
        return units >= self.threshold_units(actors)


def typed_fraction(x: float) -> Fraction:
    """The decimal a user typed: Fraction('0.3') rather than the binary float nearest it."""
    return _decimal_fraction(float(x))


_fraction = typed_fraction


@lru_cache(maxsize=1 << 16)
def _decimal_fraction(x: float) -> Fraction:
    return Fraction(repr(x))


def _score_fractions(actor: Actor, issue: Issue) -> list[Fraction] | None:
    pref = actor.preferences.get(issue.id)
    if pref is None:
        return [Fraction(0)] * len(issue.labels())
    if not issue.is_numeric:
        return [_fraction(pref[o]) for o in issue.labels()]  # type: ignore[index]
    parts = _numeric_scores(actor, issue)
    if parts is None:
        return None
    nums, den = parts
    return [Fraction(100 * c, den) for c in nums]


def _numeric_scores(actor: Actor, issue: Issue) -> tuple[list[int], int] | None:
    """A numeric issue's exact scores as integers over one denominator: s_k = 100 c_k / D.

    With n grid steps, x_k = lo + k (hi - lo) / n and s_k = 100 (1 - |x_k - x*| / (hi -
    lo)); writing n (lo - x*) = a / q and hi - lo = b / q over a common denominator q
    gives s_k = 100 (n b - |a + k b|) / (n b), so c_k = n b - |a + k b| and D = n b:
    integer arithmetic, O(grid). None beyond `_FRACTION_GRID_LIMIT` grid points."""
    n_points = len(issue.labels())
    if n_points > _FRACTION_GRID_LIMIT:
        return None
    lo, hi = (_fraction(x) for x in issue.range)  # type: ignore[union-attr]
    ideal = _fraction(actor.preferences[issue.id].ideal)  # type: ignore[union-attr]
    n = n_points - 1
    A, B = n * (lo - ideal), hi - lo
    q = math.lcm(A.denominator, B.denominator)
    a, b = A.numerator * (q // A.denominator), B.numerator * (q // B.denominator)
    return [n * b - abs(a + k * b) for k in range(n + 1)], n * b


def _pair_key(issues: list[Issue], a: str, b: str) -> tuple[int, int, bool]:
    ids = [i.id for i in issues]
    i, j = ids.index(a), ids.index(b)
    return (i, j, False) if i < j else (j, i, True)


def _actor_terms(actor: Actor, issues: list[Issue]
                 ) -> tuple[list[Fraction], list[Fraction], Fraction]:
    """Raw issue weights, raw interaction weights (as typed decimals) and their total."""
    raw = [1.0 if actor.salience is None else actor.salience.get(i.id, 0.0) for i in issues]
    wf = [_fraction(w) for w in raw]
    vf = [_fraction(t.weight) for t in actor.interactions]
    return wf, vf, sum(wf) + sum(vf)


def _actor_units(actor: Actor, issues: list[Issue], pair_index: dict[tuple[int, int], int],
                 pair_shapes: list[tuple[int, int]], scores: list[np.ndarray], a: int,
                 weights: np.ndarray) -> tuple[float, list[np.ndarray], list[np.ndarray], bool]:
    """Scale K_a, per-issue and per-pair integer units for one actor (exact when it can be).

    An issue term is w_i * s / (100 * total), an interaction term v_k * s_ab / (100 * total),
    where total sums the issue and interaction weights."""
    wf, vf, total = _actor_terms(actor, issues)
    # each issue's contributions as integers or Fractions c_k times one Fraction factor
    fracs: list[tuple[list, Fraction]] | None = []
    for i, issue in enumerate(issues):
        if wf[i] == 0:
            fracs.append(([0] * len(scores[i][a]), Fraction(1)))  # type: ignore[union-attr]
            continue
        if issue.is_numeric and issue.id in actor.preferences:
            parts = _numeric_scores(actor, issue)
            if parts is None:
                fracs = None
                break
            nums, den = parts  # contribution: wf * 100 c_k / den / (100 total)
            fracs.append((nums, wf[i] / (den * total)))  # type: ignore[union-attr]
            continue
        sf = _score_fractions(actor, issue)
        fracs.append(([wf[i] * x / (100 * total) for x in sf],  # type: ignore[union-attr,misc]
                      Fraction(1)))
    pair_fracs: list[list[list[Fraction]]] = [[[Fraction(0)] * nj for _ in range(ni)]
                                              for ni, nj in pair_shapes]
    for k, term in enumerate(actor.interactions):
        i, j, flip = _pair_key(issues, *term.issues)
        table = pair_fracs[pair_index[(i, j)]]
        first, second = (issues[j], issues[i]) if flip else (issues[i], issues[j])
        for oa, row in term.scores.items():
            for ob, sc in row.items():
                x = first.labels().index(oa)
                y = second.labels().index(ob)
                r, c = (y, x) if flip else (x, y)
                table[r][c] += vf[k] * _fraction(sc) / (100 * total)
    if fracs is not None:
        lcm = 1
        for nums, factor in fracs:
            if factor.denominator == 1:  # Fractions (or integers) as they are
                for f in nums:
                    lcm = math.lcm(lcm, Fraction(f).denominator)
            else:  # integers c_k times p / q: the reduced denominators' lcm is q / gcd(q, c)
                q = factor.denominator
                lcm = math.lcm(lcm, q // math.gcd(q, math.gcd(*nums)))
            if lcm > EXACT_LIMIT:
                break
        for f in (f for t in pair_fracs for row in t for f in row):
            if lcm > EXACT_LIMIT:
                break
            lcm = math.lcm(lcm, f.denominator)
        if lcm <= EXACT_LIMIT:
            rows = []
            for nums, factor in fracs:
                if factor.denominator == 1:
                    mult = factor.numerator * lcm
                    rows.append(np.array([float(Fraction(f) * mult) for f in nums]))
                else:  # exact: q divides c_k p lcm (see above)
                    mult, q = factor.numerator * lcm, factor.denominator
                    rows.append(np.array([float(c * mult // q) for c in nums]))
            return (float(lcm), rows,
                    [np.array([[float(f * lcm) for f in row] for row in t]) for t in pair_fracs],
                    True)
    units = [np.round(weights[a, i] * scores[i][a] / 100.0 * FALLBACK_SCALE)
             for i in range(len(issues))]
    pairs = [np.round(np.array([[float(f) for f in row] for row in t]) * FALLBACK_SCALE)
             for t in pair_fracs]
    return FALLBACK_SCALE, units, pairs, False


_UNITS_CACHE: dict = {}
_UNITS_LOCK = threading.Lock()
_UNITS_CACHE_SIZE = 256
"""An actor's units depend only on its salience, preferences and interaction terms (and the
issues): sweeps that vary BATNAs or capabilities, or one actor's numbers, reuse the others'
rational arithmetic (the costly part of a compile). First in, first out."""


def compile_space(scenario: Scenario) -> Space:
    """Compile a validated scenario into its numeric form. Cost O(actors * options), plus
    rational arithmetic on each number (see the module doc).

    References: Keeney, R. L. and Raiffa, H. (1976) *Decisions with Multiple Objectives:
    Preferences and Value Tradeoffs*, Wiley (the additive value model; a book, no DOI).
    """
    issues = list(scenario.issues)
    actors = scenario.actors
    n_a, n_i = len(actors), len(issues)
    weights = np.zeros((n_a, n_i))
    for a, actor in enumerate(actors):
        wf, _, total = _actor_terms(actor, issues)
        weights[a] = [float(w / total) for w in wf]
    labels = tuple(tuple(issue.labels()) for issue in issues)
    scores = []
    for i, issue in enumerate(issues):
        table = np.zeros((n_a, len(labels[i])))
        for a, actor in enumerate(actors):
            pref = actor.preferences.get(issue.id)
            if pref is None:
                continue  # weight 0: validation ensures it
            if issue.is_numeric:
                lo, hi = issue.range  # type: ignore[misc]
                grid = np.asarray(labels[i], dtype=float)
                table[a] = 100.0 * (1.0 - np.abs(grid - pref.ideal) / (hi - lo))  # type: ignore[union-attr]
            else:
                table[a] = [pref[o] for o in labels[i]]  # type: ignore[index]
        scores.append(table)
    keys = sorted({_pair_key(issues, *t.issues)[:2] for a in actors for t in a.interactions})
    pair_index = {k: n for n, k in enumerate(keys)}
    shapes = [(len(labels[i]), len(labels[j])) for i, j in keys]
    scale = np.zeros(n_a)
    exact = np.zeros(n_a, dtype=bool)
    units = [np.zeros((n_a, len(labels[i]))) for i in range(n_i)]
    pair_units = [np.zeros((n_a, *shape)) for shape in shapes]
    context = (tuple(i.model_dump_json() for i in issues), tuple(keys))
    for a, actor in enumerate(actors):
        key = (context, actor.model_dump_json(include={"salience", "preferences",
                                                       "interactions"}))
        cached = _UNITS_CACHE.get(key)
        if cached is None:
            cached = _actor_units(actor, issues, pair_index, shapes, scores, a, weights)
            with _UNITS_LOCK:  # the web app compiles in several threads
                while len(_UNITS_CACHE) >= _UNITS_CACHE_SIZE:
                    _UNITS_CACHE.pop(next(iter(_UNITS_CACHE)))
                _UNITS_CACHE[key] = cached
        scale[a], rows, prs, exact[a] = cached
        for i in range(n_i):
            units[i][a] = rows[i]
        for k in range(len(keys)):
            pair_units[k][a] = prs[k]
    contributions = [u / scale[:, None] for u in units]
    batna = np.array([a.batna for a in actors], dtype=float)
    veto = np.array([a.has_veto for a in actors], dtype=bool)
    capability = np.array([a.capability for a in actors], dtype=float)
    for arr in (weights, batna, veto, capability, scale, exact, *scores, *units, *contributions,
                *pair_units):
        arr.setflags(write=False)
    return Space(
        scenario=scenario,
        actor_ids=tuple(a.id for a in actors),
        issue_ids=tuple(i.id for i in issues),
        labels=labels,
        weights=weights,
        scores=tuple(scores),
        contributions=tuple(contributions),
        units=tuple(units),
        scale=scale,
        exact=exact,
        batna=batna,
        veto=veto,
        roles=tuple(a.role for a in actors),
        capability=capability,
        pairs=tuple((i, j, u) for (i, j), u in zip(keys, pair_units, strict=True)),
    )


def sample_deals(space: Space, limit: int, seed: int | None = 0) -> tuple[np.ndarray, bool]:
    """Deals as option indices (m, n_issues) and whether they are a sample: every deal, in
    lexicographic order, when the space holds at most `limit`; else `limit` distinct deals
    drawn uniformly without replacement with `numpy.random.default_rng(seed)`, in
    lexicographic order (the one sampling rule of the plots, the report and the web app).
    Beyond 2**62 deals the options are drawn independently per issue and repeats dropped,
    so a sample may (with probability below limit^2 / 2^63) hold fewer than `limit` deals.
    Cost O(m * n_issues) time and memory.
    """
    sizes = space.n_options
    total = space.outcomes
    if total <= limit:
        return np.indices(sizes).reshape(len(sizes), -1).T.astype(np.int64), False
    rng = np.random.default_rng(seed)
    if total < 2**62:
        flat = np.sort(rng.choice(total, size=limit, replace=False))
        return np.stack(np.unravel_index(flat, sizes), axis=1).astype(np.int64), True
    # beyond int64: independent options per issue (a repeat has probability < limit^2/2^63)
    deals = np.stack([rng.integers(0, n, size=limit) for n in sizes], axis=1)
    return np.unique(deals, axis=0), True


def iter_deal_blocks(space: Space, actors: Sequence[int], block: int = 1 << 20
                     ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Enumerate the whole outcome space in blocks: yields (deals, units) with deals
    (b, n_issues) option indices in lexicographic order and exact utility units
    (b, len(actors)).

    The last issues are enumerated once as a `tail` table; the leading issues are walked in
    blocks of whole tails, so memory stays near `block` rows. Cost O(outcomes * (issues +
    actors)). This is the fallback and the test oracle; the structured algorithms avoid it.
    """
    actors = list(actors)
    if not space.additive:
        yield from _iter_blocks_general(space, actors, block)
        return
    n_opts = space.n_options
    n = len(n_opts)
    # choose the tail: the longest suffix whose size stays within `block`
    t = n
    size = 1
    while t > 0 and size * n_opts[t - 1] <= block:
        t -= 1
        size *= n_opts[t]
    tail_deals, tail_u = _product(space, actors, range(t, n))
    head_sizes = n_opts[:t]
    heads = math.prod(head_sizes)
    per = max(1, block // max(1, len(tail_u)))
    for start in range(0, heads, per):
        stop = min(heads, start + per)
        lin = np.arange(start, stop)
        head_deals = np.zeros((len(lin), t), dtype=np.int32)
        rem = lin.copy()
        for i in range(t - 1, -1, -1):
            head_deals[:, i] = rem % head_sizes[i]
            rem //= head_sizes[i]
        head_u = np.zeros((len(lin), len(actors)))
        for i in range(t):
            head_u += space.units[i][actors, :][:, head_deals[:, i]].T
        deals = np.concatenate(
            [np.repeat(head_deals, len(tail_deals), axis=0), np.tile(tail_deals, (len(lin), 1))],
            axis=1,
        )
        u = (head_u[:, None, :] + tail_u[None, :, :]).reshape(-1, len(actors))
        yield deals, u


def _iter_blocks_general(space: Space, actors: list[int], block: int
                         ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Blocks of the whole outcome space for non-additive utilities: decode each block of
    linear indices and evaluate it in full."""
    sizes = space.n_options
    for start in range(0, space.outcomes, block):
        lin = np.arange(start, min(space.outcomes, start + block), dtype=np.int64)
        deals = np.zeros((len(lin), len(sizes)), dtype=np.int32)
        for i in range(len(sizes) - 1, -1, -1):
            deals[:, i] = lin % sizes[i]
            lin //= sizes[i]
        yield deals, space.utility_units(deals, actors)


def _product(space: Space, actors: list[int], issues: range) -> tuple[np.ndarray, np.ndarray]:
    deals = np.zeros((1, 0), dtype=np.int32)
    u = np.zeros((1, len(actors)))
    for i in issues:
        k = space.n_options[i]
        c = space.units[i][actors, :].T  # (k, actors)
        deals = np.concatenate([np.repeat(deals, k, axis=0),
                                np.tile(np.arange(k, dtype=np.int32), len(deals))[:, None]],
                               axis=1)
        u = (u[:, None, :] + c[None, :, :]).reshape(-1, len(actors))
    return deals, u
