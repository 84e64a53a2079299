"""Matches played move by move, seeded: the oracle of the exact computation."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ...errors import InputError, Problem
from .automata import Strategy, strategy
from .markov import SWAP, _check_game
from .payoffs import Payoffs


@dataclass(frozen=True)
class Simulation:
    """Simulated matches: `totals` (runs, 2) payoff totals, `rounds` (runs,) lengths,
    `cooperations` (runs, 2) rounds in which each player cooperated."""

    totals: np.ndarray
    rounds: np.ndarray
    cooperations: np.ndarray

    def mean(self) -> np.ndarray:
        return self.totals.mean(axis=0)

    def standard_error(self) -> np.ndarray:
        return self.totals.std(axis=0, ddof=1) / math.sqrt(len(self.totals))


def simulate(s1: str | Strategy, s2: str | Strategy, payoffs: Payoffs | None = None, *,
             turns: int | None = None, continuation: float | None = None,
             noise: float = 0.0, runs: int = 1000, seed: int = 0) -> Simulation:
    """Play `runs` matches move by move (vectorised over the runs), seeded. A continuation
    game draws each match's length from the geometric law P(length >= t) = w^(t-1). The
    oracle of the exact computation; also what a user can plot."""
    payoffs = payoffs or Payoffs()
    turns, continuation = _check_game(turns, continuation, noise)
    if continuation is not None and continuation >= 1.0:
        raise InputError([Problem("continuation", "simulation needs w < 1 or turns")])
    a, b = strategy(s1, payoffs), strategy(s2, payoffs)
    rng = np.random.default_rng(seed)
    if turns is not None:
        lengths = np.full(runs, turns)
    else:
        lengths = rng.geometric(1.0 - continuation, size=runs)  # type: ignore[operator]
    ca, cb = np.array(a.coop), np.array(b.coop)
    ta, tb = np.array(a.transitions), np.array(b.transitions)
    sa = np.full(runs, a.start)
    sb = np.full(runs, b.start)
    f = payoffs.row
    totals = np.zeros((runs, 2))
    coops = np.zeros((runs, 2))
    for t in range(int(lengths.max())):
        live = lengths > t
        x = rng.random(runs) >= ca[sa]  # True = intends D
        y = rng.random(runs) >= cb[sb]
        if noise:
            x ^= rng.random(runs) < noise
            y ^= rng.random(runs) < noise
        o = 2 * x + y
        totals[:, 0] += live * f[o]
        totals[:, 1] += live * f[np.array(SWAP)[o]]
        coops[:, 0] += live * ~x
        coops[:, 1] += live * ~y
        sa = ta[sa, o]
        sb = tb[sb, np.array(SWAP)[o]]
    return Simulation(totals=totals, rounds=lengths, cooperations=coops)
