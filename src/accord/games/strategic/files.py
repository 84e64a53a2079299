"""The strategic game file (YAML or JSON) and a scenario's `games: strategic:` section, and
`load_game`, which also reads Gambit `.nfg` files (`accord.games.strategic.nfg`), the
classic games (`accord.games.strategic.classics`) and built-in scenarios.

```yaml
title: Chicken
players:                      # or a list of {name, actions}
  Row: [swerve, straight]
  Column: [swerve, straight]
payoffs:                      # a table per profile; or matrices: {Row: [[...]], Column: ...}
  swerve: {swerve: [3, 3], straight: [2, 4]}
  straight: {swerve: [4, 2], straight: [1, 1]}
```

Payoffs may be integers, decimals or text such as "1/3", kept exact. Every problem is
reported at once, with the file and the path inside it.
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction
from typing import Any

import numpy as np

from ...errors import InputError, Problem
from ...numeric import shown
from ..exact import exact_value
from .game import StrategicGame

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
        x = exact_value(v)
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
                x = exact_value(node)
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
    `games: strategic:` section), a classic game id (`accord.games.strategic.classics`) or a
    built-in scenario id. Raises `InputError` on bad input."""
    from pathlib import Path

    from .classics import CLASSICS, classic

    p = Path(ref)
    if not p.exists():
        if ref in CLASSICS:
            return classic(ref)
        from ...io import is_builtin, read_source
        from ...validation import validate_scenario

        if is_builtin(ref):
            return game_from_scenario(validate_scenario(*read_source(ref)),
                                      f"{ref} (built-in)")
        raise InputError([Problem("", "no such file, classic game or built-in scenario (the "
                                      "classic games: " + ", ".join(CLASSICS) + ")", ref)])
    if p.suffix.lower() == ".nfg":
        from .nfg import read_nfg

        return read_nfg(ref)
    if p.suffix.lower() == ".efg":
        raise InputError([Problem("", "an extensive-form Gambit game; `accord game` reads "
                                      "strategic-form games (.nfg, YAML or JSON)", ref)])
    from ...io import is_scenario, read_source
    from ...validation import validate_scenario

    data, name = read_source(ref)
    if is_scenario(data):
        return game_from_scenario(validate_scenario(data, name), name)
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
