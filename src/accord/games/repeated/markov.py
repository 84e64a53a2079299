"""The repeated prisoner's dilemma, computed exactly: strategies, matches, round-robin
tournaments, equilibrium checks and the closed-form thresholds of cooperation.

Two players meet round after round. Each round both choose C (cooperate) or D (defect) at
once and get, from the point of view of the row player, R for CC, S for CD, T for DC and P
for DD (T > R > P > S; Axelrod's 5/3/1/0 by default). The game lasts either a fixed number
of `turns` (Axelrod's tournaments: 200) or, after every round, goes on with probability
`continuation` w (the "shadow of the future"; an expected total of sum_t w^(t-1) * payoff_t,
which is also the discounted value with discount factor w). `continuation=1` asks for the
long-run average payoff per round, the limit w -> 1. With `noise` e each intended move is
flipped with probability e, and both players see (and react to) the realised moves, as in
the `axelrod` library.

Strategies
----------
A strategy is a small automaton: a set of states, the probability of (intending to)
cooperate in each, a start state, and the next state after each outcome (CC, CD, DC, DD,
own move first). Memory-one strategies are given by their 4-vector
`(p_CC, p_CD, p_DC, p_DD)`, the probability of cooperating after each outcome of the last
round, and the probability `first` of cooperating in round one. `STRATEGIES` lists the named
ones; `strategy("gtft:0.2")`, `strategy("random:0.3")` and `strategy("m1:1/0.1/1/0.1/1")`
build parametrised and custom ones.

About grim trigger: `grim` is the real thing (Friedman's grim trigger, `axelrod.Grudger`):
it cooperates until the opponent's first (realised) defection and defects for ever after,
whatever the noise does to its own moves. That needs one bit of memory beyond the last
round, so it is a two-state automaton, not a 4-vector. `grim-m1` is the memory-one rule
(1, 0, 0, 0), "cooperate only after mutual cooperation": without noise it plays exactly
like grim against every opponent (once it defects it can never see CC again); with noise
it differs (a flipped move of its own also triggers it, and a lucky CC makes it forgive).

Exact computation
-----------------
A match of two automata is a Markov chain on their joint states; for two memory-one
strategies it is the 4-state chain of the last round's outcome, with the first round's
outcome drawn from the two `first` probabilities (noise applied to the intended moves,
first round included). With M the transition matrix and v1 the distribution of the first
round's outcome (row vectors), the expected number of rounds spent in each outcome is

* `sum_{t=0}^{N-1} v1 M^t` for N turns (a power of a block matrix, O(n^3 log N));
* `v1 (I - w M)^-1` for continuation probability w (one linear solve);
* the Cesaro limit of `v1 M^t` for w -> 1: the stationary distribution when it is unique,
  and otherwise the stationary distributions of the recurrent classes weighted by the
  probability of reaching each from the first round.

Payoffs, cooperation rates and winners follow linearly. Nothing is simulated; `simulate`
is there as the oracle. A round robin of 20 memory-one strategies (210 matches) is a batch
of 210 such computations in numpy.

References: Axelrod (1980) J. Conflict Resolution 24(1):3-25 and (1984) *The Evolution of
Cooperation*; Nowak & Sigmund (1992) Nature 355:250 (generous TFT) and (1993) Nature 364:56
(win-stay lose-shift); Press & Dyson (2012) PNAS 109:10409 (the memory-one Markov chain).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from ...budget import Budget, check
from ...errors import InputError, Problem

OUTCOMES = ("CC", "CD", "DC", "DD")
"""Outcomes of a round from one player's point of view: own move first."""
SWAP = (0, 2, 1, 3)
"""The same outcome seen by the other player."""
DEFAULT_TURNS = 200
_TOL = 1e-9


# --- payoffs and thresholds ---------------------------------------------------------------


