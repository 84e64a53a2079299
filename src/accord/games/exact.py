"""The one rule by which the games read a number exactly: `accord.numeric.exact_number`
(an int, a float by its shortest decimal so that 0.1 is 1/10, a Fraction, or text holding a
decimal or a ratio such as `"130/3"`), extended to the other number types a caller may
hand over: numpy scalars and any `numbers.Rational` or `numbers.Real`."""

from __future__ import annotations

from fractions import Fraction
from numbers import Integral, Rational, Real

from ..numeric import exact_number, shown


def exact_value(x: object) -> Fraction | None:
    """`x` as a Fraction by `accord.numeric.exact_number`, or None when it is not a finite
    number (booleans, numpy's included, are not numbers). A numpy integer or other
    `Integral` is read as an int, a numpy float64 or other float subclass as the float it
    equals, another `Rational` as its fraction, another `Real` (a numpy float32) as the float
    it equals."""
    if isinstance(x, bool | str | Fraction) or x is None:
        return exact_number(x)
    if isinstance(x, float):  # numpy's float64 too, whose repr is not a number
        return exact_number(float(x))
    if isinstance(x, Integral):
        return exact_number(int(x))
    if isinstance(x, Rational):
        return exact_number(Fraction(int(x.numerator), int(x.denominator)))
    if isinstance(x, Real):
        return exact_number(float(x))
    return None


def not_a_number(x: object) -> str:
    """What to say of a value `exact_value` does not read: "expected a finite number, got
    nan" for a number no float holds, "expected a number, got 'ten'" for anything else (the
    value cut to 40 characters)."""
    what = "a finite number" if isinstance(x, Real) and not isinstance(x, bool) else "a number"
    return f"expected {what}, got {shown(x)}"
