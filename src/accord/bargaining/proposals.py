"""How a proposal scores: every actor's utility and gain, who accepts it, whether it is an
agreement and Pareto-optimal, and the post-settlement improvement when it is not.

Raiffa (1985) proposed that after a deal is reached a neutral analyst look for a Pareto
improvement that every side may veto. Here: among deals that dominate the proposal for
the parties, the one with the largest smallest gain over the proposal (ties: larger sum of
gains, then the lowest option indices); and the same among the deals every party accepts
(the best improvement inside the ZOPA). Found directly by exact search
(`accord.bargaining.questions.improvement_direct`), or read off a frontier F when one is
given (O(|F| * parties)); both give the same deal.

Raiffa, H. (1985) Post-settlement settlements. Negotiation Journal 1(1):9-12.
doi:10.1111/j.1571-9979.1985.tb00286.x
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..budget import Budget
from ..results import DealPoint, _r, deal_point
from ..space import ACCEPT_TOL, Space
from .pareto import Frontier, dominating, pareto_frontier
from .questions import Gains, improvement_direct, prepare

_TIE = 1e-12


@dataclass(frozen=True)
class ActorScore:
    """One actor's view of a deal: its utility, BATNA, gain over it (utility minus BATNA),
    and whether it accepts (decided on exact units)."""

    id: str
    role: str
    veto: bool
    utility: float
    batna: float
    gain: float
    accepts: bool

    def to_dict(self) -> dict:
        return {"id": self.id, "role": self.role, "veto": self.veto, "utility": self.utility,
                "batna": self.batna, "gain": self.gain, "accepts": self.accepts}


@dataclass(frozen=True)
class Evaluation:
    """A proposal (or any deal) scored for every actor (`actors`, in scenario order).

    `improvement` and `improvement_in_zopa` are Raiffa's post-settlement improvements
    (Raiffa 1985, Negotiation Journal 1(1):9-12, doi:10.1111/j.1571-9979.1985.tb00286.x);
    see `evaluate`.
    """

    id: str | None
    title: str | None
    point: DealPoint
    accepted_by: tuple[str, ...]
    rejected_by: tuple[str, ...]
    agreement: bool
    win_win: bool
    pareto_optimal: bool
    improvement: DealPoint | None
    vetoed_by: tuple[str, ...]
    improvement_in_zopa: DealPoint | None = None
    actors: tuple[ActorScore, ...] = ()

    @property
    def short(self) -> dict[str, float]:
        """{actor: how far its utility falls short of its BATNA} for every actor that
        rejects the deal."""
        return {a.id: -a.gain for a in self.actors if not a.accepts}

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "deal": dict(self.point.deal),
            "utilities": dict(self.point.utilities),
            "gains": dict(self.point.gains),
            "accepted_by": list(self.accepted_by),
            "rejected_by": list(self.rejected_by),
            "vetoed_by": list(self.vetoed_by),
            "agreement": self.agreement,
            "win_win": self.win_win,
            "pareto_optimal": self.pareto_optimal,
            "improvement": None if self.improvement is None else self.improvement.to_dict(),
            "improvement_in_zopa": None if self.improvement_in_zopa is None
            else self.improvement_in_zopa.to_dict(),
            "parties": list(self.point.gains),
            "actors": [a.to_dict() for a in self.actors],
        }


def evaluate(space: Space, deal: Sequence[int],
             parties: Sequence[str] | Sequence[int] | None = None,
             frontier: Frontier | None = None, proposal_id: str | None = None,
             title: str | None = None, *, questions: Gains | None = None,
             budget: Budget | None = None) -> Evaluation:
    """Score the deal with option indices `deal` for every actor (see the module doc).

    `parties` (default: the veto actors) are whose gains are reported and whose
    dominance decides Pareto-optimality and the improvements; "agreement" always means
    every veto actor of the scenario accepts; "win-win" that every party strictly gains.
    Without a `frontier`, searchable scenarios (`Space.searchable`) are answered by direct
    search (`questions` may carry the compiled parties, to share between calls; `budget`
    bounds the time); others fall back to their frontier.

    Cost: O(issues * actors) for the scores; the two improvements cost two exact searches
    each (`improvement_direct`, exponential in the worst case) or, on a frontier F,
    O(|F| * parties) (plus `pareto_frontier` when it must be computed).

    References: Raiffa, H. (1985) "Post-settlement settlements", Negotiation Journal
    1(1):9-12, doi:10.1111/j.1571-9979.1985.tb00286.x.
    """
    index = np.asarray(deal, dtype=np.int64)
    units = space.utility_units(index[None, :])[0]
    u = space.to_utility(units)
    accepts = space.accepts(units)
    ids = space.actor_ids
    if frontier is None and space.searchable:
        g = questions if questions is not None else prepare(space, parties)
        idx = list(g.model.parties)
        best = improvement_direct(g, tuple(int(x) for x in index), budget=budget)
        in_zopa = improvement_direct(g, tuple(int(x) for x in index), within_zopa=True,
                                     budget=budget)
        improvement = None if best is None else deal_point(space, best, idx)
        improvement_z = None if in_zopa is None else deal_point(space, in_zopa, idx)
    else:
        f = frontier if frontier is not None else pareto_frontier(space, parties,
                                                                  budget=budget)
        idx = list(f.actors)
        better = dominating(f, units[idx])
        improvement = _best_over(space, f, better, u[idx], idx)
        inside = better[space.accepts(f.units[better], f.actors).all(axis=1)]
        improvement_z = _best_over(space, f, inside, u[idx], idx)
    point = deal_point(space, index, idx, u)
    gains = u[idx] - space.batna[idx]
    return Evaluation(
        id=proposal_id,
        title=title,
        point=point,
        accepted_by=tuple(ids[a] for a in range(space.n_actors) if accepts[a]),
        rejected_by=tuple(ids[a] for a in range(space.n_actors) if not accepts[a]),
        agreement=bool(accepts[space.veto].all()),
        win_win=bool((gains > ACCEPT_TOL).all()),
        pareto_optimal=improvement is None,
        improvement=improvement,
        vetoed_by=tuple(ids[a] for a in space.veto_indices if not accepts[a]),
        improvement_in_zopa=improvement_z,
        actors=tuple(ActorScore(a, space.roles[k], bool(space.veto[k]), _r(u[k]),
                                _r(space.batna[k]), _r(u[k] - space.batna[k]),
                                bool(accepts[k])) for k, a in enumerate(ids)),
    )


def _best_over(space: Space, f: Frontier, rows: np.ndarray, base: np.ndarray,
               idx: list[int]) -> DealPoint | None:
    """Of the frontier rows `rows`, the one with the largest smallest gain over `base`
    (then the larger sum, then the first row: the lowest option indices)."""
    if not len(rows):
        return None
    g = f.utilities[rows] - base
    mins, sums = g.min(axis=1), g.sum(axis=1)
    cand = np.flatnonzero(mins >= mins.max() - _TIE)
    cand = cand[sums[cand] >= sums[cand].max() - _TIE]
    return deal_point(space, f.deals[rows[cand[0]]], idx)


def evaluate_proposal(space: Space, proposal_id: str,
                      parties: Sequence[str] | Sequence[int] | None = None,
                      frontier: Frontier | None = None, *, questions: Gains | None = None,
                      budget: Budget | None = None) -> Evaluation:
    """Score a proposal of the scenario by its id (`InputError` when there is none).

    `evaluate` on the proposal's deal: same cost and references (Raiffa 1985).
    """
    index = proposal_index(space, proposal_id)  # InputError when there is no such proposal
    prop = space.scenario.proposal(proposal_id)
    return evaluate(space, index, parties, frontier, prop.id, prop.title,
                    questions=questions, budget=budget)


def proposal_index(space: Space, proposal_id: str) -> tuple[int, ...]:
    """Option indices of the scenario's proposal `proposal_id` (`InputError` when unknown)."""
    from ..errors import InputError, Problem

    scenario = space.scenario
    try:
        prop = scenario.proposal(proposal_id)
    except KeyError:
        known = ", ".join(p.id for p in scenario.proposals) or "none"
        raise InputError([Problem.of_parameter(
            "proposal", f"unknown proposal '{proposal_id}' (proposals: "
                        f"{known})")]) from None
    k = scenario.proposals.index(prop)
    return space.deal_index(prop.deal, where=f"proposals[{k}].deal")
