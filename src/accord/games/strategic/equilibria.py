"""Strategic-form (normal-form) games: players choose actions at once, each profile of
actions pays every player.

A `StrategicGame` is read from a small YAML/JSON file, a scenario's `games: strategic:`
section, a Gambit `.nfg` file (`accord.games.nfg`) or the library of classic games
(`accord.games.classics`). The analyses are plain functions:

- `nash_equilibria(game, method="auto")`: every extreme Nash equilibrium of a 2-player game
  by vertex enumeration (degenerate games included), Lemke-Howson beyond 16 actions a
  player; every pure equilibrium and McLennan-Tourky mixed equilibria of n-player games.
- `pure_equilibria(game)`: every pure Nash equilibrium, vectorised over all profiles.
- `dominated_actions(game)`: strictly and weakly dominated actions (by pure or mixed
  actions), and iterated elimination of both kinds.
- `pareto_outcomes(game)`, `win_win_outcomes(game)`: the Pareto-efficient pure outcomes, and
  the outcomes every player prefers (weakly, one strictly) to a given equilibrium.
- `verify(game, profile, tol)`: is a profile of mixed actions a Nash equilibrium.

Numerics follow QuantEcon's `quantecon.game_theory` (BSD; Lemke-Howson, support and vertex
enumeration, McLennan-Tourky, `minmax`) and von Stengel (2007), "Equilibrium computation for
two-player games in strategic and extensive form", ch. 3 of Algorithmic Game Theory.
Every equilibrium returned has been verified: a probability vector per player whose regret
(the most any player gains by deviating) is at most `tol` times the largest absolute payoff.
Heavy modules (quantecon, scipy) are imported inside the functions that need them.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from ...budget import Budget, check
from ...errors import InputError, Problem
from ...numeric import exact_number, shown

DEFAULT_TOL = 1e-8
"""Verification tolerance, relative to the largest absolute payoff of the game."""

LABEL_TOL = 1e-9
"""Tolerance for a best-response polytope constraint to count as binding (payoffs rescaled
to [1, 2]). Payoffs that differ by less than about this, relative to their range, are ties."""

VERTEX_LIMIT = 16
"""`method="auto"` enumerates vertices when both players have at most this many actions."""

EXACT_LIMIT = 2_500
"""Equilibria are checked in exact rational arithmetic when the game has at most this many
profiles (and the probabilities are ratios with denominators up to `MAX_DENOMINATOR`)."""

MAX_DENOMINATOR = 10**7

METHODS = ("auto", "vertex", "qe-vertex", "support", "lemke-howson", "mclennan-tourky", "pure")
TWO_PLAYER_METHODS = ("vertex", "qe-vertex", "support", "lemke-howson")

DIGITS = 10


def _r(x: float) -> float:
    v = round(float(x), DIGITS)
    return 0.0 if v == 0 else v


# ---------------------------------------------------------------------------------------
# The game


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
        flat = [Fraction(str(float(x))) for x in self.payoffs.ravel()]
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
    if isinstance(x, Fraction):
        return x
    if isinstance(x, bool):
        raise ValueError("a payoff must be a number, not a boolean")
    if isinstance(x, int | np.integer):
        return Fraction(int(x))
    if isinstance(x, str):
        return Fraction(x.strip())
    v = float(x)
    if not math.isfinite(v):
        raise ValueError("payoffs must be finite numbers")
    return Fraction(str(v))


# ---------------------------------------------------------------------------------------
# Reading the file format

GAME_FIELDS = ("title", "description", "source", "sources", "notes", "players", "payoffs",
               "matrices")


def _join(prefix: str, path: str) -> str:
    if not prefix:
        return path
    if not path:
        return prefix
    return prefix + (path if path.startswith("[") else "." + path)


def _key(value: Any) -> str | None:
    """A player or action name: numbers become strings; YAML booleans are refused."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _bool_hint(value: Any) -> str:
    if isinstance(value, bool):
        return (f"{str(value).lower()!r} was read as a boolean (YAML reads yes/no/on/off/"
                "true/false that way): put it in quotes")
    return "must be a non-empty name"




