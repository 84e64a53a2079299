"""The coalition game of a scenario, with transferable utility: v(S) = the largest total gain
over their BATNAs that the members of S can secure with a deal each of them accepts, so
that a mediator's credit and leverage come out of the scenario's own data (see
`scenario_game`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ...budget import Budget, check
from ...errors import InputError, Problem
from ..exact import exact_value
from .tu import TUGame, tu_game

MAX_SCENARIO_ACTORS = 12
"""Most actors `scenario_game` builds a game over (2^n coalitions, one search each)."""


@dataclass(frozen=True)
class CoalitionDeal:
    """What one coalition can do: its value and the deal that reaches it (None when no deal
    is acceptable to all its members, or it lacks a veto actor)."""

    coalition: tuple[str, ...]
    value: float
    exact: Fraction | None
    deal: dict[str, str | float] | None
    gains: dict[str, float] | None
    reason: str = ""

    def to_dict(self) -> dict:
        return {"coalition": list(self.coalition), "value": self.value,
                "exact": None if self.exact is None else str(self.exact),
                "deal": self.deal, "gains": self.gains,
                **({"reason": self.reason} if self.reason else {})}


@dataclass(frozen=True, eq=False)
class ScenarioGame:
    """The TU game of a scenario and, per coalition, the deal behind its value."""

    game: TUGame
    deals: dict[int, CoalitionDeal]
    veto: tuple[str, ...]
    respect_veto: bool


SCENARIO_METHODS = ("auto", "direct", "frontier")


def scenario_game(space, actors: Sequence[str] | None = None, respect_veto: bool = True,
                  max_actors: int = MAX_SCENARIO_ACTORS, budget: Budget | None = None,
                  method: str = "auto") -> ScenarioGame:
    """The coalition game of a scenario, with transferable utility.

    v(S) = max over deals that every member of S accepts (U_i >= BATNA_i) of
    sum_{i in S} (U_i - BATNA_i): the largest total gain the members can secure together.
    Members outside S keep their BATNAs and are not counted: they get nothing from S's
    deal. A single actor is worth 0 (alone it has its BATNA), and so is a coalition with no
    acceptable deal. With `respect_veto` (default), a coalition that leaves out an actor
    with a veto (among `actors`) cannot make an agreement and is worth 0 too: this is what
    makes a mediator worth its added value and no more (v(party + mediator) = 0).

    The deal shown for a coalition is, of the acceptable deals that reach v(S), the one
    with the lowest option indices (issue by issue). `method` "direct" finds it with one
    exact search per coalition (`accord.bargaining.search`: max of the sum of gains over
    the deals the members accept), "frontier" reads it off the Pareto frontier of the
    members (the maximum of a sum of gains over acceptable deals is attained there; the
    oracle in the tests, and the method when a block of interacting issues is too large to
    search); "auto" (default) answers directly when the space is searchable
    (`Space.searchable`). Both give the same values and deals. Values are exact
    (Fractions) when every member's utilities are (see
    `accord.space`). Cost: 2^n coalitions for n <= `max_actors` actors, those without a
    veto actor free; `budget` is polled before each coalition and during its search
    (`BudgetExceeded` when it runs out).
    """
    if method not in SCENARIO_METHODS:
        raise InputError([Problem("method", f"unknown method '{method}' (methods: "
                                            f"{', '.join(SCENARIO_METHODS)})")])
    if method == "auto":
        method = "direct" if space.searchable else "frontier"
    if method == "direct" and not space.searchable:
        raise space.unsearchable("method", "frontier")
    if actors is None:
        idx = list(range(space.n_actors))
    else:
        idx = list(space.resolve_actors(list(actors)))
    n = len(idx)
    if n < 1:
        raise InputError([Problem.of_parameter("actors", "name at least one actor")])
    if n > max_actors:
        raise InputError([Problem.of_parameter(
            "actors", f"{n} actors: the coalition game is built for at most {max_actors} "
                      "(2^n coalitions, one search each); name fewer actors")])
    names = tuple(space.actor_ids[a] for a in idx)
    veto_bits = sum(1 << k for k, a in enumerate(idx) if space.veto[a]) if respect_veto else 0
    deals: dict[int, CoalitionDeal] = {}
    values: list[object] = [0] * (1 << n)
    steps = (1 << n) - 1
    for mask in range(1, 1 << n):
        check(budget, mask - 1, steps, _VALUES, _ADVICE)
        members = [k for k in range(n) if mask >> k & 1]
        who = tuple(names[k] for k in members)
        if len(members) == 1:
            deals[mask] = CoalitionDeal(who, 0.0, Fraction(0), None, None,
                                        "alone: its BATNA")
            continue
        if mask & veto_bits != veto_bits:
            missing = [names[k] for k in range(n) if veto_bits >> k & 1 and not mask >> k & 1]
            deals[mask] = CoalitionDeal(who, 0.0, Fraction(0), None, None,
                                        "without " + ", ".join(missing) + " (veto)")
            values[mask] = Fraction(0)
            continue
        acts = [idx[k] for k in members]
        if method == "direct":
            best = _best_direct(space, acts, _Share(budget, mask - 1, steps))
        else:
            best = _best_frontier(space, acts)
        if best is None:
            deals[mask] = CoalitionDeal(who, 0.0, Fraction(0), None, None,
                                        "no deal every member accepts")
            values[mask] = Fraction(0)
            continue
        val, deal, units = best
        g = space.to_utility(units, acts) - space.batna[acts]
        deals[mask] = CoalitionDeal(
            who, float(val), val if isinstance(val, Fraction) else None,
            space.deal_mapping(deal),
            {names[k]: round(float(x), 10) for k, x in zip(members, g, strict=True)})
        values[mask] = val
    game = tu_game(names, values, title=space.scenario.title)
    veto = tuple(names[k] for k in range(n) if veto_bits >> k & 1)
    return ScenarioGame(game, deals, veto, respect_veto)


_VALUES = "coalition values"
_ADVICE = "name fewer actors with --actors"  # the words tests of `accord coalition` expect


class _Share:
    """The budget as one coalition's search sees it: its progress (a fraction of the
    search tree) is reported as progress within that coalition's step."""

    def __init__(self, budget: Budget | None, step: int, steps: int):
        self.budget, self.step, self.steps = budget, step, steps

    def check(self, done: float = 0.0, total: float | None = None, what: str | None = None,
              advice: str = "", partial: object | None = None) -> None:
        frac = min(1.0, done / total) if total else 0.0
        check(self.budget, self.step + frac, self.steps, _VALUES, _ADVICE)


