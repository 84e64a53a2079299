"""The exact engine of the repeated prisoner's dilemma: a match of two automata as a Markov
chain on their joint states, and the expected number of rounds in each outcome.

For two memory-one strategies the chain is the 4-state chain of the last round's outcome,
with the first round's outcome drawn from the two `first` probabilities (noise applied to
the intended moves, first round included). With M the transition matrix and v1 the
distribution of the first round's outcome (row vectors), the expected number of rounds
spent in each outcome is

* `sum_{t=0}^{N-1} v1 M^t` for N turns (a power of a block matrix, O(n^3 log N));
* `v1 (I - w M)^-1` for continuation probability w (one linear solve);
* the Cesaro limit of `v1 M^t` for w -> 1: the stationary distribution when it is unique,
  and otherwise the stationary distributions of the recurrent classes weighted by the
  probability of reaching each from the first round.

Payoffs, cooperation rates and winners follow linearly; `_variance` gives the exact
variance of a total. Nothing is simulated (`accord.games.repeated.simulation` is the
oracle). Reference: Press & Dyson (2012) PNAS 109:10409, doi:10.1073/pnas.1206569109 (the
memory-one Markov chain).
"""

from __future__ import annotations

import numpy as np

from ...errors import InputError, Problem
from .automata import Strategy

OUTCOMES = ("CC", "CD", "DC", "DD")
"""Outcomes of a round from one player's point of view: own move first."""
SWAP = (0, 2, 1, 3)
"""The same outcome seen by the other player."""
DEFAULT_TURNS = 200
_TOL = 1e-9


def _noisy(c: np.ndarray | float, noise: float):
    """Probability that the realised move is C when C is intended with probability c."""
    return c * (1.0 - noise) + (1.0 - c) * noise


def _check_game(turns: int | None, continuation: float | None,
                noise: float) -> tuple[int | None, float | None]:
    problems = []
    if turns is not None and continuation is not None:
        problems.append(Problem("turns", "give the number of turns or the continuation "
                                         "probability, not both"))
    if turns is not None and (isinstance(turns, bool) or int(turns) != turns or turns < 1):
        problems.append(Problem("turns", f"must be a whole number >= 1, not {turns!r}"))
    if continuation is not None and not (0.0 <= continuation <= 1.0):
        problems.append(Problem("continuation", f"must lie in [0, 1], not {continuation!r}"))
    if not (0.0 <= noise <= 0.5):
        problems.append(Problem("noise", f"must lie in [0, 0.5], not {noise!r}"))
    if problems:
        raise InputError(problems)
    if turns is None and continuation is None:
        turns = DEFAULT_TURNS
    return (int(turns) if turns is not None else None), continuation


def _m1_tables(v1: np.ndarray, v2: np.ndarray, noise: float) -> np.ndarray:
    """Outcome probabilities (K, 5, 4) of K memory-one pairs: v1, v2 are (K, 5) arrays
    (p_CC, p_CD, p_DC, p_DD, first). Joint state x = 0..3: the last outcome seen by
    player 1; x = 4: round one."""
    c1 = _noisy(v1, noise)
    c2 = _noisy(v2[:, [0, 2, 1, 3, 4]], noise)  # player 2 sees the outcome swapped
    P = np.empty(v1.shape + (4,))
    P[..., 0] = c1 * c2
    P[..., 1] = c1 * (1.0 - c2)
    P[..., 2] = (1.0 - c1) * c2
    P[..., 3] = (1.0 - c1) * (1.0 - c2)
    return P


_M1_NEXT = np.tile(np.arange(4), (5, 1))
_M1_START = 4


