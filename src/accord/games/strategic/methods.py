"""The registry of equilibrium methods: `EQUILIBRIUM_METHODS` maps each name to an
`EquilibriumMethod`, a function with one signature, `run(game, options) -> Found`, and a
description used in errors and in the command's help. `nash_equilibria` looks the method up
here, runs it and verifies what it found.

- ``vertex`` (2 players): enumerates the vertices of both best-response polytopes with qhull
  (through scipy) and keeps the completely labelled pairs, reading labels with a tolerance of
  `LABEL_TOL` on payoffs rescaled to [1, 2] (`accord.games.strategic.vertex`; von Stengel
  2007, Algorithm 3.5). **Guaranteed**: every extreme equilibrium, also of degenerate games
  (ties, payoff-equivalent actions, continua of equilibria). Every equilibrium of a
  degenerate game is a mixture of extreme ones inside one of the `components` (maximal Nash
  subsets) the result lists. A nondegenerate game has finitely many equilibria and the list
  holds all of them. **Not guaranteed**: payoff differences below about 1e-9 of the payoff
  range are read as ties; qhull's run time grows steeply with the number of actions
  (milliseconds at 10 x 10, about a second a polytope at 16 x 16 for random payoffs).
- ``qe-vertex``, ``support`` (2 players): QuantEcon's `vertex_enumeration` and
  `support_enumeration`. All equilibria of *nondegenerate* games only; on degenerate games
  they can miss equilibria, so the result is not marked complete. Numba compiles them on
  first use (~3 s).
- ``lemke-howson`` (2 players): QuantEcon's `lemke_howson` from each of the m + n initial
  pivots, plus every pure equilibrium. Finds at least one equilibrium of a nondegenerate
  game, not all (Shapley 1974 gives equilibria no path reaches). Runs that stop unconverged
  are dropped and counted. Lemke, C. E. and Howson, J. T. (1964) Equilibrium points of
  bimatrix games. SIAM Journal on Applied Mathematics 12(2):413-423. doi:10.1137/0112033
- ``mclennan-tourky`` (any number of players): QuantEcon's `mclennan_tourky` from `starts`
  points (the centroid, then random profiles from `seed`), each result refined by Newton's
  method on its support equations (`accord.games.strategic.refine`); plus every pure
  equilibrium. A sample, not all the equilibria. McLennan, A. and Tourky, R. (2006) From
  imitation games to Kakutani (manuscript; no DOI).
- ``pure``: every pure equilibrium (`pure_equilibria`).
- ``auto``: ``vertex`` for 2-player games up to `VERTEX_LIMIT` actions per player (falling
  back to ``lemke-howson`` if qhull fails); ``lemke-howson`` for larger ones;
  ``mclennan-tourky`` for 3 or more players.

Only the standard library is imported here (the command's help reads the registry when
`accord` starts); each method imports numpy, scipy and quantecon when it runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ...budget import Budget, check
from ...errors import InputError, Problem

if TYPE_CHECKING:
    import numpy as np

    from .game import StrategicGame

VERTEX_LIMIT = 16
"""`method="auto"` enumerates vertices when both players have at most this many actions."""

@dataclass(frozen=True)
class MethodOptions:
    """What every method is given besides the game: the verification tolerance, the seed and
    number of starting points (McLennan-Tourky), an iteration limit and the budget to poll."""

    tol: float
    seed: int = 0
    starts: int = 4
    max_iter: int | None = None
    budget: Budget | None = None


@dataclass(frozen=True)
class Found:
    """What a method found, before verification: candidate profiles (a probability vector
    per player), the method that ran (`auto` names the one it chose), its implementation and
    parameters, whether the candidates are all the equilibria it promises (`complete`), and
    for vertex enumeration whether the game is degenerate and the matched vertex pairs."""

    method: str
    implementation: str
    candidates: list[list[np.ndarray]]
    parameters: dict[str, Any] = field(default_factory=dict)
    complete: bool = False
    degenerate: bool | None = None
    pairs: list[tuple[int, int]] | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class EquilibriumMethod:
    """An entry of the registry: the name, what it finds (`description`, for errors and
    help; `methods_help` adds "(2 players)" where it applies), what a results table calls it
    (`label`), whether it needs exactly two players, and the function that runs it."""

    name: str
    description: str
    label: str
    two_player: bool
    run: Callable[[StrategicGame, MethodOptions], Found]


def _vertex(game: StrategicGame, opt: MethodOptions) -> Found:
    from .vertex import LABEL_TOL, vertex_enumeration

    eqs, degenerate, pairs, notes = vertex_enumeration(game, LABEL_TOL)
    return Found("vertex", "accord vertex enumeration (scipy/qhull HalfspaceIntersection, "
                           "labels by tolerance)",
                 [list(e) for e in eqs], {"label_tol": LABEL_TOL}, complete=True,
                 degenerate=degenerate, pairs=pairs, notes=tuple(notes))


_NONDEGENERATE = (("every equilibrium if the game is nondegenerate; degenerate games can have "
                  "more"),)


def _qe_vertex(game: StrategicGame, opt: MethodOptions) -> Found:
    from quantecon.game_theory import vertex_enumeration

    return Found("qe-vertex", "quantecon.game_theory.vertex_enumeration",
                 [list(e) for e in vertex_enumeration(game.to_quantecon())],
                 notes=_NONDEGENERATE)


def _support(game: StrategicGame, opt: MethodOptions) -> Found:
    from quantecon.game_theory import support_enumeration

    return Found("support", "quantecon.game_theory.support_enumeration",
                 [list(e) for e in support_enumeration(game.to_quantecon())],
                 notes=_NONDEGENERATE)


def _lemke_howson(game: StrategicGame, opt: MethodOptions) -> Found:
    import numpy as np
    from quantecon.game_theory import lemke_howson

    from .pure import pure_candidates

    g = game.to_quantecon()
    limit = opt.max_iter or 10**6
    pivots = sum(game.shape)
    candidates: list[list[np.ndarray]] = []
    stalled = 0
    for k in range(pivots):
        check(opt.budget, k, pivots, "Lemke-Howson pivots",
              "use the method pure, or a smaller game")
        ne, res = lemke_howson(g, init_pivot=k, max_iter=limit, full_output=True)
        if res.converged:
            candidates.append([np.asarray(x, dtype=float) for x in ne])
        else:
            stalled += 1
    notes = (f"{stalled} Lemke-Howson runs stopped unconverged",) if stalled else ()
    return Found("lemke-howson",
                 "quantecon.game_theory.lemke_howson (every initial pivot) + pure equilibria",
                 candidates + pure_candidates(game, opt.tol),
                 {"max_iter": limit, "init_pivots": pivots}, notes=notes)


def _mclennan_tourky(game: StrategicGame, opt: MethodOptions) -> Found:
    import numpy as np
    from quantecon.game_theory import mclennan_tourky

    from .profiles import verify
    from .pure import pure_candidates
    from .refine import refine

    limit = opt.max_iter or 500
    eps = 1e-6 * game.scale
    g = game.to_quantecon()
    rng = np.random.default_rng(opt.seed)
    inits = [tuple(np.full(k, 1.0 / k) for k in game.shape)]
    for _ in range(max(0, opt.starts - 1)):
        inits.append(tuple(rng.dirichlet(np.ones(k)) for k in game.shape))
    candidates: list[list[np.ndarray]] = []
    unrefined = 0
    for k, init in enumerate(inits[:max(opt.starts, 0)]):
        check(opt.budget, k, len(inits), "McLennan-Tourky starts",
              "give fewer starts, or use the method pure")
        ne, _ = mclennan_tourky(g, init=init, epsilon=eps, max_iter=limit, full_output=True)
        s = [np.asarray(x, dtype=float) for x in ne]
        if verify(game, s, opt.tol).ok:
            candidates.append(s)
            continue
        fine = refine(game, s, opt.tol)
        if fine is None:
            unrefined += 1
        else:
            candidates.append(fine)
    notes = (((f"{unrefined} McLennan-Tourky results (epsilon-equilibria) could not be "
              "refined to the tolerance and were dropped"),) if unrefined else ())
    return Found("mclennan-tourky", "quantecon.game_theory.mclennan_tourky, refined by "
                                    "Newton's method on the support + pure equilibria",
                 candidates + pure_candidates(game, opt.tol),
                 {"starts": opt.starts, "seed": opt.seed, "epsilon": eps, "max_iter": limit},
                 notes=notes)


def _pure(game: StrategicGame, opt: MethodOptions) -> Found:
    from .pure import pure_candidates

    return Found("pure", "accord pure_equilibria (vectorised best responses)",
                 pure_candidates(game, opt.tol), complete=True)


def _auto(game: StrategicGame, opt: MethodOptions) -> Found:
    if game.n_players != 2:
        found = _mclennan_tourky(game, opt)
        return replace(found, notes=(*found.notes, ("n-player game: every pure equilibrium, "
                                     "and the mixed equilibria McLennan-Tourky found from its "
                                     "starting points (not all)")))
    first: tuple[str, ...] = ()
    parameters: dict[str, Any] = {}
    if max(game.shape) <= VERTEX_LIMIT:
        try:
            return _vertex(game, opt)
        except Exception as exc:  # noqa: BLE001 - qhull failures fall back to Lemke-Howson
            from .vertex import LABEL_TOL

            first = ((f"vertex enumeration failed ({type(exc).__name__}: {exc}); fell back "
                     "to Lemke-Howson"),)
            parameters = {"label_tol": LABEL_TOL}
    found = _lemke_howson(game, opt)
    return replace(found, parameters={**parameters, **found.parameters},
                   notes=(*first, *found.notes, (f"more than {VERTEX_LIMIT} actions for a "
                          "player: Lemke-Howson finds some equilibria, not necessarily all")))


EQUILIBRIUM_METHODS: dict[str, EquilibriumMethod] = {m.name: m for m in (
    EquilibriumMethod("auto", f"vertex up to {VERTEX_LIMIT} actions a player, lemke-howson "
                              "beyond, mclennan-tourky for 3 or more players",
                      "automatic choice", False, _auto),
    EquilibriumMethod("vertex", "every extreme equilibrium, degenerate games included",
                      "vertex enumeration", True, _vertex),
    EquilibriumMethod("qe-vertex", "QuantEcon's vertex enumeration, every equilibrium of a "
                                   "nondegenerate game", "QuantEcon vertex enumeration", True,
                      _qe_vertex),
    EquilibriumMethod("support", "QuantEcon's support enumeration, every equilibrium of a "
                                 "nondegenerate game", "QuantEcon support enumeration", True,
                      _support),
    EquilibriumMethod("lemke-howson", "Lemke-Howson from every initial pivot and the pure "
                                      "equilibria, some equilibria", "Lemke-Howson", True,
                      _lemke_howson),
    EquilibriumMethod("mclennan-tourky", "McLennan-Tourky from several starting points and "
                                         "the pure equilibria, a sample", "McLennan-Tourky",
                      False, _mclennan_tourky),
    EquilibriumMethod("pure", "every pure equilibrium", "pure equilibria only", False, _pure),
)}
"""The equilibrium methods by name, `auto` first."""

METHODS: tuple[str, ...] = tuple(EQUILIBRIUM_METHODS)
TWO_PLAYER_METHODS: tuple[str, ...] = tuple(m.name for m in EQUILIBRIUM_METHODS.values()
                                            if m.two_player)


def equilibrium_method(method: str, n_players: int | None = None) -> EquilibriumMethod:
    """The registry's entry for `method`; `InputError` naming the parameter `method` when no
    method has that name (listing the known ones) or when it needs 2 players and the game
    has `n_players`."""
    entry = EQUILIBRIUM_METHODS.get(method) if isinstance(method, str) else None
    if entry is None:
        raise InputError([Problem.of_parameter("method", f"unknown method '{method}'; the "
                                                         f"methods are {methods_help()}")])
    if entry.two_player and n_players is not None and n_players != 2:
        others = [m.name for m in EQUILIBRIUM_METHODS.values() if not m.two_player]
        raise InputError([Problem.of_parameter(
            "method", f"'{method}' is for 2-player games; this game has {n_players} players "
                      "(use " + ", ".join(others[:-1]) + f" or {others[-1]})")])
    return entry


def methods_help() -> str:
    """The methods and what each finds (`vertex (2 players): every extreme equilibrium, ...;
    ...`), for errors and the command's help."""
    return "; ".join(f"{m.name}{' (2 players)' if m.two_player else ''}: {m.description}"
                     for m in EQUILIBRIUM_METHODS.values())
