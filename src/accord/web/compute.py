"""What the API computes, as plain functions of a compiled scenario and a request's
parameters, returning JSON-ready data. No web framework here: the routes call these, and a
stored run is reproduced by calling `execute` again with its stored parameters."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..analysis import analyze
from ..bargaining.pareto import Frontier, pareto_frontier
from ..bargaining.proposals import evaluate, evaluate_proposal
from ..errors import InputError, Problem
from ..space import Space, iter_deal_blocks
from . import limits
from .models import AnalyzeParams, ForecastParams, MediateParams, SweepParams
from .scenarios import Resolved

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
    try:
        return _frontier(space, parties)
    except InputError as exc:
        raise InputError([_field(q) for q in exc.problems]) from None


def _frontier(space: Space, parties: Sequence[str] | None) -> Frontier:
    idx = space.resolve_actors(_party_ids(space, parties))
    if not space.additive and space.outcomes > limits.MAX_ENUMERATED:
        raise InputError([Problem("scenario", f"{space.outcomes:,} deals with interaction "
                                              "terms: too many to enumerate in the web app "
                                              f"(at most {limits.MAX_ENUMERATED:,})")])
    f = pareto_frontier(space, idx, max_candidates=limits.MAX_FRONTIER_CANDIDATES)
    if len(f.deals) > limits.MAX_FRONTIER_DEALS:
        raise InputError([Problem("parties", f"the Pareto frontier over {len(idx)} actors has "
                                             f"{len(f.deals):,} deals, more than the web app "
                                             f"lists ({limits.MAX_FRONTIER_DEALS:,}): name "
                                             "fewer parties")])
    return f


def _party_ids(space: Space, parties: Sequence[str] | None) -> list[str] | None:
    """Check the named parties up front, so that an unknown one is reported under
    `parties` (the library names the command-line option)."""
    if parties is None:
        return None
    for p in parties:
        space.actor_index(p, "parties")
    return list(parties)


def run_analysis(space: Space, p: AnalyzeParams) -> dict[str, Any]:
    """`accord analyze`: ZOPA, solutions, proposals and the frontier listed up to the web
    limit (answered directly when the space is searchable; else off the
    frontier within the web limits)."""
    if not space.searchable:
        f = frontier(space, p.parties)
        return plain(analyze(space, frontier=f, count_limit=limits.MAX_ENUMERATED).to_dict())
    try:
        idx = space.resolve_actors(_party_ids(space, p.parties))
        result = analyze(space, idx, count_limit=limits.MAX_ENUMERATED,
                         frontier_limit=limits.MAX_FRONTIER_DEALS)
    except InputError as exc:
        raise InputError([_field(q) for q in exc.problems]) from None
    return plain(result.to_dict())


def run_evaluate(space: Space, deal: dict[str, Any] | None, proposal: str | None,
                 parties: Sequence[str] | None) -> dict[str, Any]:
    """Score a deal or a proposal for every actor; adds per actor its BATNA, gain (utility
    minus BATNA), acceptance and veto, in scenario order."""
    if (deal is None) == (proposal is None):
        raise InputError([Problem("deal", "give exactly one of deal and proposal")])
    f = frontier(space, parties) if not space.searchable else None
    if proposal is not None:
        try:
            e = evaluate_proposal(space, proposal, _party_ids(space, parties), frontier=f)
        except InputError as exc:
            raise InputError([Problem("proposal", p.message) if p.path == "--proposal" else p
                              for p in exc.problems]) from None
    else:
        e = evaluate(space, space.deal_index(deal or {}, where="deal"),
                     _party_ids(space, parties), frontier=f)
    out = e.to_dict()
    accepted = set(e.accepted_by)
    out["actors"] = [
        {"id": a, "role": space.roles[k], "veto": bool(space.veto[k]),
         "utility": e.point.utilities[a], "batna": round(float(space.batna[k]), 10),
         "gain": round(e.point.utilities[a] - float(space.batna[k]), 10),
         "accepts": a in accepted}
        for k, a in enumerate(space.actor_ids)]
    out["parties"] = list(e.point.gains)
    return plain(out)


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
    if space.outcomes <= limit:
        blocks = list(iter_deal_blocks(space, idx))
        deals = np.concatenate([d for d, _ in blocks])
        u = space.to_utility(np.concatenate([v for _, v in blocks]), idx)
        sampled = False
    else:
        rng = np.random.default_rng(seed)
        deals = np.stack([rng.integers(0, n, size=limit) for n in space.n_options], axis=1)
        u = space.utilities(deals, idx)
        sampled = True
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
    """`accord mediate`: single text, alternating offers or an interested mediator."""
    from ..mediation.core import Context

    parties = _party_ids(space, p.parties)
    ctx = Context(space, parties, p.seed, frontier=frontier(space, parties))
    try:
        if p.protocol == "single-text":
            from ..mediation.single_text import single_text

            voters = p.voters[0] if len(p.voters) == 1 else list(p.voters)
            result = single_text(space, voters, p.search, p.rounds or 500, p.start,
                                 parties=parties, seed=p.seed, context=ctx)
        elif p.protocol == "alternating":
            from ..mediation.alternating import alternating_offers

            discount = p.discount[0] if len(p.discount) == 1 else list(p.discount)
            result = alternating_offers(space, list(p.strategies), p.rounds or 100, discount,
                                        parties, p.seed, context=ctx)
        else:
            from ..mediation.mediator import mediate_with_interests

            result = mediate_with_interests(space, None, p.interest, p.prestige, dict(p.bias),
                                            p.sigma, p.rounds or 20, parties, p.seed,
                                            context=ctx)
    except InputError as exc:
        raise InputError([_field(q) for q in exc.problems]) from None
    return plain(result.to_dict())


def run_forecast(resolved: Resolved, p: ForecastParams) -> dict[str, Any]:
    """`accord forecast` on the scenario's stakeholder data."""
    from ..forecast import load_stakeholders
    from ..forecast.models import run_forecast as run

    if p.variant is not None and p.model != "eu":
        raise InputError([Problem("variant", "only the eu model has variants")])
    params = {} if p.variant is None else {"variant": p.variant}
    try:
        result = run(load_stakeholders(resolved.scenario), p.model, p.rounds, p.seed, **params)
    except InputError as exc:
        raise InputError([_field(q) for q in exc.problems]) from None
    return plain(result.to_dict())


