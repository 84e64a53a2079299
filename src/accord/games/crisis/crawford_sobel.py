"""Cheap talk (Crawford and Sobel 1982): how much an adviser with a bias can tell.

The uniform-quadratic game. A sender knows the state theta ~ U[0, 1] and sends a costless
message; the receiver then chooses an action y. The receiver's payoff is -(y - theta)^2, the
sender's -(y - theta - b)^2: the sender wants an action b higher than the receiver does.
Every equilibrium partitions [0, 1] into intervals; the sender says which interval theta
is in and the receiver takes its midpoint. With N intervals the boundaries are

    a_i = i / N + 2 b i (i - N),   i = 0 .. N,

(each interval is 4b longer than the one before, so that the boundary type a_i is
indifferent between the two neighbouring actions), and such an equilibrium exists iff
a_1 > 0, i.e. 2 b N (N - 1) < 1. The most informative equilibrium has

    N(b) = ceil(-1/2 + 1/2 sqrt(1 + 2 / b))

messages; for b >= 1/4 only the babbling equilibrium (N = 1) is left. Expected payoffs:
the receiver gets -sum_i (a_i - a_{i-1})^3 / 12 = -1 / (12 N^2) - b^2 (N^2 - 1) / 3, the
sender that minus b^2. A negative bias mirrors the partition (intervals shrink by 4|b|).

Reading for Track II: an unofficial interlocutor transmits more precise information the
closer its interests are to the listener's.

All arithmetic is exact (fractions of the decimal inputs); results are floats.

Crawford, V. P. and Sobel, J. (1982) Strategic information transmission. Econometrica
50(6):1431-1451. doi:10.2307/1913390
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from ...errors import InputError, Problem
from .checks import exact

MAX_MESSAGES = 10_000
"""The partition is listed in full, so a bias so small that it needs more messages than this
is refused (|b| below about 5e-9)."""


@dataclass(frozen=True)
class PartitionEquilibrium:
    """One partition equilibrium: its number of messages and expected payoffs."""

    messages: int
    receiver_utility: float
    sender_utility: float

    def to_dict(self) -> dict:
        return {"messages": self.messages, "receiver_utility": self.receiver_utility,
                "sender_utility": self.sender_utility}


@dataclass(frozen=True)
class CheapTalk:
    """The most informative equilibrium of the uniform-quadratic Crawford-Sobel game.

    `boundaries` are a_0 = 0 < a_1 < ... < a_N = 1, `cuts` the interior ones, `actions` the
    receiver's action (the midpoint) after each message; `equilibria` lists the payoffs of
    the equilibria with 1 .. N messages (more messages are better for both).
    """

    b: float
    messages: int
    informative: bool
    boundaries: tuple[float, ...]
    actions: tuple[float, ...]
    receiver_utility: float
    sender_utility: float
    equilibria: tuple[PartitionEquilibrium, ...]

    @property
    def cuts(self) -> tuple[float, ...]:
        return self.boundaries[1:-1]

    def to_dict(self) -> dict:
        return {"b": self.b, "messages": self.messages, "informative": self.informative,
                "cuts": list(self.cuts), "boundaries": list(self.boundaries),
                "actions": list(self.actions), "receiver_utility": self.receiver_utility,
                "sender_utility": self.sender_utility,
                "equilibria": [e.to_dict() for e in self.equilibria]}


def max_messages(b: float | Fraction) -> int:
    """N(b) = ceil(-1/2 + 1/2 sqrt(1 + 2/|b|)): the largest N with 2 |b| N (N - 1) < 1.

    Computed exactly (the float formula can be one off where 2/b + 1 is a perfect square,
    e.g. b = 1/4 or 1/12). Cost O(1).
    """
    bb = abs(exact(b, "b"))
    if bb == 0:
        raise InputError([Problem("b", "a bias of 0 means no conflict of interest: the sender "
                                       "reveals the state fully, with no finite partition")])
    # N (N - 1) < 1 / (2|b|)  <=>  N (N - 1) <= K, the largest integer below 1 / (2|b|)
    limit = 1 / (2 * bb)
    k = math.ceil(limit) - 1
    n = (1 + math.isqrt(1 + 4 * k)) // 2
    assert n * (n - 1) <= k < (n + 1) * n
    return max(1, n)


def partition(b: float | Fraction, n: int) -> list[Fraction]:
    """Boundaries a_i = i/N + 2 b i (i - N), i = 0..N, of the N-message equilibrium (exact).

    Raises `InputError` when no equilibrium has N messages (2 |b| N (N - 1) >= 1).
    """
    bb = exact(b, "b")
    if n < 1 or (n > 1 and 2 * abs(bb) * n * (n - 1) >= 1):
        raise InputError([Problem("messages", f"no equilibrium has {n} messages for b = {b}")])
    return [Fraction(i, n) + 2 * bb * i * (i - n) for i in range(n + 1)]


def _receiver(bounds: list[Fraction]) -> Fraction:
    return -sum((hi - lo) ** 3 for lo, hi in zip(bounds, bounds[1:], strict=False)) / 12


def cheap_talk(b: float) -> CheapTalk:
    """The most informative partition equilibrium of uniform-quadratic cheap talk with bias b.

    Formula: N(b) = ceil(-1/2 + 1/2 sqrt(1 + 2/b)) messages, boundaries
    a_i = i/N + 2 b i (i - N); receiver's expected utility -sum (a_i - a_{i-1})^3 / 12,
    sender's that minus b^2. Example: b = 0.1 -> 2 messages, cut at 0.3; b = 0.05 -> 3,
    cuts 2/15 and 7/15; b >= 1/4 -> babbling only. Cost O(N(b)), N(b) ~ 1/sqrt(2|b|).

    Crawford, V. and Sobel, J. (1982) Strategic information transmission. Econometrica
    50(6):1431-1451.
    """
    bb = exact(b, "b")
    n = max_messages(bb)
    if n > MAX_MESSAGES:
        raise InputError([Problem("b", f"a bias this small needs {n} messages; at most "
                                       f"{MAX_MESSAGES} are listed (use |b| >= 5e-9)")])
    bounds = partition(bb, n)
    receiver = _receiver(bounds)
    equilibria = []
    for k in range(1, n + 1):  # closed form of -sum (a_i - a_{i-1})^3 / 12
        r = receiver if k == n else -Fraction(1, 12 * k * k) - bb * bb * (k * k - 1) / 3
        equilibria.append(PartitionEquilibrium(k, float(r), float(r - bb * bb)))
    return CheapTalk(
        b=float(bb), messages=n, informative=n > 1,
        boundaries=tuple(float(a) for a in bounds),
        actions=tuple(float((lo + hi) / 2) for lo, hi in zip(bounds, bounds[1:], strict=False)),
        receiver_utility=float(receiver), sender_utility=float(receiver - bb * bb),
        equilibria=tuple(equilibria),
    )
