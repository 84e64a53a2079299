"""Accord: turn a conflict into a game and find the win-win in it.

    >>> import accord
    >>> space = accord.compile_space(accord.load_scenario("logrolling"))
    >>> result = accord.analyze(space)
"""

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

__version__ = "0.1.0"

__all__ = [
    "Analysis", "analyze", "all_solutions", "egalitarian_solution", "evaluate",
    "evaluate_proposal", "kalai_smorodinsky_solution", "nash_solution", "pareto_frontier",
    "utilitarian_solution", "zopa", "InputError", "Problem", "builtin_ids", "json_schema",
    "load_scenario", "scenario_from_text", "Actor", "Issue", "Proposal", "Scenario", "Space",
    "compile_space",
]
