"""The parameters of the crisis models, checked and made exact: every number becomes a
Fraction by `accord.games.exact.exact_value` (a float by its shortest decimal, so 0.7 * 0.8 +
0.3 * 0.4 is exactly 0.68), and every problem with the parameters is collected before one
`InputError` names them all."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ...errors import InputError, Problem
from ..exact import exact_value, not_a_number


def exact(x: Any, name: str) -> Fraction:
    """A number as an exact fraction: a float by its shortest decimal form (0.1 -> 1/10),
    text such as "1/3" as written; `InputError` naming the parameter `name` otherwise."""
    f = exact_value(x)
    if f is None:
        raise InputError([Problem(name, not_a_number(x))])
    return f


def num(x: Fraction) -> str:
    """A number for a message: up to 6 significant digits."""
    return f"{float(x):g}"


class Checks:
    """Collects every problem with the parameters before raising one `InputError`."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def number(self, x: Any, name: str) -> Fraction | None:
        try:
            return exact(x, name)
        except InputError as exc:
            self.problems += exc.problems
            return None

    def unit(self, x: Any, name: str, what: str) -> Fraction:
        v = self.number(x, name)
        if v is not None and not 0 <= v <= 1:
            self.problems.append(Problem(name, f"{what} must lie in [0, 1], got {num(v)}"))
        return v if v is not None else Fraction(0)

    def cost(self, x: Any, name: str, what: str) -> Fraction:
        v = self.number(x, name)
        if v is not None and v < 0:
            self.problems.append(Problem(name, f"{what} must be at least 0, got {num(v)}"))
        return v if v is not None else Fraction(0)

    def done(self) -> None:
        if self.problems:
            raise InputError(self.problems)


def risk_inputs(p: Any, c_a: Any, c_low: Any, c_high: Any, q: Any, ch: Checks
                ) -> tuple[Fraction, ...]:
    """The parameters of the risk-return set-up, checked (the weak type's cost at least the
    resolved type's)."""
    pp = ch.unit(p, "p", "A's probability of winning")
    ca = ch.cost(c_a, "c_a", "A's cost of war")
    cl = ch.cost(c_low, "c_low", "the resolved type's cost of war")
    chh = ch.cost(c_high, "c_high", "the weak type's cost of war")
    qq = ch.unit(q, "q", "the probability that B is resolved")
    if not ch.problems and chh < cl:
        ch.problems.append(Problem("c_high", f"the weak type's cost ({num(chh)}) must be at "
                                             f"least the resolved type's c_low ({num(cl)})"))
    return pp, ca, cl, chh, qq
