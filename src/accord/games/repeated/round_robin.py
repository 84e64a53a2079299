"""Round-robin tournaments, computed exactly: every strategy against every other (and its
twin), as in Axelrod's tournaments (Axelrod 1980, J. Conflict Resolution 24(1):3-25), with
an optional check of which strategies are equilibria against themselves."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ...budget import Budget, check
from .automata import Strategy, strategies
from .best_reply import EquilibriumCheck, equilibrium
from .markov import (
    _M1_NEXT,
    _M1_START,
    _TOL,
    SWAP,
    _check_game,
    _m1_tables,
    _pair_tables,
    _rounds,
    tally,
)
from .payoffs import Payoffs


@dataclass(frozen=True)
class Tournament:
    """A round robin, computed exactly. `matrix[i, j]`: expected payoff per round of
    strategy i against j; `totals`: expected totals per match (None in the long-run
    limit); `cooperation[i, j]`: share of rounds in which i cooperates against j; `sd`:
    standard deviation of i's total against j (when asked for). `scores` average each row
    over the opponents, the strategy's own twin included when `self_play` (as in Axelrod's
    1980 tournament; the `axelrod` library's normalised scores leave it out:
    `scores_vs_others`). A strategy "wins" a match when its expected score is higher than
    its opponent's."""

    names: tuple[str, ...]
    strategies: tuple[Strategy, ...]
    payoffs: Payoffs
    turns: int | None
    continuation: float | None
    noise: float
    self_play: bool
    matrix: np.ndarray
    cooperation: np.ndarray
    totals: np.ndarray | None
    sd: np.ndarray | None = None
    unique: np.ndarray | None = None
    equilibrium: dict[str, EquilibriumCheck] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.names)

    def _row_mean(self, a: np.ndarray, self_play: bool) -> np.ndarray:
        if self_play:
            return a.mean(axis=1)
        if self.n == 1:
            return np.full(1, np.nan)
        return (a.sum(axis=1) - np.diag(a)) / (self.n - 1)

    @property
    def scores(self) -> np.ndarray:
        return self._row_mean(self.matrix, self.self_play)

    @property
    def scores_vs_others(self) -> np.ndarray:
        return self._row_mean(self.matrix, False)

    @property
    def wins(self) -> np.ndarray:
        diff = self.matrix - self.matrix.T
        return (diff > _TOL * max(1.0, float(np.abs(self.matrix).max()))).sum(axis=1)

    @property
    def ranking(self) -> list[int]:
        """Strategy indices, best score first (ties: the order given)."""
        return sorted(range(self.n), key=lambda i: (-round(self.scores[i], 12), i))

    def to_dict(self) -> dict:
        rounds = _rounds(self.turns, self.continuation)
        rank = {i: r + 1 for r, i in enumerate(self.ranking)}
        rows = []
        for i in self.ranking:
            row = {"rank": rank[i], "strategy": self.names[i], "score": float(self.scores[i]),
                   "score_vs_others": float(self.scores_vs_others[i]),
                   "total": None if rounds is None else float(self.scores[i] * rounds),
                   "cooperation": float(self._row_mean(self.cooperation, self.self_play)[i]),
                   "wins": int(self.wins[i])}
            eq = self.equilibrium.get(self.names[i])
            row["equilibrium"] = None if eq is None else eq.stable
            rows.append(row)
        return {
            "payoffs": self.payoffs.to_dict(), "turns": self.turns,
            "continuation": self.continuation, "noise": self.noise,
            "self_play": self.self_play, "strategies": [s.to_dict() for s in self.strategies],
            "ranking": rows,
            "matrix": {a: {b: float(self.matrix[i, j]) for j, b in enumerate(self.names)}
                       for i, a in enumerate(self.names)},
            "cooperation": {a: {b: float(self.cooperation[i, j])
                                for j, b in enumerate(self.names)}
                            for i, a in enumerate(self.names)},
            "totals": None if self.totals is None else
            {a: {b: float(self.totals[i, j]) for j, b in enumerate(self.names)}
             for i, a in enumerate(self.names)},
            "sd": None if self.sd is None else
            {a: {b: float(self.sd[i, j]) for j, b in enumerate(self.names)}
             for i, a in enumerate(self.names)},
            "equilibrium": {k: v.to_dict() for k, v in self.equilibrium.items()},
        }


