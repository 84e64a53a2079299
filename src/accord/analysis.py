"""`analyze`: the whole bargaining picture of a scenario in one result.

The ZOPA, the four solutions and every proposal are answered directly and exactly for any
number of parties (`accord.bargaining.questions`, method "direct"), and the Pareto frontier
is listed up to a limit with its count (`accord.bargaining.listing`). Method "frontier"
reads every answer off one exact frontier instead: it is the oracle in the tests and the
method for scenarios with interaction terms. The result records the method and parameters.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .bargaining.listing import (
    FRONTIER_LIMIT,
    affordable_frontier,
    frontier_listing,
    list_frontier,
    sampled_listing,
)
from .bargaining.pareto import Frontier, pareto_frontier
from .bargaining.proposals import Evaluation, evaluate_proposal
from .bargaining.solutions import SOLUTION_NAMES, all_solutions
from .bargaining.zopa import COUNT_LIMIT, ZopaResult, count_acceptable, zopa
from .budget import Budget, BudgetExceeded
from .errors import InputError, Problem
from .results import DealPoint, _r, deal_point, deal_points
from .space import ACCEPT_TOL, Space

METHODS = ("auto", "direct", "frontier")


@dataclass(frozen=True)
class Analysis:
    """Everything `accord analyze` shows, ready to render. References: as `analyze`."""

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
    frontier_count: int | None = None
    frontier_lower_bound: int | None = None
    frontier_sampled: bool = False
    frontier_note: str = ""

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
            "pareto": {"size": self.frontier_count,
                       "listed": len(self.frontier),
                       "sampled": self.frontier_sampled,
                       "lower_bound": self.frontier_lower_bound,
                       "note": self.frontier_note,
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
            nash_weights: Mapping[str, float] | None = None, *, method: str = "auto",
            frontier_limit: int | None = FRONTIER_LIMIT,
            budget: Budget | None = None) -> Analysis:
    """ZOPA, solutions, proposal evaluations and the frontier listing for `parties`
    (default: veto actors).

    `nash_weights` ({party id: weight > 0}) makes the Nash solution the weighted
    (asymmetric) one; parties left out weigh 1. `method`: "direct" answers each question
    with an exact search (any number of parties), "frontier" reads them off the exact
    Pareto frontier (needs it to be computable), "auto" (default) reads them off the
    frontier when it is cheap to compute (`accord.bargaining.listing.
    affordable_frontier`), or when a `frontier` is given or the scenario has interaction
    terms, and answers directly otherwise. Both give the same answers. `frontier_limit` caps the
    frontier deals listed (None: all, which needs the whole frontier). `budget` bounds the
    time (`BudgetExceeded` past it).

    Cost: direct, a few exact searches per question (see `accord.bargaining.search`);
    frontier, one merge (see `pareto_frontier`); plus the ZOPA count by enumeration when
    the outcome space has at most `count_limit` deals.

    References: the solutions of Nash (1950) doi:10.2307/1907266, Kalai and Smorodinsky
    (1975) doi:10.2307/1914280, Kalai (1977) doi:10.2307/1913954 and Harsanyi (1955)
    doi:10.1086/257678; the proposals' improvements of Raiffa (1985)
    doi:10.1111/j.1571-9979.1985.tb00286.x; the methods: Land and Doig (1960)
    doi:10.2307/1910129 (direct) and Kung, Luccio and Preparata (1975)
    doi:10.1145/321906.321910 (frontier). Full citations in `accord.bargaining.solutions`,
    `.proposals`, `.search` and `.pareto`.
    """
    if method not in METHODS:
        raise InputError([Problem.of_parameter("method", f"unknown method '{method}' (methods: "
                                                         f"{', '.join(METHODS)})")])
    if frontier_limit is not None and frontier_limit < 1:
        raise InputError([Problem.of_parameter("frontier_limit", "must be at least 1")])
    t0 = time.perf_counter()
    idx = list(space.resolve_actors(parties) if frontier is None else frontier.actors)
    weights = _nash_weight_list(space, idx, nash_weights)
    reason, lower = "", None
    if method == "auto":
        if frontier is not None or not space.searchable:
            method = "frontier"
        else:  # a frontier that is cheap to compute answers everything at once
            frontier, reason, lower = affordable_frontier(space, idx, budget)
            method = "direct" if frontier is None else "frontier"
    if method == "direct":
        if not space.searchable:
            raise space.unsearchable("method", "frontier")
        z, closest_deal, sols, evaluations, listing = _direct(
            space, idx, weights, count_limit, frontier_limit, budget, reason, lower)
    else:
        f = frontier if frontier is not None else pareto_frontier(space, idx, budget=budget)
        z = zopa(space, frontier=f, count_limit=count_limit)
        sols = all_solutions(space, frontier=f, nash_weights=weights)
        evaluations = [evaluate_proposal(space, p.id, frontier=f)
                       for p in space.scenario.proposals]
        closest_deal = None if z.exists else f.deals[z.closest]
        listing = list_frontier(space, f, frontier_limit)
    frontier_points = _walk(space, listing.deals, idx)
    closest = None if closest_deal is None else deal_point(space, closest_deal, idx)
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
            "answers": method,
            "frontier": listing.method,
            "zopa_count": "enumeration" if z.count is not None else f"skipped (> {count_limit})",
            "solutions": list(SOLUTION_NAMES),
            "disagreement_point": "batna",
            "nash_weights": None if weights is None else dict(zip(
                [space.actor_ids[a] for a in idx], weights, strict=True)),
            "seconds": round(time.perf_counter() - t0, 4),
        },
        frontier_count=listing.count,
        frontier_lower_bound=listing.lower_bound,
        frontier_sampled=listing.sampled,
        frontier_note=listing.note,
    )


def _nash_weight_list(space: Space, idx: Sequence[int],
                      nash_weights: Mapping[str, float] | None) -> list[float] | None:
    """{party id: weight} -> one weight per party (1 for those left out), validated."""
    if not nash_weights:
        return None
    party_ids = [space.actor_ids[a] for a in idx]
    unknown = [a for a in nash_weights if a not in party_ids]
    bad = [a for a, w in nash_weights.items() if not w > 0]
    if unknown or bad:
        raise InputError([Problem.of_parameter("nash_weights", f"'{a}' is not one of the parties "
                                                               f"({', '.join(party_ids)})")
                          for a in unknown]
                         + [Problem.of_parameter("nash_weights", f"weight of '{a}' must be above 0")
                            for a in bad])
    return [float(nash_weights.get(a, 1.0)) for a in party_ids]


def _walk(space: Space, deals: np.ndarray, idx: Sequence[int]) -> list[DealPoint]:
    """Frontier deals by the first party's utility, best first (a walk along it)."""
    if not len(deals):
        return []
    u = space.utility_units(deals, idx)
    order = np.lexsort(tuple(-u[:, j] for j in range(len(idx) - 1, -1, -1)))
    return deal_points(space, deals[order], idx)