@dataclass(frozen=True)
class Payoffs:
    """Prisoner's dilemma payoffs: Temptation, Reward, Punishment, Sucker (T > R > P > S)."""

    T: float = 5.0
    R: float = 3.0
    P: float = 1.0
    S: float = 0.0

    def __post_init__(self) -> None:
        problems = []
        for k in ("T", "R", "P", "S"):
            v = getattr(self, k)
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
                problems.append(Problem(f"payoffs.{k}", f"must be a finite number, not {v!r}"))
        if not problems and not (self.T > self.R > self.P > self.S):
            problems.append(Problem("payoffs", "a prisoner's dilemma needs T > R > P > S "
                                               f"(got T={self.T:g}, R={self.R:g}, "
                                               f"P={self.P:g}, S={self.S:g})"))
        if problems:
            raise InputError(problems)

    @property
    def row(self) -> np.ndarray:
        """The payoff of a player in each outcome CC, CD, DC, DD (own move first)."""
        return np.array([self.R, self.S, self.T, self.P], dtype=float)

    @property
    def alternation_beats_cooperation(self) -> bool:
        """True when 2R <= T + S: taking turns to exploit each other pays at least as well
        as mutual cooperation (outside the usual iterated-PD assumption 2R > T + S)."""
        return 2 * self.R <= self.T + self.S

    def to_dict(self) -> dict[str, float]:
        return {"T": self.T, "R": self.R, "P": self.P, "S": self.S}


def grim_threshold(payoffs: Payoffs | None = None) -> float:
    """The smallest continuation probability w at which grim trigger sustains mutual
    cooperation (no profitable deviation, without noise): w >= (T - R) / (T - P).
    Against grim, defecting now yields T + w P / (1 - w) at best, cooperating R / (1 - w).
    5/3/1/0 -> 1/2."""
    p = payoffs or Payoffs()
    return (p.T - p.R) / (p.T - p.P)


def tft_threshold(payoffs: Payoffs | None = None) -> float:
    """The smallest w at which tit-for-tat is collectively stable (no strategy does better
    against TFT than TFT itself; Axelrod 1984, proposition 2), without noise:
    w >= max((T - R) / (T - P), (T - R) / (R - S)). The first bound stops always-defect,
    the second stops alternating D and C. 5/3/1/0 -> 2/3."""
    p = payoffs or Payoffs()
    return max((p.T - p.R) / (p.T - p.P), (p.T - p.R) / (p.R - p.S))


def as_fraction(x: float, max_denominator: int = 1000) -> str | None:
    """`x` as a short fraction ("2/3") when it is one to 1e-12, else None."""
    f = Fraction(x).limit_denominator(max_denominator)
    return str(f) if abs(float(f) - x) < 1e-12 else None


# --- strategies ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Strategy:
    """A repeated-game strategy as an automaton.

    `coop[s]` is the probability of intending to cooperate in state `s`; `transitions[s][o]`
    the state after outcome `o` (0..3 = CC, CD, DC, DD, own move first, as realised after
    noise); `start` the state of round one. Memory-one strategies also carry their
    4-vector and first-move probability (states 0..3 are the last outcome, state 4 the
    start)."""

    name: str
    coop: tuple[float, ...]
    transitions: tuple[tuple[int, int, int, int], ...]
    start: int = 0
    vector: tuple[float, float, float, float] | None = None
    first: float | None = None
    description: str = ""
    states: tuple[str, ...] = ()

    @property
    def memory_one(self) -> bool:
        return self.vector is not None

    @property
    def deterministic(self) -> bool:
        return all(c in (0.0, 1.0) for c in self.coop)

    @property
    def n_states(self) -> int:
        return len(self.coop)

    def to_dict(self) -> dict:
        d: dict = {"name": self.name, "description": self.description,
                   "memory_one": self.memory_one}
        if self.vector is not None:
            d["vector"] = list(self.vector)
            d["first"] = self.first
        else:
            d["states"] = list(self.states) or list(range(self.n_states))
            d["cooperate"] = list(self.coop)
            d["transitions"] = [list(t) for t in self.transitions]
            d["start"] = self.start
        return d