_Best = tuple[Fraction | float, np.ndarray, np.ndarray]
"""A coalition's value, the deal (option indices) that reaches it and the members' units."""


def _value(space, acts: list[int], units: np.ndarray, exact: Fraction) -> Fraction | float:
    """The value of a coalition's best deal: exact when every member's utilities are, else
    the float sum of the members' gains."""
    if space.exact[acts].all():
        return exact
    return float((space.to_utility(units, acts) - space.batna[acts]).sum())


def _best_direct(space, acts: list[int], budget: _Share) -> _Best | None:
    """max sum of gains over the deals every member of `acts` accepts (exact on the
    integer units; ties: the lowest option indices) by one search, or None when no deal is
    acceptable to all."""
    from ...bargaining.questions import prepare
    from ...bargaining.search import search

    g = prepare(space, acts)
    r = search(g.model, g.sum_gain(), list(g.T),
               budget=budget if budget.budget is not None else None)  # type: ignore[arg-type]
    if r is None:
        return None
    units = np.array(r.units, dtype=float)
    return _value(space, acts, units, r.value), np.array(r.deal), units


def _best_frontier(space, acts: list[int]) -> _Best | None:
    """The same as `_best_direct`, read off the members' Pareto frontier (its rows are in
    lexicographic deal order): of the acceptable rows whose float sum is within 1e-9 of the
    largest, the first with the largest exact sum."""
    from ...bargaining.pareto import pareto_frontier

    fr = pareto_frontier(space, acts)
    ok = space.accepts(fr.units, fr.actors).all(axis=1)
    if not ok.any():
        return None
    rows = np.flatnonzero(ok)
    total = (fr.utilities[rows] - space.batna[acts][None, :]).sum(axis=1)
    near = rows[total >= float(total.max()) - 1e-9]
    batna = [exact_value(space.batna[a]) for a in acts]  # as typed: 0.1 is 1/10
    ex = [sum((Fraction(int(fr.units[r, c]), int(space.scale[a])) - batna[c]
               for c, a in enumerate(acts)), Fraction(0)) for r in near]
    top = max(ex)
    r = int(near[ex.index(top)])
    return _value(space, acts, fr.units[r], top), fr.deals[r], fr.units[r]
