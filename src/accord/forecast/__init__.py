"""Stakeholder forecast models.

The data every model reads is `StakeholderData` (actors' capability, position on 0..100 and
salience per issue), built from a scenario or read from the shipped BDM, KTAB and Decide files
by `load_stakeholders`. The first model is the compromise baseline (`compromise`), which every
other forecast is reported next to.
"""

from .compromise import CompromiseResult, compromise
from .data import StakeholderData
from .importers import load_stakeholders

__all__ = ["CompromiseResult", "StakeholderData", "compromise", "load_stakeholders"]
