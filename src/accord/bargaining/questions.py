"""Bargaining questions answered directly, for any number of parties, without the frontier.

Each function here states a question as one or two exact searches (`accord.bargaining.
search`): a first stage finds the best value of the criterion, a second finds, among the
deals that reach it, the one the tie rule prefers. The answers, the tie rules and the
result types are those of the frontier method (`accord.bargaining.zopa`,
`.solutions`, `.proposals`), which stays as the oracle in the tests. Gains are
g_a = u_a / K_a - d_a in exact rationals (units u, scale K, the BATNA d as typed).

* ZOPA and its nearest miss: max min_a g_a over all deals (stage 1: its sign decides
  whether a ZOPA exists, its value is the shortfall), then the larger sum of gains, then
  the lowest option indices (stage 2).
* Each party's best deal inside the ZOPA: max u_a subject to acceptance, then the larger
  sum of gains, then the lowest indices.
* Egalitarian: max min g_a in the ZOPA, then sum, then indices. Kalai-Smorodinsky: max
  min g_a / (a_a - d_a) over the parties whose best ZOPA utility a_a exceeds d_a, then
  sum, then indices. Utilitarian: max sum g_a, then min g_a, then indices. Nash: max
  prod g_a ** w_a over the same parties as Kalai-Smorodinsky, then sum, then indices.
* The best deal every party prefers to a proposal p (Raiffa's improvement, Raiffa 1985,
  doi:10.1111/j.1571-9979.1985.tb00286.x): max min_a (u_a - p_a) / K_a over deals with
  u >= p, then the sum, then indices; none when the sum cannot grow (p is Pareto-optimal).
  Optionally also inside the ZOPA.

Exact ties only: where the frontier method compares floats with a relative tolerance of
1e-12, these compare rationals, so the two agree except on criteria that differ by less
than that and are not equal. Gains inside the ZOPA are not clipped at zero (they can only
be negative by the acceptance tolerance `accord.space.ACCEPT_TOL`).
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..budget import Budget, BudgetExceeded
from ..space import ACCEPT_TOL, Space
from .search import (
    Model,
    Objective,
    Unproven,
    build_model,
    exact_batna,
    exact_threshold,
    search,
    unproven_text,
)
from .solutions import SolutionPoint

_TOL = Fraction(repr(ACCEPT_TOL))


@dataclass(frozen=True)
class Gains:
    """The parties of a question with their exact scales and BATNAs: gains
    g_a = u_a / K_a - D_a (`K` the scales, `D` the BATNAs as typed) and `T` the integer
    acceptance thresholds (u_a >= T_a), over the question model `model`."""

    model: Model
    K: tuple[Fraction, ...]
    D: tuple[Fraction, ...]
    T: tuple[int, ...]

    @property
    def n(self) -> int:
        return self.model.n

    def alpha(self) -> tuple[Fraction, ...]:
        return tuple(1 / k for k in self.K)

    def gains(self, units: Sequence[int]) -> list[Fraction]:
        return [Fraction(int(u)) / k - d for u, k, d in zip(units, self.K, self.D,
                                                           strict=True)]

    def min_gain(self) -> Objective:
        return Objective("minaff", tuple(range(self.n)), self.alpha(),
                         tuple(-d for d in self.D))

    def sum_gain(self) -> Objective:
        return Objective("linear", tuple(range(self.n)), self.alpha(), const=-sum(self.D))

    def floor_for(self, obj: Objective, value: Fraction) -> list[int | None]:
        """Integer lower bounds u_a >= ceil((value - beta_a) / alpha_a) for the terms of a
        max-min objective: its value is at least `value` exactly when they hold."""
        out: list[int | None] = [None] * self.n
        for t, al, be in zip(obj.terms, obj.alpha, obj.beta, strict=True):
            out[t] = _ceil((value - be) / al)
        return out


def _ceil(x: Fraction) -> int:
    return -((-x.numerator) // x.denominator)


def _merge(*bounds: Sequence[int | None]) -> list[int | None]:
    out: list[int | None] = []
    for vals in zip(*bounds, strict=True):
        got = [v for v in vals if v is not None]
        out.append(max(got) if got else None)
    return out


def prepare(space: Space, parties: Sequence[str] | Sequence[int] | None = None) -> Gains:
    """Compile the question model for `parties` (default: the veto actors).

    Cost: that of `accord.bargaining.search.build_model` (per issue, its options reduced to
    the Pareto-optimal ones).
    """
    idx = space.resolve_actors(parties)
    model = build_model(space, idx)
    return Gains(model, tuple(Fraction(int(k)) for k in space.scale[list(idx)]),
                 tuple(exact_batna(space, idx)), tuple(exact_threshold(space, idx)))


def _lexmax(g: Gains, first: Objective, lower: Sequence[int | None], budget: Budget | None,
            start: Sequence[int] | None = None, rows: Sequence = ()):
    """Stage 1: the best value of `first`; stage 2: among its optima, the larger sum of
    gains (or, when `first` is that sum, the larger smallest gain), then the lowest
    indices. Returns (stage-1 result, stage-2 result) or (None, None)."""
    r1 = search(g.model, first, lower, rows, lex=False, start=start, budget=budget)
    if r1 is None:
        return None, None
    try:
        return r1, _second(g, first, r1, lower, budget, rows)
    except BudgetExceeded as exc:  # the value is proven, the choice among its deals not
        v = first.exact_float(r1.value)
        found = Unproven(first.kind, v, r1.deal, v)
        raise exc.again(unproven_text(found), found) from None


def _second(g: Gains, first: Objective, r1, lower: Sequence[int | None],
            budget: Budget | None, rows: Sequence):
    """Stage 2 of `_lexmax`, among the deals that reach `r1`'s value."""
    if first.kind == "minaff":
        low2 = _merge(lower, g.floor_for(first, r1.value))
        return search(g.model, g.sum_gain(), low2, rows, start=r1.deal, budget=budget)
    # linear: keep its optimum as a row, then the smallest gain
    coef = [Fraction(0)] * g.n
    for t, al in zip(first.terms, first.alpha, strict=True):
        coef[t] += al
    row = (coef, r1.value - first.const)
    return search(g.model, g.min_gain(), lower, [*rows, row], start=r1.deal, budget=budget)