def game_from_data(data: Any, file: str | None = None, prefix: str = "") -> StrategicGame:
    """Validate plain data (a parsed YAML/JSON game file, or a scenario's
    `games.strategic` section with `prefix="games.strategic"`) into a `StrategicGame`.

    Raises `InputError` naming the file, the path inside it and what is wrong, for every
    problem found at once.
    """
    problems: list[Problem] = []

    def bad(path: str, message: str) -> None:
        problems.append(Problem(_join(prefix, path), message, file))

    if not isinstance(data, dict):
        what = "empty" if data is None else f"a {type(data).__name__}"
        raise InputError([Problem(prefix, f"a strategic game is a mapping with `players` and "
                                          f"`payoffs` (or `matrices`), not {what}", file)])
    for k in data:
        if k not in GAME_FIELDS:
            bad(str(k), "unknown field (a strategic game has " + ", ".join(GAME_FIELDS) + ")")
    title = data.get("title", "")
    if not isinstance(title, str):
        bad("title", "must be text")
        title = ""
    texts = {}
    for k in ("description", "source"):
        v = data.get(k)
        if v is not None and not isinstance(v, str):
            bad(k, "must be text")
            v = None
        texts[k] = v
    if texts["source"] is None and isinstance(data.get("sources"), list):
        texts["source"] = "; ".join(str(s) for s in data["sources"])

    players, actions = _read_players(data.get("players"), bad)
    has_payoffs, has_matrices = "payoffs" in data, "matrices" in data
    if has_payoffs == has_matrices:
        bad("", "give the payoffs either as `payoffs` (a table per profile) or as "
                "`matrices` (one array per player), exactly one of them")
    if problems or players is None:
        raise InputError(problems)
    shape = tuple(len(a) for a in actions)
    exact = np.empty((*shape, len(players)), dtype=object)
    if has_payoffs:
        _read_table(data["payoffs"], players, actions, exact, bad)
    else:
        _read_matrices(data["matrices"], players, actions, exact, bad)
    if problems:
        raise InputError(problems)
    return StrategicGame(tuple(players), tuple(tuple(a) for a in actions), exact.astype(float),
                         title=title.strip(), description=texts["description"],
                         source=texts["source"], exact=exact)


def _read_players(value: Any, bad) -> tuple[list[str] | None, list[list[str]]]:
    if value is None:
        bad("players", "missing: list the players, each with a name and its actions")
        return None, []
    entries: list[tuple[str, Any, Any]] = []  # (path, name, actions)
    if isinstance(value, dict):
        entries = [(f"players.{k}", k, v) for k, v in value.items()]
    elif isinstance(value, list):
        for i, p in enumerate(value):
            if not isinstance(p, dict):
                bad(f"players[{i}]", "must be a mapping with `name` and `actions`")
                continue
            for k in p:
                if k not in ("name", "actions", "title", "description"):
                    bad(f"players[{i}].{k}", "unknown field (a player has name and actions)")
            if "name" not in p:
                bad(f"players[{i}].name", "missing")
                continue
            entries.append((f"players[{i}]", p["name"], p.get("actions")))
    else:
        bad("players", "must be a list of players (name and actions) or a mapping "
                       "name -> actions")
        return None, []
    if len(value) < 2:
        bad("players", f"a game needs at least 2 players, got {len(value)}")
    names: list[str] = []
    actions: list[list[str]] = []
    ok = True
    for path, name, acts in entries:
        key = _key(name)
        if key is None:
            bad(path if path.startswith("players.") else f"{path}.name", _bool_hint(name))
            ok = False
            continue
        if key in names:
            bad(path, f"player '{key}' appears twice")
            ok = False
        names.append(key)
        apath = path if path.startswith("players.") else f"{path}.actions"
        if acts is None:
            bad(apath, "missing: list the player's actions")
            ok = False
            actions.append([])
            continue
        if not isinstance(acts, list) or not acts:
            bad(apath, "must be a non-empty list of action names")
            ok = False
            actions.append([])
            continue
        row: list[str] = []
        for j, a in enumerate(acts):
            k = _key(a)
            if k is None:
                bad(f"{apath}[{j}]", _bool_hint(a))
                ok = False
            elif k in row:
                bad(f"{apath}[{j}]", f"action '{k}' appears twice")
                ok = False
            else:
                row.append(k)
        actions.append(row)
    if not ok or len(names) < 2:
        return None, actions
    return names, actions


def _payoff_vector(value: Any, path: str, n: int, bad) -> list[Fraction] | None:
    if not isinstance(value, list) or len(value) != n:
        got = str(len(value)) if isinstance(value, list) else repr(value)
        bad(path, f"must be a list of {n} payoffs, one per player in order; got {got}")
        return None
    out = []
    for k, v in enumerate(value):
        x = exact_number(v)
        if x is None:
            bad(f"{path}[{k}]", f"{shown(v)} is not a number")
            return None
        out.append(x)
    return out


def _read_table(table: Any, players: list[str], actions: list[list[str]], exact: np.ndarray,
                bad) -> None:
    n = len(players)

    def walk(node: Any, depth: int, path: str, index: tuple[int, ...]) -> None:
        if depth == n:
            vec = _payoff_vector(node, path, n, bad)
            if vec is not None:
                exact[index] = vec
            return
        names = actions[depth]
        if not isinstance(node, dict):
            bad(path, f"must be a mapping from {players[depth]}'s actions ("
                      + ", ".join(names) + ") to " + ("payoffs" if depth == n - 1 else
                                                      f"{players[depth + 1]}'s actions"))
            return
        seen = set()
        for k, v in node.items():
            key = _key(k)
            if key is None:
                bad(_join(path, str(k)), _bool_hint(k))
                continue
            if key not in names:
                bad(_join(path, key), f"'{key}' is not an action of {players[depth]} ("
                                      + ", ".join(names) + ")")
                continue
            seen.add(key)
            walk(v, depth + 1, _join(path, key), (*index, names.index(key)))
        missing = [a for a in names if a not in seen]
        if missing:
            bad(path, f"missing {players[depth]}'s action" + ("s " if len(missing) > 1
                                                               else " ")
                + ", ".join(missing) + " (every profile needs payoffs)")

    walk(table, 0, "payoffs", ())


