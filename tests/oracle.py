"""Independent brute-force oracle for small scenarios, in exact rational arithmetic.

It reads the scenario's raw numbers (not Accord's compiled arrays), enumerates every deal
with itertools.product and computes utilities as Fractions, so it shares no code with the
engine under test beyond the scenario models.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

from accord.scenario import Scenario


def utilities(scenario: Scenario) -> dict[tuple[int, ...], tuple[Fraction, ...]]:
    """Exact utility of every deal (option indices) for every actor."""
    issues = scenario.issues
    out = {}
    per_actor = []
    for actor in scenario.actors:
        sal = actor.salience or {i.id: 1 for i in issues}
        w = [Fraction(sal.get(i.id, 0)) for i in issues]
        total = sum(w)
        tables = []
        for i in issues:
            pref = actor.preferences.get(i.id)
            if pref is None:
                tables.append([Fraction(0)] * len(i.labels()))
            elif i.is_numeric:
                lo, hi = (Fraction(x) for x in i.range)
                ideal = Fraction(pref.ideal)
                tables.append([100 * (1 - abs(Fraction(x) - ideal) / (hi - lo))
                               for x in i.labels()])
            else:
                tables.append([Fraction(pref[o]) for o in i.labels()])
        per_actor.append((w, total, tables))
    for deal in itertools.product(*[range(len(i.labels())) for i in issues]):
        out[deal] = tuple(sum(w[k] * t[k][o] for k, o in enumerate(deal)) / (100 * total)
                          for w, total, t in per_actor)
    return out


def dominates(a: tuple, b: tuple) -> bool:
    return all(x >= y for x, y in zip(a, b, strict=True)) and a != b


def frontier(us: dict, parties: list[int]) -> dict[tuple, tuple[int, ...]]:
    """{utility vector of the parties: lexicographically smallest deal} over Pareto-optimal
    deals, by comparing every pair."""
    vecs = {}
    for deal in sorted(us):
        v = tuple(us[deal][p] for p in parties)
        vecs.setdefault(v, deal)
    return {v: d for v, d in vecs.items() if not any(dominates(w, v) for w in vecs)}


def zopa(us: dict, parties: list[int], batna: list[Fraction]) -> list[tuple[int, ...]]:
    return [d for d, u in us.items() if all(u[p] >= batna[p] for p in parties)]