@dataclass(frozen=True)
class DirectZopa:
    """The ZOPA question answered directly (see the module doc). `deal` is the
    egalitarian deal when the ZOPA exists and the nearest miss when it does not.

    References: as `zopa_direct`.
    """

    exists: bool
    win_win: bool
    best_min_gain: Fraction
    deal: tuple[int, ...]
    units: tuple[int, ...]
    nodes: int

    @property
    def shortfall(self) -> float:
        return 0.0 if self.exists else float(-self.best_min_gain)


def zopa_direct(g: Gains, budget: Budget | None = None) -> DirectZopa:
    """Does a ZOPA exist; the largest smallest gain max_x min_a g_a(x) and the deal that
    reaches it (ties: the larger sum of gains, then the lowest indices).

    Cost: two exact searches (three when the answer lies within the acceptance tolerance),
    exponential in the worst case (see `accord.bargaining.search`).

    References: the zone of agreement of Raiffa, H. (1982) *The Art and Science of
    Negotiation*, Belknap Press of Harvard University Press (a book, no DOI); the search:
    Land, A. H. and Doig, A. G. (1960) "An automatic method of solving discrete programming
    problems", Econometrica 28(3):497-520, doi:10.2307/1910129.
    """
    r1, r2 = _lexmax(g, g.min_gain(), [None] * g.n, budget)
    assert r1 is not None and r2 is not None  # unconstrained: there is always a deal
    v = r1.value
    if v >= 0:
        exists = True
    elif v >= -2 * _TOL:  # within the acceptance tolerance: ask the question exactly
        exists = search(g.model, g.min_gain(), list(g.T), lex=False, budget=budget) is not None
    else:
        exists = False
    return DirectZopa(exists, v > _TOL, v, r2.deal, r2.units, r1.nodes + r2.nodes)


def best_for_each(g: Gains, start: Sequence[int] | None = None,
                  budget: Budget | None = None, deals: bool = True
                  ) -> list[tuple[Fraction, tuple[int, ...]]] | None:
    """Each party's best utility inside the ZOPA and the deal that gives it (then the
    larger sum of gains, then the lowest indices; with `deals` false, any deal that
    gives it); None when there is no ZOPA.

    These are the ideal point a of Kalai and Smorodinsky (1975), doi:10.2307/1914280.
    Cost: one exact search per party (two with `deals`), exponential in the worst case.
    """
    out = []
    for a in range(g.n):
        obj = Objective("linear", (a,), (1 / g.K[a],))
        r1 = search(g.model, obj, list(g.T), lex=False, start=start, budget=budget)
        if r1 is None:
            return None
        if not deals:
            out.append((r1.value, r1.deal))
            continue
        low = list(g.T)
        low[a] = max(low[a], int(r1.units[a]))
        r2 = search(g.model, g.sum_gain(), low, start=r1.deal, budget=budget)
        assert r2 is not None
        out.append((r1.value, r2.deal))
    return out


