"""The crisis file (and a scenario's `games.crisis` section): a mapping with any of the
sections `bargaining_range`, `risk_return`, `mediator_credibility` and `cheap_talk`, each a
mapping of the parameters of the model of that name (or a list of such mappings), plus an
optional `title`. `read_crisis` checks the file's structure and gathers each case's
arguments; the models check the values (`accord.games.crisis.report` runs them).

```yaml
title: Border war, illustrative
risk_return: {p: 0.5, c_a: 0.1, c_low: 0.05, c_high: 0.3, q: 0.3, label: base}
mediator_credibility:               # p, c_a, c_low, c_high, q from the one risk_return case
  - {m: 0.6}
  - {m: 0.7, c_m: 0.2}
cheap_talk: [{b: 0.1}, {b: 0.05}]
```
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from ...errors import InputError, Problem, format_path
from .mediator import MEDIATOR_WAR_COST

SECTIONS: dict[str, dict[str, str]] = {
    "bargaining_range": {"p": "A's probability of winning a war", "c_a": "A's cost of war",
                         "c_b": "B's cost of war"},
    "risk_return": {"p": "A's probability of winning a war", "c_a": "A's cost of war",
                    "c_low": "the resolved type's cost of war",
                    "c_high": "the weak type's cost of war",
                    "q": "the probability that B is resolved"},
    "mediator_credibility": {"p": "A's probability of winning a war", "c_a": "A's cost of war",
                             "c_low": "the resolved type's cost of war",
                             "c_high": "the weak type's cost of war",
                             "q": "the probability that B is resolved",
                             "m": "the mediator's ideal point",
                             "c_m": "the mediator's cost of war"},
    "cheap_talk": {"b": "the sender's bias"},
}
"""The sections of a crisis file, each the name of a model, and its parameters (what they
mean, for messages)."""
TOP_FIELDS = ("title", "note", *SECTIONS)
_INHERITED = ("p", "c_a", "c_low", "c_high", "q")


@dataclass(frozen=True)
class CaseSpec:
    """One case of a crisis file: its model (`section`), where it stands in the file, its
    label and the arguments of the model's function. `problems` are those of the file
    itself (unknown fields, a bad label, missing parameters: a case with any is not run
    for a result, only to check its values); `elsewhere` names the arguments whose problems
    are reported at another place (taken from the risk_return case, or missing)."""

    section: str
    where: str
    label: str | None
    args: dict[str, Any]
    problems: tuple[Problem, ...] = ()
    elsewhere: frozenset[str] = frozenset()


@dataclass(frozen=True)
class SectionSpec:
    """A section of a crisis file: the problems of its shape and its cases."""

    name: str
    problems: tuple[Problem, ...]
    cases: tuple[CaseSpec, ...]


@dataclass(frozen=True)
class CrisisFile:
    """A crisis file read: its title, the problems of its top level and its sections, in
    the order of `SECTIONS`."""

    title: str | None
    problems: tuple[Problem, ...]
    sections: tuple[SectionSpec, ...]


def _unknown(key: Any, known: list[str]) -> str:
    close = difflib.get_close_matches(str(key), known, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown field{hint}; expected one of: {', '.join(known)}"


def _cases(data: dict, section: str, prefix: str) -> tuple[list[tuple[str, dict]], list[Problem]]:
    raw = data[section]
    if isinstance(raw, dict):
        items = [(format_path((prefix, section)), raw)]
    elif isinstance(raw, list) and raw:
        items = [(format_path((prefix, section, k)), c) for k, c in enumerate(raw)]
    else:
        return [], [Problem(format_path((prefix, section)),
                            "expected a mapping of parameters or a non-empty list of them")]
    problems = [Problem(w, f"expected a mapping of parameters, got {type(c).__name__}")
                for w, c in items if not isinstance(c, dict)]
    return [(w, c) for w, c in items if isinstance(c, dict)], problems


def _case(section: str, where: str, case: dict, inherited: dict | None) -> CaseSpec:
    params = SECTIONS[section]
    known = [*params, "label"]
    problems = [Problem(format_path((where, str(key))), _unknown(key, known))
                for key in case if key not in known]
    label = case.get("label")
    if label is not None and not isinstance(label, str | int | float):
        problems.append(Problem(format_path((where, "label")), "expected text"))
    args: dict[str, Any] = {}
    elsewhere = set()
    for name, what in params.items():
        if name in case:
            args[name] = case[name]
        elif name == "c_m":
            args[name] = MEDIATOR_WAR_COST
        elif section == "mediator_credibility" and name in _INHERITED \
                and inherited is not None and name in inherited:
            args[name] = inherited[name]
            elsewhere.add(name)
        else:
            extra = (" (or give exactly one risk_return case to take it from)"
                     if section == "mediator_credibility" and name in _INHERITED else "")
            problems.append(Problem(format_path((where, name)),
                                    f"required field is missing: {what}{extra}"))
            elsewhere.add(name)
            args[name] = 0  # a stand-in, so that the other values are still checked
    return CaseSpec(section, where, None if label is None else str(label), args,
                    tuple(problems), frozenset(elsewhere))


def read_crisis(data: Any, file: str | None = None, prefix: str = "") -> CrisisFile:
    """Read a crisis file's data (already parsed YAML): its structure is checked and each
    case's arguments gathered; values are checked by the models. In
    `mediator_credibility`, p, c_a, c_low, c_high and q default to those of the file's
    `risk_return` case when there is exactly one, and c_m to 0.1. Paths in problems start
    with `prefix` (the path of the data in a scenario, `games.crisis`). An empty file or
    one that is not a mapping raises `InputError` at once."""
    top = prefix or "(top level)"
    if data is None:
        raise InputError([Problem(top, "is empty: give at least one of "
                                       + ", ".join(SECTIONS), file)])
    if not isinstance(data, dict):
        raise InputError([Problem(top, "expected a mapping with any of the sections "
                                       f"{', '.join(SECTIONS)}, got a {type(data).__name__}",
                                  file)])
    problems: list[Problem] = []
    for key in data:
        if key not in TOP_FIELDS:
            problems.append(Problem(format_path((prefix, str(key))),
                                    _unknown(key, list(TOP_FIELDS))))
    for key in ("title", "note"):
        if key in data and not isinstance(data[key], str):
            problems.append(Problem(format_path((prefix, key)), "expected text"))
    if not any(s in data for s in SECTIONS):
        problems.append(Problem(top, "no model to run: give at least one of "
                                     + ", ".join(SECTIONS)))
    inherited: dict | None = None
    rr = data.get("risk_return")
    if isinstance(rr, dict):
        inherited = rr
    elif isinstance(rr, list) and len(rr) == 1 and isinstance(rr[0], dict):
        inherited = rr[0]
    sections = []
    for section in SECTIONS:
        if section not in data:
            continue
        items, found = _cases(data, section, prefix)
        sections.append(SectionSpec(section, tuple(found),
                                    tuple(_case(section, w, c, inherited) for w, c in items)))
    return CrisisFile(data.get("title"), tuple(problems), tuple(sections))
