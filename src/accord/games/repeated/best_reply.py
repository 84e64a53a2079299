"""Best replies and equilibria of the repeated game: against a fixed automaton the deviator
faces a Markov decision process (exact policy iteration for a continuation game, backward
induction for N turns), so whether a strategy against its twin is a Nash equilibrium is
decided exactly (`equilibrium`). Without noise and for 5/3/1/0 this gives Axelrod's (1984)
thresholds: TFT iff w >= 2/3, grim iff w >= 1/2."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...errors import InputError, Problem
from .automata import Strategy, strategy
from .markov import _TOL, OUTCOMES, SWAP, _check_game, _noisy
from .matches import match
from .payoffs import Payoffs


@dataclass(frozen=True)
class EquilibriumCheck:
    """Whether `strategy` against itself is a Nash equilibrium of the repeated game: no
    strategy at all (any memory, any history dependence) earns more against it. `own`:
    expected total of the strategy against its twin; `best`: the best total any strategy
    can get against it; `deviations`: named strategies that reach `best`; `policy`: a best
    reply, the move to make in each state of the opponent's automaton (for a memory-one
    opponent: after each outcome of the last round, the deviator's own move first)."""

    strategy: str
    stable: bool
    own: float
    best: float
    deviations: tuple[str, ...]
    policy: dict[str, str]
    turns: int | None
    continuation: float | None
    noise: float

    @property
    def gain(self) -> float:
        """What the best deviation gains over staying with the strategy (>= 0)."""
        return max(0.0, self.best - self.own)

    def describe_reply(self) -> str:
        """The best reply in words: the named strategies that reach it, else its moves."""
        if self.deviations:
            return ", ".join(self.deviations)
        parts = []
        for move in "CD":
            where = [k for k, v in self.policy.items() if v == move]
            if where:
                parts.append(f"{move} {', '.join(where)}")
        return "; ".join(parts)

    def to_dict(self) -> dict:
        return {"strategy": self.strategy, "stable": self.stable, "own": self.own,
                "best": self.best, "gain": self.gain, "deviations": list(self.deviations),
                "policy": dict(self.policy), "reply": self.describe_reply(), "turns": self.turns,
                "continuation": self.continuation, "noise": self.noise}


def _reply_tables(b: Strategy, noise: float, payoffs: Payoffs):
    """For a deviator facing automaton `b`: reward (2, n) and transition (2, n, n) of each
    intended move (0 = C, 1 = D), states = b's states."""
    n = b.n_states
    cy = _noisy(np.array(b.coop), noise)
    f = payoffs.row
    nb = np.array([[b.transitions[s][SWAP[o]] for o in range(4)] for s in range(n)])
    rewards, trans = np.zeros((2, n)), np.zeros((2, n, n))
    for a, px in enumerate((1.0 - noise, noise)):
        P = np.column_stack([px * cy, px * (1 - cy), (1 - px) * cy, (1 - px) * (1 - cy)])
        rewards[a] = P @ f
        for o in range(4):
            trans[a, np.arange(n), nb[:, o]] += P[:, o]
    return rewards, trans


def best_response(opponent: str | Strategy, payoffs: Payoffs | None = None, *,
                  turns: int | None = None, continuation: float | None = None,
                  noise: float = 0.0) -> tuple[float, tuple[int, ...]]:
    """The highest expected total any strategy can earn against `opponent`, and a best
    reply as a move (0 = C, 1 = D) for each state of the opponent's automaton.

    Against a fixed automaton the deviator faces a Markov decision process whose state is
    the opponent's state (both see the realised moves), so a stationary reply is optimal
    for a continuation game (exact policy iteration) and backward induction is exact for
    N turns. Needs w < 1 or a number of turns."""
    payoffs = payoffs or Payoffs()
    turns, continuation = _check_game(turns, continuation, noise)
    b = strategy(opponent, payoffs)
    rewards, trans = _reply_tables(b, noise, payoffs)
    n = b.n_states
    if turns is not None:
        V = np.zeros(n)
        policy = np.zeros(n, dtype=int)
        for _ in range(turns):
            Q = rewards + trans @ V
            policy = np.argmax(Q, axis=0)
            V = Q.max(axis=0)
        return float(V[b.start]), tuple(int(x) for x in policy)
    w = float(continuation)  # type: ignore[arg-type]
    if w >= 1.0:
        raise InputError([Problem("continuation", "best replies and equilibria need w < 1 "
                                                  "or a number of turns")])
    policy = np.zeros(n, dtype=int)
    idx = np.arange(n)
    for _ in range(10 * n + 10):
        V = np.linalg.solve(np.eye(n) - w * trans[policy, idx], rewards[policy, idx])
        Q = rewards + w * trans @ V
        better = Q[1 - policy, idx] > Q[policy, idx] + _TOL * max(1.0, float(np.abs(V).max()))
        if not better.any():
            break
        policy = np.where(better, 1 - policy, policy)
    return float(V[b.start]), tuple(int(x) for x in policy)


_DEVIATIONS = ("alld", "allc", "tft", "stft", "wsls", "grim-m1", "alternator", "bully",
               "grim", "ctft", "tf2t", "ttft")


def equilibrium(s: str | Strategy, payoffs: Payoffs | None = None, *,
                turns: int | None = None, continuation: float | None = None,
                noise: float = 0.0) -> EquilibriumCheck:
    """Is `s` against itself a Nash equilibrium of the repeated game (with this horizon and
    noise)? Exact: compares the strategy's expected total against its twin with the best
    reply's (`best_response`). Without noise and for 5/3/1/0 this holds for TFT iff
    w >= 2/3 and for grim iff w >= 1/2 (`tft_threshold`, `grim_threshold`)."""
    payoffs = payoffs or Payoffs()
    turns, continuation = _check_game(turns, continuation, noise)
    st = strategy(s, payoffs)
    best, policy = best_response(st, payoffs, turns=turns, continuation=continuation,
                                 noise=noise)
    own = match(st, st, payoffs, turns=turns, continuation=continuation, noise=noise,
                sd=False).totals[0]  # type: ignore[index]
    tol = 1e-9 * max(1.0, abs(best))
    devs = []
    for name in _DEVIATIONS:
        v = match(name, st, payoffs, turns=turns, continuation=continuation, noise=noise,
                  sd=False).totals[0]  # type: ignore[index]
        if v >= best - tol:
            devs.append(name)
    if st.memory_one:  # the opponent's state "after CD" is the deviator's "after DC"
        labels = tuple(f"after {OUTCOMES[SWAP[k]]}" for k in range(4)) + ("in round one",)
    else:
        labels = tuple(f"when {st.name} is in '{x}'" for x in
                       (st.states or tuple(str(k) for k in range(st.n_states))))
    return EquilibriumCheck(
        strategy=st.name, stable=bool(own >= best - tol), own=float(own), best=float(best),
        deviations=tuple(devs), policy={labels[k]: "CD"[a] for k, a in enumerate(policy)},
        turns=turns, continuation=continuation, noise=noise)