def solutions_direct(g: Gains, zopa: DirectZopa | None = None,
                     nash_weights: Sequence[float] | None = None,
                     best: list[tuple[Fraction, tuple[int, ...]]] | None = None,
                     budget: Budget | None = None) -> dict[str, SolutionPoint | None]:
    """Nash, Kalai-Smorodinsky, egalitarian and utilitarian deals (see the module doc),
    as `SolutionPoint`s like `accord.bargaining.solutions.all_solutions`.

    With a `budget`, Kalai-Smorodinsky (the hardest with many parties) may use half the
    time left, so that Nash is still answered when it runs out; a `BudgetExceeded` then
    says which solutions were proven and, for the one that was not, the best value found
    and the bound proven on its optimum.

    Cost: about ten exact searches (two per solution, plus the ideal point of
    `best_for_each`), each exponential in the worst case (see `accord.bargaining.search`).

    References: Nash, J. F. (1950) "The bargaining problem", Econometrica 18(2):155-162,
    doi:10.2307/1907266; Kalai, E. and Smorodinsky, M. (1975) "Other solutions to Nash's
    bargaining problem", Econometrica 43(3):513-518, doi:10.2307/1914280; Kalai, E. (1977)
    "Proportional solutions to bargaining situations", Econometrica 45(7):1623-1630,
    doi:10.2307/1913954 (egalitarian); Harsanyi, J. C. (1955) J. Political Economy
    63(4):309-321, doi:10.1086/257678 (utilitarian).
    """
    z = zopa if zopa is not None else zopa_direct(g, budget)
    names = ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian")
    if not z.exists:
        return dict.fromkeys(names)
    steps = _Steps(["utilitarian", "egalitarian", "Kalai-Smorodinsky", "Nash"])
    T = list(g.T)
    with steps.step("egalitarian"):
        if z.best_min_gain >= 0:
            egal = z.deal
        else:
            _, r2 = _lexmax(g, g.min_gain(), T, budget)
            egal = r2.deal  # type: ignore[union-attr]
    with steps.step("Kalai-Smorodinsky", mark=False):  # its ideal point (Nash's parties)
        best = best if best is not None else best_for_each(g, egal, budget, deals=False)
        assert best is not None
    span = [max(a - d, Fraction(0)) for (a, _), d in zip(best, g.D, strict=True)]
    live = tuple(a for a in range(g.n) if span[a] > 0)
    out: dict[str, SolutionPoint | None] = {}
    # utilitarian: the sum, then the smallest gain, then indices
    with steps.step("utilitarian"):
        _, r2 = _lexmax(g, g.sum_gain(), T, budget, start=egal)
    out["utilitarian"] = _point(g, "utilitarian", r2.deal, r2.units,  # type: ignore[union-attr]
                                lambda x: sum(x))
    out["egalitarian"] = _point(g, "egalitarian", egal, None, min)
    # Kalai-Smorodinsky over the parties that can gain in the ZOPA

    def kalai(b: Budget | None, start: Sequence[int]) -> tuple[int, ...]:
        if not live:
            return _max_sum(g, T, b, start)
        ks = Objective("minaff", live, tuple(1 / (g.K[a] * span[a]) for a in live),
                       tuple(-g.D[a] / span[a] for a in live))
        return _lexmax(g, ks, T, b, start=start)[1].deal  # type: ignore[union-attr]

    ks_deal = None
    with steps.step("Kalai-Smorodinsky", budget, share=0.5) as ks_budget:
        ks_deal = kalai(ks_budget, egal)
    # Nash over the same parties
    w = [Fraction(1)] * g.n if nash_weights is None else [Fraction(repr(float(x)))
                                                          for x in nash_weights]
    with steps.step("Nash", budget):
        nash_deal = None
        if live:
            obj = Objective("nash", live, tuple(1 / g.K[a] for a in live),
                            tuple(-g.D[a] for a in live), tuple(w[a] for a in live))
            r = search(g.model, obj, T, start=egal, keep_ties=True, budget=budget)
            if r is not None:
                top = max(r.ties, key=lambda u: (sum(g.gains(u)), _neg(r.ties[u])))
                nash_deal = r.ties[top]
        if nash_deal is None:  # nobody can gain, or no deal gives every such party a gain
            nash_deal = _max_sum(g, T, budget, egal)
    wl = [float(w[a]) for a in live]
    out["nash"] = _point(g, "nash", nash_deal, None,
                         lambda x: float(np.prod([max(float(x[a]), 0.0) ** e
                                                  for a, e in zip(live, wl, strict=True)]))
                         if live else 1.0)
    if ks_deal is None:  # its share ran out: again with all the time left, from its best
        with steps.step("Kalai-Smorodinsky", budget, retry=True):
            ks_deal = kalai(budget, steps.best_deal() or egal)
    out["kalai_smorodinsky"] = _point(
        g, "kalai_smorodinsky", ks_deal, None,
        lambda x: min((x[a] / span[a] for a in live), default=Fraction(1)))
    return {n: out[n] for n in names}