def _pair_tables(a: Strategy, b: Strategy, noise: float) -> tuple[np.ndarray, np.ndarray, int]:
    """Outcome probabilities P (n, 4), next joint state (n, 4) and the start of the joint
    chain of two automata, over the joint states reachable through any outcome."""
    if a.memory_one and b.memory_one:
        P = _m1_tables(np.array([a.coop]), np.array([b.coop]), noise)[0]
        return P, _M1_NEXT, _M1_START
    index = {(a.start, b.start): 0}
    order = [(a.start, b.start)]
    rows, nxt = [], []
    k = 0
    while k < len(order):
        sa, sb = order[k]
        c1, c2 = _noisy(a.coop[sa], noise), _noisy(b.coop[sb], noise)
        rows.append([c1 * c2, c1 * (1 - c2), (1 - c1) * c2, (1 - c1) * (1 - c2)])
        row = []
        for o in range(4):
            ns = (a.transitions[sa][o], b.transitions[sb][SWAP[o]])
            if ns not in index:
                index[ns] = len(order)
                order.append(ns)
            row.append(index[ns])
        nxt.append(row)
        k += 1
    return np.array(rows, dtype=float), np.array(nxt, dtype=np.intp), 0


def _transition(P: np.ndarray, nxt: np.ndarray) -> np.ndarray:
    """Joint-state transition matrices (K, n, n) from P (K, n, 4) and nxt (n, 4)."""
    K, n, _ = P.shape
    M = np.zeros((K, n, n))
    if nxt is _M1_NEXT:
        M[:, :, :4] = P
        return M
    for o in range(4):
        M[:, np.arange(n), nxt[:, o]] += P[:, :, o]
    return M


def _outcome_counts(P: np.ndarray, nxt: np.ndarray, start: int, turns: int | None,
                    continuation: float | None) -> tuple[np.ndarray, np.ndarray | None]:
    """Expected number of rounds in each outcome (K, 4) (discounted by w^(t-1) for a
    continuation game), and for w -> 1 the long-run frequencies, with a flag per chain
    telling whether its stationary distribution is unique (else None)."""
    K, n, _ = P.shape
    M = _transition(P, nxt)
    if turns is not None:
        # [[M, P], [0, I]]^N has sum_{t<N} M^t P in its upper right block
        B = np.zeros((K, n + 4, n + 4))
        B[:, :n, :n] = M
        B[:, :n, n:] = P
        B[:, n:, n:] = np.eye(4)
        return np.linalg.matrix_power(B, turns)[:, start, n:], None
    w = float(continuation)  # type: ignore[arg-type]
    if w < 1.0:
        X = np.linalg.solve(np.eye(n)[None] - w * M, P)
        return X[:, start, :], None
    freq = np.empty((K, 4))
    unique = np.empty(K, dtype=bool)
    for k in range(K):
        dist, unique[k] = _cesaro(M[k], start, exclude=(start,) if nxt is _M1_NEXT else ())
        freq[k] = dist @ P[k]
    return freq, unique


def _cesaro(M: np.ndarray, start: int, exclude: tuple[int, ...] = ()
            ) -> tuple[np.ndarray, bool]:
    """The Cesaro limit of e_start M^t (the long-run share of time in each state) and
    whether the chain has a single recurrent class (a unique stationary distribution;
    states in `exclude`, such as the first-round state, are left out of that question)."""
    n = len(M)
    reach = (M > 0) | np.eye(n, dtype=bool)
    while True:  # transitive closure by repeated squaring
        nxt = (reach.astype(np.int64) @ reach.astype(np.int64)) > 0
        if (nxt == reach).all():
            break
        reach = nxt
    comm = reach & reach.T
    classes: list[np.ndarray] = []
    seen = np.zeros(n, dtype=bool)
    for i in range(n):
        if not seen[i]:
            members = np.flatnonzero(comm[i])
            seen[members] = True
            classes.append(members)
    closed = [c for c in classes if not reach[c][:, ~np.isin(np.arange(n), c)].any()]
    recurrent = np.zeros(n, dtype=bool)
    for c in closed:
        recurrent[c] = True
    transient = np.flatnonzero(~recurrent)
    # probability of ending in each recurrent state's class, from the start
    if recurrent[start]:
        enter = np.zeros(n)
        enter[start] = 1.0
    else:
        t_index = {s: k for k, s in enumerate(transient)}
        Q = M[np.ix_(transient, transient)]
        Rm = M[np.ix_(transient, np.flatnonzero(recurrent))]
        H = np.linalg.solve(np.eye(len(transient)) - Q, Rm)
        enter = np.zeros(n)
        enter[np.flatnonzero(recurrent)] = H[t_index[start]]
    dist = np.zeros(n)
    for c in closed:
        mass = enter[c].sum()
        if mass <= 0:
            continue
        A = M[np.ix_(c, c)].T - np.eye(len(c))
        A[-1, :] = 1.0
        rhs = np.zeros(len(c))
        rhs[-1] = 1.0
        dist[c] += mass * np.linalg.solve(A, rhs)
    counted = [c for c in closed if not set(c.tolist()) <= set(exclude)]
    return dist, len(counted) == 1


