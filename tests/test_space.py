"""The compiled numeric form against exact rational arithmetic that shares no code with it.

Numeric issues are compiled in integer arithmetic (`accord.space._numeric_scores`); here
every deal's utility, units / K_a, must equal `tests.oracle.utilities` (Fractions of the
decimals as typed) for ranges, steps, ideals and weights with several decimals.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.space import compile_space
from accord.validation import validate_scenario

from . import oracle


def _dec(draw, lo: int, hi: int, places: int) -> float:
    return float(Fraction(draw(st.integers(lo, hi)), 10 ** draw(st.integers(0, places))))


@st.composite
def numeric_scenarios(draw):
    lo = _dec(draw, -5000, 5000, 3)
    step = _dec(draw, 1, 999, 3)
    hi = float(Fraction(repr(lo)) + draw(st.integers(1, 40)) * Fraction(repr(step)))
    issues = [{"id": "x", "range": [lo, hi], "step": step},
              {"id": "d", "options": ["a", "b"]}]
    actors = [{"id": f"a{k}", "batna": 0.3,
               "salience": {"x": _dec(draw, 1, 3000, 4), "d": draw(st.integers(0, 3))},
               "preferences": {"x": {"ideal": min(hi, max(lo, _dec(draw, int(lo) - 10,
                                                                    int(hi) + 10, 5)))},
                               "d": {"a": _dec(draw, 0, 100, 3), "b": 50}}}
              for k in range(draw(st.integers(1, 3)))]
    return validate_scenario({"accord": 1, "id": "n", "title": "n", "issues": issues,
                              "actors": actors}, "<hypothesis>")


@given(numeric_scenarios())
@settings(max_examples=150, deadline=None)
def test_units_are_the_exact_utilities(scenario):
    space = compile_space(scenario)
    want = oracle.utilities(scenario)
    deals = np.array(sorted(want), dtype=np.int64)
    units = space.utility_units(deals)
    for d, u in zip(deals, units, strict=True):
        for a in range(space.n_actors):
            assert space.exact[a]
            assert Fraction(int(u[a]), int(space.scale[a])) == want[tuple(int(x) for x in d)][a]