def _read_matrices(value: Any, players: list[str], actions: list[list[str]],
                   exact: np.ndarray, bad) -> None:
    n = len(players)
    if isinstance(value, dict):
        items = []
        for k in value:
            key = _key(k)
            if key not in players:
                bad(f"matrices.{k}", f"'{k}' is not a player (" + ", ".join(players) + ")")
        for i, p in enumerate(players):
            if p not in {_key(k) for k in value}:
                bad("matrices", f"no payoff array for {p}")
                continue
            raw = next(v for k, v in value.items() if _key(k) == p)
            items.append((i, f"matrices.{p}", raw))
    elif isinstance(value, list):
        if len(value) != n:
            bad("matrices", f"must hold {n} payoff arrays, one per player; got {len(value)}")
            return
        items = [(i, f"matrices[{i}]", v) for i, v in enumerate(value)]
    else:
        bad("matrices", "must map each player to its payoff array")
        return

    for i, path0, raw in items:
        def walk(node: Any, depth: int, path: str, index: tuple[int, ...],
                 i: int = i) -> bool:
            if depth == n:
                x = exact_number(node)
                if x is None:
                    bad(path, f"{shown(node)} is not a number")
                    return False
                exact[(*index, i)] = x
                return True
            size = len(actions[depth])
            if not isinstance(node, list) or len(node) != size:
                got = f"{len(node)}" if isinstance(node, list) else repr(node)
                axis = "rows" if depth == 0 and n == 2 else ("columns" if depth == 1 and n == 2
                                                            else "entries")
                bad(path, f"expected {size} {axis}, one per action of {players[depth]} ("
                          + ", ".join(actions[depth]) + f"); got {got}")
                return False
            return all(walk(v, depth + 1, f"{path}[{k}]", (*index, k))
                       for k, v in enumerate(node))

        walk(raw, 0, path0, ())


# ---------------------------------------------------------------------------------------
# Loading a game: a file, a .nfg, a scenario with games.strategic, a classic id


def load_game(ref: str) -> StrategicGame:
    """A game from a path (YAML/JSON game file, Gambit `.nfg`, scenario with a
    `games: strategic:` section), a classic game id (`accord.games.classics`) or a built-in
    scenario id. Raises `InputError` on bad input."""
    from pathlib import Path

    from . import classics

    p = Path(ref)
    if not p.exists():
        if ref in classics.CLASSICS:
            return classics.classic(ref)
        from ...io import builtin_ids, load_scenario

        if ref in builtin_ids():
            return game_from_scenario(load_scenario(ref), f"{ref} (built-in)")
        raise InputError([Problem("", "no such file, classic game or built-in scenario "
                                      "(`accord game --list` lists the classic games)", ref)])
    if p.suffix.lower() == ".nfg":
        from .nfg import read_nfg

        return read_nfg(ref)
    if p.suffix.lower() == ".efg":
        raise InputError([Problem("", "an extensive-form Gambit game; `accord game` reads "
                                      "strategic-form games (.nfg, YAML or JSON)", ref)])
    from ...io import read_data

    data, name = read_data(ref)
    if isinstance(data, dict) and "accord" in data:
        from ...io import load_scenario

        return game_from_scenario(load_scenario(ref), name)
    if data is None:
        raise InputError([Problem("", "the file is empty", name)])
    return game_from_data(data, name)


def game_from_scenario(scenario: Any, file: str | None = None) -> StrategicGame:
    """The strategic game of a scenario's `games: strategic:` section."""
    section = (scenario.games or {}).get("strategic")
    if section is None:
        raise InputError([Problem("games.strategic", f"scenario '{scenario.id}' has no "
                                  "strategic game (add a `games: strategic:` section in the "
                                  "form of a game file)", file)])
    game = game_from_data(section, file, prefix="games.strategic")
    return game if game.title else dataclasses.replace(game, title=scenario.title)


# ---------------------------------------------------------------------------------------
# Payoffs of mixed profiles and verification


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


def _exact_check(game: StrategicGame, strategies: Sequence[np.ndarray]
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


# ---------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Equilibrium:
    """One Nash equilibrium: a mixed action per player, the expected payoffs, the largest
    regret found when it was verified, and the exact fractions when it checks exactly."""

    strategies: tuple[tuple[float, ...], ...]
    payoffs: tuple[float, ...]
    regret: float
    exact: tuple[tuple[Fraction, ...], ...] | None = None

    @property
    def pure(self) -> tuple[int, ...] | None:
        """The action profile when every player plays one action for sure."""
        out = []
        for s in self.strategies:
            k = int(np.argmax(s))
            if s[k] < 1 - 1e-9:
                return None
            out.append(k)
        return tuple(out)

    def supports(self) -> tuple[tuple[int, ...], ...]:
        return tuple(tuple(int(k) for k in np.flatnonzero(np.asarray(s) > 1e-12))
                     for s in self.strategies)

    def to_dict(self, game: StrategicGame) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": "pure" if self.pure is not None else "mixed",
            "strategies": {p: {a: _r(x) for a, x in zip(game.actions[i], self.strategies[i],
                                                         strict=True)}
                           for i, p in enumerate(game.players)},
            "payoffs": {p: _r(v) for p, v in zip(game.players, self.payoffs, strict=True)},
            "regret": float(self.regret),
            "exact": None,
        }
        if self.pure is not None:
            out["profile"] = game.profile_names(self.pure)
        if self.exact is not None:
            out["exact"] = {p: {a: str(x) for a, x in zip(game.actions[i], self.exact[i],
                                                           strict=True)}
                            for i, p in enumerate(game.players)}
        return out


