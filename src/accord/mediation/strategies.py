"""Negotiation strategies for alternating offers.

Every strategy answers two questions each turn: does it accept the offer on the table, and
what does it offer when it does not. Utilities here are each agent's own, in [0, 1]; its
reservation value is its BATNA (no strategy accepts less).

* Time-based concession (Faratin, Sierra and Jennings 1998): the target utility falls from
  the agent's best u_max to its reservation value r as
  target(t) = u_max - (u_max - r) * (t / T) ** (1 / e), with T the last round (the deadline
  minus one), so the target reaches r in the last round. e < 1 concedes late (Boulware;
  `boulware` is e = 0.2), e = 1 linearly (`linear`), e > 1 early (`conceder`, e = 5). Name
  `time:E` sets e = E. It offers the candidate deal just above its target that is best for
  the worst-off other party (among deals within 0.02 of the target), and accepts an offer
  worth at least its next target.
* `tit-for-tat` (relative tit-for-tat on utility, after Axelrod and Faratin et al.): starts
  at u_max and lowers its target by as much as the others' offers have improved for it
  since their first offer.
* `hardliner`: always offers its best deal and accepts only that much.
* `acceptor` ("accept above reservation"): offers its best deal, accepts anything at or
  above its BATNA.
* `spe`: the subgame-perfect strategy of `accord.mediation.rubinstein` (two parties):
  proposes the frontier deal that leaves the other exactly its discounted continuation
  value, accepts exactly when its own gain reaches its discounted continuation value.
  Without discounting (all factors 1) it plays the limit of that equilibrium as periods
  shrink, the Nash solution (Binmore, Rubinstein and Wolinsky 1986).

Faratin, P., Sierra, C. and Jennings, N. R. (1998) Negotiation decision functions for
autonomous agents. Robotics and Autonomous Systems 24(3-4):159-182.
doi:10.1016/S0921-8890(98)00029-3
Binmore, K., Rubinstein, A. and Wolinsky, A. (1986) The Nash bargaining solution in economic
modelling. RAND Journal of Economics 17(2):176-188. doi:10.2307/2555382
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import InputError, Problem
from .core import Context
from .rubinstein import frontier_equilibrium

STRATEGIES = ("boulware", "linear", "conceder", "tit-for-tat", "hardliner", "acceptor", "spe")
_EXPONENTS = {"boulware": 0.2, "linear": 1.0, "conceder": 5.0}
_BAND = 0.02


class Strategy:
    """Base class. `setup` is called once per negotiation; `respond` and `propose` per turn."""

    name = "strategy"

    def setup(self, ctx: Context, me: int, deadline: int, discounts: np.ndarray) -> None:
        self.ctx = ctx
        self.me = me  # position among ctx.parties
        self.actor = ctx.parties[me]
        self.deadline = deadline
        self.discounts = discounts
        u = ctx.candidate_utilities[:, self.actor]
        self.own = u
        self.best = int(np.argmax(u))
        self.u_max = float(u[self.best])
        self.reservation = float(ctx.space.batna[self.actor])
        others = [a for k, a in enumerate(ctx.parties) if k != me]
        self.others_min = (ctx.candidate_utilities[:, others].min(axis=1) if others
                           else np.zeros(len(u)))

    def target(self, t: int) -> float:
        return self.u_max

    def respond(self, t: int, offer: np.ndarray, u_offer: np.ndarray) -> bool:
        mine = float(u_offer[self.actor])
        return mine >= max(self.reservation, self.target(t + 1)) - 1e-12

    def propose(self, t: int) -> np.ndarray:
        goal = max(self.target(t), self.reservation)
        ok = np.flatnonzero(self.own >= goal - 1e-12)
        if not len(ok):
            return self.ctx.candidates[self.best]
        floor = self.own[ok].min()
        band = ok[self.own[ok] <= floor + _BAND]
        pick = band[np.argmax(self.others_min[band])]
        return self.ctx.candidates[pick]

    def observe(self, t: int, proposer: int, offer: np.ndarray, u_offer: np.ndarray) -> None:
        """Called for every offer made, by anyone."""


class TimeBased(Strategy):
    """Time-based concession: target(t) = u_max - (u_max - r) * (t / (T - 1)) ** (1 / e) for
    T = `deadline` rounds (e < 1 Boulware, e = 1 linear, e > 1 conceder). O(candidates) a
    turn.

    References: Faratin, P., Sierra, C. and Jennings, N. R. (1998) "Negotiation decision
    functions for autonomous agents", Robotics and Autonomous Systems 24(3-4):159-182,
    doi:10.1016/S0921-8890(98)00029-3.
    """

    def __init__(self, exponent: float, name: str):
        if not exponent > 0:
            raise InputError([Problem.of_parameter(
                "strategies", f"{name}: the exponent must be above 0")])
        self.e = exponent
        self.name = name

    def target(self, t: int) -> float:
        frac = min(1.0, t / max(1, self.deadline - 1))
        return self.u_max - (self.u_max - self.reservation) * frac ** (1 / self.e)


class TitForTat(Strategy):
    """Relative tit-for-tat on utility: the target is u_max minus the largest improvement,
    for it, of another party's latest offer over that party's first (never below the
    reservation value). O(candidates) a turn.

    References: the imitative tactics of Faratin, Sierra and Jennings (1998), Robotics and
    Autonomous Systems 24(3-4):159-182, doi:10.1016/S0921-8890(98)00029-3; Axelrod, R.
    (1984) *The Evolution of Cooperation*, Basic Books (a book, no DOI).
    """

    name = "tit-for-tat"

    def setup(self, ctx, me, deadline, discounts):
        super().setup(ctx, me, deadline, discounts)
        self.first: dict[int, float] = {}
        self.latest: dict[int, float] = {}

    def observe(self, t, proposer, offer, u_offer):
        if proposer != self.me:
            mine = float(u_offer[self.actor])
            self.first.setdefault(proposer, mine)
            self.latest[proposer] = mine

    def target(self, t: int) -> float:
        if not self.latest:
            return self.u_max
        given = max(self.latest[k] - self.first[k] for k in self.latest)
        return max(self.reservation, self.u_max - max(0.0, given))


class Hardliner(Strategy):
    """Always offers its best deal and accepts only that much (a constant target u_max)."""

    name = "hardliner"


class Acceptor(Strategy):
    """Offers its best deal and accepts any offer worth at least its BATNA."""

    name = "acceptor"

    def respond(self, t, offer, u_offer):
        return float(u_offer[self.actor]) >= self.reservation - 1e-12


class SubgamePerfect(Strategy):
    """Rubinstein's equilibrium strategy on the two parties' frontier (see the module doc).
    Setup: `frontier_equilibrium`, O(|F| log |F|); then O(|F|) a turn.

    References: Rubinstein, A. (1982) "Perfect equilibrium in a bargaining model",
    Econometrica 50(1):97-109, doi:10.2307/1912531; without discounting, Binmore, K.,
    Rubinstein, A. and Wolinsky, A. (1986) RAND J. Econ. 17(2):176-188, doi:10.2307/2555382.
    """

    name = "spe"

    def setup(self, ctx, me, deadline, discounts):
        super().setup(ctx, me, deadline, discounts)
        if len(ctx.parties) != 2:
            raise InputError([Problem.of_parameter("strategies", "spe is defined for two parties")])
        d = ctx.batna
        gains = ctx.frontier.utilities - d
        inside = (gains >= -1e-12).all(axis=1)
        self.rows = np.flatnonzero(inside)
        if not len(self.rows):
            self.values = None
            return
        g = np.maximum(gains[self.rows], 0.0)
        other = 1 - me
        self.gains = g
        self.other = other
        if (discounts >= 1).all():
            # without discounting the game has no unique equilibrium; the limit of
            # Rubinstein's as the periods shrink is the Nash solution (Binmore et al. 1986)
            nash = ctx.nash
            ng = np.array(nash.utilities) - d
            self.values = (float(ng[me]), float(ng[other]))
            self.patient = True
            return
        self.patient = False
        # equilibrium gains when each party proposes
        if me == 0:
            x_me, y_other = frontier_equilibrium(g, discounts[0], discounts[1])
        else:
            x_me, y_other = frontier_equilibrium(g[:, ::-1], discounts[1], discounts[0])
        self.values = (x_me, y_other)

    def respond(self, t, offer, u_offer):
        if self.values is None:
            return False
        # continuation: I propose next period and get x_me, worth discount * x_me now
        gain = float(u_offer[self.actor] - self.ctx.batna[self.me])
        factor = 1.0 if self.patient else self.discounts[self.me]
        return gain >= factor * self.values[0] - 1e-9

    def propose(self, t):
        if self.values is None:
            return self.ctx.candidates[self.best]
        need = (1.0 if self.patient else self.discounts[self.other]) * self.values[1]
        ok = np.flatnonzero(self.gains[:, self.other] >= need - 1e-9)
        pick = ok[np.argmax(self.gains[ok, self.me])] if len(ok) else int(
            np.argmax(self.gains[:, self.other]))
        return self.ctx.frontier.deals[self.rows[pick]]


@dataclass(frozen=True)
class StrategySpec:
    """A strategy by name, picklable, that builds a fresh `Strategy` (`make_strategy`)."""

    name: str

    def build(self) -> Strategy:
        return make_strategy(self.name)


def make_strategy(name: str) -> Strategy:
    """A fresh strategy object from its name (see `STRATEGIES`; `time:E` for exponent E).
    References: see each strategy's class (Faratin, Sierra and Jennings 1998,
    doi:10.1016/S0921-8890(98)00029-3, for the time-based ones)."""
    key = name.strip().lower()
    if key in _EXPONENTS:
        return TimeBased(_EXPONENTS[key], key)
    if key.startswith("time:"):
        try:
            return TimeBased(float(key[5:]), key)
        except ValueError:
            pass
    simple = {"tit-for-tat": TitForTat, "tft": TitForTat, "hardliner": Hardliner,
              "acceptor": Acceptor, "spe": SubgamePerfect}
    if key in simple:
        return simple[key]()
    raise InputError([Problem.of_parameter("strategies", f"unknown strategy '{name}' (strategies: "
                                                         f"{', '.join(STRATEGIES)}, time:E)")])
