"""The input of `accord trust`: a small YAML/JSON file, or a scenario's `games: {trust: ...}`.

```yaml
title: Border talks, illustrative        # optional
payoffs: {T: 5, R: 3, P: 1, S: 0}        # default 5/3/1/0
strategies:                              # names, or custom memory-one rules
  - tft
  - gtft:0.2
  - {name: wary, vector: [1, 0, 0.5, 0.1], first: 1, description: "..."}
continuation: 0.9                        # or turns: 200 (default: 200 turns)
noise: 0.01                              # chance that a move is flipped
evolution: {population: 50, intensity: 0.1, fitness: linear, time: 100}
track2: {w0: 0.4, w_max: 0.95, w_rate: 0.15, noise0: 0.05, noise_rate: 0.3,
         max_contact: 30, strategies: [grim, tft, ctft]}
```

Every problem is reported at once with its place in the file (`strategies[2].vector`).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from ...errors import InputError, Problem
from ..exact import exact_value
from .automata import DEFAULT_STRATEGIES, Strategy, memory_one, strategies, strategy
from .payoffs import Payoffs
from .track2 import DEFAULT_TRACK2_STRATEGIES, ContactModel

_TOP = ("title", "note", "notes", "payoffs", "strategies", "turns", "continuation", "noise",
        "self_play", "evolution", "track2")
_EVOLUTION = ("population", "intensity", "fitness", "time")
_TRACK2 = ("w0", "w_max", "w_rate", "noise0", "noise_rate", "max_contact", "points",
           "strategies")
_CUSTOM = ("name", "vector", "first", "description")


@dataclass(frozen=True)
class TrustSpec:
    """Everything `accord trust` needs, validated."""

    payoffs: Payoffs = field(default_factory=Payoffs)
    strategy_specs: tuple[str, ...] = DEFAULT_STRATEGIES
    custom: dict[str, Strategy] = field(default_factory=dict)
    turns: int | None = None
    continuation: float | None = None
    noise: float = 0.0
    self_play: bool = True
    population: int = 50
    intensity: float = 0.1
    fitness: str = "linear"
    time: float = 100.0
    track2: ContactModel | None = None
    track2_strategies: tuple[str, ...] = DEFAULT_TRACK2_STRATEGIES
    max_contact: float = 30.0
    points: int = 121
    title: str | None = None
    source: str | None = None

    def strategies(self) -> list[Strategy]:
        return strategies(self.strategy_specs, self.payoffs, self.custom)


def _unknown(data: dict, known: tuple[str, ...], where: str, file: str | None,
             problems: list[Problem]) -> None:
    for k in data:
        if k not in known:
            near = difflib.get_close_matches(str(k), known, n=1)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            problems.append(Problem(f"{where}{k}", f"unknown field{hint}; known: "
                                                   f"{', '.join(known)}", file))


def _number(data: dict, key: str, where: str, file: str | None, problems: list[Problem],
            lo: float | None = None, hi: float | None = None, integer: bool = False) -> Any:
    if key not in data or data[key] is None:
        return None
    v = data[key]
    x = exact_value(v)
    ok = x is not None and (not integer or x.denominator == 1)
    if ok and ((lo is not None and x < lo) or (hi is not None and x > hi)):
        ok = False
    if x is None or not ok:
        kind = "a whole number" if integer else "a number"
        rng = ""
        if lo is not None and hi is not None:
            rng = f" in [{lo:g}, {hi:g}]"
        elif lo is not None:
            rng = f" >= {lo:g}"
        problems.append(Problem(f"{where}{key}", f"must be {kind}{rng}, not {v!r}", file))
        return None
    return int(x) if integer else float(x)


def parse_trust(data: Any, file: str | None = None, where: str = "") -> TrustSpec:
    """Validate the trust input `data` (plain data from YAML/JSON); `where` prefixes the
    paths in messages (`games.trust.` inside a scenario)."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError([Problem(where.rstrip(".") or "", "the trust input must be a "
                                                           "mapping", file)])
    problems: list[Problem] = []
    _unknown(data, _TOP, where, file, problems)
    kw: dict[str, Any] = {"source": file}

    if "title" in data:
        kw["title"] = str(data["title"])
    pay = data.get("payoffs")
    if pay is not None:
        if not isinstance(pay, dict):
            problems.append(Problem(f"{where}payoffs", "must be a mapping {T, R, P, S}", file))
        else:
            _unknown(pay, ("T", "R", "P", "S"), f"{where}payoffs.", file, problems)
            vals = {}
            for k in ("T", "R", "P", "S"):
                if k not in pay:
                    problems.append(Problem(f"{where}payoffs.{k}", "missing (give all of T, "
                                                                   "R, P, S)", file))
                else:
                    vals[k] = _number(pay, k, f"{where}payoffs.", file, problems)
            if len(vals) == 4 and None not in vals.values():
                try:
                    kw["payoffs"] = Payoffs(**vals)
                except InputError as exc:
                    problems.extend(Problem(f"{where}{p.path}", p.message, file)
                                    for p in exc.problems)

    custom: dict[str, Strategy] = {}
    specs: list[str] = []
    named: list[tuple[str, str]] = []  # (path, name) of the strategies given by name
    raw = data.get("strategies")
    if raw is not None:
        if not isinstance(raw, list) or not raw:
            problems.append(Problem(f"{where}strategies", "must be a non-empty list of "
                                                          "names or {name, vector, first}",
                                    file))
        else:
            for k, item in enumerate(raw):
                path = f"{where}strategies[{k}]"
                if isinstance(item, str):
                    specs.append(item)
                    named.append((path, item))
                elif isinstance(item, dict):
                    _unknown(item, _CUSTOM, f"{path}.", file, problems)
                    name = item.get("name")
                    vec = item.get("vector")
                    if not isinstance(name, str) or not name.strip():
                        problems.append(Problem(f"{path}.name", "give the strategy a name",
                                                file))
                        continue
                    probs = [exact_value(x) for x in vec] if isinstance(vec, list) else []
                    if len(probs) != 4 or None in probs:
                        problems.append(Problem(f"{path}.vector", "give 4 probabilities "
                                                                  "[p_CC, p_CD, p_DC, p_DD]",
                                                file))
                        continue
                    before = len(problems)
                    first = _number(item, "first", f"{path}.", file, problems, 0, 1)
                    if len(problems) > before:
                        continue
                    try:
                        vector = [float(x) for x in probs if x is not None]
                        custom[name] = memory_one(name, vector, 1.0 if first is None else first,
                                                  str(item.get("description", "custom "
                                                               "memory-one rule")))
                    except InputError as exc:
                        problems.extend(Problem(f"{path}.vector", p.message, file)
                                        for p in exc.problems)
                        continue
                    specs.append(name)
                else:
                    problems.append(Problem(path, "a strategy is a name or a mapping "
                                                  "{name, vector, first}", file))
    if specs:
        kw["strategy_specs"] = tuple(specs)
    kw["custom"] = custom

    kw["turns"] = _number(data, "turns", where, file, problems, 1, None, integer=True)
    kw["continuation"] = _number(data, "continuation", where, file, problems, 0, 1)
    if kw["turns"] is not None and kw["continuation"] is not None:
        problems.append(Problem(f"{where}continuation", "give turns or continuation, not "
                                                        "both", file))
    noise = _number(data, "noise", where, file, problems, 0, 0.5)
    if noise is not None:
        kw["noise"] = noise
    if "self_play" in data:
        if isinstance(data["self_play"], bool):
            kw["self_play"] = data["self_play"]
        else:
            problems.append(Problem(f"{where}self_play", "must be true or false", file))

    evo = data.get("evolution")
    if evo is not None:
        if not isinstance(evo, dict):
            problems.append(Problem(f"{where}evolution", "must be a mapping", file))
        else:
            _unknown(evo, _EVOLUTION, f"{where}evolution.", file, problems)
            for key, lo, hi, integer in (("population", 2, 100_000, True),
                                         ("intensity", 0, None, False),
                                         ("time", 1e-9, 1e6, False)):
                v = _number(evo, key, f"{where}evolution.", file, problems, lo, hi, integer)
                if v is not None:
                    kw[key] = v
            if "fitness" in evo:
                if evo["fitness"] in ("linear", "exponential"):
                    kw["fitness"] = evo["fitness"]
                else:
                    problems.append(Problem(f"{where}evolution.fitness", "must be linear or "
                                                                         "exponential", file))

    t2 = data.get("track2")
    if t2 is not None:
        if t2 is True:
            t2 = {}
        if not isinstance(t2, dict):
            problems.append(Problem(f"{where}track2", "must be a mapping (or true for the "
                                                      "default model)", file))
        else:
            _unknown(t2, _TRACK2, f"{where}track2.", file, problems)
            params = {}
            for key, lo, hi in (("w0", 0, 1), ("w_max", 0, 1), ("w_rate", 0, None),
                                ("noise0", 0, 0.5), ("noise_rate", 0, None)):
                v = _number(t2, key, f"{where}track2.", file, problems, lo, hi)
                if v is not None:
                    params[key] = v
            mc = _number(t2, "max_contact", f"{where}track2.", file, problems, 1e-9, 1e6)
            if mc is not None:
                kw["max_contact"] = mc
            pts = _number(t2, "points", f"{where}track2.", file, problems, 2, 10_000, True)
            if pts is not None:
                kw["points"] = pts
            ts = t2.get("strategies")
            if ts is not None:
                if isinstance(ts, list) and ts and all(isinstance(x, str) for x in ts):
                    kw["track2_strategies"] = tuple(ts)
                    named += [(f"{where}track2.strategies[{k}]", x) for k, x in enumerate(ts)]
                else:
                    problems.append(Problem(f"{where}track2.strategies", "must be a list of "
                                                                         "strategy names",
                                            file))
            try:
                kw["track2"] = ContactModel(**params)
            except InputError as exc:
                problems.extend(Problem(f"{where}{p.path}", p.message, file)
                                for p in exc.problems)
    payoffs = kw.get("payoffs", Payoffs())
    for path, name in named:  # every name is checked now, with the other problems
        try:
            strategy(name, payoffs, custom, path)
        except InputError as exc:
            problems.extend(Problem(p.path, p.message, file) for p in exc.problems)
    if len(set(specs)) < len(specs):
        dup = sorted({x for x in specs if specs.count(x) > 1})
        problems.append(Problem(f"{where}strategies", f"listed twice: {', '.join(dup)}", file))
    if problems:
        raise InputError(problems)
    return TrustSpec(**{k: v for k, v in kw.items() if v is not None})


def load_trust(ref: str) -> TrustSpec:
    """Read a trust file, or a scenario (a path or a built-in id) whose `games.trust`
    section holds the same fields."""
    from ...io import is_scenario, read_source
    from ...validation import validate_scenario

    data, name = read_source(ref)
    if is_scenario(data):
        return _from_scenario(validate_scenario(data, name), name)
    return parse_trust(data, name)


def _from_scenario(scenario, name: str) -> TrustSpec:
    trust = scenario.games.get("trust")
    if trust is None:
        raise InputError([Problem("games.trust", "this scenario has no trust section "
                                                 "(add games: {trust: {...}})", name)])
    spec = parse_trust(trust, name, "games.trust.")
    if spec.title is None:
        spec = TrustSpec(**{**spec.__dict__, "title": scenario.title})
    return spec
