"""Scenarios in the web app: parse untrusted text within limits, place each problem on a
line of the text, summarise a scenario for the page, and resolve a request's scenario
reference (built-in, saved or text) to a validated, compiled scenario (cached)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from ..errors import InputError, Problem
from ..io import builtin_ids, builtin_path, parse_text
from ..scenario import Scenario
from ..space import Space, compile_space
from ..store import NotFoundError, Store, sha256
from ..validation import validate_scenario
from . import limits
from .models import BuiltinRef, SavedRef, TextRef

FILE = "scenario"
"""The `file` of a problem inside a scenario (the name given to the parser)."""


class ScenarioError(InputError):
    """Problems of a scenario text, each with the line of the text it points at (or None)."""

    def __init__(self, problems: list[Problem], lines: list[int | None]):
        super().__init__(problems)
        self.lines = lines


@dataclass(frozen=True)
class Resolved:
    """A request's scenario: where it came from, its text and the validated scenario."""

    scenario: Scenario
    source: str  # "builtin", "saved" or "text"
    name: str
    version: int | None
    text: str
    format: str

    @property
    def sha256(self) -> str:
        return sha256(self.text)

    @property
    def space(self) -> Space:
        return compiled(self.text, self.format)

    def describe(self) -> dict[str, Any]:
        return {"source": self.source, "name": self.name, "version": self.version,
                "sha256": self.sha256}


def parse(text: str, fmt: str = "yaml") -> Scenario:
    """Validate scenario text within the web limits; `ScenarioError` lists every problem
    with its line."""
    try:
        return _parse_cached(text, fmt)
    except InputError as exc:
        raise ScenarioError(exc.problems, [locate(text, fmt, p.path) for p in exc.problems]
                            ) from None


@lru_cache(maxsize=32)
def _parse_cached(text: str, fmt: str) -> Scenario:
    if len(text) > limits.MAX_TEXT_CHARS:
        raise InputError([Problem("", f"longer than {limits.MAX_TEXT_CHARS:,} characters",
                                  FILE)])
    try:
        data = parse_text(text, FILE, fmt)
    except RecursionError:
        raise InputError([Problem("", "nested too deeply", FILE)]) from None
    check_shape(data)
    scenario = validate_scenario(data, FILE)
    _check_size(scenario)
    return scenario


@lru_cache(maxsize=16)
def compiled(text: str, fmt: str) -> Space:
    """The compiled space of a scenario text (validated first; cached by text)."""
    return compile_space(parse(text, fmt))


def check_shape(data: Any) -> None:
    """Refuse data that would cost far more than its text: YAML aliases repeat a value
    without repeating its text (an "alias bomb" of nested aliases is exponential), and
    aliases can make a value contain itself."""
    memo: dict[int, tuple[int, int]] = {}
    open_: set[int] = set()

    def walk(x: Any, depth: int) -> tuple[int, int]:
        if not isinstance(x, dict | list):
            return 1, 0
        key = id(x)
        if key in open_:
            raise InputError([Problem("", "a YAML alias refers to a value that contains it",
                                      FILE)])
        if key not in memo:
            if depth > limits.MAX_DEPTH:
                raise InputError([Problem("", f"nested deeper than {limits.MAX_DEPTH} levels",
                                          FILE)])
            open_.add(key)
            items = list(x.keys()) + list(x.values()) if isinstance(x, dict) else x
            count, height = 1, 0
            for item in items:
                c, h = walk(item, depth + 1)
                count += c
                height = max(height, h + 1)
                if count > limits.MAX_NODES:
                    break
            open_.discard(key)
            memo[key] = (count, height)
        count, height = memo[key]
        if depth + height > limits.MAX_DEPTH:
            raise InputError([Problem("", f"nested deeper than {limits.MAX_DEPTH} levels", FILE)])
        return count, height

    if walk(data, 0)[0] > limits.MAX_NODES:
        raise InputError([Problem("", f"more than {limits.MAX_NODES:,} values (counting each "
                                      "use of a YAML alias)", FILE)])


