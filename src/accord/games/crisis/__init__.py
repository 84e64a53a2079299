"""Crises under private information: Fearon's bargaining model of war and its risk-return
trade-off, when a mediator's report is credible, how much an adviser with a bias can tell
(cheap talk), and the link to scenarios' war lotteries.

Modules: `checks` (the parameters, checked and made exact), `fearon` (the bargaining range
and the risk-return trade-off; Fearon 1995), `mediator` (mediator credibility, a
reconstruction after Kydd 2003), `crawford_sobel` (cheap talk; Crawford and Sobel 1982),
`wars` (scenarios' war lotteries), `files` (the crisis file and a scenario's
`games.crisis`), `report` (everything `accord crisis` shows).

All arithmetic is exact (on fractions of the decimal inputs, so 0.7 * 0.8 + 0.3 * 0.4 is
exactly 0.68); results are floats.
"""

from typing import TYPE_CHECKING

from ...lazy import lazy_exports

__getattr__, __dir__ = lazy_exports(__name__, {
    "exact": ".checks",
    "BargainingRange": ".fearon", "bargaining_range": ".fearon", "RiskReturn": ".fearon",
    "risk_return": ".fearon",
    "MEDIATOR_WAR_COST": ".mediator", "StateCheck": ".mediator",
    "MediatorCredibility": ".mediator", "mediator_credibility": ".mediator",
    "MAX_MESSAGES": ".crawford_sobel", "PartitionEquilibrium": ".crawford_sobel",
    "CheapTalk": ".crawford_sobel", "max_messages": ".crawford_sobel",
    "partition": ".crawford_sobel", "cheap_talk": ".crawford_sobel",
    "WarBatna": ".wars", "IssueRange": ".wars", "WarPair": ".wars", "ScenarioWars": ".wars",
    "scenario_wars": ".wars",
    "SECTIONS": ".files", "CaseSpec": ".files", "SectionSpec": ".files", "CrisisFile": ".files",
    "read_crisis": ".files",
    "MODELS": ".report", "Case": ".report", "CrisisReport": ".report", "crisis_report": ".report",
    "scenario_crisis": ".report", "load_crisis": ".report"})

if TYPE_CHECKING:
    from .checks import exact
    from .crawford_sobel import (
        MAX_MESSAGES,
        CheapTalk,
        PartitionEquilibrium,
        cheap_talk,
        max_messages,
        partition,
    )
    from .fearon import BargainingRange, RiskReturn, bargaining_range, risk_return
    from .files import SECTIONS, CaseSpec, CrisisFile, SectionSpec, read_crisis
    from .mediator import MEDIATOR_WAR_COST, MediatorCredibility, StateCheck, mediator_credibility
    from .report import MODELS, Case, CrisisReport, crisis_report, load_crisis, scenario_crisis
    from .wars import IssueRange, ScenarioWars, WarBatna, WarPair, scenario_wars

__all__ = ["exact", "BargainingRange", "bargaining_range", "RiskReturn", "risk_return",
           "MEDIATOR_WAR_COST", "StateCheck", "MediatorCredibility", "mediator_credibility",
           "MAX_MESSAGES", "PartitionEquilibrium", "CheapTalk", "max_messages", "partition",
           "cheap_talk", "WarBatna", "IssueRange", "WarPair", "ScenarioWars", "scenario_wars",
           "SECTIONS", "CaseSpec", "SectionSpec", "CrisisFile", "read_crisis", "MODELS", "Case",
           "CrisisReport", "crisis_report", "scenario_crisis", "load_crisis"]
