"""Crises under private information: Fearon's bargaining model of war, the risk-return
trade-off, when a mediator's report is credible, and the link to scenarios' war lotteries.

Fearon (1995). States A and B dispute an issue normalised to [0, 1], x being A's share. In
a war A wins with probability p; war costs A c_a and B c_b. A prefers a deal x to war iff
x >= p - c_a, B iff 1 - x >= 1 - p - c_b, so with positive costs there is always a range of
deals both prefer to war: x in [p - c_a, p + c_b], of width c_a + c_b.

Why rational states still fight: with one-sided private information, A makes a take-it-or-
leave-it demand not knowing B's cost; B is "resolved" (cost c_low) with probability q and
"weak" (c_high) otherwise. A demands either p + c_low (safe: both types accept) or
p + c_high (risky: only the weak type accepts; the resolved one fights). The risky demand
pays iff (1 - q) c_high - c_low > q c_a, i.e. q < q* = (c_high - c_low) / (c_high + c_a).

A mediator who knows B's type can remove the gamble by telling A, but only if A believes
it (Kydd 2003). `mediator_credibility` is a reconstruction in the spirit of Kydd's argument,
NOT Kydd's own model: the mediator's utility over A's share, v(x) = -|x - m|, and its cost
of war c_m (0.1 by default) are assumptions of Accord's reference notes.

All arithmetic is exact (on fractions of the decimal inputs, so 0.7 * 0.8 + 0.3 * 0.4 is
exactly 0.68); results are floats.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from fractions import Fraction
from numbers import Rational, Real
from typing import TYPE_CHECKING, Any

from ...budget import Budget, check
from ...errors import InputError, Problem
from ...numeric import exact_number

if TYPE_CHECKING:
    from ...scenario import Scenario

MEDIATOR_WAR_COST = 0.1
"""The mediator's cost of war assumed in the reference's reconstruction of Kydd (2003)."""


# --- exact arithmetic and checks ----------------------------------------------------------


def exact(x: Any, name: str) -> Fraction:
    """A number as an exact fraction: a float by its shortest decimal form (0.1 -> 1/10)."""
    if isinstance(x, bool) or not isinstance(x, Real):
        raise InputError([Problem(name, f"expected a number, got {x!r}")])
    if isinstance(x, Rational):
        x = Fraction(x.numerator, x.denominator)
    f = exact_number(x if isinstance(x, Fraction | int) else float(x))
    if f is None:
        raise InputError([Problem(name, f"expected a finite number, got {x!r}")])
    return f


def _num(x: Fraction) -> str:
    return f"{float(x):g}"


class _Checks:
    """Collects every problem with the parameters before raising one `InputError`."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def number(self, x: Any, name: str) -> Fraction | None:
        try:
            return exact(x, name)
        except InputError as exc:
            self.problems += exc.problems
            return None

    def unit(self, x: Any, name: str, what: str) -> Fraction:
        v = self.number(x, name)
        if v is not None and not 0 <= v <= 1:
            self.problems.append(Problem(name, f"{what} must lie in [0, 1], got {_num(v)}"))
        return v if v is not None else Fraction(0)

    def cost(self, x: Any, name: str, what: str) -> Fraction:
        v = self.number(x, name)
        if v is not None and v < 0:
            self.problems.append(Problem(name, f"{what} must be at least 0, got {_num(v)}"))
        return v if v is not None else Fraction(0)

    def done(self) -> None:
        if self.problems:
            raise InputError(self.problems)


def _risk_inputs(p: Any, c_a: Any, c_low: Any, c_high: Any, q: Any, ch: _Checks
                 ) -> tuple[Fraction, ...]:
    pp = ch.unit(p, "p", "A's probability of winning")
    ca = ch.cost(c_a, "c_a", "A's cost of war")
    cl = ch.cost(c_low, "c_low", "the resolved type's cost of war")
    chh = ch.cost(c_high, "c_high", "the weak type's cost of war")
    qq = ch.unit(q, "q", "the probability that B is resolved")
    if not ch.problems and chh < cl:
        ch.problems.append(Problem("c_high", f"the weak type's cost ({_num(chh)}) must be at "
                                             f"least the resolved type's c_low ({_num(cl)})"))
    return pp, ca, cl, chh, qq


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
    ch = _Checks()
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


