"""Classical bargaining solutions over pure deals, with the BATNAs as disagreement point.

Each solution maximises a criterion over the deals in the ZOPA (every party gets at least
its BATNA d). Every criterion here is non-decreasing in each party's utility, so its
maximum over the ZOPA is attained on the Pareto frontier; the functions search the
frontier's points inside the ZOPA, which makes every answer individually rational and
Pareto-optimal by construction. Gains are g_i = U_i - d_i >= 0.

* Nash (1950): maximise prod_i g_i; weighted (asymmetric) Nash: maximise
  sum_i alpha_i log g_i for weights alpha_i > 0. Invariant under positive affine rescaling
  of each party's utility.
* Kalai-Smorodinsky (1975), discrete form: maximise min_i g_i / (a_i - d_i), where a_i is
  party i's best utility within the ZOPA (its ideal point); a party whose ideal equals its
  BATNA is left out of the minimum. Also scale-invariant.
* Egalitarian (Kalai 1977): maximise min_i g_i.
* Utilitarian (Harsanyi 1955): maximise sum_i g_i.

Ties (criteria equal to within 1e-12 relative) are broken by the larger sum of gains, then
(for the utilitarian solution) the larger smallest gain, then the deal with the lowest
option indices, issue by issue. When the ZOPA is empty each function returns None.
Cost: O(|F| * parties) on a frontier F (see `accord.bargaining.pareto`).

Nash, J. F. (1950) The bargaining problem. Econometrica 18(2):155-162. doi:10.2307/1907266
Kalai, E. and Smorodinsky, M. (1975) Other solutions to Nash's bargaining problem.
Econometrica 43(3):513-518. doi:10.2307/1914280
Kalai, E. (1977) Proportional solutions to bargaining situations: interpersonal utility
comparisons. Econometrica 45(7):1623-1630. doi:10.2307/1913954
Harsanyi, J. C. (1955) Cardinal welfare, individualistic ethics, and interpersonal
comparisons of utility. Journal of Political Economy 63(4):309-321. doi:10.1086/257678
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from ..space import Space
from .pareto import Frontier, pareto_frontier

SOLUTION_NAMES = ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian")
_REL_TIE = 1e-12


@dataclass(frozen=True)
class SolutionPoint:
    """One solution: the deal (option indices), its utilities for the frontier's actors, and
    the value of the criterion it maximises (for Nash, the product of the gains).

    References: see the function that made it (`nash_solution`: Nash 1950;
    `kalai_smorodinsky_solution`: Kalai & Smorodinsky 1975; `egalitarian_solution`: Kalai
    1977; `utilitarian_solution`: Harsanyi 1955).
    """

    name: str
    deal: tuple[int, ...]
    utilities: tuple[float, ...]
    criterion: float


def zopa_mask(space: Space, frontier: Frontier) -> np.ndarray:
    """Which frontier points every frontier actor accepts (U >= BATNA, on exact units).

    Cost: O(|F| * parties) on a frontier F.
    """
    return space.accepts(frontier.units, frontier.actors).all(axis=1)


def _frontier(space: Space, parties: Sequence[str] | Sequence[int] | None,
              frontier: Frontier | None) -> Frontier:
    if frontier is not None:
        return frontier
    return pareto_frontier(space, parties)


def _pick(name: str, frontier: Frontier, rows: np.ndarray, crit: np.ndarray,
          second: np.ndarray, third: np.ndarray | None = None) -> SolutionPoint:
    best = crit.max()
    tol = _REL_TIE * max(1.0, abs(best)) if np.isfinite(best) else 0.0
    tied = np.flatnonzero(crit >= best - tol) if np.isfinite(best) else np.flatnonzero(
        crit == best)
    tied = _near_max(tied, second)
    if third is not None:
        tied = _near_max(tied, third)
    k = tied[0]  # frontier rows are in lexicographic deal order
    row = rows[k]
    return SolutionPoint(name, tuple(int(x) for x in frontier.deals[row]),
                         tuple(float(x) for x in frontier.utilities[row]), float(crit[k]))


def _near_max(rows: np.ndarray, values: np.ndarray) -> np.ndarray:
    v = values[rows]
    top = v.max()
    return rows[v >= top - _REL_TIE * max(1.0, abs(top))]


def _zopa_gains(space: Space, frontier: Frontier) -> tuple[np.ndarray, np.ndarray]:
    d = space.batna[list(frontier.actors)]
    rows = np.flatnonzero(zopa_mask(space, frontier))
    gains = np.maximum(frontier.utilities[rows] - d, 0.0)
    return rows, gains


def nash_solution(space: Space, parties: Sequence[str] | Sequence[int] | None = None,
                  weights: Sequence[float] | None = None,
                  frontier: Frontier | None = None) -> SolutionPoint | None:
    """The (weighted) Nash bargaining solution over pure deals: argmax sum_i w_i log(U_i - d_i)
    over the ZOPA, w_i = 1 by default (the Nash product). None when the ZOPA is empty.

    The reported `criterion` is the product prod_i (U_i - d_i) ** w_i over the parties that
    gain somewhere in the ZOPA. Cost: O(|F| * parties) on the frontier F, plus
    `pareto_frontier` when no frontier is given.

    References: Nash, J. F. (1950) "The bargaining problem", Econometrica 18(2):155-162,
    doi:10.2307/1907266; weighted: Kalai, E. (1977) "Nonsymmetric Nash solutions and
    replications of 2-person bargaining", Int. J. Game Theory 6(3):129-133,
    doi:10.1007/BF01774658.
    """
    f = _frontier(space, parties, frontier)
    rows, g = _zopa_gains(space, f)
    if not len(rows):
        return None
    w = np.ones(g.shape[1]) if weights is None else np.asarray(weights, dtype=float)
    if w.shape != (g.shape[1],) or (w <= 0).any():
        raise ValueError(f"Nash weights must be {g.shape[1]} positive numbers, got {list(w)}")
    # parties that gain nothing anywhere in the ZOPA are left out of the product
    live = g.max(axis=0) > 0
    with np.errstate(divide="ignore"):
        crit = (w[live] * np.log(g[:, live])).sum(axis=1) if live.any() else np.zeros(len(g))
    point = _pick("nash", f, rows, crit, g.sum(axis=1))
    # report the (weighted) Nash product itself, prod_i g_i ** w_i
    return replace(point, criterion=float(np.exp(point.criterion)))


def kalai_smorodinsky_solution(space: Space, parties: Sequence[str] | Sequence[int] | None = None,
                               frontier: Frontier | None = None) -> SolutionPoint | None:
    """Discrete Kalai-Smorodinsky: argmax min_i (U_i - d_i) / (a_i - d_i) over the ZOPA, with a_i
    the best utility party i reaches within the ZOPA (a party with a_i = d_i is left out).
    None when the ZOPA is empty.

    Cost: O(|F| * parties) on the frontier F, plus `pareto_frontier` when none is given.

    References: Kalai, E. and Smorodinsky, M. (1975) "Other solutions to Nash's bargaining
    problem", Econometrica 43(3):513-518, doi:10.2307/1914280.
    """
    f = _frontier(space, parties, frontier)
    rows, g = _zopa_gains(space, f)
    if not len(rows):
        return None
    span = g.max(axis=0)
    live = span > 0
    crit = (g[:, live] / span[live]).min(axis=1) if live.any() else np.ones(len(g))
    return _pick("kalai_smorodinsky", f, rows, crit, g.sum(axis=1))


def egalitarian_solution(space: Space, parties: Sequence[str] | Sequence[int] | None = None,
                         frontier: Frontier | None = None) -> SolutionPoint | None:
    """Egalitarian solution: argmax min_i (U_i - d_i) over the ZOPA. None when it is empty.

    Cost: O(|F| * parties) on the frontier F, plus `pareto_frontier` when none is given.

    References: Kalai, E. (1977) "Proportional solutions to bargaining situations:
    interpersonal utility comparisons", Econometrica 45(7):1623-1630, doi:10.2307/1913954.
    """
    f = _frontier(space, parties, frontier)
    rows, g = _zopa_gains(space, f)
    if not len(rows):
        return None
    return _pick("egalitarian", f, rows, g.min(axis=1), g.sum(axis=1))


def utilitarian_solution(space: Space, parties: Sequence[str] | Sequence[int] | None = None,
                         frontier: Frontier | None = None) -> SolutionPoint | None:
    """Utilitarian solution: argmax sum_i (U_i - d_i) over the ZOPA. None when it is empty.

    Ties: the larger smallest gain, then the lowest option indices. Cost: O(|F| * parties) on
    the frontier F, plus `pareto_frontier` when none is given.

    References: Harsanyi, J. C. (1955) "Cardinal welfare, individualistic ethics, and
    interpersonal comparisons of utility", J. Political Economy 63(4):309-321,
    doi:10.1086/257678.
    """
    f = _frontier(space, parties, frontier)
    rows, g = _zopa_gains(space, f)
    if not len(rows):
        return None
    s = g.sum(axis=1)
    return _pick("utilitarian", f, rows, s, s, g.min(axis=1))


def all_solutions(space: Space, parties: Sequence[str] | Sequence[int] | None = None,
                  frontier: Frontier | None = None, nash_weights: Sequence[float] | None = None
                  ) -> dict[str, SolutionPoint | None]:
    """The four solutions, keyed as in `SOLUTION_NAMES`, over one shared frontier; the Nash
    solution is the weighted one when `nash_weights` (one per party) are given.

    Cost: one `pareto_frontier` (when `frontier` is None), then O(|F| * parties) per
    solution. References: those of `nash_solution`, `kalai_smorodinsky_solution`,
    `egalitarian_solution` and `utilitarian_solution`.
    """
    f = _frontier(space, parties, frontier)
    return {
        "nash": nash_solution(space, frontier=f, weights=nash_weights),
        "kalai_smorodinsky": kalai_smorodinsky_solution(space, frontier=f),
        "egalitarian": egalitarian_solution(space, frontier=f),
        "utilitarian": utilitarian_solution(space, frontier=f),
    }
