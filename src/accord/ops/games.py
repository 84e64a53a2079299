"""Track-II game operations: `game` (strategic form), `trust` (repeated prisoner's dilemma),
`crisis` (private information) and `coalition` (cooperative games and power).

Each reads its source with the one resolver (`accord.io.read_source`: a built-in scenario
id, a scenario file with a `games:` section, or the model's own file), takes keyword-only
parameters whose errors name them, and returns the report object the CLI, the report and
the web app render. The algorithms and their papers are in `accord.games`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..defaults import SEED
from ..errors import InputError, Problem

if TYPE_CHECKING:
    from ..budget import Budget
    from ..games.coalitions import CoalitionReport
    from ..games.crisis import CrisisReport
    from ..games.repeated import TrustAnalysis, TrustSpec
    from ..games.strategic import StrategicAnalysis

GAME_TOL = 1e-8
"""Verification tolerance of an equilibrium, relative to the largest absolute payoff."""

GAME_STARTS = 4
"""McLennan-Tourky starting points for games of three or more players."""

COALITION_SHOW = 12
"""Objections listed per allocation of a coalition game file."""


def game(source: str, *, method: str = "auto", tol: float = GAME_TOL,
         starts: int = GAME_STARTS, seed: int = SEED, budget: Budget | None = None
         ) -> StrategicAnalysis:
    """Nash equilibria (all of them for two players), dominated actions, Pareto-efficient
    and win-win outcomes of a strategic-form game: a game file (YAML/JSON or Gambit .nfg),
    a scenario with `games: strategic:`, a built-in scenario or a classic game id
    (`accord.games.strategic`, whose `EQUILIBRIUM_METHODS` lists the methods)."""
    from ..games.strategic import analyze_game, equilibrium_method, load_game

    if not tol > 0:
        raise InputError([Problem.of_parameter("tol", "must be a positive number")])
    if starts < 1:
        raise InputError([Problem.of_parameter("starts", "must be at least 1")])
    equilibrium_method(method)  # an unknown method is refused before the file is read
    return analyze_game(load_game(source), method, tol, seed=seed, starts=starts,
                        budget=budget)


def trust_spec(source: str | None = None, *, strategies: Sequence[str] | None = None,
               noise: float | None = None, continuation: float | None = None,
               turns: int | None = None, payoffs: Sequence[Any] | str | None = None,
               population: int | None = None, track2: bool = False) -> TrustSpec:
    """The trust model to analyse: the source's (a trust file or a scenario with
    `games: trust:`; default the textbook model) with the parameters given here in its
    place. `payoffs` is T, R, P, S (numbers or exact text such as "1/2"); `turns` and
    `continuation` exclude each other."""
    from ..games.repeated import ContactModel, Payoffs, TrustSpec, load_trust
    from ..games.repeated import strategies as resolve
    from ..numeric import exact_number

    spec = load_trust(source) if source is not None else TrustSpec()
    problems = []
    if turns is not None and continuation is not None:
        problems.append(Problem.of_parameter("turns", "give turns or continuation, not both"))
    if continuation is not None and not 0.0 <= continuation <= 1.0:
        problems.append(Problem.of_parameter("continuation",
                                             f"must lie in [0, 1], not {continuation:g}"))
    if turns is not None and turns < 1:
        problems.append(Problem.of_parameter("turns", "must be at least 1"))
    if noise is not None and not 0.0 <= noise <= 0.5:
        problems.append(Problem.of_parameter("noise", f"must lie in [0, 0.5], not {noise:g}"))
    if population is not None and population < 2:
        problems.append(Problem.of_parameter("population", "must be at least 2"))
    if problems:
        raise InputError(problems)
    changes: dict[str, Any] = {}
    if payoffs is not None:
        parts = payoffs.split(",") if isinstance(payoffs, str) else list(payoffs)
        read = [exact_number(x) for x in parts]
        if len(read) != 4 or any(x is None for x in read):
            raise InputError([Problem.of_parameter("payoffs", f"'{payoffs}': give T,R,P,S, "
                                                              "e.g. 5,3,1,0")])
        try:
            changes["payoffs"] = Payoffs(*(float(x) for x in read))  # type: ignore[arg-type]
        except InputError as exc:
            raise InputError([Problem.of_parameter("payoffs", p.message)
                              for p in exc.problems]) from None
    if strategies is not None:
        names = tuple(s.strip() for s in strategies if s.strip())
        if not names:
            raise InputError([Problem.of_parameter("strategies", "give strategy names")])
        changes["strategy_specs"] = names
    if turns is not None or continuation is not None:
        changes["turns"], changes["continuation"] = turns, continuation
    if noise is not None:
        changes["noise"] = noise
    if population is not None:
        changes["population"] = population
    if track2 and spec.track2 is None:
        changes["track2"] = ContactModel()
    spec = replace(spec, **changes)
    try:
        resolve(spec.strategy_specs, spec.payoffs, spec.custom, "strategies")
    except InputError as exc:
        if strategies is None:
            raise
        raise InputError([Problem.of_parameter("strategies", p.message)
                          for p in exc.problems]) from None
    return spec


def trust(source: str | None = None, *, strategies: Sequence[str] | None = None,
          noise: float | None = None, continuation: float | None = None,
          turns: int | None = None, payoffs: Sequence[Any] | str | None = None,
          population: int | None = None, track2: bool = False,
          budget: Budget | None = None) -> TrustAnalysis:
    """The repeated prisoner's dilemma, exactly: the thresholds of cooperation, a
    round-robin tournament, which strategies spread (replicator, Moran) and, with `track2`,
    how much back-channel contact makes cooperation stable (see `trust_spec` for the
    parameters; `accord.games.repeated` for the models and papers)."""
    from ..games.repeated import analyze_trust

    spec = trust_spec(source, strategies=strategies, noise=noise, continuation=continuation,
                      turns=turns, payoffs=payoffs, population=population, track2=track2)
    return analyze_trust(spec, budget)


def crisis(source: str, *, budget: Budget | None = None) -> CrisisReport:
    """Crises under private information: Fearon's bargaining range and risk-return
    trade-off, a mediator's credibility and cheap talk, for a crisis file or a scenario
    (`accord.games.crisis`)."""
    from ..games.crisis import load_crisis

    return load_crisis(source, budget)


def coalition(source: str, *, actors: Sequence[str] | None = None, no_veto: bool = False,
              from_deals: bool = False, show: int = COALITION_SHOW,
              budget: Budget | None = None) -> CoalitionReport:
    """Coalitions and credit: Shapley value, core, nucleolus, leverage and blocking
    coalitions of a coalition game file, a weighted voting game (power indices) or a
    scenario (its own `games: coalition:` or the game of its deals over `actors`;
    `accord.games.coalitions`)."""
    from ..games.coalitions import coalition_report

    if actors is not None and not list(actors):
        raise InputError([Problem.of_parameter("actors", "name at least one actor")])
    return coalition_report(source, list(actors) if actors is not None else None, no_veto,
                            from_deals, show, budget)