def _risk(pp: Fraction, ca: Fraction, cl: Fraction, chh: Fraction, qq: Fraction) -> dict:
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
    ch = _Checks()
    pp, ca, cl, chh, qq = _risk_inputs(p, c_a, c_low, c_high, q, ch)
    ch.done()
    r = _risk(pp, ca, cl, chh, qq)
    return RiskReturn(
        p=float(pp), c_a=float(ca), c_low=float(cl), c_high=float(chh), q=float(qq),
        safe_demand=float(r["x_l"]), risky_demand=float(r["x_h"]),
        expected_safe=float(r["safe"]), expected_risky=float(r["risky"]),
        war_payoff_a=float(r["war_a"]), choice="risky" if r["gamble"] else "safe",
        demand=float(r["x_h"] if r["gamble"] else r["x_l"]),
        expected=float(max(r["safe"], r["risky"])), war_probability=float(r["war"]),
        cutoff=float(r["cutoff"]))


# --- mediator credibility ([R] reconstruction in the spirit of Kydd 2003) --------------------


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
    ch = _Checks()
    pp, ca, cl, chh, qq = _risk_inputs(p, c_a, c_low, c_high, q, ch)
    mm = ch.unit(m, "m", "the mediator's ideal point")
    cm = ch.cost(c_m, "c_m", "the mediator's cost of war")
    ch.done()
    r = _risk(pp, ca, cl, chh, qq)
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


# --- scenarios: BATNAs from war lotteries, and Fearon's range on the issues ----------------


@dataclass(frozen=True)
class WarBatna:
    """An actor whose BATNA is a war lottery: p * win + (1 - p) * loss - cost (`value`,
    unclipped) and the scenario's BATNA (`batna`, clipped to [0, 1])."""

    actor: str
    role: str
    p: float
    win: float
    loss: float
    cost: float
    value: float
    batna: float

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class IssueRange:
    """The deals on one issue that both sides of a war pair prefer to war, if that issue were
    the whole dispute: an interval [low, high] of a numeric issue (None when empty) or the
    options of a discrete one."""

    issue: str
    kind: str
    low: float | None = None
    high: float | None = None
    options: tuple[str, ...] | None = None

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"issue": self.issue, "kind": self.kind}
        if self.kind == "numeric":
            out.update(low=self.low, high=self.high)
        else:
            out["options"] = list(self.options or ())
        return out


@dataclass(frozen=True)
class WarPair:
    """Two parties at war with each other (win probabilities p and 1 - p): Fearon's range on
    A's share, [A's war value, 1 - B's war value] ([p - c_a, p + c_b] when win = 1 and
    loss = 0), and the same range expressed on each issue both have preferences on."""

    a: str
    b: str
    p: float
    low: float
    high: float
    width: float
    exists: bool
    issues: tuple[IssueRange, ...]

    def to_dict(self) -> dict:
        return {"a": self.a, "b": self.b, "p": self.p, "low": self.low, "high": self.high,
                "width": self.width, "exists": self.exists,
                "issues": [i.to_dict() for i in self.issues]}


@dataclass(frozen=True)
class ScenarioWars:
    """Every actor of a scenario whose BATNA is a war lottery, and every pair of parties whose
    win probabilities add up to 1."""

    actors: tuple[WarBatna, ...]
    pairs: tuple[WarPair, ...]

    def to_dict(self) -> dict:
        return {"actors": [a.to_dict() for a in self.actors],
                "pairs": [p.to_dict() for p in self.pairs]}


def _war_value(w: Any) -> Fraction:
    p = exact(w.win_probability, "win_probability")
    return p * exact(w.win, "win") + (1 - p) * exact(w.loss, "loss") - exact(w.cost, "cost")


