"""Stacked alternating offers (Aydogan et al. 2017, doi:10.1007/978-3-319-51563-2_10) for n
parties, with a deadline and per-round discount factors.

The parties speak in turn, in a fixed order. The first makes an offer; each next party
either accepts the offer on the table or replaces it with its own offer. An offer is agreed
when every other party has accepted it in turn. Each turn is one round; after `rounds`
turns without agreement the talks break down and every party gets its BATNA. A party
never offers a deal it would itself refuse: when its offer would be worth less than its
BATNA to it, it walks away and the talks break down. With two parties this is Rubinstein's
alternating-offers game.

Discounting: an agreement on an offer made in round t gives party i the discounted utility
d_i + delta_i**t * (U_i - d_i) (its gain over its BATNA d_i shrinks, its BATNA does not);
as in Rubinstein's game, accepting an offer takes no extra period.
The result reports the undiscounted utilities of the deal and the discounted ones.
Cost: O(rounds * parties) strategy calls, each O(candidates) at most.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..budget import Budget, check
from ..defaults import ALTERNATING_ROUNDS
from ..errors import InputError, Problem
from ..space import Space
from .core import Context, MediationResult, Step
from .strategies import make_strategy


def alternating_offers(space: Space, strategies: Sequence[str], rounds: int = ALTERNATING_ROUNDS,
                       discounts: Sequence[float] | float = 1.0,
                       parties: Sequence[str] | None = None, seed: int | None = 0,
                       context: Context | None = None, trace: bool = True,
                       first: int = 0, budget: Budget | None = None) -> MediationResult:
    """Run one stacked-alternating-offers negotiation (see the module doc).

    `strategies` gives one name per party (in party order; a single name is used for all);
    `discounts` one factor per party (or one for all) in (0, 1]; `first` is the position
    (in party order) of the party that makes the first offer. `budget` is polled every
    round (`BudgetExceeded` when it runs out). An agreement on an offer made in round t is
    worth d_i + delta_i**t * (U_i - d_i) to party i (`discounted`).

    Cost: O(rounds * parties) strategy calls, each O(candidates) at most.

    References: Aydogan, R., Festen, D., Hindriks, K. V. and Jonker, C. M. (2017)
    "Alternating offers protocols for multilateral negotiation", in *Modern Approaches to
    Agent-based Complex Automated Negotiation*, Springer (Studies in Computational
    Intelligence 674), doi:10.1007/978-3-319-51563-2_10; Rubinstein, A. (1982) "Perfect
    equilibrium in a bargaining model", Econometrica 50(1):97-109, doi:10.2307/1912531.
    """
    ctx = context if context is not None else Context(space, parties, seed)
    n = len(ctx.parties)
    names = list(strategies) if len(strategies) != 1 else list(strategies) * n
    if len(names) != n:
        who = ", ".join(space.actor_ids[p] for p in ctx.parties)
        raise InputError([Problem.of_parameter(
            "strategies", f"give one strategy per party ({n}: {who}) "
                          f"or one for all, got {len(names)}")])
    if rounds < 1:
        raise InputError([Problem.of_parameter("rounds", "must be at least 1")])
    delta = np.full(n, float(discounts)) if np.isscalar(discounts) else np.asarray(
        discounts, dtype=float)
    if delta.shape != (n,) or not ((delta > 0) & (delta <= 1)).all():
        raise InputError([Problem.of_parameter("discount", f"give {n} discount factors in (0, 1]")])
    agents = [make_strategy(s) for s in names]
    for k, agent in enumerate(agents):
        agent.setup(ctx, k, rounds, delta)
    ids = [space.actor_ids[p] for p in ctx.parties]
    steps: list[Step] = []
    offer: np.ndarray | None = None
    author = -1
    offered_at = 0
    accepted: set[int] = set()
    deal = None
    t = 0
    for t in range(rounds):
        check(budget, t, rounds, "alternating-offers rounds", "give fewer --rounds")
        k = (first + t) % n
        agent = agents[k]
        if offer is not None and k != author:
            u = ctx.utilities(offer)
            if agent.respond(t, offer, u):
                accepted.add(k)
                if trace:
                    steps.append(ctx.step(t, ids[k], offer, {ids[k]: "accept"}))
                if len(accepted) == n - 1:
                    deal = offer
                    break
                continue
            if trace:
                steps.append(ctx.step(t, ids[k], offer, {ids[k]: "reject"}))
        offer = np.asarray(agent.propose(t))
        if not ctx.accepts(offer, ctx.parties[k]):
            # nothing it could offer is worth its BATNA to it: it walks away
            if trace:
                steps.append(ctx.step(t, ids[k], offer, {ids[k]: "walk away"},
                                      note="no deal it would offer is worth its BATNA"))
            break
        author = k
        offered_at = t
        accepted = set()
        u = ctx.utilities(offer)
        for a in agents:
            a.observe(t, k, offer, u)
        if trace:
            steps.append(ctx.step(t, ids[k], offer, {ids[k]: "offer"}))
        if n == 1:
            deal = offer
            break
    used = t + 1
    params = {"strategies": dict(zip(ids, names, strict=True)), "rounds": rounds,
              "first": ids[first % n],
              "discounts": dict(zip(ids, [float(x) for x in delta], strict=True))}
    discounted = None
    if deal is not None:
        u = ctx.utilities(deal)[ctx.parties]
        # an offer accepted by the others is dated by the round in which it was made
        discounted = ctx.batna + delta ** offered_at * (u - ctx.batna)
    return ctx.result("alternating-offers", params, deal, used, steps, discounted)
