"""Crises under private information (being split into modules)."""

from .crawford_sobel import (  # noqa: F401
    MAX_MESSAGES,
    CheapTalk,
    PartitionEquilibrium,
    cheap_talk,
    max_messages,
    partition,
)
from .fearon import (  # noqa: F401
    MEDIATOR_WAR_COST,
    BargainingRange,
    Case,
    CrisisReport,
    IssueRange,
    MediatorCredibility,
    RiskReturn,
    ScenarioWars,
    StateCheck,
    WarBatna,
    WarPair,
    bargaining_range,
    crisis_report,
    exact,
    mediator_credibility,
    risk_return,
    scenario_crisis,
    scenario_wars,
)
