"""Gambit strategic-form game files (`.nfg`), read and written without Gambit.

Both versions of the format are read (Gambit manual, "Game representation formats"):

- payoff version: ``NFG 1 R "title" { "P1" "P2" } { 3 2 }`` then, optionally, a comment
  string, then one payoff per player for every profile;
- outcome version: ``NFG 1 R "title" { "P1" "P2" }`` then the strategy labels
  ``{ { "U" "D" } { "L" "R" } }``, an optional comment, the outcomes
  ``{ { "name" 1, 2 } ... }`` and one outcome number per profile (0: every payoff 0).

Profiles are listed with the first player's strategy changing fastest. Strategies may be
given as counts or labels in either version; numbers may be integers, decimals (``.5``,
``1e3``) or ratios (``3/2``), kept exact (read by `accord.numeric.exact_number`). Labels
are double-quoted with ``\\"`` for a quote.
Malformed files raise `InputError` with the line and column at fault.
"""

from __future__ import annotations

import os
import re
from fractions import Fraction

import numpy as np

from ...errors import InputError, Problem
from ...io import read_bytes
from ...numeric import exact_number, shown
from .game import StrategicGame

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<brace>[{}])
  | (?P<comma>,)
  | (?P<str>"(?:[^"\\]|\\.)*")
  | (?P<num>[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?:/\d+)?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<unclosed>"(?:[^"\\]|\\.)*\Z)
  | (?P<other>.)