def tournament(players: Sequence[str | Strategy], payoffs: Payoffs | None = None, *,
               turns: int | None = None, continuation: float | None = None,
               noise: float = 0.0, self_play: bool = True, sd: bool = False,
               equilibria: bool = False, budget: Budget | None = None) -> Tournament:
    """Every strategy against every other (and its own twin), exactly.

    All memory-one pairs go through one batched computation (210 pairs of 20 strategies in
    about a millisecond); pairs involving longer-memory automata are computed one by one on
    their joint chain. `sd=True` adds the exact standard deviation of every match total;
    (a number of turns or w < 1 only: the long run has no total); `equilibria=True` checks
    for each strategy whether playing it against itself is an equilibrium of the repeated
    game (`equilibrium`; skipped in the long run). `budget` is polled before every pair
    computed on its own and every equilibrium check (`BudgetExceeded` when it runs out)."""
    payoffs = payoffs or Payoffs()
    turns, continuation = _check_game(turns, continuation, noise)
    strats = strategies(players, payoffs)
    n = len(strats)
    f = payoffs.row
    share = np.zeros((n, n, 4))  # share of rounds in each outcome of i against j, i's view
    unique = np.ones((n, n), dtype=bool) if continuation == 1.0 else None
    long_run = continuation is not None and continuation >= 1.0
    var = np.zeros((n, n)) if sd and not long_run else None  # no total in the long run

    def store(ii: np.ndarray, jj: np.ndarray, P: np.ndarray, nxt: np.ndarray,
              start: int) -> None:
        c, u, v = tally(P, nxt, start, f, turns, continuation, var is not None)
        share[ii, jj] = c
        share[jj, ii] = c[:, list(SWAP)]
        if unique is not None and u is not None:
            unique[ii, jj] = unique[jj, ii] = u
        if var is not None and v is not None:
            var[ii, jj], var[jj, ii] = v[:, 0], v[:, 1]

    m1 = [i for i, s in enumerate(strats) if s.memory_one]
    pairs = [(i, j) for i in m1 for j in m1 if i <= j]
    if pairs:
        ii = np.array([p[0] for p in pairs])
        jj = np.array([p[1] for p in pairs])
        V = np.zeros((n, 5))
        for i in m1:
            V[i] = strats[i].coop
        store(ii, jj, _m1_tables(V[ii], V[jj], noise), _M1_NEXT, _M1_START)
    done = set(pairs)
    total = n * (n + 1) // 2
    advice = "give fewer strategies, or ones with shorter memory"
    for i in range(n):
        for j in range(i, n):
            if (i, j) in done:
                continue
            check(budget, len(done), total, "strategy pairs", advice)
            done.add((i, j))
            P, nxt, start = _pair_tables(strats[i], strats[j], noise)
            store(np.array([i]), np.array([j]), P[None], nxt, start)
    matrix = share @ f
    coop = share[..., 0] + share[..., 1]
    rounds = _rounds(turns, continuation)
    eq = {}
    if equilibria and not (continuation is not None and continuation >= 1.0):
        for k, s in enumerate(strats):
            check(budget, k, n, "equilibrium checks", advice)
            eq[s.name] = equilibrium(s, payoffs, turns=turns, continuation=continuation,
                                     noise=noise)
    return Tournament(
        names=tuple(s.name for s in strats), strategies=tuple(strats), payoffs=payoffs,
        turns=turns, continuation=continuation, noise=noise, self_play=self_play,
        matrix=matrix, cooperation=coop, totals=None if rounds is None else matrix * rounds,
        sd=None if var is None else np.sqrt(var), unique=unique, equilibrium=eq)
