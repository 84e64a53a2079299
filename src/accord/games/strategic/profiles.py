"""Mixed profiles of a strategic game: each player's expected payoffs, and whether a profile is
a Nash equilibrium (`verify`: probability vectors, and no player gaining more than `tol`
times the largest absolute payoff by deviating), in floats and, for small games, exactly."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from .game import DEFAULT_TOL, StrategicGame

EXACT_LIMIT = 2_500
"""Equilibria are checked in exact rational arithmetic when the game has at most this many
profiles (and the probabilities are ratios with denominators up to `MAX_DENOMINATOR`)."""

MAX_DENOMINATOR = 10**7


def _as_profile(game: StrategicGame, profile: Any) -> list[np.ndarray]:
    """Per-player probability vectors from: action indices, action names, probability
    vectors, or mappings action -> probability (a mapping player -> any of those too)."""
    if isinstance(profile, Mapping):
        profile = [profile[p] for p in game.players]
    if len(profile) != game.n_players:
        raise ValueError(f"a profile has one entry per player ({game.n_players})")
    out = []
    for i, s in enumerate(profile):
        k = game.shape[i]
        if isinstance(s, str):
            v = np.zeros(k)
            v[game.actions[i].index(s)] = 1.0
        elif isinstance(s, int | np.integer):
            v = np.zeros(k)
            v[int(s)] = 1.0
        elif isinstance(s, Mapping):
            v = np.zeros(k)
            for a, p in s.items():
                v[game.actions[i].index(a) if isinstance(a, str) else int(a)] = float(p)
        else:
            v = np.asarray([float(x) for x in s], dtype=float)
            if v.shape != (k,):
                raise ValueError(f"{game.players[i]} has {k} actions; got {v.shape[0]} "
                                 "probabilities")
        out.append(v)
    return out


def _contract(arr: np.ndarray, strategies: Sequence[np.ndarray], keep: int | None) -> Any:
    """Contract every action axis of `arr` but `keep` with the players' mixed actions."""
    out = arr
    for j in range(len(strategies) - 1, -1, -1):
        if j != keep:
            out = np.tensordot(out, strategies[j], axes=([j], [0]))
    return out


def action_values(game: StrategicGame, strategies: Sequence[np.ndarray], player: int,
                  exact: bool = False) -> np.ndarray:
    """Player `player`'s expected payoff of each of its actions against the others' mixed
    actions."""
    arr = game.exact_payoffs[..., player] if exact else game.payoffs[..., player]
    return np.asarray(_contract(arr, strategies, player))


def expected_payoffs(game: StrategicGame, profile: Any) -> np.ndarray:
    """Every player's expected payoff under a (mixed) profile."""
    s = _as_profile(game, profile)
    return np.array([float(action_values(game, s, i) @ s[i]) for i in range(game.n_players)])


@dataclass(frozen=True)
class Verification:
    """Whether a profile is a Nash equilibrium: each strategy a probability vector and no
    player gaining more than `tol * scale` by deviating."""

    ok: bool
    regret: tuple[float, ...]
    max_regret: float
    tolerance: float
    problems: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "regret": [float(r) for r in self.regret],
                "max_regret": float(self.max_regret), "tolerance": self.tolerance,
                "problems": list(self.problems)}


def verify(game: StrategicGame, profile: Any, tol: float = DEFAULT_TOL) -> Verification:
    """Check that `profile` is a Nash equilibrium of `game`.

    Each player's strategy must be a probability vector (entries >= -tol, sum within tol of
    1), and each player's regret, `max_a u_i(a, s_-i) - u_i(s)`, at most `tol * scale`, where
    scale is the largest absolute payoff. Cost: one contraction of each payoff array.
    """
    s = _as_profile(game, profile)
    problems = []
    for i, v in enumerate(s):
        if not np.isfinite(v).all():
            problems.append(f"{game.players[i]}'s probabilities are not finite")
            continue
        if v.min() < -tol:
            problems.append(f"{game.players[i]} has a negative probability ({v.min():.3g})")
        if abs(v.sum() - 1) > tol:
            problems.append(f"{game.players[i]}'s probabilities sum to {v.sum():.12g}")
    regret = []
    if not problems:
        for i in range(game.n_players):
            vals = action_values(game, s, i)
            regret.append(max(0.0, float(vals.max() - vals @ s[i])))
    else:
        regret = [math.inf] * game.n_players
    limit = tol * game.scale
    worst = max(regret)
    if not problems and worst > limit:
        i = int(np.argmax(regret))
        problems.append(f"{game.players[i]} gains {worst:.3g} by deviating (tolerance "
                        f"{limit:.3g})")
    return Verification(not problems, tuple(regret), worst, limit, tuple(problems))


def exact_check(game: StrategicGame, strategies: Sequence[np.ndarray]
                 ) -> tuple[tuple[Fraction, ...], ...] | None:
    """The profile as exact fractions if, so read, it is exactly a Nash equilibrium."""
    if game.n_profiles > EXACT_LIMIT:
        return None
    ex = []
    for v in strategies:
        f = [Fraction(float(p)).limit_denominator(MAX_DENOMINATOR) if p > 1e-13 else Fraction(0)
             for p in v]
        if sum(f) != 1 or min(f) < 0 or any(abs(float(x) - p) > 1e-9 for x, p in zip(f, v,
                                                                                    strict=True)):
            return None
        ex.append(np.array(f, dtype=object))
    for i in range(game.n_players):
        vals = action_values(game, ex, i, exact=True)
        if max(vals) != vals @ ex[i]:
            return None
    return tuple(tuple(v) for v in ex)
