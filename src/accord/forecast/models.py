"""One entry point for every forecast model: `run_forecast(data, model, ...)`.

Models are looked up by name; each dynamic model lives in its own module with a
`run_<name>(data, rounds=..., seed=..., **params) -> ForecastResult` function.
"""

from __future__ import annotations

import importlib
from typing import Any

from ..budget import Budget
from ..errors import InputError, Problem
from .data import StakeholderData
from .result import ForecastResult, compromise_forecast

MODELS: dict[str, tuple[str, str]] = {
    "eu": ("accord.forecast.eu", "run_eu"),
    "smp": ("accord.forecast.smp", "run_smp"),
    "exchange": ("accord.forecast.exchange", "run_exchange"),
}
ALIASES = {"bdm": "eu", "expected-utility": "eu", "ktab": "smp", "decide": "exchange"}
NAMES = ("compromise", *MODELS)


def run_forecast(data: StakeholderData, model: str = "compromise", rounds: int | None = None,
                 seed: int | None = 0, *, budget: Budget | None = None, **params: Any
                 ) -> ForecastResult:
    """Run the forecast model called `model` (see `NAMES`; aliases bdm, expected-utility,
    ktab, decide) on `data`. `rounds` None means the model's default. The dynamic models
    poll `budget` every round (`BudgetExceeded` when it runs out); the compromise is one
    step, its one round the input positions. Cost and references: those of the model run
    (`accord.forecast.compromise.compromise`, `accord.forecast.eu.run_eu`,
    `accord.forecast.smp.run_smp`, `accord.forecast.exchange.run_exchange`)."""
    name = ALIASES.get(model, model)
    if name == "compromise":
        return compromise_forecast(data)
    if name not in MODELS:
        raise InputError([Problem.of_parameter("model", f"unknown model '{model}' (models: "
                                                        f"{', '.join(NAMES)})")])
    module, fn = MODELS[name]
    try:
        run = getattr(importlib.import_module(module), fn)
    except (ImportError, AttributeError):
        raise InputError([Problem.of_parameter("model", f"model '{model}' is not available in this "
                                                        "version")]) from None
    if rounds is not None:
        if rounds < 0:
            raise InputError([Problem.of_parameter("rounds", "must be 0 or more")])
        params["rounds"] = rounds
    return run(data, seed=seed, budget=budget, **params)