def memory_one(name: str, vector: Sequence[float], first: float = 1.0,
               description: str = "") -> Strategy:
    """A memory-one strategy: `vector` = (p_CC, p_CD, p_DC, p_DD), the probability of
    cooperating after each outcome of the last round (own move first), and `first`, the
    probability of cooperating in round one."""
    v = tuple(float(x) for x in vector)
    problems = []
    if len(v) != 4:
        problems.append(Problem("vector", f"{name}: a memory-one strategy needs 4 "
                                          f"probabilities (p_CC, p_CD, p_DC, p_DD), got "
                                          f"{len(v)}"))
    if any(not (0.0 <= x <= 1.0) or math.isnan(x) for x in (*v, float(first))):
        problems.append(Problem("vector", f"{name}: probabilities must lie in [0, 1]"))
    if problems:
        raise InputError(problems)
    return Strategy(name=name, coop=(*v, float(first)), transitions=((0, 1, 2, 3),) * 5,
                    start=4, vector=v, first=float(first),  # type: ignore[arg-type]
                    description=description,
                    states=("after CC", "after CD", "after DC", "after DD", "first round"))


def grim(name: str = "grim") -> Strategy:
    """Grim trigger: cooperate until the opponent defects once, then defect for ever."""
    # state 0 calm, 1 triggered; an opponent's D (outcomes CD, DD) triggers
    return Strategy(name=name, coop=(1.0, 0.0), transitions=((0, 1, 0, 1), (1, 1, 1, 1)),
                    description="cooperates until the opponent's first defection, then "
                                "defects for ever (two states; not memory-one under noise)",
                    states=("calm", "triggered"))


def tit_for_k_tats(k: int, name: str | None = None) -> Strategy:
    """Defect only after `k` defections of the opponent in a row (k = 2: tit for two
    tats, which forgives isolated defections)."""
    # state j = the opponent's trailing run of defections, capped at k
    trans = tuple(tuple(min(j + 1, k) if o in (1, 3) else 0 for o in range(4))
                  for j in range(k + 1))
    return Strategy(name=name or f"tf{k}t", coop=(1.0,) * k + (0.0,),
                    transitions=trans,  # type: ignore[arg-type]
                    description=f"defects only after {k} defections of the opponent in a "
                                "row",
                    states=tuple(f"{j} D in a row" for j in range(k + 1)))


def window_tft(k: int, name: str | None = None) -> Strategy:
    """Defect if the opponent defected in any of its last `k` moves (k = 2: two tits for
    tat; k = 3: hard tit-for-tat; k = 1 is tit-for-tat)."""
    # state 0: no D among the opponent's last k moves; state j >= 1: last D j moves ago
    trans = []
    for j in range(k + 1):
        after_c = 0 if j in (0, k) else j + 1
        trans.append(tuple(1 if o in (1, 3) else after_c for o in range(4)))
    return Strategy(name=name or f"window-tft:{k}", coop=(1.0,) + (0.0,) * k,
                    transitions=tuple(trans),  # type: ignore[arg-type]
                    description=f"defects if the opponent defected in any of its last {k} "
                                "moves",
                    states=("no recent D", *[f"D {j} ago" for j in range(1, k + 1)]))


