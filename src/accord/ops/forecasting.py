"""Forecast operation: `forecast`, any stakeholder model on any source of stakeholder data.

The source is a scenario (object, built-in id or file) or a stakeholder data file (a BDM
table, a KTAB SMP CSV or XML, a Decide file): `accord.forecast.load_stakeholders` reads
them all. Models (`accord.forecast.models.NAMES`): the compromise baseline (capability x
salience weighted mean), Bueno de Mesquita's expected utility, KTAB's spatial model of
politics and Stokman's exchange model; each module gives its papers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..defaults import SEED
from ..errors import InputError, Problem

if TYPE_CHECKING:
    import os

    from ..budget import Budget
    from ..forecast.data import StakeholderData
    from ..forecast.result import ForecastResult
    from ..scenario import Scenario

VARIANT_MODELS = ("eu", "bdm", "expected-utility")
"""The model names (with aliases) that take a `variant`."""


def forecast(source: StakeholderData | Scenario | str | os.PathLike[str], *,
             model: str = "compromise", rounds: int | None = None, seed: int | None = SEED,
             variant: str | None = None, budget: Budget | None = None
             ) -> ForecastResult:
    """Where positions move and where each issue's decision lands under `model`, with the
    compromise baseline beside it. `rounds` None is the model's default; `variant` is the
    expected-utility model's ("replication", the default, or "clean"). The dynamic models
    poll `budget` every round."""
    from ..forecast.importers import load_stakeholders
    from ..forecast.models import run_forecast

    params: dict[str, Any] = {}
    if variant is not None:
        if model not in VARIANT_MODELS:
            raise InputError([Problem.of_parameter("variant", "only the eu model has "
                                                              "variants")])
        params["variant"] = variant
    return run_forecast(load_stakeholders(source), model, rounds, seed, budget=budget, **params)
