"""Transferable-utility (TU) games: a TU game (N, v) gives every coalition S of the players
the total value v(S) its members can secure together and share as they like; v(empty) = 0.
`TUGame` holds v for all 2^n coalitions, indexed by bitmask (bit i set when player i is a
member), for n <= 20. When the values are rationals (typed decimals, integers, Fractions,
read by `accord.games.exact.exact_value`) the game keeps them as integers over a common
denominator, so that its solutions can be exact too.

The solutions are in their own modules: `shapley` (the Shapley value), `least_core` (the
core), `nucleolus_lps` (the nucleolus), `properties` (monotone, superadditive, convex).

Tolerance: two values within `TOL` (1e-7 of the largest |v|) count as equal.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..exact import exact_value
from .power import WeightedVotingGame

MAX_PLAYERS = 20
"""Most players a `TUGame` holds (2^20 coalition values)."""

TOL = 1e-7
"""Excesses (relative to the largest |v|) closer than this count as equal."""

_EXACT_DENOMINATOR_LIMIT = 2**62


@dataclass(frozen=True, eq=False)
class TUGame:
    """A TU game over `players`: `values[mask]` = v(S) for the coalition S with bitmask
    `mask` (bit i = player i), `values[0] = 0`.

    When every value is a rational number the game is exact: `numerators[mask] /
    denominator` = v(S) as integers (int64 or Python ints). Build it with `tu_game`,
    `game_from_function` or `simple_game`.
    """

    players: tuple[str, ...]
    values: np.ndarray
    numerators: np.ndarray | None = None
    denominator: int = 1
    title: str = ""

    @property
    def n(self) -> int:
        return len(self.players)

    @property
    def grand(self) -> int:
        """Bitmask of the grand coalition N."""
        return (1 << self.n) - 1

    @property
    def exact(self) -> bool:
        return self.numerators is not None

    def mask(self, members: Iterable[str] | Iterable[int] | int) -> int:
        """Bitmask of a coalition given as player ids, player indices or a bitmask."""
        if isinstance(members, int | np.integer):
            return int(members)
        m = 0
        for p in members:
            i = self.players.index(p) if isinstance(p, str) else int(p)
            m |= 1 << i
        return m

    def members(self, mask: int) -> tuple[str, ...]:
        return tuple(p for i, p in enumerate(self.players) if mask >> i & 1)

    def value(self, coalition: Iterable[str] | Iterable[int] | int) -> float:
        return float(self.values[self.mask(coalition)])

    def exact_value(self, coalition: Iterable[str] | Iterable[int] | int) -> Fraction:
        if self.numerators is None:
            raise ValueError("the game's values are not held exactly")
        return Fraction(int(self.numerators[self.mask(coalition)]), self.denominator)

    @property
    def scale(self) -> float:
        """max(1, max |v|): the unit of the tolerances."""
        return max(1.0, float(np.abs(self.values).max()))


def _exact_parts(fracs: Sequence[Fraction]) -> tuple[np.ndarray, int] | None:
    den = 1
    for f in fracs:
        den = math.lcm(den, f.denominator)
        if den > _EXACT_DENOMINATOR_LIMIT:
            return None
    nums = [f.numerator * (den // f.denominator) for f in fracs]
    big = max((abs(v) for v in nums), default=0)
    arr = np.array(nums, dtype=np.int64 if big < 2**62 else object)
    return arr, den


def tu_game(players: Sequence[str], values: Mapping[object, object] | Sequence[object],
            title: str = "", exact: bool = True) -> TUGame:
    """A TU game from its values.

    `values` is either a sequence of 2^n numbers indexed by bitmask, or a mapping from
    coalitions (tuples/sets of player ids or indices, or bitmasks) to numbers; coalitions
    not listed are worth 0. Numbers may be ints, floats (read as the decimal they print
    as), Fractions. With `exact=True` (default) rational values are kept exactly.
    """
    players = tuple(str(p) for p in players)
    n = len(players)
    if n == 0:
        raise ValueError("a game needs at least one player")
    if n > MAX_PLAYERS:
        raise ValueError(f"{n} players: a TU game holds at most {MAX_PLAYERS} (2^n values)")
    if len(set(players)) != n:
        raise ValueError("duplicate player ids")
    size = 1 << n
    raw: list[object] = [0] * size
    if isinstance(values, Mapping):
        tmp = TUGame(players, np.zeros(1))
        for k, v in values.items():
            raw[tmp.mask(k)] = v  # type: ignore[arg-type]
    else:
        if len(values) != size:
            raise ValueError(f"{len(values)} values for {n} players: give 2^n = {size}")
        arr = np.asarray(values) if isinstance(values, np.ndarray) else None
        if arr is not None and arr.dtype.kind in "iu":  # integers: exact as they are
            if arr[0] != 0:
                raise ValueError("the empty coalition is worth 0")
            nums = arr.astype(np.int64)
            floats = nums.astype(float)
            nums.setflags(write=False)
            floats.setflags(write=False)
            return TUGame(players, floats, nums if exact else None, 1, title)
        raw = list(values)
    fracs = [exact_value(v) for v in raw]
    if fracs[0] != 0:
        raise ValueError("the empty coalition is worth 0")
    floats = np.array([float(v if f is None else f)  # type: ignore[arg-type]
                       for v, f in zip(raw, fracs, strict=True)], dtype=float)
    if not np.isfinite(floats).all():
        raise ValueError("values must be finite numbers")
    nums, den = None, 1
    if exact and all(f is not None for f in fracs):
        parts = _exact_parts(fracs)  # type: ignore[arg-type]
        if parts is not None:
            nums, den = parts
    floats.setflags(write=False)
    if nums is not None:
        nums.setflags(write=False)
    return TUGame(players, floats, nums, den, title)


def game_from_function(players: Sequence[str], fn: Callable[[frozenset[str]], object],
                       title: str = "", exact: bool = True) -> TUGame:
    """A TU game with v(S) = fn(frozenset of the ids in S) (fn(empty set) is ignored)."""
    players = tuple(players)
    n = len(players)
    if n > MAX_PLAYERS:
        raise ValueError(f"{n} players: a TU game holds at most {MAX_PLAYERS} (2^n values)")
    vals: list[object] = [0]
    for m in range(1, 1 << n):
        vals.append(fn(frozenset(p for i, p in enumerate(players) if m >> i & 1)))
    return tu_game(players, vals, title, exact)


def simple_game(game: WeightedVotingGame) -> TUGame:
    """The 0/1 TU game of a weighted voting game (v(S) = 1 when S wins); n <= 20."""
    n = game.n
    if n > MAX_PLAYERS:
        raise ValueError(f"{n} players: a TU game holds at most {MAX_PLAYERS}")
    masks = np.arange(1 << n, dtype=np.int64)
    weight = np.zeros(1 << n, dtype=np.int64)
    for i, w in enumerate(game.weights):
        weight += ((masks >> i) & 1) * w
    nums = (weight >= game.quota).astype(np.int64)
    vals = nums.astype(float)
    vals.setflags(write=False)
    nums.setflags(write=False)
    return TUGame(game.players, vals, nums, 1, game.title)


def popcount(n: int) -> np.ndarray:
    pc = np.zeros(1 << n, dtype=np.int64)
    for i in range(n):
        pc[1 << i : 1 << (i + 1)] = pc[: 1 << i] + 1
    return pc


def without(n: int, i: int) -> np.ndarray:
    """Bitmasks of the coalitions that do not contain player i, ascending."""
    masks = np.arange(1 << n, dtype=np.int64)
    return masks[((masks >> i) & 1) == 0]
