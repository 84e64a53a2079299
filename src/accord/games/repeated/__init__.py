"""The repeated prisoner's dilemma and trust, computed exactly: strategies, matches,
round-robin tournaments, equilibrium checks, the closed-form thresholds of cooperation,
which strategies spread, and how much Track-II contact makes cooperation stable.

Two players meet round after round. Each round both choose C (cooperate) or D (defect) at
once and get, from the point of view of the row player, R for CC, S for CD, T for DC and P
for DD (T > R > P > S; Axelrod's 5/3/1/0 by default). The game lasts either a fixed number
of `turns` (Axelrod's tournaments: 200) or, after every round, goes on with probability
`continuation` w (the "shadow of the future"; an expected total of sum_t w^(t-1) * payoff_t,
which is also the discounted value with discount factor w). `continuation=1` asks for the
long-run average payoff per round, the limit w -> 1. With `noise` e each intended move is
flipped with probability e, and both players see (and react to) the realised moves, as in
the `axelrod` library.

Modules: `payoffs` (payoffs and closed-form thresholds), `automata` (strategies and their
names), `markov` (the exact engine), `matches`, `round_robin`, `best_reply` (best replies
and equilibria), `simulation` (the oracle), `evolution` (replicator dynamics, the Moran
process), `track2` (the contact model), `files` (the trust file and a scenario's
`games.trust`), `analysis` (everything `accord trust` shows).

References: Axelrod (1980) J. Conflict Resolution 24(1):3-25, doi:10.1177/002200278002400101,
and (1984) *The Evolution of Cooperation* (a book); Nowak & Sigmund (1992) Nature 355:250,
doi:10.1038/355250a0 (generous TFT), and (1993) Nature 364:56, doi:10.1038/364056a0
(win-stay lose-shift); Press & Dyson (2012) PNAS 109:10409, doi:10.1073/pnas.1206569109
(the memory-one Markov chain).
"""

from typing import TYPE_CHECKING

from ...lazy import lazy_exports

__getattr__, __dir__ = lazy_exports(__name__, {
    "Payoffs": ".payoffs", "grim_threshold": ".payoffs", "tft_threshold": ".payoffs",
    "as_fraction": ".payoffs", "gtft_generosity": ".payoffs",
    "Strategy": ".automata", "memory_one": ".automata", "grim": ".automata",
    "tit_for_k_tats": ".automata", "window_tft": ".automata", "contrite_tft": ".automata",
    "STRATEGIES": ".automata", "MEMORY_ONE": ".automata", "DEFAULT_STRATEGIES": ".automata",
    "strategy": ".automata", "list_strategies": ".automata", "strategies": ".automata",
    "OUTCOMES": ".markov", "SWAP": ".markov", "DEFAULT_TURNS": ".markov",
    "MatchResult": ".matches", "match": ".matches", "markov_chain": ".matches",
    "Tournament": ".round_robin", "tournament": ".round_robin",
    "EquilibriumCheck": ".best_reply", "best_response": ".best_reply",
    "equilibrium": ".best_reply",
    "Simulation": ".simulation", "simulate": ".simulation",
    "Replicator": ".evolution", "replicator": ".evolution", "RestPoint": ".evolution",
    "jacobian_eigenvalues": ".evolution", "rest_points": ".evolution",
    "fixation_probability": ".evolution", "Moran": ".evolution", "moran": ".evolution",
    "DEFAULT_TRACK2_STRATEGIES": ".track2", "ContactModel": ".track2", "Track2": ".track2",
    "contact_needed": ".track2",
    "TrustSpec": ".files", "parse_trust": ".files", "load_trust": ".files",
    "Threshold": ".analysis", "TrustAnalysis": ".analysis", "analyze_trust": ".analysis"})

if TYPE_CHECKING:
    from .analysis import Threshold, TrustAnalysis, analyze_trust
    from .automata import (
        DEFAULT_STRATEGIES,
        MEMORY_ONE,
        STRATEGIES,
        Strategy,
        contrite_tft,
        grim,
        list_strategies,
        memory_one,
        strategies,
        strategy,
        tit_for_k_tats,
        window_tft,
    )
    from .best_reply import EquilibriumCheck, best_response, equilibrium
    from .evolution import (
        Moran,
        Replicator,
        RestPoint,
        fixation_probability,
        jacobian_eigenvalues,
        moran,
        replicator,
        rest_points,
    )
    from .files import TrustSpec, load_trust, parse_trust
    from .markov import DEFAULT_TURNS, OUTCOMES, SWAP
    from .matches import MatchResult, markov_chain, match
    from .payoffs import Payoffs, as_fraction, grim_threshold, gtft_generosity, tft_threshold
    from .round_robin import Tournament, tournament
    from .simulation import Simulation, simulate
    from .track2 import DEFAULT_TRACK2_STRATEGIES, ContactModel, Track2, contact_needed

__all__ = ["Payoffs", "grim_threshold", "tft_threshold", "as_fraction", "gtft_generosity",
           "Strategy", "memory_one", "grim", "tit_for_k_tats", "window_tft", "contrite_tft",
           "STRATEGIES", "MEMORY_ONE", "DEFAULT_STRATEGIES", "strategy", "list_strategies",
           "strategies", "OUTCOMES", "SWAP", "DEFAULT_TURNS", "MatchResult", "match",
           "markov_chain", "Tournament", "tournament", "EquilibriumCheck", "best_response",
           "equilibrium", "Simulation", "simulate", "Replicator", "replicator", "RestPoint",
           "jacobian_eigenvalues", "rest_points", "fixation_probability", "Moran", "moran",
           "DEFAULT_TRACK2_STRATEGIES", "ContactModel", "Track2", "contact_needed", "TrustSpec",
           "parse_trust", "load_trust", "Threshold", "TrustAnalysis", "analyze_trust"]
