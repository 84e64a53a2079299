"""The Shapley value: each player's marginal contribution v(S + i) - v(S) averaged over the
n! orders in which the grand coalition can form, phi_i = sum_{S not containing i}
|S|! (n - |S| - 1)! / n! * (v(S + i) - v(S)), over all coalitions in O(2^n n); exact
(Fractions) when the game's values are.

Shapley, L. S. (1953) A value for n-person games. In Kuhn, H. W. and Tucker, A. W. (eds),
Contributions to the Theory of Games II, Annals of Mathematics Studies 28, 307-317.
Princeton University Press (a book chapter).
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from .allocations import Allocation
from .tu import TUGame, popcount, without


def shapley_value(game: TUGame) -> Allocation:
    """The Shapley value (1953): each player's marginal contribution v(S + i) - v(S)
    averaged over the n! orders in which the grand coalition can form. O(2^n n).

    Exact (Fractions in `Allocation.exact`) when the game is: n! * denominator * phi_i is
    an integer sum, computed in int64 when it cannot overflow and in Python integers
    otherwise."""
    n = game.n
    pc = popcount(n)
    fact = [math.factorial(k) for k in range(n + 1)]
    weight = np.array([fact[k] * fact[n - k - 1] / fact[n] for k in range(n)])
    out, exact = [], []
    nums = game.numerators
    if nums is not None:
        big = int(np.abs(nums).max()) if len(nums) else 0
        if nums.dtype == object or big >= 2**62 // (1 << n):
            nums = nums.astype(object)
    for i in range(n):
        s = without(n, i)
        t = s | (1 << i)
        marg = game.values[t] - game.values[s]
        out.append(float((weight[pc[s]] * marg).sum()))
        if nums is not None:
            # integer sums of the marginals by coalition size (every size 0..n-1 occurs)
            order = np.argsort(pc[s], kind="stable")
            bounds = np.searchsorted(pc[s][order], np.arange(n))
            by_size = np.add.reduceat((nums[t] - nums[s])[order], bounds)
            num = sum(fact[k] * fact[n - k - 1] * int(by_size[k]) for k in range(n))
            exact.append(Fraction(num, fact[n] * game.denominator))
    if nums is not None:
        out = [float(x) for x in exact]
    return Allocation("shapley", game.players, tuple(out), tuple(exact) if exact else None)