def contrite_tft(name: str = "ctft") -> Strategy:
    """Contrite tit-for-tat (Sugden 1986; Boyd 1989; Wu & Axelrod 1995), by standing.

    Each player is in good standing at first; one who defects falls into bad standing
    unless the defection was a justified punishment (it was in good standing and its
    opponent in bad standing); cooperating restores good standing. CTFT defects only when
    it is in good standing and its opponent in bad standing. After its own mistake it
    accepts one round of punishment instead of echoing it, so unlike TFT it can be an
    equilibrium under noise. (The `axelrod` library's ContriteTitForTat instead knows its
    own intended moves; without noise both are TFT.)"""
    trans = []
    for s in range(4):  # s = 2 * (self bad) + (opponent bad)
        me_bad, op_bad = divmod(s, 2)
        row = []
        for o in range(4):
            x, y = divmod(o, 2)  # 1 = defected (realised)
            me = 0 if x == 0 or (not me_bad and op_bad) else 1
            op = 0 if y == 0 or (not op_bad and me_bad) else 1
            row.append(2 * me + op)
        trans.append(tuple(row))
    return Strategy(name=name, coop=(1.0, 0.0, 1.0, 1.0),
                    transitions=tuple(trans),  # type: ignore[arg-type]
                    description="contrite tit-for-tat: punishes a defection once, and "
                                "accepts punishment after its own (standing-based)",
                    states=("both good", "other bad", "self bad", "both bad"))


def gtft_generosity(payoffs: Payoffs | None = None) -> float:
    """Nowak & Sigmund's generosity: min(1 - (T-R)/(R-S), (R-P)/(T-P)), 1/3 for 5/3/1/0."""
    p = payoffs or Payoffs()
    return max(0.0, min(1 - (p.T - p.R) / (p.R - p.S), (p.R - p.P) / (p.T - p.P)))


def _m1(vector, first, description):
    return lambda name, payoffs, arg: memory_one(name, vector, first, description)


def _gtft(name: str, payoffs: Payoffs, arg: float | None) -> Strategy:
    g = gtft_generosity(payoffs) if arg is None else arg
    return memory_one(name, (1, g, 1, g), 1, f"tit-for-tat that forgives a defection with "
                                             f"probability {g:.4g}")


def _random(name: str, payoffs: Payoffs, arg: float | None) -> Strategy:
    p = 0.5 if arg is None else arg
    return memory_one(name, (p, p, p, p), p, f"cooperates with probability {p:g}, round "
                                             "one included")


_LIBRARY = {
    "allc": _m1((1, 1, 1, 1), 1, "always cooperates"),
    "alld": _m1((0, 0, 0, 0), 0, "always defects"),
    "tft": _m1((1, 0, 1, 0), 1, "tit-for-tat: cooperates first, then copies the opponent's "
                                "last move"),
    "stft": _m1((1, 0, 1, 0), 0, "suspicious tit-for-tat: defects first, then copies"),
    "gtft": _gtft,
    "wsls": _m1((1, 0, 0, 1), 1, "win-stay lose-shift (Pavlov): repeats its move after R "
                                 "or T, switches after S or P"),
    "grim-m1": _m1((1, 0, 0, 0), 1, "memory-one grim: cooperates only after mutual "
                                    "cooperation (= grim without noise)"),
    "random": _random,
    "alternator": _m1((0, 0, 1, 1), 1, "alternates C, D, C, ... (reacts to its own last "
                                       "move)"),
    "bully": _m1((0, 1, 0, 1), 0, "reverse tit-for-tat: defects first, then plays the "
                                  "opposite of the opponent's last move"),
    "fbf": _m1((1, 0, 1, 2 / 3), 1, "firm but fair: cooperates except after being the "
                                    "sucker, and after DD with probability 2/3"),
    "joss": _m1((0.9, 0, 0.9, 0), 1, "Joss (Axelrod 1980): tit-for-tat that defects 10% "
                                     "of the time instead of cooperating"),
    "grofman": _m1((1, 2 / 7, 2 / 7, 1), 1, "Grofman (Axelrod 1980): cooperates after a "
                                            "matched round, else with probability 2/7"),
    "grim": lambda name, payoffs, arg: grim(name),
    "tf2t": lambda name, payoffs, arg: tit_for_k_tats(2, name),
    "ttft": lambda name, payoffs, arg: window_tft(2, name),
    "hard-tft": lambda name, payoffs, arg: window_tft(3, name),
    "ctft": lambda name, payoffs, arg: contrite_tft(name),
}
_ALIASES = {
    "always-cooperate": "allc", "cooperator": "allc", "all-c": "allc",
    "always-defect": "alld", "defector": "alld", "all-d": "alld",
    "tit-for-tat": "tft", "titfortat": "tft",
    "suspicious-tft": "stft", "suspicious-tit-for-tat": "stft",
    "generous-tft": "gtft", "generous-tit-for-tat": "gtft",
    "win-stay-lose-shift": "wsls", "pavlov": "wsls",
    "grim-trigger": "grim", "grudger": "grim",
    "tit-for-two-tats": "tf2t", "two-tits-for-tat": "ttft",
    "hard-tit-for-tat": "hard-tft", "contrite-tft": "ctft", "contrite-tit-for-tat": "ctft",
    "firm-but-fair": "fbf", "reverse-tft": "bully",
}
_PARAMETRISED = {"gtft", "random"}
STRATEGIES: tuple[str, ...] = tuple(_LIBRARY)
"""Names of the built-in strategies (aliases such as `tit-for-tat` also work)."""
MEMORY_ONE: tuple[str, ...] = ("allc", "alld", "tft", "stft", "gtft", "wsls", "grim-m1",
                               "random", "alternator", "bully", "fbf", "joss", "grofman")