def _issue_range(scenario: Scenario, issue_id: str, a: Any, b: Any) -> IssueRange | None:
    from ...scenario import NumericPreference

    issue = scenario.issue(issue_id)
    pa, pb = a.preferences.get(issue_id), b.preferences.get(issue_id)
    if pa is None or pb is None:
        return None
    ba, bb = exact(a.batna, "batna"), exact(b.batna, "batna")
    if issue.is_numeric:
        if not (isinstance(pa, NumericPreference) and isinstance(pb, NumericPreference)):
            return None
        lo, hi = (exact(x, "range") for x in issue.range)  # type: ignore[union-attr]
        # s(x)/100 = 1 - |x - ideal| / (hi - lo) >= batna  <=>  |x - ideal| <= (1 - batna) span
        low, high = lo, hi
        for pref, batna in ((pa, ba), (pb, bb)):
            ideal, reach = exact(pref.ideal, "ideal"), (1 - batna) * (hi - lo)
            low, high = max(low, ideal - reach), min(high, ideal + reach)
        if low > high:
            return IssueRange(issue_id, "numeric")
        return IssueRange(issue_id, "numeric", float(low), float(high))
    if isinstance(pa, NumericPreference) or isinstance(pb, NumericPreference):
        return None
    options = tuple(str(o) for o in issue.labels()
                    if exact(pa.get(o, 0), "score") / 100 >= ba
                    and exact(pb.get(o, 0), "score") / 100 >= bb)
    return IssueRange(issue_id, "discrete", options=options)


def scenario_wars(scenario: Scenario) -> ScenarioWars:
    """The actors whose BATNA is derived from a war lottery (`actor.war`), and for each pair
    of parties with win probabilities p and 1 - p, Fearon's bargaining range.

    On A's share of the issue the range is [v_A, 1 - v_B], v being each side's war value
    p * win + (1 - p) * loss - cost; with win = 1, loss = 0 it is [p - c_A, p + c_B]. On one
    issue (as if it were the whole dispute), the range is the set of deals each side scores
    at least its BATNA: on a numeric issue the points within (1 - BATNA) * (hi - lo) of both
    ideal points (so lo + (hi - lo) [p - c_A, p + c_B] when the ideals are the two poles),
    on a discrete issue the options both score at least 100 * BATNA. Cost O(actors^2 *
    options).

    Fearon, J. D. (1995) Rationalist explanations for war. International Organization
    49(3):379-414.
    """
    at_war = [a for a in scenario.actors if a.war is not None]
    actors = tuple(WarBatna(
        actor=a.id, role=a.role, p=a.war.win_probability, win=a.war.win, loss=a.war.loss,
        cost=a.war.cost, value=float(_war_value(a.war)), batna=a.batna) for a in at_war)
    parties = [a for a in at_war if a.role == "party"]
    pairs = []
    for i, a in enumerate(parties):
        for b in parties[i + 1:]:
            pa = exact(a.war.win_probability, "win_probability")
            if pa + exact(b.war.win_probability, "win_probability") != 1:
                continue
            low, high = _war_value(a.war), 1 - _war_value(b.war)
            issues = tuple(r for r in (_issue_range(scenario, i.id, a, b)
                                       for i in scenario.issues) if r is not None)
            pairs.append(WarPair(a=a.id, b=b.id, p=float(pa), low=float(low),
                                 high=float(high), width=float(high - low),
                                 exists=low <= high, issues=issues))
    return ScenarioWars(actors, tuple(pairs))


# --- the crisis file --------------------------------------------------------------------------

