"""Round-robin tournaments of negotiation strategies on one scenario.

Every assignment of the given strategies to the parties (ordered, self-play included:
|S|**n pairings for n parties) negotiates by stacked alternating offers, `repetitions`
times: repetition r lets party r mod n open the talks and seeds the candidate sample with
seed + r. Each strategy is scored over every seat it held: its mean gain over the BATNA,
how often its negotiations ended in agreement, and the mean distance of their outcomes
from the Nash solution; strategies are ranked by mean gain.
Cost: |S|**n * repetitions negotiations.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..budget import Budget, check
from ..defaults import ALTERNATING_ROUNDS
from ..errors import InputError, Problem
from ..space import Space
from .alternating import alternating_offers
from .core import Context
from .strategies import make_strategy


@dataclass(frozen=True)
class TournamentResult:
    """A tournament's outcome: `ranking` (per strategy: mean gain over the BATNA, agreement
    rate, mean distance to the Nash solution, negotiations; ranked by mean gain) and
    `pairings` (per assignment of strategies to parties). References: as `tournament`."""

    scenario_id: str
    parties: tuple[str, ...]
    parameters: dict
    ranking: list[dict]
    pairings: list[dict]

    def to_dict(self) -> dict:
        return {"scenario": self.scenario_id, "parties": list(self.parties),
                "parameters": dict(self.parameters), "ranking": list(self.ranking),
                "pairings": list(self.pairings)}


def tournament(space: Space, strategies: Sequence[str], repetitions: int = 1,
               rounds: int = ALTERNATING_ROUNDS, discounts: float | Sequence[float] = 1.0,
               parties: Sequence[str] | None = None, seed: int = 0,
               progress: Callable[[int, int], None] | None = None, *,
               budget: Budget | None = None) -> TournamentResult:
    """Play every pairing of `strategies` (see the module doc). `progress(done, total)` is
    called after each negotiation; `budget` is polled before each (`BudgetExceeded` when it
    runs out).

    Cost: |S|**n * `repetitions` runs of `alternating_offers` for |S| strategies and n
    parties, each O(rounds * parties) strategy calls, plus one Pareto frontier.

    References: the round robin of Axelrod, R. (1980) "Effective choice in the prisoner's
    dilemma", J. Conflict Resolution 24(1):3-25, doi:10.1177/002200278002400101; the
    protocol of Aydogan et al. (2017), doi:10.1007/978-3-319-51563-2_10.
    """
    names = [s.strip() for s in strategies if s.strip()]
    if not names:
        raise InputError([Problem.of_parameter("strategies", "name at least one strategy")])
    for s in names:
        make_strategy(s)  # unknown names fail here, before any work
    if repetitions < 1:
        raise InputError([Problem.of_parameter("repetitions", "must be at least 1")])
    ctx = Context(space, parties, seed)
    n = len(ctx.parties)
    ids = [space.actor_ids[p] for p in ctx.parties]
    seats = list(itertools.product(names, repeat=n))
    total = len(seats) * repetitions
    done = 0
    per: dict[str, dict[str, list[float]]] = {s: {"gain": [], "agree": [], "nash": []}
                                              for s in names}
    pairings = []
    for combo in seats:
        gains, agree, dist = [], [], []
        for r in range(repetitions):
            check(budget, done, total, "negotiations",
                  "give fewer --strategies, --repetitions or --rounds")
            if r and space.outcomes > 200_000:
                ctx = Context(space, parties, seed + r, frontier=ctx.frontier)
            res = alternating_offers(space, combo, rounds, discounts, context=ctx,
                                     trace=False, first=r % n)
            g = [res.gains[a] for a in ids]
            gains.append(g)
            agree.append(res.agreement)
            if res.distance_to_nash is not None:
                dist.append(res.distance_to_nash)
            for k, s in enumerate(combo):
                per[s]["gain"].append(g[k])
                per[s]["agree"].append(float(res.agreement))
                if res.distance_to_nash is not None:
                    per[s]["nash"].append(res.distance_to_nash)
            done += 1
            if progress is not None:
                progress(done, total)
        pairings.append({
            "strategies": dict(zip(ids, combo, strict=True)),
            "mean_gains": dict(zip(ids, [round(float(x), 10) for x in np.mean(gains, axis=0)],
                                   strict=True)),
            "agreement_rate": float(np.mean(agree)),
            "mean_distance_to_nash": round(float(np.mean(dist)), 10) if dist else None,
        })
    ranking = sorted(({"strategy": s,
                       "mean_gain": round(float(np.mean(v["gain"])), 10),
                       "agreement_rate": float(np.mean(v["agree"])),
                       "mean_distance_to_nash": (round(float(np.mean(v["nash"])), 10)
                                                 if v["nash"] else None),
                       "negotiations": len(v["gain"])} for s, v in per.items()),
                     key=lambda row: (-row["mean_gain"], row["strategy"]))
    for k, row in enumerate(ranking, 1):
        row["rank"] = k
    params = {"strategies": names, "repetitions": repetitions, "rounds": rounds,
              "discounts": discounts if np.isscalar(discounts) else list(discounts),
              "seed": seed}
    return TournamentResult(space.scenario.id, tuple(ids), params, ranking, pairings)
