"""What every mediation protocol shares: the negotiation's numeric context, the trace, the
result and the metrics of where a process ends.

A process ends in an agreement on a deal or in breakdown (each party gets its BATNA). It is
scored in the parties' utility space: the Euclidean distance to the nearest point of the
Pareto frontier (0 when the deal is Pareto-optimal) and to the Nash solution, and each
party's gain over its BATNA.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ..bargaining.pareto import Frontier, dominating, pareto_frontier
from ..bargaining.solutions import nash_solution
from ..results import DealPoint, _r, deal_point
from ..space import Space, sample_deals

CANDIDATE_LIMIT = 200_000
"""Outcome spaces up to this size are offered from in full; larger ones from the Pareto
frontier plus a seeded sample of deals."""


@dataclass(frozen=True)
class Step:
    """One step of a process: who proposed what, every actor's utility, each response."""

    round: int
    proposer: str
    deal: dict[str, str | float]
    utilities: dict[str, float]
    responses: dict[str, str]
    note: str | None = None

    def to_dict(self) -> dict:
        out = {"round": self.round, "proposer": self.proposer, "deal": dict(self.deal),
               "utilities": dict(self.utilities), "responses": dict(self.responses)}
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class MediationResult:
    """Where a negotiation process ended, how, and the whole trace.

    `distance_to_frontier` = min over frontier points F_j of ||F_j - U||_2 in the parties'
    utility space (0 when the outcome is Pareto-optimal); `distance_to_nash` = ||N - U||_2
    for the Nash solution N; `gains` U_i - d_i (the BATNAs on breakdown).

    References: Nash, J. F. (1950) "The bargaining problem", Econometrica 18(2):155-162,
    doi:10.2307/1907266 (the point N).
    """

    scenario_id: str
    protocol: str
    parameters: dict
    seed: int | None
    parties: tuple[str, ...]
    agreement: bool
    outcome: DealPoint | None
    rounds: int
    gains: dict[str, float]
    distance_to_frontier: float
    distance_to_nash: float | None
    pareto_optimal: bool | None
    trace: list[Step] = field(default_factory=list)
    discounted_utilities: dict[str, float] | None = None

    def to_dict(self, trace: bool = True) -> dict:
        out = {
            "scenario": self.scenario_id,
            "protocol": self.protocol,
            "parameters": dict(self.parameters),
            "seed": self.seed,
            "parties": list(self.parties),
            "agreement": self.agreement,
            "deal": None if self.outcome is None else dict(self.outcome.deal),
            "utilities": None if self.outcome is None else dict(self.outcome.utilities),
            "rounds": self.rounds,
            "gains": dict(self.gains),
            "distance_to_frontier": self.distance_to_frontier,
            "distance_to_nash": self.distance_to_nash,
            "pareto_optimal": self.pareto_optimal,
        }
        if self.discounted_utilities is not None:
            out["discounted_utilities"] = dict(self.discounted_utilities)
        if trace:
            out["trace"] = [s.to_dict() for s in self.trace]
        return out


class Context:
    """The numbers a negotiation needs, computed once: the parties, their frontier and Nash
    solution, and a table of candidate deals with every actor's utility.

    Cost: one frontier (see `pareto_frontier`), plus the candidate table: O(outcomes) when
    the space has at most `CANDIDATE_LIMIT` deals, else the frontier and a sample.

    References: the frontier as in Kung, Luccio and Preparata (1975), J. ACM 22(4):469-476,
    doi:10.1145/321906.321910; the Nash solution of Nash (1950), doi:10.2307/1907266.
    """

    def __init__(self, space: Space, parties: Sequence[str] | Sequence[int] | None = None,
                 seed: int | None = 0, frontier: Frontier | None = None):
        self.space = space
        self.parties = list(space.resolve_actors(parties))
        self.frontier = frontier if frontier is not None else pareto_frontier(space,
                                                                              self.parties)
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.batna = space.batna[self.parties]

    @cached_property
    def nash(self):
        return nash_solution(self.space, frontier=self.frontier)

    @cached_property
    def _table(self) -> tuple[np.ndarray, np.ndarray]:
        space = self.space
        if space.outcomes <= CANDIDATE_LIMIT:
            deals, _ = sample_deals(space, CANDIDATE_LIMIT)
        else:  # the frontier and a sample of the rest, seeded apart from the negotiation
            seed = None if self.seed is None else self.seed + 7919
            sample, _ = sample_deals(space, CANDIDATE_LIMIT // 2, seed)
            deals = np.concatenate([self.frontier.deals.astype(np.int64), sample])
        return deals, space.utilities(deals)

    @property
    def candidates(self) -> np.ndarray:
        """Deals (m, n_issues) that strategies may offer: every deal when there are at most
        `CANDIDATE_LIMIT`, else the frontier and a seeded sample."""
        return self._table[0]

    @property
    def candidate_utilities(self) -> np.ndarray:
        """Real utilities (m, n_actors) of the candidates, computed with them in one pass."""
        return self._table[1]

    def utilities(self, deal: np.ndarray) -> np.ndarray:
        return self.space.utilities(np.asarray(deal)[None, :])[0]

    def accepts(self, deal: np.ndarray, actor: int) -> bool:
        units = self.space.utility_units(np.asarray(deal)[None, :], [actor])[0, 0]
        return bool(units >= self.space.threshold_units([actor])[0])

    def step(self, t: int, proposer: str, deal: np.ndarray, responses: dict[str, str],
             note: str | None = None) -> Step:
        u = self.utilities(deal)
        return Step(t, proposer, self.space.deal_mapping(deal),
                    {a: _r(u[k]) for k, a in enumerate(self.space.actor_ids)}, responses, note)

    def result(self, protocol: str, parameters: dict, deal: np.ndarray | None, rounds: int,
               trace: list[Step], discounted: np.ndarray | None = None) -> MediationResult:
        """Score where a process ended (see the module doc and `MediationResult`).
        Cost: O(|F| * parties) on the frontier F."""
        space = self.space
        ids = [space.actor_ids[p] for p in self.parties]
        if deal is None:
            point_u = self.batna.copy()
            outcome = None
            optimal = None
        else:
            outcome = deal_point(space, deal, self.parties)
            units = space.utility_units(np.asarray(deal)[None, :])[0]
            point_u = space.to_utility(units)[self.parties]
            optimal = not len(dominating(self.frontier, units[self.parties]))
        dist_f = float(np.sqrt(((self.frontier.utilities - point_u) ** 2).sum(axis=1)).min())
        nash = self.nash
        dist_n = None if nash is None else float(np.linalg.norm(np.array(nash.utilities)
                                                                - point_u))
        return MediationResult(
            scenario_id=space.scenario.id, protocol=protocol, parameters=parameters,
            seed=self.seed, parties=tuple(ids), agreement=deal is not None, outcome=outcome,
            rounds=rounds, gains={a: _r(point_u[k] - self.batna[k]) for k, a in enumerate(ids)},
            distance_to_frontier=_r(0.0 if optimal else dist_f),
            distance_to_nash=None if dist_n is None else _r(dist_n),
            pareto_optimal=optimal, trace=trace,
            discounted_utilities=None if discounted is None else {
                a: _r(discounted[k]) for k, a in enumerate(ids)},
        )