_SECTIONS: dict[str, dict[str, str]] = {
    "bargaining_range": {"p": "A's probability of winning a war", "c_a": "A's cost of war",
                         "c_b": "B's cost of war"},
    "risk_return": {"p": "A's probability of winning a war", "c_a": "A's cost of war",
                    "c_low": "the resolved type's cost of war",
                    "c_high": "the weak type's cost of war",
                    "q": "the probability that B is resolved"},
    "mediator_credibility": {"p": "A's probability of winning a war", "c_a": "A's cost of war",
                             "c_low": "the resolved type's cost of war",
                             "c_high": "the weak type's cost of war",
                             "q": "the probability that B is resolved",
                             "m": "the mediator's ideal point",
                             "c_m": "the mediator's cost of war"},
    "cheap_talk": {"b": "the sender's bias"},
}
_TOP_FIELDS = ("title", "note", *_SECTIONS)
_INHERITED = ("p", "c_a", "c_low", "c_high", "q")


@dataclass(frozen=True)
class Case:
    """One set of parameters from a crisis file and its result."""

    label: str | None
    result: Any

    def to_dict(self) -> dict:
        return {"label": self.label, **self.result.to_dict()}


@dataclass(frozen=True)
class CrisisReport:
    """Everything `accord crisis` shows: the cases of a crisis file (or of a scenario's
    `games.crisis`), and for a scenario its war lotteries and Fearon ranges."""

    source: str
    title: str | None = None
    scenario: str | None = None
    bargaining_range: tuple[Case, ...] = ()
    risk_return: tuple[Case, ...] = ()
    mediator_credibility: tuple[Case, ...] = ()
    cheap_talk: tuple[Case, ...] = ()
    wars: ScenarioWars | None = field(default=None)

    def to_dict(self) -> dict:
        wars = self.wars.to_dict() if self.wars else {"actors": [], "pairs": []}
        return {"source": self.source, "title": self.title, "scenario": self.scenario,
                **{s: [c.to_dict() for c in getattr(self, s)] for s in _SECTIONS},
                "war_lotteries": wars["actors"], "fearon_pairs": wars["pairs"]}


