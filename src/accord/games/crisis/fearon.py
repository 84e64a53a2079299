"""Fearon's bargaining model of war: the range of deals both sides prefer to war, and the
risk-return trade-off that makes rational states fight under private information.

Fearon (1995). States A and B dispute an issue normalised to [0, 1], x being A's share. In
a war A wins with probability p; war costs A c_a and B c_b. A prefers a deal x to war iff
x >= p - c_a, B iff 1 - x >= 1 - p - c_b, so with positive costs there is always a range of
deals both prefer to war: x in [p - c_a, p + c_b], of width c_a + c_b.

Why rational states still fight: with one-sided private information, A makes a take-it-or-
leave-it demand not knowing B's cost; B is "resolved" (cost c_low) with probability q and
"weak" (c_high) otherwise. A demands either p + c_low (safe: both types accept) or
p + c_high (risky: only the weak type accepts; the resolved one fights). The risky demand
pays iff (1 - q) c_high - c_low > q c_a, i.e. q < q* = (c_high - c_low) / (c_high + c_a).

Fearon, J. D. (1995) Rationalist explanations for war. International Organization
49(3):379-414. doi:10.1017/S0020818300033324

All arithmetic is exact (on fractions of the decimal inputs, so 0.7 * 0.8 + 0.3 * 0.4 is
exactly 0.68); results are floats.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .checks import Checks, risk_inputs

# --- Fearon's bargaining range --------------------------------------------------------------


@dataclass(frozen=True)
class BargainingRange:
    """Deals (A's share x) that both sides prefer to war: [low, high] = [p - c_a, p + c_b].

    `feasible_low`/`feasible_high` clip it to the issue [0, 1]; `war_payoff_a` = p - c_a and
    `war_payoff_b` = 1 - p - c_b are the sides' expected values of war.
    """

    p: float
    c_a: float
    c_b: float
    low: float
    high: float
    width: float
    feasible_low: float
    feasible_high: float
    war_payoff_a: float
    war_payoff_b: float

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def bargaining_range(p: float, c_a: float, c_b: float) -> BargainingRange:
    """Fearon's bargaining range: A accepts x >= p - c_a, B accepts x <= p + c_b.

    Formula: [p - c_a, p + c_b], width c_a + c_b, non-empty whenever costs are >= 0.
    Example: p = 0.6, c = (0.1, 0.15) -> [0.50, 0.75]. Cost O(1).

    Fearon, J. D. (1995) Rationalist explanations for war. International Organization
    49(3):379-414.
    """
    ch = Checks()
    pp = ch.unit(p, "p", "A's probability of winning")
    ca = ch.cost(c_a, "c_a", "A's cost of war")
    cb = ch.cost(c_b, "c_b", "B's cost of war")
    ch.done()
    low, high = pp - ca, pp + cb
    return BargainingRange(
        p=float(pp), c_a=float(ca), c_b=float(cb), low=float(low), high=float(high),
        width=float(ca + cb), feasible_low=float(max(Fraction(0), low)),
        feasible_high=float(min(Fraction(1), high)), war_payoff_a=float(pp - ca),
        war_payoff_b=float(1 - pp - cb))


# --- the risk-return trade-off --------------------------------------------------------------


@dataclass(frozen=True)
class RiskReturn:
    """A's choice between a safe and a risky demand when B's cost of war is private.

    `choice` is "risky" iff the risky demand's expected value is strictly higher (ties go to
    the safe demand, which keeps the peace); `demand`, `expected` and `war_probability` are
    those of the chosen demand; `cutoff` is q*: A gambles iff q < q*.
    """

    p: float
    c_a: float
    c_low: float
    c_high: float
    q: float
    safe_demand: float
    risky_demand: float
    expected_safe: float
    expected_risky: float
    war_payoff_a: float
    choice: str
    demand: float
    expected: float
    war_probability: float
    cutoff: float

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def risk_lottery(pp: Fraction, ca: Fraction, cl: Fraction, chh: Fraction, qq: Fraction) -> dict:
    x_l, x_h = min(Fraction(1), pp + cl), min(Fraction(1), pp + chh)
    war_a = pp - ca
    safe = x_l
    risky = (1 - qq) * x_h + qq * war_a
    denom = x_h - war_a
    cutoff = (x_h - x_l) / denom if denom > 0 else Fraction(0)
    gamble = risky > safe
    return {"x_l": x_l, "x_h": x_h, "war_a": war_a, "safe": safe, "risky": risky,
            "cutoff": cutoff, "gamble": gamble, "war": qq if gamble else Fraction(0)}


def risk_return(p: float, c_a: float, c_low: float, c_high: float, q: float) -> RiskReturn:
    """Fearon's risk-return trade-off with one-sided private information about B's cost.

    B's cost of war is c_low ("resolved", probability q) or c_high > c_low ("weak"). A's
    safe demand p + c_low is always accepted; its risky demand p + c_high is accepted only by
    the weak type, so war comes with probability q. Expected values: safe p + c_low, risky
    (1 - q)(p + c_high) + q (p - c_a). A gambles iff (1 - q) c_high - c_low > q c_a, i.e.
    q < q* = (c_high - c_low) / (c_high + c_a). Demands are capped at 1 (the whole issue);
    q* is then (x_high - x_low) / (x_high - p + c_a), the same when p + c_high <= 1.
    Example: p = 0.5, c_a = 0.1, c_low = 0.05, c_high = 0.3, q = 0.3 -> risky demand 0.80
    expecting 0.68 against 0.55 safe, war with probability 0.3, q* = 0.625. Cost O(1).

    Fearon, J. D. (1995) Rationalist explanations for war. International Organization
    49(3):379-414, section on private information and incentives to misrepresent.
    """
    ch = Checks()
    pp, ca, cl, chh, qq = risk_inputs(p, c_a, c_low, c_high, q, ch)
    ch.done()
    r = risk_lottery(pp, ca, cl, chh, qq)
    return RiskReturn(
        p=float(pp), c_a=float(ca), c_low=float(cl), c_high=float(chh), q=float(qq),
        safe_demand=float(r["x_l"]), risky_demand=float(r["x_h"]),
        expected_safe=float(r["safe"]), expected_risky=float(r["risky"]),
        war_payoff_a=float(r["war_a"]), choice="risky" if r["gamble"] else "safe",
        demand=float(r["x_h"] if r["gamble"] else r["x_l"]),
        expected=float(max(r["safe"], r["risky"])), war_probability=float(r["war"]),
        cutoff=float(r["cutoff"]))
