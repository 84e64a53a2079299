"""Stakeholder forecast models.

The data every model reads is `StakeholderData` (actors' capability, position on 0..100 and
salience per issue), built from a scenario or read from the shipped BDM, KTAB (CSV, XML) and
Decide files by `load_stakeholders`. Models: the compromise baseline (`compromise`), which
every other forecast is reported next to; Bueno de Mesquita's expected-utility model
(`accord.forecast.eu.run_eu`); KTAB's spatial model of politics (`accord.forecast.smp.run_smp`);
Stokman's exchange model (`accord.forecast.exchange.run_exchange`). `run_forecast` runs any of
them by name.
"""

from .compromise import CompromiseResult, compromise
from .data import StakeholderData
from .importers import load_stakeholders
from .models import NAMES, run_forecast
from .result import ForecastResult, ForecastRound

__all__ = ["CompromiseResult", "StakeholderData", "compromise", "load_stakeholders", "NAMES",
           "run_forecast", "ForecastResult", "ForecastRound"]
