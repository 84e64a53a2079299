"""What the API computes, as plain functions of a compiled scenario and a request's
parameters, returning JSON-ready data. No web framework here: the routes call these, and a
stored run is reproduced by calling `execute` again with its stored parameters."""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from .. import ops
from ..bargaining.pareto import Frontier, pareto_frontier
from ..budget import BudgetExceeded
from ..errors import InputError, Problem
from ..io import parse_text
from ..space import Space, sample_deals
from . import limits
from .models import (
    AnalyzeParams,
    CoalitionRequest,
    ForecastParams,
    GameSource,
    InverseParams,
    MediateParams,
    RepairParams,
    SweepParams,
    TournamentParams,
    too_many_offers,
)
from .scenarios import Resolved, check_shape

TIMING_KEYS = ("seconds", "draws_per_second")
"""Keys of a result that measure time: left out when two results are compared."""


def plain(x: Any) -> Any:
    """JSON-ready copy: numpy scalars become Python numbers, NaN and infinities None,
    tuples lists."""
    if isinstance(x, dict):
        return {str(k): plain(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [plain(v) for v in x]
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def comparable(result: Any) -> Any:
    """A result without its timing fields, for comparing two runs."""
    if isinstance(result, dict):
        return {k: comparable(v) for k, v in result.items() if k not in TIMING_KEYS}
    if isinstance(result, list):
        return [comparable(v) for v in result]
    return result


def frontier(space: Space, parties: Sequence[str] | None) -> Frontier:
    """The Pareto frontier for `parties`, within the web limits (else `InputError`)."""
    idx = space.resolve_actors(parties)
    if not space.additive and space.outcomes > limits.MAX_ENUMERATED:
        raise InputError([Problem("scenario", f"{space.outcomes:,} deals with interaction "
                                              "terms: too many to enumerate in the web app "
                                              f"(at most {limits.MAX_ENUMERATED:,})")])
    f = pareto_frontier(space, idx, max_candidates=limits.MAX_FRONTIER_CANDIDATES)
    if len(f.deals) > limits.MAX_FRONTIER_DEALS:
        raise InputError([Problem.of_parameter(
            "parties", f"the Pareto frontier over {len(idx)} actors has {len(f.deals):,} "
                       f"deals, more than the web app lists ({limits.MAX_FRONTIER_DEALS:,}): "
                       "name fewer parties")])
    return f


def run_analysis(space: Space, p: AnalyzeParams) -> dict[str, Any]:
    """`accord analyze`: ZOPA, solutions, proposals and the frontier listed up to the web
    limit (answered directly when the space is searchable; else off the
    frontier within the web limits)."""
    with fields():
        if not space.searchable:
            f = frontier(space, p.parties)
            result = ops.analyze(space, frontier=f, nash_weights=p.nash_weights,
                                 count_limit=limits.MAX_ENUMERATED)
        else:
            result = ops.analyze(space, parties=p.parties, nash_weights=p.nash_weights,
                                 count_limit=limits.MAX_ENUMERATED,
                                 frontier_limit=limits.MAX_FRONTIER_DEALS)
    return plain(result.to_dict())


def run_evaluate(space: Space, deal: dict[str, Any] | None, proposal: str | None,
                 parties: Sequence[str] | None) -> dict[str, Any]:
    """Score a deal or a proposal for every actor; adds per actor its BATNA, gain (utility
    minus BATNA), acceptance and veto, in scenario order."""
    with fields():
        f = frontier(space, parties) if not space.searchable else None
        e = ops.evaluate(space, proposal=proposal, deal=deal, parties=parties, frontier=f)
    return plain(e.to_dict())


def deal_cloud(space: Space, parties: Sequence[str] | None, limit: int, seed: int
               ) -> dict[str, Any]:
    """Two actors' utilities for every deal (up to `limit` deals), else for a seeded sample
    of `limit` deals. Deals come as columns of option indices: deal k takes option
    `columns[i][k]` on issue i."""
    if parties is None:
        veto = list(space.veto_indices)
        idx = (veto if len(veto) >= 2 else list(range(space.n_actors)))[:2]
        if len(idx) < 2:
            raise InputError([Problem("parties", "the plot needs two actors; the scenario "
                                                 "has one")])
    else:
        idx = [space.actor_index(a, "parties") for a in parties]
    deals, sampled = sample_deals(space, limit, seed)
    u = space.utilities(deals, idx)
    return plain({
        "parties": [space.actor_ids[k] for k in idx],
        "issues": list(space.issue_ids),
        "total": space.outcomes,
        "count": int(len(deals)),
        "sampled": sampled,
        "seed": seed if sampled else None,
        "columns": deals.T.astype(int).tolist(),
        "x": np.round(u[:, 0], 6).tolist(),
        "y": np.round(u[:, 1], 6).tolist(),
    })


def run_mediation(space: Space, p: MediateParams) -> dict[str, Any]:
    """`accord mediate`: any protocol of `accord.ops.mediation.PROTOCOLS`, with the
    request's values of that protocol's parameters."""
    from ..mediation.core import Context
    from ..ops.mediation import PROTOCOLS

    with fields():
        ctx = Context(space, p.parties, p.seed, frontier=frontier(space, p.parties))
        own = {k: getattr(p, k) for k in PROTOCOLS[p.protocol].parameters if hasattr(p, k)}
        result = ops.mediate(space, protocol=p.protocol, parties=p.parties, seed=p.seed,
                             context=ctx, **own)
    return plain(result.to_dict())


def run_forecast(resolved: Resolved, p: ForecastParams) -> dict[str, Any]:
    """`accord forecast` on the scenario's stakeholder data."""
    with fields():
        result = ops.forecast(resolved.scenario, model=p.model, rounds=p.rounds, seed=p.seed,
                              variant=p.variant)
    return plain(result.to_dict())


def run_sweep(resolved: Resolved, p: SweepParams) -> dict[str, Any]:
    """`accord sweep`: `samples` scenarios drawn from the scenario's distributions, in this
    process and without an output file. The nominal scenario must be within the web limits
    (every draw computes a Pareto frontier like it)."""
    scenario = resolved.scenario
    with fields():
        frontier(resolved.space, p.parties)
        try:
            result = ops.sweep(scenario, samples=p.samples, seed=p.seed, parties=p.parties,
                               sensitivity=True)
        except InputError as exc:
            raise InputError([Problem("scenario", f"scenario '{scenario.id}' {q.message}")
                              if not q.path else q for q in exc.problems]) from None
    return plain(result.to_dict())


def run_repair(space: Space, p: RepairParams) -> dict[str, Any]:
    """`accord repair`: answered directly when the space is searchable, else off the
    frontier (within the web limits) of the actors the repair is for: the veto actors and
    the parties named (as `accord.bargaining.repair.repair` counts them)."""
    with fields():
        f = None
        if not space.searchable:
            named = space.resolve_actors(p.parties)
            f = frontier(space, None if p.parties is None else [
                space.actor_ids[k] for k in sorted(set(space.veto_indices) | set(named))])
        result = ops.repair(space, proposal=p.proposal, deal=p.deal,
                            max_changes=p.max_changes, nearest=p.nearest, parties=p.parties,
                            method=p.method, frontier=f)
    return plain(result.to_dict())


def run_inverse(space: Space, p: InverseParams) -> dict[str, Any]:
    """`accord inverse`: the BATNA and weight changes that make each actor accept, and the
    BATNA drops that open a ZOPA (off the frontier when the space is not searchable)."""
    with fields():
        f = frontier(space, p.parties) if not space.searchable else None
        result = ops.inverse(space, proposal=p.proposal, deal=p.deal, actors=p.actors,
                             parties=p.parties, frontier=f)
    return plain(result.to_dict())


def run_tournament(space: Space, p: TournamentParams) -> dict[str, Any]:
    """`accord tournament`: within `limits.MAX_TOURNAMENT_OFFERS` for the scenario's number
    of parties, and with a Pareto frontier within the web limits."""
    with fields():
        parties = len(space.resolve_actors(p.parties))
        offers = len(p.strategies) ** parties * p.repetitions * p.rounds
        if offers > limits.MAX_TOURNAMENT_OFFERS:
            raise InputError([Problem.of_parameter("strategies", too_many_offers(offers))])
        frontier(space, p.parties)
        result = ops.tournament(space, strategies=p.strategies, repetitions=p.repetitions,
                                rounds=p.rounds, discount=one_or_each(p.discount),
                                parties=p.parties, seed=p.seed)
    return plain(result.to_dict())


def one_or_each(values: list[float]) -> float | list[float]:
    """A list of one value is the value for all parties (as the command line reads
    `--discount 0.9`); a longer list holds one per party."""
    return values[0] if len(values) == 1 else values


GAMES = ("game", "trust", "crisis", "coalition")
"""The game kinds: each the `accord.ops.games` operation of that name."""


def run_game(kind: str, resolved: Resolved | None, p: GameSource) -> dict[str, Any]:
    """`accord game`, `trust`, `crisis` or `coalition` on what the request gives (see
    `game_source`), with the request's values of the operation's parameters."""
    from ..ops import games

    own = {k: getattr(p, k) for k in type(p).model_fields if k not in ("scenario", "file",
                                                                        "classic")}
    if kind == "coalition":
        _players(resolved, p)  # type: ignore[arg-type]
    with fields(), game_source(kind, resolved, p) as source:
        result = getattr(games, kind)(source, **own)
    return plain(result.to_dict())


def _players(resolved: Resolved | None, p: CoalitionRequest) -> None:
    """A coalition game derived from a scenario's deals has at most
    `limits.MAX_COALITION_PLAYERS` players."""
    if resolved is None or p.actors is not None:
        return
    own = (resolved.scenario.games or {}).get("coalition") is not None and not p.from_deals
    n = len(resolved.scenario.actors)
    if not own and n > limits.MAX_COALITION_PLAYERS:
        raise InputError([Problem("actors", f"the scenario's {n} actors would make a coalition "
                                            f"game of {2 ** n - 1:,} coalitions; the web app "
                                            f"takes at most {limits.MAX_COALITION_PLAYERS} "
                                            "players: name the actors, or use the command "
                                            "line (`accord coalition`)")])


@contextmanager
def game_source(kind: str, resolved: Resolved | None, p: GameSource) -> Iterator[str | None]:
    """What an `accord.ops.games` operation reads, from exactly one of: the request's
    scenario (a built-in one by its id), its model `file`, a `classic` game (game only), or
    nothing (trust only: the textbook model). A scenario or file given as text is written to
    a fresh folder, the worker's working directory meanwhile, as `<scenario id>.<format>`
    or `<kind>.<format>`, the name its result and messages show. Problems inside it name
    the field they come from (`file` "scenario" or "file")."""
    classic = getattr(p, "classic", None)
    given = [k for k, v in (("scenario", resolved), ("file", p.file), ("classic", classic))
             if v is not None]
    if len(given) > 1:
        raise InputError([Problem(given[1], f"give one of {' and '.join(given)}, not both")])
    if not given and kind != "trust":
        also = ", a file or a classic game" if kind == "game" else " or a file"
        raise InputError([Problem("scenario", f"give a scenario{also}")])
    field = given[0] if given else None
    if p.file is not None and p.file.format == "nfg" and kind != "game":
        raise InputError([Problem("file.format", "only a strategic game (game) is read from a "
                                                 "Gambit .nfg file")])
    try:
        if resolved is not None and resolved.source == "builtin":
            yield resolved.name
        elif resolved is None and p.file is None:
            yield classic
        else:
            text, fmt, stem = ((resolved.text, resolved.format, resolved.name) if resolved
                               else (p.file.text, p.file.format, kind))  # type: ignore[union-attr]
            with tempfile.TemporaryDirectory(prefix="accord-web-") as folder:
                here = os.getcwd()
                os.chdir(folder)
                try:
                    name = f"{stem}.{fmt}"
                    if p.file is not None and fmt != "nfg":  # no alias bombs (a scenario
                        check_shape(parse_text(text, name, fmt))  # was checked already)
                    Path(name).write_text(text, encoding="utf-8")
                    yield name
                finally:
                    os.chdir(here)
    except InputError as exc:
        if field not in ("scenario", "file"):
            raise
        raise InputError([q if q.parameter or not q.file else
                          Problem(q.path or field, q.message, field)
                          for q in exc.problems]) from None


def execute(kind: str, resolved: Resolved | None, params: Any) -> dict[str, Any]:
    """Run a computation given by its kind and its parameters' model: an analysis,
    mediation, forecast or sweep (what POST /api/runs stores and replays), a repair, the
    inverse questions, a tournament, or a game (`GAMES`; `resolved` None when the request
    names no scenario)."""
    if kind == "analysis":
        return run_analysis(resolved.space, params)
    if kind == "mediation":
        return run_mediation(resolved.space, params)
    if kind == "forecast":
        return run_forecast(resolved, params)
    if kind == "sweep":
        return run_sweep(resolved, params)
    if kind == "repair":
        return run_repair(resolved.space, params)
    if kind == "inverse":
        return run_inverse(resolved.space, params)
    if kind == "tournament":
        return run_tournament(resolved.space, params)
    if kind in GAMES:
        return run_game(kind, resolved, params)
    raise InputError([Problem("kind", f"unknown run kind '{kind}'")])


FIELDS: dict[str, str] = {}
"""API field names of the operations' parameters where they differ (none do today: the
request models use the parameters' names)."""


@contextmanager
def fields() -> Iterator[None]:
    """Report an `InputError` raised inside under the API's field names (see `FIELDS`)."""
    try:
        yield
    except BudgetExceeded:
        raise
    except InputError as exc:
        raise exc.renamed(lambda name: FIELDS.get(name, name)) from None
