"""Every analysis of `accord trust` at once, on a validated `TrustSpec`: the closed-form
thresholds of cooperation, the round robin (with the equilibrium check when w < 1), which
strategies spread (replicator dynamics, the Moran process) and, when asked, how much Track-II
contact makes cooperation stable. `TrustAnalysis.to_dict()` is the JSON of
`accord trust --json`."""

from __future__ import annotations

from dataclasses import dataclass

from ...budget import Budget
from ...errors import InputError
from .evolution import Moran, Replicator, moran, replicator
from .files import TrustSpec
from .payoffs import Payoffs, as_fraction, grim_threshold, tft_threshold
from .round_robin import Tournament, tournament
from .track2 import Track2, contact_needed


@dataclass(frozen=True)
class Threshold:
    """The least continuation probability `w` at which a closed form says cooperation holds
    (without noise), and whether the game's own w meets it (None for a number of turns)."""

    name: str
    w: float
    met: bool | None

    def to_dict(self) -> dict:
        return {"w": self.w, "fraction": as_fraction(self.w), "met": self.met}


@dataclass(frozen=True)
class TrustAnalysis:
    """What `analyze_trust` found. `moran` is None when linear fitness would go negative with
    these payoffs (a note says so); `track2` is None unless the spec asks for it."""

    title: str | None
    source: str | None
    payoffs: Payoffs
    thresholds: tuple[Threshold, ...]
    tournament: Tournament
    replicator: Replicator
    moran: Moran | None
    track2: Track2 | None
    notes: tuple[str, ...]

    def to_dict(self) -> dict:
        t = self.tournament
        return {
            "title": self.title, "source": self.source, "payoffs": self.payoffs.to_dict(),
            "game": {"turns": t.turns, "continuation": t.continuation, "noise": t.noise,
                     "self_play": t.self_play},
            "thresholds": {th.name: th.to_dict() for th in self.thresholds},
            "tournament": t.to_dict(),
            "evolution": {"replicator": self.replicator.to_dict(),
                          "moran": None if self.moran is None else self.moran.to_dict()},
            "track2": None if self.track2 is None else self.track2.to_dict(),
            "notes": list(self.notes),
        }


def analyze_trust(spec: TrustSpec, budget: Budget | None = None) -> TrustAnalysis:
    """Every analysis of `accord trust` on `spec`; the tournament polls `budget`
    (`BudgetExceeded` when it runs out)."""
    p = spec.payoffs
    w = spec.continuation
    discounted = w is not None and w < 1.0
    t = tournament(spec.strategies(), p, turns=spec.turns, continuation=w, noise=spec.noise,
                   self_play=spec.self_play, equilibria=discounted, budget=budget)
    thresholds = tuple(Threshold(name, value, None if w is None else bool(w >= value))
                       for name, value in (("grim", grim_threshold(p)),
                                           ("tft", tft_threshold(p))))
    rep = replicator(t.matrix, t.names, time=spec.time)
    notes = []
    try:
        mor: Moran | None = moran(t.matrix, t.names, spec.population, spec.intensity,
                                  spec.fitness)
    except InputError as exc:  # linear fitness gone negative with these payoffs
        mor = None
        notes.append("Moran process skipped: " + "; ".join(q.message for q in exc.problems)
                     + " (evolution: {intensity: ..., fitness: exponential} in a file).")
    if p.alternation_beats_cooperation:
        notes.append("2R <= T + S: taking turns to exploit each other pays as well as "
                     "mutual cooperation; the thresholds assume 2R > T + S.")
    if spec.noise > 0:
        notes.append("The closed-form thresholds assume no noise; the equilibrium column "
                     "is exact with noise.")
    if t.unique is not None and not t.unique.all():
        pairs = [f"{t.names[i]}-{t.names[j]}" for i in range(t.n) for j in range(i, t.n)
                 if not t.unique[i, j]]
        notes.append("Long-run averages that depend on the first rounds (no unique "
                     "stationary distribution): " + ", ".join(pairs) + ".")
    track2 = None
    if spec.track2 is not None:
        track2 = contact_needed(p, list(spec.track2_strategies), spec.track2,
                                spec.max_contact, spec.points)
    return TrustAnalysis(spec.title, spec.source, p, thresholds, t, rep, mor, track2,
                         tuple(notes))