def _direct(space: Space, idx: list[int], weights: list[float] | None, count_limit: int,
            frontier_limit: int | None, budget: Budget | None, reason: str = "",
            lower: int | None = None):
    """Every answer of `analyze` by direct exact searches (method "direct"); `reason`
    says why the frontier is not computed (when already known), `lower` bounds its size."""
    from .bargaining.questions import prepare, solutions_direct, zopa_direct

    g = prepare(space, idx)
    try:
        dz = zopa_direct(g, budget)
    except BudgetExceeded as exc:
        raise exc.again(_zopa_stopped(exc.partial, exc.done), exc.partial) from None
    try:
        sols = solutions_direct(g, dz, weights, budget=budget)
    except BudgetExceeded as exc:
        said = _zopa_said(dz)
        done = (f"{said}, {exc.done.removeprefix('proven: ')}"
                if exc.done.startswith("proven: ") else f"{said}; {exc.done}")
        raise exc.again(done, exc.partial) from None
    try:
        if frontier_limit is None:
            listing = list_frontier(space, pareto_frontier(space, idx, budget=budget), None)
        elif reason:
            listing = sampled_listing(space, idx, frontier_limit, reason, lower, budget)
        else:
            listing = frontier_listing(space, idx, frontier_limit, budget)
    except BudgetExceeded as exc:
        raise exc.again(f"{_zopa_said(dz)}, the four solutions; the frontier listing not "
                        f"finished{f' ({exc.done})' if exc.done else ''}", exc.partial) from None
    z = ZopaResult(
        exists=dz.exists,
        count=count_acceptable(space, idx, count_limit),
        frontier_count=listing.in_zopa,
        win_win=dz.win_win,
        best_min_gain=float(dz.best_min_gain),
        closest=-1,
        shortfall=dz.shortfall,
    )
    evaluations = []
    for p in space.scenario.proposals:
        try:
            evaluations.append(evaluate_proposal(space, p.id, questions=g, budget=budget))
        except BudgetExceeded as exc:
            raise exc.again(f"{_zopa_said(dz)}, the four solutions; proposal '{p.id}' "
                            "not evaluated", exc.partial) from None
    return z, (None if dz.exists else dz.deal), sols, evaluations, listing


def _zopa_said(dz) -> str:
    return "proven: the ZOPA exists" if dz.exists else "proven: there is no ZOPA"


def _zopa_stopped(found: object, done: str) -> str:
    """What a ZOPA question stopped by its budget had proven (found: the search's
    `Unproven` for the largest smallest gain)."""
    from .bargaining.search import Unproven

    if not isinstance(found, Unproven) or found.value is None:
        return f"the ZOPA question not answered ({done})" if done else \
            "the ZOPA question not answered"
    if found.value >= 0:
        return ("a ZOPA exists (proven: a deal every party accepts was found); its best "
                f"deal is not proven: {done}")
    if found.bound is not None and found.bound < -2 * ACCEPT_TOL:
        return (f"there is no ZOPA (proven: every deal leaves some party at least "
                f"{-found.bound:.4g} below its BATNA); the nearest miss is not proven: {done}")
    return f"whether a ZOPA exists is not decided: {done}"
