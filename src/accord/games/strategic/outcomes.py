"""Outcomes of a strategic game a mediator can offer: the Pareto-efficient pure outcomes, and
over each equilibrium the win-win outcomes (every player at least as well off, one better
off)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .equilibria import nash_equilibria
from .game import DEFAULT_TOL, StrategicGame, rounded
from .results import EquilibriumSet


@dataclass(frozen=True)
class Outcome:
    """A pure outcome (action profile) and its payoffs."""

    profile: tuple[int, ...]
    payoffs: tuple[float, ...]

    def to_dict(self, game: StrategicGame) -> dict[str, Any]:
        return {"profile": game.profile_names(self.profile),
                "payoffs": {p: rounded(v) for p, v in zip(game.players, self.payoffs, strict=True)}}


def _flat(game: StrategicGame) -> np.ndarray:
    return game.payoffs.reshape(-1, game.n_players)


def pareto_outcomes(game: StrategicGame, tol: float = DEFAULT_TOL) -> list[Outcome]:
    """The Pareto-efficient pure outcomes: no other profile pays every player at least as
    much and one player more (by more than `tol * scale`). Outcomes with equal payoffs are
    all kept. Mixed and correlated outcomes are not considered.

    Profiles are scanned in decreasing order of total payoff against the frontier found so
    far (a dominator has a larger total), in vectorised chunks: O(K * F) for K profiles and
    F efficient ones. Returned in profile order.
    """
    atol = tol * game.scale
    P = _flat(game)
    order = np.argsort(-P.sum(axis=1), kind="stable")
    front: list[int] = []
    F = np.empty((0, game.n_players))
    step = 512
    for s in range(0, len(order), step):
        idx = order[s:s + step]
        C = P[idx]
        if len(F):
            dom = ((F[None, :, :] >= C[:, None, :] - atol).all(axis=2)
                   & (F[None, :, :] > C[:, None, :] + atol).any(axis=2)).any(axis=1)
            idx, C = idx[~dom], C[~dom]
        if len(idx):
            inner = ((C[None, :, :] >= C[:, None, :] - atol).all(axis=2)
                     & (C[None, :, :] > C[:, None, :] + atol).any(axis=2)).any(axis=1)
            idx, C = idx[~inner], C[~inner]
            front += [int(k) for k in idx]
            F = np.vstack([F, C])
    out = []
    for k in sorted(front):
        prof = tuple(int(x) for x in np.unravel_index(k, game.shape))
        out.append(Outcome(prof, tuple(float(v) for v in P[k])))
    return out


@dataclass(frozen=True)
class Improvement:
    """A pure outcome every player likes at least as well as an equilibrium, one better."""

    profile: tuple[int, ...]
    payoffs: tuple[float, ...]
    gains: tuple[float, ...]
    pareto_efficient: bool

    def to_dict(self, game: StrategicGame) -> dict[str, Any]:
        return {"profile": game.profile_names(self.profile),
                "payoffs": {p: rounded(v) for p, v in zip(game.players, self.payoffs, strict=True)},
                "gains": {p: rounded(v) for p, v in zip(game.players, self.gains, strict=True)},
                "pareto_efficient": self.pareto_efficient}


@dataclass(frozen=True)
class WinWin:
    """The win-win outcomes over one equilibrium (`equilibrium` indexes the equilibria the
    analysis found)."""

    equilibrium: int
    equilibrium_payoffs: tuple[float, ...]
    outcomes: tuple[Improvement, ...]

    def to_dict(self, game: StrategicGame) -> dict[str, Any]:
        return {"equilibrium": self.equilibrium,
                "equilibrium_payoffs": {p: rounded(v) for p, v in
                                        zip(game.players, self.equilibrium_payoffs,
                                            strict=True)},
                "count": len(self.outcomes),
                "outcomes": [o.to_dict(game) for o in self.outcomes]}


def win_win_outcomes(game: StrategicGame, equilibria: EquilibriumSet | None = None,
                     tol: float = DEFAULT_TOL) -> list[WinWin]:
    """For each equilibrium, the pure outcomes that every player weakly prefers to it and
    one strictly (by more than `tol * scale`): the Pareto improvements a mediator can offer
    over where play rests. Sorted Pareto-efficient first, then by the smallest gain
    (largest first). `equilibria` defaults to `nash_equilibria(game)`.
    """
    if equilibria is None:
        equilibria = nash_equilibria(game, tol=tol)
    atol = tol * game.scale
    pay = _flat(game)
    efficient = {o.profile for o in pareto_outcomes(game, tol)}
    out = []
    for k, e in enumerate(equilibria.equilibria):
        v = np.asarray(e.payoffs)
        better = (pay >= v - atol).all(axis=1) & (pay > v + atol).any(axis=1)
        imps = []
        for idx in np.flatnonzero(better):
            prof = tuple(int(x) for x in np.unravel_index(idx, game.shape))
            gains = pay[idx] - v
            imps.append(Improvement(prof, tuple(float(x) for x in pay[idx]),
                                    tuple(float(x) for x in gains), prof in efficient))
        imps.sort(key=lambda m: (not m.pareto_efficient, -min(m.gains), m.profile))
        out.append(WinWin(k, e.payoffs, tuple(imps)))
    return out
