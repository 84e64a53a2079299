"""Mediation: simulated negotiation processes over a compiled `Space`, and where they end.

* `alternating_offers`: stacked alternating offers with deadlines and discounting;
* `single_text`: the mediated single negotiating text (Fisher; Klein et al. 2003);
* `mediate_with_interests`: a mediator with its own utility, prestige and bias (Kydd 2003);
* `rubinstein_share`, `frontier_equilibrium`: Rubinstein's closed form and equilibrium;
* `tournament`: every pairing of strategies, ranked.
"""

from .alternating import alternating_offers
from .core import Context, MediationResult, Step
from .mediator import mediate_with_interests, mediator_sweep
from .rubinstein import frontier_equilibrium, rubinstein_share
from .single_text import klein_scenario, single_text
from .strategies import STRATEGIES, make_strategy
from .tournament import TournamentResult, tournament

__all__ = ["alternating_offers", "Context", "MediationResult", "Step", "mediate_with_interests",
           "mediator_sweep", "frontier_equilibrium", "rubinstein_share", "klein_scenario",
           "single_text", "STRATEGIES", "make_strategy", "TournamentResult", "tournament"]
