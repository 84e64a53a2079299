"""Bargaining over a compiled `Space`: Pareto frontiers, the ZOPA, classical solutions and
proposal evaluation. Plain functions over one data structure. Proposal repair (a MILP with
scipy's HiGHS) lives in `accord.bargaining.repair` and is imported from there, so that
`import accord` does not load scipy."""

from .inverse import batna_drop_for_zopa, batna_to_accept, weight_to_accept
from .pareto import Frontier, nondominated, pareto_frontier, pareto_frontier_enumerated
from .proposals import Evaluation, evaluate, evaluate_proposal
from .solutions import (
    SOLUTION_NAMES,
    SolutionPoint,
    all_solutions,
    egalitarian_solution,
    kalai_smorodinsky_solution,
    nash_solution,
    utilitarian_solution,
)
from .zopa import ZopaResult, count_acceptable, zopa

__all__ = [
    "Frontier", "nondominated", "pareto_frontier", "pareto_frontier_enumerated",
    "Evaluation", "evaluate", "evaluate_proposal",
    "SOLUTION_NAMES", "SolutionPoint", "all_solutions", "egalitarian_solution",
    "kalai_smorodinsky_solution", "nash_solution", "utilitarian_solution",
    "ZopaResult", "count_acceptable", "zopa",
    "batna_drop_for_zopa", "batna_to_accept", "weight_to_accept",
]