class _Steps:
    """The questions of one call, for the message of a stop: which were proven, which
    was stopped with what it had found, which were not reached. A step run on a `share`
    of the time that runs out while the whole budget has not is set aside (the steps
    after it run) and tried again with `retry`; a stop then reports the better of the two
    attempts' findings (`accord.bargaining.search.Unproven`)."""

    def __init__(self, names: Sequence[str]):
        self.todo = list(names)
        self.done: list[str] = []
        self.aside: BudgetExceeded | None = None

    def proven(self, name: str) -> None:
        if name in self.todo:
            self.todo.remove(name)
            self.done.append(name)

    def best_deal(self) -> tuple[int, ...] | None:
        found = None if self.aside is None else self.aside.partial
        return found.deal if isinstance(found, Unproven) else None

    @contextmanager
    def step(self, name: str, budget: Budget | None = None, share: float | None = None,
             retry: bool = False, mark: bool = True):
        """Run one step of question `name` (`mark`: its last; `share`: on that share of
        the time left; `retry`: a second attempt after one set aside)."""
        own = budget.share(share) if budget is not None and share is not None else budget
        try:
            yield own
        except BudgetExceeded as exc:
            if own is not budget and budget is not None and not budget.expired():
                self.aside = exc  # its share ran out: go on with the rest
                return
            found = exc.partial
            if retry and self.aside is not None:
                found = _better(self.aside.partial, found)
            if name in self.todo:
                self.todo.remove(name)
            raise exc.again(self.account(name, found, exc.done), found, budget) from None
        if mark:
            self.proven(name)

    def account(self, name: str, found: object, done: str) -> str:
        text = unproven_text(found) if isinstance(found, Unproven) else done
        parts = [f"{name} not proven: {text}" if text else f"{name} not proven"]
        if self.done:
            parts.insert(0, "proven: " + ", ".join(self.done))
        if self.todo:
            parts.append("not reached: " + ", ".join(self.todo))
        return "; ".join(parts)


def _better(a: object, b: object) -> object:
    """Two attempts' findings at one question: the better deal, the tighter bound."""
    if not (isinstance(a, Unproven) and isinstance(b, Unproven)) or a.kind != b.kind:
        return b
    first = max((u for u in (a, b) if u.value is not None), key=lambda u: u.value,
                default=b)
    bounds = [u.bound for u in (a, b) if u.bound is not None]
    return Unproven(b.kind, first.value, first.deal, min(bounds) if bounds else None)


def _neg(deal: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(-x for x in deal)


def _max_sum(g: Gains, lower: Sequence[int | None], budget: Budget | None,
             start: Sequence[int] | None) -> tuple[int, ...]:
    """The larger sum of gains, then the lowest indices (no other criterion)."""
    r = search(g.model, g.sum_gain(), lower, start=start, budget=budget)
    assert r is not None
    return r.deal


def _point(g: Gains, name: str, deal: tuple[int, ...], units: Sequence[int] | None,
           crit) -> SolutionPoint:
    space = g.model.space
    u = space.utility_units(np.asarray(deal)[None, :], g.model.parties)[0]
    gains = g.gains([int(x) for x in u])
    return SolutionPoint(name, tuple(int(x) for x in deal),
                         tuple(float(x) for x in space.to_utility(u, g.model.parties)),
                         float(crit(gains)))


def improvement_direct(g: Gains, deal: Sequence[int], within_zopa: bool = False,
                       budget: Budget | None = None) -> tuple[int, ...] | None:
    """The best deal every party weakly prefers to `deal` and one strictly (largest
    smallest gain over it, then the largest sum, then the lowest indices); with
    `within_zopa`, only among deals every party accepts. None when there is none.

    The criterion is max min_a (u_a - p_a) / K_a over the deals with u >= p (p the units of
    `deal`). Cost: two exact searches, exponential in the worst case.

    References: Raiffa, H. (1985) "Post-settlement settlements", Negotiation Journal
    1(1):9-12, doi:10.1111/j.1571-9979.1985.tb00286.x.
    """
    space = g.model.space
    p = [int(x) for x in space.utility_units(np.asarray(deal)[None, :], g.model.parties)[0]]
    lower: list[int | None] = list(p)
    if within_zopa:
        lower = _merge(lower, list(g.T))
    obj = Objective("minaff", tuple(range(g.n)), g.alpha(),
                    tuple(-Fraction(x) / k for x, k in zip(p, g.K, strict=True)))
    r1 = search(g.model, obj, lower, lex=False, start=deal, budget=budget)
    if r1 is None:
        return None
    low2 = _merge(lower, g.floor_for(obj, r1.value))
    gain = Objective("linear", tuple(range(g.n)), g.alpha(),
                     const=-sum(Fraction(x) / k for x, k in zip(p, g.K, strict=True)))
    r2 = search(g.model, gain, low2, start=r1.deal, budget=budget)
    if r2 is None or r2.value <= 0:
        return None
    return r2.deal
