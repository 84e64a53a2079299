"""Prisoner's dilemma payoffs and the closed forms that depend on them alone: the continuation
probabilities from which grim trigger and tit-for-tat sustain cooperation, and Nowak &
Sigmund's generosity.

References: Axelrod (1984) *The Evolution of Cooperation*, ch. 3 and proposition 2
(collective stability of TFT); Friedman (1971) Rev. Econ. Stud. 38(1):1-12 (grim trigger);
Nowak & Sigmund (1992) Nature 355:250, doi:10.1038/355250a0 (generous TFT).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ...errors import InputError, Problem
from ...numeric import exact_number


@dataclass(frozen=True)
class Payoffs:
    """Prisoner's dilemma payoffs: Temptation, Reward, Punishment, Sucker (T > R > P > S)."""

    T: float = 5.0
    R: float = 3.0
    P: float = 1.0
    S: float = 0.0

    def __post_init__(self) -> None:
        problems = []
        for k in ("T", "R", "P", "S"):
            v = getattr(self, k)
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
                problems.append(Problem(f"payoffs.{k}", f"must be a finite number, not {v!r}"))
        if not problems and not (self.T > self.R > self.P > self.S):
            problems.append(Problem("payoffs", "a prisoner's dilemma needs T > R > P > S "
                                               f"(got T={self.T:g}, R={self.R:g}, "
                                               f"P={self.P:g}, S={self.S:g})"))
        if problems:
            raise InputError(problems)

    @property
    def row(self) -> np.ndarray:
        """The payoff of a player in each outcome CC, CD, DC, DD (own move first)."""
        return np.array([self.R, self.S, self.T, self.P], dtype=float)

    @property
    def alternation_beats_cooperation(self) -> bool:
        """True when 2R <= T + S: taking turns to exploit each other pays at least as well
        as mutual cooperation (outside the usual iterated-PD assumption 2R > T + S)."""
        return 2 * self.R <= self.T + self.S

    def to_dict(self) -> dict[str, float]:
        return {"T": self.T, "R": self.R, "P": self.P, "S": self.S}


def grim_threshold(payoffs: Payoffs | None = None) -> float:
    """The smallest continuation probability w at which grim trigger sustains mutual
    cooperation (no profitable deviation, without noise): w >= (T - R) / (T - P).
    Against grim, defecting now yields T + w P / (1 - w) at best, cooperating R / (1 - w).
    5/3/1/0 -> 1/2."""
    p = payoffs or Payoffs()
    return (p.T - p.R) / (p.T - p.P)


def tft_threshold(payoffs: Payoffs | None = None) -> float:
    """The smallest w at which tit-for-tat is collectively stable (no strategy does better
    against TFT than TFT itself; Axelrod 1984, proposition 2), without noise:
    w >= max((T - R) / (T - P), (T - R) / (R - S)). The first bound stops always-defect,
    the second stops alternating D and C. 5/3/1/0 -> 2/3."""
    p = payoffs or Payoffs()
    return max((p.T - p.R) / (p.T - p.P), (p.T - p.R) / (p.R - p.S))


def as_fraction(x: float, max_denominator: int = 1000) -> str | None:
    """`x` as a short fraction ("2/3") when it is one to 1e-12, else None (also for a value
    that is not a finite number). Read as `accord.numeric.exact_number` reads a float."""
    exact = exact_number(x)
    if exact is None:
        return None
    f = exact.limit_denominator(max_denominator)
    return str(f) if abs(float(f) - x) < 1e-12 else None


def gtft_generosity(payoffs: Payoffs | None = None) -> float:
    """Nowak & Sigmund's generosity: min(1 - (T-R)/(R-S), (R-P)/(T-P)), 1/3 for 5/3/1/0."""
    p = payoffs or Payoffs()
    return max(0.0, min(1 - (p.T - p.R) / (p.R - p.S), (p.R - p.P) / (p.T - p.P)))
