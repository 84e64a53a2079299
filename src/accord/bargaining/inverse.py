"""Inverse questions: what would have to change for a deal to become acceptable, or for a
ZOPA to open at all.

Three questions, each answered exactly in rational arithmetic (`fractions.Fraction`) from
the compiled units of `accord.space` and the numbers as typed in the scenario:

* `batna_to_accept(space, deal, actor)`: how far the actor's BATNA must fall for it to
  accept the deal: max(0, batna_a - U_a(deal)).
* `weight_to_accept(space, deal, actor, issue)`: the smallest change of the actor's raw
  salience weight on one issue (the number typed in the scenario, before normalisation)
  that makes U_a(deal) >= batna_a; None when no value of that weight can.
* `batna_drop_for_zopa(space, parties)`: the smallest uniform drop of every party's BATNA
  that opens a ZOPA, -max over deals of min_p (U_p - batna_p) (0 when it is open), and, for
  each party, the smallest drop of its BATNA alone (the others' fixed) that opens it.

The weight question is a one-dimensional rational inequality. With raw issue weights w_j,
interaction weights v_k, total W = sum w + sum v, scores s_j in [0, 1] (score / 100) and
r_k for the interaction terms,

    U(w) = (N + w * s) / (B + w),   N = U * W - w_i * s_i,   B = W - w_i,

where w is the new weight of issue i and s = s_i(deal_i) / 100. Because B + w > 0,
U(w) >= b  <=>  w * (s - b) >= b * B - N =: R, a linear inequality in w:

* s > b: every w >= R / (s - b) (and w >= 0) works;
* s < b: every 0 <= w <= R / (s - b) works, none when that bound is negative;
* s = b: all w when R <= 0, none otherwise.

U is monotone in w, so the answer is the point of that interval nearest the current weight
(0 when it already holds); the new weight makes U = b exactly whenever it moves. If every
other weight is zero (B = 0), U = s for any positive w and the weight cannot help. With
interaction terms the same formula holds (they sit in N and B). Acceptance here is exact,
U >= b; `Space.accepts` (used for `accepted`) allows a 1e-9 tolerance, so a difference
smaller than that may be reported as a tiny change for an actor that already accepts.

Exactness: an actor in the fallback mode of `accord.space` (`Space.exact[a]` false) has its
utilities on a 2**-40 grid; its answers are exact for those grid values.
Cost: O(issues) per question for the first two. The third is, for additive utilities,
1 + 2 * parties exact searches (`accord.bargaining.search`: exponential in the worst case,
fast in practice); with interaction terms, or when a frontier F is passed, O(|F| * parties)
on the Pareto frontier (see `accord.bargaining.pareto`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..budget import Budget, check
from ..errors import InputError, Problem, at
from ..results import DealPoint, _r, deal_point
from ..space import Space, _actor_terms, _score_fractions, typed_fraction
from .pareto import Frontier, pareto_frontier
from .proposals import proposal_index
from .questions import DirectZopa, Gains


def _q(x: Fraction | None) -> str | None:
    """A Fraction as text ('3/40'), for the exact fields of `to_dict`."""
    return None if x is None else str(x)


def _f(x: Fraction | None) -> float | None:
    return None if x is None else _r(float(x))


def deal_indices(space: Space, deal: Mapping[str, object] | Sequence[int],
                 where: str = "deal") -> tuple[int, ...]:
    """Option indices of a deal given as {issue: option} or as option indices."""
    if isinstance(deal, Mapping):
        return space.deal_index(deal, where)
    index = tuple(int(x) for x in deal)
    if len(index) != space.n_issues or any(
            not 0 <= o < n for o, n in zip(index, space.n_options, strict=True)):
        raise InputError(at(where, [Problem(where, f"a deal needs one option index per issue "
                                                   f"({space.n_issues} issues), got "
                                                   f"{list(index)}")]))
    return index


def exact_utilities(space: Space, index: Sequence[int], actors: Sequence[int]
                    ) -> list[Fraction]:
    """Exact utilities (Fractions) of one deal for `actors`, from the compiled units."""
    units = space.utility_units(np.asarray(index, dtype=np.int64)[None, :], list(actors))[0]
    out = []
    for k, a in enumerate(actors):
        if space.exact[a]:
            out.append(Fraction(int(units[k]), int(space.scale[a])))
        else:  # the grid value itself, exactly
            out.append(Fraction(float(units[k])) / Fraction(float(space.scale[a])))
    return out


def exact_batna(space: Space, actor: int) -> Fraction:
    """The BATNA as the decimal typed in the scenario."""
    return typed_fraction(space.batna[actor])


def _actor(space: Space, actor: str | int, where: str = "actors") -> int:
    if isinstance(actor, str):
        return space.actor_index(actor, where)
    if not 0 <= int(actor) < space.n_actors:
        raise InputError(at(where, [Problem(where, f"no actor {actor}")]))
    return int(actor)


# ---------------------------------------------------------------------------------------
# BATNA of one actor


@dataclass(frozen=True)
class BatnaChange:
    """How far an actor's BATNA must fall for it to accept a deal (0 when it does)."""

    actor: str
    utility: Fraction
    batna: Fraction
    accepted: bool

    @property
    def drop(self) -> Fraction:
        return max(Fraction(0), self.batna - self.utility)

    @property
    def new_batna(self) -> Fraction:
        return self.batna - self.drop

    def to_dict(self) -> dict:
        return {"actor": self.actor, "utility": _f(self.utility), "batna": _f(self.batna),
                "accepted": self.accepted, "drop": _f(self.drop), "drop_exact": _q(self.drop),
                "new_batna": _f(self.new_batna)}


