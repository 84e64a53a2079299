"""`analyze`: the whole bargaining picture of a scenario in one result.

Frontier, ZOPA, the four solutions and every proposal, all over one Pareto frontier that
is computed once. The result records the method and parameters used.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .bargaining.pareto import Frontier, pareto_frontier
from .bargaining.proposals import Evaluation, evaluate_proposal
from .bargaining.solutions import SOLUTION_NAMES, SolutionPoint, all_solutions
from .bargaining.zopa import COUNT_LIMIT, ZopaResult, zopa
from .errors import InputError, Problem
from .results import DealPoint, _r, deal_point, deal_points
from .space import Space


@dataclass(frozen=True)
class Analysis:
    """Everything `accord analyze` shows, ready to render."""

    scenario_id: str
    title: str
    parties: tuple[str, ...]
    actors: tuple[str, ...]
    roles: tuple[str, ...]
    outcomes: int
    batna: dict[str, float]
    zopa: ZopaResult
    closest: DealPoint | None
    frontier: list[DealPoint]
    solutions: dict[str, DealPoint | None]
    criteria: dict[str, float | None]
    proposals: list[Evaluation]
    method: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        z = self.zopa
        return {
            "scenario": self.scenario_id,
            "title": self.title,
            "parties": list(self.parties),
            "outcomes": self.outcomes,
            "batna": dict(self.batna),
            "zopa": {
                "exists": z.exists,
                "count": z.count,
                "frontier_count": z.frontier_count,
                "win_win": z.win_win,
                "shortfall": _r(z.shortfall),
                "closest": None if self.closest is None else self.closest.to_dict(),
            },
            "pareto": {"size": len(self.frontier),
                       "deals": [p.to_dict() for p in self.frontier]},
            "solutions": {
                name: None if p is None else {**p.to_dict(), "criterion": self.criteria[name]}
                for name, p in self.solutions.items()
            },
            "proposals": [e.to_dict() for e in self.proposals],
            "method": dict(self.method),
        }


def analyze(space: Space, parties: Sequence[str] | Sequence[int] | None = None,
            count_limit: int = COUNT_LIMIT, frontier: Frontier | None = None,
            nash_weights: Mapping[str, float] | None = None) -> Analysis:
    """Frontier, ZOPA, solutions and proposal evaluations for `parties` (default: veto actors).

    `nash_weights` ({party id: weight > 0}) makes the Nash solution the weighted
    (asymmetric) one; parties left out weigh 1.

    Cost: one frontier merge (see `pareto_frontier`), plus the ZOPA count by enumeration
    when the outcome space has at most `count_limit` deals.
    """
    t0 = time.perf_counter()
    f = frontier if frontier is not None else pareto_frontier(space, parties)
    idx = list(f.actors)
    z = zopa(space, frontier=f, count_limit=count_limit)
    weights = None
    if nash_weights:
        party_ids = [space.actor_ids[a] for a in idx]
        unknown = [a for a in nash_weights if a not in party_ids]
        bad = [a for a, w in nash_weights.items() if not w > 0]
        if unknown or bad:
            raise InputError([Problem("--nash-weights", f"'{a}' is not one of the parties "
                                                        f"({', '.join(party_ids)})")
                              for a in unknown]
                             + [Problem("--nash-weights", f"weight of '{a}' must be above 0")
                                for a in bad])
        weights = [float(nash_weights.get(a, 1.0)) for a in party_ids]
    sols: dict[str, SolutionPoint | None] = all_solutions(space, frontier=f,
                                                          nash_weights=weights)
    # frontier listed by the first party's utility, best first (a walk along the frontier)
    order = np.lexsort(tuple(-f.utilities[:, j] for j in range(len(idx) - 1, -1, -1)))
    frontier_points = deal_points(space, f.deals[order], idx)
    evaluations = [evaluate_proposal(space, p.id, frontier=f) for p in space.scenario.proposals]
    closest = None if z.exists else deal_point(space, f.deals[z.closest], idx)
    return Analysis(
        scenario_id=space.scenario.id,
        title=space.scenario.title,
        parties=tuple(space.actor_ids[a] for a in idx),
        actors=space.actor_ids,
        roles=space.roles,
        outcomes=space.outcomes,
        batna={a: _r(b) for a, b in zip(space.actor_ids, space.batna, strict=True)},
        zopa=z,
        closest=closest,
        frontier=frontier_points,
        solutions={n: None if s is None else deal_point(space, s.deal, idx)
                   for n, s in sols.items()},
        criteria={n: None if s is None else _r(s.criterion) for n, s in sols.items()},
        proposals=evaluations,
        method={
            "frontier": f.method,
            "zopa_count": "enumeration" if z.count is not None else f"skipped (> {count_limit})",
            "solutions": list(SOLUTION_NAMES),
            "disagreement_point": "batna",
            "nash_weights": None if weights is None else dict(zip(
                [space.actor_ids[a] for a in idx], weights, strict=True)),
            "seconds": round(time.perf_counter() - t0, 4),
        },
    )
