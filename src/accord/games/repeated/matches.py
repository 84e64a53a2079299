"""One match of two strategies, computed exactly (`match`), and the 4-state Markov chain of
two memory-one strategies (`markov_chain`; Press & Dyson 2012, PNAS 109:10409,
doi:10.1073/pnas.1206569109)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ...errors import InputError, Problem
from .automata import Strategy, strategy
from .markov import OUTCOMES, SWAP, _check_game, _m1_tables, _pair_tables, _rounds, tally
from .payoffs import Payoffs


@dataclass(frozen=True)
class MatchResult:
    """The exact expected result of one match.

    `outcomes`: expected share of rounds in CC, CD, DC, DD (player 1's view; weighted by
    w^(t-1) in a continuation game); `scores`: expected payoff per round of each player;
    `totals`: expected total payoffs (None in the long-run limit); `sd`: standard deviation
    of the totals; `unique`: for w -> 1, whether the chain's stationary distribution is
    unique (else the limit depends on how the first rounds went, and was computed from
    the first round)."""

    players: tuple[str, str]
    payoffs: Payoffs
    turns: int | None
    continuation: float | None
    noise: float
    outcomes: tuple[float, float, float, float]
    scores: tuple[float, float]
    totals: tuple[float, float] | None
    cooperation: tuple[float, float]
    sd: tuple[float, float] | None = None
    unique: bool | None = None

    def to_dict(self) -> dict:
        return {"players": list(self.players), "payoffs": self.payoffs.to_dict(),
                "turns": self.turns, "continuation": self.continuation, "noise": self.noise,
                "outcomes": dict(zip(OUTCOMES, self.outcomes, strict=True)),
                "scores": list(self.scores),
                "totals": None if self.totals is None else list(self.totals),
                "sd": None if self.sd is None else list(self.sd),
                "cooperation": list(self.cooperation), "unique": self.unique}


def match(s1: str | Strategy, s2: str | Strategy, payoffs: Payoffs | None = None, *,
          turns: int | None = None, continuation: float | None = None, noise: float = 0.0,
          sd: bool = True) -> MatchResult:
    """The exact expected result of `s1` against `s2` over `turns` rounds (default 200) or
    with continuation probability `continuation` (1 = the long-run average), with each
    intended move flipped with probability `noise`. Cost: O(n^3 log turns) or one n x n
    solve, n = the number of joint states (5 for two memory-one strategies)."""
    payoffs = payoffs or Payoffs()
    turns, continuation = _check_game(turns, continuation, noise)
    a, b = strategy(s1, payoffs), strategy(s2, payoffs)
    P, nxt, start = _pair_tables(a, b, noise)
    f = payoffs.row
    shares, unique, var = tally(P[None], nxt, start, f, turns, continuation, sd)
    share = shares[0]
    scores = (float(share @ f), float(share @ f[list(SWAP)]))
    rounds = _rounds(turns, continuation)
    totals = None if rounds is None else (scores[0] * rounds, scores[1] * rounds)
    dev = None if var is None else (math.sqrt(var[0, 0]), math.sqrt(var[0, 1]))
    return MatchResult(
        players=(a.name, b.name), payoffs=payoffs, turns=turns, continuation=continuation,
        noise=noise, outcomes=tuple(float(x) for x in share),  # type: ignore[arg-type]
        scores=scores, totals=totals,
        cooperation=(float(share[0] + share[1]), float(share[0] + share[2])), sd=dev,
        unique=None if unique is None else bool(unique[0]))


def markov_chain(s1: str | Strategy, s2: str | Strategy, noise: float = 0.0,
                 payoffs: Payoffs | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The 4-state chain of two memory-one strategies: (v1, M), the distribution of the
    first round's outcome and the transition matrix between outcomes (CC, CD, DC, DD, as
    seen by `s1`), noise included."""
    a, b = strategy(s1, payoffs), strategy(s2, payoffs)
    if not (a.memory_one and b.memory_one):
        raise InputError([Problem("strategies", "the 4-state chain needs two memory-one "
                                                "strategies")])
    P = _m1_tables(np.array([a.coop]), np.array([b.coop]), noise)[0]
    return P[4].copy(), P[:4].copy()