def batna_to_accept(space: Space, deal: Mapping[str, object] | Sequence[int],
                    actor: str | int) -> BatnaChange:
    """The BATNA drop that makes `actor` accept `deal` (exact; see the module doc):
    max(0, batna_a - U_a(deal)). `deal` is {issue: option} or option indices. Cost O(issues).

    References: the BATNA of Fisher, R. and Ury, W. (1981) *Getting to Yes*, Houghton
    Mifflin (a book, no DOI).
    """
    a = _actor(space, actor)
    index = deal_indices(space, deal)
    u = exact_utilities(space, index, [a])[0]
    units = space.utility_units(np.asarray(index)[None, :], [a])[0]
    return BatnaChange(space.actor_ids[a], u, exact_batna(space, a),
                       bool(space.accepts(units, [a])[0]))


# ---------------------------------------------------------------------------------------
# Salience weight of one issue


@dataclass(frozen=True)
class WeightChange:
    """The smallest change of one raw salience weight that makes an actor accept a deal.

    `weight` and `new_weight` are raw weights as typed (before normalisation); `total` is
    the sum of the actor's raw weights (issues and interactions) before the change.

    References: as `weight_to_accept` (Triantaphyllou & Sanchez 1997).
    """

    actor: str
    issue: str
    weight: Fraction
    new_weight: Fraction
    total: Fraction
    utility: Fraction
    new_utility: Fraction
    batna: Fraction

    @property
    def change(self) -> Fraction:
        return self.new_weight - self.weight

    @property
    def share(self) -> Fraction:
        """The issue's normalised weight before the change."""
        return self.weight / self.total

    @property
    def new_share(self) -> Fraction:
        """The issue's normalised weight after the change."""
        return self.new_weight / (self.total - self.weight + self.new_weight)

    def to_dict(self) -> dict:
        return {"actor": self.actor, "issue": self.issue, "possible": True,
                "weight": _f(self.weight), "new_weight": _f(self.new_weight),
                "change": _f(self.change), "change_exact": _q(self.change),
                "new_weight_exact": _q(self.new_weight),
                "share": _f(self.share), "new_share": _f(self.new_share),
                "utility": _f(self.utility), "new_utility": _f(self.new_utility),
                "batna": _f(self.batna)}