@dataclass(frozen=True)
class EquilibriumSet:
    """What `nash_equilibria` found, and how (in the manner of Gambit's
    `NashComputationResult`: method, parameters, equilibria)."""

    game: StrategicGame
    method: str
    implementation: str
    parameters: dict[str, Any]
    equilibria: tuple[Equilibrium, ...]
    complete: bool
    """True when the list holds every extreme equilibrium (every equilibrium when the game
    is nondegenerate); for `pure`, every pure equilibrium."""
    degenerate: bool | None = None
    components: tuple[tuple[int, ...], ...] | None = None
    """Degenerate 2-player games, vertex enumeration: maximal Nash subsets ("cliques"), each
    a list of equilibrium indices whose row strategies and column strategies mix freely:
    any mixture of its row strategies against any mixture of its column strategies is an
    equilibrium."""
    rejected: int = 0
    notes: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.equilibria)

    def __iter__(self):
        return iter(self.equilibria)

    def __getitem__(self, k: int) -> Equilibrium:
        return self.equilibria[k]

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "implementation": self.implementation,
            "parameters": dict(self.parameters),
            "complete": self.complete,
            "degenerate": self.degenerate,
            "count": len(self.equilibria),
            "equilibria": [e.to_dict(self.game) for e in self.equilibria],
            "components": None if self.components is None else [list(c)
                                                                 for c in self.components],
            "rejected": self.rejected,
            "notes": list(self.notes),
        }


# ---------------------------------------------------------------------------------------
# Pure equilibria


def pure_equilibria(game: StrategicGame, tol: float = DEFAULT_TOL) -> list[tuple[int, ...]]:
    """Every pure-strategy Nash equilibrium, as action-index profiles in lexicographic order.

    Vectorised: for each player, one max over its own axis of its payoff array marks the
    profiles where it best-responds (within `tol * scale`); the equilibria are the profiles
    where every player does. Cost O(N * prod(actions)) time and memory. Complete: a profile
    is returned iff `verify` accepts it with the same `tol`.
    """
    atol = tol * game.scale
    best = np.ones(game.shape, dtype=bool)
    for i in range(game.n_players):
        u = game.payoffs[..., i]
        best &= u >= u.max(axis=i, keepdims=True) - atol
    return [tuple(int(x) for x in idx) for idx in np.argwhere(best)]


# ---------------------------------------------------------------------------------------
# Two players: vertex enumeration that keeps degenerate vertices


def _polytope(M: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray, bool]:
    """Vertices of {z >= 0, M^T z <= 1} (M: k x l, entries in [1, 2]) and their labels,
    a bool array (V, k + l): first z_i = 0, then (M^T z)_j = 1. Returns also whether qhull
    needed joggling."""
    k, cons = M.shape
    joggled = False
    if k == 1:
        verts = np.array([[0.0], [1.0 / M.max()]])
    else:
        from scipy.spatial import HalfspaceIntersection, QhullError

        hs = np.zeros((k + cons, k + 1))
        hs[:k, :k] = -np.eye(k)
        hs[k:, :k] = M.T
        hs[k:, k] = -1.0
        inner = np.full(k, 0.5 / M.sum(axis=0).max())
        try:
            verts = HalfspaceIntersection(hs, inner).intersections
        except QhullError:
            joggled = True
            verts = HalfspaceIntersection(hs, inner, qhull_options="QJ").intersections
    labels = np.concatenate([verts <= tol, np.abs(verts @ M - 1.0) <= tol], axis=1)
    if joggled:
        verts, labels = _polish(verts, labels, M, tol)
    # Distinct vertices have distinct sets of binding constraints: dedupe on the labels.
    packed = np.packbits(labels, axis=1)
    _, first = np.unique(packed, axis=0, return_index=True)
    first.sort()
    verts, labels = verts[first], labels[first]
    feasible = (verts >= -tol).all(axis=1) & (verts @ M <= 1 + tol).all(axis=1)
    enough = labels.sum(axis=1) >= k
    keep = feasible & enough
    return verts[keep], labels[keep], joggled


def _polish(verts: np.ndarray, labels: np.ndarray, M: np.ndarray, tol: float
            ) -> tuple[np.ndarray, np.ndarray]:
    """Re-solve each vertex from its binding constraints (after joggled qhull)."""
    k = M.shape[0]
    G = np.vstack([-np.eye(k), M.T])
    h = np.concatenate([np.zeros(k), np.ones(M.shape[1])])
    out = verts.copy()
    for r in range(len(verts)):
        t = labels[r]
        if t.sum() >= k:
            z, *_ = np.linalg.lstsq(G[t], h[t], rcond=None)
            out[r] = z
    labels = np.concatenate([out <= tol, np.abs(out @ M - 1.0) <= tol], axis=1)
    return out, labels