""", re.X | re.S)


class _Tokens:
    def __init__(self, text: str, name: str):
        self.name = name
        self.items: list[tuple[str, str, int, int]] = []
        line, start = 1, 0
        for m in _TOKEN.finditer(text):
            kind, value = m.lastgroup, m.group()
            col = m.start() - start + 1
            if kind == "unclosed":
                self.fail_at(line, col, "a label opens a quote that never closes")
            if kind == "other":
                self.fail_at(line, col, f"unexpected character {value!r}")
            if kind not in ("ws", "comma"):
                self.items.append((kind, value, line, col))
            nl = value.count("\n")
            if nl:
                line += nl
                start = m.start() + value.rindex("\n") + 1
        self.pos = 0
        self.end_line = line

    def fail_at(self, line: int, col: int, message: str):
        raise InputError([Problem(f"line {line}, column {col}", message, self.name)])

    def fail(self, message: str):
        if self.pos < len(self.items):
            _, _, line, col = self.items[self.pos]
            self.fail_at(line, col, message)
        raise InputError([Problem(f"line {self.end_line}", message + " (the file ends "
                                                                      "here)", self.name)])

    def peek(self) -> tuple[str, str] | None:
        if self.pos < len(self.items):
            k, v, _, _ = self.items[self.pos]
            return k, v
        return None

    def take(self, kind: str, value: str | None = None, what: str = "") -> str:
        tok = self.peek()
        if tok is None or tok[0] != kind or (value is not None and tok[1] != value):
            found = "the end of the file" if tok is None else repr(tok[1])
            self.fail(f"expected {what or value or kind}, found {found}")
        self.pos += 1
        return tok[1]  # type: ignore[index]

    def string(self, what: str) -> str:
        raw = self.take("str", what=what)
        return re.sub(r"\\(.)", r"\1", raw[1:-1])

    def number(self, what: str) -> Fraction:
        raw = self.take("num", what=what)
        x = exact_number(raw)
        if x is None:
            self.pos -= 1
            _, slash, den = raw.partition("/")
            if slash and not den.strip("0"):
                self.fail(f"{raw} divides by zero")
            self.fail(f"{shown(raw)} is not a number this reader takes: an integer, a decimal "
                      "(exponent within +-400, magnitude below about 1.8e308) or a ratio of "
                      "integers")
        return x

    def at(self, kind: str, value: str | None = None) -> bool:
        tok = self.peek()
        return tok is not None and tok[0] == kind and (value is None or tok[1] == value)


def parse_nfg(text: str, name: str = "<nfg>") -> StrategicGame:
    """A `StrategicGame` from the text of a Gambit `.nfg` file."""
    t = _Tokens(text, name)
    head = t.peek()
    if head is not None and head[1] == "EFG":
        t.fail("an extensive-form Gambit game (EFG); `accord game` reads strategic-form "
               "games (NFG)")
    if head is None or head[1] != "NFG":
        t.fail("not a Gambit strategic-form game: the file must begin with NFG 1 R")
    t.take("word", "NFG")
    if not t.at("num"):
        t.fail("expected the format version 1 after NFG")
    version = t.take("num")
    if version != "1":
        t.pos -= 1
        t.fail(f"unsupported .nfg version {version} (only version 1 exists)")
    if not (t.at("word", "R") or t.at("word", "D")):
        t.fail("expected R after NFG 1")
    t.pos += 1
    title = t.string("the title of the game in double quotes")
    t.take("brace", "{", "'{' opening the list of players")
    players = []
    while t.at("str"):
        players.append(t.string("a player name"))
    t.take("brace", "}", "a player name in double quotes, or '}'")
    if len(players) < 2:
        t.pos -= 1
        t.fail(f"a strategic game needs at least 2 players; the file names {len(players)}")

    t.take("brace", "{", "'{' opening the strategies (counts or labels)")
    labels: list[list[str]] = []
    if t.at("brace", "{"):
        while t.at("brace", "{"):
            t.take("brace", "{")
            row = []
            while t.at("str"):
                row.append(t.string("a strategy label"))
            t.take("brace", "}", "a strategy label in double quotes, or '}'")
            if not row:
                t.pos -= 1
                t.fail(f"player {len(labels) + 1} has no strategies")
            labels.append(row)
    else:
        while t.at("num"):
            count = t.take("num")
            if not count.isdigit() or int(count) < 1:
                t.pos -= 1
                t.fail(f"a number of strategies must be a whole number of at least 1, not "
                       f"{count}")
            labels.append([str(k + 1) for k in range(int(count))])
    if len(labels) != len(players):
        t.fail(f"the file lists strategies for {len(labels)} players but names "
               f"{len(players)} players")
    t.take("brace", "}", "'}' closing the strategies")
    comment = t.string("") if t.at("str") else ""

    shape = tuple(len(r) for r in labels)
    n = len(players)
    count = int(np.prod(shape))
    exact = np.empty((*shape, n), dtype=object)
    # Profile k: the first player's strategy changes fastest.
    index = [tuple(int(x) for x in np.unravel_index(k, shape, order="F")) for k in range(count)]
    if t.at("brace", "{"):
        t.take("brace", "{")
        outcomes: list[list[Fraction]] = []
        while t.at("brace", "{"):
            t.take("brace", "{")
            if t.at("str"):
                t.string("an outcome label")
            pay = []
            while t.at("num"):
                pay.append(t.number("a payoff"))
            if len(pay) != n:
                t.fail(f"outcome {len(outcomes) + 1} has {len(pay)} payoff"
                       + ("" if len(pay) == 1 else "s") + f"; the game has {n} players")
            t.take("brace", "}", "'}' closing the outcome")
            outcomes.append(pay)
        t.take("brace", "}", "'{' opening an outcome or '}' closing the outcomes")
        for k in range(count):
            if not t.at("num"):
                t.fail(f"expected the outcome number of profile {k + 1} of {count}")
            raw = t.take("num")
            if not raw.isdigit() or int(raw) > len(outcomes):
                t.pos -= 1
                t.fail(f"profile {k + 1} names outcome {raw}, but the file defines outcomes "
                       f"1 to {len(outcomes)} (0 for none)")
            o = int(raw)
            exact[index[k]] = outcomes[o - 1] if o else [Fraction(0)] * n
    else:
        needed = count * n
        for k in range(needed):
            if not t.at("num"):
                t.fail(f"the payoff list stops after {k} numbers; a "
                       + "x".join(map(str, shape)) + f" game of {n} players needs {needed}")
            exact[index[k // n] + (k % n,)] = t.number("a payoff")
    if t.peek() is not None:
        t.fail("unexpected text after the end of the game")
    actions = [_unique(r) for r in labels]
    names = _unique([p or f"Player {k + 1}" for k, p in enumerate(players)])
    return StrategicGame(tuple(names), tuple(tuple(a) for a in actions), exact.astype(float),
                         title=title, description=comment.strip() or None,
                         source=name, exact=exact)


def _unique(labels: list[str]) -> list[str]:
    """Empty labels become their number; repeated labels get ' (k)' appended."""
    out: list[str] = []
    for k, lab in enumerate(labels):
        lab = lab.strip() or str(k + 1)
        base, j = lab, 2
        while lab in out:
            lab = f"{base} ({j})"
            j += 1
        out.append(lab)
    return out


def read_nfg(path: str | os.PathLike[str]) -> StrategicGame:
    """Read a Gambit `.nfg` file."""
    data = read_bytes(path, "game file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return parse_nfg(text, str(path))


def _quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_nfg(game: StrategicGame) -> str:
    """The game as the text of a Gambit `.nfg` file (payoff version with strategy labels;
    exact payoffs written as integers or ratios)."""
    lines = [f"NFG 1 R {_quote(game.title)} {{ " + " ".join(_quote(p) for p in game.players)
             + " }", "",
             "{ " + " ".join("{ " + " ".join(_quote(a) for a in acts) + " }"
                             for acts in game.actions) + " }",
             _quote(game.description or ""), ""]
    ex = game.exact_payoffs
    vals = []
    for k in range(game.n_profiles):
        idx = tuple(int(x) for x in np.unravel_index(k, game.shape, order="F"))
        vals.append(" ".join(str(Fraction(x)) for x in ex[idx]))
    lines.append("\n".join(vals))
    return "\n".join(lines) + "\n"