DEFAULT_STRATEGIES: tuple[str, ...] = ("tft", "gtft", "wsls", "grim", "ctft", "tf2t", "allc",
                                       "alld", "random")


def strategy(spec: str | Strategy, payoffs: Payoffs | None = None,
             custom: dict[str, Strategy] | None = None, where: str = "strategies") -> Strategy:
    """A strategy by name: a built-in (`STRATEGIES`, aliases allowed), `gtft:G` (generosity
    G), `random:P`, `m1:pCC/pCD/pDC/pDD[/first]` (a custom memory-one rule), or a name in
    `custom`. Raises `InputError` for an unknown name, naming the close ones."""
    if isinstance(spec, Strategy):
        return spec
    payoffs = payoffs or Payoffs()
    text = str(spec).strip()
    if custom and text in custom:
        return custom[text]
    base, sep, arg = text.partition(":")
    key = base.strip().lower().replace("_", "-").replace(" ", "-")
    key = _ALIASES.get(key, key)
    if key == "m1" and sep:
        try:
            vals = [float(x) for x in arg.split("/")]
        except ValueError:
            vals = []
        if len(vals) not in (4, 5):
            raise InputError([Problem(where, f"'{text}': write a memory-one rule as "
                                             "m1:pCC/pCD/pDC/pDD or m1:pCC/pCD/pDC/pDD/first")])
        try:
            return memory_one(text, vals[:4], vals[4] if len(vals) == 5 else 1.0,
                              "custom memory-one rule")
        except InputError as exc:
            raise InputError([Problem(where, p.message) for p in exc.problems]) from None
    if key not in _LIBRARY:
        import difflib

        known = sorted([*_LIBRARY, *(custom or {})])
        near = difflib.get_close_matches(key, known + sorted(_ALIASES), n=3)
        hint = f" (did you mean {', '.join(near)}?)" if near else ""
        raise InputError([Problem(where, f"unknown strategy '{text}'{hint}; known: "
                                         f"{', '.join(known)}, and m1:a/b/c/d[/first]")])
    value: float | None = None
    if sep:
        if key not in _PARAMETRISED:
            raise InputError([Problem(where, f"'{text}': only gtft:G and random:P take a "
                                             "parameter")])
        try:
            value = float(arg)
        except ValueError:
            value = math.nan
        if not (0.0 <= value <= 1.0):
            raise InputError([Problem(where, f"'{text}': the parameter is a probability in "
                                             "[0, 1]")])
    name = key if not sep else f"{key}:{arg.strip()}"
    return _LIBRARY[key](name, payoffs, value)