def _variance(P: np.ndarray, nxt: np.ndarray, start: int, f: np.ndarray, turns: int | None,
              continuation: float | None) -> np.ndarray:
    """Exact variance (K,) of a player's total payoff (f: payoff per outcome) over N turns
    or over a game that goes on with probability w after each round."""
    K, n, _ = P.shape
    M = _transition(P, nxt)
    D = _transition(P * f, nxt)  # sum_o f_o Q_o
    r, r2 = P @ f, P @ (f * f)
    if turns is not None:
        # (m2, m1, 1)_k = [[M, 2D, r2], [0, M, r], [0, 0, 1]] (m2, m1, 1)_{k-1}
        A = np.zeros((K, 2 * n + 1, 2 * n + 1))
        A[:, :n, :n] = M
        A[:, :n, n:2 * n] = 2 * D
        A[:, :n, -1] = r2
        A[:, n:2 * n, n:2 * n] = M
        A[:, n:2 * n, -1] = r
        A[:, -1, -1] = 1.0
        z = np.linalg.matrix_power(A, turns)[:, :, -1]
        m2, m1 = z[:, start], z[:, n + start]
    else:
        w = float(continuation)  # type: ignore[arg-type]
        if w >= 1.0:
            raise InputError([Problem("continuation", "the variance of the total needs "
                                                      "w < 1 or a number of turns")])
        Id = np.eye(n)[None]
        g = np.linalg.solve(Id - w * M, r[..., None])[..., 0]
        h = np.linalg.solve(Id - w * M, (r2 + 2 * w * (D @ g[..., None])[..., 0])[..., None])
        m1, m2 = g[:, start], h[:, start, 0]
    return np.maximum(m2 - m1 * m1, 0.0)


def _rounds(turns: int | None, continuation: float | None) -> float | None:
    """Expected number of rounds (None for the long-run limit)."""
    if turns is not None:
        return float(turns)
    return None if continuation >= 1.0 else 1.0 / (1.0 - continuation)  # type: ignore[operator]


def _shares(counts: np.ndarray, turns, continuation) -> np.ndarray:
    rounds = _rounds(turns, continuation)
    return counts if rounds is None else counts / rounds


def tally(P: np.ndarray, nxt: np.ndarray, start: int, row: np.ndarray, turns: int | None,
          continuation: float | None, sd: bool
          ) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    """For K chains (P: (K, n, 4)), the expected share of rounds in each outcome (K, 4) from
    player 1's view (`_shares`), for w -> 1 the flags of a unique stationary distribution
    (else None), and with `sd` and a finite horizon the variances (K, 2) of both players'
    totals (`row`: player 1's payoff in each outcome; else None)."""
    counts, unique = _outcome_counts(P, nxt, start, turns, continuation)
    var = None
    if sd and _rounds(turns, continuation) is not None:
        var = np.stack([_variance(P, nxt, start, g, turns, continuation)
                        for g in (row, row[list(SWAP)])], axis=1)
    return _shares(counts, turns, continuation), unique, var
