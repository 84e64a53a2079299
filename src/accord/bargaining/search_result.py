"""`SearchResult`: what an exact search over deals returns (`accord.bargaining.search`, and
its one- and two-dimensional cases `accord.bargaining.line` and `.plane`). A leaf module, so
that the searches share it without importing each other."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction


@dataclass
class SearchResult:
    """The best value (exact; for nash the integer-exponent product, see `Objective`),
    its float, the deal (full option indices) and the parties' integer units there.
    `ties` (nash only) holds every distinct unit vector found at the best value with its
    first deal. `nodes` and `lps` count the work done.

    References: as `search` (Land & Doig 1960; Fisher 1981).
    """

    value: Fraction
    deal: tuple[int, ...]
    units: tuple[int, ...]
    nodes: int
    lps: int
    ties: dict[tuple[int, ...], tuple[int, ...]] = field(default_factory=dict)