def _issue(space: Space, issue: str | int, where: str = "issue") -> int:
    if isinstance(issue, str):
        try:
            return space.issue_ids.index(issue)
        except ValueError:
            raise InputError(at(where, [Problem(where, f"unknown issue '{issue}' (issues: "
                                                       f"{', '.join(space.issue_ids)})")])
                             ) from None
    if not 0 <= int(issue) < space.n_issues:
        raise InputError(at(where, [Problem(where, f"no issue {issue}")]))
    return int(issue)


def _score(space: Space, a: int, i: int, option: int) -> Fraction:
    """Score / 100 of `option` on issue i for actor a, as typed (exact)."""
    scenario = space.scenario
    fr = _score_fractions(scenario.actors[a], scenario.issues[i])
    if fr is None:  # a numeric issue with a very fine grid: the float score, exactly
        return Fraction(float(space.scores[i][a, option])) / 100
    return fr[option] / 100


def weight_to_accept(space: Space, deal: Mapping[str, object] | Sequence[int],
                     actor: str | int, issue: str | int) -> WeightChange | None:
    """The smallest change of `actor`'s raw salience weight on `issue` that makes
    U_actor(deal) >= its BATNA, exactly; None when no non-negative weight does (see the
    module doc for the inequality). A change of 0 means it already accepts. Cost O(issues).

    The smallest change of one weight of an additive value model that changes a verdict,
    as in Triantaphyllou, E. and Sanchez, A. (1997) "A sensitivity analysis approach for
    some deterministic multi-criteria decision-making methods", Decision Sciences
    28(1):151-194, doi:10.1111/j.1540-5915.1997.tb01306.x.
    """
    a = _actor(space, actor)
    i = _issue(space, issue)
    index = deal_indices(space, deal)
    wf, _, total = _actor_terms(space.scenario.actors[a], list(space.scenario.issues))
    w0 = wf[i]
    u = exact_utilities(space, index, [a])[0]
    b = exact_batna(space, a)
    s = _score(space, a, i, index[i])
    rest = total - w0  # B
    num = u * total - w0 * s  # N

    def answer(w: Fraction) -> WeightChange:
        new_u = (num + w * s) / (rest + w)
        return WeightChange(space.actor_ids[a], space.issue_ids[i], w0, w, total, u, new_u,
                            b)

    if u >= b:
        return answer(w0)
    if rest == 0:  # U = s for every positive weight
        return None
    r = b * rest - num
    if s > b:
        return answer(max(Fraction(0), r / (s - b)))
    if s < b:
        bound = r / (s - b)
        return answer(bound) if bound >= 0 else None
    return None  # s == b and R > 0: U < b for every weight


# ---------------------------------------------------------------------------------------
# Opening a ZOPA


@dataclass(frozen=True)
class ZopaDrop:
    """How far BATNAs must fall for a ZOPA to open.

    `uniform` is the drop of every party's BATNA (0 when the ZOPA is open), reached at
    `closest`, the deal with the largest smallest gain `best_min_gain` (then the larger sum
    of gains, then the lowest option indices). `alone[p]`
    is the drop of party p's BATNA alone, the others' fixed (None when no deal is acceptable
    to the others, so no drop of p's alone can open it), reached at `alone_deal[p]`.

    References: as `batna_drop_for_zopa`.
    """

    parties: tuple[str, ...]
    exists: bool
    best_min_gain: Fraction
    closest: DealPoint
    alone: dict[str, Fraction | None]
    alone_deal: dict[str, DealPoint | None]

    @property
    def uniform(self) -> Fraction:
        return max(Fraction(0), -self.best_min_gain)

    def to_dict(self) -> dict:
        return {
            "parties": list(self.parties),
            "exists": self.exists,
            "best_min_gain": _f(self.best_min_gain),
            "uniform_drop": _f(self.uniform),
            "uniform_drop_exact": _q(self.uniform),
            "closest": self.closest.to_dict(),
            "alone": {p: {"drop": _f(v), "drop_exact": _q(v),
                          "deal": None if (d := self.alone_deal[p]) is None else d.to_dict()}
                      for p, v in self.alone.items()},
        }


