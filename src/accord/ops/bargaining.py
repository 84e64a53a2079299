"""Bargaining operations: `analyze`, `evaluate`, `repair`, `inverse`.

Each answers one user question about a scenario, with keyword-only parameters whose
defaults are written here once (from `accord.defaults`), and returns the result object every
front end renders: the CLI's tables and `--json`, the HTML report and the web API. Errors
name these parameters (`parties`, `nash_weights`, `proposal`); each front end shows them in
its own words. The algorithms are imported when an operation runs, so that a front end can
read these signatures (and their defaults) without loading numpy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ..defaults import COUNT_LIMIT, FRONTIER_LIMIT, NEAREST
from ..errors import InputError, Problem
from .source import Source, space_of

if TYPE_CHECKING:
    from ..analysis import Analysis
    from ..bargaining.inverse import InverseReport
    from ..bargaining.pareto import Frontier
    from ..bargaining.proposals import Evaluation
    from ..bargaining.repair import RepairResult
    from ..budget import Budget
    from ..space import Space

Parties = Sequence[str] | Sequence[int] | None
Deal = Mapping[str, object] | Sequence[int]


def analyze(source: Source, *, parties: Parties = None,
            nash_weights: Mapping[str, float] | None = None, method: str = "auto",
            frontier_limit: int | None = FRONTIER_LIMIT, count_limit: int = COUNT_LIMIT,
            frontier: Frontier | None = None, budget: Budget | None = None) -> Analysis:
    """Is there a ZOPA, which deals are Pareto-optimal, where the Nash,
    Kalai-Smorodinsky, egalitarian and utilitarian solutions lie, and how every proposal
    scores: `accord.analysis.analyze` on `source` (see it for `method`, the cost and the
    papers). `parties` default to the actors with a veto; `nash_weights` ({party:
    weight > 0}) make the Nash solution the weighted one."""
    from ..analysis import analyze as run

    return run(space_of(source), parties, count_limit, frontier, nash_weights, method=method,
               frontier_limit=frontier_limit, budget=budget)


def target(space: Space, proposal: str | None, deal: Deal | None) -> str | tuple[int, ...]:
    """The deal an operation is about: a proposal id of the scenario, or a deal given as
    {issue: option id or number} or as option indices. Exactly one of them."""
    if (proposal is None) == (deal is None):
        raise InputError([Problem.of_parameter("deal", "give exactly one of a deal and a "
                                                       "proposal id")])
    if proposal is not None:
        return proposal
    from ..bargaining.inverse import deal_indices

    return deal_indices(space, deal)  # type: ignore[arg-type]


def evaluate(source: Source, *, proposal: str | None = None, deal: Deal | None = None,
             parties: Parties = None, frontier: Frontier | None = None,
             budget: Budget | None = None) -> Evaluation:
    """How a proposal (by id) or a deal scores for every actor: utilities, gains over the
    BATNAs, who accepts, who vetoes, whether it is Pareto-optimal and the improvement every
    party prefers (also inside the ZOPA). See `accord.bargaining.proposals.evaluate`."""
    from ..bargaining.proposals import evaluate as run
    from ..bargaining.proposals import evaluate_proposal

    space = space_of(source)
    t = target(space, proposal, deal)
    if isinstance(t, str):
        return evaluate_proposal(space, t, parties, frontier, budget=budget)
    return run(space, t, parties, frontier, budget=budget)


def repair(source: Source, *, proposal: str | None = None, deal: Deal | None = None,
           max_changes: int | None = None, nearest: int = NEAREST, parties: Parties = None,
           method: str = "auto", frontier: Frontier | None = None,
           budget: Budget | None = None) -> RepairResult:
    """The least change to a proposal or deal that every veto actor accepts (fewest issues
    changed, then the largest smallest gain), or a proof that none exists within
    `max_changes`: `accord.bargaining.repair.repair` (exact; see it for the method)."""
    from ..bargaining.repair import repair as run

    space = space_of(source)
    return run(space, target(space, proposal, deal), max_changes, parties, nearest,
               frontier, budget=budget, method=method)


def inverse(source: Source, *, proposal: str | None = None, deal: Deal | None = None,
            actors: Sequence[str] | None = None, parties: Parties = None,
            frontier: Frontier | None = None, budget: Budget | None = None) -> InverseReport:
    """The inverse questions of a deal: by how much each of `actors` (default: the parties)
    would need its BATNA or one issue weight to change to accept it, and how far the
    parties' BATNAs must fall for a ZOPA to open (`accord.bargaining.inverse`)."""
    from ..bargaining.inverse import inverse_report

    space = space_of(source)
    t = target(space, proposal, deal)
    if actors is not None:
        if not actors:
            raise InputError([Problem.of_parameter("actors", "name at least one actor")])
        for a in actors:
            space.actor_index(a, "actors")
    return inverse_report(space, t, actors, parties, frontier, budget=budget)
