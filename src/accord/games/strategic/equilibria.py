"""Nash equilibria of a strategic game (`nash_equilibria`): the method named runs (see
`accord.games.strategic.methods`, its registry), and every candidate it returns is verified,
deduplicated and, for a degenerate bimatrix game enumerated by vertices, grouped into
maximal Nash subsets.

Numerics follow QuantEcon's `quantecon.game_theory` (BSD; Lemke-Howson, support and vertex
enumeration, McLennan-Tourky) and von Stengel (2007), "Equilibrium computation for two-player
games in strategic and extensive form", ch. 3 of Algorithmic Game Theory
(Cambridge University Press). Every equilibrium returned has been verified: a
probability vector per player whose regret (the most any player gains by deviating) is at
most `tol` times the largest absolute payoff.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...budget import Budget
from .game import DEFAULT_TOL, StrategicGame
from .methods import MethodOptions, equilibrium_method
from .profiles import exact_check, expected_payoffs, verify
from .results import Equilibrium, EquilibriumSet
from .vertex import cliques


def nash_equilibria(game: StrategicGame, method: str = "auto", tol: float = DEFAULT_TOL, *,
                    seed: int = 0, starts: int = 4, max_iter: int | None = None,
                    budget: Budget | None = None) -> EquilibriumSet:
    """Nash equilibria of `game` by `method` (a name in `EQUILIBRIUM_METHODS`; see
    `accord.games.strategic.methods` for what each finds and guarantees), each verified
    before it is returned. The result records the method that ran (`auto` names the one it
    chose), its implementation and parameters.

    Every candidate is checked by `verify` (probability vectors, regret at most `tol` times
    the largest absolute payoff); candidates that fail are dropped and counted in
    `rejected`. Duplicates are merged. Equilibria are sorted pure first. For a degenerate
    2-player game enumerated by vertices, `components` lists the maximal Nash subsets.
    `budget` is polled before every Lemke-Howson pivot and McLennan-Tourky start
    (`BudgetExceeded` when it runs out; one qhull enumeration cannot be interrupted). An
    unknown method, or a 2-player method for another number of players, is an `InputError`
    naming the parameter `method`.
    """
    entry = equilibrium_method(method, game.n_players)
    found = entry.run(game, MethodOptions(tol, seed, starts, max_iter, budget))
    params: dict[str, Any] = {"tol": tol}
    if method == "auto":
        params["requested"] = "auto"
    params.update(found.parameters)
    notes = list(found.notes)
    eqs, rejected, keep_idx = _finish(game, found.candidates, tol)
    components = None
    if found.method == "vertex" and found.degenerate and found.pairs is not None:
        kept_pairs = [found.pairs[k] for k in keep_idx]
        where = {p: r for r, p in enumerate(kept_pairs)}
        cl = cliques(kept_pairs)
        if cl is None:
            notes.append("too many maximal Nash subsets to list")
        else:
            components = tuple(tuple(sorted(where[(x, y)] for x in xs for y in ys))
                               for xs, ys in cl)
    order = sorted(range(len(eqs)), key=lambda k: (eqs[k].pure is None,
                                                   [-p for s in eqs[k].strategies for p in s]))
    eqs = [eqs[k] for k in order]
    if components is not None:
        new = {old: r for r, old in enumerate(order)}
        components = tuple(sorted(tuple(sorted(new[k] for k in c)) for c in components))
    if rejected:
        notes.append(f"{rejected} candidate(s) failed verification and were dropped")
    return EquilibriumSet(game, found.method, found.implementation, params, tuple(eqs),
                          found.complete and rejected == 0, found.degenerate, components,
                          rejected, tuple(notes))


def _finish(game: StrategicGame, candidates: list[list[np.ndarray]], tol: float
            ) -> tuple[list[Equilibrium], int, list[int]]:
    """Verify, dedupe and package candidates; return the equilibria, the number rejected
    and the candidate index of each kept equilibrium."""
    out: list[Equilibrium] = []
    keep: list[int] = []
    seen: set[tuple] = set()
    rejected = 0
    raw_seen: set[tuple] = set()
    for c, s in enumerate(candidates):
        s = [np.where(np.abs(v) < 1e-15, 0.0, v) for v in s]
        raw = tuple(round(float(p), 9) + 0.0 for v in s for p in v)
        if raw in raw_seen:
            continue
        raw_seen.add(raw)
        check = verify(game, s, tol)
        if not check.ok:
            rejected += 1
            continue
        exact = exact_check(game, s)
        if exact is not None:
            s = [np.array([float(x) for x in v]) for v in exact]
        key = tuple(round(float(p), 7) + 0.0 for v in s for p in v)
        if key in seen:
            continue
        seen.add(key)
        pay = expected_payoffs(game, s)
        out.append(Equilibrium(tuple(tuple(float(p) for p in v) for v in s),
                               tuple(float(x) for x in pay), check.max_regret, exact))
        keep.append(c)
    return out, rejected, keep
