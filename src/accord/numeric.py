"""Numbers as users write them in scenario files: what counts as a number, and what to
say when something else stands in a number's place.

YAML 1.1 (PyYAML) reads `1e-300` and `1.0e308` as text, not numbers: a float needs a dot
and a signed exponent (`1.0e-300`, `1.0e+308`). Python reads integers of any size, but
a float holds at most about 1.8e308, and `math.isfinite` of a larger integer raises.
"""

from __future__ import annotations

import math
import re
from typing import Any

_EXPONENT = re.compile(r"([-+]?)(\d+)(?:\.(\d*))?([eE])([-+]?)(\d+)")
_FLOAT_BITS = 1024
"""Integers of this many bits and more do not fit a float (about 1.8e308)."""


def written_number(value: Any) -> Any:
    """Numbers must be written as numbers: text and booleans in a number's place are
    refused with what to write instead (YAML 1.1 reads a number with an exponent as text
    unless it has a dot and a signed exponent: `1e-300` and `1.0e308` are text, `1.0e-300`
    and `1.0e+308` numbers), and integers too large for a float are refused before they
    overflow."""
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {str(value).lower()} (YAML reads "
                         "yes/no/on/off/true/false as booleans)")
    if isinstance(value, str):
        text = value.strip()
        m = _EXPONENT.fullmatch(text)
        if m and (m.group(3) is None or not m.group(5)):
            sign, whole, frac, e, esign, exp = m.groups()
            fixed = f"{sign}{whole}.{frac or '0'}{e}{esign or '+'}{exp}"
            raise ValueError(f"expected a number, got the text {value!r}: YAML reads a "
                             "number with an exponent as text unless it has a dot and a "
                             f"sign in the exponent; write {fixed}")
        try:
            float(text)
        except ValueError:
            raise ValueError(f"expected a number, got the text {value!r}") from None
        raise ValueError(f"expected a number, got the text {value!r}: write it without "
                         "quotes")
    if isinstance(value, int) and value.bit_length() >= _FLOAT_BITS:
        raise ValueError(f"the number {_short_int(value)} is too large (at most about "
                         "1.8e308)")
    return value


def _short_int(value: int) -> str:
    digits = len(str(abs(value))) if value.bit_length() < 13_000 else None
    if digits is None:
        return "with more than 4,000 digits"
    return f"with {digits:,} digits"


def is_finite_number(x: Any) -> bool:
    """An int or float (not a bool) that a float can hold and that is finite."""
    if isinstance(x, bool) or not isinstance(x, int | float):
        return False
    if isinstance(x, int):
        return x.bit_length() < _FLOAT_BITS
    return math.isfinite(x)
