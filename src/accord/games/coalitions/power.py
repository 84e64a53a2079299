"""Voting power in weighted voting games [q; w_1, ..., w_n], exactly.

A coalition S wins when its weight w(S) = sum_{i in S} w_i reaches the quota q. Player i
is *pivotal* for S (i not in S) when S loses and S + i wins, that is when
q - w_i <= w(S) < q.

* Shapley-Shubik (1954): the share of the n! orderings of the players in which i is the
  pivot, SS_i = sum_{S not containing i, i pivotal for S} |S|! (n - |S| - 1)! / n!.
* Banzhaf (1965): swings eta_i = number of coalitions S not containing i for which i is
  pivotal. Normalised Banzhaf beta_i = eta_i / sum_j eta_j; absolute Banzhaf
  eta_i / 2^(n-1) (the probability that i swings when the others vote at random).

Method (`method="dp"`, the default): dynamic programming over weights. The number of
coalitions of each weight below the quota is the coefficient list of the truncated product
prod_i (1 + x^{w_i}) (with a second variable for the size when Shapley-Shubik needs it).
One pass builds the product over all players; each player is then divided out again
(c_{-i}[t] = c[t] - c_{-i}[t - w_i], exact in integers), and its swings are the counts in
the window [q - w_i, q - 1]. Cost O(n q) for Banzhaf and O(n^2 q) for Shapley-Shubik, in
exact integers (int64 while 2^n fits, Python integers beyond), so results are exact
`Fraction`s. Weights must be integers; decimals are scaled by their common denominator
(`weighted_voting_game` does it) and the quota is rounded up on the same scale, which
leaves the game unchanged.

`method="enumerate"` counts over all 2^n coalitions (n <= 25): the definition, kept as the
test oracle.

The UN Security Council, [39; 7 x 5, 1 x 10] (nine votes of fifteen with a veto for each
permanent member): Shapley-Shubik 421/2145 per permanent and 4/2145 per elected member;
swings 848 and 84; normalised Banzhaf 106/635 and 21/1270.

References: Shapley, L. S. and Shubik, M. (1954) A method for evaluating the distribution of
power in a committee system. American Political Science Review 48(3):787-792,
doi:10.2307/1951053. Banzhaf, J. F. (1965) Weighted voting doesn't work: a mathematical
analysis. Rutgers Law Review 19:317-343 (no DOI).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ...errors import InputError, Problem
from ..exact import exact_value, not_a_number

MAX_DP_CELLS = 50_000_000
"""Largest table (players x quota for Shapley-Shubik, quota for Banzhaf) the DP builds."""

MAX_ENUMERATE = 25
"""Most players `method="enumerate"` accepts (2^n coalitions)."""


@dataclass(frozen=True)
class WeightedVotingGame:
    """[quota; weights]: a coalition wins when its weight reaches the quota.

    `weights` and `quota` are integers on a common scale: the weights as given are
    `weights[i] / scale` and the quota as given lies in ((quota - 1) / scale, quota / scale].
    Build it with `weighted_voting_game`.
    """

    players: tuple[str, ...]
    weights: tuple[int, ...]
    quota: int
    scale: int = 1
    title: str = ""

    @property
    def n(self) -> int:
        return len(self.players)

    @property
    def total(self) -> int:
        return sum(self.weights)

    def wins(self, members: Sequence[str] | Sequence[int]) -> bool:
        """Whether a coalition (player ids or indices) wins."""
        idx = [self.players.index(m) if isinstance(m, str) else int(m) for m in members]
        return sum(self.weights[i] for i in set(idx)) >= self.quota

    @property
    def veto_players(self) -> tuple[str, ...]:
        """Players without whom no coalition wins (total - w_i < quota)."""
        return tuple(p for p, w in zip(self.players, self.weights, strict=True)
                     if self.total - w < self.quota)


def _fraction(x: object, where: str, problems: list[Problem]) -> Fraction | None:
    f = exact_value(x)
    if f is None:
        problems.append(Problem(where, not_a_number(x)))
    return f


def weighted_voting_game(weights: Mapping[str, object] | Sequence[object], quota: object,
                         players: Sequence[str] | None = None, title: str = "",
                         where: str = "", file: str | None = None) -> WeightedVotingGame:
    """Build [quota; weights] from numbers (ints, decimals, Fractions or strings like "1/3").

    `weights` is a mapping {player: weight} or a list (players then named by `players`, or
    p1..pn). Weights must be >= 0 and the quota in (0, total weight]. Decimal weights are
    scaled to integers by their common denominator. Raises `InputError` listing every
    problem, located under `where` (a path inside `file`).
    """
    pre = f"{where}." if where else ""
    problems: list[Problem] = []
    if isinstance(weights, Mapping):
        names = [str(k) for k in weights]
        raw = list(weights.values())
        if players is not None and list(players) != names:
            problems.append(Problem(f"{pre}players", "give the players once: as the keys of "
                                                     "weights or as a list beside a list of "
                                                     "weights"))
    else:
        raw = list(weights)
        names = list(players) if players is not None else [f"p{k + 1}" for k in range(len(raw))]
        if len(names) != len(raw):
            problems.append(Problem(f"{pre}players", f"{len(names)} players for {len(raw)} "
                                                     "weights"))
    if not raw:
        problems.append(Problem(f"{pre}weights", "give at least one player"))
    if len(set(names)) != len(names):
        dup = sorted({x for x in names if names.count(x) > 1})
        problems.append(Problem(f"{pre}players", f"duplicate players: {', '.join(dup)}"))
    ws: list[Fraction] = []
    for k, w in enumerate(raw):
        key = f"{pre}weights.{names[k]}" if isinstance(weights, Mapping) and k < len(names) \
            else f"{pre}weights[{k}]"
        f = _fraction(w, key, problems)
        if f is not None and f < 0:
            problems.append(Problem(key, f"a weight must be >= 0, got {w}"))
        ws.append(f if f is not None else Fraction(0))
    q = _fraction(quota, f"{pre}quota", problems)
    total = sum(ws, Fraction(0))
    if q is not None and ws:
        if q <= 0:
            problems.append(Problem(f"{pre}quota", f"the quota must be > 0 (got {quota}): "
                                                   "else the empty coalition wins"))
        elif q > total:
            problems.append(Problem(f"{pre}quota", f"the quota {quota} exceeds the total "
                                                   f"weight {_num(total)}: no coalition wins"))
    if problems:
        raise InputError([Problem(p.path, p.message, file) for p in problems])
    assert q is not None
    scale = math.lcm(*(w.denominator for w in ws), 1)
    iw = tuple(int(w * scale) for w in ws)
    iq = math.ceil(q * scale)
    return WeightedVotingGame(tuple(names), iw, iq, scale, title)


def _num(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else f"{float(x):g}"


# ---------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class PowerIndices:
    """Shapley-Shubik and Banzhaf indices of a weighted voting game, exact.

    `shapley_shubik`, `banzhaf` (normalised) and `banzhaf_absolute` are Fractions in player
    order; `swings` the Banzhaf swing counts; `pivots` = n! * Shapley-Shubik (the number of
    orderings in which each player is pivotal)."""

    game: WeightedVotingGame
    shapley_shubik: tuple[Fraction, ...]
    swings: tuple[int, ...]
    method: str

    @property
    def banzhaf(self) -> tuple[Fraction, ...]:
        total = sum(self.swings)
        return tuple(Fraction(s, total) if total else Fraction(0) for s in self.swings)

    @property
    def banzhaf_absolute(self) -> tuple[Fraction, ...]:
        return tuple(Fraction(s, 2 ** (self.game.n - 1)) for s in self.swings)

    @property
    def pivots(self) -> tuple[int, ...]:
        f = math.factorial(self.game.n)
        return tuple(int(x * f) for x in self.shapley_shubik)

    @property
    def dummies(self) -> tuple[str, ...]:
        """Players who are never pivotal (no power at all)."""
        return tuple(p for p, s in zip(self.game.players, self.swings, strict=True) if s == 0)

    def to_dict(self) -> dict:
        g = self.game
        players = list(g.players)

        def table(xs):
            return {p: float(x) for p, x in zip(players, xs, strict=True)}

        def exact(xs):
            return {p: str(x) for p, x in zip(players, xs, strict=True)}

        return {
            "quota": g.quota if g.scale == 1 else g.quota / g.scale,
            "weights": {p: w / g.scale if g.scale != 1 else w
                        for p, w in zip(players, g.weights, strict=True)},
            "total_weight": g.total / g.scale if g.scale != 1 else g.total,
            "veto_players": list(g.veto_players),
            "dummies": list(self.dummies),
            "shapley_shubik": table(self.shapley_shubik),
            "shapley_shubik_exact": exact(self.shapley_shubik),
            "banzhaf_swings": dict(zip(players, self.swings, strict=True)),
            "banzhaf": table(self.banzhaf),
            "banzhaf_exact": exact(self.banzhaf),
            "banzhaf_absolute": table(self.banzhaf_absolute),
            "banzhaf_absolute_exact": exact(self.banzhaf_absolute),
            "method": self.method,
        }


def power_indices(game: WeightedVotingGame, method: str = "dp") -> PowerIndices:
    """Shapley-Shubik and Banzhaf indices of `game` (see the module doc for the methods)."""
    if method == "dp":
        return PowerIndices(game, shapley_shubik(game), banzhaf_swings(game), "dp")
    if method == "enumerate":
        ss, sw = _enumerate(game)
        return PowerIndices(game, ss, sw, "enumerate")
    raise ValueError(f"unknown method {method!r}: use 'dp' or 'enumerate'")


def shapley_shubik(game: WeightedVotingGame, method: str = "dp") -> tuple[Fraction, ...]:
    """Shapley-Shubik index of each player, exact. DP cost O(n^2 q)."""
    if method == "enumerate":
        return _enumerate(game)[0]
    if method != "dp":
        raise ValueError(f"unknown method {method!r}: use 'dp' or 'enumerate'")
    n, q = game.n, game.quota
    _check_size(game, n * q)
    dtype = _dtype(n)
    # c[k, t]: coalitions of size k and weight t < q (all players)
    c = np.zeros((n + 1, q), dtype=dtype)
    c[0, 0] = 1
    for w in game.weights:
        if w < q:
            c[1:, w:] = c[1:, w:] + c[:-1, : q - w]
    coef = [math.factorial(k) * math.factorial(n - k - 1) for k in range(n)]
    nfact = math.factorial(n)
    out = []
    for w in game.weights:
        if w == 0:
            out.append(Fraction(0))
            continue
        d = _divide_out_sized(c, w, q)  # d[k, t]: coalitions of the others
        lo = max(0, q - w)
        window = d[:n, lo:q].sum(axis=1)
        num = sum(coef[k] * int(window[k]) for k in range(n))
        out.append(Fraction(num, nfact))
    return tuple(out)


def banzhaf(game: WeightedVotingGame, method: str = "dp", absolute: bool = False
            ) -> tuple[Fraction, ...]:
    """Banzhaf index of each player, exact: swings / all swings (normalised, default) or
    swings / 2^(n-1) (`absolute=True`)."""
    sw = banzhaf_swings(game, method)
    if absolute:
        return tuple(Fraction(x, 2 ** (game.n - 1)) for x in sw)
    total = sum(sw)
    return tuple(Fraction(x, total) if total else Fraction(0) for x in sw)


def banzhaf_swings(game: WeightedVotingGame, method: str = "dp") -> tuple[int, ...]:
    """Banzhaf swing count of each player, exact. DP cost O(n q)."""
    if method == "enumerate":
        return _enumerate(game)[1]
    if method != "dp":
        raise ValueError(f"unknown method {method!r}: use 'dp' or 'enumerate'")
    n, q = game.n, game.quota
    _check_size(game, q)
    c = np.zeros(q, dtype=_dtype(n))
    c[0] = 1
    for w in game.weights:
        if w < q:
            c[w:] = c[w:] + c[: q - w].copy()
    out = []
    for w in game.weights:
        if w == 0:
            out.append(0)
            continue
        d = c.copy()
        # c = d * (1 + x^w)  =>  d[t] = c[t] - d[t - w], block by block of w
        for s in range(w, q, w):
            e = min(q, s + w)
            d[s:e] = c[s:e] - d[s - w : e - w]
        lo = max(0, q - w)
        out.append(int(d[lo:q].sum()))
    return tuple(out)


def _divide_out_sized(c: np.ndarray, w: int, q: int) -> np.ndarray:
    """Undo one factor (1 + y x^w) of the size-and-weight product c[k, t]."""
    d = c.copy()
    if w >= q:
        return d  # the factor never entered the truncated table
    for k in range(1, c.shape[0]):
        d[k, w:] = c[k, w:] - d[k - 1, : q - w]
    return d


def _dtype(n: int):
    return np.int64 if n <= 62 else object


def _check_size(game: WeightedVotingGame, cells: int) -> None:
    if cells > MAX_DP_CELLS:
        raise InputError([Problem("weights", f"the quota on the integer weight scale is "
                                             f"{game.quota:,} with {game.n} players: the exact "
                                             "tables would be too large; round the weights "
                                             "to fewer digits")])


def _enumerate(game: WeightedVotingGame) -> tuple[tuple[Fraction, ...], tuple[int, ...]]:
    """The definitions over all 2^n coalitions (the test oracle)."""
    n = game.n
    if n > MAX_ENUMERATE:
        raise InputError([Problem("weights", f"{n} players: enumeration is limited to "
                                             f"{MAX_ENUMERATE}; use the DP method")])
    masks = np.arange(1 << n, dtype=np.int64)
    weight = np.zeros(1 << n, dtype=np.int64)
    size = np.zeros(1 << n, dtype=np.int64)
    for i, w in enumerate(game.weights):
        bit = (masks >> i) & 1
        weight += bit * w
        size += bit
    wins = weight >= game.quota
    nfact = math.factorial(n)
    coef = np.array([math.factorial(k) * math.factorial(n - k - 1) for k in range(n)],
                    dtype=object)
    ss, sw = [], []
    for i in range(n):
        without = masks[((masks >> i) & 1) == 0]
        pivotal = without[~wins[without] & wins[without | (1 << i)]]
        sw.append(len(pivotal))
        by_size = np.bincount(size[pivotal], minlength=n)[:n]
        ss.append(Fraction(int(sum(coef[k] * int(by_size[k]) for k in range(n))), nfact))
    return tuple(ss), tuple(sw)
