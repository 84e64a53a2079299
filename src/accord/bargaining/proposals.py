"""How a proposal scores: every actor's utility and gain, who accepts it, whether it is an
agreement and Pareto-optimal, and the post-settlement improvement when it is not.

Raiffa (1985) proposed that after a deal is reached a neutral analyst look for a Pareto
improvement that every side may veto. Here: among frontier deals that dominate the
proposal for the frontier's actors, the one with the largest smallest gain over the
proposal (ties: larger sum of gains, then the lowest option indices). Cost O(|F| * parties).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..results import DealPoint, deal_point
from ..space import ACCEPT_TOL, Space
from .pareto import Frontier, dominating, pareto_frontier

_TIE = 1e-12


@dataclass(frozen=True)
class Evaluation:
    """A proposal (or any deal) scored for every actor."""

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
        }


def evaluate(space: Space, deal: Sequence[int],
             parties: Sequence[str] | Sequence[int] | None = None,
             frontier: Frontier | None = None, proposal_id: str | None = None,
             title: str | None = None) -> Evaluation:
    """Score the deal with option indices `deal` for every actor (see the module doc).

    `parties` (default: the veto actors) are whose gains are reported and whose frontier
    decides Pareto-optimality and the improvement; "agreement" always means every veto
    actor of the scenario accepts; "win-win" that every party strictly gains.
    """
    f = frontier if frontier is not None else pareto_frontier(space, parties)
    idx = list(f.actors)
    index = np.asarray(deal, dtype=np.int64)
    units = space.utility_units(index[None, :])[0]
    u = space.to_utility(units)
    accepts = space.accepts(units)
    ids = space.actor_ids
    point = deal_point(space, index, idx, u)
    better = dominating(f, units[idx])
    improvement = None
    if len(better):
        g = f.utilities[better] - u[idx]
        mins, sums = g.min(axis=1), g.sum(axis=1)
        cand = np.flatnonzero(mins >= mins.max() - _TIE)
        cand = cand[sums[cand] >= sums[cand].max() - _TIE]
        improvement = deal_point(space, f.deals[better[cand[0]]], idx)
    gains = u[idx] - space.batna[idx]
    return Evaluation(
        id=proposal_id,
        title=title,
        point=point,
        accepted_by=tuple(ids[a] for a in range(space.n_actors) if accepts[a]),
        rejected_by=tuple(ids[a] for a in range(space.n_actors) if not accepts[a]),
        agreement=bool(accepts[space.veto].all()),
        win_win=bool((gains > ACCEPT_TOL).all()),
        pareto_optimal=not len(better),
        improvement=improvement,
        vetoed_by=tuple(ids[a] for a in space.veto_indices if not accepts[a]),
    )


def evaluate_proposal(space: Space, proposal_id: str,
                      parties: Sequence[str] | Sequence[int] | None = None,
                      frontier: Frontier | None = None) -> Evaluation:
    """Score a proposal of the scenario by its id (`InputError` when there is none)."""
    index = proposal_index(space, proposal_id)  # InputError when there is no such proposal
    prop = space.scenario.proposal(proposal_id)
    return evaluate(space, index, parties, frontier, prop.id, prop.title)


def proposal_index(space: Space, proposal_id: str) -> tuple[int, ...]:
    """Option indices of the scenario's proposal `proposal_id` (`InputError` when unknown)."""
    from ..errors import InputError, Problem

    scenario = space.scenario
    try:
        prop = scenario.proposal(proposal_id)
    except KeyError:
        known = ", ".join(p.id for p in scenario.proposals) or "none"
        raise InputError([Problem("--proposal", f"unknown proposal '{proposal_id}' (proposals: "
                                                f"{known})")]) from None
    k = scenario.proposals.index(prop)
    return space.deal_index(prop.deal, where=f"proposals[{k}].deal")
