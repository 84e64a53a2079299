"""The compromise baseline: the capability x salience weighted mean position on each issue.

    O_d = sum_i c_i s_id x_id / sum_i c_i s_id

computed independently for each issue d (Achen's compromise model, in Thomson, Stokman,
Achen & Koenig (eds.), *The European Union Decides*, Cambridge UP 2006). It is static (no
dynamics, no bargaining) and costs O(n d). On EU legislative outcomes it did at least as well
as most elaborate bargaining models, so every other forecast is reported next to it. It is
also Decide's preference MDS at round 0 and the c.s-weighted mean BDM reports at round 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import InputError, Problem
from .data import StakeholderData


@dataclass(frozen=True)
class CompromiseResult:
    """The compromise forecast per issue, on 0..100 (`internal`) and in the issue's own units
    (`forecast`). References: as `compromise` (Achen 2006)."""

    data: StakeholderData
    internal: dict[str, float]
    forecast: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        d = self.data
        return {
            "model": "compromise",
            "source": d.source,
            "issues": list(d.issues),
            "forecast": dict(self.forecast),
            "forecast_0_100": dict(self.internal),
            "scales": {i: list(s) for i, s in zip(d.issues, d.scales, strict=True)},
            "actors": [
                {"id": a, "capability": float(d.capability[i]),
                 "position": {p: _num(d.to_original(k, d.position[i, k]))
                              for k, p in enumerate(d.issues)},
                 "salience": {p: float(d.salience[i, k]) for k, p in enumerate(d.issues)}}
                for i, a in enumerate(d.actors)],
            "baseline": dict(self.forecast),
        }


def _num(x: float) -> float | None:
    return None if np.isnan(x) else float(x)


def compromise(data: StakeholderData) -> CompromiseResult:
    """O_d = sum_i c_i s_id x_id / sum_i c_i s_id for every issue d (see the module docstring).

    Actors with no position on an issue (NaN) must have salience 0 there and are left out.
    Raises `InputError` when an issue's total weight sum_i c_i s_id is zero (nobody with
    capability cares about it, so the mean is undefined). Cost: O(n d) for n actors and d
    issues.

    References: Achen's compromise model, in Thomson, R., Stokman, F. N., Achen, C. H. and
    Koenig, T. (eds.) (2006) *The European Union Decides*, Cambridge University Press (a
    book; no DOI given here).
    """
    w = data.capability[:, None] * data.salience
    x = np.where(w > 0, data.position, 0.0)
    if np.isnan(x).any():
        i, k = np.argwhere(np.isnan(x))[0]
        raise InputError([Problem(f"{data.actors[i]}.{data.issues[k]}",
                                  "has weight but no position", data.source)])
    total = w.sum(axis=0)
    problems = [Problem(f"issue {issue}", "zero total weight: every actor has capability 0 "
                        "or salience 0 on it, so the compromise is undefined", data.source)
                for issue, t in zip(data.issues, total, strict=True) if not t > 0]
    if problems:
        raise InputError(problems)
    o = (w * x).sum(axis=0) / total
    internal = {issue: float(v) for issue, v in zip(data.issues, o, strict=True)}
    forecast = {issue: float(data.to_original(k, v)) for k, (issue, v)
                in enumerate(zip(data.issues, o, strict=True))}
    return CompromiseResult(data=data, internal=internal, forecast=forecast)