def batna_drop_for_zopa(space: Space, parties: Sequence[str] | Sequence[int] | None = None,
                        frontier: Frontier | None = None, *, questions: Gains | None = None,
                        zopa: DirectZopa | None = None, budget: Budget | None = None
                        ) -> ZopaDrop:
    """The smallest BATNA drops that open a ZOPA for `parties` (default: the veto actors):
    uniform, and for each party alone (see `ZopaDrop`).

    Tie rule for the deals reported: the largest smallest gain (for `alone[p]`: the largest
    gain of p), then the larger sum of gains, then the lowest option indices. Such a deal is
    Pareto-optimal (a deal that dominates it would be as good on the first criterion and
    better on the sum), so the frontier holds it.

    Without a `frontier`, searchable scenarios are answered by direct exact searches
    (`accord.bargaining.questions`; `questions` may carry the compiled parties, `zopa`
    their `zopa_direct` answer, `budget` bounds the time): the uniform drop is minus the
    largest smallest gain (`zopa_direct`), and p's drop alone comes from the largest
    utility of p among the deals every other party accepts. With a `frontier` (or
    interaction terms) both optima are read from the frontier, cost O(|F| * parties).
    The values are the exact gains of the deals found.

    Cost of the direct way: 1 + 2 * parties exact searches (exponential in the worst case).
    References: the zone of agreement of Raiffa, H. (1982) *The Art and Science of
    Negotiation*, Belknap Press of Harvard University Press (a book, no DOI); the searches:
    Land and Doig (1960), Econometrica 28(3):497-520, doi:10.2307/1910129.
    """
    if frontier is None and space.searchable:
        return _zopa_drop_direct(space, parties, questions, zopa, budget)
    f = frontier if frontier is not None else pareto_frontier(space, parties, budget=budget)
    idx = list(f.actors)
    ids = tuple(space.actor_ids[a] for a in idx)
    gains = f.utilities - space.batna[idx]
    sums = gains.sum(axis=1)
    batna = [exact_batna(space, a) for a in idx]

    def exact_gains(r: int) -> list[Fraction]:
        u = exact_utilities(space, f.deals[r], idx)
        return [x - b for x, b in zip(u, batna, strict=True)]

    def first_best(rows: np.ndarray, crit: np.ndarray) -> int:
        """Of `rows`, the best by `crit`, then by the sum of gains, then the first."""
        top = rows[crit >= crit.max() - 1e-12]
        s = sums[top]
        return int(top[np.flatnonzero(s >= s.max() - 1e-12 * max(1.0, abs(s.max())))[0]])

    mins = gains.min(axis=1)
    row = first_best(np.arange(len(f)), mins)
    best = min(exact_gains(row))
    accepts = space.accepts(f.units, f.actors)
    alone: dict[str, Fraction | None] = {}
    alone_deal: dict[str, DealPoint | None] = {}
    for k, p in enumerate(ids):
        others = np.delete(accepts, k, axis=1).all(axis=1)
        rows = np.flatnonzero(others)
        if not len(rows):
            alone[p], alone_deal[p] = None, None
            continue
        r = first_best(rows, gains[rows, k])
        alone[p] = max(Fraction(0), -exact_gains(r)[k])
        alone_deal[p] = deal_point(space, f.deals[r], idx)
    return ZopaDrop(ids, bool(accepts.all(axis=1).any()), best,
                    deal_point(space, f.deals[row], idx), alone, alone_deal)