def _match(Lx: np.ndarray, Ly: np.ndarray, m: int, n: int) -> list[tuple[int, int]]:
    """Pairs (x, y) of vertices whose labels together cover every label."""
    cx, cy = Lx.sum(axis=1), Ly.sum(axis=1)
    pairs: list[tuple[int, int]] = []
    # Nondegenerate x and y: y's labels are exactly the complement of x's.
    table: dict[bytes, list[int]] = {}
    for j in np.flatnonzero(cy == n):
        table.setdefault(np.packbits(Ly[j]).tobytes(), []).append(int(j))
    nondeg_x = np.flatnonzero(cx == m)
    for i in nondeg_x:
        for j in table.get(np.packbits(~Lx[i]).tobytes(), ()):
            pairs.append((int(i), j))
    # Any pair with a degenerate vertex: y's labels contain the complement of x's.
    deg_x = np.flatnonzero(cx > m)
    deg_y = np.flatnonzero(cy > n)

    def superset(xs: np.ndarray, ys: np.ndarray) -> None:
        if not len(xs) or not len(ys):
            return
        missing_y = (~Ly[ys]).astype(np.float32)
        step = max(1, 5_000_000 // max(1, len(ys)))
        for s in range(0, len(xs), step):
            chunk = xs[s:s + step]
            need = (~Lx[chunk]).astype(np.float32)
            clash = need @ missing_y.T
            for a, b in zip(*np.nonzero(clash == 0), strict=True):
                pairs.append((int(chunk[a]), int(ys[b])))

    superset(nondeg_x, deg_y)
    superset(deg_x, np.arange(len(Ly)))
    return sorted(set(pairs))


def _vertex_enumeration(game: StrategicGame, tol: float
                        ) -> tuple[list[tuple[np.ndarray, np.ndarray]], bool,
                                   list[tuple[int, int]], list[str]]:
    """Extreme equilibria of a bimatrix game by enumerating the vertices of both
    best-response polytopes and matching completely labelled pairs (von Stengel 2007,
    Algorithm 3.5), with labels read with a tolerance so that degenerate vertices (more
    binding constraints than the dimension) keep all their labels."""
    A = game.payoffs[..., 0]
    B = game.payoffs[..., 1]
    m, n = A.shape

    def unit(X: np.ndarray) -> np.ndarray:
        span = X.max() - X.min()
        return 1.0 + (X - X.min()) / (span if span > 0 else 1.0)

    A1, B1 = unit(A), unit(B)
    X, Lx, jx = _polytope(B1, tol)        # x in R^m: labels [x_i = 0 | (B^T x)_j = 1]
    Y, Ly0, jy = _polytope(A1.T, tol)     # y in R^n: labels [y_j = 0 | (A y)_i = 1]
    Ly = np.concatenate([Ly0[:, n:], Ly0[:, :n]], axis=1)
    zero_x = X.sum(axis=1) <= tol
    zero_y = Y.sum(axis=1) <= tol
    degenerate = bool((Lx.sum(axis=1) > m).any() or (Ly.sum(axis=1) > n).any())
    notes = []
    if jx or jy:
        notes.append("qhull needed joggling (QJ); vertices were re-solved from their "
                     "binding constraints")
    vx = np.flatnonzero(~zero_x)
    vy = np.flatnonzero(~zero_y)
    pairs = [(int(vx[a]), int(vy[b])) for a, b in _match(Lx[vx], Ly[vy], m, n)]
    eqs = [(X[i] / X[i].sum(), Y[j] / Y[j].sum()) for i, j in pairs]
    return eqs, degenerate, pairs, notes


def _cliques(pairs: list[tuple[int, int]], limit: int = 10_000
             ) -> list[tuple[list[int], list[int]]] | None:
    """Maximal bicliques of the bipartite graph of equilibrium vertex pairs (Gambit's
    enummixed "cliques"): closed sets of the neighbourhood intersections."""
    nbrs: dict[int, frozenset[int]] = {}
    for x, y in pairs:
        nbrs[x] = nbrs.get(x, frozenset()) | {y}
    base = set(nbrs.values())
    closed = set(base)
    frontier = set(base)
    while frontier:
        new = set()
        for a in frontier:
            for b in base:
                c = a & b
                if c and c not in closed:
                    new.add(c)
        closed |= new
        frontier = new
        if len(closed) > limit:
            return None
    out = []
    for ys in closed:
        xs = [x for x, ny in nbrs.items() if ys <= ny]
        inter = frozenset.intersection(*(nbrs[x] for x in xs))
        if inter == ys:
            out.append((sorted(xs), sorted(ys)))
    out.sort()
    return out


# ---------------------------------------------------------------------------------------
# n players: McLennan-Tourky, refined by Newton's method on the support


def _refine(game: StrategicGame, strategies: list[np.ndarray], tol: float
            ) -> list[np.ndarray] | None:
    """Solve the indifference equations on the support of an approximate equilibrium
    (u_i(a, s_-i) = v_i for a in the support, probabilities summing to 1) from the
    approximate point; return the solution if it is a verified equilibrium."""
    from scipy.optimize import root

    n = game.n_players
    for cut in (1e-4, 1e-6, 1e-3):
        supports = [np.flatnonzero(s > cut) for s in strategies]
        if any(len(su) == 0 for su in supports):
            continue
        sizes = [len(su) for su in supports]
        offsets = np.cumsum([0, *sizes])

        def unpack(z: np.ndarray, supports=supports, offsets=offsets) -> list[np.ndarray]:
            out = []
            for i in range(n):
                v = np.zeros(game.shape[i])
                v[supports[i]] = z[offsets[i]:offsets[i + 1]]
                out.append(v)
            return out

        def F(z: np.ndarray, supports=supports, offsets=offsets, unpack=unpack) -> np.ndarray:
            s = unpack(z[:offsets[-1]])
            vals = z[offsets[-1]:]
            eqs = []
            for i in range(n):
                u = action_values(game, s, i)[supports[i]]
                eqs.append(u - vals[i])
                eqs.append([s[i].sum() - 1.0])
            return np.concatenate(eqs)

        z0 = np.concatenate([*(s[su] for s, su in zip(strategies, supports, strict=True)),
                             [float(action_values(game, strategies, i).max())
                              for i in range(n)]])
        sol = root(F, z0, method="hybr", options={"xtol": 1e-14})
        cand = unpack(sol.x[:offsets[-1]])
        if any(c.min() < -1e-9 for c in cand):
            continue
        cand = [np.clip(c, 0, None) / np.clip(c, 0, None).sum() for c in cand]
        if verify(game, cand, tol).ok:
            return cand
    return None


# ---------------------------------------------------------------------------------------
# Nash equilibria


def nash_equilibria(game: StrategicGame, method: str = "auto", tol: float = DEFAULT_TOL, *,
                    seed: int = 0, starts: int = 4, max_iter: int | None = None,
                    budget: Budget | None = None) -> EquilibriumSet:
    """Nash equilibria of `game`, each verified before it is returned.

    Methods (the result records the method, its implementation and parameters):

    - ``"vertex"`` (2 players): enumerates the vertices of both best-response polytopes with
      qhull (through scipy) and keeps the completely labelled pairs, reading labels with a
      tolerance of `LABEL_TOL` on payoffs rescaled to [1, 2]. **Guaranteed**: every extreme
      equilibrium, also of degenerate games (ties, payoff-equivalent actions, continua of
      equilibria). Every equilibrium of a degenerate game is a mixture of extreme ones inside
      one of the `components` (maximal Nash subsets) the result lists. A nondegenerate game
      has finitely many equilibria and the list holds all of them. **Not guaranteed**: payoff
      differences below about 1e-9 of the payoff range are read as ties; qhull's run time
      grows steeply with the number of actions (milliseconds at 10 x 10, about a second a
      polytope at 16 x 16 for random payoffs).
    - ``"qe-vertex"``, ``"support"`` (2 players): QuantEcon's `vertex_enumeration` and
      `support_enumeration`. All equilibria of *nondegenerate* games only; on degenerate
      games they can miss equilibria, so the result is not marked complete. Numba compiles
      them on first use (~3 s).
    - ``"lemke-howson"`` (2 players): QuantEcon's `lemke_howson` from each of the m + n
      initial pivots, plus every pure equilibrium. Finds at least one equilibrium of a
      nondegenerate game, not all (Shapley 1974 gives equilibria no path reaches). Runs that
      stop unconverged are dropped and counted.
    - ``"mclennan-tourky"`` (any number of players): QuantEcon's `mclennan_tourky` from
      `starts` points (the centroid, then random profiles from `seed`), each result refined by
      Newton's method on its support equations; plus every pure equilibrium. A sample, not
      all the equilibria.
    - ``"pure"``: every pure equilibrium (`pure_equilibria`).
    - ``"auto"``: ``"vertex"`` for 2-player games up to `VERTEX_LIMIT` actions per player
      (falling back to ``"lemke-howson"`` if qhull fails); ``"lemke-howson"`` for larger ones;
      ``"mclennan-tourky"`` for 3 or more players.

    Every candidate is checked by `verify` (probability vectors, regret at most `tol` times
    the largest absolute payoff); candidates that fail are dropped and counted in
    `rejected`. Duplicates are merged. Equilibria are sorted pure first. `budget` is polled
    before every Lemke-Howson pivot and McLennan-Tourky start (`BudgetExceeded` when it runs
    out; one qhull enumeration cannot be interrupted).
    """
    if method not in METHODS:
        raise InputError([Problem("method", f"unknown method '{method}' (use "
                                            + ", ".join(METHODS) + ")")])
    two = game.n_players == 2
    if method in TWO_PLAYER_METHODS and not two:
        raise InputError([Problem("method", f"'{method}' is for 2-player games; this game has "
                                            f"{game.n_players} players (use auto, pure or "
                                            "mclennan-tourky)")])
    if method == "auto":
        if two and max(game.shape) <= VERTEX_LIMIT:
            chosen = "vertex"
        elif two:
            chosen = "lemke-howson"
        else:
            chosen = "mclennan-tourky"
    else:
        chosen = method
    params: dict[str, Any] = {"tol": tol}
    notes: list[str] = []
    if method == "auto":
        params["requested"] = "auto"
    candidates: list[list[np.ndarray]] = []
    complete = False
    degenerate: bool | None = None
    pairs: list[tuple[int, int]] | None = None
    impl = ""

    if chosen == "vertex":
        impl = "accord vertex enumeration (scipy/qhull HalfspaceIntersection, labels by "\
               "tolerance)"
        params.update(label_tol=LABEL_TOL)
        try:
            eqs, degenerate, pairs, more = _vertex_enumeration(game, LABEL_TOL)
            notes += more
            candidates = [list(e) for e in eqs]
            complete = True
        except Exception as exc:  # noqa: BLE001 - qhull failures fall back to Lemke-Howson
            if method != "auto":
                raise
            notes.append(f"vertex enumeration failed ({type(exc).__name__}: {exc}); fell "
                         "back to Lemke-Howson")
            chosen = "lemke-howson"
            pairs = None
    if chosen == "qe-vertex":
        from quantecon.game_theory import vertex_enumeration

        impl = "quantecon.game_theory.vertex_enumeration"
        candidates = [list(e) for e in vertex_enumeration(game.to_quantecon())]
        notes.append("every equilibrium if the game is nondegenerate; degenerate games can "
                     "have more")
    elif chosen == "support":
        from quantecon.game_theory import support_enumeration

        impl = "quantecon.game_theory.support_enumeration"
        candidates = [list(e) for e in support_enumeration(game.to_quantecon())]
        notes.append("every equilibrium if the game is nondegenerate; degenerate games can "
                     "have more")
    elif chosen == "lemke-howson":
        from quantecon.game_theory import lemke_howson

        impl = "quantecon.game_theory.lemke_howson (every initial pivot) + pure equilibria"
        g = game.to_quantecon()
        limit = max_iter or 10**6
        params.update(max_iter=limit, init_pivots=sum(game.shape))
        stalled = 0
        for k in range(sum(game.shape)):
            check(budget, k, sum(game.shape), "Lemke-Howson pivots",
                  "use --method pure, or a smaller game")
            ne, res = lemke_howson(g, init_pivot=k, max_iter=limit, full_output=True)
            if res.converged:
                candidates.append([np.asarray(x, dtype=float) for x in ne])
            else:
                stalled += 1
        if stalled:
            notes.append(f"{stalled} Lemke-Howson runs stopped unconverged")
        candidates += _pure_candidates(game, tol)
    elif chosen == "mclennan-tourky":
        from quantecon.game_theory import mclennan_tourky

        impl = "quantecon.game_theory.mclennan_tourky, refined by Newton's method on the "\
               "support + pure equilibria"
        limit = max_iter or 500
        eps = 1e-6 * game.scale
        params.update(starts=starts, seed=seed, epsilon=eps, max_iter=limit)
        g = game.to_quantecon()
        rng = np.random.default_rng(seed)
        inits = [tuple(np.full(k, 1.0 / k) for k in game.shape)]
        for _ in range(max(0, starts - 1)):
            inits.append(tuple(rng.dirichlet(np.ones(k)) for k in game.shape))
        unrefined = 0
        for k, init in enumerate(inits[:max(starts, 0)]):
            check(budget, k, len(inits), "McLennan-Tourky starts",
                  "give fewer --starts, or use --method pure")
            ne, res = mclennan_tourky(g, init=init, epsilon=eps, max_iter=limit,
                                      full_output=True)
            s = [np.asarray(x, dtype=float) for x in ne]
            if verify(game, s, tol).ok:
                candidates.append(s)
                continue
            fine = _refine(game, s, tol)
            if fine is None:
                unrefined += 1
            else:
                candidates.append(fine)
        if unrefined:
            notes.append(f"{unrefined} McLennan-Tourky results (epsilon-equilibria) could "
                         "not be refined to the tolerance and were dropped")
        candidates += _pure_candidates(game, tol)
    elif chosen == "pure":
        impl = "accord pure_equilibria (vectorised best responses)"
        candidates = _pure_candidates(game, tol)
        complete = True

    if method == "auto" and chosen != "vertex":
        if two:
            notes.append(f"more than {VERTEX_LIMIT} actions for a player: Lemke-Howson finds "
                         "some equilibria, not necessarily all")
        else:
            notes.append("n-player game: every pure equilibrium, and the mixed equilibria "
                         "McLennan-Tourky found from its starting points (not all)")

    eqs, rejected, keep_idx = _finish(game, candidates, tol)
    components = None
    if chosen == "vertex" and degenerate and pairs is not None:
        kept_pairs = [pairs[k] for k in keep_idx]
        where = {p: r for r, p in enumerate(kept_pairs)}
        cl = _cliques(kept_pairs)
        if cl is None:
            notes.append("too many maximal Nash subsets to list")
        else:
            components = tuple(tuple(sorted(where[(x, y)] for x in xs for y in ys))
                               for xs, ys in cl)
    order = sorted(range(len(eqs)), key=lambda k: (eqs[k].pure is None,
                                                   [-p for s in eqs[k].strategies for p in s]))
    eqs = [eqs[k] for k in order]
    if components is not None:
        new = {old: r for r, old in enumerate(order)}
        components = tuple(sorted(tuple(sorted(new[k] for k in c)) for c in components))
    if rejected:
        notes.append(f"{rejected} candidate(s) failed verification and were dropped")
    return EquilibriumSet(game, chosen, impl, params, tuple(eqs), complete and rejected == 0,
                          degenerate, components, rejected, tuple(notes))


def _pure_candidates(game: StrategicGame, tol: float) -> list[list[np.ndarray]]:
    out = []
    for prof in pure_equilibria(game, tol):
        s = []
        for i, a in enumerate(prof):
            v = np.zeros(game.shape[i])
            v[a] = 1.0
            s.append(v)
        out.append(s)
    return out


def _finish(game: StrategicGame, candidates: list[list[np.ndarray]], tol: float
            ) -> tuple[list[Equilibrium], int, list[int]]:
    """Verify, dedupe and package candidates; return the equilibria, the number rejected
    and the candidate index of each kept equilibrium."""
    out: list[Equilibrium] = []
    keep: list[int] = []
    seen: set[tuple] = set()
    rejected = 0
    raw_seen: set[tuple] = set()
    for c, s in enumerate(candidates):
        s = [np.where(np.abs(v) < 1e-15, 0.0, v) for v in s]
        raw = tuple(round(float(p), 9) + 0.0 for v in s for p in v)
        if raw in raw_seen:
            continue
        raw_seen.add(raw)
        check = verify(game, s, tol)
        if not check.ok:
            rejected += 1
            continue
        exact = _exact_check(game, s)
        if exact is not None:
            s = [np.array([float(x) for x in v]) for v in exact]
        key = tuple(round(float(p), 7) + 0.0 for v in s for p in v)
        if key in seen:
            continue
        seen.add(key)
        pay = expected_payoffs(game, s)
        out.append(Equilibrium(tuple(tuple(float(p) for p in v) for v in s),
                               tuple(float(x) for x in pay), check.max_regret, exact))
        keep.append(c)
    return out, rejected, keep


# ---------------------------------------------------------------------------------------
# Dominated actions


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
                "by": {acts[a]: _r(w) for a, w in self.by}}


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