def _where(prefix: str, *parts: str | int) -> str:
    out = prefix
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def _unknown(key: Any, known: list[str]) -> str:
    close = difflib.get_close_matches(str(key), known, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown field{hint}; expected one of: {', '.join(known)}"


def _cases(data: dict, section: str, prefix: str) -> tuple[list[tuple[str, dict]], list[Problem]]:
    raw = data[section]
    if isinstance(raw, dict):
        items = [(_where(prefix, section), raw)]
    elif isinstance(raw, list) and raw:
        items = [(_where(prefix, section, k), c) for k, c in enumerate(raw)]
    else:
        return [], [Problem(_where(prefix, section),
                            "expected a mapping of parameters or a non-empty list of them")]
    problems = [Problem(w, f"expected a mapping of parameters, got {type(c).__name__}")
                for w, c in items if not isinstance(c, dict)]
    return [(w, c) for w, c in items if isinstance(c, dict)], problems


def crisis_report(data: Any, source: str, prefix: str = "", budget: Budget | None = None
                  ) -> CrisisReport:
    """Read a crisis file's data (already parsed YAML) and compute every case in it.

    The file is a mapping with any of the sections `bargaining_range`, `risk_return`,
    `mediator_credibility` and `cheap_talk`, each a mapping of the parameters of the function
    of that name (or a list of such mappings), plus an optional `title`. In
    `mediator_credibility`, p, c_a, c_low, c_high and q default to those of the file's
    `risk_return` case when there is exactly one, and c_m to 0.1. Every problem (unknown or
    missing fields, values out of bounds) is reported at once as an `InputError`, with its
    path inside the file (`prefix` is the path of the data in a scenario, `games.crisis`).
    `budget` is polled before every case (`BudgetExceeded` when it runs out).
    """
    file = source
    top = prefix or "(top level)"
    if data is None:
        raise InputError([Problem(top, "is empty: give at least one of "
                                       + ", ".join(_SECTIONS), file)])
    if not isinstance(data, dict):
        raise InputError([Problem(top, "expected a mapping with any of the sections "
                                       f"{', '.join(_SECTIONS)}, got a {type(data).__name__}",
                                  file)])
    problems: list[Problem] = []
    for key in data:
        if key not in _TOP_FIELDS:
            problems.append(Problem(_where(prefix, str(key)), _unknown(key, list(_TOP_FIELDS))))
    for key in ("title", "note"):
        if key in data and not isinstance(data[key], str):
            problems.append(Problem(_where(prefix, key), "expected text"))
    if not any(s in data for s in _SECTIONS):
        problems.append(Problem(top, "no model to run: give at least one of "
                                     + ", ".join(_SECTIONS)))
    inherited: dict | None = None
    if isinstance(data.get("risk_return"), dict):
        inherited = data["risk_return"]
    elif isinstance(data.get("risk_return"), list) and len(data["risk_return"]) == 1 \
            and isinstance(data["risk_return"][0], dict):
        inherited = data["risk_return"][0]
    from .crawford_sobel import cheap_talk

    functions = {"bargaining_range": bargaining_range, "risk_return": risk_return,
                 "mediator_credibility": mediator_credibility, "cheap_talk": cheap_talk}
    results: dict[str, list[Case]] = {s: [] for s in _SECTIONS}
    done = 0
    for section, params in _SECTIONS.items():
        if section not in data:
            continue
        items, found = _cases(data, section, prefix)
        problems += found
        known = [*params, "label"]
        for where, case in items:
            check(budget, done, None, "crisis cases", "give fewer cases")
            done += 1
            bad = False
            for key in case:
                if key not in known:
                    problems.append(Problem(_where(where, str(key)), _unknown(key, known)))
                    bad = True
            label = case.get("label")
            if label is not None and not isinstance(label, str | int | float):
                problems.append(Problem(_where(where, "label"), "expected text"))
                bad = True
            args, inherited_names, missing = {}, set(), set()
            for name, what in params.items():
                if name in case:
                    args[name] = case[name]
                elif name == "c_m":
                    args[name] = MEDIATOR_WAR_COST
                elif section == "mediator_credibility" and name in _INHERITED \
                        and inherited is not None and name in inherited:
                    args[name] = inherited[name]
                    inherited_names.add(name)
                else:
                    extra = (" (or give exactly one risk_return case to take it from)"
                             if section == "mediator_credibility" and name in _INHERITED
                             else "")
                    problems.append(Problem(_where(where, name),
                                            f"required field is missing: {what}{extra}"))
                    missing.add(name)
                    args[name] = 0  # a stand-in, so that the other values are still checked
            try:
                result = functions[section](**args)
            except InputError as exc:
                # a value taken from risk_return is reported there, not twice
                problems += [Problem(_where(where, p.path), p.message) for p in exc.problems
                             if p.path not in inherited_names | missing]
                continue
            if bad or missing:
                continue
            results[section].append(Case(None if label is None else str(label), result))
    if problems:
        raise InputError([Problem(p.path, p.message, file) for p in problems])
    title = data.get("title")
    return CrisisReport(source=source, title=title, scenario=None,
                        **{s: tuple(c) for s, c in results.items()})


def scenario_crisis(scenario: Scenario, source: str, budget: Budget | None = None
                    ) -> CrisisReport:
    """The crisis analysis of a scenario: its `games.crisis` section (in the crisis file's
    form), its actors whose BATNA is a war lottery, and the Fearon range of each pair of
    parties at war with each other. Raises `InputError` when it has neither. `budget` is
    polled before every case of the section."""
    wars = scenario_wars(scenario)
    section = scenario.games.get("crisis")
    if section is None and not wars.actors:
        raise InputError([Problem("games.crisis", "nothing to analyse: the scenario has no "
                                  "games.crisis section and no actor with a war lottery "
                                  "(actors[].war)", source)])
    if section is None:
        report = CrisisReport(source=source)
    else:
        report = crisis_report(section, source, prefix="games.crisis", budget=budget)
    return CrisisReport(
        source=source, title=report.title or scenario.title, scenario=scenario.id,
        bargaining_range=report.bargaining_range, risk_return=report.risk_return,
        mediator_credibility=report.mediator_credibility, cheap_talk=report.cheap_talk,
        wars=wars)
