"""The result every dynamic forecast model returns: positions round by round, the predicted
outcome, each model's intermediate quantities, and the compromise baseline beside it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .compromise import compromise
from .data import StakeholderData


@dataclass(frozen=True)
class ForecastRound:
    """One round: every actor's position per issue (0..100 internal scale), the outcome the
    model predicts after it (0..100), and model-specific `details` (challenges, win
    probabilities, expected gains, exchanges ...) as plain JSON-ready data."""

    round: int
    positions: np.ndarray  # (n_actors, n_issues), internal 0..100 scale
    outcome: np.ndarray  # (n_issues,), internal 0..100 scale
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ForecastResult:
    """A forecast: the model, its parameters and seed, and the rounds (round 0 = the input).

    `forecast` is the last round's outcome; `baseline` the compromise of the input data.
    `to_dict()` gives positions and outcomes in each issue's original units.

    References: those of the model that made it (`accord.forecast.eu.run_eu`,
    `accord.forecast.smp.run_smp`, `accord.forecast.exchange.run_exchange`); the baseline
    is Achen's compromise (`accord.forecast.compromise.compromise`).
    """

    model: str
    data: StakeholderData
    parameters: dict[str, Any]
    rounds: list[ForecastRound]
    seed: int | None = None

    @property
    def forecast(self) -> np.ndarray:
        return self.rounds[-1].outcome

    @property
    def baseline(self) -> dict[str, float]:
        return compromise(self.data).internal

    @property
    def outcome(self) -> dict[str, float | None]:
        """The forecast per issue in the issue's own units (None where it is undefined)."""
        d = self.data
        return {i: None if np.isnan(v) else float(d.to_original(k, v))
                for k, (i, v) in enumerate(zip(d.issues, self.forecast, strict=True))}

    def to_dict(self) -> dict[str, Any]:
        d = self.data

        def orig(k: int, v: float) -> float | None:
            return None if np.isnan(v) else round(float(d.to_original(k, v)), 10)

        base = compromise(d)
        return {
            "model": self.model,
            "source": d.source,
            "parameters": dict(self.parameters),
            "seed": self.seed,
            "issues": list(d.issues),
            "actors": list(d.actors),
            "forecast": {i: orig(k, v) for k, (i, v) in enumerate(zip(d.issues, self.forecast,
                                                                       strict=True))},
            "baseline": {i: round(v, 10) for i, v in base.forecast.items()},
            "rounds": [
                {"round": r.round,
                 "outcome": {i: orig(k, r.outcome[k]) for k, i in enumerate(d.issues)},
                 "positions": {a: {i: orig(k, r.positions[n, k]) for k, i in enumerate(d.issues)}
                               for n, a in enumerate(d.actors)},
                 "details": r.details}
                for r in self.rounds
            ],
        }


def compromise_forecast(data: StakeholderData) -> ForecastResult:
    """The compromise baseline as a forecast like the others: one round holding the input
    positions and their compromise (`accord.forecast.compromise`), so that every model's
    answer has one type. Cost: O(n d). References: as `accord.forecast.compromise.compromise`
    (Achen 2006, in *The European Union Decides*, Cambridge University Press)."""
    c = compromise(data)
    outcome = np.array([c.internal[i] for i in data.issues], dtype=float)
    return ForecastResult("compromise", data, {}, [ForecastRound(0, data.position.copy(),
                                                                 outcome)])