# ---------------------------------------------------------------------------------------
# Pareto-efficient outcomes and win-win improvements


@dataclass(frozen=True)
class Outcome:
    """A pure outcome (action profile) and its payoffs."""

    profile: tuple[int, ...]
    payoffs: tuple[float, ...]

    def to_dict(self, game: StrategicGame) -> dict[str, Any]:
        return {"profile": game.profile_names(self.profile),
                "payoffs": {p: _r(v) for p, v in zip(game.players, self.payoffs, strict=True)}}


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
                "payoffs": {p: _r(v) for p, v in zip(game.players, self.payoffs, strict=True)},
                "gains": {p: _r(v) for p, v in zip(game.players, self.gains, strict=True)},
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
                "equilibrium_payoffs": {p: _r(v) for p, v in
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


# ---------------------------------------------------------------------------------------
# Everything at once


@dataclass(frozen=True)
class StrategicAnalysis:
    """Equilibria, dominated actions, Pareto-efficient outcomes and win-win outcomes of a
    game: what `accord game` shows."""

    game: StrategicGame
    equilibria: EquilibriumSet
    dominance: DominanceResult
    pareto: tuple[Outcome, ...]
    win_win: tuple[WinWin, ...]

    def to_dict(self) -> dict[str, Any]:
        g = self.game
        return {"game": g.to_dict(), "equilibria": self.equilibria.to_dict(),
                "dominance": self.dominance.to_dict(),
                "pareto": [o.to_dict(g) for o in self.pareto],
                "win_win": [w.to_dict(g) for w in self.win_win]}


def analyze_game(game: StrategicGame, method: str = "auto", tol: float = DEFAULT_TOL, *,
                 seed: int = 0, starts: int = 4, budget: Budget | None = None
                 ) -> StrategicAnalysis:
    """`nash_equilibria`, `dominated_actions`, `pareto_outcomes` and `win_win_outcomes`;
    `budget` is polled by `nash_equilibria` and between the steps."""
    eqs = nash_equilibria(game, method, tol, seed=seed, starts=starts, budget=budget)
    what, advice = "game analysis", "use --method pure, or a smaller game"
    check(budget, 1, 4, what, advice)
    dominance = dominated_actions(game, tol)
    check(budget, 2, 4, what, advice)
    pareto = tuple(pareto_outcomes(game, tol))
    check(budget, 3, 4, what, advice)
    return StrategicAnalysis(game, eqs, dominance, pareto,
                             tuple(win_win_outcomes(game, eqs, tol)))

