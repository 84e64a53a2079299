"""When is a mediator's report credible? A reconstruction in the spirit of Kydd's argument,
NOT Kydd's own model.

On Fearon's risk-return set-up (`accord.games.crisis.fearon`), a mediator who knows B's
type can remove the gamble by telling A, but only if A believes it. The mediator's utility
over A's share, v(x) = -|x - m|, and its cost of war c_m (0.1 by default) are assumptions of
Accord's reference notes, not Kydd's equations.

Kydd, A. (2003) Which side are you on? Bias, credibility, and mediation. American Journal of
Political Science 47(4):597-611. doi:10.1111/1540-5907.00042
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .checks import Checks, risk_inputs
from .fearon import risk_lottery

MEDIATOR_WAR_COST = 0.1
"""The mediator's cost of war assumed in the reference's reconstruction of Kydd (2003)."""


@dataclass(frozen=True)
class StateCheck:
    """Whether the mediator prefers the truth in one state of B: its utility when it reports
    truthfully and when it lies (A then acts on the false report)."""

    state: str
    truthful: float
    lie: float
    holds: bool

    def to_dict(self) -> dict:
        return {"state": self.state, "truthful": self.truthful, "lie": self.lie,
                "holds": self.holds}


@dataclass(frozen=True)
class MediatorCredibility:
    """Whether a mediator who sees B's type and reports it to A is believed, and what it is
    worth: the fall in the probability of war (`value`).

    `threshold` is the smallest ideal point m in [0, 1] at which the report is credible
    (None if none is); `midpoint` is (demand after "resolved" + demand after "weak") / 2.
    """

    p: float
    c_a: float
    c_low: float
    c_high: float
    q: float
    m: float
    c_m: float
    demand_if_resolved: float
    demand_if_weak: float
    weak: StateCheck
    resolved: StateCheck
    credible: bool
    threshold: float | None
    midpoint: float | None
    war_probability_without: float
    war_probability_with: float
    value: float
    expected_a_without: float
    expected_a_with: float

    def to_dict(self) -> dict:
        out = {k: getattr(self, k) for k in self.__dataclass_fields__}
        out["weak"] = self.weak.to_dict()
        out["resolved"] = self.resolved.to_dict()
        return out


def mediator_credibility(p: float, c_a: float, c_low: float, c_high: float, q: float,
                         m: float, c_m: float = MEDIATOR_WAR_COST) -> MediatorCredibility:
    """When is a mediator's report of B's type credible? ([R] reconstruction.)

    On the risk-return set-up, a mediator observes B's type and tells A "resolved" or
    "weak"; a believed report leads A to demand x_low = p + c_low or x_high = p + c_high,
    both accepted. The mediator's utility over A's share is v(x) = -|x - m| (ideal point m
    in [0, 1]); war gives it the lottery p v(1) + (1 - p) v(0) - c_m. It tells the truth iff

    * B weak: v(x_high) >= v(x_low), i.e. m >= (x_low + x_high) / 2 (when x_high > x_low);
    * B resolved: v(x_low) >= p v(1) + (1 - p) v(0) - c_m, i.e. m >= (x_low - p - c_m) /
      (2 (1 - p)), a bound never above x_low.

    Credible iff both hold: only a mediator leaning to A's side is believed when it counsels
    restraint. When the two demands differ the first condition implies the second, so in
    this reconstruction the verdict depends on m alone and c_m only sets how much slack the
    resolved-state condition has (both utilities are reported). If credible, the war
    probability falls from the risk-return value to 0; otherwise A ignores the report.
    Example (p = 0.5, c_a = 0.1, c_low = 0.05, c_high = 0.3, q = 0.3, c_m = 0.1): credible
    iff m >= 0.675; war probability 0.3 -> 0. Cost O(1).

    The payoff form v, the war lottery and c_m = 0.1 are assumptions of Accord's reference
    notes, not Kydd's equations. Argument after Kydd, A. (2003) Which side are you on?
    Bias, credibility, and mediation. American Journal of Political Science 47(4):597-611.
    """
    ch = Checks()
    pp, ca, cl, chh, qq = risk_inputs(p, c_a, c_low, c_high, q, ch)
    mm = ch.unit(m, "m", "the mediator's ideal point")
    cm = ch.cost(c_m, "c_m", "the mediator's cost of war")
    ch.done()
    r = risk_lottery(pp, ca, cl, chh, qq)
    x_l, x_h = r["x_l"], r["x_h"]

    def v(x: Fraction) -> Fraction:
        return -abs(x - mm)

    war_value = pp * v(Fraction(1)) + (1 - pp) * v(Fraction(0)) - cm
    weak = StateCheck("weak", float(v(x_h)), float(v(x_l)), v(x_h) >= v(x_l))
    resolved = StateCheck("resolved", float(v(x_l)), float(war_value), v(x_l) >= war_value)
    credible = weak.holds and resolved.holds
    # the credible set of m in [0, 1] is [threshold, 1]: both conditions are m >= bound
    bounds = [Fraction(0)]
    midpoint = (x_l + x_h) / 2 if x_h > x_l else None
    if midpoint is not None:
        bounds.append(midpoint)
    if pp < 1:
        bounds.append((x_l - pp - cm) / (2 * (1 - pp)))
    threshold = max(bounds)
    without = r["war"]
    with_ = Fraction(0) if credible else without
    expected_without = max(r["safe"], r["risky"])
    expected_with = qq * x_l + (1 - qq) * x_h if credible else expected_without
    return MediatorCredibility(
        p=float(pp), c_a=float(ca), c_low=float(cl), c_high=float(chh), q=float(qq),
        m=float(mm), c_m=float(cm), demand_if_resolved=float(x_l), demand_if_weak=float(x_h),
        weak=weak, resolved=resolved, credible=credible,
        threshold=float(threshold) if threshold <= 1 else None,
        midpoint=None if midpoint is None else float(midpoint),
        war_probability_without=float(without), war_probability_with=float(with_),
        value=float(without - with_), expected_a_without=float(expected_without),
        expected_a_with=float(expected_with))
