"""A mediator with interests of its own: prestige from a deal, its own utility, a bias.

Model. Each round the mediator proposes one deal; every party accepts it iff its utility
reaches its true reservation value, which the mediator does not know: it believes party
i's reservation is normally distributed around i's stated BATNA b_i with spread `sigma`
(the true values are drawn from that same belief, seeded, so the mediator's belief is
correct on average). A rejection of a deal worth u to i tells the mediator that i's
reservation lies above u, and it updates its belief (a normal truncated from below); an
acceptance tells it the reservation is at most u. The mediator proposes the deal that
maximises its expected value

    V(x) = P(x) * (prestige + interest * U_m(x) + sum_i bias_i * U_i(x)),

where P(x) is its belief that every party accepts x, U_m its own utility (the scenario's
mediator actor), and bias_i a lean towards party i (Kydd 2003: mediators are rarely
indifferent between the parties, and bias changes both the deal they push and whether it
is believed). With no interest and no bias it proposes the deal most likely to be
accepted: a compromise near the Nash and egalitarian solutions. Bias pulls its proposals
towards the favoured party and lowers the chance that the other accepts; prestige raises
the weight of "a deal happens" against the mediator's own and favoured interests.
The talks stop at the first agreement, after `rounds` proposals, or when the mediator
believes no deal has a chance (below 1e-9) of being accepted by all.

V increases with every party's and the mediator's utility, so its maximum lies on the
Pareto frontier of the parties and the mediator: the mediator searches that frontier.
Cost per round O(|F| * parties).

Kydd, A. (2003) Which side are you on? Bias, credibility, and mediation. American Journal of
Political Science 47(4):597-611. doi:10.1111/1540-5907.00042
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
from scipy.special import log_ndtr, ndtr

from ..bargaining.pareto import pareto_frontier
from ..budget import Budget, check
from ..defaults import MEDIATOR_ROUNDS
from ..errors import InputError, Problem
from ..space import Space
from .core import Context, MediationResult, Step

_NO_HOPE = 1e-9
"""The mediator stops when it believes no deal has even this chance of being accepted."""


def _log_accept(up: np.ndarray, mu: np.ndarray, sigma: float, lower: np.ndarray,
                upper: np.ndarray) -> np.ndarray:
    """log P(reservation_i <= u_i) for every candidate and party, the reservation being
    N(mu_i, sigma) truncated to (lower_i, upper_i]; summed over parties."""
    z = (up - mu) / sigma
    zl, zh = (lower - mu) / sigma, (upper - mu) / sigma
    mass = ndtr(zh) - ndtr(zl)
    untouched = np.isneginf(lower) & np.isposinf(upper)
    direct = np.clip((ndtr(np.minimum(z, zh)) - ndtr(zl)) / np.maximum(mass, 1e-300), 0, 1)
    with np.errstate(divide="ignore"):
        logp = np.where(untouched, log_ndtr(z), np.log(direct))
    return logp.sum(axis=1)


def mediate_with_interests(space: Space, mediator: str | None = None, interest: float = 0.0,
                           prestige: float = 1.0, bias: Mapping[str, float] | None = None,
                           sigma: float = 0.05, rounds: int = MEDIATOR_ROUNDS,
                           parties: Sequence[str] | None = None, seed: int | None = 0,
                           context: Context | None = None, trace: bool = True,
                           budget: Budget | None = None) -> MediationResult:
    """Run the interested-mediator process once (see the module doc).

    `mediator`: the actor id of the mediator (default: the scenario's first actor with role
    mediator; needed only when `interest` > 0); `bias`: {party id: lean >= 0}. `budget` is
    polled every round (`BudgetExceeded` when it runs out). Each round it proposes
    argmax_x P(x) * (prestige + interest * U_m(x) + sum_i bias_i * U_i(x)) over the frontier.

    Cost: the Pareto frontier of the parties and the mediator, then O(|F| * parties) per
    round.

    References: the role of bias follows Kydd, A. (2003) "Which side are you on? Bias,
    credibility, and mediation", American Journal of Political Science 47(4):597-611,
    doi:10.1111/1540-5907.00042 (the belief updating and the value V are Accord's model,
    not Kydd's).
    """
    ctx = context if context is not None else Context(space, parties, seed)
    rng = np.random.default_rng(seed)
    ids = [space.actor_ids[p] for p in ctx.parties]
    bias = dict(bias or {})
    bad = [p for p in bias if p not in ids]
    if bad:
        raise InputError([Problem.of_parameter("bias", f"'{p}' is not a party "
                                                       f"({', '.join(ids)})") for p in bad])
    wrong = [Problem.of_parameter(name, "must be a finite number >= 0")
             for name, ok in (("interest", 0 <= interest < math.inf),
                              ("prestige", 0 <= prestige < math.inf),
                              ("bias", all(0 <= v < math.inf for v in bias.values())))
             if not ok]
    if wrong:
        raise InputError(wrong)
    if not 0 < sigma < math.inf:
        raise InputError([Problem.of_parameter("sigma", "must be a finite number above 0")])
    if rounds < 1:
        raise InputError([Problem.of_parameter("rounds", "must be at least 1")])
    m_idx = None
    if interest > 0 or mediator is not None:
        if mediator is None:
            found = [k for k, r in enumerate(space.roles) if r == "mediator"]
            if not found:
                raise InputError([Problem.of_parameter(
                    "mediator", "the scenario has no actor with role mediator: name one or "
                                "set interest 0")])
            m_idx = found[0]
        else:
            m_idx = space.actor_index(mediator, "mediator")
    actors = list(ctx.parties) + ([m_idx] if m_idx is not None and m_idx not in ctx.parties
                                  else [])
    cands = pareto_frontier(space, actors)
    u = cands.utilities  # (c, len(actors))
    up = u[:, : len(ctx.parties)]
    own = u[:, actors.index(m_idx)] if m_idx is not None else np.zeros(len(u))
    lean = np.array([bias.get(a, 0.0) for a in ids])
    payoff = prestige + interest * own + up @ lean
    mu = ctx.batna.copy()
    true_res = np.clip(mu + sigma * rng.standard_normal(len(mu)), 0.0, 1.0)
    lower = np.full(len(mu), -np.inf)  # reservation known to lie above this
    upper = np.full(len(mu), np.inf)  # and at most this
    steps: list[Step] = []
    deal = None
    t = 0
    note = None
    for t in range(rounds):
        check(budget, t, rounds, "mediator rounds", "give fewer --rounds")
        logp = _log_accept(up, mu, sigma, lower, upper)
        with np.errstate(divide="ignore"):
            value = logp + np.log(payoff)  # log of P(x) * payoff(x)
        pick = int(np.argmax(value))
        prob = float(np.exp(logp[pick]))
        if prob < _NO_HOPE:
            note = "the mediator sees no deal that could pass"
            if trace:
                steps.append(Step(t, "mediator", {}, {}, {}, note))
            break
        x = cands.deals[pick]
        yes = up[pick] >= true_res - 1e-12
        responses = {a: "accept" if y else "reject" for a, y in zip(ids, yes, strict=True)}
        if trace:
            steps.append(ctx.step(t, "mediator", x, responses,
                                  note=f"believed P(all accept) = {prob:.3f}"))
        if yes.all():
            deal = x
            break
        lower = np.where(yes, lower, np.maximum(lower, up[pick]))
        upper = np.where(yes, np.minimum(upper, up[pick]), upper)
    params = {"mediator": None if m_idx is None else space.actor_ids[m_idx],
              "interest": interest, "prestige": prestige, "bias": bias, "sigma": sigma,
              "rounds": rounds, "stopped": note}
    return ctx.result("mediator", params, deal, t + 1, steps)


def mediator_sweep(space: Space, biases: Sequence[float], prestiges: Sequence[float],
                   favoured: str | None = None, repetitions: int = 100, seed: int = 0,
                   **kwargs) -> list[dict]:
    """Agreement rate and mean distance from the Nash solution over `repetitions` seeded
    runs, for each (bias towards `favoured`, prestige) pair. The same seeds are used in every
    cell, so differences come from the parameters alone.

    Cost: |biases| * |prestiges| * `repetitions` runs of `mediate_with_interests`.
    References: as `mediate_with_interests` (Kydd 2003, doi:10.1111/1540-5907.00042).
    """
    ctx = Context(space, kwargs.pop("parties", None), seed)
    favoured = favoured or space.actor_ids[ctx.parties[0]]
    rows = []
    for b in biases:
        for pr in prestiges:
            runs = [mediate_with_interests(space, bias={favoured: b}, prestige=pr,
                                           seed=seed + r, context=ctx, trace=False, **kwargs)
                    for r in range(repetitions)]
            agreed = [r for r in runs if r.agreement]
            rows.append({
                "bias": b, "prestige": pr, "favoured": favoured,
                "agreement_rate": len(agreed) / len(runs),
                "mean_distance_to_nash": (float(np.mean([r.distance_to_nash for r in agreed]))
                                          if agreed and agreed[0].distance_to_nash is not None
                                          else None),
                "mean_gain": {a: float(np.mean([r.gains[a] for r in runs]))
                              for a in runs[0].gains},
            })
    return rows