def strategies(specs: Iterable[str | Strategy], payoffs: Payoffs | None = None,
               custom: dict[str, Strategy] | None = None,
               where: str = "strategies") -> list[Strategy]:
    """Several strategies (see `strategy`); every unknown name reported at once, and
    duplicate names refused."""
    out, problems, seen = [], [], set()
    for k, s in enumerate(specs):
        try:
            st = strategy(s, payoffs, custom, f"{where}[{k}]")
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        if st.name in seen:
            problems.append(Problem(f"{where}[{k}]", f"strategy '{st.name}' is listed twice"))
        seen.add(st.name)
        out.append(st)
    if problems:
        raise InputError(problems)
    if not out:
        raise InputError([Problem(where, "give at least one strategy")])
    return out


# --- the exact engine -------------------------------------------------------------------


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


# --- matches ------------------------------------------------------------------------------


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


def _shares(counts: np.ndarray, turns, continuation) -> np.ndarray:
    rounds = _rounds(turns, continuation)
    return counts if rounds is None else counts / rounds


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
    counts, unique = _outcome_counts(P[None], nxt, start, turns, continuation)
    share = _shares(counts[0], turns, continuation)
    f = payoffs.row
    scores = (float(share @ f), float(share @ f[list(SWAP)]))
    rounds = _rounds(turns, continuation)
    totals = None if rounds is None else (scores[0] * rounds, scores[1] * rounds)
    dev = None
    if sd and rounds is not None:
        var = [_variance(P[None], nxt, start, g, turns, continuation)[0]
               for g in (f, f[list(SWAP)])]
        dev = (math.sqrt(var[0]), math.sqrt(var[1]))
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


# --- tournaments --------------------------------------------------------------------------


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
    counts = np.zeros((n, n, 4))  # outcome counts of i against j, i's view
    unique = np.ones((n, n), dtype=bool) if continuation == 1.0 else None
    long_run = continuation is not None and continuation >= 1.0
    var = np.zeros((n, n)) if sd and not long_run else None  # no total in the long run
    m1 = [i for i, s in enumerate(strats) if s.memory_one]
    pairs = [(i, j) for i in m1 for j in m1 if i <= j]
    if pairs:
        ii = np.array([p[0] for p in pairs])
        jj = np.array([p[1] for p in pairs])
        V = np.zeros((n, 5))
        for i in m1:
            V[i] = strats[i].coop
        P = _m1_tables(V[ii], V[jj], noise)
        c, u = _outcome_counts(P, _M1_NEXT, _M1_START, turns, continuation)
        counts[ii, jj] = c
        counts[jj, ii] = c[:, list(SWAP)]
        if unique is not None and u is not None:
            unique[ii, jj] = unique[jj, ii] = u
        if var is not None:
            var[ii, jj] = _variance(P, _M1_NEXT, _M1_START, f, turns, continuation)
            var[jj, ii] = _variance(P, _M1_NEXT, _M1_START, f[list(SWAP)], turns, continuation)
    done = set(pairs)
    total = n * (n + 1) // 2
    advice = "give fewer --strategies, or ones with shorter memory"
    for i in range(n):
        for j in range(i, n):
            if (i, j) in done:
                continue
            check(budget, len(done), total, "strategy pairs", advice)
            done.add((i, j))
            P, nxt, start = _pair_tables(strats[i], strats[j], noise)
            c, u = _outcome_counts(P[None], nxt, start, turns, continuation)
            counts[i, j] = c[0]
            counts[j, i] = c[0][list(SWAP)]
            if unique is not None and u is not None:
                unique[i, j] = unique[j, i] = u[0]
            if var is not None:
                var[i, j] = _variance(P[None], nxt, start, f, turns, continuation)[0]
                var[j, i] = _variance(P[None], nxt, start, f[list(SWAP)], turns,
                                      continuation)[0]
    share = _shares(counts, turns, continuation)
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


# --- best responses and equilibria --------------------------------------------------------


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


# --- simulation (the oracle) --------------------------------------------------------------


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
