"""Uncertain inputs: numbers of a scenario given as distributions instead of point values.

Any of these numbers of an actor may be a distribution: `batna`, `capability`, a `salience`
weight, a preference score (`preferences.ISSUE.OPTION`) or ideal point
(`preferences.ISSUE.ideal`), a `position`, a war-lottery field (`war.win_probability`,
`war.cost`, `war.win`, `war.loss`) and an interaction term's `weight` or score. Four forms:

    {low: a, high: b}            uniform on [a, b]
    {mean: m, sd: s}             normal, clipped to the field's valid range
    {mode: c, low: a, high: b}   triangular on [a, b] with its peak at c
    [v1, v2, ...]                one of the listed values, each equally likely

A scenario with distributions is still a valid point scenario: every analysis uses the
*nominal* value of each distribution (the value an analyst would have typed: the midpoint,
the mean, the mode, the median of the list), and `accord sweep` draws whole scenarios from
them. Plain numbers stay plain, so format version 1 files read as before.

Draws are rounded to 10^-4 of the field's scale (4 decimals for 0..1 numbers and weights,
2 for 0..100 scores and positions) so that Accord's exact arithmetic (see `accord.space`)
stays exact; that is far below any analyst's precision.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

import numpy as np

from .errors import Problem
from .numeric import is_finite_number

_FORMS = {
    frozenset({"low", "high"}): "uniform",
    frozenset({"mean", "sd"}): "normal",
    frozenset({"mode", "low", "high"}): "triangular",
}
FORMS_TEXT = "{low, high}, {mean, sd}, {mode, low, high} or a list of values"


@dataclass(frozen=True)
class Distribution:
    """A distribution of one number, on the field's valid range [lower, upper].

    `params`: uniform (low, high); normal (mean, sd); triangular (low, mode, high); choice
    (the values). `digits`: decimals a draw is rounded to. `sample` draws with numpy's
    generators (Harris, C. R. et al. (2020) "Array programming with NumPy", Nature
    585:357-362, doi:10.1038/s41586-020-2649-2); `quantile` inverts the CDF in closed form
    (the normal's through `statistics.NormalDist`). O(1) per value.
    """

    kind: str
    params: tuple[float, ...]
    lower: float = -math.inf
    upper: float = math.inf
    digits: int = 4

    @property
    def nominal(self) -> float:
        """The point value used by every non-sweep analysis (midpoint, mean, mode, median)."""
        p = self.params
        if self.kind == "uniform":
            v = (p[0] + p[1]) / 2
        elif self.kind == "normal":
            v = p[0]
        elif self.kind == "triangular":
            v = p[1]
        else:
            v = float(np.median(p))
        return self._tidy(v)

    def _tidy(self, v: float | np.ndarray) -> Any:
        return np.clip(np.round(v, self.digits), self.lower, self.upper)

    def sample(self, rng: np.random.Generator, size: int | None = None) -> Any:
        """Draws from the distribution (rounded to `digits`, clipped to the valid range)."""
        p = self.params
        if self.kind == "uniform":
            v = rng.uniform(p[0], p[1], size)
        elif self.kind == "normal":
            v = rng.normal(p[0], p[1], size)
        elif self.kind == "triangular":
            v = rng.triangular(p[0], p[1], p[2], size) if p[0] < p[2] else np.full(size or (),
                                                                                    p[0])
        else:
            v = np.asarray(p)[rng.integers(0, len(p), size)]
        return self._tidy(v)

    def quantile(self, q: float) -> float:
        """The q-quantile (0 < q < 1) of the distribution as drawn (clipped, rounded)."""
        p = self.params
        if self.kind == "uniform":
            v = p[0] + q * (p[1] - p[0])
        elif self.kind == "normal":
            v = NormalDist(p[0], p[1]).inv_cdf(q)
        elif self.kind == "triangular":
            a, c, b = p
            if b <= a:
                v = a
            elif q < (c - a) / (b - a):
                v = a + math.sqrt(q * (b - a) * (c - a))
            else:
                v = b - math.sqrt((1 - q) * (b - a) * (b - c))
        else:
            values = sorted(p)
            v = values[min(len(values) - 1, int(math.floor(q * len(values))))]
        return float(self._tidy(v))

    def to_dict(self) -> dict[str, Any]:
        """The distribution's parameters by name, as a scenario file writes them; `choice`
        as {values: [...]} (a scenario file writes it as a plain list)."""
        p = self.params
        if self.kind == "uniform":
            return {"low": p[0], "high": p[1]}
        if self.kind == "normal":
            return {"mean": p[0], "sd": p[1]}
        if self.kind == "triangular":
            return {"mode": p[1], "low": p[0], "high": p[2]}
        return {"values": list(p)}


@dataclass(frozen=True)
class UncertainInput:
    """One uncertain number: where it is in the file (`key`, a path of keys and indices),
    its readable name (`name`, e.g. `russia.batna`) and its distribution."""

    key: tuple[str | int, ...]
    name: str
    distribution: Distribution

    def to_dict(self) -> dict[str, Any]:
        return {"input": self.name, "distribution": {"kind": self.distribution.kind,
                                                     **self.distribution.to_dict()},
                "nominal": float(self.distribution.nominal)}


def is_distribution(value: Any) -> bool:
    """True when `value` is written as a distribution (a mapping or a list) in a number's place."""
    return isinstance(value, dict | list)


def parse_distribution(value: Any, lower: float, upper: float, digits: int
                       ) -> tuple[Distribution | None, list[tuple[str, str]]]:
    """Read a distribution written in a number's place; return it or the problems found, as
    (path suffix, message) pairs."""
    problems: list[tuple[str, str]] = []
    rng = _range_text(lower, upper)
    if isinstance(value, list):
        if not value:
            return None, [("", f"an empty list is not a distribution (use {FORMS_TEXT})")]
        for k, x in enumerate(value):
            if not is_finite_number(x):
                problems.append((f"[{k}]", f"must be a number, got {x!r}"))
            elif not lower <= x <= upper:
                problems.append((f"[{k}]", f"must be within {rng}, got {x!r}"))
        if problems:
            return None, problems
        return Distribution("choice", tuple(float(x) for x in value), lower, upper,
                            digits), []
    keys = frozenset(value)
    kind = _FORMS.get(keys)
    if kind is None:
        got = ", ".join(map(str, value)) or "none"
        return None, [("", f"a distribution is written {FORMS_TEXT}; got the keys {got}")]
    for k in value:
        if not is_finite_number(value[k]):
            problems.append((f".{k}", f"must be a number, got {value[k]!r}"))
    if problems:
        return None, problems
    if kind == "normal":
        m, s = float(value["mean"]), float(value["sd"])
        if not s > 0:
            problems.append((".sd", f"must be above 0, got {value['sd']!r}"))
        if not lower <= m <= upper:
            problems.append((".mean", f"must be within {rng}, got {value['mean']!r}"))
        return (None if problems else Distribution(kind, (m, s), lower, upper, digits)), problems
    lo, hi = float(value["low"]), float(value["high"])
    for name, x in (("low", lo), ("high", hi)):
        if not lower <= x <= upper:
            problems.append((f".{name}", f"must be within {rng}, got {value[name]!r}"))
    if lo > hi:
        problems.append((".low", f"must not be above high ({value['high']!r}), got "
                                 f"{value['low']!r}"))
    if kind == "triangular":
        c = float(value["mode"])
        if not lo <= c <= hi:
            problems.append((".mode", f"must be between low and high, got {value['mode']!r}"))
        params: tuple[float, ...] = (lo, c, hi)
    else:
        params = (lo, hi)
    return (None if problems else Distribution(kind, params, lower, upper, digits)), problems


def _range_text(lower: float, upper: float) -> str:
    def f(x: float) -> str:
        return f"{x:g}"
    if math.isinf(upper):
        return f"{f(lower)} or more"
    return f"[{f(lower)}, {f(upper)}]"


# ---------------------------------------------------------------------------------------
# Where distributions may stand in a scenario, and how to find them in raw data.

_UNIT = (0.0, 1.0, 4)
_SCORE = (0.0, 100.0, 2)
_WEIGHT = (0.0, math.inf, 4)


def _places(actor: dict, issue_ranges: dict[str, tuple[float, float]]
            ) -> Iterator[tuple[tuple[str | int, ...], str, tuple[float, float, int]]]:
    """(key inside the actor, readable suffix, (lower, upper, digits)) of every number of an
    actor that may be a distribution."""
    for field_, bounds in (("batna", _UNIT), ("capability", _WEIGHT)):
        if field_ in actor:
            yield (field_,), field_, bounds
    war = actor.get("war")
    if isinstance(war, dict):
        for k in ("win_probability", "cost", "win", "loss"):
            if k in war:
                yield ("war", k), f"war.{k}", _UNIT
    for section, bounds in (("salience", _WEIGHT), ("position", _SCORE)):
        table = actor.get(section)
        if isinstance(table, dict):
            for k in table:
                yield (section, k), f"{section}.{k}", bounds
    prefs = actor.get("preferences")
    if isinstance(prefs, dict):
        for issue, pref in prefs.items():
            if not isinstance(pref, dict):
                continue
            if "ideal" in pref:
                lo, hi = issue_ranges.get(str(issue), (-math.inf, math.inf))
                span = hi - lo if math.isfinite(hi - lo) and hi > lo else 1.0
                digits = max(0, 4 - math.floor(math.log10(span)))
                yield ("preferences", issue, "ideal"), f"preferences.{issue}.ideal", (
                    lo, hi, digits)
            else:
                for option in pref:
                    yield ("preferences", issue, option), f"preferences.{issue}.{option}", _SCORE
    terms = actor.get("interactions")
    if isinstance(terms, list):
        for n, term in enumerate(terms):
            if not isinstance(term, dict):
                continue
            if "weight" in term:
                yield ("interactions", n, "weight"), f"interactions[{n}].weight", _WEIGHT
            scores = term.get("scores")
            if isinstance(scores, dict):
                for a, row in scores.items():
                    if isinstance(row, dict):
                        for b in row:
                            yield (("interactions", n, "scores", a, b),
                                   f"interactions[{n}].scores.{a}.{b}", _SCORE)


def _issue_ranges(data: dict) -> dict[str, tuple[float, float]]:
    out = {}
    issues = data.get("issues")
    for issue in issues if isinstance(issues, list) else []:
        if isinstance(issue, dict) and isinstance(issue.get("range"), list | tuple):
            r = issue["range"]
            if len(r) == 2 and all(is_finite_number(x) for x in r):
                out[str(issue.get("id"))] = (float(r[0]), float(r[1]))
    return out


def _get(data: Any, key: Sequence[str | int]) -> Any:
    for k in key:
        data = data[k]
    return data


def set_path(data: Any, key: Sequence[str | int], value: Any) -> Any:
    """A copy of `data` with `value` at `key`; only the containers along the path are copied
    (the rest is shared), so applying a few draws to a large scenario is cheap."""
    if not key:
        return value
    head = key[0]
    copy = list(data) if isinstance(data, list) else dict(data)
    copy[head] = set_path(data[head], key[1:], value)  # type: ignore[index]
    return copy


def extract_uncertain(data: dict) -> tuple[dict, tuple[UncertainInput, ...], list[Problem]]:
    """Split raw scenario data into its nominal form (every distribution replaced by its
    nominal value), the uncertain inputs, and the problems of the distributions written."""
    actors = data.get("actors")
    if not isinstance(actors, list):
        return data, (), []
    ranges = _issue_ranges(data)
    inputs: list[UncertainInput] = []
    problems: list[Problem] = []
    nominal = data
    for i, actor in enumerate(actors):
        if not isinstance(actor, dict):
            continue
        name = str(actor.get("id", i))
        for key, suffix, (lo, hi, digits) in list(_places(actor, ranges)):
            value = _get(actor, key)
            if not is_distribution(value):
                continue
            full = ("actors", i, *key)
            dist, found = parse_distribution(value, lo, hi, digits)
            where = _format_key(full)
            for tail, message in found:
                problems.append(Problem(where + tail, message))
            if dist is not None:
                inputs.append(UncertainInput(full, f"{name}.{suffix}", dist))
                nominal = set_path(nominal, full, float(dist.nominal))
            else:  # reported above: a neutral stand-in keeps it from being reported twice
                nominal = set_path(nominal, full, _stand_in(lo, hi))
    return nominal, tuple(inputs), problems


def _stand_in(lower: float, upper: float) -> float:
    if math.isfinite(lower) and math.isfinite(upper):
        return (lower + upper) / 2
    return lower + 1 if math.isfinite(lower) else 0.0


def _format_key(key: Sequence[str | int]) -> str:
    out = ""
    for k in key:
        out += f"[{k}]" if isinstance(k, int) else (f".{k}" if out else str(k))
    return out


def draw_values(inputs: Sequence[UncertainInput], seed: int, start: int, stop: int
                ) -> np.ndarray:
    """The values of draws start..stop-1, shape (stop - start, len(inputs)).

    Draw i uses its own generator, `numpy.random.default_rng([seed, i])`, and takes the
    inputs in order, so a draw does not depend on how draws are split among workers.
    Cost: O((stop - start) x inputs).

    References: the generators of NumPy, Harris, C. R. et al. (2020) "Array programming with
    NumPy", Nature 585:357-362, doi:10.1038/s41586-020-2649-2.
    """
    out = np.empty((stop - start, len(inputs)))
    for r, i in enumerate(range(start, stop)):
        rng = np.random.default_rng([seed, i])
        for j, u in enumerate(inputs):
            out[r, j] = u.distribution.sample(rng)
    return out


def apply_values(data: dict, inputs: Sequence[UncertainInput], values: Sequence[float]
                 ) -> dict:
    """Raw scenario data with each input set to its value (copy-on-write)."""
    for u, v in zip(inputs, values, strict=True):
        data = set_path(data, u.key, float(v))
    return data
