"""`StakeholderData`: what the forecast models read.

Positions are on the internal 0..100 scale of each issue (`scales` maps them back to the
issue's original units); saliences are per actor and issue; capability is per actor. An actor
with no data on an issue has salience 0 and position NaN there, and counts for nothing on it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..scenario import Actor, Issue, NumericPreference, Scenario


@dataclass(frozen=True, eq=False)
class StakeholderData:
    """Actors x issues: capability (n,), position (n, d) on 0..100, salience (n, d).

    `scales[k] = (lo, hi)` is issue k's original scale: 0..100 maps to lo..hi. `source`
    says where the data came from (a file name or `scenario <id>`).
    """

    actors: tuple[str, ...]
    issues: tuple[str, ...]
    capability: np.ndarray
    position: np.ndarray
    salience: np.ndarray
    scales: tuple[tuple[float, float], ...]
    source: str

    def __post_init__(self) -> None:
        n, d = len(self.actors), len(self.issues)
        cap = np.asarray(self.capability, dtype=float).reshape(n)
        pos = np.asarray(self.position, dtype=float).reshape(n, d)
        sal = np.asarray(self.salience, dtype=float).reshape(n, d)
        if len(self.scales) != d:
            raise ValueError(f"{len(self.scales)} scales for {d} issues")
        for a in (cap, pos, sal):
            a.setflags(write=False)
        object.__setattr__(self, "capability", cap)
        object.__setattr__(self, "position", pos)
        object.__setattr__(self, "salience", sal)
        object.__setattr__(self, "actors", tuple(self.actors))
        object.__setattr__(self, "issues", tuple(self.issues))
        object.__setattr__(self, "scales", tuple((float(lo), float(hi))
                                                 for lo, hi in self.scales))

    @property
    def n_actors(self) -> int:
        return len(self.actors)

    @property
    def n_issues(self) -> int:
        return len(self.issues)

    def select_actors(self, keep: np.ndarray | list[bool]) -> StakeholderData:
        """The same data restricted to the actors where `keep` is true."""
        keep = np.asarray(keep, dtype=bool)
        return StakeholderData(
            actors=tuple(a for a, k in zip(self.actors, keep, strict=True) if k),
            issues=self.issues, capability=self.capability[keep],
            position=self.position[keep], salience=self.salience[keep], scales=self.scales,
            source=self.source)

    def to_original(self, k: int, value: float) -> float:
        """A value on issue k's 0..100 scale in the issue's original units."""
        lo, hi = self.scales[k]
        return lo + value / 100.0 * (hi - lo)

    def original_positions(self) -> np.ndarray:
        """Positions (n, d) in each issue's original units."""
        lo = np.array([s[0] for s in self.scales])
        hi = np.array([s[1] for s in self.scales])
        return lo + self.position / 100.0 * (hi - lo)

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> StakeholderData:
        """Every actor of a scenario: its capability, its salience weights normalised to sum 1
        (all issues equal when absent; issues left out weigh 0), and its position on 0..100:
        the scenario's `position` when given, else its best option (options spread evenly pole
        to pole, a tie between best options takes their mean place; a numeric ideal rescaled
        from the issue's range). An actor with neither on an issue gets salience 0 there.

        Scales: a numeric issue keeps its range; a discrete issue is 0..100.
        """
        issues = scenario.issues
        n, d = len(scenario.actors), len(issues)
        pos = np.full((n, d), np.nan)
        sal = np.zeros((n, d))
        for i, actor in enumerate(scenario.actors):
            weights = actor.salience or {issue.id: 1.0 for issue in issues}
            total = sum(weights.values())
            for k, issue in enumerate(issues):
                x = _position(actor, issue)
                if x is None:
                    continue
                pos[i, k] = x
                sal[i, k] = weights.get(issue.id, 0.0) / total if total > 0 else 0.0
        scales = tuple((issue.range if issue.range is not None else (0.0, 100.0))
                       for issue in issues)
        return cls(actors=tuple(a.id for a in scenario.actors),
                   issues=tuple(i.id for i in issues),
                   capability=np.array([a.capability for a in scenario.actors], dtype=float),
                   position=pos, salience=sal, scales=scales,  # type: ignore[arg-type]
                   source=f"scenario {scenario.id}")


def _position(actor: Actor, issue: Issue) -> float | None:
    """The actor's place on 0..100 on the issue, or None when the scenario says nothing."""
    if actor.position is not None and issue.id in actor.position:
        return float(actor.position[issue.id])
    pref = actor.preferences.get(issue.id)
    if pref is None:
        return None
    if isinstance(pref, NumericPreference):
        assert issue.range is not None
        lo, hi = issue.range
        return 100.0 * (pref.ideal - lo) / (hi - lo) if hi > lo else 50.0
    assert issue.options is not None
    ids = [o.id for o in issue.options]
    best = max(pref.values())
    places = [100.0 * k / (len(ids) - 1) if len(ids) > 1 else 50.0
              for k, o in enumerate(ids) if pref.get(o) == best]
    return float(np.mean(places))