def run_sweep(resolved: Resolved, p: SweepParams) -> dict[str, Any]:
    """`accord sweep`: `samples` scenarios drawn from the scenario's distributions, in this
    process and without an output file. The nominal scenario must be within the web limits
    (every draw computes a Pareto frontier like it)."""
    from ..sweep import run_sweep as sweep

    scenario = resolved.scenario
    parties = _party_ids(resolved.space, p.parties)
    frontier(resolved.space, parties)
    try:
        result = sweep(scenario, p.samples, p.seed, parties=parties, sensitivity=True)
    except InputError as exc:
        raise InputError([Problem("scenario", f"scenario '{scenario.id}' {q.message}")
                          if not q.path else _field(q) for q in exc.problems]) from None
    return plain(result.to_dict())


def execute(kind: str, resolved: Resolved, params: Any) -> dict[str, Any]:
    """Run an analysis, mediation, forecast or sweep: what POST /api/runs stores and
    replays."""
    if kind == "analysis":
        return run_analysis(resolved.space, params)
    if kind == "mediation":
        return run_mediation(resolved.space, params)
    if kind == "forecast":
        return run_forecast(resolved, params)
    if kind == "sweep":
        return run_sweep(resolved, params)
    raise InputError([Problem("kind", f"unknown run kind '{kind}'")])


_OPTIONS = {"--strategy": "strategies", "--discount": "discount", "--voters": "voters",
            "--start": "start", "--rounds": "rounds", "--bias": "bias", "--model": "model",
            "--parties": "parties", "--mediator": "interest", "--sigma": "sigma",
            "--interest": "interest", "--variant": "variant",
            "--samples": "samples", "--seed": "seed"}


def _field(p: Problem) -> Problem:
    """A library problem named after a command-line option, renamed to the API field."""
    return Problem(_OPTIONS.get(p.path, p.path.lstrip("-")), p.message, p.file)
