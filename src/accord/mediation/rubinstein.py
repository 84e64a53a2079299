"""Rubinstein (1982) alternating offers: the closed form and its equilibrium on a frontier.

Two players alternate proposals; each rejection costs a period, discounting player i's gain
by delta_i. On a unit pie the unique subgame-perfect equilibrium is immediate agreement
with the first proposer taking

    x1* = (1 - delta_2) / (1 - delta_1 * delta_2),

e.g. 0.526316 for (0.9, 0.9) and 0.714286 for (0.9, 0.8).

On a general two-party frontier of gains g = U - BATNA, with g2 = f(g1) decreasing, the
stationary equilibrium (Binmore, Rubinstein and Wolinsky 1986) has player 1 propose
(x1, f(x1)) and player 2 propose (y1, y2) with each proposal leaving the responder
indifferent between accepting and proposing next period:

    f(x1) = delta_2 * y2,   y1 = delta_1 * x1,   y2 = f(y1)   =>   f(x1) = delta_2 f(delta_1 x1).

`frontier_equilibrium` solves this by bisection on the piecewise-linear frontier (the
left side minus the right falls from f(0)(1 - delta_2) >= 0 to f(x_max) - delta_2
f(delta_1 x_max) <= 0). On the pie, f(x) = 1 - x, it returns the closed form.

Rubinstein, A. (1982) Perfect equilibrium in a bargaining model. Econometrica 50(1):97-109.
doi:10.2307/1912531
Binmore, K., Rubinstein, A. and Wolinsky, A. (1986) The Nash bargaining solution in economic
modelling. RAND Journal of Economics 17(2):176-188. doi:10.2307/2555382
"""

from __future__ import annotations

import numpy as np


def rubinstein_share(delta_1: float, delta_2: float) -> float:
    """The first proposer's equilibrium share of a unit pie: (1 - d2) / (1 - d1 d2). O(1).

    References: Rubinstein, A. (1982) "Perfect equilibrium in a bargaining model",
    Econometrica 50(1):97-109, doi:10.2307/1912531.
    """
    if not (0 <= delta_1 < 1 and 0 <= delta_2 < 1):
        raise ValueError("discount factors must lie in [0, 1)")
    return (1 - delta_2) / (1 - delta_1 * delta_2)


def frontier_function(gains: np.ndarray):
    """f(x) = the largest g2 attainable with g1 >= x on the frontier's upper envelope, linearly
    interpolated between frontier points (gains (p, 2), all >= 0). Returns (f, max g1).
    Cost: O(p log p) to build, O(log p) per evaluation."""
    order = np.argsort(gains[:, 0])
    g1, g2 = gains[order, 0], gains[order, 1]
    # include the axes' ends so that f is defined on [0, max g1]
    if g1[0] > 0:
        g1 = np.concatenate([[0.0], g1])
        g2 = np.concatenate([[g2[0]], g2])

    def f(x: float) -> float:
        return float(np.interp(x, g1, g2))

    return f, float(g1[-1])


def frontier_equilibrium(gains: np.ndarray, delta_1: float, delta_2: float,
                         tol: float = 1e-12) -> tuple[float, float]:
    """The proposers' equilibrium gains (x1, y2) on a two-party frontier of gains (see the
    module doc): the root of f(x1) = delta_2 * f(delta_1 * x1), y2 = f(delta_1 * x1), by
    bisection. Cost O(p log p + log(1/tol) * log p).

    References: Rubinstein, A. (1982) Econometrica 50(1):97-109, doi:10.2307/1912531;
    Binmore, K., Rubinstein, A. and Wolinsky, A. (1986) "The Nash bargaining solution in
    economic modelling", RAND J. Econ. 17(2):176-188, doi:10.2307/2555382.
    """
    f, top = frontier_function(gains)
    lo, hi = 0.0, top
    while hi - lo > tol:
        mid = (lo + hi) / 2
        if f(mid) - delta_2 * f(delta_1 * mid) > 0:
            lo = mid
        else:
            hi = mid
    x1 = (lo + hi) / 2
    return x1, f(delta_1 * x1)
