"""Strictly and weakly dominated actions, by pure or mixed actions, and iterated elimination
of each kind (strict: QuantEcon's `minmax`, the test of `Player.is_dominated`; weak: a linear
program with scipy's HiGHS)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .game import DEFAULT_TOL, StrategicGame, rounded


@dataclass(frozen=True)
class Domination:
    """Action `action` of `player` is dominated (`kind` strict or weak) by the mixture
    `by` (action -> weight; one entry for a pure dominator), in elimination round `round`
    (1 = in the full game)."""

    player: int
    action: int
    kind: str
    by: tuple[tuple[int, float], ...]
    round: int = 1

    def to_dict(self, game: StrategicGame) -> dict[str, Any]:
        acts = game.actions[self.player]
        return {"player": game.players[self.player], "action": acts[self.action],
                "kind": self.kind, "round": self.round,
                "by": {acts[a]: rounded(w) for a, w in self.by}}


@dataclass(frozen=True)
class DominanceResult:
    """Dominated actions of the full game, and both iterated eliminations.

    `strict_rounds`: iterated elimination of strictly dominated actions (by pure or mixed
    actions); order-independent, and every Nash equilibrium survives it. `weak_rounds`:
    iterated elimination of weakly dominated actions, all of every player's at once in each
    round; the result depends on the order of elimination, and equilibria can be lost.
    """

    game: StrategicGame
    dominated: tuple[Domination, ...]
    strict_rounds: tuple[tuple[Domination, ...], ...]
    strict_survivors: tuple[tuple[int, ...], ...]
    weak_rounds: tuple[tuple[Domination, ...], ...]
    weak_survivors: tuple[tuple[int, ...], ...]
    tol: float

    def to_dict(self) -> dict[str, Any]:
        g = self.game

        def surv(s):
            return {p: [g.actions[i][a] for a in s[i]] for i, p in enumerate(g.players)}

        return {
            "tol": self.tol,
            "dominated": [d.to_dict(g) for d in self.dominated],
            "iterated_strict": {"rounds": [[d.to_dict(g) for d in r] for r in self.strict_rounds],
                                "survivors": surv(self.strict_survivors)},
            "iterated_weak": {"rounds": [[d.to_dict(g) for d in r] for r in self.weak_rounds],
                              "survivors": surv(self.weak_survivors),
                              "note": "simultaneous elimination of every weakly dominated "
                                      "action each round; other orders can end elsewhere"},
        }


def _dominations(game: StrategicGame, alive: list[list[int]], player: int, weak: bool,
                 atol: float, rnd: int) -> list[Domination]:
    """Dominated actions of `player` in the subgame of the `alive` actions."""
    u = game.payoffs[..., player][np.ix_(*alive)]
    u = np.moveaxis(u, player, 0).reshape(len(alive[player]), -1)
    out = []
    for r, a in enumerate(alive[player]):
        others = [k for k in range(len(alive[player])) if k != r]
        if not others:
            continue
        diff = u[others] - u[r]
        strict_pure = np.flatnonzero((diff > atol).all(axis=1))
        if len(strict_pure):
            b = alive[player][others[strict_pure[0]]]
            out.append(Domination(player, a, "strict", ((b, 1.0),), rnd))
            continue
        if len(others) >= 2:
            from quantecon.optimize import minmax

            v, x, _ = minmax(np.ascontiguousarray(diff))
            if v > atol:
                out.append(Domination(player, a, "strict", _mix(x, others, alive[player]),
                                      rnd))
                continue
        if not weak:
            continue
        weak_pure = np.flatnonzero((diff >= -atol).all(axis=1) & (diff > atol).any(axis=1))
        if len(weak_pure):
            b = alive[player][others[weak_pure[0]]]
            out.append(Domination(player, a, "weak", ((b, 1.0),), rnd))
            continue
        if len(others) >= 2:
            mix = _weak_mix(diff, atol)
            if mix is not None:
                out.append(Domination(player, a, "weak", _mix(mix, others, alive[player]),
                                      rnd))
    return out


def _mix(x: np.ndarray, others: list[int], alive: list[int]) -> tuple[tuple[int, float], ...]:
    return tuple((alive[others[k]], float(w)) for k, w in enumerate(x) if w > 1e-12)


def _weak_mix(D: np.ndarray, atol: float) -> np.ndarray | None:
    """A mixture of the rows of D that is >= 0 in every column and > atol in one, by the LP
    max sum(D^T s) s.t. D^T s >= 0, s in the simplex."""
    from scipy.optimize import linprog

    k = D.shape[0]
    res = linprog(-D.sum(axis=1), A_ub=-D.T, b_ub=np.zeros(D.shape[1]),
                  A_eq=np.ones((1, k)), b_eq=[1.0], bounds=[(0, None)] * k, method="highs")
    if res.status != 0:
        return None
    s = np.clip(res.x, 0, None)
    s /= s.sum()
    g = D.T @ s
    if g.min() >= -atol and g.max() > atol:
        return s
    return None


def _iterate(game: StrategicGame, weak: bool, atol: float
             ) -> tuple[list[tuple[Domination, ...]], list[tuple[int, ...]]]:
    alive = [list(range(k)) for k in game.shape]
    rounds: list[tuple[Domination, ...]] = []
    while True:
        found: list[Domination] = []
        for i in range(game.n_players):
            found += _dominations(game, alive, i, weak, atol, len(rounds) + 1)
        if not found:
            break
        rounds.append(tuple(found))
        for d in found:
            alive[d.player].remove(d.action)
    return rounds, [tuple(a) for a in alive]


def dominated_actions(game: StrategicGame, tol: float = DEFAULT_TOL) -> DominanceResult:
    """Strictly and weakly dominated actions, by pure or mixed actions, and iterated
    elimination of each kind.

    An action is strictly dominated when some (mixed) action of the same player pays more
    against every profile of the others, weakly when it pays at least as much against
    every profile and more against one (differences within `tol * scale` count as ties).
    A pure dominator is named when one exists; otherwise a mixture (strict: QuantEcon's
    `minmax`, the test of `Player.is_dominated`; weak: a linear program with scipy's HiGHS).
    Cost: one small LP per action per round.
    """
    atol = tol * game.scale
    full = [list(range(k)) for k in game.shape]
    dominated = []
    for i in range(game.n_players):
        dominated += _dominations(game, full, i, True, atol, 1)
    s_rounds, s_alive = _iterate(game, False, atol)
    w_rounds, w_alive = _iterate(game, True, atol)
    return DominanceResult(game, tuple(dominated), tuple(s_rounds), tuple(s_alive),
                           tuple(w_rounds), tuple(w_alive), tol)
