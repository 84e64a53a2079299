"""Scenarios' war lotteries: the actors whose BATNA is p * win + (1 - p) * loss - cost, and for
each pair of parties at war with each other (win probabilities p and 1 - p) Fearon's
bargaining range, on A's share and on each issue both have preferences on.

Fearon, J. D. (1995) Rationalist explanations for war. International Organization
49(3):379-414. doi:10.1017/S0020818300033324
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from .checks import exact

if TYPE_CHECKING:
    from ...scenario import Scenario


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
