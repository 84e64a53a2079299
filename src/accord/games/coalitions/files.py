"""The coalition game file (and a scenario's `games.coalition` section): a characteristic
function or a weighted voting game, with an optional title and the players to single out
as mediators (see `parse_game`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ...errors import InputError, Problem
from ..exact import exact_value, not_a_number
from .power import WeightedVotingGame, weighted_voting_game
from .tu import MAX_PLAYERS, TUGame, tu_game


@dataclass(frozen=True, eq=False)
class GameInput:
    """A coalition game as read from a file or a scenario's `games.coalition`."""

    game: TUGame | WeightedVotingGame
    title: str = ""
    mediators: tuple[str, ...] = ()


_TU_KEYS = {"players", "values"}
_WVG_KEYS = {"quota", "weights"}
_INFO_KEYS = {"title", "summary", "notes", "sources", "id", "mediators"}


def parse_game(data: object, file: str | None = None, where: str = "") -> GameInput:
    """Read a coalition game from plain data (a parsed YAML/JSON file).

    Either a characteristic function::

        players: [R, U, M]
        values:                      # coalitions not listed are worth 0
          - {coalition: [R, U], value: 60}
          - {coalition: [R, U, M], value: 100}

    or a weighted voting game::

        quota: 39
        weights: {china: 7, france: 7, ...}   # or a list, with `players` beside it

    with optional `title` and `mediators` (players whose share the report singles out).
    Numbers may be integers, decimals or strings such as "130/3". Raises `InputError`
    with every problem, located under `where` in `file`.
    """
    pre = f"{where}." if where else ""
    problems: list[Problem] = []

    def bad(path: str, msg: str) -> None:
        problems.append(Problem(f"{pre}{path}" if path else where, msg, file))

    if not isinstance(data, dict):
        raise InputError([Problem(where, "expected a mapping with `players` and `values` (a "
                                         "characteristic function) or `quota` and `weights` "
                                         "(a weighted voting game)", file)])
    keys = set(data)
    unknown = keys - _TU_KEYS - _WVG_KEYS - _INFO_KEYS
    for k in sorted(unknown, key=str):
        bad(str(k), "unknown field (expected players, values, quota, weights, title, "
                    "mediators)")
    is_wvg = bool(keys & _WVG_KEYS)
    is_tu = "values" in keys
    if is_wvg and is_tu:
        bad("values", "give either values (a characteristic function) or quota and weights "
                      "(a weighted voting game), not both")
    elif not is_wvg and not is_tu:
        bad("", "expected `players` and `values` (a characteristic function) or `quota` and "
                "`weights` (a weighted voting game)")
    title = data.get("title", "")
    if not isinstance(title, str):
        bad("title", "expected text")
        title = ""
    if problems:
        raise InputError(problems)
    game: TUGame | WeightedVotingGame
    if is_wvg:
        for k in ("quota", "weights"):
            if k not in data:
                bad(k, "missing (a weighted voting game needs quota and weights)")
        w = data.get("weights")
        if "weights" in data and not isinstance(w, dict | list):
            bad("weights", "expected a mapping {player: weight} or a list of weights")
        players = data.get("players")
        if players is not None and not (isinstance(players, list)
                                        and all(isinstance(p, str | int) for p in players)):
            bad("players", "expected a list of player ids")
            players = None
        if problems:
            raise InputError(problems)
        if isinstance(w, dict):
            w = {str(k): x for k, x in w.items()}
        game = weighted_voting_game(w, data["quota"],  # type: ignore[arg-type]
                                    [str(p) for p in players] if players is not None else None,
                                    title, where, file)
    else:
        game = _parse_tu(data, title, bad)
        if problems:
            raise InputError(problems)
    mediators = data.get("mediators", [])
    if not isinstance(mediators, list):
        bad("mediators", "expected a list of player ids")
        mediators = []
    for k, m in enumerate(mediators):
        if str(m) not in game.players:
            bad(f"mediators[{k}]", f"unknown player '{m}' (players: {', '.join(game.players)})")
    if problems:
        raise InputError(problems)
    return GameInput(game, title, tuple(str(m) for m in mediators))


def _parse_tu(data: dict, title: str, bad: Callable[[str, str], None]) -> TUGame:
    players = data.get("players")
    if not isinstance(players, list) or not players:
        bad("players", "expected a non-empty list of player ids")
        return TUGame((), np.zeros(1))
    names = [str(p) for p in players]
    if any(not isinstance(p, str | int) or isinstance(p, bool) for p in players):
        bad("players", "player ids must be text")
    dup = sorted({p for p in names if names.count(p) > 1})
    if dup:
        bad("players", f"duplicate players: {', '.join(dup)}")
    if len(names) > MAX_PLAYERS:
        bad("players", f"{len(names)} players: a characteristic function is limited to "
                       f"{MAX_PLAYERS} (2^n values)")
        return TUGame((), np.zeros(1))
    values = data.get("values")
    if not isinstance(values, list):
        bad("values", "expected a list of {coalition: [players], value: number}")
        return TUGame((), np.zeros(1))
    seen: dict[frozenset[str], int] = {}
    table: dict[frozenset[str], object] = {}
    for k, item in enumerate(values):
        here = f"values[{k}]"
        if not isinstance(item, dict) or set(item) != {"coalition", "value"}:
            bad(here, "expected {coalition: [players], value: number}")
            continue
        coal = item["coalition"]
        if not isinstance(coal, list):
            bad(f"{here}.coalition", "expected a list of players")
            continue
        members = [str(p) for p in coal]
        unknown = [p for p in members if p not in names]
        for p in unknown:
            bad(f"{here}.coalition", f"unknown player '{p}' (players: {', '.join(names)})")
        if len(set(members)) != len(members):
            bad(f"{here}.coalition", "a player is listed twice")
        if unknown:
            continue
        key = frozenset(members)
        if key in seen:
            bad(f"{here}.coalition", f"the coalition is already given at values[{seen[key]}]")
            continue
        seen[key] = k
        val = exact_value(item["value"])
        if val is None:
            bad(f"{here}.value", not_a_number(item["value"]))
            continue
        if not key and val != 0:
            bad(f"{here}.coalition", "the empty coalition is worth 0")
            continue
        table[key] = val
    if dup:
        return TUGame((), np.zeros(1))
    return tu_game(names, {tuple(k): v for k, v in table.items()}, title)