def _check_size(scenario: Scenario) -> None:
    """Bound the cost of compiling and analysing a scenario in a request."""
    problems = []
    if len(scenario.actors) > limits.MAX_ACTORS:
        problems.append(Problem("actors", f"{len(scenario.actors)} actors: the web app takes "
                                          f"at most {limits.MAX_ACTORS} (use the command line)",
                                FILE))
    if len(scenario.issues) > limits.MAX_ISSUES:
        problems.append(Problem("issues", f"{len(scenario.issues)} issues: the web app takes "
                                          f"at most {limits.MAX_ISSUES} (use the command line)",
                                FILE))
    cells = len(scenario.actors) * sum(len(i.labels()) for i in scenario.issues)
    if cells > limits.MAX_CELLS:
        problems.append(Problem("issues", f"{cells:,} (actor, option) pairs: the web app takes "
                                          f"at most {limits.MAX_CELLS:,} (use the command line)",
                                FILE))
    if problems:
        raise InputError(problems)


# -- where a problem is in the text ------------------------------------------------------

_LINE = re.compile(r"^line (\d+)")
_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def locate(text: str, fmt: str, path: str) -> int | None:
    """The line (1-based) of the text that a problem's `path` points at: the line of a
    syntax error, or of the deepest part of a path like `actors[1].batna` that the YAML
    text has. None when unknown (JSON text, or a path that is not a place)."""
    m = _LINE.match(path)
    if m:
        return int(m.group(1))
    if fmt != "yaml" or not path or path.startswith("("):
        return None
    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, RecursionError):
        return None
    if node is None:
        return None
    line = node.start_mark.line + 1
    for name, index in _TOKEN.findall(path):
        child = None
        if index and isinstance(node, yaml.SequenceNode):
            k = int(index)
            child = node.value[k] if k < len(node.value) else None
            if child is not None:
                line = child.start_mark.line + 1
        elif name and isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == name:
                    child = value
                    line = key.start_mark.line + 1
                    break
        if child is None:
            break
        node = child
    return line


# -- summaries for the page --------------------------------------------------------------


def summary(scenario: Scenario) -> dict[str, Any]:
    """What the page needs to build its controls: issues with their options, actors with
    role, veto and BATNA, the default parties and the proposals."""
    issues = [{"id": i.id, "title": i.title, "numeric": i.is_numeric, "unit": i.unit,
               "labels": list(i.labels())} for i in scenario.issues]
    return {
        "id": scenario.id, "title": scenario.title, "summary": scenario.summary,
        "disclaimer": scenario.disclaimer,
        "issues": issues,
        "actors": [{"id": a.id, "title": a.title, "role": a.role, "veto": a.has_veto,
                    "batna": a.batna} for a in scenario.actors],
        "parties": [a.id for a in scenario.veto_actors],
        "proposals": [{"id": p.id, "title": p.title, "deal": dict(p.deal)}
                      for p in scenario.proposals],
        "outcomes": math.prod(len(i["labels"]) for i in issues),
    }


def builtin_text(scenario_id: str) -> str:
    """The YAML text of a built-in scenario (`NotFoundError` when there is none)."""
    if scenario_id not in builtin_ids():
        raise NotFoundError("scenario_id", f"no built-in scenario '{scenario_id}' (built-in: "
                                           f"{', '.join(builtin_ids())})")
    return builtin_path(scenario_id).read_text(encoding="utf-8")


def resolve(ref: BuiltinRef | SavedRef | TextRef, store: Store) -> Resolved:
    """The validated scenario a request names."""
    if isinstance(ref, BuiltinRef):
        try:
            text = builtin_text(ref.builtin)
        except NotFoundError as exc:
            raise NotFoundError("scenario.builtin", exc.message) from None
        return Resolved(parse(text, "yaml"), "builtin", ref.builtin, None, text, "yaml")
    if isinstance(ref, SavedRef):
        try:
            saved = store.get_scenario(ref.saved, ref.version)
        except NotFoundError as exc:
            raise NotFoundError(f"scenario.{'version' if ref.version else 'saved'}",
                                exc.message) from None
        return Resolved(parse(saved.text, saved.format), "saved", saved.name, saved.version,
                        saved.text, saved.format)
    scenario = parse(ref.text, ref.format)
    return Resolved(scenario, "text", scenario.id, None, ref.text, ref.format)