def _zopa_drop_direct(space: Space, parties: Sequence[str] | Sequence[int] | None,
                      questions: Gains | None, zopa: DirectZopa | None,
                      budget: Budget | None) -> ZopaDrop:
    """`batna_drop_for_zopa` by direct searches (`Space.searchable`): one for the ZOPA
    (two stages) and, per party, one for its best utility among the deals the others
    accept and one for the larger sum of gains among those that reach it."""
    from .questions import prepare, zopa_direct
    from .search import Objective, search

    check(budget, what="BATNA drops that open a ZOPA")
    g = questions if questions is not None else prepare(space, parties)
    idx = list(g.model.parties)
    ids = tuple(space.actor_ids[a] for a in idx)
    dz = zopa if zopa is not None else zopa_direct(g, budget)
    alone: dict[str, Fraction | None] = {}
    alone_deal: dict[str, DealPoint | None] = {}
    for k, p in enumerate(ids):
        lower: list[int | None] = list(g.T)
        lower[k] = None
        obj = Objective("linear", (k,), (1 / g.K[k],))
        r1 = search(g.model, obj, lower, lex=False, start=dz.deal, budget=budget)
        if r1 is None:
            alone[p], alone_deal[p] = None, None
            continue
        lower[k] = int(r1.units[k])
        r2 = search(g.model, g.sum_gain(), lower, start=r1.deal, budget=budget)
        assert r2 is not None
        alone[p] = max(Fraction(0), g.D[k] - r1.value)
        alone_deal[p] = deal_point(space, r2.deal, idx)
    return ZopaDrop(ids, dz.exists, dz.best_min_gain, deal_point(space, dz.deal, idx), alone,
                    alone_deal)


# ---------------------------------------------------------------------------------------
# All inverse questions about one deal


@dataclass(frozen=True)
class ActorInverse:
    """For one actor and one deal: its BATNA change and, per issue, its weight change
    (None: no value of that weight makes it accept). References: as `batna_to_accept` and
    `weight_to_accept`."""

    batna: BatnaChange
    weights: dict[str, WeightChange | None]

    def to_dict(self) -> dict:
        return {**self.batna.to_dict(),
                "weights": {i: ({"possible": False} if w is None else w.to_dict())
                            for i, w in self.weights.items()}}


@dataclass(frozen=True)
class InverseReport:
    """The inverse questions for one deal: per actor, and the ZOPA drop of the parties.
    References: as `inverse_report`."""

    scenario_id: str
    proposal: str | None
    deal: dict[str, str | float]
    actors: tuple[ActorInverse, ...]
    zopa: ZopaDrop

    def to_dict(self) -> dict:
        return {"scenario": self.scenario_id, "proposal": self.proposal,
                "deal": dict(self.deal), "actors": [a.to_dict() for a in self.actors],
                "zopa": self.zopa.to_dict()}


def inverse_report(space: Space, deal: Mapping[str, object] | Sequence[int] | str,
                   actors: Sequence[str] | Sequence[int] | None = None,
                   parties: Sequence[str] | Sequence[int] | None = None,
                   frontier: Frontier | None = None,
                   budget: Budget | None = None) -> InverseReport:
    """Every inverse question for `deal` (a proposal id, {issue: option} or option indices):
    the BATNA and weight changes for `actors` (default: the parties) and the BATNA drops that
    open a ZOPA for `parties` (default: the veto actors). Without a `frontier`, searchable
    scenarios are answered by direct searches (see `batna_drop_for_zopa`); `budget` bounds
    the time.

    Cost: O(actors * issues^2) for the BATNA and weight changes, plus `batna_drop_for_zopa`.
    References: those of `batna_to_accept` (Fisher & Ury 1981), `weight_to_accept`
    (Triantaphyllou & Sanchez 1997, doi:10.1111/j.1540-5915.1997.tb01306.x) and
    `batna_drop_for_zopa` (Raiffa 1982).
    """
    proposal = None
    if isinstance(deal, str):
        proposal = deal
        index = proposal_index(space, deal)
    else:
        index = deal_indices(space, deal)
    if frontier is None and space.searchable:
        drop = batna_drop_for_zopa(space, parties, budget=budget)
    else:
        f = frontier if frontier is not None else pareto_frontier(space, parties,
                                                                  budget=budget)
        drop = batna_drop_for_zopa(space, frontier=f)
    party_idx = [space.actor_index(p) for p in drop.parties]
    who = party_idx if actors is None else [_actor(space, a) for a in actors]
    rows = tuple(ActorInverse(batna_to_accept(space, index, a),
                              {space.issue_ids[i]: weight_to_accept(space, index, a, i)
                               for i in range(space.n_issues)}) for a in who)
    return InverseReport(space.scenario.id, proposal, space.deal_mapping(index), rows, drop)
