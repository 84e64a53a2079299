"""Independent brute-force oracle for small scenarios, in exact rational arithmetic.

It reads the scenario's raw numbers (not Accord's compiled arrays), enumerates every deal
with itertools.product and computes utilities as Fractions, so it shares no code with the
engine under test beyond the scenario models.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

from accord.scenario import Scenario


def dec(x) -> Fraction:
    """The decimal number as typed (Fraction('0.35')), not the binary float nearest to it."""
    return Fraction(repr(float(x)))


def utilities(scenario: Scenario) -> dict[tuple[int, ...], tuple[Fraction, ...]]:
    """Exact utility of every deal (option indices) for every actor."""
    issues = scenario.issues
    out = {}
    per_actor = []
    for actor in scenario.actors:
        sal = actor.salience or {i.id: 1 for i in issues}
        w = [dec(sal.get(i.id, 0)) for i in issues]
        total = sum(w)
        tables = []
        for i in issues:
            pref = actor.preferences.get(i.id)
            if pref is None:
                tables.append([Fraction(0)] * len(i.labels()))
            elif i.is_numeric:
                lo, hi = (dec(x) for x in i.range)
                ideal = dec(pref.ideal)
                n = len(i.labels()) - 1
                tables.append([100 * (1 - abs(lo + k * (hi - lo) / n - ideal) / (hi - lo))
                               for k in range(n + 1)])
            else:
                tables.append([dec(pref[o]) for o in i.labels()])
        terms = []
        for t in actor.interactions:
            a, b = (next(k for k, i in enumerate(issues) if i.id == x) for x in t.issues)
            table = {(issues[a].labels().index(oa), issues[b].labels().index(ob)): dec(v)
                     for oa, row in t.scores.items() for ob, v in row.items()}
            terms.append((a, b, dec(t.weight), table))
        total += sum(v for _, _, v, _ in terms)
        per_actor.append((w, total, tables, terms))
    for deal in itertools.product(*[range(len(i.labels())) for i in issues]):
        out[deal] = tuple(
            (sum(w[k] * t[k][o] for k, o in enumerate(deal))
             + sum(v * table[(deal[a], deal[b])] for a, b, v, table in terms)) / (100 * total)
            for w, total, t, terms in per_actor)
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
    # in decreasing lexicographic order a vector can only be dominated by an earlier one,
    # and (by transitivity) then by an earlier kept one
    kept: list[tuple] = []
    for v in sorted(vecs, reverse=True):
        if not any(all(x >= y for x, y in zip(w, v, strict=True)) for w in kept):
            kept.append(v)
    return {v: vecs[v] for v in kept}


def zopa(us: dict, parties: list[int], batna: list[Fraction]) -> list[tuple[int, ...]]:
    return [d for d, u in us.items() if all(u[p] >= batna[p] for p in parties)]
