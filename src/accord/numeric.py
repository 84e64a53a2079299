"""Numbers as users write them in scenario files: what counts as a number, and what to
say when something else stands in a number's place.

YAML 1.1 (PyYAML) reads `1e-300` and `1.0e308` as text, not numbers: a float needs a dot
and a signed exponent (`1.0e-300`, `1.0e+308`). Python reads integers of any size, but
a float holds at most about 1.8e308, and `math.isfinite` of a larger integer raises.
The games files also take exact numbers as text (`"1/3"`, `"0.1"`); `exact_number` reads
them, refusing what no float could hold and exponents that would take long to expand.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
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
            x = float(text)
        except ValueError:
            raise ValueError(f"expected a number, got the text {value!r}") from None
        if not math.isfinite(x):
            raise ValueError(f"expected a finite number, got the text {value!r}")
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


_EXACT_TEXT = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE]([-+]?\d+))?|[-+]?\d+/\d+")
_MAX_EXPONENT = 400
"""Largest decimal exponent read from text (`1e-400`): 10**n must stay cheap to build."""
_MAX_TEXT = 400
"""Longest text read as a number."""


def exact_number(value: Any) -> Fraction | None:
    """A number exactly as written: an int, a finite float (by its shortest decimal, so
    0.1 -> 1/10), a Fraction, or text holding a decimal or a fraction (`"1/3"`,
    `"2.5e-3"`); None for anything else, a boolean, text longer than 400 characters or
    with an exponent beyond +-400, and magnitudes a float cannot hold (about 1.8e308)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Fraction):
        x = Fraction(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            return None
        x = Fraction(repr(value))
    elif isinstance(value, str):
        text = value.strip()
        m = _EXACT_TEXT.fullmatch(text) if len(text) <= _MAX_TEXT else None
        if m is None or (m.group(1) is not None and abs(int(m.group(1))) > _MAX_EXPONENT):
            return None
        try:
            x = Fraction(text)
        except ZeroDivisionError:
            return None
    else:
        return None
    if abs(x) >= 2**_FLOAT_BITS:
        return None
    return x


def shown(value: Any, limit: int = 40) -> str:
    """`repr(value)` for a message, cut to `limit` characters (a 5,000-digit integer)."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 12]}... ({len(text):,} chars)"
