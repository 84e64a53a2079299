"""Accord: turn a conflict into a game and find the win-win in it.

    >>> import accord
    >>> space = accord.compile_space(accord.load_scenario("logrolling"))
    >>> result = accord.analyze(space)

The names below are loaded on first use (PEP 562), so that `import accord` (and the
command line's `--version` and `--help`) does not import numpy, pydantic and the
algorithms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .lazy import lazy_exports

__version__ = "0.1.0"

_EXPORTS = {
    "Analysis": "analysis", "analyze": "analysis",
    "all_solutions": "bargaining", "egalitarian_solution": "bargaining",
    "evaluate": "bargaining", "evaluate_proposal": "bargaining",
    "kalai_smorodinsky_solution": "bargaining", "nash_solution": "bargaining",
    "pareto_frontier": "bargaining", "utilitarian_solution": "bargaining", "zopa": "bargaining",
    "InputError": "errors", "Problem": "errors",
    "builtin_ids": "io", "json_schema": "io", "load_scenario": "io",
    "scenario_from_text": "io",
    "Actor": "scenario", "Issue": "scenario", "Proposal": "scenario", "Scenario": "scenario",
    "Space": "space", "compile_space": "space",
}

__all__ = [
    "Actor", "Analysis", "InputError", "Issue", "Problem", "Proposal", "Scenario", "Space",
    "all_solutions", "analyze", "builtin_ids", "compile_space", "egalitarian_solution",
    "evaluate", "evaluate_proposal", "json_schema", "kalai_smorodinsky_solution",
    "load_scenario", "nash_solution", "pareto_frontier", "scenario_from_text",
    "utilitarian_solution", "zopa",
]


__getattr__, __dir__ = lazy_exports(__name__, {k: f".{v}" for k, v in _EXPORTS.items()})


if TYPE_CHECKING:  # for type checkers and editors: the same names, eagerly
    from .analysis import Analysis, analyze
    from .bargaining import (
        all_solutions,
        egalitarian_solution,
        evaluate,
        evaluate_proposal,
        kalai_smorodinsky_solution,
        nash_solution,
        pareto_frontier,
        utilitarian_solution,
        zopa,
    )
    from .errors import InputError, Problem
    from .io import builtin_ids, json_schema, load_scenario, scenario_from_text
    from .scenario import Actor, Issue, Proposal, Scenario
    from .space import Space, compile_space
