"""The layers of CONTRIBUTING.md, checked on the source: every import statement of every
module of `accord` (top level, inside functions, under TYPE_CHECKING), read with `ast`,
points to the module's own layer or a layer below it. Model < algorithms < operations <
front ends; the sweep runs operations over draws, so it sits with them."""

from __future__ import annotations

from pathlib import Path

import accord

from .test_games_imports import find_cycle, import_graph

SRC = Path(accord.__file__).parent

LAYERS = {
    "model": 0, "algorithms": 1, "operations": 2, "front ends": 3,
}
PACKAGES = {
    "accord.bargaining": "algorithms", "accord.mediation": "algorithms",
    "accord.forecast": "algorithms", "accord.games": "algorithms",
    "accord.analysis": "algorithms", "accord.results": "algorithms",
    "accord.estimate": "algorithms", "accord.generate": "algorithms",
    "accord.ops": "operations", "accord.sweep": "operations",
    "accord.cli": "front ends", "accord.report": "front ends", "accord.web": "front ends",
    "accord.store": "front ends", "accord.__main__": "front ends",
}


def layer(module: str) -> str:
    """The layer of a module of accord: its package's, else the model's (scenario, io,
    validation, uncertainty, space, numeric, defaults, errors, budget, lazy)."""
    for package, name in PACKAGES.items():
        if module == package or module.startswith(package + "."):
            return name
    return "model"


def test_every_import_points_down_or_across():
    graph = import_graph(SRC, "accord")
    assert len(graph) > 100  # every module was read
    upward = sorted(f"{m} ({layer(m)}) imports {t} ({layer(t)})"
                    for m, targets in graph.items() for t in targets
                    if m != "accord" and t != "accord" and LAYERS[layer(t)] > LAYERS[layer(m)])
    assert upward == []


def test_no_algorithm_or_model_module_knows_a_command_line_flag():
    import re

    flag = re.compile(r"""["']--[a-z][a-z-]+""")
    known = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        name = "accord." + rel[:-3].replace("/", ".").removesuffix(".__init__")
        if LAYERS[layer(name)] > LAYERS["algorithms"]:
            continue
        for k, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if flag.search(line) and "Problem" in line:
                known.append(f"{rel}:{k}: {line.strip()}")
    assert known == []


def test_the_library_below_the_front_ends_has_no_import_cycle():
    """Model, algorithms and operations: no cycle, not even through a function-level
    import (the package `accord` itself, which exports names lazily, is left out)."""
    graph = {m: {t for t in targets if t != "accord" and layer(t) != "front ends"}
             for m, targets in import_graph(SRC, "accord").items()
             if m != "accord" and layer(m) != "front ends"}
    assert len(graph) > 80
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph) or [])
