"""Track-II contact and the stability of cooperation: how much back-channel contact does it
take before cooperation can sustain itself, for given payoffs?

The model (an assumption of Accord's, in the spirit of Axelrod 1984, ch. 7 "enlarge the
shadow of the future", and of the Track-II literature: unofficial meetings make the
relationship expected to last and make moves observable). A level of contact c >= 0
(back-channel meetings per period of the game) sets

* the continuation probability w(c) = w_max - (w_max - w0) exp(-a c): from w0 with no
  contact towards a ceiling w_max < 1, at rate a per meeting;
* the noise (the chance that a move is a mistake or is misread) e(c) = e0 exp(-b c).

Cooperation is *stable* at c for a strategy s when s against itself is a Nash equilibrium
of the repeated game with w(c) and e(c): no strategy whatever earns more against s
(`accord.games.repeated.equilibrium`, exact). Without noise this is a closed form: grim
needs w >= (T-R)/(T-P), tit-for-tat w >= max((T-R)/(T-P), (T-R)/(R-S)), so the contact
needed is w^-1 of that threshold. With noise it is computed, and need not exist: noise
makes tit-for-tat's retaliation echo, and for w close to 1 a more forgiving reply beats it.

The parameters are illustrative assumptions, not estimates: set them for a case.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ...errors import InputError, Problem
from .automata import Strategy, strategy
from .best_reply import best_response
from .matches import match
from .payoffs import Payoffs, grim_threshold, tft_threshold

DEFAULT_TRACK2_STRATEGIES: tuple[str, ...] = ("grim", "tft", "ctft", "wsls")


@dataclass(frozen=True)
class ContactModel:
    """How contact c raises the continuation probability and lowers noise (see the module
    docstring). Defaults: w0 = 0.4, w_max = 0.95, a = 0.15 per meeting; e0 = 0.05,
    b = 0.3 per meeting (illustrative)."""

    w0: float = 0.4
    w_max: float = 0.95
    w_rate: float = 0.15
    noise0: float = 0.05
    noise_rate: float = 0.3

    def __post_init__(self) -> None:
        p = []
        if not (0.0 <= self.w0 <= self.w_max < 1.0):
            p.append(Problem("track2", f"need 0 <= w0 <= w_max < 1 (got w0={self.w0:g}, "
                                       f"w_max={self.w_max:g})"))
        if not (self.w_rate >= 0 and math.isfinite(self.w_rate)):
            p.append(Problem("track2.w_rate", "must be >= 0"))
        if not (0.0 <= self.noise0 <= 0.5):
            p.append(Problem("track2.noise0", "must lie in [0, 0.5]"))
        if not (self.noise_rate >= 0 and math.isfinite(self.noise_rate)):
            p.append(Problem("track2.noise_rate", "must be >= 0"))
        if p:
            raise InputError(p)

    def continuation(self, contact: float) -> float:
        return self.w_max - (self.w_max - self.w0) * math.exp(-self.w_rate * contact)

    def noise(self, contact: float) -> float:
        return self.noise0 * math.exp(-self.noise_rate * contact)

    def contact_for(self, w: float) -> float | None:
        """The least contact with w(c) >= w (0 if w0 already is; None if w >= w_max is out
        of reach)."""
        if w <= self.w0:
            return 0.0
        if w >= self.w_max or self.w_rate == 0:
            return None
        return -math.log((self.w_max - w) / (self.w_max - self.w0)) / self.w_rate

    def to_dict(self) -> dict:
        return {"w0": self.w0, "w_max": self.w_max, "w_rate": self.w_rate,
                "noise0": self.noise0, "noise_rate": self.noise_rate}


def _stable(s: Strategy, payoffs: Payoffs, w: float, noise: float) -> tuple[bool, float, float]:
    """(stable, own payoff per round, own cooperation share) of s against its twin."""
    best, _ = best_response(s, payoffs, continuation=w, noise=noise)
    m = match(s, s, payoffs, continuation=w, noise=noise, sd=False)
    own = m.totals[0]  # type: ignore[index]
    return bool(own >= best - 1e-9 * max(1.0, abs(best))), m.scores[0], m.cooperation[0]


@dataclass(frozen=True)
class Track2:
    """For each strategy: whether cooperation with it is stable at each contact level of
    `grid`; `needed[s]`: the least contact from which it is (refined by bisection; None if
    never within the grid); `holds[s]`: whether it then stays stable up to the end of the
    grid; `closed_form[s]`: the answer without noise, w^-1(threshold), for grim, TFT and
    contrite TFT (which plays TFT when nobody errs)."""

    payoffs: Payoffs
    model: ContactModel
    names: tuple[str, ...]
    grid: np.ndarray
    stable: np.ndarray
    score: np.ndarray
    cooperation: np.ndarray
    needed: dict[str, float | None]
    holds: dict[str, bool]
    closed_form: dict[str, float | None]

    def row(self, name: str) -> dict:
        c = self.needed[name]
        out: dict = {"strategy": name, "contact": c, "holds_to_max": self.holds[name],
                     "closed_form_without_noise": self.closed_form.get(name)}
        if c is not None:
            out["continuation"] = self.model.continuation(c)
            out["noise"] = self.model.noise(c)
        return out

    def to_dict(self) -> dict:
        return {
            "payoffs": self.payoffs.to_dict(), "model": self.model.to_dict(),
            "thresholds": {"grim": grim_threshold(self.payoffs),
                           "tft": tft_threshold(self.payoffs)},
            "needed": [self.row(n) for n in self.names],
            "grid": {"contact": [float(x) for x in self.grid],
                     "continuation": [self.model.continuation(x) for x in self.grid],
                     "noise": [self.model.noise(x) for x in self.grid],
                     "stable": {n: [bool(x) for x in self.stable[k]]
                                for k, n in enumerate(self.names)},
                     "score": {n: [float(x) for x in self.score[k]]
                               for k, n in enumerate(self.names)},
                     "cooperation": {n: [float(x) for x in self.cooperation[k]]
                                     for k, n in enumerate(self.names)}},
        }


def contact_needed(payoffs: Payoffs | None = None,
                   strategies: Sequence[str | Strategy] = DEFAULT_TRACK2_STRATEGIES,
                   model: ContactModel | None = None, max_contact: float = 30.0,
                   points: int = 121) -> Track2:
    """Scan contact levels 0..`max_contact` and find, for each strategy, the least contact
    at which cooperation with it is a (Nash) equilibrium of the noisy repeated game. The
    first switch from unstable to stable on the grid is refined by bisection to 1e-9.
    Cost: `points` x strategies exact best replies (a fraction of a second)."""
    payoffs = payoffs or Payoffs()
    model = model or ContactModel()
    if not (max_contact > 0 and math.isfinite(max_contact)):
        raise InputError([Problem("track2.max_contact", "must be a positive number")])
    if not (isinstance(points, int) and points >= 2):
        raise InputError([Problem("track2.points", "must be a whole number >= 2")])
    strats = [strategy(s, payoffs) for s in strategies]
    grid = np.linspace(0.0, float(max_contact), points)
    shape = (len(strats), points)
    stable, score, coop = np.zeros(shape, bool), np.zeros(shape), np.zeros(shape)
    needed: dict[str, float | None] = {}
    holds: dict[str, bool] = {}
    for k, s in enumerate(strats):
        for g, c in enumerate(grid):
            stable[k, g], score[k, g], coop[k, g] = _stable(
                s, payoffs, model.continuation(c), model.noise(c))
        first = int(np.argmax(stable[k])) if stable[k].any() else None
        if first is None:
            needed[s.name] = None
            holds[s.name] = False
            continue
        holds[s.name] = bool(stable[k, first:].all())
        if first == 0:
            needed[s.name] = 0.0
            continue
        lo, hi = grid[first - 1], grid[first]
        while hi - lo > 1e-9 * max(1.0, hi):
            mid = 0.5 * (lo + hi)
            if _stable(s, payoffs, model.continuation(mid), model.noise(mid))[0]:
                hi = mid
            else:
                lo = mid
        needed[s.name] = float(hi)
    closed: dict[str, float | None] = {}
    for s in strats:
        if s.name in ("grim", "grim-m1"):
            closed[s.name] = model.contact_for(grim_threshold(payoffs))
        elif s.name in ("tft", "ctft"):  # contrite TFT is TFT when nobody errs
            closed[s.name] = model.contact_for(tft_threshold(payoffs))
    return Track2(payoffs=payoffs, model=model, names=tuple(s.name for s in strats),
                  grid=grid, stable=stable, score=score, cooperation=coop, needed=needed,
                  holds=holds, closed_form=closed)
