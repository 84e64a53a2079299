"""A finite game in strategic (normal) form: players choose actions at once, each profile of
actions pays every player. `StrategicGame` holds the payoffs as floats (QuantEcon's payoff
profile array) and, exactly, as Fractions (as typed, read by `accord.games.exact`)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from ..exact import exact_value, not_a_number

DEFAULT_TOL = 1e-8
"""Verification tolerance, relative to the largest absolute payoff of the game."""

DIGITS = 10
"""Probabilities and payoffs in the JSON output are rounded to this many decimals."""


def rounded(x: float) -> float:
    """`x` rounded to `DIGITS` decimals, -0.0 made 0.0 (for the JSON output)."""
    v = round(float(x), DIGITS)
    return 0.0 if v == 0 else v


@dataclass(frozen=True, eq=False)
class StrategicGame:
    """A finite game in strategic form.

    `payoffs[a_1, ..., a_N, i]` is player i's payoff when each player k plays action a_k
    (QuantEcon's payoff profile array). `exact`, when given, holds the same payoffs as
    `Fraction`s (as typed in the file); otherwise it is derived from the floats' shortest
    decimal form.
    """

    players: tuple[str, ...]
    actions: tuple[tuple[str, ...], ...]
    payoffs: np.ndarray
    title: str = ""
    description: str | None = None
    source: str | None = None
    exact: np.ndarray | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        players = tuple(str(p) for p in self.players)
        actions = tuple(tuple(str(a) for a in acts) for acts in self.actions)
        arr = np.array(self.payoffs, dtype=float)
        n = len(players)
        shape = tuple(len(a) for a in actions)
        if n < 2 or len(actions) != n:
            raise ValueError("a game needs at least 2 players, each with a list of actions")
        if arr.shape != (*shape, n):
            raise ValueError(f"payoffs have shape {arr.shape}; expected {(*shape, n)}")
        if min(shape) < 1:
            raise ValueError("every player needs at least one action")
        if not np.isfinite(arr).all():
            raise ValueError("payoffs must be finite numbers")
        if len(set(players)) != n:
            raise ValueError("player names must differ")
        for acts in actions:
            if len(set(acts)) != len(acts):
                raise ValueError("a player's action names must differ")
        arr.setflags(write=False)
        object.__setattr__(self, "players", players)
        object.__setattr__(self, "actions", actions)
        object.__setattr__(self, "payoffs", arr)
        if self.exact is not None:
            ex = np.asarray(self.exact, dtype=object)
            if ex.shape != arr.shape:
                raise ValueError("exact payoffs must have the shape of the payoffs")
            object.__setattr__(self, "exact", ex)

    # -- shape --------------------------------------------------------------------------

    @property
    def n_players(self) -> int:
        return len(self.players)

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of actions of each player."""
        return self.payoffs.shape[:-1]

    @property
    def n_profiles(self) -> int:
        return int(np.prod(self.shape))

    @functools.cached_property
    def scale(self) -> float:
        """The largest absolute payoff (1 if every payoff is 0): tolerances are relative
        to it."""
        m = float(np.abs(self.payoffs).max()) if self.payoffs.size else 0.0
        return m if m > 0 else 1.0

    @functools.cached_property
    def exact_payoffs(self) -> np.ndarray:
        """The payoffs as `Fraction`s (object array of the shape of `payoffs`)."""
        if self.exact is not None:
            return self.exact
        flat = [exact_value(float(x)) for x in self.payoffs.ravel()]
        return np.array(flat, dtype=object).reshape(self.payoffs.shape)

    def payoff_matrix(self, player: int) -> np.ndarray:
        """Player `player`'s payoffs, indexed by the full action profile."""
        return self.payoffs[..., player]

    def player_index(self, name: str | int) -> int:
        if isinstance(name, int):
            return name
        return self.players.index(name)

    def profile_names(self, profile: Sequence[int]) -> dict[str, str]:
        return {p: self.actions[i][int(a)] for i, (p, a) in enumerate(zip(self.players, profile,
                                                                           strict=True))}

    def profile_label(self, profile: Sequence[int]) -> str:
        return ", ".join(self.actions[i][int(a)] for i, a in enumerate(profile))

    # -- conversion ---------------------------------------------------------------------

    def to_quantecon(self):
        """The game as a `quantecon.game_theory.NormalFormGame`."""
        from quantecon.game_theory import NormalFormGame

        return NormalFormGame(np.array(self.payoffs))

    @classmethod
    def from_matrices(cls, *matrices: Any, players: Sequence[str] | None = None,
                      actions: Sequence[Sequence[str]] | None = None, title: str = "",
                      **kwargs: Any) -> StrategicGame:
        """A game from one payoff array per player (axis k = player k's actions), as in
        `pygambit.Game.from_arrays`. Players default to P1, P2, ...; actions to a1, a2, ...
        (`Fraction` entries are kept as exact payoffs)."""
        arrays = [np.asarray(m, dtype=object) for m in matrices]
        if len({a.shape for a in arrays}) != 1:
            raise ValueError("every player's payoff array must have the same shape")
        shape = arrays[0].shape
        n = len(arrays)
        if len(shape) != n:
            raise ValueError(f"{n} players need {n}-dimensional payoff arrays")
        players = list(players) if players is not None else [f"P{i + 1}" for i in range(n)]
        if actions is None:
            actions = [[f"a{k + 1}" for k in range(s)] for s in shape]
        stacked = np.stack(arrays, axis=-1)
        if any(isinstance(x, Fraction | str) for x in stacked.ravel()):
            exact = np.vectorize(_to_fraction, otypes=[object])(stacked)
            return cls(tuple(players), tuple(tuple(a) for a in actions), exact.astype(float),
                       title=title, exact=exact, **kwargs)
        return cls(tuple(players), tuple(tuple(a) for a in actions), stacked.astype(float),
                   title=title, **kwargs)

    def to_dict(self) -> dict[str, Any]:
        """The game in the file format (players with actions, one payoff array per player)."""
        out: dict[str, Any] = {"title": self.title}
        if self.description:
            out["description"] = self.description
        if self.source:
            out["source"] = self.source
        out["players"] = [{"name": p, "actions": list(a)}
                          for p, a in zip(self.players, self.actions, strict=True)]
        out["matrices"] = {p: _plain(self.payoffs[..., i]) for i, p in enumerate(self.players)}
        return out


def _plain(arr: np.ndarray) -> Any:
    """Nested lists of ints where a payoff is integral, floats otherwise."""
    if arr.ndim == 0:
        x = float(arr)
        return int(x) if x.is_integer() and abs(x) < 2**53 else x
    return [_plain(a) for a in arr]


def _to_fraction(x: Any) -> Fraction:
    """A payoff as a Fraction, by `accord.games.exact.exact_value`; ValueError otherwise."""
    f = exact_value(x)
    if f is None:
        raise ValueError(f"a payoff must be a finite number: {not_a_number(x)}")
    return f
